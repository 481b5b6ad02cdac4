package coverage

// This file is the indicator of measure 3, in one place: what a number in
// our output means. For a cell c, a category k and a departure t of the
// window W:
//
//	TT(c,k,t) = min(walk-only, min over stops s of arrival(s) + egress_k(s)) − t
//
// where walk-only is the walk from c to the nearest point of k (bounded
// only by the cap max_duration, like any trip), arrival(s) the earliest arrival at s leaving c at t by a
// journey with at least one ride whose last leg is a ride (walk → ride →
// [walk transfer → ride]…), and egress_k(s) the walk after the last ride
// from s to the nearest point of k: from s, or one footpath s → s' then
// the walk from s', within max_walk in total (router.ChainEgress). TT beyond the cap (max_duration) is
// unreachable. TT_P(c,k) is the nearest-rank P-th percentile of TT(c,k,t)
// over the departures of W, unreachable counting as +∞; share(c,k) the
// fraction of departures with TT ≤ threshold; c is served for k when
// TT_P ≤ threshold (P the first percentile), served when served for every
// category. Run, route and isochrone all compute it here.
//
// Opening hours. When points of k have opening hours, a point p reached at
// time x counts at Arrive_p(x): x when p is open at x and stays open
// min_open after, else the next such time (the wait is part of the travel
// time), never when there is none. Then
//
//	walk-only = min over points p within max_walk of Arrive_p(t + walk(c,p)) − t
//	transit   = min over stops s, points p within max_walk of s of
//	            Arrive_p(arrival(s) + walk(s,p)) − t
//
// (walk(s,p) after the last ride, a footpath first included, as above)
//
// (points without hours: Arrive_p(x) = x, which gives the formula above).
// A point closed all the window long (and until the cap) is the point
// removed. Both engines compute it exactly: the forward one evaluates
// Arrive per departure; the profile one seeds its backward search with
// each point's windows (router.Top2Searcher.SearchNearestOpen, which
// also names the point that serves first).
//
// The walk after the last ride, like the access walk, is bounded by
// max_walk in total: from the stop alighted at, or one footpath to
// another stop and the walk from there, the two within max_walk.

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"

	"github.com/vingt/vingt/hours"
	"github.com/vingt/vingt/router"
	"github.com/vingt/vingt/walk"
)

// Params are the indicator's parameters (the routing parameters live in the
// timetable's router.Params).
type Params struct {
	// From and To bound the departure window in seconds after midnight of
	// the analysis date, half-open: From, From+Step, … < To.
	From, To, Step int32
	// Threshold is the travel time, in seconds, within which a category
	// counts as reached (default 1200).
	Threshold int32
	// Percentiles are the percentiles (0–100) of the travel time over the
	// window that are reported; the first one decides the served flags.
	Percentiles []float64
	// Workers is the number of goroutines routing cells (≤ 0: all CPUs).
	Workers int
	// Engine is the routing engine: EngineProfile ("" too) or
	// EngineForward; both give the same results, opening hours included.
	Engine string
	// MinOpen is, for points with opening hours, the least time in
	// seconds a point must stay open after the traveller is served
	// (default 900).
	MinOpen int32
	// Date is the analysis date, that of the timetable: opening hours are
	// read for it.
	Date hours.Date
	// Holidays, when set, are the school holidays that opening hours' SH
	// rules match (none when nil).
	Holidays *hours.Calendar
}

// DefaultParams returns the defaults of measure 3: 08:00–10:00 at 1-minute
// steps, 20 minutes, the median.
func DefaultParams() Params {
	return Params{From: 8 * 3600, To: 10 * 3600, Step: 60, Threshold: 1200, Percentiles: []float64{50}, Engine: EngineProfile, MinOpen: 900}
}

// Validate reports whether the parameters are usable.
func (p Params) Validate() error {
	switch {
	case p.Step <= 0:
		return fmt.Errorf("coverage: window step %d s: must be positive", p.Step)
	case p.To <= p.From:
		return fmt.Errorf("coverage: window %s-%s: end must be after start", FormatClock(p.From), FormatClock(p.To))
	case p.Threshold <= 0:
		return fmt.Errorf("coverage: threshold %d s: must be positive", p.Threshold)
	case p.MinOpen < 0 || p.MinOpen > maxMinOpen:
		return fmt.Errorf("coverage: min_open %d s: must be within 0–4h", p.MinOpen)
	case len(p.Percentiles) == 0:
		return fmt.Errorf("coverage: at least one percentile is needed")
	}
	for _, q := range p.Percentiles {
		if !(q >= 0 && q <= 100) {
			return fmt.Errorf("coverage: percentile %v: must be within 0–100", q)
		}
	}
	return validEngine(p.Engine)
}

