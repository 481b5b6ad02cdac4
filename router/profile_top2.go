package router

import (
	"fmt"
	"math"
	"math/bits"
	"sync"

	"github.com/vingt/vingt/hours"
)

// This file is the profile search of the impact (measure 16): per stop and
// time, not only the earliest arrival at a point of a category but the
// best two through distinct sites. A label (V1, S1, V2) says: the best
// arrival V1, a site S1 that gives it, and V2 the best arrival through a
// site other than S1 (V2 = V1: two sites tie). Over a set of journeys it
// is the least and the second least of the per-site bests, so two labels
// combine exactly (Combine): with the same S1, the least of each; else
// the better label's V1 and S1, and the least of its V2 and the other's
// V1 (the other's S1 is another site). Combine is associative,
// commutative and idempotent, and adding a walk or a ride to every
// journey shifts the label: the search of profile.go carries over with
// Combine in place of min. An entry is dominated where combining it
// changes nothing. Values beyond the cap (v − τ > MaxDuration, or later
// than the window's last useful arrival) are dropped from a label: they
// are beyond the cap for every departure the entry answers.

// Top2 is a label of the top-two search: the best arrival V1, a site S1
// reaching it (-1 when none), and V2 the best arrival through a site other
// than S1 (Unreached when none; V2 = V1 when two sites tie).
type Top2 struct{ V1, S1, V2 int32 }

// NoTop2 is the label of no journey.
var NoTop2 = Top2{Unreached, -1, Unreached}

// Combine returns the label of the union of the journeys of a and b.
func (a Top2) Combine(b Top2) Top2 {
	if a.S1 == b.S1 {
		return Top2{min(a.V1, b.V1), a.S1, min(a.V2, b.V2)}
	}
	if a.V1 <= b.V1 {
		return Top2{a.V1, a.S1, min(a.V2, b.V1)}
	}
	return Top2{b.V1, b.S1, min(b.V2, a.V1)}
}

// shift adds d seconds to every journey of the label.
func (a Top2) shift(d int32) Top2 {
	if a.V1 == Unreached {
		return NoTop2
	}
	if a.V2 != Unreached {
		a.V2 += d
	}
	a.V1 += d
	return a
}

// within drops the values above h.
func (a Top2) within(h int32) Top2 {
	if a.V1 > h {
		return NoTop2
	}
	if a.V2 > h {
		a.V2 = Unreached
	}
	return a
}

// StopTop2 is the egress of a stop for the top-two search: the walks to
// its nearest site and to the nearest other site, as a label.
type StopTop2 struct {
	Stop int32
	L    Top2
}

// ProfileTop2 is the result of a top-two profile search: per stop, the
// entries (τ, label), τ increasing, the label at τ combining every
// journey from the stop at time ≤ τ (all rides allowed). Its zero value
// is empty.
type ProfileTop2 struct {
	n        int32
	from, to int32
	off      []int32
	tau      []int32
	lab      []Top2
	ties     bool // from SearchNearest: V2 kept only where it ties with V1
	// unpack, when not nil, fills lab from pk on first use (labels): a
	// nearest-site profile evaluated on its packed labels never needs
	// them (0.8 MB a category in Porto Alegre).
	unpack *sync.Once

	// What EvalPruned needs (profile_prune.go): MaxDuration and MaxWalk of
	// the search, per stop the least V1 − τ of its entries, and the stops
	// absorbing it (absBy[absOff[s]:absOff[s+1]]) with their slack.
	capT, maxWalk int32
	minTT         []int32
	pk            []near // the labels packed, for a nearest-site profile
	absOff        []int32
	absBy, absX   []int32
	pruned        bool
}

// Bytes returns the memory the profile's offsets and entries take: τ, the
// labels, and for a nearest-site profile the packed labels (its labels
// are unpacked only once something reads them). It must not be called
// while the profile is evaluated.
func (p *ProfileTop2) Bytes() int {
	return 4*(len(p.off)+len(p.tau)) + 12*len(p.lab) + 8*len(p.pk)
}

