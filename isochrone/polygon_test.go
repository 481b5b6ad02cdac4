package isochrone

import (
	"fmt"
	"github.com/paulmach/orb/geo"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/twpayne/go-geos"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/internal/testutil"
	"github.com/vingt/vingt/router"
)

// Origin of the synthetic tests: Périgueux cathedral.
const polyLat, polyLon = 45.1837, 0.7218

// polyOffset returns the point d metres from lat, lon at bearing deg
// (clockwise from north) on the sphere of Distance.
func polyOffset(lat, lon, d, deg float64) (float64, float64) {
	phi1, l1 := lat*math.Pi/180, lon*math.Pi/180
	th, dr := deg*math.Pi/180, d/earthRadius
	phi2 := math.Asin(math.Sin(phi1)*math.Cos(dr) + math.Cos(phi1)*math.Sin(dr)*math.Cos(th))
	l2 := l1 + math.Atan2(math.Sin(th)*math.Sin(dr)*math.Cos(phi1), math.Cos(dr)-math.Sin(phi1)*math.Sin(phi2))
	return phi2 * 180 / math.Pi, l2 * 180 / math.Pi
}

func polyGEOS(t *testing.T, g orb.Geometry) *geos.Geom {
	t.Helper()
	b, err := wkb.Marshal(g)
	if err != nil {
		t.Fatal(err)
	}
	x, err := geos.NewGeomFromWKB(b)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func polyContains(t *testing.T, g *geos.Geom, lat, lon float64) bool {
	t.Helper()
	return g.Contains(geos.NewPointFromXY(lon, lat))
}

func TestAEQDRoundTrip(t *testing.T) {
	p := newAEQD(polyLat, polyLon)
	for _, c := range []struct{ d, deg float64 }{{0, 0}, {1, 0}, {500, 45}, {3000, 90}, {20000, 200}, {80000, 315}} {
		lat, lon := polyOffset(polyLat, polyLon, c.d, c.deg)
		x, y := p.forward(lat, lon)
		if got := math.Hypot(x, y); math.Abs(got-c.d) > 1e-6*max(1, c.d) {
			t.Errorf("%v m at %v°: projected %v m from the centre", c.d, c.deg, got)
		}
		la, lo := p.inverse(x, y)
		if math.Abs(la-lat) > 1e-9 || math.Abs(lo-lon) > 1e-9 {
			t.Errorf("%v m at %v°: %v,%v came back as %v,%v", c.d, c.deg, lat, lon, la, lo)
		}
	}
}

func TestPolygonsGrowWithCutoff(t *testing.T) {
	var reached []Reached
	// A line of stops eastwards, reached later the farther they are, and
	// one reached past every cutoff.
	for i := 1; i <= 10; i++ {
		lat, lon := polyOffset(polyLat, polyLon, float64(i)*1500, 90)
		reached = append(reached, Reached{Lat: lat, Lon: lon, Seconds: int32(i) * 180})
	}
	lat, lon := polyOffset(polyLat, polyLon, 30000, 0)
	reached = append(reached, Reached{Lat: lat, Lon: lon, Seconds: 4000})
	cutoffs := []int32{300, 600, 1200, 1800, 3600}
	polys, err := Polygons(polyLat, polyLon, reached, cutoffs, router.DefaultParams().MaxWalk, router.DefaultParams().Walk())
	if err != nil {
		t.Fatal(err)
	}
	if len(polys) != len(cutoffs) {
		t.Fatalf("%d polygons for %d cutoffs", len(polys), len(cutoffs))
	}
	prev := 0.0
	for i, mp := range polys {
		g := polyGEOS(t, mp)
		if !g.IsValid() {
			t.Errorf("cutoff %d s: invalid: %s", cutoffs[i], g.IsValidReason())
		}
		if !polyContains(t, g, polyLat, polyLon) {
			t.Errorf("cutoff %d s: origin outside", cutoffs[i])
		}
		if polyContains(t, g, lat, lon) {
			t.Errorf("cutoff %d s: holds the stop reached in 4000 s", cutoffs[i])
		}
		a := g.Area()
		if !(a > prev) {
			t.Errorf("cutoff %d s: area %g deg², not above %g of the smaller cutoff", cutoffs[i], a, prev)
		}
		prev = a
	}
}

func TestPolygonsRadius(t *testing.T) {
	p := router.DefaultParams() // 1.3 m/s over a detour of 1.3: 1 m per second
	stopLat, stopLon := polyOffset(polyLat, polyLon, 5000, 90)
	reached := []Reached{{Lat: stopLat, Lon: stopLon, Seconds: 600}}
	polys, err := Polygons(polyLat, polyLon, reached, []int32{1200}, p.MaxWalk, p.Walk())
	if err != nil {
		t.Fatal(err)
	}
	g := polyGEOS(t, polys[0])
	if n := g.NumGeometries(); n != 2 {
		t.Errorf("%d polygons, want 2 (origin and stop 5 km apart)", n)
	}
	for _, c := range []struct {
		name     string
		lat, lon float64
		d, deg   float64
		want     bool
	}{
		// Walking alone is capped by the cutoff, not by MaxWalk (900 s):
		// 1,200 m.
		{"origin, 1190 m north", polyLat, polyLon, 1190, 0, true},
		{"origin, 1210 m north", polyLat, polyLon, 1210, 0, false},
		{"origin, 1190 m south-west", polyLat, polyLon, 1190, 225, true},
		{"origin, 1210 m south-west", polyLat, polyLon, 1210, 225, false},
		// The stop leaves 600 s of walking: 600 m.
		{"stop", stopLat, stopLon, 0, 0, true},
		{"stop, 590 m north", stopLat, stopLon, 590, 0, true},
		{"stop, 610 m north", stopLat, stopLon, 610, 0, false},
		{"stop, 590 m east", stopLat, stopLon, 590, 90, true},
		{"stop, 610 m east", stopLat, stopLon, 610, 90, false},
		{"between", polyLat, polyLon, 2500, 90, false},
	} {
		lat, lon := polyOffset(c.lat, c.lon, c.d, c.deg)
		if got := polyContains(t, g, lat, lon); got != c.want {
			t.Errorf("%s: inside = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestPolygonsCases(t *testing.T) {
	near := func(d float64, sec int32) Reached {
		lat, lon := polyOffset(polyLat, polyLon, d, 30)
		return Reached{Lat: lat, Lon: lon, Seconds: sec}
	}
	for _, c := range []struct {
		name    string
		reached []Reached
		cutoff  int32
		params  func(*router.Params)
		parts   int // polygons expected; 0 = empty
	}{
		{"zero cutoff", nil, 0, nil, 0},
		{"negative cutoff", nil, -60, nil, 0},
		{"origin only", nil, 600, nil, 1},
		{"no walk to or from transit still walks alone", nil, 600, func(p *router.Params) { p.MaxWalk = 0 }, 1},
		{"no walk to or from transit: a reached stop adds nothing", []Reached{near(3000, 100)}, 600, func(p *router.Params) { p.MaxWalk = 0 }, 1},
		{"overlapping disks merge", []Reached{near(800, 100)}, 600, nil, 1},
		{"far stop apart", []Reached{near(3000, 100)}, 600, nil, 2},
		{"stop reached at the cutoff adds nothing", []Reached{near(3000, 600)}, 600, nil, 1},
		{"stop reached past the cutoff adds nothing", []Reached{near(3000, 700)}, 600, nil, 1},
		{"two far stops", []Reached{near(3000, 100), near(6000, 100)}, 600, nil, 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := router.DefaultParams()
			if c.params != nil {
				c.params(&p)
			}
			polys, err := Polygons(polyLat, polyLon, c.reached, []int32{c.cutoff}, p.MaxWalk, p.Walk())
			if err != nil {
				t.Fatal(err)
			}
			if got := len(polys[0]); got != c.parts {
				t.Fatalf("%d polygons, want %d", got, c.parts)
			}
			if c.parts == 0 {
				return
			}
			g := polyGEOS(t, polys[0])
			if !g.IsValid() {
				t.Errorf("invalid: %s", g.IsValidReason())
			}
			if !polyContains(t, g, polyLat, polyLon) {
				t.Error("origin outside")
			}
		})
	}
}

func TestPolygonsManyStopsValid(t *testing.T) {
	// A dense grid of stops with scattered times: many overlapping and
	// touching disks, the hard case for a union.
	var reached []Reached
	for i := range 30 {
		for j := range 30 {
			lat := polyLat + float64(i-15)*0.004
			lon := polyLon + float64(j-15)*0.006
			reached = append(reached, Reached{Lat: lat, Lon: lon, Seconds: int32((i*7 + j*13) % 40 * 60)})
		}
	}
	polys, err := Polygons(polyLat, polyLon, reached, []int32{600, 1200, 2400}, router.DefaultParams().MaxWalk, router.DefaultParams().Walk())
	if err != nil {
		t.Fatal(err)
	}
	prev := 0.0
	for i, mp := range polys {
		g := polyGEOS(t, mp)
		if !g.IsValid() {
			t.Errorf("cutoff %d: invalid: %s", i, g.IsValidReason())
		}
		if a := g.Area(); a <= prev {
			t.Errorf("cutoff %d: area %g not above %g", i, a, prev)
		} else {
			prev = a
		}
	}
}

func TestPolygonsErrors(t *testing.T) {
	bad := router.DefaultParams()
	bad.MaxWalk = -1
	for _, c := range []struct {
		name     string
		lat, lon float64
		reached  []Reached
		p        router.Params
	}{
		{"origin latitude", 95, 0, nil, router.DefaultParams()},
		{"origin NaN", math.NaN(), 0, nil, router.DefaultParams()},
		{"place longitude", polyLat, polyLon, []Reached{{Lat: 45, Lon: 200, Seconds: 10}}, router.DefaultParams()},
		{"params", polyLat, polyLon, nil, bad},
	} {
		if _, err := Polygons(c.lat, c.lon, c.reached, []int32{600}, c.p.MaxWalk, c.p.Walk()); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}

// polyReached returns the stops reached leaving at dep from a point of a
// real feed, with their travel times (by a ride, or on foot alone).
func polyReached(b *testing.B, rel, date string, lat, lon float64, dep int32) []Reached {
	b.Helper()
	f, err := gtfs.Open(testutil.SharedData(b, rel))
	if err != nil {
		b.Fatal(err)
	}
	d, err := gtfs.ParseDate(date)
	if err != nil {
		b.Fatal(err)
	}
	tt, err := router.Compile([]*gtfs.Feed{f}, d, router.DefaultParams())
	if err != nil {
		b.Fatal(err)
	}
	access := tt.StopsNear(lat, lon, 900, nil)
	walk := map[int32]int32{}
	for _, a := range access {
		walk[a.Stop] = a.Seconds
	}
	var out []Reached
	for s, a := range router.NewRouter(tt).Query(access, dep) {
		t := a - dep
		if a == router.Unreached {
			t = router.Unreached
		}
		if w, ok := walk[int32(s)]; ok {
			t = min(t, w)
		}
		if st := tt.Stop(int32(s)); t != router.Unreached && st.HasCoords {
			out = append(out, Reached{Lat: st.Lat, Lon: st.Lon, Seconds: t})
		}
	}
	return out
}

// BenchmarkPolygons draws the 10, 20, 30 and 60-minute isochrones of a
// one-to-all search leaving at 08:00 (Péribus, from the centre of
// Périgueux) or 14:00 (Porto Alegre's buses, from the centre).
func BenchmarkPolygons(b *testing.B) {
	for _, c := range []struct {
		name, rel, date string
		lat, lon        float64
		dep             int32
	}{
		{"perigueux", "perigueux/peribus-gtfs.zip", "2026-01-13", 45.1842, 0.7214, 8 * 3600},
		{"porto-alegre", "porto-alegre/poa_eptc.zip", "2019-05-13", -30.0277, -51.2287, 14 * 3600},
	} {
		b.Run(c.name, func(b *testing.B) {
			reached := polyReached(b, c.rel, c.date, c.lat, c.lon, c.dep)
			cutoffs := []int32{600, 1200, 1800, 3600}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Polygons(c.lat, c.lon, reached, cutoffs, router.DefaultParams().MaxWalk, router.DefaultParams().Walk()); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(reached)), "stops")
		})
	}
}

// polyLonsWithin fails unless every longitude of mp lies within
// [-180, 180] and mp is valid for GEOS.
func polyLonsWithin(t *testing.T, mp orb.MultiPolygon) *geos.Geom {
	t.Helper()
	for _, poly := range mp {
		for _, ring := range poly {
			for _, pt := range ring {
				if pt[0] < -180 || pt[0] > 180 || pt[1] < -90 || pt[1] > 90 {
					t.Fatalf("vertex %v out of range", pt)
				}
			}
		}
	}
	g := polyGEOS(t, mp)
	if !g.IsValid() {
		t.Fatalf("invalid: %s", g.IsValidReason())
	}
	return g
}

func TestPolygonsAntimeridian(t *testing.T) {
	p := router.DefaultParams() // 1 m per second of walk
	for _, c := range []struct {
		name     string
		lat, lon float64 // origin
		stopLon  float64 // a stop across the antimeridian, reached in 300 s
		in, out  [][2]float64
	}{
		{"east of 179.99", 0, 179.99, -179.99,
			[][2]float64{{0, 179.99}, {0, 179.9999}, {0, -179.9999}, {0, -179.99}, {0.005, -179.99}},
			[][2]float64{{0, 179.97}, {0, -179.97}, {0, 0}}},
		{"west of -179.99", 45, -179.99, 179.99,
			[][2]float64{{45, -179.99}, {45, -179.9999}, {45, 179.9999}, {45, 179.99}},
			[][2]float64{{45, -179.95}, {45, 179.95}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			reached := []Reached{{Lat: c.lat, Lon: c.stopLon, Seconds: 300}}
			polys, err := Polygons(c.lat, c.lon, reached, []int32{1200, 120}, p.MaxWalk, p.Walk())
			if err != nil {
				t.Fatal(err)
			}
			g := polyLonsWithin(t, polys[0])
			if g.NumGeometries() < 2 {
				t.Errorf("%d polygons, want the shape cut in two at least", g.NumGeometries())
			}
			for _, q := range c.in {
				if !polyContains(t, g, q[0], q[1]) {
					t.Errorf("%v outside", q)
				}
			}
			for _, q := range c.out {
				if polyContains(t, g, q[0], q[1]) {
					t.Errorf("%v inside", q)
				}
			}
			// Nothing lost or counted twice by the cut: the two disks
			// (1,200 m around the origin, 900 m around the stop) overlap
			// by a known lens; compare with the same shape away from
			// the antimeridian.
			shift := func(lon float64) float64 { return math.Remainder(lon+180, 360) }
			ref, err := Polygons(c.lat, shift(c.lon), []Reached{{Lat: c.lat, Lon: shift(c.stopLon), Seconds: 300}}, []int32{1200}, p.MaxWalk, p.Walk())
			if err != nil {
				t.Fatal(err)
			}
			if a, want := geo.Area(polys[0]), geo.Area(ref[0]); math.Abs(a-want) > 1e-4*want {
				t.Errorf("area %.0f m², want %.0f as away from the antimeridian", a, want)
			}
			// The small cutoff stays on one side, uncut.
			if g := polyLonsWithin(t, polys[1]); g.NumGeometries() != 1 {
				t.Errorf("cutoff 120: %d polygons, want 1", g.NumGeometries())
			}
		})
	}
}

func TestPolygonsPole(t *testing.T) {
	p := router.DefaultParams()
	for _, c := range []struct {
		name     string
		lat, lon float64
		reached  []Reached
		cutoff   int32
		pole     string // "" when drawn
	}{
		{"89.9 north, an hour", 89.9, 0, nil, 3600, "north"},
		{"-89.9 south, an hour", -89.9, 120, nil, 3600, "south"},
		{"a stop reached near the pole", 89.5, 10, []Reached{{Lat: 89.95, Lon: 170, Seconds: 600}}, 1200, "north"},
		{"89.9 north, 5 minutes", 89.9, 0, nil, 300, ""},
		{"a stop near the pole reached too late", 89.5, 10, []Reached{{Lat: 89.95, Lon: 170, Seconds: 1300}}, 1200, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			polys, err := Polygons(c.lat, c.lon, c.reached, []int32{c.cutoff}, p.MaxWalk, p.Walk())
			if c.pole == "" {
				if err != nil {
					t.Fatal(err)
				}
				polyLonsWithin(t, polys[0])
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, want := range []string{fmt.Sprintf("origin %v,%v", c.lat, c.lon), c.pole + " pole"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
		})
	}
}
