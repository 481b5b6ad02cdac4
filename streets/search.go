package streets

import (
	"cmp"
	"math"
	"slices"
)

// Inf is the distance of what a search did not reach.
var Inf = float32(math.Inf(1))

// Search is the scratch state of bounded Dijkstra searches on one Graph.
// It is not safe for concurrent use: make one per goroutine. After the first
// search it allocates nothing.
type Search struct {
	g       *Graph
	dist    []float32
	pos     []int32 // heap position; -1 not queued
	heap    []int32
	reached []int32 // settled vertices, in order
	touched []int32 // vertices whose dist is set
	src     []source
	max     float32
}

// source is a search origin on edge edge, at along metres from its U end,
// with cost metres spent before reaching the edge (initial cost + off-edge).
type source struct {
	edge  int32
	along float32
	cost  float32
}

// NewSearch returns a search scratch for g.
func (g *Graph) NewSearch() *Search {
	n := g.Vertices()
	s := &Search{g: g, dist: make([]float32, n), pos: make([]int32, n)}
	for v := range s.dist {
		s.dist[v] = Inf
		s.pos[v] = -1
	}
	return s
}

// FromLinks runs a multi-source Dijkstra from the linked points src, each
// starting with cost init[i] metres (0 when init is shorter than src), and
// settles every vertex within maxMetres. The walk from a point to its edge
// counts Off; along the edge, ToU or ToV. Afterwards To answers the distance
// to any linked point, and Dist and Reached tell what was settled.
// The distances are metres: the caller divides by the walking speed.
func (s *Search) FromLinks(src []Link, init []float32, maxMetres float32) {
	s.run(src, init, maxMetres, nil)
}

// FromPlace runs FromLinks from the links of one place (LinkAll): each link
// is a source with its own off-edge walk.
func (s *Search) FromPlace(ls *Links, maxMetres float32) {
	s.run(ls.All(), nil, maxMetres, nil)
}

// Between returns the walked metres from a to b (each linked by LinkAll,
// or One of a Link), Inf beyond maxMetres: the shortest walk from any link
// of a to any link of b. The search stops as soon as no vertex left can
// shorten the walk to b, so its cost is that of a search bounded by the
// walk itself, however large maxMetres is (a walk between two quays of a
// station asked with no bound explores only the streets around them).
// Afterwards Dist and Reached describe that partial search.
func (s *Search) Between(a, b Links, maxMetres float32) float32 {
	s.run(a.All(), nil, maxMetres, b.All())
	return s.ToLinks(b)
}

// run is FromLinks; with targets, it stops once the vertex settled plus
// the shortest off-edge walk of the targets is no nearer than the best walk
// to a target found so far.
func (s *Search) run(src []Link, init []float32, maxMetres float32, targets []Link) {
	s.reset()
	s.max = maxMetres
	for i, l := range src {
		c := l.Off
		if i < len(init) {
			c += init[i]
		}
		if !(c <= maxMetres) || l.Edge < 0 || int(l.Edge) >= len(s.g.edge) {
			continue
		}
		s.src = append(s.src, source{l.Edge, l.ToU, c})
		s.relax(l.U, c+l.ToU)
		s.relax(l.V, c+l.ToV)
	}
	slices.SortFunc(s.src, func(a, b source) int { return cmp.Compare(a.edge, b.edge) })
	g := s.g
	// best walk to a target (off-edge walk included) and the shortest
	// off-edge walk of the targets
	best, minOff := Inf, Inf
	for _, t := range targets {
		best = min(best, s.To(t)) // along its own edge, or Inf
		minOff = min(minOff, t.Off)
	}
	for len(s.heap) > 0 {
		v := s.pop()
		d := s.dist[v]
		if len(targets) > 0 {
			if d+minOff >= best {
				break
			}
			for _, t := range targets {
				if v == t.U {
					best = min(best, d+t.ToU+t.Off)
				}
				if v == t.V {
					best = min(best, d+t.ToV+t.Off)
				}
			}
		}
		s.reached = append(s.reached, v)
		for _, a := range g.arc[g.off[v]:g.off[v+1]] {
			s.relax(a.to, d+a.len)
		}
	}
}

// relax lowers the distance of v to d when d is better and within the bound.
func (s *Search) relax(v int32, d float32) {
	if !(d <= s.max) || d >= s.dist[v] {
		return
	}
	if s.dist[v] == Inf {
		s.touched = append(s.touched, v)
	}
	s.dist[v] = d
	if s.pos[v] < 0 {
		s.pos[v] = int32(len(s.heap))
		s.heap = append(s.heap, v)
	}
	s.up(int(s.pos[v]))
}

func (s *Search) reset() {
	for _, v := range s.touched {
		s.dist[v] = Inf
		s.pos[v] = -1
	}
	for _, v := range s.heap {
		s.pos[v] = -1
	}
	s.touched, s.reached, s.heap, s.src = s.touched[:0], s.reached[:0], s.heap[:0], s.src[:0]
}

func (s *Search) up(i int) {
	h, d := s.heap, s.dist
	v := h[i]
	for i > 0 {
		p := (i - 1) / 2
		if d[h[p]] <= d[v] {
			break
		}
		h[i] = h[p]
		s.pos[h[i]] = int32(i)
		i = p
	}
	h[i] = v
	s.pos[v] = int32(i)
}

func (s *Search) pop() int32 {
	h, d := s.heap, s.dist
	top := h[0]
	s.pos[top] = -2 // settled: never queued again (relax sees dist lower)
	last := h[len(h)-1]
	h = h[:len(h)-1]
	s.heap = h
	if len(h) == 0 {
		return top
	}
	i, n := 0, len(h)
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && d[h[c+1]] < d[h[c]] {
			c++
		}
		if d[last] <= d[h[c]] {
			break
		}
		h[i] = h[c]
		s.pos[h[i]] = int32(i)
		i = c
	}
	h[i] = last
	s.pos[last] = int32(i)
	return top
}

// Dist returns the distance in metres of vertex v from the last search's
// sources, or Inf when it was not settled within the bound.
func (s *Search) Dist(v int32) float32 { return s.dist[v] }

// Reached returns the vertices settled by the last search, nearest first.
// The slice is reused by the next search.
func (s *Search) Reached() []int32 { return s.reached }

// To returns the walked metres from the last search's sources to the linked
// point l: through either end of its edge, or along the edge itself when a
// source is on the same edge; Inf beyond the bound. It runs in O(log
// sources) and allocates nothing, so one search serves any number of points.
func (s *Search) To(l Link) float32 {
	best := Inf
	if int(l.U) < len(s.dist) && int(l.V) < len(s.dist) {
		best = min(s.dist[l.U]+l.ToU, s.dist[l.V]+l.ToV)
	}
	i, _ := slices.BinarySearchFunc(s.src, l.Edge, func(a source, e int32) int { return cmp.Compare(a.edge, e) })
	for ; i < len(s.src) && s.src[i].edge == l.Edge; i++ {
		d := s.src[i].along - l.ToU
		if d < 0 {
			d = -d
		}
		best = min(best, s.src[i].cost+d)
	}
	best += l.Off
	if !(best <= s.max) {
		return Inf
	}
	return best
}

// ToLinks returns the walked metres from the last search's sources to a
// place linked by LinkAll: the shortest of To over its links.
func (s *Search) ToLinks(ls Links) float32 {
	best := Inf
	for i := range ls.N {
		best = min(best, s.To(ls.L[i]))
	}
	return best
}