// labels returns the profile's labels, unpacked from pk on first use for a
// nearest-site profile; safe for concurrent use.
func (p *ProfileTop2) labels() []Top2 {
	if u := p.unpack; u != nil {
		u.Do(func() {
			p.lab = reserve(p.lab[:0], len(p.pk))
			for _, l := range p.pk {
				p.lab = append(p.lab, l.top2())
			}
		})
	}
	return p.lab
}

// Eval writes to out[i] the label of the journeys with at least one ride
// leaving at deps[i] from the access stops, as Profile.Eval does for the
// earliest arrival: exact wherever a value is within MaxDuration, beyond
// it (or absent) elsewhere. deps must increase within the window; out
// must be as long as deps.
func (p *ProfileTop2) Eval(access []Access, deps []int32, out []Top2) {
	step, ok := p.start(deps, out)
	if !ok {
		return
	}
	inv := inverse(step)
	p.labels()
	for _, a := range access {
		p.addStop(a, deps, step, inv, out, math.MaxInt32)
	}
	p.finish(out[:len(deps)])
}

// start checks the departures of an evaluation, sets out to no journey
// and returns the step between departures (0 when uneven), false when
// there is nothing to evaluate.
func (p *ProfileTop2) start(deps []int32, out []Top2) (int32, bool) {
	nd := len(deps)
	if len(out) < nd {
		panic("router: ProfileTop2.Eval: out shorter than deps")
	}
	step := int32(0)
	if nd > 1 {
		step = deps[1] - deps[0]
	}
	for i := range deps {
		if i > 0 && deps[i] <= deps[i-1] || deps[i] < p.from || deps[i] >= p.to {
			panic("router: ProfileTop2.Eval: departures must increase within the window")
		}
		if i > 0 && deps[i]-deps[i-1] != step {
			step = 0
		}
		out[i] = NoTop2
	}
	return step, nd > 0 && len(p.off) > 0
}

// inverse returns ⌈2⁶⁴/step⌉, to divide by step as a multiplication (0
// for a step of 0 or 1).
func inverse(step int32) uint64 {
	if step > 1 {
		return math.MaxUint64/uint64(step) + 1
	}
	return 0
}

// addStop combines the entries of access stop a into out, each at the
// last departure it answers (finish spreads them to the earlier ones),
// but those slower than slow seconds from that departure (out is known to
// be faster at every departure: they would change nothing).
func (p *ProfileTop2) addStop(a Access, deps []int32, step int32, inv uint64, out []Top2, slow int32) {
	nd := len(deps)
	lo, hi := p.off[a.Stop], p.off[a.Stop+1]
	tau, lab := p.tau[lo:hi], p.lab[lo:hi]
	for j := lowerBound(tau, deps[0]+a.Seconds); j < len(tau); j++ {
		t := tau[j] - a.Seconds
		k := slot(deps, t, step, inv)
		if lab[j].V1-t <= slow {
			out[k] = out[k].Combine(lab[j])
		}
		if k == nd-1 {
			break
		}
	}
}

// finish spreads every label to the earlier departures and, for a
// nearest-site profile, projects the labels.
func (p *ProfileTop2) finish(out []Top2) {
	for i := len(out) - 2; i >= 0; i-- {
		out[i] = out[i].Combine(out[i+1])
	}
	if p.ties {
		for i := range out {
			out[i] = out[i].tied()
		}
	}
}

// Top2Searcher runs top-two profile searches; like ProfileSearcher, one
// per goroutine.
type Top2Searcher struct {
	ps       *ProfileSearcher // its footpaths, pattern bounds, queues and radix
	noAbsorb bool             // SetAbsorbers(false): no absorbing stops listed

	egW, egV []Top2 // per stop: walks to the sites, without and with a footpath first
	// S per stop, current and next round; B of the round before in
	// pOff/pTau/pLab (the current round is built in the profile itself:
	// only the last round is kept).
	sOff, nOff  []int32
	sTau, nTau  []int32
	sLab, nLab  []Top2
	pOff        []int32
	pTau        []int32
	pLab        []Top2
	prevOff     []int32
	prevTau     []int32
	prevLab     []Top2
	v           []Top2 // per trip of the pattern scanned
	candKey     []uint64
	candStop    []int32 // candidates: stop, τ and label, keyed by group
	candTau     []int32
	sorted      []uint64
	candLab     []Top2
	newStop     []int32
	newTau      []int32
	newLab      []Top2
	tmpTau      []int32
	tmpLab      []Top2
	tmpNew      []bool
	from        int32
	tb, idxBits uint
	keyBits     uint
	capT        int32

	near *nearSearcher // SearchNearest's and SearchNearestOpen's (profile_near.go)

	openItems // SearchOpen's
}

