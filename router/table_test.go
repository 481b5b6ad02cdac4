package router

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vingt/vingt/gtfs"
)

// Text-table tests: small hand-made networks written as timetables, with
// the expected earliest arrivals worked out by hand. Stops lie on the
// equator, 0.01° of longitude (1,112 m) apart, so only explicit
// transfers.txt rows link them; walking is never a shortcut.
//
//	A ──R1── B ──R1── C
//	         │
//	         └──R2── D ──R2── E
type tableCase struct {
	name string
	// stops: "A 0.00" = id and longitude.
	stops string
	// trips: "R1 T1 D: A 08:00 B 08:10 C 08:20" (route, trip, service
	// D = the date, Y = the day before; stop time pairs, one time used for
	// arrival and departure).
	trips     string
	transfers string
	params    func(*Params)
	from      string
	at        string
	// want: "B 08:10 C 08:20 D - E 08:41" ("-": unreached).
	want string
}

var tableCases = []tableCase{
	{
		// "B+" in a trip: pick-up only there (drop_off_type 1), so T1
		// cannot be left at B; "A-": drop-off only (pickup_type 1), so T2
		// cannot be boarded at A.
		//
		//	A ──T1── B+ ──T1── C
		//	A- ─T2── B ──T2── C     T3 from A at 08:40
		name:  "pick-up and drop-off bans",
		stops: "A 0.00\nB 0.01\nC 0.02",
		trips: "R1 T1 D: A 08:00 B+ 08:10 C 08:20\nR1 T2 D: A- 08:30 B 08:40 C 08:50\nR1 T3 D: A 08:40 B 08:50 C 09:00",
		from:  "A", at: "07:55",
		want: "B 08:50 C 08:20",
	},
	{
		// B and C are 0.003° (333.58 m, 334 s on foot) apart: alight at B
		// at 08:10, reach C at 08:15:34, ready at 08:16:34 with the slack:
		// T2 (08:16) is missed, T3 (08:17) caught.
		//
		//	A ──R1── B ~~walk~~ C ──R2── D
		name:  "walking transfer",
		stops: "A 0.00\nB 0.01\nC 0.013\nD 0.03",
		trips: "R1 T1 D: A 08:00 B 08:10\nR2 T2 D: C 08:16 D 08:30\nR2 T3 D: C 08:17 D 08:35",
		from:  "A", at: "07:55",
		want: "B 08:10 C 08:15:34 D 08:35",
	},
	{
		// The same with same-stop transfers only: C and D are unreached.
		name:   "no walking transfer",
		stops:  "A 0.00\nB 0.01\nC 0.013\nD 0.03",
		trips:  "R1 T1 D: A 08:00 B 08:10\nR2 T2 D: C 08:16 D 08:30\nR2 T3 D: C 08:17 D 08:35",
		params: func(p *Params) { p.MaxTransferWalk = 0 },
		from:   "A", at: "07:55",
		want: "B 08:10 C - D -",
	},
	{
		// transfers.txt forbids B → C: the footpath is removed.
		name:      "forbidden walking transfer",
		stops:     "A 0.00\nB 0.01\nC 0.013\nD 0.03",
		trips:     "R1 T1 D: A 08:00 B 08:10\nR2 T2 D: C 08:16 D 08:30\nR2 T3 D: C 08:17 D 08:35",
		transfers: "B C 3",
		from:      "A", at: "07:55",
		want: "B 08:10 C - D -",
	},
	{
		// transfers.txt sets B → C to 60 s: C at 08:11, T2 caught.
		name:      "minimum time of a walking transfer",
		stops:     "A 0.00\nB 0.01\nC 0.013\nD 0.03",
		trips:     "R1 T1 D: A 08:00 B 08:10\nR2 T2 D: C 08:16 D 08:30\nR2 T3 D: C 08:17 D 08:35",
		transfers: "B C 2 60",
		from:      "A", at: "07:55",
		want: "B 08:10 C 08:11 D 08:30",
	},
	{
		name:  "single route",
		stops: "A 0.00\nB 0.01\nC 0.02",
		trips: "R1 T1 D: A 08:00 B 08:10 C 08:20\nR1 T2 D: A 08:30 B 08:40 C 08:50",
		from:  "A", at: "07:55",
		want: "A - B 08:10 C 08:20",
	},
	{
		// Leaving at 07:59:30 with 60 s of board slack misses T1 (08:00):
		// the next trip is T2.
		name:  "board slack",
		stops: "A 0.00\nB 0.01",
		trips: "R1 T1 D: A 08:00 B 08:10\nR1 T2 D: A 08:30 B 08:40",
		from:  "A", at: "07:59:30",
		want: "B 08:40",
	},
	{
		// Transfer at B from R1 (arrives 08:10) to R2: with 60 s slack the
		// 08:11 departure is caught; T4 at 08:10:30 is not.
		name:  "transfer with slack",
		stops: "A 0.00\nB 0.01\nC 0.02\nD 0.03",
		trips: "R1 T1 D: A 08:00 B 08:10 C 08:20\nR2 T3 D: B 08:11 D 08:30\nR2 T4 D: B 08:10:30 D 08:25",
		from:  "A", at: "07:55",
		want: "B 08:10 C 08:20 D 08:30",
	},
	{
		// The same network with the transfer at B forbidden: D is
		// unreached.
		name:      "forbidden transfer",
		stops:     "A 0.00\nB 0.01\nC 0.02\nD 0.03",
		trips:     "R1 T1 D: A 08:00 B 08:10 C 08:20\nR2 T3 D: B 08:11 D 08:30",
		transfers: "B B 3",
		from:      "A", at: "07:55",
		want: "B 08:10 C 08:20 D -",
	},
	{
		// A 5-minute minimum transfer time at B (on top of the slack)
		// misses 08:11 and takes 08:20.
		name:      "minimum transfer time",
		stops:     "A 0.00\nB 0.01\nD 0.03",
		trips:     "R1 T1 D: A 08:00 B 08:10\nR2 T3 D: B 08:11 D 08:30\nR2 T5 D: B 08:20 D 08:39",
		transfers: "B B 2 300",
		from:      "A", at: "07:55",
		want: "B 08:10 D 08:39",
	},
	{
		// A trip of the day before at 24:30 runs at 00:30 on the date.
		name:  "previous day past midnight",
		stops: "A 0.00\nB 0.01",
		trips: "R1 T1 Y: A 24:30 B 24:45\nR1 T2 D: A 24:30 B 24:50",
		from:  "A", at: "00:20",
		want: "B 00:45",
	},
	{
		// T2 overtakes T1 between B and C: boarding the later trip at A
		// arrives first at C.
		name:  "overtaking",
		stops: "A 0.00\nB 0.01\nC 0.02",
		trips: "R1 T1 D: A 08:00 B 08:10 C 08:40\nR1 T2 D: A 08:05 B 08:12 C 08:20",
		from:  "A", at: "07:50",
		want: "B 08:10 C 08:20",
	},
	{
		// No transfer allowed: C needs two rides.
		name:   "transfer limit",
		stops:  "A 0.00\nB 0.01\nC 0.02",
		trips:  "R1 T1 D: A 08:00 B 08:10\nR2 T2 D: B 08:20 C 08:30",
		params: func(p *Params) { p.MaxTransfers = 0 },
		from:   "A", at: "07:50",
		want: "B 08:10 C -",
	},
	{
		// The cap of 30 minutes prunes C (40 minutes after leaving).
		name:   "cap",
		stops:  "A 0.00\nB 0.01\nC 0.02",
		trips:  "R1 T1 D: A 08:00 B 08:10 C 08:30",
		params: func(p *Params) { p.MaxDuration = 1800 },
		from:   "A", at: "07:50",
		want: "B 08:10 C -",
	},
}