// Minutes returns the number of departures in the window.
func (p Params) Minutes() int { return int((p.To - p.From + p.Step - 1) / p.Step) }

// Results holds the per-cell indicators, as columns over the cells, and
// the cells' territories.
type Results struct {
	Params     Params
	Categories []string
	// TravelTime is indexed [cell][category][percentile], flattened, in
	// seconds; +Inf when beyond the cap.
	TravelTime []float64
	// Share is indexed [cell][category]: the fraction of the window's
	// departures with a travel time within the threshold.
	Share []float64
	// Served is indexed [cell][category].
	Served []bool
	// ServedAll tells whether a cell is served for every category.
	ServedAll []bool
	// Routed tells whether the cell had a stop within walking distance
	// (otherwise only walking was considered).
	Routed []bool
	// Territory is indexed [level][cell]: the index of the territory
	// containing the cell's centre, or -1.
	Territory [][]int32
	// Impact, with AnalyzeImpact only, is what closing each point would
	// change per cell.
	Impact *Impact
}

// TravelTime is TT: the door-to-door time leaving at dep, in seconds,
// from the walk-only time (Unreached when none) and the earliest arrival
// by transit at the destination, egress walk included (Unreached when
// none); Unreached beyond maxDuration.
func TravelTime(walkOnly, transitArrival, dep, maxDuration int32) int32 {
	v := walkOnly
	if transitArrival != router.Unreached && transitArrival-dep < v {
		v = transitArrival - dep
	}
	if v > maxDuration {
		return router.Unreached
	}
	return v
}

// Percentile returns the nearest-rank q-th percentile (0–100) of sorted
// values: the smallest value with at least q % of the values at or below
// it (+Inf stands for unreachable).
func Percentile(sorted []float64, q float64) float64 {
	return stat.Quantile(q/100, stat.Empirical, sorted, nil)
}

// percentileRank returns the index in n sorted values of their q-th
// percentile, as Percentile finds it (stat.Quantile's empirical rule: the
// first index i with i + 1 ≥ q/100 × n).
func percentileRank(q float64, n int) int {
	f := q / 100 * float64(n)
	i := 0
	for i < n-1 && float64(i+1) < f {
		i++
	}
	return i
}

// selectRank reorders v so that v[j] is the value a sort would put there,
// those before it no greater and those after it no less (Hoare's
// selection, the median of three as pivot).
func selectRank(v []int32, j int) {
	lo, hi := 0, len(v)-1
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if v[mid] < v[lo] {
			v[mid], v[lo] = v[lo], v[mid]
		}
		if v[hi] < v[lo] {
			v[hi], v[lo] = v[lo], v[hi]
		}
		if v[hi] < v[mid] {
			v[hi], v[mid] = v[mid], v[hi]
		}
		pivot := v[mid]
		i, k := lo, hi
		for i <= k {
			for v[i] < pivot {
				i++
			}
			for v[k] > pivot {
				k--
			}
			if i <= k {
				v[i], v[k] = v[k], v[i]
				i++
				k--
			}
		}
		switch {
		case j <= k:
			hi = k
		case j >= i:
			lo = i
		default:
			return // v[j] equals the pivot
		}
	}
}

// seconds returns a travel time as a float, +Inf for Unreached.
func seconds(v int32) float64 {
	if v == router.Unreached {
		return math.Inf(1)
	}
	return float64(v)
}

// egress is, for one category, the stops from which a point of the
// category can be walked to after the last ride, and the walk seconds to
// the nearest one: from the stop, or after one footpath to another stop,
// the footpath and the walk within max_walk together (router.ChainEgress).
type egress struct {
	stops []int32
	secs  []int32
	// direct are the walks from the stops themselves (no footpath), for
	// the profile engine, which chains the footpaths itself; targets the
	// same per point, for a category with opening hours.
	direct  []router.Access
	targets []router.Target
	// points indexes the category's points for the walk-only trip.
	points walk.Index
	// near1, near2 and secs2, for the impact only, are per stop its
	// nearest point, its second-nearest point (-1: none) and the walk to it.
	near1, near2, secs2 []int32
	// site, for the impact only, is per point the lowest index of the
	// points at the same coordinates, siteSize per such index the number
	// of points there, and sites those indices, increasing.
	site, siteSize, sites []int32
	// top2, for the impact with the profile engine, are the egress
	// labels of the stops: the walks to their nearest site and to the
	// nearest other one (profile_impact.go).
	top2 []router.StopTop2
	// open, for a category with opening hours, are its points' arrival
	// windows (nil otherwise: every point always open), and near, per
	// egress stop, the points within max_walk (footpath included) and
	// their walks.
	open []hours.Windows
	near [][]walk.Hit
}

