package streets

import (
	"errors"
	"fmt"
	"iter"
	"math"
	"slices"
	"unsafe"

	"github.com/paulmach/orb"
	"github.com/vingt/vingt/gtfs"
)

// Graph is the pedestrian street graph. Vertices are way ends and junctions,
// numbered 0…Vertices()-1; edges are undirected, numbered 0…Edges()-1, each
// stored as two arcs in compressed sparse rows. A Graph is read-only after
// Load and safe for concurrent use; searches need one Search per goroutine.
type Graph struct {
	// CSR: the arcs of vertex v are arc[off[v]:off[v+1]], in the order
	// of their edges.
	off []int32
	arc []arc
	// vertex coordinates, 1e-7 degrees
	vlat, vlon []int32
	// undirected edges: ends and length. The shape of edge e, from u to v,
	// has the points shapeOff[e]…shapeOff[e+1]-1 (ends included: these
	// numbers, not the storage, count them); its ends are the vertices'
	// and only the points between them are stored, point i at i-2e-1 in
	// slat, slon (1e-7 degrees). A segment is named by its first point.
	edge     []edge
	shapeOff []int32
	slat     []int32
	slon     []int32

	// islandFrom is the first shape point of the edges on islands
	// (components of fewer than IslandVertices vertices, not the
	// largest), which come last; MaxInt32 when there are none.
	islandFrom int32

	grid   grid
	radius float64
	st     Stats
}

// arc is a directed arc: its head and length in metres (its edge's).
// Dijkstra reads both for each arc, in a row: the arcs repeat what the
// edges hold (8 B per arc) to keep its loop on consecutive memory.
type arc struct {
	to  int32
	len float32
}

// edge is an undirected edge: its ends and its length in metres along its
// shape.
type edge struct {
	u, v int32
	len  float32
}

// Stats returns what Load read and kept.
func (g *Graph) Stats() Stats { return g.st }

// Vertices returns the number of vertices.
func (g *Graph) Vertices() int { return max(len(g.off)-1, 0) }

// Edges returns the number of undirected edges.
func (g *Graph) Edges() int { return len(g.edge) }

// LinkRadius returns the link radius of Options (metres).
func (g *Graph) LinkRadius() float64 { return g.radius }

// Vertex returns the position of vertex v in degrees.
func (g *Graph) Vertex(v int32) (lat, lon float64) {
	return float64(g.vlat[v]) / fixScale, float64(g.vlon[v]) / fixScale
}

// point returns shape point i of edge e (shapeOff[e] <= i < shapeOff[e+1]).
func (g *Graph) point(e, i int32) (lat, lon int32) {
	switch i {
	case g.shapeOff[e]:
		u := g.edge[e].u
		return g.vlat[u], g.vlon[u]
	case g.shapeOff[e+1] - 1:
		v := g.edge[e].v
		return g.vlat[v], g.vlon[v]
	}
	return g.slat[i-2*e-1], g.slon[i-2*e-1]
}

// shapePoints returns the number of shape points, ends included.
func (g *Graph) shapePoints() int {
	if len(g.shapeOff) == 0 {
		return 0
	}
	return int(g.shapeOff[len(g.shapeOff)-1])
}

// Edge returns the ends of undirected edge e and its length in metres along
// its shape.
func (g *Graph) Edge(e int32) (u, v int32, metres float32) {
	ed := g.edge[e]
	return ed.u, ed.v, ed.len
}

// Arcs returns the arcs leaving vertex v: for each, its head and its
// length in metres.
func (g *Graph) Arcs(v int32) iter.Seq2[int32, float32] {
	return func(yield func(int32, float32) bool) {
		for _, a := range g.arc[g.off[v]:g.off[v+1]] {
			if !yield(a.to, a.len) {
				return
			}
		}
	}
}

// AppendShape appends the shape of edge e, from its end u to its end v, as
// [lon, lat] points.
func (g *Graph) AppendShape(dst orb.LineString, e int32) orb.LineString {
	for i := g.shapeOff[e]; i < g.shapeOff[e+1]; i++ {
		lat, lon := g.point(e, i)
		dst = append(dst, orb.Point{float64(lon) / fixScale, float64(lat) / fixScale})
	}
	return dst
}

// bytes returns the memory held by the graph's arrays.
func (g *Graph) bytes() int64 {
	n := 4*(len(g.off)+2*len(g.arc)+len(g.vlat)+len(g.vlon)+len(g.shapeOff)+len(g.slat)+len(g.slon)+len(g.grid.off)+len(g.grid.seg)) +
		int(unsafe.Sizeof(edge{}))*len(g.edge)
	return int64(n) + int64(unsafe.Sizeof(*g))
}

func fixDist(lat1, lon1, lat2, lon2 int32) float64 {
	return gtfs.Distance(float64(lat1)/fixScale, float64(lon1)/fixScale, float64(lat2)/fixScale, float64(lon2)/fixScale)
}

