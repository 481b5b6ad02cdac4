package coverage

import (
	"strings"
	"testing"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/internal/testutil"
	"github.com/vingt/vingt/output"
	"github.com/vingt/vingt/router"
)

// peribusTimetable compiles Péribus on a Tuesday, default parameters.
func peribusTimetable(t *testing.T) (*gtfs.Feed, *router.Timetable) {
	t.Helper()
	f, err := gtfs.Open(testutil.SharedData(t, "perigueux/peribus-gtfs.zip"))
	if err != nil {
		t.Fatal(err)
	}
	d, _ := gtfs.ParseDate("2026-01-13")
	tt, err := router.Compile([]*gtfs.Feed{f}, d, router.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	return f, tt
}

// TestWarnFarPlaces checks the run's warning about cells and points that
// no trip can reach: given as LON,LAT, or in another region; places near
// the stops, or inside a territory, are not named.
func TestWarnFarPlaces(t *testing.T) {
	f, tt := peribusTimetable(t)
	grid := &Grid{Cells: []Cell{
		{ID: "bugeaud", Lat: 45.1842, Lon: 0.7214},
		{ID: "swapped", Lat: 0.7214, Lon: 45.1842},
		{ID: "paris", Lat: 48.85, Lon: 2.35},
	}}
	cats := []*Category{{Name: "poste", Points: []Point{{ID: "p1", Lat: 45.1842, Lon: 0.7214}, {ID: "p2", Lat: 0.70, Lon: 45.13}}}}
	m := &Manifest{Counts: map[string]any{}}
	warnFarPlaces(m, tt, extentOf(t, f), grid, nil, nil, cats, nil)
	got := map[string]output.Warning{}
	for _, w := range m.Warnings {
		if w.Kind == FarKind {
			got[w.Input] = w
		}
	}
	g, p := got["grid"], got["services:poste"]
	if g.Count != 2 || len(g.Examples) != 2 || !strings.Contains(g.Examples[0], "cell swapped at 0.721400,45.184200: latitude and longitude swapped? 45.184200,0.721400 lies among the stops") ||
		!strings.HasPrefix(g.Examples[1], "cell paris") || strings.Contains(g.Examples[1], "swapped") {
		t.Errorf("grid warning %+v", g)
	}
	if p.Count != 1 || !strings.Contains(p.Examples[0], "point p2") {
		t.Errorf("services warning %+v", p)
	}
	if len(got) != 2 {
		t.Errorf("warnings %+v", m.Warnings)
	}

	// Cells the analysis routed (a served stop within MaxWalk, itself
	// within the cap) are not asked again: marking the swapped cell so
	// leaves Paris alone named.
	m = &Manifest{Counts: map[string]any{}}
	warnFarPlaces(m, tt, extentOf(t, f), grid, nil, []bool{true, true, false}, nil, nil)
	if len(m.Warnings) != 1 || m.Warnings[0].Count != 1 || !strings.HasPrefix(m.Warnings[0].Examples[0], "cell paris") {
		t.Errorf("with the routed cells: warnings %+v", m.Warnings)
	}
}

// TestNearStopWidening checks that asking a growing walk answers as the
// cap's walk alone does, on points from the stops out to beyond the cap.
func TestNearStopWidening(t *testing.T) {
	_, tt := peribusTimetable(t)
	var near, all []router.Access
	seen := [2]int{}
	for _, cap := range []int32{0, 60, 119, 120, 121, 500, 3600} {
		// A line eastward from the centre, past the network's edge, in
		// steps of about 70 m.
		for i := range 1000 {
			lat, lon := 45.1842, 0.7214+float64(i)*0.0009
			got := nearStop(tt, lat, lon, cap, &near)
			all = tt.StopsNear(lat, lon, cap, all[:0])
			if want := len(all) > 0; got != want {
				t.Fatalf("cap %d at %.6f,%.6f: nearStop %v, StopsNear %d stops", cap, lat, lon, got, len(all))
			}
			if got {
				seen[1]++
			} else {
				seen[0]++
			}
		}
	}
	if seen[0] == 0 || seen[1] == 0 {
		t.Errorf("far/near points %v: both must be exercised", seen)
	}
}

// extentOf returns the box of f's stops.
func extentOf(t *testing.T, f *gtfs.Feed) gtfs.Extent {
	t.Helper()
	ext, ok := gtfs.StopsExtent(f)
	if !ok {
		t.Fatal("no stop with coordinates")
	}
	return ext
}
