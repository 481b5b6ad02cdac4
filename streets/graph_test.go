package streets

import (
	"context"
	"testing"
)

// checkGraph checks what the compact layout relies on: every edge's shape
// starts at the position of its u end and stops at that of its v end (the
// vertices have no coordinates of their own: Vertex reads them from the
// shape of their first arc's edge), its length is the sum of its shape's
// segments, each edge is an arc of both its ends, in edge order, and the
// edges from islandFrom on, and only those, lie in components of fewer than
// IslandVertices vertices other than the largest.
func checkGraph(t *testing.T, g *Graph) {
	t.Helper()
	n := g.Vertices()
	if len(g.shapeOff) != len(g.edge)+1 || int(g.shapeOff[len(g.edge)]) != len(g.slat) || len(g.slat) != len(g.slon) {
		t.Fatalf("%d edges, %d shape offsets, %d/%d shape points", len(g.edge), len(g.shapeOff), len(g.slat), len(g.slon))
	}
	at := func(v int32) [2]int32 {
		i := g.vertexPoint(v)
		return [2]int32{g.slat[i], g.slon[i]}
	}
	seen := make([]int, n) // arcs of each vertex met so far, in edge order
	for e, ed := range g.edge {
		a, b := g.shapeOff[e], g.shapeOff[e+1]
		if b-a < 2 || ed.u < 0 || ed.v < 0 || int(ed.u) >= n || int(ed.v) >= n {
			t.Fatalf("edge %d: %+v, shape %d…%d", e, ed, a, b)
		}
		if (at(ed.u) != [2]int32{g.slat[a], g.slon[a]}) || (at(ed.v) != [2]int32{g.slat[b-1], g.slon[b-1]}) {
			t.Fatalf("edge %d: shape ends %d,%d %d,%d, vertices at %v %v", e, g.slat[a], g.slon[a], g.slat[b-1], g.slon[b-1], at(ed.u), at(ed.v))
		}
		var m float64
		for i := a; i+1 < b; i++ {
			m += fixDist(g.slat[i], g.slon[i], g.slat[i+1], g.slon[i+1])
		}
		if float32(m) != ed.len {
			t.Fatalf("edge %d: length %v, shape %v", e, ed.len, float32(m))
		}
		for _, v := range []int32{ed.u, ed.v} {
			if g.arc[int(g.off[v])+seen[v]] != int32(e) {
				t.Fatalf("edge %d: not arc %d of vertex %d", e, seen[v], v)
			}
			seen[v]++
		}
	}
	comp, _ := g.components()
	size := map[int32]int{}
	for _, c := range comp {
		size[c]++
	}
	for v := range n {
		if seen[v] == 0 || int(g.off[v+1]-g.off[v]) != seen[v] {
			t.Fatalf("vertex %d: %d arcs, %d edges", v, g.off[v+1]-g.off[v], seen[v])
		}
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