// openItems are the timed egress of a search towards points with opening
// hours: the targets, the points' windows and sites, and per stop its
// timed items (as ProfileSearcher.SearchOpen's: alighting at a ≤ D, one
// is served at max(a + walk, O)), each with its site.
type openItems struct {
	timed                bool
	targets              []Target
	open                 []hours.Windows
	site                 []int32
	tgt                  []tgtWalk
	egOff                []int32
	egD, egSec, egO, egS []int32
}

// set makes the next search towards the points with opening hours.
func (it *openItems) set(targets []Target, open []hours.Windows, site []int32) {
	it.timed, it.targets, it.open, it.site = true, targets, open, site
}

// reset forgets the points once the search is done.
func (it *openItems) reset() {
	it.timed, it.targets, it.open, it.site = false, nil, nil, nil
}

// build sets the timed items of every stop, as SearchOpen does: the
// walks to the points with hours from the stop or after one footpath,
// within MaxWalk together, the least per stop and point; an item whose
// walk is above bound(stop) (the walk of the always-open sites that
// serve before it at every alighting; Unreached: none) is left out. It
// marks the stops with items changed.
func (it *openItems) build(ps *ProfileSearcher, from, hiT int32, bound func(s int32) int32) {
	tt := ps.tt
	n := ps.n
	it.tgt = ps.chainTargets(it.tgt[:0], it.targets, func(t Target) bool {
		return t.Seconds <= tt.params.MaxDuration && !it.open[t.Point].None() && !it.open[t.Point].Always()
	})
	it.egOff = grow(it.egOff, int(n+1))
	it.egD, it.egSec, it.egO, it.egS = it.egD[:0], it.egSec[:0], it.egO[:0], it.egS[:0]
	i := 0
	for s := range n {
		it.egOff[s] = int32(len(it.egD))
		e := bound(s)
		for ; i < len(it.tgt) && it.tgt[i].stop == s; i++ {
			t := it.tgt[i]
			if i > 0 && it.tgt[i-1].stop == s && it.tgt[i-1].point == t.point {
				continue // a longer walk to the same point
			}
			if e != Unreached && t.sec > e {
				continue
			}
			windowItems(it.open[t.point], t.sec, from, hiT, func(d, o int32) {
				it.egD = append(it.egD, d)
				it.egSec = append(it.egSec, t.sec)
				it.egO = append(it.egO, o)
				it.egS = append(it.egS, it.site[t.point])
			})
		}
		if int(it.egOff[s]) < len(it.egD) {
			ps.changed.set(s)
		}
	}
	it.egOff[n] = int32(len(it.egD))
}

// NewTop2Searcher returns a top-two profile searcher over tt.
func NewTop2Searcher(tt *Timetable) *Top2Searcher {
	ps := NewProfileSearcher(tt)
	n := ps.n
	maxTrips := len(ps.v)
	return &Top2Searcher{ps: ps, egW: make([]Top2, n), egV: make([]Top2, n),
		sOff: make([]int32, n+1), nOff: make([]int32, n+1), v: make([]Top2, maxTrips)}
}

// Search computes into dst the top-two profiles of every stop towards
// the sites that the egress labels reach (walks from the stops
// themselves; after the last ride one footpath may come first, the two
// within MaxWalk, as Search chains them), for the departures of [from,
// to).
func (ts *Top2Searcher) Search(egress []StopTop2, from, to int32, dst *ProfileTop2) error {
	return ts.search(egress, from, to, dst)
}

// SearchOpen is Search towards points with opening hours, as
// ProfileSearcher.SearchOpen is ProfileSearcher.Search: targets are the
// walks from stops to points, open[p] the arrival windows of point p,
// site[p] its site. A label's values are the times the traveller is
// served (the wait for the opening included): V1 through the site that
// serves first, V2 through any other site.
func (ts *Top2Searcher) SearchOpen(targets []Target, open []hours.Windows, site []int32, from, to int32, dst *ProfileTop2) error {
	always, err := openEgress(ts.ps.n, targets, open, site)
	if err != nil {
		return err
	}
	ts.openItems.set(targets, open, site)
	defer ts.openItems.reset()
	return ts.search(always, from, to, dst)
}