// build folds the kept ways into edges, drops small components and lays out
// the CSR arrays and the link grid.
func (b *builder) build(opt Options) (*Graph, error) {
	g := &Graph{radius: opt.LinkRadius, islandFrom: math.MaxInt32}
	// the node ids were only needed to read the coordinates
	b.ids = nil
	// vertexOf numbers node k as a vertex, in order of first use; a vertex
	// keeps its coordinates in vlat, vlon and its number in b.lon[k],
	// b.lat[k] being vertexMark (no array of vertex numbers per node).
	vertexOf := func(k int32) int32 {
		if b.lat[k] == vertexMark {
			return b.lon[k]
		}
		v := int32(len(g.vlat))
		g.vlat = append(g.vlat, b.lat[k])
		g.vlon = append(g.vlon, b.lon[k])
		b.lat[k], b.lon[k] = vertexMark, v
		return v
	}
	// pos returns node k's coordinates (k not missing)
	pos := func(k int32) (int32, int32) {
		if b.lat[k] == vertexMark {
			return g.vlat[b.lon[k]], g.vlon[b.lon[k]]
		}
		return b.lat[k], b.lon[k]
	}
	// Two rounds over the ways: count the edges, vertices and shape points,
	// then fill arrays of exactly that size.
	var nEdges, nShape, nVert int
	for round := range 2 {
		if round == 1 {
			if nShape > math.MaxInt32 {
				return nil, errors.New("more than 2^31 shape points: extract too large for this graph")
			}
			g.edge = make([]edge, 0, nEdges)
			g.shapeOff = make([]int32, 1, nEdges+1)
			g.slat = make([]int32, 0, nShape-2*nEdges)
			g.slon = make([]int32, 0, nShape-2*nEdges)
			g.vlat = make([]int32, 0, nVert)
			g.vlon = make([]int32, 0, nVert)
		}
		for w := 0; w+1 < len(b.wayOff); w++ {
			refs := b.idx[b.wayOff[w]:b.wayOff[w+1]]
			start := -1 // position in refs of the current edge's first node
			var metres float64
			for i, k := range refs {
				if b.lat[k] == missing {
					if round == 0 {
						b.st.MissingNodes++
					}
					start = -1
					continue
				}
				if start < 0 {
					start, metres = i, 0
					continue
				}
				end := i == len(refs)-1 || b.flags[k]&isMulti != 0 || b.lat[refs[i+1]] == missing
				if round == 0 {
					if end {
						for _, s := range [2]int32{refs[start], k} {
							if b.flags[s]&isVertex == 0 {
								b.flags[s] |= isVertex
								nVert++
							}
						}
						nEdges++
						nShape += i + 1 - start
						start = i
					}
					continue
				}
				plat, plon := pos(refs[i-1])
				klat, klon := pos(k)
				metres += fixDist(plat, plon, klat, klon)
				if !end {
					continue
				}
				u := vertexOf(refs[start])
				g.edge = append(g.edge, edge{u, vertexOf(k), float32(metres)})
				for _, s := range refs[start+1 : i] {
					lat, lon := pos(s)
					g.slat = append(g.slat, lat)
					g.slon = append(g.slon, lon)
				}
				g.shapeOff = append(g.shapeOff, int32(len(g.slat)+2*len(g.edge)))
				start, metres = i, 0
			}
		}
	}
	phase("edges")
	b.idx, b.wayOff, b.flags, b.lat, b.lon = nil, nil, nil, nil, nil
	if len(g.edge) == 0 {
		return nil, fmt.Errorf("no walkable edge: the %d walkable ways have no two consecutive nodes in the file", b.st.WaysKept)
	}
	g.layout(len(g.vlat))
	phase("layout")
	if len(opt.Keep) > 0 {
		g.grid = newGrid(g) // to link the Keep points
	}

	// Components: keep the largest and those the Keep points link to,
	// with the island rule of Link.
	comp, ncomp := g.components()
	phase("components")
	b.st.Components = ncomp
	size := make([]int32, ncomp)
	for _, c := range comp {
		size[c]++
	}
	best := int32(0)
	for c := range size {
		if size[c] > size[best] {
			best = int32(c)
		}
	}
	islandComp := func(c int32) bool { return c != best && size[c] < IslandVertices }
	keep := make([]bool, ncomp)
	keep[best] = true
	if len(opt.Keep) > 0 {
		// the component of the segment starting at shape point i
		island := func(i int32) bool {
			e, _ := slices.BinarySearch(g.shapeOff, i+1)
			return islandComp(comp[g.edge[e-1].u])
		}
		for _, p := range opt.Keep {
			if ls, ok := g.link(p.Lat, p.Lon, opt.LinkRadius, island, true); ok {
				b.st.KeepLinked++
				for _, l := range ls.All() {
					keep[comp[l.U]] = true
				}
			} else {
				b.st.KeepUnlinked++
			}
		}
	}
	for c, k := range keep {
		switch {
		case !k:
			b.st.ComponentsDropped++
			b.st.VerticesDropped += int(size[c])
		case islandComp(int32(c)):
			b.st.IslandsKept++
		}
	}
	if b.st.ComponentsDropped > 0 || b.st.IslandsKept > 0 {
		all := g.Edges()
		g.grid = grid{}
		g.subgraph(comp, keep, func(c int32) bool { return islandComp(c) })
		b.st.EdgesDropped = all - g.Edges()
		phase("subgraph")
	}
	if g.grid.off == nil {
		g.grid = newGrid(g)
	}
	phase("grid")
	b.st.Vertices, b.st.Edges = g.Vertices(), g.Edges()
	b.st.ShapePoints = int64(g.shapePoints())
	b.st.GraphBytes = g.bytes()
	g.st = b.st
	return g, nil
}

