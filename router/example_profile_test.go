package router_test

import (
	"fmt"
	"testing/fstest"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/router"
)

// A line A → B → C with trips leaving A at 08:00 and 08:20; a point of the
// category 2 minutes' walk from C, an origin 2 minutes' walk from A. One
// profile search from C gives A the entries (07:59, 08:14) and (08:19,
// 08:34) with the default minute of board slack; the origin then merges
// them for each departure.
func ExampleProfileSearcher() {
	feed, err := gtfs.Read(fstest.MapFS{
		"stops.txt":  {Data: []byte("stop_id,stop_lat,stop_lon\nA,45.00,0.70\nB,45.03,0.70\nC,45.06,0.70\n")},
		"routes.txt": {Data: []byte("route_id,route_type\nL,3\n")},
		"trips.txt":  {Data: []byte("route_id,service_id,trip_id\nL,D,T1\nL,D,T2\n")},
		"stop_times.txt": {Data: []byte("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n" +
			"T1,08:00:00,08:00:00,A,1\nT1,08:06:00,08:06:00,B,2\nT1,08:12:00,08:12:00,C,3\n" +
			"T2,08:20:00,08:20:00,A,1\nT2,08:26:00,08:26:00,B,2\nT2,08:32:00,08:32:00,C,3\n")},
		"calendar_dates.txt": {Data: []byte("service_id,date,exception_type\nD,20260113,1\n")},
	}, "line")
	if err != nil {
		fmt.Println(err)
		return
	}
	date, _ := gtfs.ParseDate("2026-01-13")
	tt, err := router.Compile([]*gtfs.Feed{feed}, date, router.DefaultParams())
	if err != nil {
		fmt.Println(err)
		return
	}
	a, _ := tt.FindStop("A")
	c, _ := tt.FindStop("C")
	from, to := int32(7*3600+50*60), int32(8*3600+30*60)
	var prof router.Profile
	if err := router.NewProfileSearcher(tt).Search([]router.Access{{Stop: c, Seconds: 120}}, from, to, &prof); err != nil {
		fmt.Println(err)
		return
	}
	clock := func(s int32) string {
		if s == router.Unreached {
			return "unreached"
		}
		return fmt.Sprintf("%02d:%02d", s/3600, s/60%60)
	}
	taus, arrs := prof.Entries(a, 1)
	for i := range taus {
		fmt.Printf("at A by %s: at the point at %s\n", clock(taus[i]), clock(arrs[i]))
	}
	deps := []int32{7*3600 + 55*60, 7*3600 + 57*60, 8*3600 + 10*60, 8*3600 + 18*60}
	out := make([]int32, len(deps))
	prof.Eval([]router.Access{{Stop: a, Seconds: 120}}, deps, out)
	for i, d := range deps {
		fmt.Printf("leaving at %s: arrives at %s\n", clock(d), clock(out[i]))
	}
	// Output:
	// at A by 07:59: at the point at 08:14
	// at A by 08:19: at the point at 08:34
	// leaving at 07:55: arrives at 08:14
	// leaving at 07:57: arrives at 08:14
	// leaving at 08:10: arrives at 08:34
	// leaving at 08:18: arrives at unreached
}
