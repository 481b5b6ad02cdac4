package router

import (
	"fmt"
	"math/bits"
	"sync"

	"github.com/vingt/vingt/hours"
)

// This file is the nearest-site search (SearchNearest, SearchNearestOpen):
// the top-two search of profile_top2.go with its labels projected by
// tied, (V1, S1, tie), packed in one integer (near). Projecting commutes
// with Combine, shift and within, and so does forgetting which site a tie
// was between (the least value and whether two sites give it depend only
// on the projected labels): the search of packed labels is exact for V1,
// S1 and the ties. A packed label is compared in one instruction, and
// the candidates carry it through their sort instead of an index into
// the labels (gathering 12-byte labels by index, at random, was 17–19 %
// of the search's profile). EvalPruned and EvalNearest evaluate
// nearest-site profiles on the same labels (profile_prune.go).

// near is a label of the nearest-site search: the best arrival V1 in the
// high 32 bits, offset by 2³¹ so that the integers order as the arrivals,
// and in the low 32 bits the site that gives it, or nearTie where two
// sites do. noNear, no journey, is NoTop2 projected (V1 Unreached, and
// V2 = V1 there).
type near uint64

const (
	nearTie        = 1<<32 - 1
	noNear    near = 1<<64 - 1
	nearShift      = 32
)

// packNear returns the label of arrival v through site s alone.
func packNear(v, s int32) near {
	return near(uint64(uint32(v)^1<<31)<<nearShift | uint64(uint32(s)))
}

// nearOf returns the label l projected: its V1 and S1, or a tie where V2
// equals V1.
func nearOf(l Top2) near {
	switch {
	case l.V1 == Unreached:
		return noNear
	case l.V2 == l.V1:
		return packNear(l.V1, 0) | nearTie
	}
	return packNear(l.V1, l.S1)
}

// v1 returns the label's best arrival.
func (a near) v1() int32 { return int32(uint32(a>>nearShift) ^ 1<<31) }

// top2 returns the label as a Top2: on a tie, S1 is -1 and V2 = V1.
func (a near) top2() Top2 {
	if a == noNear {
		return NoTop2
	}
	v := a.v1()
	if uint32(a) == nearTie {
		return Top2{v, -1, v}
	}
	return Top2{v, int32(uint32(a)), Unreached}
}

// comb is Combine projected: the least arrival and its site, or a tie
// where the arrivals are equal and the sites differ (or one ties).
func (a near) comb(b near) near {
	c := min(a, b)
	if (a^b)-1 < nearTie { // the same arrival, not the same label
		c |= nearTie
	}
	return c
}

// shift adds d seconds to the label's arrival.
func (a near) shift(d int32) near {
	if a == noNear {
		return a
	}
	return a + near(uint64(int64(d))<<nearShift)
}

// within drops the label if its arrival is after h.
func (a near) within(h int32) near {
	if a > packNear(h, 0)|nearTie {
		return noNear
	}
	return a
}

// nearCand is a candidate entry: its key (stop, then τ counted from the
// window's start) and its label.
type nearCand struct {
	key uint64
	lab near
}

// nearSearcher is the state of the nearest-site searches of a
// Top2Searcher; its fields mirror the top-two search's.
type nearSearcher struct {
	ps       *ProfileSearcher
	egW, egV []near
	// S per stop, current and next round; B of the current round and of
	// the round before.
	sOff, nOff       []int32
	sTau, nTau       []int32
	sLab, nLab       []near
	bOff, pOff       []int32
	bTau, pTau       []int32
	bLab, pLab       []near
	prevOff, prevTau []int32
	prevLab          []near
	v                []near
	cand, sorted     []nearCand
	newStop, newTau  []int32
	newLab           []near
	tmp              []nearEntry
	from, capT       int32
	tb, keyBits      uint
	// batch is the number of candidates of S merged at once (nearBatch;
	// tests lower it), flushes the number of merges of the last search.
	batch, flushes int

	openItems // SearchNearestOpen's
}

// nearest returns the searcher's nearest-site state, made on first use.
func (ts *Top2Searcher) nearest() *nearSearcher {
	if ts.near == nil {
		ps := ts.ps
		n := ps.n
		ts.near = &nearSearcher{ps: ps, egW: make([]near, n), egV: make([]near, n),
			batch: nearBatch, sOff: make([]int32, n+1), nOff: make([]int32, n+1),
			bOff: make([]int32, n+1), pOff: make([]int32, n+1), v: make([]near, len(ps.v))}
	}
	return ts.near
}