func TestTables(t *testing.T) {
	for _, c := range tableCases {
		t.Run(c.name, func(t *testing.T) {
			feed := tableFeed(t, c)
			p := DefaultParams()
			if c.params != nil {
				c.params(&p)
			}
			date, _ := gtfs.ParseDate("2026-01-13")
			tt, err := Compile([]*gtfs.Feed{feed}, date, p)
			if err != nil {
				t.Fatal(err)
			}
			from, _ := tt.FindStop(c.from)
			at, err := parseHHMM(c.at)
			if err != nil {
				t.Fatal(err)
			}
			got := NewRouter(tt).Query([]Access{{Stop: from}}, at)
			f := strings.Fields(c.want)
			for i := 0; i < len(f); i += 2 {
				s, _ := tt.FindStop(f[i])
				want := Unreached
				if f[i+1] != "-" {
					want, _ = parseHHMM(f[i+1])
				}
				if got[s] != want {
					t.Errorf("%s: %s, want %s", f[i], hhmm(got[s]), f[i+1])
				}
			}
		})
	}
}

func parseHHMM(s string) (int32, error) {
	var h, m, sec int32
	if n, _ := fmt.Sscanf(s, "%d:%d:%d", &h, &m, &sec); n < 2 {
		return 0, fmt.Errorf("time %q", s)
	}
	return h*3600 + m*60 + sec, nil
}

