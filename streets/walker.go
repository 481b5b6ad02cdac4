package streets

import (
	"fmt"
	"math"
	"sync"
	"sync/atomic"

	"github.com/vingt/vingt/walk"
)

// Walker walks on the street graph at a constant speed: it implements
// walk.Walker. A place is linked to its nearest edge within the graph's link
// radius, and also to the nearest edge on its other side when that is at
// most OppositeExtra metres farther (Graph.LinkAll: the carriageways of a
// divided avenue); a walk between two linked places follows the streets (no detour
// factor: the network is the detour), and a walk from or to a place that
// does not link falls back to crow-fly × Detour, counted in Unlinked.
// Walk seconds are ceil(metres / speed). It is safe for concurrent use.
type Walker struct {
	g      *Graph
	speed  float64
	crow   walk.CrowFly // fallback: crow-fly × detour at speed
	plain  walk.CrowFly // crow-fly metres (detour 1), for candidates
	pool   sync.Pool    // *Search
	linked atomic.Int64
	missed atomic.Int64
}

// NewWalker returns a walker on g at speed metres per second, falling back
// to crow-fly × detour for places that do not link to the graph.
func NewWalker(g *Graph, speed, detour float64) (*Walker, error) {
	if g == nil || g.Vertices() == 0 {
		return nil, fmt.Errorf("streets: walker: the graph is empty")
	}
	crow, err := walk.NewCrowFly(speed, detour)
	if err != nil {
		return nil, fmt.Errorf("streets: walker: %w", err)
	}
	w := &Walker{g: g, speed: speed, crow: crow, plain: walk.CrowFly{Speed: speed, Detour: 1}}
	w.pool.New = func() any { return g.NewSearch() }
	return w, nil
}

// Graph returns the street graph the walker walks on.
func (w *Walker) Graph() *Graph { return w.g }

// Speed returns the walking speed in metres per second.
func (w *Walker) Speed() float64 { return w.speed }

// Fallback returns the crow-fly × detour walker used for places that do not
// link to the graph.
func (w *Walker) Fallback() walk.CrowFly { return w.crow }

// Linked and Unlinked count the places indexed and the points queried that
// linked to the graph, and those that fell back to crow-fly, since the
// walker was made.
func (w *Walker) Linked() int64 { return w.linked.Load() }

// Unlinked counts the places and points that fell back to crow-fly × detour
// because no edge lies within the link radius.
func (w *Walker) Unlinked() int64 { return w.missed.Load() }

// link attaches p to the graph, counting the outcome.
func (w *Walker) link(p walk.Place) (Links, bool) {
	if !p.Valid() {
		return Links{}, false
	}
	l, ok := w.g.LinkAll(p.Lat, p.Lon, 0)
	if ok {
		w.linked.Add(1)
	} else {
		w.missed.Add(1)
	}
	return l, ok
}

// seconds converts street metres to whole walk seconds, Unreached for Inf.
func (w *Walker) seconds(m float32) int32 {
	if !(m < Inf) {
		return walk.Unreached
	}
	s := math.Ceil(float64(m) / w.speed)
	if !(s < float64(walk.Unreached)) {
		return walk.Unreached
	}
	return int32(s)
}

// bound converts a limit in seconds to search metres.
func (w *Walker) bound(max int32) float32 {
	if max < 0 {
		return -1
	}
	return float32(float64(max) * w.speed)
}

// Walk implements walk.Walker: the street walk from a to b when both link,
// crow-fly × detour otherwise. The search stops once b is settled
// (Search.Between): even with max = walk.Unreached (the quays of a parent
// station, linked whatever their distance) it explores only the streets
// within the walk itself.
func (w *Walker) Walk(a, b walk.Place, max int32) (int32, float64) {
	la, oka := w.link(a)
	lb, okb := w.link(b)
	if !oka || !okb {
		return w.crow.Walk(a, b, max)
	}
	s := w.pool.Get().(*Search)
	defer w.pool.Put(s)
	m := s.Between(la, lb, w.bound(max))
	if sec := w.seconds(m); sec <= max {
		return sec, float64(m)
	}
	return walk.Unreached, math.Inf(1)
}

// Reach implements walk.Walker: a walk of the given seconds covers
// seconds × speed street metres, never less than its crow-fly extent.
func (w *Walker) Reach(seconds int32) float64 { return float64(seconds) * w.speed }

// Describe implements walk.Walker.
func (w *Walker) Describe() string {
	return fmt.Sprintf("streets (%d vertices, %d edges, link radius %g m, opposite side within %d m more) at %g m/s; unlinked places %s",
		w.g.Vertices(), w.g.Edges(), w.g.LinkRadius(), OppositeExtra, w.speed, w.crow.Describe())
}