// SearchNearest is Search for the nearest site alone: its labels keep V2
// only where it equals V1 (two sites tie), Unreached elsewhere, so that a
// label answers which site is nearest, or that none is alone, and the
// search keeps about as few entries as the earliest-arrival profile.
// Projecting a label by tied commutes with Combine, shift and within (the
// least value and whether two sites give it depend only on the projected
// labels), so the search of projected labels is exact for V1, S1 and the
// ties; ProfileTop2.Eval projects its results too. The profile does not
// say which sites tie: a tie's S1 is -1 there, and Eval's may be -1 or
// one of the sites.
func (ts *Top2Searcher) SearchNearest(egress []StopTop2, from, to int32, dst *ProfileTop2) error {
	return ts.searchNearest(egress, from, to, dst)
}

// searchNearest runs the nearest-site search, then computes what
// EvalPruned needs, as Search does.
func (ts *Top2Searcher) searchNearest(egress []StopTop2, from, to int32, dst *ProfileTop2) error {
	if err := ts.nearest().search(egress, from, to, dst); err != nil {
		return err
	}
	ts.capT = ts.ps.tt.params.MaxDuration
	ts.prepare(dst)
	return nil
}

// SearchNearestOpen is SearchNearest towards points with opening hours,
// as ProfileSearcher.SearchOpen is Search: targets are the walks from
// stops to points, open[p] the arrival windows of point p, site[p] its
// site. A label's V1 is the time the traveller is served (the wait for
// the opening included), its site the one that serves first, or a tie.
func (ts *Top2Searcher) SearchNearestOpen(targets []Target, open []hours.Windows, site []int32, from, to int32, dst *ProfileTop2) error {
	always, err := openEgress(ts.ps.n, targets, open, site)
	if err != nil {
		return err
	}
	ns := ts.nearest()
	ns.openItems.set(targets, open, site)
	defer ns.openItems.reset()
	return ts.searchNearest(always, from, to, dst)
}

// egressAt is the label of alighting at stop s at a: the walks to the
// always-open sites and the timed items still serving.
func (ns *nearSearcher) egressAt(s, a int32) near {
	l := ns.egV[s].shift(a)
	for i := ns.egOff[s]; i < ns.egOff[s+1]; i++ {
		if ns.egD[i] >= a {
			l = l.comb(packNear(max(a+ns.egSec[i], ns.egO[i]), ns.egS[i]))
		}
	}
	return l
}

