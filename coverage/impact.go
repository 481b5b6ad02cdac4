package coverage

// This file is measure 16: what closing one service point would cost.
//
// Why a single closure needs only the best and the second-best point. TT
// at one departure is a minimum over (point, route) pairs: the walk-only
// trip to each point and, for each egress stop, the arrival there plus the
// walk to each point. Removing a point p deletes exactly the pairs that end
// at p and nothing else: the timetable, the access walks and the arrivals
// at stops do not depend on the service points. So the time without p is
// the minimum over the pairs ending at any other point. Per egress stop the
// best pair not ending at p is its nearest point when that is not p, else
// its second-nearest (distinct) point; per departure the best value over
// all stops not ending at p is the overall best when the overall best does
// not end at p, else the best value through any other point (best2). The
// same holds for the walk-only trip. Hence keeping, per departure, the
// argmin point and best2 gives TT without p exactly, for every p.
//
// Only a point that is the argmin at some departure can change anything:
// at every other departure the argmin's pair remains and TT is unchanged.
// So, per cell and category, the percentile is re-evaluated once per
// distinct argmin point, with that point's departures replaced by their
// best2 values; the point is decisive (the cell loses the category
// without it) when that percentile exceeds the threshold. A cell not served
// now stays unserved (removing a point only raises TT). Ties go to the
// first stop in stop order and the lowest point index, and, between
// transit and walk-only, to walk-only (as TravelTime does): any choice is
// exact, since a tied other point then keeps the value when the chosen one
// is removed.

import (
	"context"
	"math"

	"github.com/vingt/vingt/router"
	"github.com/vingt/vingt/walk"
)

// Impact is, per cell and category, what closing one point would change.
type Impact struct {
	// Nearest is indexed [cell][category]: the point through which the
	// cell reaches the category within the threshold at the most
	// departures (ties: the lowest point index), or -1 when the cell is
	// not served for the category.
	Nearest []int32
	// Sole is indexed [cell][category]: the points whose removal alone
	// makes the cell unserved for the category (nil mostly).
	Sole [][]int32
}

// AnalyzeImpact is Analyze that also computes, for every cell and
// category, the points whose single closure would make it unserved
// (Results.Impact). It runs the forward engine whatever p.Engine says: the
// profile engine does not track which point an arrival goes to.
func AnalyzeImpact(ctx context.Context, tt *router.Timetable, cells []Cell, cats []*Category, p Params, progress func(done int)) (*Results, error) {
	p.Engine = EngineForward
	a := &analysis{tt: tt, rp: tt.Params(), p: p, cells: cells, cats: cats, minutes: p.Minutes(), impact: true}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	a.needed = neededWithin(a.minutes, p.Percentiles[0])
	return a.run(ctx, progress)
}

// nearest2 returns, among hits, the nearest place and its seconds and the
// nearest other place and its seconds (-1 and Unreached when absent); ties
// go to the lowest place index (hits come sorted by place index).
func nearest2(hits []walk.Hit) (p1, s1, p2, s2 int32) {
	p1, s1, p2, s2 = -1, router.Unreached, -1, router.Unreached
	for _, h := range hits {
		switch {
		case h.Seconds < s1:
			p2, s2 = p1, s1
			p1, s1 = h.Place, h.Seconds
		case h.Seconds < s2:
			p2, s2 = h.Place, h.Seconds
		}
	}
	return
}

// buildEgressImpact fills, per category's egress stop, the nearest and the
// second-nearest point.
func (a *analysis) buildEgressImpact() {
	for k := range a.egress {
		e := &a.egress[k]
		e.near1 = make([]int32, len(e.stops))
		e.near2 = make([]int32, len(e.stops))
		e.secs2 = make([]int32, len(e.stops))
		for i := range e.stops {
			// The points of the stop, through a footpath too (buildEgress).
			p1, s1, p2, s2 := nearest2(e.near[i])
			e.near1[i], e.secs[i], e.near2[i], e.secs2[i] = p1, s1, p2, s2
		}
	}
}

// reduceMinuteImpact is reduceMinute that also records the point of the
// best arrival and the best arrival through any other point.
func (a *analysis) reduceMinuteImpact(s *scratch, dep int32, arrivals []int32) {
	m := (dep - a.p.From) / a.p.Step
	for k := range a.cats {
		e := &a.egress[k]
		// The best two values through distinct points, in one pass: b1
		// at p1 is the best of all, b2 at p2 the best through a point
		// other than p1. Each stop offers its nearest point, then its
		// second-nearest; ties keep the first offered.
		b1, p1, b2, p2 := router.Unreached, int32(-1), router.Unreached, int32(-1)
		offer := func(v, p int32) {
			switch {
			case p == p1:
				b1 = min(b1, v)
			case v < b1:
				b2, p2 = b1, p1
				b1, p1 = v, p
			case p == p2:
				b2 = min(b2, v)
			case v < b2:
				b2, p2 = v, p
			}
		}
		for i, st := range e.stops {
			t := s.router.RideArrival(st)
			if t == router.Unreached {
				continue
			}
			offer(t+e.secs[i], e.near1[i])
			if e.near2[i] >= 0 {
				offer(t+e.secs2[i], e.near2[i])
			}
		}
		best, bp, best2 := b1, p1, b2
		s.best[k][m], s.bestPt[k][m], s.best2[k][m] = best, bp, best2
	}
}