func hhmm(t int32) string {
	if t == Unreached {
		return "-"
	}
	return fmt.Sprintf("%02d:%02d:%02d", t/3600, t/60%60, t%60)
}

func tableFeed(t *testing.T, c tableCase) *gtfs.Feed {
	var stops, trips, st, tr strings.Builder
	stops.WriteString("stop_id,stop_lat,stop_lon\n")
	for _, l := range strings.Split(c.stops, "\n") {
		var id string
		var lon float64
		fmt.Sscanf(l, "%s %f", &id, &lon)
		fmt.Fprintf(&stops, "%s,0,%v\n", id, lon)
	}
	trips.WriteString("route_id,service_id,trip_id\n")
	st.WriteString("trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type,drop_off_type\n")
	routes := map[string]bool{}
	for _, l := range strings.Split(c.trips, "\n") {
		head, times, _ := strings.Cut(l, ":")
		h := strings.Fields(head)
		routes[h[0]] = true
		fmt.Fprintf(&trips, "%s,%s,%s\n", h[0], h[2], h[1])
		f := strings.Fields(times)
		for i := 0; i < len(f); i += 2 {
			tm := f[i+1]
			if strings.Count(tm, ":") == 1 {
				tm += ":00"
			}
			stop, pickup, dropOff := f[i], 0, 0
			if s, ok := strings.CutSuffix(stop, "+"); ok {
				stop, dropOff = s, 1
			}
			if s, ok := strings.CutSuffix(stop, "-"); ok {
				stop, pickup = s, 1
			}
			fmt.Fprintf(&st, "%s,%s,%s,%s,%d,%d,%d\n", h[1], tm, tm, stop, i/2+1, pickup, dropOff)
		}
	}
	var rs strings.Builder
	rs.WriteString("route_id,route_type\n")
	for r := range routes {
		fmt.Fprintf(&rs, "%s,3\n", r)
	}
	tr.WriteString("from_stop_id,to_stop_id,transfer_type,min_transfer_time\n")
	for _, l := range strings.Split(c.transfers, "\n") {
		if f := strings.Fields(l); len(f) >= 3 {
			m := ""
			if len(f) == 4 {
				m = f[3]
			}
			fmt.Fprintf(&tr, "%s,%s,%s,%s\n", f[0], f[1], f[2], m)
		}
	}
	fsys := fstest.MapFS{
		"stops.txt":          {Data: []byte(stops.String())},
		"routes.txt":         {Data: []byte(rs.String())},
		"trips.txt":          {Data: []byte(trips.String())},
		"stop_times.txt":     {Data: []byte(st.String())},
		"transfers.txt":      {Data: []byte(tr.String())},
		"calendar_dates.txt": {Data: []byte("service_id,date,exception_type\nD,20260113,1\nY,20260112,1\n")},
	}
	f, err := gtfs.Read(fsys, "table")
	if err != nil {
		t.Fatal(err)
	}
	return f
}
