package streets

import (
	"context"
	"math"
	"runtime/debug"
	"slices"
	"testing"
)

// checkGraph checks what the compact layout relies on: the shape
// offsets count every edge's ends, stored only as its vertices, and the
// points between them in order; an edge's length is the sum of its shape's
// segments; each edge is an arc of both its ends, in edge order; the edges
// from islandFrom on, and only those, lie in components of fewer than
// IslandVertices vertices other than the largest; the link grid lists
// every edge in each cell that one of its segments' boxes touches.
func checkGraph(t *testing.T, g *Graph) {
	t.Helper()
	n := g.Vertices()
	if len(g.vlat) != n || len(g.vlon) != n || len(g.shapeOff) != len(g.edge)+1 || g.shapePoints() != len(g.slat)+2*len(g.edge) || len(g.slat) != len(g.slon) {
		t.Fatalf("%d vertices (%d/%d coordinates), %d edges, %d shape offsets, %d shape points, %d/%d stored",
			n, len(g.vlat), len(g.vlon), len(g.edge), len(g.shapeOff), g.shapePoints(), len(g.slat), len(g.slon))
	}
	seen := make([]int, n) // arcs of each vertex met so far, in edge order
	stored := 0
	for e, ed := range g.edge {
		e := int32(e)
		a, b := g.shapeOff[e], g.shapeOff[e+1]
		if b-a < 2 || ed.u < 0 || ed.v < 0 || int(ed.u) >= n || int(ed.v) >= n {
			t.Fatalf("edge %d: %+v, shape %d…%d", e, ed, a, b)
		}
		if lat, lon := g.point(e, a); lat != g.vlat[ed.u] || lon != g.vlon[ed.u] {
			t.Fatalf("edge %d: first point %d,%d, u at %d,%d", e, lat, lon, g.vlat[ed.u], g.vlon[ed.u])
		}
		if lat, lon := g.point(e, b-1); lat != g.vlat[ed.v] || lon != g.vlon[ed.v] {
			t.Fatalf("edge %d: last point %d,%d, v at %d,%d", e, lat, lon, g.vlat[ed.v], g.vlon[ed.v])
		}
		var m float64
		for i := a; i+1 < b; i++ {
			if i > a {
				if lat, lon := g.point(e, i); lat != g.slat[stored] || lon != g.slon[stored] {
					t.Fatalf("edge %d: point %d not stored at %d", e, i, stored)
				}
				stored++
			}
			alat, alon := g.point(e, i)
			blat, blon := g.point(e, i+1)
			m += fixDist(alat, alon, blat, blon)
		}
		if float32(m) != ed.len {
			t.Fatalf("edge %d: length %v, shape %v", e, ed.len, float32(m))
		}
		for _, w := range [2][2]int32{{ed.u, ed.v}, {ed.v, ed.u}} {
			v := w[0]
			if a := g.arc[int(g.off[v])+seen[v]]; a != (arc{w[1], ed.len}) {
				t.Fatalf("edge %d: arc %d of vertex %d is %+v", e, seen[v], v, a)
			}
			seen[v]++
		}
		for i := a; i+1 < b; i++ {
			x0, y0 := g.grid.cell(g.point(e, i))
			x1, y1 := g.grid.cell(g.point(e, i+1))
			for y := min(y0, y1); y <= max(y0, y1); y++ {
				for x := min(x0, x1); x <= max(x0, x1); x++ {
					c := y*g.grid.nx + x
					if !slices.Contains(g.grid.seg[g.grid.off[c]:g.grid.off[c+1]], e) {
						t.Fatalf("edge %d, segment %d: not listed in cell %d,%d", e, i, x, y)
					}
				}
			}
		}
	}
	if stored != len(g.slat) {
		t.Fatalf("%d points between the ends, %d stored", stored, len(g.slat))
	}
	for v := range n {
		if seen[v] == 0 || int(g.off[v+1]-g.off[v]) != seen[v] {
			t.Fatalf("vertex %d: %d arcs, %d edges", v, g.off[v+1]-g.off[v], seen[v])
		}
	}
	comp, _ := g.components()
	size := map[int32]int{}
	for _, c := range comp {
		size[c]++
	}
	largest := comp[g.edge[0].u] // the main edges come first
	for e, ed := range g.edge {
		if isle := g.shapeOff[e] >= g.islandFrom; isle != (comp[ed.u] != largest && size[comp[ed.u]] < IslandVertices) {
			t.Fatalf("edge %d: from shape point %d (islands from %d), component of %d vertices", e, g.shapeOff[e], g.islandFrom, size[comp[ed.u]])
		}
	}
}