func (ns *nearSearcher) search(egress []StopTop2, from, to int32, dst *ProfileTop2) error {
	ps := ns.ps
	tt := ps.tt
	n := ps.n
	capT := tt.params.MaxDuration
	if err := checkTop2(n, egress, from, to); err != nil {
		return err
	}
	hiT := to - 1 + capT
	ns.capT, ns.from = capT, from
	ns.tb = uint(bits.Len32(uint32(hiT - from)))
	ns.keyBits = uint(bits.Len32(uint32(n))) + ns.tb
	if ns.keyBits > 64 {
		return fmt.Errorf("router: nearest-site profile search over %d stops: too many", n)
	}
	dst.n, dst.from, dst.to, dst.ties = n, from, to, true
	ns.flushes = 0

	// The egress: from the stop, or one footpath then a walk, within
	// MaxWalk together.
	for s := range ns.egW {
		ns.egW[s] = noNear
	}
	for _, e := range egress {
		ns.egW[e.Stop] = ns.egW[e.Stop].comb(nearOf(e.L.within(capT)))
	}
	copy(ns.egV, ns.egW)
	ps.changed.clear()
	for _, e := range egress {
		w := ns.egW[e.Stop]
		if w == noNear {
			continue
		}
		ps.changed.set(e.Stop)
		for _, r := range ps.rev[ps.revOff[e.Stop]:ps.revOff[e.Stop+1]] {
			if x := w.shift(r.sec).within(tt.params.MaxWalk); x != noNear {
				if y := ns.egV[r.to].comb(x); y != ns.egV[r.to] {
					ns.egV[r.to] = y
					ps.changed.set(r.to)
				}
			}
		}
	}
	if ns.timed {
		// An item is left out where an always-open site is strictly
		// nearer (it serves strictly earlier at every alighting: no tie
		// is lost).
		ns.build(ps, from, hiT, func(s int32) int32 { return ns.egV[s].v1() })
	}
	ps.patternBounds(from, hiT)
	// Room for a round's scans at once: appending grows a large slice by
	// a quarter at a time, each time on fresh pages.
	ns.cand = reserve(ns.cand[:0], ps.boardings)

	fill(ns.sOff, 0)
	ns.sTau, ns.sLab = ns.sTau[:0], ns.sLab[:0]
	ns.bTau, ns.bLab = ns.bTau[:0], ns.bLab[:0]
	for r := int32(1); r <= ps.rounds; r++ {
		ps.queuePatterns()
		ns.cand = ns.cand[:0]
		if r > 1 {
			// The round before moves to p*, its buffers to b*.
			ns.pOff, ns.bOff = ns.bOff, ns.pOff
			ns.pTau, ns.bTau = ns.bTau, ns.pTau[:0]
			ns.pLab, ns.bLab = ns.bLab, ns.pLab[:0]
			ns.prevOff, ns.prevTau, ns.prevLab = ns.pOff, ns.pTau, ns.pLab
		} else {
			ns.prevOff, ns.prevTau, ns.prevLab = ps.zeroOff, nil, nil
		}
		for _, pat := range ps.patQueue {
			last := ps.patLast[pat]
			ps.patLast[pat] = -1
			ns.scan(pat, last, from, hiT)
		}
		ns.group()

		ns.newStop, ns.newTau, ns.newLab = ns.newStop[:0], ns.newTau[:0], ns.newLab[:0]
		ns.newStop = reserve(ns.newStop, len(ns.sorted))
		ns.newTau = reserve(ns.newTau, len(ns.sorted))
		ns.newLab = reserve(ns.newLab, len(ns.sorted))
		ns.bTau = reserve(ns.bTau, len(ns.prevTau)+len(ns.sorted))
		ns.bLab = reserve(ns.bLab, len(ns.prevTau)+len(ns.sorted))
		ns.bTau, ns.bLab = ns.mergeStops(ns.prevOff, ns.prevTau, ns.prevLab, ns.bOff, ns.bTau, ns.bLab, true)
		ns.bOff[n] = int32(len(ns.bTau))
		if r == ps.rounds {
			break
		}

		// S_r = S_{r−1} ∪ the new entries shifted back by the transfer
		// that leads to them, merged into S by batches of candidates: the
		// result is the same lower envelope (a candidate that S absorbs
		// changes nothing), and the buffers stay small.
		ps.changed.clear()
		ns.cand = ns.cand[:0]
		for i, s := range ns.newStop {
			t, l := ns.newTau[i], ns.newLab[i]
			if x := tt.selfExtra[s]; x != Unreached {
				ns.sCandidate(s, t-x, l)
			}
			for _, rw := range ps.rev[ps.revOff[s]:ps.revOff[s+1]] {
				ns.sCandidate(rw.to, t-rw.sec, l)
			}
			if len(ns.cand) >= ns.batch {
				ns.flushS()
			}
		}
		if len(ns.cand) > 0 {
			ns.flushS()
		}
	}

	// The last round, all rides allowed, is the profile: its entries are
	// handed over (the searcher takes dst's old buffers), its labels
	// unpacked only if asked for (labels).
	dst.off = grow(dst.off, int(n+1))
	copy(dst.off, ns.bOff)
	dst.tau, ns.bTau = ns.bTau, dst.tau[:0]
	dst.pk, ns.bLab = ns.bLab, dst.pk[:0] // what EvalPruned reads
	dst.lab, dst.unpack = dst.lab[:0], new(sync.Once)
	return nil
}

// nearBatch is the number of candidates of S that the search merges at
// once: their sort stays within a core's cache.
const nearBatch = 1 << 15

// flushS merges the candidates into S.
func (ns *nearSearcher) flushS() {
	n := ns.ps.n
	ns.flushes++
	ns.group()
	ns.nTau = reserve(ns.nTau[:0], len(ns.sTau)+len(ns.sorted))
	ns.nLab = reserve(ns.nLab[:0], len(ns.sTau)+len(ns.sorted))
	ns.nTau, ns.nLab = ns.mergeStops(ns.sOff, ns.sTau, ns.sLab, ns.nOff, ns.nTau, ns.nLab, false)
	ns.nOff[n] = int32(len(ns.nTau))
	ns.sOff, ns.nOff = ns.nOff, ns.sOff
	ns.sTau, ns.nTau = ns.nTau, ns.sTau
	ns.sLab, ns.nLab = ns.nLab, ns.sLab
}

