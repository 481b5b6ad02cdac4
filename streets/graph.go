package streets

import (
	"errors"
	"fmt"
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
	// CSR: the arcs of vertex v are off[v]…off[v+1] in to and length.
	off    []int32
	to     []int32
	length []float32
	// vertex coordinates, 1e-7 degrees
	vlat, vlon []int32
	// undirected edges: ends, length, and shape points
	// shapeOff[e]…shapeOff[e+1] in slat, slon (ends included, from eu to ev)
	eu, ev   []int32
	elen     []float32
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

// Stats returns what Load read and kept.
func (g *Graph) Stats() Stats { return g.st }

// Vertices returns the number of vertices.
func (g *Graph) Vertices() int { return len(g.vlat) }

// Edges returns the number of undirected edges.
func (g *Graph) Edges() int { return len(g.eu) }

// LinkRadius returns the link radius of Options (metres).
func (g *Graph) LinkRadius() float64 { return g.radius }

// Vertex returns the position of vertex v in degrees.
func (g *Graph) Vertex(v int32) (lat, lon float64) {
	return float64(g.vlat[v]) / fixScale, float64(g.vlon[v]) / fixScale
}

// Edge returns the ends of undirected edge e and its length in metres along
// its shape.
func (g *Graph) Edge(e int32) (u, v int32, metres float32) {
	return g.eu[e], g.ev[e], g.elen[e]
}

// Arcs returns the arcs leaving vertex v: their heads and lengths (metres).
// The slices alias the graph and must not be modified.
func (g *Graph) Arcs(v int32) (to []int32, metres []float32) {
	a, b := g.off[v], g.off[v+1]
	return g.to[a:b], g.length[a:b]
}

// AppendShape appends the shape of edge e, from its end u to its end v, as
// [lon, lat] points.
func (g *Graph) AppendShape(dst orb.LineString, e int32) orb.LineString {
	for i := g.shapeOff[e]; i < g.shapeOff[e+1]; i++ {
		dst = append(dst, orb.Point{float64(g.slon[i]) / fixScale, float64(g.slat[i]) / fixScale})
	}
	return dst
}

// bytes returns the memory held by the graph's arrays.
func (g *Graph) bytes() int64 {
	n := 4 * (len(g.off) + len(g.to) + len(g.length) + len(g.vlat) + len(g.vlon) +
		len(g.eu) + len(g.ev) + len(g.elen) + len(g.shapeOff) + len(g.slat) + len(g.slon) +
		len(g.grid.off) + len(g.grid.seg))
	return int64(n) + int64(unsafe.Sizeof(*g))
}

func fixDist(lat1, lon1, lat2, lon2 int32) float64 {
	return gtfs.Distance(float64(lat1)/fixScale, float64(lon1)/fixScale, float64(lat2)/fixScale, float64(lon2)/fixScale)
}

// build folds the kept ways into edges, drops small components and lays out
// the CSR arrays and the link grid.
func (b *builder) build(opt Options) (*Graph, error) {
	g := &Graph{radius: opt.LinkRadius, islandFrom: math.MaxInt32}
	vert := make([]int32, len(b.ids))
	for i := range vert {
		vert[i] = -1
	}
	vertexOf := func(k int32) int32 {
		if vert[k] < 0 {
			vert[k] = int32(len(g.vlat))
			g.vlat = append(g.vlat, b.lat[k])
			g.vlon = append(g.vlon, b.lon[k])
		}
		return vert[k]
	}
	// Two rounds over the ways: count the edges and shape points, then
	// fill arrays of exactly that size.
	var nEdges, nShape int
	for round := range 2 {
		if round == 1 {
			if nShape > math.MaxInt32 {
				return nil, errors.New("more than 2^31 shape points: extract too large for this graph")
			}
			g.eu = make([]int32, 0, nEdges)
			g.ev = make([]int32, 0, nEdges)
			g.elen = make([]float32, 0, nEdges)
			g.shapeOff = make([]int32, 1, nEdges+1)
			g.slat = make([]int32, 0, nShape)
			g.slon = make([]int32, 0, nShape)
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
				end := i == len(refs)-1 || b.multi[k] || b.lat[refs[i+1]] == missing
				if round == 0 {
					if end {
						nEdges++
						nShape += i + 1 - start
						start = i
					}
					continue
				}
				p := refs[i-1]
				metres += fixDist(b.lat[p], b.lon[p], b.lat[k], b.lon[k])
				if !end {
					continue
				}
				g.eu = append(g.eu, vertexOf(refs[start]))
				g.ev = append(g.ev, vertexOf(k))
				g.elen = append(g.elen, float32(metres))
				for _, s := range refs[start : i+1] {
					g.slat = append(g.slat, b.lat[s])
					g.slon = append(g.slon, b.lon[s])
				}
				g.shapeOff = append(g.shapeOff, int32(len(g.slat)))
				start, metres = i, 0
			}
		}
	}
	b.idx, b.ids, b.multi, b.lat, b.lon = nil, nil, nil, nil, nil
	if len(g.eu) == 0 {
		return nil, fmt.Errorf("no walkable edge: the %d walkable ways have no two consecutive nodes in the file", b.st.WaysKept)
	}
	g.vlat, g.vlon = slices.Clip(slices.Clone(g.vlat)), slices.Clip(slices.Clone(g.vlon))
	g.layout()
	if len(opt.Keep) > 0 {
		g.grid = newGrid(g) // to link the Keep points
	}

	// Components: keep the largest and those the Keep points link to,
	// with the island rule of Link.
	comp, ncomp := g.components()
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
			return islandComp(comp[g.eu[e-1]])
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
		g = g.subgraph(comp, keep, func(c int32) bool { return islandComp(c) })
		b.st.EdgesDropped = all - g.Edges()
	}
	if g.grid.off == nil || b.st.ComponentsDropped > 0 || b.st.IslandsKept > 0 {
		g.grid = newGrid(g)
	}
	b.st.Vertices, b.st.Edges = g.Vertices(), g.Edges()
	b.st.ShapePoints = int64(len(g.slat))
	b.st.GraphBytes = g.bytes()
	g.st = b.st
	return g, nil
}