// openEgress checks the targets of a search towards points with opening
// hours over n stops, and returns the egress labels of the points always
// open (the search chains a footpath before them; the others become timed
// items).
func openEgress(n int32, targets []Target, open []hours.Windows, site []int32) ([]StopTop2, error) {
	if len(site) != len(open) {
		return nil, fmt.Errorf("router: profile: a site per point is needed (sites: %d, points: %d)", len(site), len(open))
	}
	for _, t := range targets {
		if t.Stop < 0 || t.Stop >= n || t.Seconds < 0 || t.Point < 0 || int(t.Point) >= len(open) || site[t.Point] < 0 {
			return nil, fmt.Errorf("router: profile target %+v: no such stop, point or site, or a negative walk", t)
		}
	}
	var always []StopTop2
	for _, t := range targets {
		if open[t.Point].Always() {
			always = append(always, StopTop2{t.Stop, Top2{t.Seconds, site[t.Point], Unreached}})
		}
	}
	return always, nil
}

// egressAt is the label of alighting at stop s at a: the walks to the
// always-open sites and the timed items still serving.
func (ts *Top2Searcher) egressAt(s, a int32) Top2 {
	l := ts.egV[s].shift(a)
	for i := ts.egOff[s]; i < ts.egOff[s+1]; i++ {
		if ts.egD[i] >= a {
			l = l.Combine(Top2{max(a+ts.egSec[i], ts.egO[i]), ts.egS[i], Unreached})
		}
	}
	return l
}

// tied returns the label with V2 dropped unless it ties with V1.
func (a Top2) tied() Top2 {
	if a.V2 != a.V1 {
		a.V2 = Unreached
	}
	return a
}

// checkTop2 checks the window and the egress labels of a top-two or
// nearest-site search over n stops.
func checkTop2(n int32, egress []StopTop2, from, to int32) error {
	if to <= from || to-from > 86400 || from < -86400 || to > 3*86400 {
		return fmt.Errorf("router: profile window %d–%d s: must be a non-empty span of at most 24 h within −24 h…72 h", from, to)
	}
	for _, e := range egress {
		if e.Stop < 0 || e.Stop >= n || e.L.V1 < 0 || e.L.V2 < e.L.V1 || e.L.S1 < 0 && e.L.V1 != Unreached {
			return fmt.Errorf("router: profile egress %+v: no such stop, a negative walk, a second site nearer than the first or no site", e)
		}
	}
	return nil
}