// mergeStops is Top2Searcher.mergeStops for packed labels.
func (ns *nearSearcher) mergeStops(oldOff, oldTau []int32, oldLab []near, off, tau []int32, lab []near, keepNew bool) ([]int32, []near) {
	ps := ns.ps
	for s := range ps.n {
		off[s] = int32(len(tau))
		oT, oL := oldTau[oldOff[s]:oldOff[s+1]], oldLab[oldOff[s]:oldOff[s+1]]
		cand := ns.sorted[ps.cnt[s]:ps.cnt[s+1]]
		if len(cand) == 0 {
			tau = append(tau, oT...)
			lab = append(lab, oL...)
			continue
		}
		ns.merge(oT, oL, cand)
		for i := len(ns.tmp) - 1; i >= 0; i-- {
			e := ns.tmp[i]
			tau = append(tau, e.tau)
			lab = append(lab, e.lab)
			switch {
			case !e.isNew:
			case keepNew:
				ns.newStop = append(ns.newStop, s)
				ns.newTau = append(ns.newTau, e.tau)
				ns.newLab = append(ns.newLab, e.lab)
			default:
				ps.changed.set(s)
			}
		}
	}
	return tau, lab
}

// atNear is at for packed labels.
func atNear(tau []int32, lab []near, t int32) near {
	if i := lowerBound(tau, t); i < len(tau) {
		return lab[i]
	}
	return noNear
}

// addCand adds a candidate entry (τ, label) of stop s.
func (ns *nearSearcher) addCand(s, tau int32, l near) {
	ns.cand = append(ns.cand, nearCand{uint64(s)<<ns.tb | uint64(tau-ns.from), l})
}

// sCandidate adds the entry (a, l) to the candidates of S at stop s,
// unless it is outside the window or changes nothing there: neither the
// egress after alighting at a nor the entries S already has. The egress
// alone is tested first: what it absorbs, their combination absorbs.
func (ns *nearSearcher) sCandidate(s, a int32, l near) {
	if a < ns.from {
		return
	}
	l = l.within(a + ns.capT)
	if l == noNear {
		return
	}
	var e near
	if ns.timed {
		e = ns.egressAt(s, a)
	} else {
		e = ns.egV[s].shift(a)
	}
	if e.comb(l) == e {
		return
	}
	have := e.comb(atNear(ns.sTau[ns.sOff[s]:ns.sOff[s+1]], ns.sLab[ns.sOff[s]:ns.sOff[s+1]], a))
	if have.comb(l) == have {
		return
	}
	ns.addCand(s, a, l)
}

// group sorts the candidates by (stop, τ), stably, into ns.sorted, with
// stop s at ns.sorted[ps.cnt[s]:ps.cnt[s+1]]: radixSort's passes, moving
// each candidate's label with its key.
func (ns *nearSearcher) group() {
	ps := ns.ps
	src := ns.cand
	dst := ns.sorted
	if cap(dst) < len(src) {
		dst = make([]nearCand, len(src), max(len(src), 2*cap(dst)))
	}
	dst = dst[:len(src)]
	for shift := uint(0); shift < ns.keyBits; shift += radixDigit {
		count := ps.radix
		fill(count, 0)
		for _, c := range src {
			count[c.key>>shift&(1<<radixDigit-1)]++
		}
		sum := int32(0)
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for _, c := range src {
			d := c.key >> shift & (1<<radixDigit - 1)
			dst[count[d]] = c
			count[d]++
		}
		src, dst = dst, src
	}
	ns.sorted, ns.cand = src, dst[:0]
	fill(ps.cnt, 0)
	for _, c := range ns.sorted {
		ps.cnt[c.key>>ns.tb+1]++
	}
	for s := range ps.n {
		ps.cnt[s+1] += ps.cnt[s]
	}
}

// nearEntry is an entry that merge computes: its τ, its label, and
// whether the label differs from old's at τ.
type nearEntry struct {
	lab   near
	tau   int32
	isNew bool
}

