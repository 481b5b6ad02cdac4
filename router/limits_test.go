package router

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vingt/vingt/gtfs"
)

// crowdFeed is a feed of n stops around one point (spread: the largest
// offset, in degrees; 0 puts them all at the point), each served by a
// trip to the next, all quays of one station when station is set.
func crowdFeed(t testing.TB, n int, spread float64, station bool) *gtfs.Feed {
	t.Helper()
	rng := rand.New(rand.NewPCG(uint64(n), 9))
	var stops, trips, st strings.Builder
	stops.WriteString("stop_id,stop_lat,stop_lon,location_type,parent_station\n")
	parent := ""
	if station {
		stops.WriteString("P,45,0.7,1,\n")
		parent = "P"
	}
	for i := range n {
		fmt.Fprintf(&stops, "S%d,%.7f,%.7f,0,%s\n", i, 45+rng.Float64()*spread, 0.7+rng.Float64()*spread, parent)
	}
	trips.WriteString("route_id,service_id,trip_id\n")
	st.WriteString("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n")
	for i := 0; i+1 < n; i += 2 {
		fmt.Fprintf(&trips, "R,D,T%d\n", i)
		fmt.Fprintf(&st, "T%d,08:00:00,08:00:00,S%d,1\nT%d,08:05:00,08:05:00,S%d,2\n", i, i, i, i+1)
	}
	f, err := gtfs.Read(fstest.MapFS{
		"stops.txt":          {Data: []byte(stops.String())},
		"routes.txt":         {Data: []byte("route_id,route_type\nR,3\n")},
		"trips.txt":          {Data: []byte(trips.String())},
		"stop_times.txt":     {Data: []byte(st.String())},
		"calendar_dates.txt": {Data: []byte("service_id,date,exception_type\nD,20260113,1\n")},
	}, "crowd")
	if err != nil {
		t.Fatalf("crowd feed: %v", err)
	}
	return f
}

// TestFootpathsBounded compiles thousands of stops at one point, or quays
// of one station, where every pair is within reach: each stop keeps its
// MaxFootpathsPerStop nearest, a warning counts the stops concerned, and
// the memory the compilation allocates grows linearly with the stops.
func TestFootpathsBounded(t *testing.T) {
	n := 2000
	if testing.Short() {
		n = 1200
	}
	date, _ := gtfs.ParseDate("2026-01-13")
	for _, c := range []struct {
		name    string
		spread  float64
		station bool
	}{
		{"stops at one point", 0, false},
		{"quays of one station, 3 km across", 0.03, true},
		{"stops within 300 m", 0.003, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var alloc [2]uint64
			var tt *Timetable
			for i, size := range []int{n / 2, n} {
				f := crowdFeed(t, size, c.spread, c.station)
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				var err error
				tt, err = Compile([]*gtfs.Feed{f}, date, DefaultParams())
				if err != nil {
					t.Fatal(err)
				}
				runtime.ReadMemStats(&after)
				alloc[i] = after.TotalAlloc - before.TotalAlloc
			}
			// Quadratic would be 4×.
			r := float64(alloc[1]) / float64(alloc[0])
			t.Logf("%d stops: %d footpaths, %.1f MB allocated compiling, %.2f× that of %d stops", n, tt.Stats().Footpaths, float64(alloc[1])/1e6, r, n/2)
			if r > 2.6 {
				t.Errorf("compiling %d stops allocates %.1f× what %d do (%d → %d bytes): not linear", n, r, n/2, alloc[0], alloc[1])
			}
			if fp := tt.Stats().Footpaths; fp > n*MaxFootpathsPerStop || fp < n*MaxFootpathsPerStop/2 {
				t.Errorf("%d footpaths for %d stops", fp, n)
			}
			concerned := 0
			for _, w := range tt.Warnings().List {
				if strings.Contains(w.Kind, "footpaths (the nearest kept)") {
					concerned = w.Count
				}
			}
			if concerned == 0 {
				t.Errorf("no warning: %+v", tt.Warnings().List)
			}
			// Each stop keeps its nearest: no dropped stop within reach is
			// nearer than a kept one.
			p := tt.Params()
			for s := int32(0); s < int32(tt.NumStops()); s += 97 {
				kept := tt.fps[tt.fpOff[s]:tt.fpOff[s+1]]
				if len(kept) > MaxFootpathsPerStop || !slices.IsSortedFunc(kept, func(a, b hop) int { return int(a.to - b.to) }) {
					t.Fatalf("stop %d: %d footpaths, sorted %t", s, len(kept), slices.IsSortedFunc(kept, func(a, b hop) int { return int(a.to - b.to) }))
				}
				worst := int32(-1)
				in := map[int32]bool{}
				for _, h := range kept {
					worst = max(worst, h.sec)
					in[h.to] = true
				}
				a := tt.Stop(s)
				for o := range int32(tt.NumStops()) {
					b := tt.Stop(o)
					if o == s || in[o] || !a.HasCoords || !b.HasCoords {
						continue
					}
					d := gtfs.Distance(a.Lat, a.Lon, b.Lat, b.Lon)
					quays := c.station && a.ID != "P" && b.ID != "P" // P is the station itself
					reach := quays || d <= p.MaxTransferWalk && tt.Served(s)
					if w := p.Walk().(interface{ Seconds(float64) int32 }).Seconds(d); reach && w < worst {
						t.Fatalf("stop %d: stop %d at %d s dropped, %d s kept", s, o, w, worst)
					}
				}
			}
		})
	}
}