func (ts *Top2Searcher) search(egress []StopTop2, from, to int32, dst *ProfileTop2) error {
	ps := ts.ps
	tt := ps.tt
	n := ps.n
	capT := tt.params.MaxDuration
	if err := checkTop2(n, egress, from, to); err != nil {
		return err
	}
	hiT := to - 1 + capT
	ts.capT, ts.from = capT, from
	ts.tb = uint(bits.Len32(uint32(hiT - from)))
	dst.n, dst.from, dst.to, dst.ties = n, from, to, false

	// The egress: from the stop, or one footpath then a walk, within
	// MaxWalk together.
	for s := range ts.egW {
		ts.egW[s] = NoTop2
	}
	for _, e := range egress {
		ts.egW[e.Stop] = ts.egW[e.Stop].Combine(e.L.within(capT))
	}
	copy(ts.egV, ts.egW)
	ps.changed.clear()
	for _, e := range egress {
		w := ts.egW[e.Stop]
		if w.V1 == Unreached {
			continue
		}
		ps.changed.set(e.Stop)
		for _, r := range ps.rev[ps.revOff[e.Stop]:ps.revOff[e.Stop+1]] {
			if x := w.shift(r.sec).within(tt.params.MaxWalk); x.V1 != Unreached {
				if y := ts.egV[r.to].Combine(x); y != ts.egV[r.to] {
					ts.egV[r.to] = y
					ps.changed.set(r.to)
				}
			}
		}
	}

	if ts.timed {
		// An item is left out only where two always-open sites are both
		// strictly nearer: it is then neither the first nor the second
		// site at any alighting.
		ts.build(ps, from, hiT, func(s int32) int32 { return ts.egV[s].V2 })
	}
	ps.patternBounds(from, hiT)

	fill(ts.sOff, 0)
	ts.sTau, ts.sLab = ts.sTau[:0], ts.sLab[:0]
	ts.pOff = grow(ts.pOff, int(n+1))
	dst.off = grow(dst.off, int(n+1))
	dst.tau, dst.lab, dst.unpack = dst.tau[:0], dst.lab[:0], nil

	for r := int32(1); r <= ps.rounds; r++ {
		ps.queuePatterns()
		ts.candStop, ts.candTau, ts.candLab = ts.candStop[:0], ts.candTau[:0], ts.candLab[:0]
		if r > 1 {
			// The round before moves to p*, its buffers to dst.
			ts.pOff, dst.off = dst.off, ts.pOff
			ts.pTau, dst.tau = dst.tau, ts.pTau[:0]
			ts.pLab, dst.lab = dst.lab, ts.pLab[:0]
			ts.prevOff, ts.prevTau, ts.prevLab = ts.pOff, ts.pTau, ts.pLab
		} else {
			ts.prevOff, ts.prevTau, ts.prevLab = ps.zeroOff, nil, nil
		}
		for _, pat := range ps.patQueue {
			last := ps.patLast[pat]
			ps.patLast[pat] = -1
			ts.scan(pat, last, from, hiT)
		}
		if err := ts.group(); err != nil {
			return err
		}

		ts.newStop, ts.newTau, ts.newLab = ts.newStop[:0], ts.newTau[:0], ts.newLab[:0]
		ts.newStop = reserve(ts.newStop, len(ts.sorted))
		ts.newTau = reserve(ts.newTau, len(ts.sorted))
		ts.newLab = reserve(ts.newLab, len(ts.sorted))
		dst.tau = reserve(dst.tau, len(ts.prevTau)+len(ts.sorted))
		dst.lab = reserve(dst.lab, len(ts.prevTau)+len(ts.sorted))
		dst.tau, dst.lab = ts.mergeStops(ts.prevOff, ts.prevTau, ts.prevLab, dst.off, dst.tau, dst.lab, true)
		dst.off[n] = int32(len(dst.tau))
		if r == ps.rounds {
			break
		}

		// S_r = S_{r−1} ∪ the new entries shifted back by the transfer
		// that leads to them.
		// Room for every candidate at once (a fresh searcher grew them
		// by doubling: a third of its time).
		bound := 0
		for _, s := range ts.newStop {
			bound += 1 + int(ps.revOff[s+1]-ps.revOff[s])
		}
		ts.candStop = reserve(ts.candStop[:0], bound)
		ts.candTau = reserve(ts.candTau[:0], bound)
		ts.candLab = reserve(ts.candLab[:0], bound)
		for i, s := range ts.newStop {
			t, l := ts.newTau[i], ts.newLab[i]
			if x := tt.selfExtra[s]; x != Unreached {
				ts.sCandidate(s, t-x, l)
			}
			for _, rw := range ps.rev[ps.revOff[s]:ps.revOff[s+1]] {
				ts.sCandidate(rw.to, t-rw.sec, l)
			}
		}
		if err := ts.group(); err != nil {
			return err
		}
		ps.changed.clear()
		ts.nTau = reserve(ts.nTau[:0], len(ts.sTau)+len(ts.sorted))
		ts.nLab = reserve(ts.nLab[:0], len(ts.sTau)+len(ts.sorted))
		ts.nTau, ts.nLab = ts.mergeStops(ts.sOff, ts.sTau, ts.sLab, ts.nOff, ts.nTau, ts.nLab, false)
		ts.nOff[n] = int32(len(ts.nTau))
		ts.sOff, ts.nOff = ts.nOff, ts.sOff
		ts.sTau, ts.nTau = ts.nTau, ts.sTau
		ts.sLab, ts.nLab = ts.nLab, ts.sLab
	}
	ts.prepare(dst)
	return nil
}