// merge computes the entries of old (τ increasing, labels cumulative)
// and the candidates (sorted by τ) into tmp in decreasing τ, labels
// cumulative. Times are compared as the candidates' keys hold them,
// counted from the window's start; tmp is written by index, room made
// first (three appended slices spilled the loop's registers).
func (ns *nearSearcher) merge(oldTau []int32, oldLab []near, cand []nearCand) {
	if n := len(oldTau) + len(cand); cap(ns.tmp) < n {
		ns.tmp = make([]nearEntry, n, max(n, 2*cap(ns.tmp)))
	}
	tmp := ns.tmp[:cap(ns.tmp)]
	k := 0
	from := ns.from
	tmask := uint64(1)<<ns.tb - 1
	cur, oldCum, last := noNear, noNear, noNear
	i := len(oldTau) - 1
	for j := len(cand) - 1; j >= 0; {
		t := cand[j].key & tmask
		// The old entries later than t, each alone at its τ (old's τ
		// increase strictly).
		for ; i >= 0 && uint64(oldTau[i]-from) > t; i-- {
			oldCum = oldLab[i]
			if cur = cur.comb(oldCum); cur != last {
				last = cur
				tmp[k] = nearEntry{cur, oldTau[i], cur != oldCum}
				k++
			}
		}
		if i >= 0 && uint64(oldTau[i]-from) == t {
			oldCum = oldLab[i]
			cur = cur.comb(oldCum)
			i--
		}
		for ; j >= 0 && cand[j].key&tmask == t; j-- {
			cur = cur.comb(cand[j].lab)
		}
		if cur != last {
			last = cur
			tmp[k] = nearEntry{cur, from + int32(t), cur != oldCum}
			k++
		}
	}
	for ; i >= 0; i-- {
		oldCum = oldLab[i]
		if cur = cur.comb(oldCum); cur != last {
			last = cur
			tmp[k] = nearEntry{cur, oldTau[i], cur != oldCum}
			k++
		}
	}
	ns.tmp = tmp[:k]
}

// scan rides pattern pat backwards from position last, as
// Top2Searcher.scan, with packed labels.
func (ns *nearSearcher) scan(pat, last int32, from, hiT int32) {
	ps := ns.ps
	tt := ps.tt
	capT := ns.capT
	slack := tt.params.BoardSlack
	so := tt.patStopOff[pat]
	stops := tt.patStops[so:tt.patStopOff[pat+1]]
	flags := tt.patFlags[so:tt.patStopOff[pat+1]]
	nt := tt.patTrips[pat]
	off := tt.patTimeOff[pat]
	jlo, jhi := ps.patLo[pat], ps.patHi[pat]
	prevOff, prevTau, prevLab := ns.prevOff, ns.prevTau, ns.prevLab
	v := ns.v[:jhi]
	for j := jlo; j < jhi; j++ {
		v[j] = noNear
	}
	any := false
	for i := last; i >= 0; i-- {
		s := stops[i]
		col := off + i*nt
		if any && flags[i]&canBoard != 0 {
			best := noNear
			for j := jhi - 1; j >= jlo; j-- {
				x := best.comb(v[j])
				if x == best {
					continue
				}
				t := tt.dep[col+j] - slack
				if t < from {
					break
				}
				best = x
				c := x.within(t + capT)
				if c == noNear {
					continue
				}
				if have := atNear(prevTau[prevOff[s]:prevOff[s+1]], prevLab[prevOff[s]:prevOff[s+1]], t); have.comb(c) != have {
					ns.addCand(s, t, c)
				}
			}
		}
		if flags[i]&canAlight == 0 {
			continue
		}
		e := ns.egV[s]
		sTau, sLab := ns.sTau[ns.sOff[s]:ns.sOff[s+1]], ns.sLab[ns.sOff[s]:ns.sOff[s+1]]
		items := ns.timed && ns.egOff[s] < ns.egOff[s+1]
		if e == noNear && len(sTau) == 0 && !items {
			continue
		}
		k := 0
		for j := jlo; j < jhi; j++ {
			a := tt.arr[col+j]
			if a > hiT {
				break
			}
			var l near
			if items {
				l = ns.egressAt(s, a)
			} else {
				l = e.shift(a)
			}
			for k < len(sTau) && sTau[k] < a {
				k++
			}
			if k < len(sTau) {
				l = l.comb(sLab[k])
			}
			l = l.within(hiT)
			if y := v[j].comb(l); y != v[j] {
				v[j] = y
				any = true
			}
		}
	}
}
