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
// now stays unserved (removing a point only raises TT).
//
// Sites and ties. Points of a category at the same coordinates (two
// counters in one building) form a site: they are reached at the same
// second by every route, so removing one of them alone changes nothing
// (none of them is ever sole), and the site is named by its lowest point
// index (which gets the population_nearest). Between distinct sites, a
// departure at which two sites are reached at the same second (by transit
// or on foot, or one each way) is credited to no site: removing either
// leaves the other, so no single closure changes that departure, and the
// rule does not depend on the order in which an engine meets the routes
// (both engines give the same answer; TestImpactEnginesRandom).

import (
	"context"
	"fmt"
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
	// AtPercentile is indexed [cell][category]: the point reached at the
	// earliest departure whose travel time is the first percentile's and
	// at which one site decides (no tie), or -1 (none within the cap, or
	// ties at all such departures). Served or not: it says which point
	// decides the cell's time (nearest_<category> in cells.parquet).
	AtPercentile []int32
	// IDs are per category its points' ids, for the outputs.
	IDs [][]string
}

// AnalyzeImpact is Analyze that also computes, for every cell and
// category, the points whose single closure would make it unserved
// (Results.Impact), with the engine p.Engine names: both give the same
// answer (the profile engine through one top-two profile per category,
// profile_impact.go, seeded with the points' opening windows for a
// category with hours).
func AnalyzeImpact(ctx context.Context, tt *router.Timetable, cells []Cell, cats []*Category, p Params, progress func(done int)) (*Results, error) {
	a := &analysis{tt: tt, rp: tt.Params(), p: p, cells: cells, cats: cats, minutes: p.Minutes(), impact: true}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	a.needed = neededWithin(a.minutes, p.Percentiles[0])
	return a.run(ctx, progress)
}

// top2 keeps the best two values through distinct sites: b1 at p1 is
// the best of all, b2 at p2 the best through a site other than p1. Ties
// keep the first offered.
type top2 struct{ b1, p1, b2, p2 int32 }

func newTop2() top2 { return top2{router.Unreached, -1, router.Unreached, -1} }

func (t *top2) offer(v, p int32) {
	switch {
	case p == t.p1:
		t.b1 = min(t.b1, v)
	case v < t.b1:
		t.b2, t.p2 = t.b1, t.p1
		t.b1, t.p1 = v, p
	case p == t.p2:
		t.b2 = min(t.b2, v)
	case v < t.b2:
		t.b2, t.p2 = v, p
	}
}

// unique returns the site of the best value, or -1 when none or when
// another site ties with it.
func (t *top2) unique() int32 {
	if t.b1 == router.Unreached || t.b2 == t.b1 {
		return -1
	}
	return t.p1
}

// pointIDs returns, per category, its points' ids.
func pointIDs(cats []*Category) [][]string {
	ids := make([][]string, len(cats))
	for k, c := range cats {
		ids[k] = make([]string, len(c.Points))
		for i, pt := range c.Points {
			ids[k][i] = pt.ID
		}
	}
	return ids
}

// nearest2 returns, among hits, the nearest site (site maps a point to
// its site) and its seconds, and the nearest other site and its seconds
// (-1 and Unreached when absent).
func nearest2(hits []walk.Hit, site []int32) (p1, s1, p2, s2 int32) {
	t := newTop2()
	for _, h := range hits {
		t.offer(h.Seconds, site[h.Place])
	}
	return t.p1, t.b1, t.p2, t.b2
}

// buildSites sets, per category, each point's site: the lowest index of
// the points at the same coordinates (with opening hours: and the same
// opening windows on the run's date, so that the points of a site serve
// every arrival at the same second); and the sites in index order.
func (a *analysis) buildSites() {
	type place struct {
		lon, lat float64
		open     string // the windows, with opening hours
	}
	for k, c := range a.cats {
		e := &a.egress[k]
		e.site = make([]int32, len(c.Points))
		e.siteSize = make([]int32, len(c.Points))
		first := map[place]int32{}
		for i, pt := range c.Points {
			key := place{lon: pt.Lon, lat: pt.Lat}
			if e.timed() {
				key.open = fmt.Sprint(e.open[i].Always(), e.open[i].Pairs())
			}
			r, ok := first[key]
			if !ok {
				r = int32(i)
				first[key] = r
				e.sites = append(e.sites, r)
			}
			e.site[i] = r
			e.siteSize[r]++
		}
	}
}

