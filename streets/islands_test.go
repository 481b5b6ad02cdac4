package streets

import (
	"context"
	"math"
	"testing"

	"github.com/vingt/vingt/gtfs"
)

// TestIslands checks the island rule of Link on testdata/islands.osm
// (worked out in testdata/README.md): a point links to a small component
// only when no larger one lies within the link radius.
func TestIslands(t *testing.T) {
	pts := map[string]Point{
		"a": {0.0007, 0.003}, "b": {0.0103, 0.003}, "c": {0.0019, 0.003},
		"d": {0.0035, 0.003}, "e": {0.005, 0.003},
	}
	main := func(g *Graph, l Link) bool { return int(l.Edge) < g.Edges() && g.shapeOff[l.Edge] < g.islandFrom }
	for _, c := range []struct {
		name             string
		keep             []string
		dropped, islands int
		vertices, edges  int
		links            map[string]string // point → "main", "island" or "none"
		off              map[string]float64
	}{
		{"a b c kept", []string{"a", "b", "c"}, 1, 1, 6, 4,
			map[string]string{"a": "main", "b": "island", "c": "main", "d": "none", "e": "none"},
			map[string]float64{"a": 0.7 * u, "b": 0.3 * u, "c": 1.9 * u}},
		{"a b c d kept", []string{"a", "b", "c", "d"}, 0, 2, 8, 5,
			map[string]string{"a": "main", "b": "island", "c": "main", "d": "island", "e": "none"},
			map[string]float64{"a": 0.7 * u, "b": 0.3 * u, "c": 1.9 * u, "d": 2.5 * u}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var keep []Point
			for _, k := range c.keep {
				keep = append(keep, pts[k])
			}
			g, err := Load(context.Background(), "testdata/islands.osm", Options{Keep: keep})
			if err != nil {
				t.Fatal(err)
			}
			st := g.Stats()
			if st.Components != 3 || st.ComponentsDropped != c.dropped || st.IslandsKept != c.islands ||
				st.Vertices != c.vertices || st.Edges != c.edges || st.KeepLinked != len(c.keep) {
				t.Errorf("stats %+v, want 3 components, %d dropped, %d islands kept, %d vertices, %d edges, %d keep linked",
					st, c.dropped, c.islands, c.vertices, c.edges, len(c.keep))
			}
			for name, want := range c.links {
				p := pts[name]
				l, ok := g.Link(p.Lat, p.Lon, 0)
				got := "none"
				if ok {
					got = "island"
					if main(g, l) {
						got = "main"
					}
				}
				if got != want {
					t.Errorf("%s links to %s, want %s", name, got, want)
					continue
				}
				if w, ok := c.off[name]; ok && math.Abs(float64(l.Off)-w) > 0.01 {
					t.Errorf("%s: off-edge %.2f m, want %.2f", name, l.Off, w)
				}
			}
			// a to c along Main Street: 0.7 + 1.9 u
			la, _ := g.Link(pts["a"].Lat, pts["a"].Lon, 0)
			lc, _ := g.Link(pts["c"].Lat, pts["c"].Lon, 0)
			s := g.NewSearch()
			s.FromLinks([]Link{la}, nil, 1000)
			if d := s.To(lc); math.Abs(float64(d)-2.6*u) > 0.01 {
				t.Errorf("a → c %.2f m, want %.2f", d, 2.6*u)
			}
		})
	}
}

// TestHexCellsIslands loads Porto Alegre keeping the islands of its stops
// (as a run does) and checks by brute force, for every hexagon centre
// linked to an island, that no segment of the main components lies within
// the link radius, and for every centre linked to a main component that it
// is the nearest main segment.
func TestHexCellsIslands(t *testing.T) {
	if testing.Short() {
		t.Skip("real data: slow in -short")
	}
	f, err := gtfs.Open(realData(t, "porto-alegre/poa_eptc.zip"))
	if err != nil {
		t.Fatal(err)
	}
	var keep []Point
	for _, s := range f.Stops {
		if s.HasCoords {
			keep = append(keep, Point{s.Lat, s.Lon})
		}
	}
	g, err := Load(context.Background(), realData(t, "porto-alegre/poa_osm.pbf"), Options{Keep: keep})
	if err != nil {
		t.Fatal(err)
	}
	if g.Stats().IslandsKept == 0 {
		t.Fatalf("no island kept: the test checks nothing (%+v)", g.Stats())
	}
	// nearestMain is the squared projected distance to the nearest main
	// segment, by brute force, in Link's projection.
	nearestMain := func(lat, lon float64) float64 {
		kx := math.Cos(lat*math.Pi/180) * degM
		best := math.Inf(1)
		for e := range g.edge {
			for i := g.shapeOff[e]; i+1 < g.shapeOff[e+1] && i < g.islandFrom; i++ {
				alat, alon := g.point(int32(e), i)
				blat, blon := g.point(int32(e), i+1)
				ax := (float64(alon)/fixScale - lon) * kx
				ay := (float64(alat)/fixScale - lat) * degM
				bx := (float64(blon)/fixScale - lon) * kx
				by := (float64(blat)/fixScale - lat) * degM
				_, d2 := project(ax, ay, bx, by)
				best = min(best, d2)
			}
		}
		return best
	}
	r := g.LinkRadius()
	onIsland, onMain := 0, 0
	for _, p := range hexCentres(t, realData(t, "porto-alegre/poa_hexgrid.csv")) {
		l, ok := g.Link(p.Lat, p.Lon, 0)
		if !ok {
			continue
		}
		d2 := nearestMain(p.Lat, p.Lon)
		if g.shapeOff[l.Edge] >= g.islandFrom {
			onIsland++
			if d2 <= r*r {
				t.Errorf("cell %v linked to an island %.1f m away although a main street is %.1f m away", p, l.Off, math.Sqrt(d2))
			}
			continue
		}
		onMain++
		if math.Abs(float64(l.Off)-math.Sqrt(d2)) > 0.5 {
			t.Errorf("cell %v linked %.1f m away, the nearest main street is %.1f m", p, l.Off, math.Sqrt(d2))
		}
	}
	t.Logf("%d islands kept; hexagon centres linked: %d to the main components, %d to islands", g.Stats().IslandsKept, onMain, onIsland)
}