// neededWithin returns the least number of departures within the
// threshold for which the first percentile is within it. The nearest-rank
// percentile is an order statistic (the r-th smallest value, r depending
// only on the number of departures and the percentile), so whether it is
// within the threshold depends only on how many values are: the count is
// found by asking Percentile itself.
func neededWithin(minutes int, q float64) int {
	v := make([]float64, minutes)
	for j := minutes; j >= 0; j-- { // j values within (0), the rest beyond (+Inf)
		for m := range v {
			v[m] = 0
			if m >= j {
				v[m] = math.Inf(1)
			}
		}
		if !(Percentile(v, q) <= 0) {
			return j + 1
		}
	}
	return 0
}

// impactScratch is a worker's extra state for the impact.
type impactScratch struct {
	bestPt  [][]int32 // per category, per departure: point of the transit best
	best2   [][]int32 // per category, per departure: transit best via another point
	walkPt  []int32   // per category: nearest point on foot
	walk2   []int32   // per category: walk to the nearest other point
	impHits []walk.Hit
	cand    []int32 // distinct argmin points of the cell
	count   []int32 // departures within the threshold per candidate
	argmin  []int32 // per departure: the point achieving TT, or -1
}

func (a *analysis) newImpactScratch(s *scratch) {
	for range a.cats {
		s.bestPt = append(s.bestPt, make([]int32, a.minutes))
		s.best2 = append(s.best2, make([]int32, a.minutes))
	}
	s.walkPt = make([]int32, len(a.cats))
	s.walk2 = make([]int32, len(a.cats))
	s.argmin = make([]int32, a.minutes)
}

// walkImpact sets the walk-only times of a cell and its nearest points.
func (a *analysis) walkImpact(s *scratch, cell *Cell) {
	for k := range a.cats {
		s.impHits = a.egress[k].points.Within(walk.Place{Lat: cell.Lat, Lon: cell.Lon}, a.rp.MaxDuration, s.impHits[:0])
		p1, s1, p2, s2 := nearest2(s.impHits)
		s.walk[k], s.walkPt[k], s.walk2[k] = s1, p1, s2
		_ = p2
	}
}

// cellImpact finds, for each category the cell is served for, its nearest
// point and its decisive points.
func (a *analysis) cellImpact(s *scratch, c int) {
	nk := len(a.cats)
	imp := a.res.Impact
	for k := range a.cats {
		imp.Nearest[c*nk+k] = -1
		if !a.res.Served[c*nk+k] {
			continue
		}
		s.cand, s.count = s.cand[:0], s.count[:0]
		for m, v := range s.tt[k] {
			pt := int32(-1)
			if v != router.Unreached {
				dep := a.p.From + int32(m)*a.p.Step
				pt = s.walkPt[k]
				if b := s.best[k][m]; b != router.Unreached && b-dep < s.walk[k] {
					pt = s.bestPt[k][m]
				}
			}
			s.argmin[m] = pt
			if pt < 0 {
				continue
			}
			j := 0
			for j < len(s.cand) && s.cand[j] != pt {
				j++
			}
			if j == len(s.cand) {
				s.cand = append(s.cand, pt)
				s.count = append(s.count, 0)
			}
			if v <= a.p.Threshold {
				s.count[j]++
			}
		}
		best := -1
		for j, pt := range s.cand {
			if s.count[j] > 0 && (best < 0 || s.count[j] > s.count[best] || s.count[j] == s.count[best] && pt < s.cand[best]) {
				best = j
			}
		}
		if best >= 0 {
			imp.Nearest[c*nk+k] = s.cand[best]
		}
		// Removing p changes TT only at the departures where p is the
		// argmin; the cell stays served while at least a.needed
		// departures remain within the threshold.
		within := 0
		for _, v := range s.tt[k] {
			if v <= a.p.Threshold {
				within++
			}
		}
		for _, p := range s.cand {
			w := s.walk[k]
			if s.walkPt[k] == p {
				w = s.walk2[k]
			}
			n := within
			for m, v := range s.tt[k] {
				if s.argmin[m] != p || v > a.p.Threshold {
					continue
				}
				dep := a.p.From + int32(m)*a.p.Step
				b := s.best[k][m]
				if s.bestPt[k][m] == p {
					b = s.best2[k][m]
				}
				if TravelTime(w, b, dep, a.rp.MaxDuration) > a.p.Threshold {
					n--
				}
			}
			if n < a.needed {
				imp.Sole[c*nk+k] = append(imp.Sole[c*nk+k], p)
			}
		}
	}
}
