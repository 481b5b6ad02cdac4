package isochrone

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb/geo"

	"github.com/vingt/vingt/streets"
)

// fixU is the great-circle length of 0.001° on the equator, the unit of the
// street fixture (streets/testdata/README.md).
const fixU = 6371000 * math.Pi / 180 * 0.001

// fixtureWalker walks the street fixture at one unit per 100 seconds, so
// that a cutoff of 100·k seconds walks k units.
func fixtureWalker(t *testing.T) *streets.Walker {
	t.Helper()
	g, err := streets.Load(context.Background(), "../streets/testdata/fixture.osm", streets.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := streets.NewWalker(g, fixU/100, 1.3)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// TestStreetPolygons draws, from home (1, 0.5) of the fixture, the streets
// reached within 4 units (400 s): 0.5 off the street to (1, 0), 3.5 left;
// West Street whole (x 0…4), North-West Street up to y = 2.5, the bridge to
// x = 4.5, the cul-de-sac down to y = −0.5. The bands are StreetWidth wide
// (25 m = 0.225 u each side, and round ends).
// With a stop at the shop (8, −0.5) reached at 200 s, the 200 s left walk
// 0.5 off and 1.5 along East Street (x 6.5…9.5); with maxWalk 100 s, only
// 0.5 along (x 7.5…8.5).
func TestStreetPolygons(t *testing.T) {
	w := fixtureWalker(t)
	home := [2]float64{0.0005, 0.001} // lat, lon
	shop := Reached{Lat: -0.0005, Lon: 0.008, Seconds: 200}
	type pt struct {
		x, y float64 // thousandths of a degree
		in   bool
		why  string
	}
	for _, c := range []struct {
		name    string
		reached []Reached
		maxWalk int32
		pts     []pt
	}{
		{"on foot", nil, 900, []pt{
			{1, 0.5, true, "home"},
			{1, 0.25, true, "home's walk to its street"},
			{0, 2.4, true, "North-West Street below 2.5"},
			{0, 2.9, false, "North-West Street 0.4 u past the cut"},
			{4.4, 0, true, "the bridge before 4.5"},
			{4.9, 0, false, "the bridge 0.4 u past the cut"},
			{4, -0.4, true, "the cul-de-sac above −0.5"},
			{4, -1, false, "the cul-de-sac 0.5 u below the cut"},
			{2, 0.2, true, "22 m beside West Street"},
			{2, 0.3, false, "33 m beside West Street: inside a disk, not a street"},
			{8, 0, false, "East Street, across the river"},
		}},
		{"a stop, maxWalk 100 s", []Reached{shop}, 100, []pt{
			{8, -0.5, true, "the stop"},
			{8.3, 0, true, "East Street within 0.5 u"},
			{8.8, 0, false, "East Street 0.3 u past the cut"},
			{7.2, 0, false, "East Street 0.3 u before the cut"},
		}},
		{"a stop, maxWalk 900 s", []Reached{shop}, 900, []pt{
			{9.4, 0, true, "East Street within 1.5 u"},
			{6.6, 0, true, "East Street within 1.5 u west"},
			{10, 0.5, false, "North-East Street: D is 2.5 u away"},
		}},
		{"a stop reached after the cutoff", []Reached{{Lat: shop.Lat, Lon: shop.Lon, Seconds: 400}}, 900, []pt{
			{8, -0.5, false, "the stop"},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			polys, err := StreetPolygons(home[0], home[1], c.reached, []int32{400}, c.maxWalk, w)
			if err != nil {
				t.Fatal(err)
			}
			g := polyGEOS(t, polys[0])
			if !g.IsValid() {
				t.Fatalf("invalid: %s", g.IsValidReason())
			}
			for _, p := range c.pts {
				if got := polyContains(t, g, p.y/1000, p.x/1000); got != p.in {
					t.Errorf("(%g, %g) %s: inside %v, want %v", p.x, p.y, p.why, got, p.in)
				}
			}
			// never more than the crow-fly disks of Polygons (radius
			// speed × seconds, detour 1) grown by the band's half width
			disks, err := Polygons(home[0], home[1], c.reached, []int32{400}, c.maxWalk, w)
			if err != nil {
				t.Fatal(err)
			}
			grown := polyGEOS(t, disks[0]).Buffer(StreetWidth/2/fixU/1000*1.01, 16)
			if !grown.Contains(g) {
				t.Error("the street polygon reaches beyond the disks grown by StreetWidth/2")
			}
		})
	}
}

// TestStreetPolygonsFallback: an origin farther than the link radius from
// every street (the dropped island) gets the crow-fly disk of the
// walker's fallback, radius 400 s × speed / 1.3; a cutoff of 0 draws
// nothing.
func TestStreetPolygonsFallback(t *testing.T) {
	w := fixtureWalker(t)
	polys, err := StreetPolygons(0.0205, 0.021, nil, []int32{400, 0}, 900, w)
	if err != nil {
		t.Fatal(err)
	}
	r := 4 * fixU / 1.3
	// orb's geo.Area uses the equatorial radius, 6,378,137 m
	want := math.Pi * r * r * math.Pow(6378137.0/6371000, 2)
	if a := geo.Area(polys[0]); math.Abs(a-want) > 0.01*want {
		t.Errorf("fallback disk area %.0f m², want %.0f", a, want)
	}
	if len(polys[1]) != 0 {
		t.Errorf("cutoff 0: %d polygons, want none", len(polys[1]))
	}
}

func TestStreetPolygonsErrors(t *testing.T) {
	w := fixtureWalker(t)
	for _, c := range []struct {
		name     string
		lat, lon float64
		reached  []Reached
		maxWalk  int32
		w        *streets.Walker
	}{
		{"no walker", 0, 0, nil, 900, nil},
		{"negative max walk", 0, 0, nil, -1, w},
		{"bad origin", 91, 0, nil, 900, w},
		{"bad place", 0, 0, []Reached{{Lat: math.NaN(), Lon: 0, Seconds: 1}}, 900, w},
	} {
		if _, err := StreetPolygons(c.lat, c.lon, c.reached, []int32{600}, c.maxWalk, c.w); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}

func TestStreetPolygonsPoleAntimeridian(t *testing.T) {
	w := fixtureWalker(t)
	// Far from the fixture's streets: crow-fly disks, cut at the
	// antimeridian like those of Polygons (2,400 s: 2,050 m around the
	// origin, 1.1 km from the antimeridian).
	polys, err := StreetPolygons(0, 179.99, []Reached{{Lat: 0, Lon: -179.99, Seconds: 300}}, []int32{2400}, 900, w)
	if err != nil {
		t.Fatal(err)
	}
	g := polyLonsWithin(t, polys[0])
	for _, q := range [][2]float64{{0, 179.99}, {0, 179.9995}, {0, -179.9995}, {0, -179.99}} {
		if !polyContains(t, g, q[0], q[1]) {
			t.Errorf("%v outside", q)
		}
	}
	_, err = StreetPolygons(89.9, 0, nil, []int32{3600}, 900, w)
	if err == nil || !strings.Contains(err.Error(), "origin 89.9,0") || !strings.Contains(err.Error(), "north pole") {
		t.Errorf("origin 89.9,0 for an hour: error %v, want one naming the origin and the north pole", err)
	}
}
