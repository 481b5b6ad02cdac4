package coverage

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
	"github.com/twpayne/go-geos"

	"github.com/vingt/vingt/internal/testutil"
)

// geosWhere is the oracle: territory i's prepared GEOS geometry asked
// Contains, then Covers.
func geosWhere(l *Level, i int, lon, lat float64) location {
	pt := l.gctx.NewPointFromXY(lon, lat)
	switch {
	case l.prepared[i].Contains(pt):
		return interior
	case l.prepared[i].Covers(pt):
		return boundary
	}
	return exterior
}

// probes returns points that test a locator hard, for territory t: its
// vertices, the midpoints of its segments (on them or a rounding off),
// points at a vertex's latitude (the ray through a vertex) east and west
// of it, points on the lines of horizontal and vertical edges past their
// ends, and random points in its box.
func probes(rng *rand.Rand, t orb.MultiPolygon, random int) []orb.Point {
	var ps []orb.Point
	b := t.Bound()
	for _, p := range t {
		for _, r := range p {
			for i := range r {
				v := r[i]
				ps = append(ps, v, orb.Point{v[0] + 1e-9, v[1]}, orb.Point{v[0] - 1e-9, v[1]}, orb.Point{(v[0] + b.Max[0]) / 2, v[1]}, orb.Point{v[0], v[1] + 1e-12})
				if i > 0 {
					a := r[i-1]
					ps = append(ps, orb.Point{(a[0] + v[0]) / 2, (a[1] + v[1]) / 2})
					if a[1] == v[1] || a[0] == v[0] {
						ps = append(ps, orb.Point{2*v[0] - a[0], 2*v[1] - a[1]})
					}
				}
			}
		}
	}
	for range random {
		ps = append(ps, orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])})
	}
	return ps
}

// checkLevel compares, for every territory of lv and every probe, the
// locator with GEOS, and returns the counts per location.
func checkLevel(t *testing.T, lv *Level, rng *rand.Rand, random, maxProbes int) [3]int {
	t.Helper()
	var seen [3]int
	for i, tr := range lv.Territories {
		if lv.loc[i] == nil {
			t.Fatalf("%s: territory %s has no locator", lv.Path, tr.Code)
		}
		ps := probes(rng, tr.Geometry, random)
		rng.Shuffle(len(ps), func(a, b int) { ps[a], ps[b] = ps[b], ps[a] })
		if len(ps) > maxProbes {
			ps = ps[:maxProbes]
		}
		for _, p := range ps {
			got, want := lv.loc[i].locate(p[0], p[1]), geosWhere(lv, i, p[0], p[1])
			if got != want {
				t.Fatalf("%s: territory %s, point %v: located %d, GEOS %d", lv.Path, tr.Code, p, got, want)
			}
			seen[got]++
		}
	}
	return seen
}

