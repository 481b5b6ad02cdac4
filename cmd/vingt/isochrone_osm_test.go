package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb/geojson"
	"github.com/twpayne/go-geos"

	"github.com/vingt/vingt/internal/testutil"
)

// TestIsochroneOSM draws Porto Alegre isochrones with and without --osm:
// on the streets they are valid, hold the origin, grow with the cutoff and
// stay smaller than the crow-fly disks (bands along streets, not disks).
func TestIsochroneOSM(t *testing.T) {
	feed := testutil.SharedData(t, "porto-alegre/poa_eptc.zip")
	osm := testutil.SharedData(t, "porto-alegre/poa_osm.pbf")
	const lat, lon = -30.0300, -51.2200
	dir := t.TempDir()
	areas := func(name string, extra ...string) []float64 {
		out := filepath.Join(dir, name)
		args := append([]string{"isochrone", "--gtfs", feed, "--date", "2019-05-13", "--at", "14:00",
			"--window", "10m", "--cutoffs", "10m,20m", "--from=-30.0300,-51.2200", "--out", out}, extra...)
		r := runVingt(t, dir, args...)
		if r.code != 0 {
			t.Fatalf("code %d: %s", r.code, r.stderr)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		fc, err := geojson.UnmarshalFeatureCollection(b)
		if err != nil {
			t.Fatalf("%s: %v", out, err)
		}
		var a []float64
		for i, f := range fc.Features {
			g := polygonOf(t, f.Geometry)
			if !g.IsValid() {
				t.Errorf("%s feature %d: invalid: %s", name, i, g.IsValidReason())
			}
			if !g.Contains(geos.NewPointFromXY(lon, lat)) {
				t.Errorf("%s feature %d: origin outside", name, i)
			}
			a = append(a, g.Area())
		}
		if len(a) != 2 || !(a[0] > 0 && a[1] > a[0]) {
			t.Fatalf("%s: areas %v, want 2 growing", name, a)
		}
		return a
	}
	crow, street := areas("crow.geojson"), areas("streets.geojson", "--osm", osm)
	for i := range crow {
		if !(street[i] < crow[i]) {
			t.Errorf("cutoff %d: street polygons %g deg², crow-fly disks %g: want smaller", i, street[i], crow[i])
		}
	}
	t.Logf("areas (deg²): crow-fly %v, streets %v", crow, street)
}
