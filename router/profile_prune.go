package router

import (
	"fmt"
	"math"
	"slices"
)

// This file lets a cell evaluate a top-two profile from a few of its
// access stops instead of all of them, with the same result. Two rules
// leave a stop out, both exact:
//
//   - Absorbed stops. Stop s' absorbs s with slack x ≥ 0 when, at every
//     time u a traveller may reach s (the window's first departure to its
//     last plus MaxWalk), the label of s' at u + x absorbs that of s:
//     Combine(l', l) = l'. Labels only worsen as u grows, so a cell that
//     walks to s' in at most x seconds more than to s gains nothing from
//     s. The search lists, per stop, the stops within a footpath of it that
//     absorb it. Two stops absorbing each other have equal labels on the
//     whole span: only the one of lower index absorbs the other, so that
//     the relation has no cycle and every stop left out leads, stop by
//     stop, to one evaluated.
//   - Stops too slow. A stop's fastest entry (least V − τ) bounds every
//     journey through it from below. EvalPruned first evaluates the
//     pruneK stops of least walk plus that bound; a stop whose bound,
//     walk included, is above the cell's slowest departure then (strictly:
//     an equal one could tie), or above MaxDuration, changes nothing
//     within MaxDuration.

// pruneK is how many access stops EvalPruned evaluates first.
const pruneK = 4

// maxAbsorbers bounds the stops kept as absorbing one stop.
const maxAbsorbers = 8

// absorbs reports whether label a absorbs b in p: combining b changes
// nothing (after the projection of a nearest-site profile).
func (p *ProfileTop2) absorbs(a, b Top2) bool {
	c := a.Combine(b)
	if p.ties {
		return c.tied() == a.tied()
	}
	return c == a
}

// absorbX returns the greatest slack x ≥ 0 such that stop sp's label at
// u + x absorbs stop s's at u for every u in [lo, hi], false when there is
// none.
func (p *ProfileTop2) absorbX(sp, s, lo, hi int32) (int32, bool) {
	fT, fL := p.tau[p.off[s]:p.off[s+1]], p.lab[p.off[s]:p.off[s+1]]
	gT, gL := p.tau[p.off[sp]:p.off[sp+1]], p.lab[p.off[sp]:p.off[sp+1]]
	x := int32(math.MaxInt32)
	j := -1 // the last entry of sp absorbing the current label of s
	for i := range fT {
		if fT[i] < lo {
			continue
		}
		if i > 0 && fT[i-1] >= hi {
			break
		}
		// s has label fL[i] on (fT[i-1], fT[i]]; sp's is worst at its end.
		v := min(fT[i], hi)
		for j+1 < len(gT) && p.absorbs(gL[j+1], fL[i]) {
			j++
		}
		if j < 0 {
			return 0, false
		}
		if x = min(x, gT[j]-v); x < 0 {
			return 0, false
		}
	}
	// Past its last entry s has no journey: anything absorbs that.
	return x, true
}

// prepare computes what EvalPruned needs: per stop its fastest entry and
// the stops within a footpath that absorb it.
func (ts *Top2Searcher) prepare(dst *ProfileTop2) {
	ps := ts.ps
	n := ps.n
	dst.capT, dst.maxWalk = ts.capT, ps.tt.params.MaxWalk
	dst.minTT = grow(dst.minTT, int(n))
	for s := range n {
		m := int32(math.MaxInt32)
		if dst.unpack != nil {
			for j := dst.off[s]; j < dst.off[s+1]; j++ {
				m = min(m, dst.pk[j].v1()-dst.tau[j])
			}
		} else {
			for j := dst.off[s]; j < dst.off[s+1]; j++ {
				m = min(m, dst.lab[j].V1-dst.tau[j])
			}
		}
		dst.minTT[s] = m
	}
	if !dst.ties {
		dst.pk = nil // (a nearest-site search leaves its packed labels)
	}
	dst.absOff = grow(dst.absOff, int(n+1))
	dst.absBy, dst.absX = dst.absBy[:0], dst.absX[:0]
	if !ts.noAbsorb {
		dst.labels() // what absorbX compares
	}
	lo, hi := dst.from, dst.to-1+dst.maxWalk
	for s := range n {
		dst.absOff[s] = int32(len(dst.absBy))
		if dst.off[s] == dst.off[s+1] || ts.noAbsorb {
			continue
		}
		k := 0
		for _, r := range ps.rev[ps.revOff[s]:ps.revOff[s+1]] {
			sp := r.to
			if sp == s || dst.off[sp] == dst.off[sp+1] {
				continue
			}
			x, ok := dst.absorbX(sp, s, lo, hi)
			if !ok {
				continue
			}
			if sp > s {
				if _, back := dst.absorbX(s, sp, lo, hi); back {
					continue // equal labels: the lower index absorbs
				}
			}
			dst.absBy = append(dst.absBy, sp)
			dst.absX = append(dst.absX, x)
			if k++; k == maxAbsorbers {
				break
			}
		}
	}
	dst.absOff[n] = int32(len(dst.absBy))
	dst.pruned = true
}

