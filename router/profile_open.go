package router

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/vingt/vingt/hours"
)

// This file holds the seeding of a profile search towards points with
// opening hours (SearchOpen): the egress of a stop becomes a function of
// the time one alights there. A point p open for arrivals in the windows
// [first_i, last_i] (hours.Windows: open at arrival and still open
// min_open later), walked to in w seconds after alighting at a, serves at
//
//	Arrive_p(a + w) = min over i with last_i ≥ a + w of max(a + w, first_i)
//
// (arriving early, one waits for the opening, and the wait counts). So a
// stop's egress is the minimum, over its items (D = last_i − w, w,
// O = first_i) with a ≤ D, of max(a + w, O): non-decreasing in a, which
// the search needs (an earlier alighting is served no later). The
// backward search evaluates it only at the alighting times of trips (and
// to drop dominated transfer entries), so the profiles stay exact step
// functions: an entry (τ, v) means "at the stop by τ, served at v", v
// including the wait for the opening.

// Target is one way to reach a point after the last ride: the walk from
// Stop to point Point, in seconds.
type Target struct {
	Stop, Point, Seconds int32
}

// tgtWalk is a walk from a stop to a point after the last ride, footpath
// included.
type tgtWalk struct{ stop, point, sec int32 }

// SearchOpen is Search towards points with opening hours: targets are the
// walks from stops to points, open[p] the arrival windows of point p
// (hours.AlwaysWindows for a point without hours; a point that never
// serves reaches nothing). A profile entry's arrival is then the time the
// traveller is served, the wait for the opening included: Eval gives, per
// departure, the least over the journeys of Arrive_p(alighting + walk),
// as the forward router followed by the points' Arrive gives it. As in
// Search, the walk after the last ride may start with one footpath, the
// two within MaxWalk.
func (ps *ProfileSearcher) SearchOpen(targets []Target, open []hours.Windows, from, to int32, dst *Profile) error {
	tt := ps.tt
	n := ps.n
	capT := tt.params.MaxDuration
	for _, t := range targets {
		if t.Stop < 0 || t.Stop >= n || t.Seconds < 0 || t.Point < 0 || int(t.Point) >= len(open) {
			return fmt.Errorf("router: profile target %+v: no such stop or point, or a negative walk", t)
		}
	}
	hiT, err := ps.start(from, to, dst)
	if err != nil {
		return err
	}
	// The walks after the last ride: from the stop, or one footpath
	// before, within MaxWalk in total; the least per stop and point.
	ps.tgt = ps.chainTargets(ps.tgt[:0], targets, func(t Target) bool { return t.Seconds <= capT && !open[t.Point].None() })
	// Points always open give the plain egress; the others their items.
	fill(ps.egressV, Unreached)
	for _, t := range ps.tgt {
		if open[t.point].Always() && t.sec < ps.egressV[t.stop] {
			ps.egressV[t.stop] = t.sec
		}
	}
	ps.egOff = grow(ps.egOff, int(n+1))
	ps.egD, ps.egW, ps.egO = ps.egD[:0], ps.egW[:0], ps.egO[:0]
	ps.changed.clear()
	i := 0
	for s := range n {
		ps.egOff[s] = int32(len(ps.egD))
		start := len(ps.egD)
		e := ps.egressV[s]
		for ; i < len(ps.tgt) && ps.tgt[i].stop == s; i++ {
			t := ps.tgt[i]
			if i > 0 && ps.tgt[i-1].stop == s && ps.tgt[i-1].point == t.point {
				continue // a longer walk to the same point
			}
			if open[t.point].Always() || e != Unreached && t.sec >= e {
				continue // served no later by an always-open point
			}
			windowItems(open[t.point], t.sec, from, hiT, func(d, o int32) {
				ps.egD = append(ps.egD, d)
				ps.egW = append(ps.egW, t.sec)
				ps.egO = append(ps.egO, o)
			})
		}
		ps.pruneItems(start)
		if e != Unreached || len(ps.egD) > start {
			ps.changed.set(s)
		}
	}
	ps.egOff[n] = int32(len(ps.egD))
	return ps.search(from, to, hiT, dst)
}