// timed reports whether the category has opening hours: its egress is a
// function of the arrival time.
func (e *egress) timed() bool { return e.open != nil }

// servedSites offers to t the times a traveller who reaches stop i of the
// egress at arr is served at its points (walk, then Arrive), by site,
// skipping the stop when none can be earlier than t's best or tie with it
// (with both, than t's best through another site: the impact's).
func (e *egress) servedSites(i int, arr int32, t *top2, both bool) {
	bound := t.b1
	if both {
		bound = t.b2
	}
	if arr+e.secs[i] > bound {
		return // Arrive(arr+walk) >= arr+walk >= arr+secs[i]
	}
	for _, h := range e.near[i] {
		if v, ok := e.open[h.Place].Arrive(arr + h.Seconds); ok {
			t.offer(v, e.site[h.Place])
		}
	}
}

// walkOnlyAtSite returns, for a category with opening hours, the
// walk-only travel time leaving at dep through the points hits (within
// the cap): the least Arrive(dep+walk) − dep, or Unreached; the site of
// the point that serves first, or -1 when none or when two sites serve as
// early; and the least through another site than that first one.
func (e *egress) walkOnlyAtSite(hits []walk.Hit, dep int32) (best, site, other int32) {
	t := newTop2()
	for _, h := range hits {
		if v, ok := e.open[h.Place].Arrive(dep + h.Seconds); ok {
			t.offer(v-dep, e.site[h.Place])
		}
	}
	return t.b1, t.unique(), t.b2
}

// buildEgress precomputes, once per category, the walk from every stop to
// the nearest point of the category after the last ride (a footpath may
// come first, within max_walk in total), and indexes the points for the
// walk-only candidate.
func (a *analysis) buildEgress() {
	n := a.tt.NumStops()
	w := a.tt.Walker()
	var fps []router.Access
	for _, c := range a.cats {
		places := make([]walk.Place, len(c.Points))
		for i, pt := range c.Points {
			places[i] = walk.Place{Lat: pt.Lat, Lon: pt.Lon}
		}
		ix := w.Index(places)
		var e egress
		e.points = ix
		// The points of each stop: the forward engine's (to name the
		// site each arrival reaches), the impact's and the hours'.
		hitsOf := a.impact || a.p.engine() == EngineForward || c.WithHours() > 0
		var direct [][]walk.Hit // per stop, with hitsOf
		if hitsOf {
			direct = make([][]walk.Hit, n)
		}
		for s := range int32(n) {
			if !a.tt.Served(s) {
				continue
			}
			if hitsOf {
				direct[s] = ix.Within(a.tt.StopPlace(s), a.rp.MaxWalk, nil)
				for _, h := range direct[s] {
					e.targets = append(e.targets, router.Target{Stop: s, Point: h.Place, Seconds: h.Seconds})
				}
			}
			if v := ix.Nearest(a.tt.StopPlace(s), a.rp.MaxWalk); v != walk.Unreached {
				e.direct = append(e.direct, router.Access{Stop: s, Seconds: v})
			}
		}
		for _, x := range a.tt.ChainEgress(e.direct) {
			e.stops = append(e.stops, x.Stop)
			e.secs = append(e.secs, x.Seconds)
		}
		if hitsOf {
			// Per egress stop, its points (through a footpath too), each
			// at its least walk, sorted by point.
			e.near = make([][]walk.Hit, len(e.stops))
			best := make([]int32, len(c.Points))
			fill32(best, walk.Unreached)
			for i, s := range e.stops {
				var near []walk.Hit
				add := func(p, sec int32) {
					if best[p] == walk.Unreached {
						near = append(near, walk.Hit{Place: p})
					}
					best[p] = min(best[p], sec)
				}
				for _, h := range direct[s] {
					add(h.Place, h.Seconds)
				}
				fps = a.tt.Footpaths(s, fps[:0])
				for _, f := range fps {
					for _, h := range direct[f.Stop] {
						if f.Seconds+h.Seconds <= a.rp.MaxWalk {
							add(h.Place, f.Seconds+h.Seconds)
						}
					}
				}
				for j := range near {
					near[j].Seconds = best[near[j].Place]
					best[near[j].Place] = walk.Unreached
				}
				slices.SortFunc(near, func(x, y walk.Hit) int { return int(x.Place - y.Place) })
				e.near[i] = near
			}
		}
		if c.WithHours() > 0 {
			e.open = make([]hours.Windows, len(c.Points))
			for i, pt := range c.Points {
				e.open[i] = hours.AlwaysWindows()
				if pt.Hours != nil {
					e.open[i] = pt.Hours.Windows(a.p.Date, a.p.MinOpen, a.p.Holidays)
				}
			}
		} else {
			e.targets = nil
		}
		a.egress = append(a.egress, e)
	}
	a.buildSites()
	if a.impact || a.p.engine() == EngineForward {
		a.buildEgressImpact()
	}
	if a.p.engine() != EngineForward {
		return // the boarding times are the forward engine's
	}
	// A departure t from a cell catches a trip leaving an access stop at
	// d when t + walk + slack ≤ d: only d within these bounds matter.
	lo := a.p.From + a.rp.BoardSlack
	hi := a.p.To + a.rp.MaxWalk + a.rp.BoardSlack
	a.boarding = make([][]int32, n)
	for s := range n {
		a.boarding[s] = a.tt.BoardingTimes(int32(s), lo, hi, nil)
	}
}