// SetAbsorbers says whether the searches that follow list, per stop, the
// stops that absorb it (the default). EvalPruned is exact either way;
// the lists cost about what they save over as many evaluations as the
// network has stops, so a caller evaluating fewer places may turn them
// off.
func (ts *Top2Searcher) SetAbsorbers(on bool) { ts.noAbsorb = !on }

// EvalScratch is the memory of EvalPruned and EvalNearest, one per
// goroutine.
type EvalScratch struct {
	mark  []uint32 // per stop: the call that saw it among the access stops
	walk  []int32  // per stop: its access walk in that call
	call  uint32
	keep  []Access
	first [pruneK]Access
	pk    []near // per departure, packed labels (nearest-site profiles)
	lab   []Top2 // per departure, labels (EvalNearest of a top-two profile)

	// what the calls left out: absorbed stops, stops too slow
	absorbedN, slowN int
}

// Departures are the departures of evaluations, increasing, checked once
// for all the places that are evaluated at them.
type Departures struct {
	deps []int32
	step int32 // between departures, 0 when uneven
	inv  uint64
}

// NewDepartures returns deps as Departures; they must increase.
func NewDepartures(deps []int32) (Departures, error) {
	d := Departures{deps: deps}
	if len(deps) > 1 {
		d.step = deps[1] - deps[0]
	}
	for i := 1; i < len(deps); i++ {
		if deps[i] <= deps[i-1] {
			return Departures{}, fmt.Errorf("router: departures must increase (%d after %d)", deps[i], deps[i-1])
		}
		if deps[i]-deps[i-1] != d.step {
			d.step = 0
		}
	}
	d.inv = inverse(d.step)
	return d, nil
}

// Len returns the number of departures.
func (d Departures) Len() int { return len(d.deps) }

// EvalPruned is Eval at the departures d, with the values beyond
// MaxDuration left out (a label's V1 or V2 more than MaxDuration after its
// departure becomes Unreached) and the site of a tie set to -1 (which of
// the sites that tie a label names depends on the order of the stops),
// computed from the access stops that can change a value within
// MaxDuration only. sc is the caller's scratch.
func (p *ProfileTop2) EvalPruned(sc *EvalScratch, access []Access, d Departures, out []Top2) {
	deps := d.deps
	p.checkDepartures(d, len(out))
	out = out[:len(deps)]
	if !p.pruned || len(access) <= pruneK || len(deps) == 0 || len(p.off) == 0 {
		p.Eval(access, deps, out)
		p.normalize(deps, out)
		return
	}
	nf := p.choose(sc, access)
	if p.pk != nil && d.step > 1 {
		pk := p.evalPacked(sc, d, nf)
		next := noNear
		for i := len(pk) - 1; i >= 0; i-- {
			next = pk[i].comb(next)
			if v := next.v1(); v != Unreached && v-deps[i] > p.capT {
				out[i] = NoTop2
			} else {
				out[i] = next.top2()
			}
		}
		return
	}
	for i := range out {
		out[i] = NoTop2
	}
	p.labels()
	for _, a := range sc.first[:nf] {
		p.addStop(a, deps, d.step, d.inv, out, math.MaxInt32)
	}
	if len(sc.keep) > 0 {
		// The slowest departure so far, within MaxDuration + 1.
		slow := p.finishSlow(deps, out)
		for _, a := range sc.keep {
			if a.Seconds+p.minTT[a.Stop] <= slow {
				p.addStop(a, deps, d.step, d.inv, out, slow)
			} else {
				sc.slowN++
			}
		}
	}
	p.finishNormal(deps, out)
}