// Index implements walk.Walker: it links every place once.
func (w *Walker) Index(places []walk.Place) walk.Index {
	ix := &streetIndex{w: w, places: places, links: make([]Links, len(places)), ok: make([]bool, len(places)),
		cand: w.plain.Index(places), crow: w.crow.Index(places), nearest: map[int32]*nearestSearch{}}
	var linked []Link
	for i, p := range places {
		ix.links[i], ix.ok[i] = w.link(p)
		if ix.ok[i] {
			linked = append(linked, ix.links[i].All()...)
		} else {
			ix.unlinked = append(ix.unlinked, p)
			ix.Unlinked++
		}
	}
	ix.linked = linked
	ix.crowUnlinked = w.crow.Index(ix.unlinked)
	return ix
}

// streetIndex is the Index of Walker.
type streetIndex struct {
	w            *Walker
	places       []walk.Place
	links        []Links
	ok           []bool
	linked       []Link       // every link of the linked places
	unlinked     []walk.Place // the places that did not link
	cand         walk.Index   // crow-fly metres, to find candidates
	crow         walk.Index   // crow-fly × detour, when the query does not link
	crowUnlinked walk.Index   // crow-fly × detour to the unlinked places
	// Unlinked counts the places that did not link.
	Unlinked int

	mu      sync.Mutex
	nearest map[int32]*nearestSearch
}

// nearestSearch is one multi-source search from every linked place, bounded
// by max seconds, computed once.
type nearestSearch struct {
	once sync.Once
	s    *Search
}

// Within implements walk.Index: a bounded search from p, read at every
// place whose crow-fly distance is within the walk.
func (ix *streetIndex) Within(p walk.Place, max int32, dst []walk.Hit) []walk.Hit {
	if max < 0 {
		return dst
	}
	return ix.within(p, ix.w.Reach(max), max, dst)
}

// WithinMetres implements walk.Index: the walked distance is within metres.
func (ix *streetIndex) WithinMetres(p walk.Place, metres float64, dst []walk.Hit) []walk.Hit {
	if !(metres >= 0) {
		return dst
	}
	return ix.within(p, metres, walk.Unreached-1, dst)
}

// within appends the places within metres walked and max seconds of p,
// sorted by place index.
func (ix *streetIndex) within(p walk.Place, metres float64, max int32, dst []walk.Hit) []walk.Hit {
	lp, ok := ix.w.link(p)
	start := len(dst)
	// Street metres are never shorter than crow-fly metres: the candidates
	// are the places within metres as the crow flies (sorted by index).
	dst = ix.cand.WithinMetres(p, metres, dst)
	if len(dst) == start {
		return dst
	}
	var s *Search
	if ok {
		s = ix.w.pool.Get().(*Search)
		defer ix.w.pool.Put(s)
		s.FromPlace(&lp, float32(metres))
	}
	n := start
	for _, h := range dst[start:] {
		var sec int32
		var m float64
		if ok && ix.ok[h.Place] {
			d := s.ToLinks(ix.links[h.Place])
			sec, m = ix.w.seconds(d), float64(d)
		} else {
			sec, m = ix.w.crow.Walk(p, ix.places[h.Place], max)
		}
		if sec <= max && m <= metres {
			dst[n] = walk.Hit{Place: h.Place, Seconds: sec}
			n++
		}
	}
	return dst[:n]
}

// Nearest implements walk.Index: the walk from p to the nearest place, read
// from one multi-source search from every linked place per bound (computed
// on the first query with that bound), and crow-fly × detour to the places
// that did not link.
func (ix *streetIndex) Nearest(p walk.Place, max int32) int32 {
	if max < 0 || len(ix.places) == 0 {
		return walk.Unreached
	}
	lp, ok := ix.w.link(p)
	if !ok {
		return ix.crow.Nearest(p, max)
	}
	best := ix.crowUnlinked.Nearest(p, max)
	if len(ix.linked) > 0 {
		ns := ix.search(max)
		if sec := ix.w.seconds(ns.s.ToLinks(lp)); sec <= max && sec < best {
			best = sec
		}
	}
	return best
}

// search returns the multi-source search bounded by max seconds, running it
// once.
func (ix *streetIndex) search(max int32) *nearestSearch {
	ix.mu.Lock()
	ns := ix.nearest[max]
	if ns == nil {
		ns = &nearestSearch{}
		ix.nearest[max] = ns
	}
	ix.mu.Unlock()
	ns.once.Do(func() {
		ns.s = ix.w.g.NewSearch()
		ns.s.FromLinks(ix.linked, nil, ix.w.bound(max))
	})
	return ns
}
