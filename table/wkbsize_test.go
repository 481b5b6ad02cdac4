package table

import (
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// TestWKBSize checks the size used to reserve the geometry column against
// the WKB encoder, for every orb type.
func TestWKBSize(t *testing.T) {
	p := orb.Point{1, 2}
	ring := orb.Ring{{0, 0}, {1, 0}, {1, 1}, {0, 0}}
	poly := orb.Polygon{ring, ring}
	for _, g := range []orb.Geometry{
		p, orb.MultiPoint{p, p, p}, orb.MultiPoint{}, orb.LineString{p, p},
		orb.MultiLineString{{p, p}, {p}}, ring, poly, orb.Polygon{},
		orb.MultiPolygon{poly, {ring}}, orb.MultiPolygon{},
		orb.Collection{p, poly, orb.Collection{orb.LineString{p}}},
		orb.Bound{Min: p, Max: orb.Point{3, 4}},
	} {
		b, err := wkb.Marshal(g)
		if err != nil {
			t.Fatal(err)
		}
		if got := wkbSize(g); got != len(b) {
			t.Errorf("%T %v: wkbSize %d, WKB has %d bytes", g, g, got, len(b))
		}
	}
}
