package gtfs

import "testing"

func TestSwappedStops(t *testing.T) {
	// 200 stops around Périgueux, one swapped, one far away but not
	// swapped (its swap is nowhere near), one without coordinates.
	f := &Feed{}
	for i := range 200 {
		f.Stops = append(f.Stops, Stop{ID: "s", Lat: 45.1 + float64(i)*0.001, Lon: 0.7 + float64(i)*0.001, HasCoords: true})
	}
	f.Stops = append(f.Stops,
		Stop{ID: "swapped", Lat: 0.75, Lon: 45.15, HasCoords: true},
		Stop{ID: "far", Lat: 48.85, Lon: 2.35, HasCoords: true},
		Stop{ID: "none"})
	e, ok := StopsExtent(f)
	if !ok || !e.Contains(45.15, 0.75) || e.Contains(48.85, 2.35) || e.Contains(0.75, 45.15) {
		t.Fatalf("extent %v", e)
	}
	if got := SwappedStops(f, e); len(got) != 1 || got[0].ID != "swapped" {
		t.Errorf("swapped stops %+v", got)
	}
	if n := WarnSwappedStops(f); n != 1 || len(f.Warnings.List) != 1 || f.Warnings.List[0].Kind != SwappedStopsKind {
		t.Errorf("%d swapped, warnings %+v", n, f.Warnings.List)
	}
	if _, ok := StopsExtent(&Feed{Stops: []Stop{{ID: "none"}}}); ok {
		t.Error("extent of no coordinates")
	}
}