// mergeStops merges, stop by stop, the entries of (oldOff, oldTau,
// oldLab) with the grouped candidates (ts.sorted) into off, and appended
// to tau and lab, which it returns. An entry that changes its stop's
// profile is kept in newStop/newTau/newLab when keepNew (the round's new
// entries, walked from next), else marks its stop changed (the stops
// whose patterns the next round scans).
func (ts *Top2Searcher) mergeStops(oldOff, oldTau []int32, oldLab []Top2, off, tau []int32, lab []Top2, keepNew bool) ([]int32, []Top2) {
	ps := ts.ps
	for s := range ps.n {
		off[s] = int32(len(tau))
		oT, oL := oldTau[oldOff[s]:oldOff[s+1]], oldLab[oldOff[s]:oldOff[s+1]]
		cand := ts.sorted[ps.cnt[s]:ps.cnt[s+1]]
		if len(cand) == 0 {
			tau = append(tau, oT...)
			lab = append(lab, oL...)
			continue
		}
		ts.merge(oT, oL, cand)
		for i := len(ts.tmpTau) - 1; i >= 0; i-- {
			tau = append(tau, ts.tmpTau[i])
			lab = append(lab, ts.tmpLab[i])
			switch {
			case !ts.tmpNew[i]:
			case keepNew:
				ts.newStop = append(ts.newStop, s)
				ts.newTau = append(ts.newTau, ts.tmpTau[i])
				ts.newLab = append(ts.newLab, ts.tmpLab[i])
			default:
				ps.changed.set(s)
			}
		}
	}
	return tau, lab
}

// at returns the label of entries (τ increasing, labels cumulative) at
// time t: that of the first entry with τ ≥ t.
func at(tau []int32, lab []Top2, t int32) Top2 {
	if i := lowerBound(tau, t); i < len(tau) {
		return lab[i]
	}
	return NoTop2
}

// addCand adds a candidate entry (τ, label) of stop s.
func (ts *Top2Searcher) addCand(s, tau int32, l Top2) {
	ts.candStop = append(ts.candStop, s)
	ts.candTau = append(ts.candTau, tau)
	ts.candLab = append(ts.candLab, l)
}

// sCandidate adds the entry (a, l) to the candidates of S at stop s,
// unless it is outside the window or changes nothing there: neither the
// egress walk after alighting at a nor the entries S already has.
func (ts *Top2Searcher) sCandidate(s, a int32, l Top2) {
	if a < ts.from {
		return
	}
	l = l.within(a + ts.capT)
	if l.V1 == Unreached {
		return
	}
	var e Top2
	if ts.timed {
		e = ts.egressAt(s, a)
	} else {
		e = ts.egV[s].shift(a)
	}
	have := e.Combine(at(ts.sTau[ts.sOff[s]:ts.sOff[s+1]], ts.sLab[ts.sOff[s]:ts.sOff[s+1]], a))
	if have.Combine(l) == have {
		return
	}
	ts.addCand(s, a, l)
}

// group sorts the candidates by (stop, τ) into ts.sorted, keys (stop, τ,
// index of the candidate), with stop s at ts.sorted[ps.cnt[s]:ps.cnt[s+1]].
func (ts *Top2Searcher) group() error {
	ps := ts.ps
	ts.idxBits = uint(bits.Len(uint(len(ts.candLab))))
	ts.keyBits = uint(bits.Len32(uint32(ps.n))) + ts.tb + ts.idxBits
	if ts.keyBits > 64 {
		return fmt.Errorf("router: top-two profile search: %d candidates over %d stops: too many", len(ts.candLab), ps.n)
	}
	ts.candKey = reserve(ts.candKey[:0], len(ts.candStop))
	for i, s := range ts.candStop {
		ts.candKey = append(ts.candKey, uint64(s)<<(ts.tb+ts.idxBits)|uint64(ts.candTau[i]-ts.from)<<ts.idxBits|uint64(i))
	}
	ts.sorted, ts.candKey = radixSort(ts.candKey, ts.sorted, ps.radix, ts.idxBits, ts.keyBits)
	fill(ps.cnt, 0)
	for _, k := range ts.sorted {
		ps.cnt[k>>(ts.tb+ts.idxBits)+1]++
	}
	for s := range ps.n {
		ps.cnt[s+1] += ps.cnt[s]
	}
	return nil
}