// EvalNearest is EvalPruned for the nearest site alone: it writes to
// v1[i] the earliest arrival leaving at departure i (Unreached beyond
// MaxDuration) and to site[i] its site, -1 when two sites tie or none is
// reached. v1 and site must be as long as the departures.
func (p *ProfileTop2) EvalNearest(sc *EvalScratch, access []Access, d Departures, v1s, site []int32) {
	deps := d.deps
	p.checkDepartures(d, min(len(v1s), len(site)))
	if p.pk == nil || d.step <= 1 || !p.pruned || len(deps) == 0 || len(p.off) == 0 {
		sc.lab = slices.Grow(sc.lab[:0], len(deps))[:len(deps)]
		p.EvalPruned(sc, access, d, sc.lab)
		for i, l := range sc.lab {
			v1s[i], site[i] = l.V1, l.S1
			if l.V2 == l.V1 {
				site[i] = -1
			}
		}
		return
	}
	nf := p.choose(sc, access)
	pk := p.evalPacked(sc, d, nf)
	v1s, site, deps = v1s[:len(pk)], site[:len(pk)], deps[:len(pk)]
	next, capT := noNear, p.capT
	for i := len(pk) - 1; i >= 0; i-- {
		next = pk[i].comb(next)
		v, code := next.v1(), uint32(next) // a tie's code is -1 as a site
		if v == Unreached || v-deps[i] > capT {
			v, code = Unreached, nearTie
		}
		v1s[i], site[i] = v, int32(code)
	}
}

// checkDepartures panics unless the departures lie within the profile's
// window and the output holds them.
func (p *ProfileTop2) checkDepartures(d Departures, out int) {
	if out < len(d.deps) {
		panic("router: ProfileTop2: output shorter than the departures")
	}
	if len(d.deps) > 0 && (d.deps[0] < p.from || d.deps[len(d.deps)-1] >= p.to) {
		panic("router: ProfileTop2: departures must lie within the window")
	}
}

// choose marks the access stops in sc, then leaves out those without a
// journey within MaxDuration and those absorbed, puts the pruneK of least
// bound in sc.first and the others in sc.keep, and returns how many are
// in sc.first.
func (p *ProfileTop2) choose(sc *EvalScratch, access []Access) int {
	if len(sc.mark) < int(p.n) {
		sc.mark, sc.walk, sc.call = make([]uint32, p.n), make([]int32, p.n), 0
	}
	if sc.call++; sc.call == 0 {
		clear(sc.mark)
		sc.call = 1
	}
	absorb := true
	for _, a := range access {
		sc.mark[a.Stop], sc.walk[a.Stop] = sc.call, a.Seconds
		if a.Seconds > p.maxWalk || a.Seconds < 0 {
			absorb = false // beyond the span the absorptions hold on
		}
	}
	sc.keep = sc.keep[:0]
	var bound [pruneK]int32
	nf, worst := 0, 0
	for _, a := range access {
		if a.Seconds > p.capT-p.minTT[a.Stop] {
			continue // no journey within MaxDuration, or none (minTT: MaxInt32)
		}
		if absorb && p.absorbed(sc, a) {
			sc.absorbedN++
			continue
		}
		b := a.Seconds + p.minTT[a.Stop]
		if nf < pruneK {
			sc.first[nf], bound[nf] = a, b
			if b > bound[worst] {
				worst = nf
			}
			nf++
			continue
		}
		if b < bound[worst] {
			// a replaces the first stop of greatest bound, which waits.
			sc.first[worst], bound[worst], a = a, b, sc.first[worst]
			for i := range bound {
				if bound[i] > bound[worst] {
					worst = i
				}
			}
		}
		sc.keep = append(sc.keep, a)
	}
	return nf
}

// absorbed reports whether access stop a is absorbed by another access
// stop of the same call.
func (p *ProfileTop2) absorbed(sc *EvalScratch, a Access) bool {
	for i := p.absOff[a.Stop]; i < p.absOff[a.Stop+1]; i++ {
		if by := p.absBy[i]; sc.mark[by] == sc.call && sc.walk[by] <= a.Seconds+p.absX[i] {
			return true
		}
	}
	return false
}