// TestGraphLayout checks the layout of graphs whose load dropped
// components and kept islands (the subgraph made in place), of the real
// extracts and of a clipped synthetic town.
func TestGraphLayout(t *testing.T) {
	for _, keep := range [][]Point{{{0.0007, 0.003}, {0.0103, 0.003}, {0.0019, 0.003}}, {{0.0007, 0.003}, {0.0103, 0.003}, {0.0019, 0.003}, {0.0035, 0.003}}} {
		g, err := Load(context.Background(), "testdata/islands.osm", Options{Keep: keep})
		if err != nil {
			t.Fatal(err)
		}
		if g.Stats().IslandsKept == 0 || g.Stats().ComponentsDropped+g.Stats().IslandsKept == 0 {
			t.Fatalf("no island kept: %+v", g.Stats())
		}
		checkGraph(t, g)
	}
	for _, rel := range []string{"porto-alegre/poa_osm.pbf", "sao-paulo/spo_osm.pbf"} {
		t.Run(rel, func(t *testing.T) {
			g, err := Load(context.Background(), realData(t, rel), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if g.Stats().ComponentsDropped == 0 {
				t.Fatalf("nothing dropped: %+v", g.Stats())
			}
			checkGraph(t, g)
		})
	}
}

// TestLinkBruteForce checks that Link, which scans the edges the grid lists
// around a point, picks exactly the segment a scan of every segment picks
// (the nearest in Link's projection, the first of equals), for the
// hexagon centres of Porto Alegre and points around them.
func TestLinkBruteForce(t *testing.T) {
	g, err := Load(context.Background(), realData(t, "porto-alegre/poa_osm.pbf"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := g.LinkRadius()
	linked := 0
	for k, p := range hexCentres(t, realData(t, "porto-alegre/poa_hexgrid.csv")) {
		for _, q := range []Point{p, {p.Lat + float64(k%7-3)*1e-4, p.Lon + float64(k%5-2)*1e-4}} {
			kx := math.Cos(q.Lat*math.Pi/180) * degM
			best, bestT, bestI := math.Inf(1), 0.0, int32(-1)
			for e := range g.edge {
				for i := g.shapeOff[e]; i+1 < g.shapeOff[e+1]; i++ {
					alat, alon := g.point(int32(e), i)
					blat, blon := g.point(int32(e), i+1)
					tt, d2 := project((float64(alon)/fixScale-q.Lon)*kx, (float64(alat)/fixScale-q.Lat)*degM,
						(float64(blon)/fixScale-q.Lon)*kx, (float64(blat)/fixScale-q.Lat)*degM)
					if d2 < best {
						best, bestT, bestI = d2, tt, i
					}
				}
			}
			l, ok := g.Link(q.Lat, q.Lon, 0)
			want := g.linkAt(bestI, bestT, q.Lat, q.Lon)
			wantOK := best <= r*r*1.01 && float64(want.Off) <= r
			if ok != wantOK || (ok && l != want) {
				t.Fatalf("point %v: Link %+v %v, brute force %+v %v", q, l, ok, want, wantOK)
			}
			if ok {
				linked++
			}
		}
	}
	if linked < 1000 {
		t.Fatalf("only %d points linked", linked)
	}
}

// TestLowerGC checks that loads lower the GC percentage while any runs,
// restore the program's after the last, and keep a lower one.
func TestLowerGC(t *testing.T) {
	old := debug.SetGCPercent(100)
	defer debug.SetGCPercent(old)
	r1 := lowerGC()
	r2 := lowerGC()
	r1()
	if got := debug.SetGCPercent(LoadGCPercent); got != LoadGCPercent {
		t.Fatalf("one load still running: GC percentage %d, want %d", got, LoadGCPercent)
	}
	r2()
	if got := debug.SetGCPercent(5); got != 100 {
		t.Fatalf("after the loads: GC percentage %d, want the program's 100", got)
	}
	r3 := lowerGC()
	if got := debug.SetGCPercent(5); got != 5 {
		t.Fatalf("a program at 5: a load set %d", got)
	}
	r3()
}