// TestAreaLocatorMatchesGEOS checks the locator against GEOS's prepared
// geometries on hand-made shapes (a rectangle, which GEOS answers apart,
// holes, a multipolygon, horizontal and vertical edges, collinear
// vertices, a spike) and on real territories: every location must agree,
// and each of interior, boundary and exterior must occur.
func TestAreaLocatorMatchesGEOS(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	sq := func(x0, y0, x1, y1 float64) orb.Ring {
		return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
	}
	hole := sq(0.25, 0.25, 0.5, 0.5)
	hole.Reverse()
	shapes := []orb.MultiPolygon{
		{{sq(0, 0, 1, 1)}},
		{{sq(0, 0, 1, 1), hole}},
		{{sq(0, 0, 1, 1)}, {sq(2, 0, 3, 2)}},
		{{{{0, 0}, {0.5, 0}, {1, 0}, {1, 0.5}, {0.6, 0.5}, {0.6, 1}, {0, 1}, {0, 0}}}},
		{{{{0, 0}, {2, 0}, {1, 3}, {0.9, 1}, {0, 0}}}},
		{{{{-51.2, -30.1}, {-51.1, -30.05}, {-51.15, -30.0}, {-51.17, -30.05}, {-51.2, -30.1}}}},
	}
	lv := &Level{Name: "shapes", Path: "mem"}
	for i, s := range shapes {
		lv.Territories = append(lv.Territories, Territory{Code: string(rune('a' + i)), Geometry: s})
	}
	if err := lv.prepare(); err != nil {
		t.Fatal(err)
	}
	total := checkLevel(t, lv, rng, 3000, 1<<30)

	paths := []string{filepath.Join("..", "testdata", "example", "zones.geojson"),
		filepath.Join("..", "testdata", "example", "municipio.geojson")}
	if !testing.Short() {
		paths = append(paths, testutil.SharedData(t, "dordogne/territories/communes-24-dordogne.geojson"),
			testutil.SharedData(t, "france/departements.geojson"))
	}
	for _, p := range paths {
		lv, err := ReadLevel("level", p, "", "")
		if err != nil {
			t.Fatal(err)
		}
		seen := checkLevel(t, lv, rng, 300, 3000)
		t.Logf("%s: %d territories; interior %d, boundary %d, exterior %d", filepath.Base(p), len(lv.Territories), seen[interior], seen[boundary], seen[exterior])
		for k := range total {
			total[k] += seen[k]
		}
	}
	if total[interior] == 0 || total[boundary] == 0 || total[exterior] == 0 {
		t.Fatalf("locations seen %v: a case never occurred", total)
	}
}

// TestOrientation checks the filtered orientation against the exact one
// on points near segments' lines, where the filter must hand over, and
// that it does.
func TestOrientation(t *testing.T) {
	rng := rand.New(rand.NewPCG(43, 44))
	exact := 0
	for range 50000 {
		ax, ay := -51+rng.Float64(), -30+rng.Float64()
		bx, by := ax+rng.Float64()*0.01, ay+rng.Float64()*0.01
		f := rng.Float64()
		qx, qy := ax+f*(bx-ax), ay+f*(by-ay) // on the line, up to rounding
		if rng.IntN(4) == 0 {
			qx = math.Nextafter(qx, math.Inf(rng.IntN(2)*2-1))
		}
		got, want := orientation(ax, ay, bx, by, qx, qy), orientationExact(ax, ay, bx, by, qx, qy)
		if got != want {
			t.Fatalf("orientation(%v, %v, %v, %v, %v, %v) = %d, exactly %d", ax, ay, bx, by, qx, qy, got, want)
		}
		d := (ax-qx)*(by-qy) - (ay-qy)*(bx-qx)
		if s := math.Abs((ax-qx)*(by-qy)) + math.Abs((ay-qy)*(bx-qx)); !(math.Abs(d) >= 1e-15*s) {
			exact++
		}
	}
	if exact == 0 {
		t.Fatal("the exact arithmetic was never needed")
	}
	t.Logf("%d of 50,000 answered exactly", exact)
}

// BenchmarkLocate locates the x10 grid's points (12,270) in Porto Alegre's
// zones: the locator against GEOS's prepared geometries.
func BenchmarkLocate(b *testing.B) {
	lv, err := ReadLevel("zone", filepath.Join("..", "testdata", "example", "zones.geojson"), "", "")
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(45, 46))
	bd := lv.bounds[0]
	for _, x := range lv.bounds[1:] {
		bd = bd.Union(x)
	}
	pts := make([]orb.Point, 12270)
	for i := range pts {
		pts[i] = orb.Point{bd.Min[0] + rng.Float64()*(bd.Max[0]-bd.Min[0]), bd.Min[1] + rng.Float64()*(bd.Max[1]-bd.Min[1])}
	}
	b.Run("locator", func(b *testing.B) {
		for b.Loop() {
			for _, p := range pts {
				lv.locate2(p[0], p[1])
			}
		}
	})
	b.Run("geos", func(b *testing.B) {
		for b.Loop() {
			for _, p := range pts {
				var pt *geos.Geom
				for i, bb := range lv.bounds {
					if bb.Contains(p) {
						if pt == nil {
							pt = lv.gctx.NewPointFromXY(p[0], p[1])
						}
						if lv.prepared[i].Contains(pt) {
							break
						}
					}
				}
			}
		}
	})
}