// finishSlow is finish, returning the greatest travel time of out's
// departures (V1, or V2 for a top-two profile), at most MaxDuration + 1.
func (p *ProfileTop2) finishSlow(deps []int32, out []Top2) int32 {
	last := len(out) - 1
	if p.ties {
		out[last] = out[last].tied()
	}
	slow := int32(0)
	for i := last; i >= 0; i-- {
		if i < last {
			out[i] = out[i].Combine(out[i+1])
			if p.ties {
				out[i] = out[i].tied()
			}
		}
		v := out[i].V1
		if !p.ties {
			v = out[i].V2
		}
		if v == Unreached || v-deps[i] > p.capT {
			slow = p.capT + 1
		} else {
			slow = max(slow, v-deps[i])
		}
	}
	return slow
}

// finishNormal is finish then normalize, in one pass.
func (p *ProfileTop2) finishNormal(deps []int32, out []Top2) {
	next := NoTop2
	for i := len(out) - 1; i >= 0; i-- {
		l := out[i].Combine(next)
		if p.ties {
			l = l.tied()
		}
		next = l
		d := deps[i]
		switch {
		case l.V1 != Unreached && l.V1-d > p.capT:
			l = NoTop2
		case l.V2 != Unreached && l.V2-d > p.capT:
			l.V2 = Unreached
		case l.V2 == l.V1 && l.V1 != Unreached:
			l.S1 = -1
		}
		out[i] = l
	}
}

// normalize sets to Unreached the values of out beyond MaxDuration, and
// to -1 the site of a tie.
func (p *ProfileTop2) normalize(deps []int32, out []Top2) {
	for i, d := range deps {
		l := &out[i]
		switch {
		case l.V1 != Unreached && l.V1-d > p.capT:
			*l = NoTop2
		case l.V2 != Unreached && l.V2-d > p.capT:
			l.V2 = Unreached
		case l.V2 == l.V1 && l.V1 != Unreached:
			l.S1 = -1
		}
	}
}

// evalPacked evaluates a nearest-site profile on packed labels: the nf
// stops of sc.first, then those of sc.keep that can change a value. Each
// label it returns is at the last departure it answers: the caller
// spreads them to the earlier ones.
func (p *ProfileTop2) evalPacked(sc *EvalScratch, d Departures, nf int) []near {
	deps := d.deps
	nd := len(deps)
	if cap(sc.pk) < nd {
		sc.pk = make([]near, nd)
	}
	pk := sc.pk[:nd]
	none := noNear
	for i := range pk {
		pk[i] = none
	}
	for _, a := range sc.first[:nf] {
		p.addStop64(a, deps, d.inv, pk, math.MaxInt32)
	}
	if len(sc.keep) > 0 {
		// Spread, and the slowest departure so far within MaxDuration + 1.
		capT, deps := p.capT, deps[:nd]
		slow, next := int32(0), none
		for i := nd - 1; i >= 0; i-- {
			next = pk[i].comb(next)
			pk[i] = next
			if v := next.v1(); v == Unreached || v-deps[i] > capT {
				slow = capT + 1
			} else {
				slow = max(slow, v-deps[i])
			}
		}
		for _, a := range sc.keep {
			if a.Seconds+p.minTT[a.Stop] <= slow {
				p.addStop64(a, deps, d.inv, pk, slow)
			} else {
				sc.slowN++
			}
		}
	}
	return pk
}

// addStop64 is addStop on packed labels, for departures every step > 1
// seconds (EvalPruned and EvalNearest take the unpacked path otherwise).
func (p *ProfileTop2) addStop64(a Access, deps []int32, inv uint64, out []near, slow int32) {
	nd := len(deps)
	d0, dl := deps[0], deps[nd-1]
	lo, hi := p.off[a.Stop], p.off[a.Stop+1]
	tau := p.tau[lo:hi]
	pk := p.pk[lo:hi]
	pk = pk[:len(tau)]
	j := lowerBound(tau, d0+a.Seconds)
	// The departures of a run, every step seconds: an entry at τ
	// answers departure (τ − walk − d0) / step, the last one from
	// τ ≥ dl + walk on; it counts where V1 ≤ τ − walk + slow.
	w := int64(a.Seconds)
	base, last := d0+a.Seconds, dl+a.Seconds
	lim := int64(slow) - w
	for ; j < len(tau); j++ {
		tj, x := tau[j], pk[j]
		if tj >= last {
			if int64(x.v1()) <= int64(tj)+lim {
				out[nd-1] = out[nd-1].comb(x)
			}
			return
		}
		if int64(x.v1()) <= int64(tj)+lim {
			k := quotient(uint64(tj-base), inv)
			out[k] = out[k].comb(x)
		}
	}
}