// reduceMinute records, for the departure dep, the earliest arrival at a
// point of each category by transit (the forward engine's): the best stop
// alighted at (arrival by a ride: the walk after the last ride is the
// egress's) plus its walk; for a category without opening hours also the
// site that gives it when no other ties (bestPt) and the best arrival
// through another site (best2), in one pass: each stop offers its nearest
// site, then its second-nearest.
func (a *analysis) reduceMinute(s *scratch, dep int32, arrivals []int32) {
	m := (dep - a.p.From) / a.p.Step
	for k := range a.cats {
		e := &a.egress[k]
		if e.timed() {
			t2 := newTop2()
			for i, st := range e.stops {
				if t := s.router.RideArrival(st); t != router.Unreached {
					e.servedSites(i, t, &t2, a.impact)
				}
			}
			s.best[k][m], s.bestPt[k][m], s.best2[k][m] = t2.b1, t2.unique(), t2.b2
			continue
		}
		t2 := newTop2()
		for i, st := range e.stops {
			t := s.router.RideArrival(st)
			if t == router.Unreached {
				continue
			}
			t2.offer(t+e.secs[i], e.near1[i])
			if e.near2[i] >= 0 {
				t2.offer(t+e.secs2[i], e.near2[i])
			}
		}
		s.best[k][m], s.bestPt[k][m], s.best2[k][m] = t2.b1, t2.unique(), t2.b2
	}
}

// summarise reduces the per-departure travel times of one cell to
// percentiles, shares and served flags.
func (a *analysis) summarise(s *scratch, c int) {
	r := a.res
	nk, np := len(a.cats), len(a.p.Percentiles)
	all := true
	for k := range a.cats {
		within := 0
		for _, v := range s.tt[k] {
			if v <= a.p.Threshold {
				within++
			}
		}
		// The percentiles are ranks of the seconds (seconds is increasing:
		// Unreached, the largest int32, becomes +Inf): one is selected,
		// several sorted.
		copy(s.secs, s.tt[k])
		if np > 1 {
			slices.Sort(s.secs)
		}
		for i, q := range a.p.Percentiles {
			j := percentileRank(q, len(s.secs))
			if np == 1 {
				selectRank(s.secs, j)
			}
			r.TravelTime[(c*nk+k)*np+i] = seconds(s.secs[j])
		}
		r.Share[c*nk+k] = float64(within) / float64(a.minutes)
		served := r.TravelTime[(c*nk+k)*np] <= float64(a.p.Threshold)
		r.Served[c*nk+k] = served
		all = all && served
	}
	r.ServedAll[c] = all
}

func fill32(s []int32, v int32) {
	for i := range s {
		s[i] = v
	}
}