// windowItems calls add(D, O) for each arrival window [first, last] of w
// that a point walked to in sec seconds after alighting offers a search
// alighting within [from, hiT]: alighting at a ≤ D = last − sec, one is
// served at max(a + sec, O = first).
func windowItems(w hours.Windows, sec, from, hiT int32, add func(d, o int32)) {
	pairs := w.Pairs()
	for j := 0; j+1 < len(pairs); j += 2 {
		d, o := pairs[j+1]-sec, pairs[j]
		if d < from || o > hiT {
			continue // no alighting in the search is served by it usefully
		}
		add(d, o)
	}
}

// chainTargets appends to dst the walks after the last ride to the
// targets that keep accepts: from the target's stop, or one footpath
// before, within MaxWalk together; sorted by stop, point and walk.
func (ps *ProfileSearcher) chainTargets(dst []tgtWalk, targets []Target, keep func(Target) bool) []tgtWalk {
	for _, t := range targets {
		if !keep(t) {
			continue
		}
		dst = append(dst, tgtWalk{t.Stop, t.Point, t.Seconds})
		for _, r := range ps.rev[ps.revOff[t.Stop]:ps.revOff[t.Stop+1]] {
			if x := r.sec + t.Seconds; x <= ps.tt.params.MaxWalk {
				dst = append(dst, tgtWalk{r.to, t.Point, x})
			}
		}
	}
	slices.SortFunc(dst, func(x, y tgtWalk) int {
		if c := cmp.Compare(x.stop, y.stop); c != 0 {
			return c
		}
		if c := cmp.Compare(x.point, y.point); c != 0 {
			return c
		}
		return cmp.Compare(x.sec, y.sec)
	})
	return dst
}

// pruneItems sorts the items of a stop (from start on) by D and drops
// those another item serves no later at every alighting time: D' ≥ D,
// w' ≤ w and O' ≤ O.
func (ps *ProfileSearcher) pruneItems(start int) {
	d, w, o := ps.egD[start:], ps.egW[start:], ps.egO[start:]
	if len(d) < 2 {
		return
	}
	// Insertion sort by D: a stop has few items.
	for i := 1; i < len(d); i++ {
		for j := i; j > 0 && d[j] < d[j-1]; j-- {
			d[j], d[j-1] = d[j-1], d[j]
			w[j], w[j-1] = w[j-1], w[j]
			o[j], o[j-1] = o[j-1], o[j]
		}
	}
	if len(d) > 64 {
		return // quadratic pruning not worth it
	}
	k := 0
	for i := range d {
		dom := false
		for j := range d {
			if j != i && d[j] >= d[i] && w[j] <= w[i] && o[j] <= o[i] &&
				(d[j] > d[i] || w[j] < w[i] || o[j] < o[i] || j < i) {
				dom = true
				break
			}
		}
		if !dom {
			d[k], w[k], o[k] = d[i], w[i], o[i]
			k++
		}
	}
	ps.egD, ps.egW, ps.egO = ps.egD[:start+k], ps.egW[:start+k], ps.egO[:start+k]
}

// timedAt returns the least of best and the time a traveller alighting at
// stop s at a is served through its timed items.
func (ps *ProfileSearcher) timedAt(s, a, best int32) int32 {
	for i := ps.egOff[s]; i < ps.egOff[s+1]; i++ {
		if ps.egD[i] < a {
			continue
		}
		v := max(a+ps.egW[i], ps.egO[i])
		if v < best {
			best = v
		}
	}
	return best
}

// egressAt returns the time a traveller alighting at stop s at a is
// served at a point by walking (footpath included), or Unreached.
func (ps *ProfileSearcher) egressAt(s, a int32) int32 {
	best := Unreached
	if e := ps.egressV[s]; e != Unreached {
		best = a + e
	}
	if ps.egOff[s] < ps.egOff[s+1] {
		best = ps.timedAt(s, a, best)
	}
	return best
}