// layout builds the CSR arrays from the edge arrays.
func (g *Graph) layout() {
	n := len(g.vlat)
	g.off = make([]int32, n+1)
	for e := range g.eu {
		g.off[g.eu[e]+1]++
		g.off[g.ev[e]+1]++
	}
	for v := 0; v < n; v++ {
		g.off[v+1] += g.off[v]
	}
	g.to = make([]int32, 2*len(g.eu))
	g.length = make([]float32, 2*len(g.eu))
	next := make([]int32, n)
	copy(next, g.off[:n])
	for e := range g.eu {
		u, v := g.eu[e], g.ev[e]
		g.to[next[u]], g.length[next[u]] = v, g.elen[e]
		next[u]++
		g.to[next[v]], g.length[next[v]] = u, g.elen[e]
		next[v]++
	}
}

// components labels every vertex with its connected component.
func (g *Graph) components() ([]int32, int) {
	n := len(g.vlat)
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
			for _, w := range g.to[g.off[v]:g.off[v+1]] {
				if comp[w] < 0 {
					comp[w] = c
					stack = append(stack, w)
				}
			}
		}
		c++
	}
	return comp, int(c)
}

// subgraph returns the graph of the kept components, renumbered in order,
// the edges of islands last (from islandFrom).
func (g *Graph) subgraph(comp []int32, keep []bool, island func(c int32) bool) *Graph {
	h := &Graph{radius: g.radius, islandFrom: math.MaxInt32}
	nv, ne, ns := 0, 0, 0
	for v := range g.vlat {
		if keep[comp[v]] {
			nv++
		}
	}
	for e := range g.eu {
		if keep[comp[g.eu[e]]] {
			ne++
			ns += int(g.shapeOff[e+1] - g.shapeOff[e])
		}
	}
	h.vlat, h.vlon = make([]int32, 0, nv), make([]int32, 0, nv)
	h.eu, h.ev, h.elen = make([]int32, 0, ne), make([]int32, 0, ne), make([]float32, 0, ne)
	h.shapeOff = make([]int32, 1, ne+1)
	h.slat, h.slon = make([]int32, 0, ns), make([]int32, 0, ns)
	newID := make([]int32, len(g.vlat))
	for v := range g.vlat {
		newID[v] = -1
		if keep[comp[v]] {
			newID[v] = int32(len(h.vlat))
			h.vlat = append(h.vlat, g.vlat[v])
			h.vlon = append(h.vlon, g.vlon[v])
		}
	}
	for round := range 2 { // main components, then islands
		if round == 1 {
			h.islandFrom = int32(len(h.slat))
		}
		for e := range g.eu {
			if newID[g.eu[e]] < 0 || island(comp[g.eu[e]]) != (round == 1) {
				continue
			}
			h.eu = append(h.eu, newID[g.eu[e]])
			h.ev = append(h.ev, newID[g.ev[e]])
			h.elen = append(h.elen, g.elen[e])
			a, b := g.shapeOff[e], g.shapeOff[e+1]
			h.slat = append(h.slat, g.slat[a:b]...)
			h.slon = append(h.slon, g.slon[a:b]...)
			h.shapeOff = append(h.shapeOff, int32(len(h.slat)))
		}
	}
	h.layout()
	return h
}