// merge computes the entries of old (τ increasing, labels cumulative)
// and the candidates (sorted by τ) into tmpTau/tmpLab in decreasing τ,
// labels cumulative, tmpNew telling which differ from old's at their τ.
func (ts *Top2Searcher) merge(oldTau []int32, oldLab []Top2, cand []uint64) {
	ts.tmpTau, ts.tmpLab, ts.tmpNew = ts.tmpTau[:0], ts.tmpLab[:0], ts.tmpNew[:0]
	tmask := uint64(1)<<ts.tb - 1
	imask := uint64(1)<<ts.idxBits - 1
	cur, oldCum, last := NoTop2, NoTop2, NoTop2
	i, j := len(oldTau)-1, len(cand)-1
	for i >= 0 || j >= 0 {
		// The latest τ among the remaining entries, and all entries at it.
		t := int32(-1 << 31)
		if i >= 0 {
			t = oldTau[i]
		}
		if j >= 0 {
			t = max(t, ts.from+int32(cand[j]>>ts.idxBits&tmask))
		}
		for i >= 0 && oldTau[i] == t {
			oldCum = oldLab[i]
			cur = cur.Combine(oldLab[i])
			i--
		}
		for j >= 0 && ts.from+int32(cand[j]>>ts.idxBits&tmask) == t {
			cur = cur.Combine(ts.candLab[cand[j]&imask])
			j--
		}
		if cur == last {
			continue
		}
		last = cur
		ts.tmpTau = append(ts.tmpTau, t)
		ts.tmpLab = append(ts.tmpLab, cur)
		ts.tmpNew = append(ts.tmpNew, cur != oldCum)
	}
}

// scan rides pattern pat backwards from position last, as
// ProfileSearcher.scan, with labels.
func (ts *Top2Searcher) scan(pat, last int32, from, hiT int32) {
	ps := ts.ps
	tt := ps.tt
	capT := ts.capT
	slack := tt.params.BoardSlack
	so := tt.patStopOff[pat]
	stops := tt.patStops[so:tt.patStopOff[pat+1]]
	flags := tt.patFlags[so:tt.patStopOff[pat+1]]
	nt := tt.patTrips[pat]
	off := tt.patTimeOff[pat]
	jlo, jhi := ps.patLo[pat], ps.patHi[pat]
	prevOff, prevTau, prevLab := ts.prevOff, ts.prevTau, ts.prevLab
	v := ts.v[:jhi]
	for j := jlo; j < jhi; j++ {
		v[j] = NoTop2
	}
	any := false
	for i := last; i >= 0; i-- {
		s := stops[i]
		col := off + i*nt
		if any && flags[i]&canBoard != 0 {
			best := NoTop2
			for j := jhi - 1; j >= jlo; j-- {
				x := best.Combine(v[j])
				if x == best {
					continue
				}
				t := tt.dep[col+j] - slack
				if t < from {
					break
				}
				best = x
				c := x.within(t + capT)
				if c.V1 == Unreached {
					continue
				}
				if have := at(prevTau[prevOff[s]:prevOff[s+1]], prevLab[prevOff[s]:prevOff[s+1]], t); have.Combine(c) != have {
					ts.addCand(s, t, c)
				}
			}
		}
		if flags[i]&canAlight == 0 {
			continue
		}
		e := ts.egV[s]
		sTau, sLab := ts.sTau[ts.sOff[s]:ts.sOff[s+1]], ts.sLab[ts.sOff[s]:ts.sOff[s+1]]
		items := ts.timed && ts.egOff[s] < ts.egOff[s+1]
		if e.V1 == Unreached && len(sTau) == 0 && !items {
			continue
		}
		k := 0
		for j := jlo; j < jhi; j++ {
			a := tt.arr[col+j]
			if a > hiT {
				break
			}
			var l Top2
			if items {
				l = ts.egressAt(s, a)
			} else {
				l = e.shift(a)
			}
			for k < len(sTau) && sTau[k] < a {
				k++
			}
			if k < len(sTau) {
				l = l.Combine(sLab[k])
			}
			l = l.within(hiT)
			if y := v[j].Combine(l); y != v[j] {
				v[j] = y
				any = true
			}
		}
	}
}