// buildEgressImpact fills, per egress stop of a category without opening
// hours, its nearest and its second-nearest site (the forward engine's and
// the impact's).
func (a *analysis) buildEgressImpact() {
	for k := range a.egress {
		e := &a.egress[k]
		if e.timed() {
			continue // its egress is a function of the time (served)
		}
		e.near1 = make([]int32, len(e.stops))
		e.near2 = make([]int32, len(e.stops))
		e.secs2 = make([]int32, len(e.stops))
		for i := range e.stops {
			// The points of the stop, through a footpath too (buildEgress).
			p1, s1, p2, s2 := nearest2(e.near[i], e.site)
			e.near1[i], e.secs[i], e.near2[i], e.secs2[i] = p1, s1, p2, s2
		}
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
	bestPt   [][]int32 // per category, per departure: point of the transit best
	best2    [][]int32 // per category, per departure: transit best via another point
	walkPt   []int32   // per category: nearest point on foot
	walkAt   [][]int32 // per category with hours, per departure: walk-only time
	walkPtAt [][]int32 // the same: the site that serves first on foot, or -1
	walk2At  [][]int32 // the same: walk-only time through another site
	walk2    []int32   // per category: walk to the nearest other point
	impHits  []walk.Hit
	cand     []int32       // distinct argmin points of the cell
	count    []int32       // departures within the threshold per candidate
	argmin   []int32       // per departure: the point achieving TT, or -1
	top2Buf  []router.Top2 // per departure: the top-two profile's label
}

func (a *analysis) newImpactScratch(s *scratch) {
	for k := range a.cats {
		s.bestPt = append(s.bestPt, make([]int32, a.minutes))
		s.best2 = append(s.best2, make([]int32, a.minutes))
		var at, pt, w2 []int32
		if a.egress[k].timed() {
			at, pt, w2 = make([]int32, a.minutes), make([]int32, a.minutes), make([]int32, a.minutes)
		}
		s.walkAt, s.walkPtAt, s.walk2At = append(s.walkAt, at), append(s.walkPtAt, pt), append(s.walk2At, w2)
	}
	s.walkPt = make([]int32, len(a.cats))
	s.walk2 = make([]int32, len(a.cats))
	s.argmin = make([]int32, a.minutes)
}

// walkNearest sets the walk-only time of a cell to category k, which has
// no opening hours, and its nearest site on foot (-1 when two sites are as
// near), and the walk to the nearest other site.
func (a *analysis) walkNearest(s *scratch, cell *Cell, k int) {
	place := walk.Place{Lat: cell.Lat, Lon: cell.Lon}
	reach := a.rp.MaxDuration
	if !a.impact {
		// Without the impact only the nearest sites matter: the points
		// within the nearest one's walk (the cap's disk holds hundreds
		// of points in a city).
		if reach = a.egress[k].points.Nearest(place, reach); reach == walk.Unreached {
			s.walk[k], s.walkPt[k], s.walk2[k] = router.Unreached, -1, router.Unreached
			return
		}
	}
	s.impHits = a.egress[k].points.Within(place, reach, s.impHits[:0])
	p1, s1, _, s2 := nearest2(s.impHits, a.egress[k].site)
	if s2 == s1 {
		p1 = -1 // two sites as near: neither decides
	}
	s.walk[k], s.walkPt[k], s.walk2[k] = s1, p1, s2
}

// argmins sets s.argmin, per departure, the site that gives the cell's
// travel time to category k (-1: none within the cap, or two sites tie),
// and the cell's AtPercentile for k: the site at the earliest departure
// whose time is the first percentile's and at which one site decides
// (with opening hours: the site that serves first, the wait included).
func (a *analysis) argmins(s *scratch, c, k int) {
	nk := len(a.cats)
	np := len(a.p.Percentiles)
	at := &a.res.Impact.AtPercentile[c*nk+k]
	*at = -1
	q := a.res.TravelTime[(c*nk+k)*np]
	for m, v := range s.tt[k] {
		pt := a.argmin(s, k, m, v)
		s.argmin[m] = pt
		if pt >= 0 && *at < 0 && float64(v) == q {
			*at = pt
		}
	}
}

// argmin returns the site that gives the cell's travel time v to category
// k at departure m (-1: none within the cap, or two sites tie).
func (a *analysis) argmin(s *scratch, k, m int, v int32) int32 {
	if v == router.Unreached {
		return -1
	}
	dep := a.p.From + int32(m)*a.p.Step
	w, pt := s.walk[k], s.walkPt[k]
	if a.egress[k].timed() {
		w, pt = s.walkAt[k][m], s.walkPtAt[k][m]
	}
	if b := s.best[k][m]; b != router.Unreached {
		switch {
		case b-dep < w:
			pt = s.bestPt[k][m]
		case b-dep == w && s.bestPt[k][m] != pt:
			pt = -1 // on foot and by transit to distinct sites, as fast
		}
	}
	return pt
}

// cellNearest sets the cell's AtPercentile for every category.
func (a *analysis) cellNearest(s *scratch, c int) {
	nk := len(a.cats)
	np := len(a.p.Percentiles)
	for k := range a.cats {
		// As argmins, without the sites of the other departures: the
		// first departure at the percentile where one site decides.
		at := &a.res.Impact.AtPercentile[c*nk+k]
		*at = -1
		q := a.res.TravelTime[(c*nk+k)*np]
		for m, v := range s.tt[k] {
			if float64(v) == q {
				if pt := a.argmin(s, k, m, v); pt >= 0 {
					*at = pt
					break
				}
			}
		}
	}
}

// cellImpact finds, for each category the cell is served for, its nearest
// point and its decisive points.
func (a *analysis) cellImpact(s *scratch, c int) {
	nk := len(a.cats)
	imp := a.res.Impact
	for k := range a.cats {
		imp.Nearest[c*nk+k] = -1
		a.argmins(s, c, k)
		s.cand, s.count = s.cand[:0], s.count[:0]
		for m, v := range s.tt[k] {
			pt := s.argmin[m]
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
		if !a.res.Served[c*nk+k] {
			continue
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
		timed := a.egress[k].timed()
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
				if timed {
					// On foot, the time depends on the departure.
					w = s.walkAt[k][m]
					if s.walkPtAt[k][m] == p {
						w = s.walk2At[k][m]
					}
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
			if n < a.needed && a.egress[k].siteSize[p] == 1 {
				imp.Sole[c*nk+k] = append(imp.Sole[c*nk+k], p)
			}
		}
	}
}