// layout builds the CSR arrays of n vertices from the edges: the arcs of a
// vertex in the order of their edges.
func (g *Graph) layout(n int) {
	g.off = make([]int32, n+1)
	for _, ed := range g.edge {
		g.off[ed.u+1]++
		g.off[ed.v+1]++
	}
	for v := 0; v < n; v++ {
		g.off[v+1] += g.off[v]
	}
	g.arc = make([]arc, 2*len(g.edge))
	next := make([]int32, n)
	copy(next, g.off[:n])
	for _, ed := range g.edge {
		g.arc[next[ed.u]] = arc{ed.v, ed.len}
		next[ed.u]++
		g.arc[next[ed.v]] = arc{ed.u, ed.len}
		next[ed.v]++
	}
}

// components labels every vertex with its connected component.
func (g *Graph) components() ([]int32, int) {
	n := g.Vertices()
	comp := make([]int32, n)
	for i := range comp {
		comp[i] = -1
	}
	var stack []int32
	c := int32(0)
	for s := range n {
		if comp[s] >= 0 {
			continue
		}
		comp[s] = c
		stack = append(stack[:0], int32(s))
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, a := range g.arc[g.off[v]:g.off[v+1]] {
				if w := a.to; comp[w] < 0 {
					comp[w] = c
					stack = append(stack, w)
				}
			}
		}
		c++
	}
	return comp, int(c)
}

// subgraph keeps the kept components, vertices renumbered in order, the
// edges of islands last (from islandFrom), and lays out the CSR arrays
// again. It works in place: the main edges and their shapes move down in
// their arrays, and only the islands' are copied aside, so that the load
// never holds two graphs.
func (g *Graph) subgraph(comp []int32, keep []bool, island func(c int32) bool) {
	n := g.Vertices()
	g.off, g.arc = nil, nil // laid out again below
	newID := make([]int32, n)
	nv := int32(0)
	for v := range n {
		newID[v] = -1
		if keep[comp[v]] {
			newID[v] = nv
			nv++
		}
	}
	var (
		isleEdge         []edge
		isleLen          []int32 // points between the ends of each island edge
		isleLat, isleLon []int32
	)
	for v := range n {
		if newID[v] >= 0 {
			g.vlat[newID[v]], g.vlon[newID[v]] = g.vlat[v], g.vlon[v]
		}
	}
	g.vlat, g.vlon = g.vlat[:nv], g.vlon[:nv]
	ne, ns := 0, 0 // main edges and stored points kept so far
	for e := range g.edge {
		ed := g.edge[e]
		if newID[ed.u] < 0 {
			continue
		}
		ed.u, ed.v = newID[ed.u], newID[ed.v]
		// the stored points between the ends
		a, b := g.shapeOff[e]-2*int32(e), g.shapeOff[e+1]-2*int32(e+1)
		if island(comp[g.edge[e].u]) {
			isleEdge = append(isleEdge, ed)
			isleLen = append(isleLen, b-a)
			isleLat = append(isleLat, g.slat[a:b]...)
			isleLon = append(isleLon, g.slon[a:b]...)
			continue
		}
		// ne <= e and ns <= a: nothing not yet read is overwritten
		g.edge[ne] = ed
		copy(g.slat[ns:], g.slat[a:b])
		copy(g.slon[ns:], g.slon[a:b])
		ns += int(b - a)
		ne++
		g.shapeOff[ne] = int32(ns + 2*ne)
	}
	g.islandFrom = int32(ns + 2*ne)
	g.edge = append(g.edge[:ne], isleEdge...)
	g.slat = append(g.slat[:ns], isleLat...)
	g.slon = append(g.slon[:ns], isleLon...)
	for _, l := range isleLen {
		ns += int(l)
		ne++
		g.shapeOff[ne] = int32(ns + 2*ne)
	}
	g.shapeOff = g.shapeOff[:ne+1]
	// when much was dropped, copy the arrays to their size
	if 4*len(g.edge) < 3*cap(g.edge) {
		g.edge, g.shapeOff = slices.Clone(g.edge), slices.Clone(g.shapeOff)
		g.slat, g.slon = slices.Clone(g.slat), slices.Clone(g.slon)
		g.vlat, g.vlon = slices.Clone(g.vlat), slices.Clone(g.vlon)
	}
	newID = nil
	g.layout(int(nv))
}