// overtakingFeed is a feed of n trips along one sequence of three stops,
// a second apart at the first stop, each running at a speed of its own:
// they overtake one another all the time.
func overtakingFeed(t testing.TB, n int) *gtfs.Feed {
	t.Helper()
	rng := rand.New(rand.NewPCG(uint64(n), 10))
	var trips, st strings.Builder
	trips.Grow(n * 12)
	st.Grow(n * 90)
	trips.WriteString("route_id,service_id,trip_id\n")
	st.WriteString("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n")
	clock := func(s int) string { return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60) }
	for i := range n {
		t0 := 5*3600 + i
		t1 := t0 + 300 + rng.IntN(1800)
		t2 := t1 + 300 + rng.IntN(1800)
		fmt.Fprintf(&trips, "R,D,T%d\n", i)
		fmt.Fprintf(&st, "T%d,%s,%s,A,1\nT%d,%s,%s,B,2\nT%d,%s,%s,C,3\n", i, clock(t0), clock(t0), i, clock(t1), clock(t1), i, clock(t2), clock(t2))
	}
	f, err := gtfs.Read(fstest.MapFS{
		"stops.txt":          {Data: []byte("stop_id,stop_lat,stop_lon\nA,45,0.7\nB,45.01,0.7\nC,45.02,0.7\n")},
		"routes.txt":         {Data: []byte("route_id,route_type\nR,3\n")},
		"trips.txt":          {Data: []byte(trips.String())},
		"stop_times.txt":     {Data: []byte(st.String())},
		"calendar_dates.txt": {Data: []byte("service_id,date,exception_type\nD,20260113,1\n")},
	}, "overtaking")
	if err != nil {
		t.Fatalf("overtaking feed: %v", err)
	}
	return f
}

// TestFIFOSplitLarge compiles 100,000 trips that overtake one another
// (the FIFO split was quadratic: minutes): every trip is kept, once, and
// no pattern holds two trips that overtake.
func TestFIFOSplitLarge(t *testing.T) {
	n := 100000
	if testing.Short() {
		n = 20000
	}
	f := overtakingFeed(t, n)
	date, _ := gtfs.ParseDate("2026-01-13")
	tt, err := Compile([]*gtfs.Feed{f}, date, DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if got := tt.Stats().Trips; got != n {
		t.Fatalf("%d trips compiled, want %d", got, n)
	}
	seen := make([]bool, n)
	for _, r := range tt.refs {
		if seen[r.trip] {
			t.Fatalf("trip %d twice", r.trip)
		}
		seen[r.trip] = true
	}
	if tt.Stats().Patterns < 2 {
		t.Fatalf("%d patterns: the trips do not overtake", tt.Stats().Patterns)
	}
	for p := range tt.patTrips {
		nt := tt.patTrips[p]
		for i := range tt.patStopOff[p+1] - tt.patStopOff[p] {
			col := tt.patTimeOff[p] + i*nt
			if !slices.IsSorted(tt.dep[col:col+nt]) || !slices.IsSorted(tt.arr[col:col+nt]) {
				t.Fatalf("pattern %d: trips overtake at position %d", p, i)
			}
		}
	}
	t.Logf("%d trips in %d patterns", n, tt.Stats().Patterns)
}
