package router

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
)

// This file holds the backward profile search: one search per service
// category, from all the stops its points can be walked to, that gives
// every stop the Pareto set of (latest time one may be there and still
// catch the journey, earliest arrival at a point of the category), per
// number of rides. A cell then evaluates its departures by merging the
// profiles of its access stops (Profile.Eval): no search per cell.
//
// Why a backward round-based search over patterns, and not a profile
// connection scan: the timetable is already laid out for RAPTOR (patterns
// whose trips never overtake, stop-major columns, stop → pattern index),
// so no second, connection-major copy sorted by departure is needed; the
// transfer limit is exact by construction (round r holds the journeys of
// at most r rides); and a round scans only the patterns through the stops
// whose profile changed in the round before, from the latest such stop
// backwards. Measured on Porto Alegre (2-hour window, 5 rounds): 302 k
// trip-stop steps, against 77 k connections in the window that a
// connection scan would visit carrying a 5-vector per trip (~385 k
// steps): a wash. What costs is elsewhere and common to both: about three
// quarters of the time goes to the candidate entries (sorting, domination
// tests and Pareto merges into the profiles, most of them footpath
// transfers), a fifth to the pattern scans.
//
// Semantics (those of Router.Query, which the tests check second by
// second): leaving at t with an access walk w to stop s, the first ride
// departs at d ≥ t + w + BoardSlack. After alighting at stop s1 at time
// a, the next ride boards at s1 with d ≥ a + selfExtra(s1) + BoardSlack
// (never where transfers.txt forbids it), or after one footpath s1 → s2 of
// f seconds at s2 with d ≥ a + f + BoardSlack. After the last ride, the
// point is reached from the stop alighted at, or after one footpath, by
// the egress walk of that stop, the footpath and the walk within MaxWalk
// together (the walk after the last ride is bounded like the access
// walk). SearchOpen (profile_open.go) makes that egress a function of
// the alighting time, for points with opening hours.
//
// A round r builds, for every stop s, B_r(s): a list of entries (τ, v)
// with τ and v increasing, meaning "at s at time ≤ τ, a point is reached
// at v with at most r rides". It scans each pattern backwards along its
// stops, keeping per trip the best arrival at a point after alighting
// further on (A_{r−1}: the egress after the last ride, or the transfer to
// B_{r−1} of the same stop or of a footpath's end, S_{r−1} below), and
// gives each boardable stop the entry (departure − BoardSlack, that
// arrival). S_r(s) is B_r of s shifted by selfExtra(s) merged with B_r of
// the footpaths' ends shifted by their walks: the best arrival after
// alighting at s at time a is min(a + egress after one footpath,
// S_{r−1}(s)(a)).
//
// An entry is kept only when it may give a travel time within
// MaxDuration to some departure of the window [from, to): τ ≥ from,
// v − τ ≤ MaxDuration and v ≤ to − 1 + MaxDuration. So Eval is exact
// wherever the travel time is within the cap, and beyond the cap (or
// Unreached) wherever it is not.

// Profile is the result of a profile search: per number of rides r
// (1 … MaxTransfers+1, cumulative) and per stop, the Pareto set of
// (latest time at the stop, earliest arrival at a point), in flat arrays.
// Its zero value is empty; ProfileSearcher.Search fills it, reusing its
// memory.
type Profile struct {
	n, rounds int32
	from, to  int32
	// Round r (1-based) of stop s holds the entries
	// tau/arr[off[(r−1)*(n+1)+s] : off[(r−1)*(n+1)+s+1]], τ and arrival
	// both strictly increasing.
	off      []int32
	tau, arr []int32
}

// Window returns the departure window [from, to) the profile answers.
func (p *Profile) Window() (from, to int32) { return p.from, p.to }

// Entries returns the entries of stop s with at most rides rides: τ (the
// latest time one may be at s: vehicle departure − BoardSlack) and the
// earliest arrival at a point, both increasing. The slices alias the
// profile.
func (p *Profile) Entries(s int32, rides int) (tau, arrival []int32) {
	if rides < 1 || int32(rides) > p.rounds || s < 0 || s >= p.n {
		return nil, nil
	}
	base := int32(rides-1) * (p.n + 1)
	lo, hi := p.off[base+s], p.off[base+s+1]
	return p.tau[lo:hi], p.arr[lo:hi]
}

// Bytes returns the memory the profile's entries and offsets take.
func (p *Profile) Bytes() int { return 4 * (len(p.off) + len(p.tau) + len(p.arr)) }

// Len returns the number of entries of the last round (all rides allowed).
func (p *Profile) Len() int {
	if p.rounds == 0 {
		return 0
	}
	base := (p.rounds - 1) * (p.n + 1)
	return int(p.off[base+p.n] - p.off[base])
}

// Eval writes to out[i] the earliest arrival at a point of the profile's
// category by a journey with at least one ride, leaving at deps[i] from
// the access stops (Unreached when none), as Router.Query followed by the
// egress walks gives, wherever that travel time is within MaxDuration;
// elsewhere it is beyond the cap too, or Unreached. deps must increase
// and lie within the profile's window; out must be as long as deps. It
// merges the access stops' step functions and allocates nothing.
//
// An entry (τ, v) of an access stop walked to in w seconds answers every
// departure t ≤ τ − w; the arrival at t is the least v of the entries
// answering it. So each entry is dropped at the last departure it
// answers, and a suffix minimum spreads it to the earlier ones: the cost
// is the entries within the window plus the departures, not their
// product. Only the first entry at or past the last departure matters
// for a stop; the later ones arrive later still.
func (p *Profile) Eval(access []Access, deps []int32, out []int32) {
	nd := len(deps)
	if len(out) < nd {
		panic("router: Profile.Eval: out shorter than deps")
	}
	out = out[:nd]
	// step > 0: the departures are evenly spaced, and the last one a
	// time answers is found by a division.
	step := int32(0)
	if nd > 1 {
		step = deps[1] - deps[0]
	}
	for i := range deps {
		if i > 0 && deps[i] <= deps[i-1] || deps[i] < p.from || deps[i] >= p.to {
			panic("router: Profile.Eval: departures must increase within the window")
		}
		if i > 0 && deps[i]-deps[i-1] != step {
			step = 0
		}
		out[i] = Unreached
	}
	if p.rounds == 0 || nd == 0 {
		return
	}
	base := (p.rounds - 1) * (p.n + 1)
	off := p.off[base : base+p.n+1]
	d0 := deps[0]
	// x / step as a multiplication (a division per entry was a sixth of
	// Eval): with inv = ⌈2⁶⁴/step⌉, x·inv/2⁶⁴ = x/step + δ, 0 ≤ δ <
	// x/2⁶⁴ < 1/step for 0 ≤ x < 2³², so its integer part is x/step's.
	var inv uint64
	if step > 1 {
		inv = math.MaxUint64/uint64(step) + 1
	}
	for _, a := range access {
		lo, hi := off[a.Stop], off[a.Stop+1]
		tau, arr := p.tau[lo:hi], p.arr[lo:hi]
		// The first entry answering deps[0].
		first := d0 + a.Seconds
		j, h := 0, len(tau)
		for j < h {
			m := int(uint(j+h) >> 1)
			if tau[m] < first {
				j = m + 1
			} else {
				h = m
			}
		}
		for ; j < len(tau); j++ {
			t := tau[j] - a.Seconds // the latest departure it answers
			k := slot(deps, t, step, inv)
			out[k] = min(out[k], arr[j]) // without a branch to mispredict
			if k == nd-1 {
				break
			}
		}
	}
	for i := nd - 2; i >= 0; i-- {
		if out[i+1] < out[i] {
			out[i] = out[i+1]
		}
	}
}

// quotient returns x / d for 0 ≤ x < 2³², given inv = ⌈2⁶⁴/d⌉ (d ≥ 2).
func quotient(x, inv uint64) int {
	q, _ := bits.Mul64(x, inv)
	return int(q)
}

// slot returns the index of the last departure of deps (increasing, at
// least one) that leaving at t answers, the last one for t beyond it:
// with a step between departures (0 when uneven) and inv = inverse(step).
func slot(deps []int32, t, step int32, inv uint64) int {
	nd := len(deps)
	switch {
	case t >= deps[nd-1]:
		return nd - 1
	case step == 1:
		return int(t - deps[0])
	case step > 0:
		return quotient(uint64(t-deps[0]), inv)
	}
	return upperBound(deps, t) - 1
}

// lowerBound returns the number of values < x in the increasing slice.
func lowerBound(s []int32, x int32) int {
	lo, hi := 0, len(s)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if s[m] < x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// upperBound returns the number of values ≤ x in the increasing slice.
func upperBound(s []int32, x int32) int {
	lo, hi := 0, len(s)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if s[m] <= x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// ProfileSearcher runs profile searches over a timetable. It holds one
// worker's scratch state, reused from search to search: it is not safe
// for concurrent use; give each goroutine its own. The timetable is only
// read.
type ProfileSearcher struct {
	tt     *Timetable
	n      int32
	rounds int32

	// Footpaths reversed: the stops with a footpath to s are
	// rev[revOff[s]:revOff[s+1]].
	revOff []int32
	rev    []hop

	egressW []int32 // per stop: walk to the nearest point
	egressV []int32 // per stop: best walk to a point, after one footpath or none
	// Timed egress (SearchOpen): per stop s, the items
	// egD/egW/egO[egOff[s]:egOff[s+1]], sorted by egD: after alighting at
	// s at a ≤ egD, the point is served at max(a + egW, egO).
	egOff, egD, egW, egO []int32
	tgt                  []tgtWalk // SearchOpen's walks, chained and sorted

	// S: per stop, the best arrival after alighting there, as entries
	// (latest alighting time, arrival); current and next round.
	sOff, sTau, sArr    []int32
	nOff, nTau, nArr    []int32
	patLo, patHi        []int32 // per pattern: the trips that matter for the window
	boardings           int     // how many (trip, stop) boardings the bounds hold: a round's scans add at most as many candidates
	patLast             []int32 // per pattern: latest changed position, or -1
	patQueue            []int32
	changed, changedNxt bitset
	v                   []int32 // per trip of the pattern scanned: best arrival after it
	// B of the round before, for the scans (zeroOff: none).
	prevOff, prevTau, prevArr []int32
	zeroOff                   []int32
	// work counts, for the benchmarks: pattern scans, trip-stop steps,
	// candidates for B and for S.
	work struct{ scans, steps, bCand, sCand int }

	// Candidate entries of a round: stop and packed (τ, v), then grouped
	// by stop.
	candKey []uint64
	sorted  []uint64
	cnt     []int32
	radix   []int32
	from    int32 // the window's start
	tb      uint  // bits of a time counted from the window's start
	keyBits uint  // bits of a key
	// New B entries of a round (stop, τ, v), to feed S.
	newStop, newTau, newArr []int32
	tmpTau, tmpArr          []int32
	tmpNew                  []bool
	// most is the most entries a profile of this searcher has had: a
	// fresh dst gets that room at once (the impact's class searches, one
	// searcher for many profiles, spent a fifth of their time growing
	// dst by doubling).
	most int
}

// NewProfileSearcher returns a profile searcher over tt.
func NewProfileSearcher(tt *Timetable) *ProfileSearcher {
	n := int32(len(tt.stops))
	ps := &ProfileSearcher{tt: tt, n: n, rounds: int32(tt.params.MaxTransfers + 1),
		revOff: make([]int32, n+1), rev: make([]hop, len(tt.fps)),
		egressV: make([]int32, n), egressW: make([]int32, n),
		sOff: make([]int32, n+1), nOff: make([]int32, n+1),
		patLo: make([]int32, len(tt.patTrips)), patHi: make([]int32, len(tt.patTrips)),
		patLast: make([]int32, len(tt.patTrips)),
		changed: make(bitset, (n+63)/64), changedNxt: make(bitset, (n+63)/64),
		cnt: make([]int32, n+1), radix: make([]int32, 1<<radixDigit), zeroOff: make([]int32, n+1),
	}
	for s := range n {
		for _, fp := range tt.fps[tt.fpOff[s]:tt.fpOff[s+1]] {
			ps.revOff[fp.to+1]++
		}
	}
	for s := range n {
		ps.revOff[s+1] += ps.revOff[s]
	}
	fill := slices.Clone(ps.revOff[:n])
	for s := range n {
		for _, fp := range tt.fps[tt.fpOff[s]:tt.fpOff[s+1]] {
			ps.rev[fill[fp.to]] = hop{s, fp.sec}
			fill[fp.to]++
		}
	}
	maxTrips := int32(0)
	for _, nt := range tt.patTrips {
		maxTrips = max(maxTrips, nt)
	}
	ps.v = make([]int32, maxTrips)
	for i := range ps.patLast {
		ps.patLast[i] = -1
	}
	return ps
}

// key packs a candidate entry (τ, v) of stop st into an integer ordered
// as (stop, τ, v); times are counted from the window's start, which no
// entry precedes.
func (ps *ProfileSearcher) key(st, tau, v int32) uint64 {
	return uint64(st)<<(2*ps.tb) | uint64(tau-ps.from)<<ps.tb | uint64(v-ps.from)
}

func (ps *ProfileSearcher) unkey(k uint64) (tau, v int32) {
	mask := uint64(1)<<ps.tb - 1
	return ps.from + int32(k>>ps.tb&mask), ps.from + int32(k&mask)
}

// start checks the window and sets up dst and the keys of a search; it
// returns the latest useful arrival.
func (ps *ProfileSearcher) start(from, to int32, dst *Profile) (int32, error) {
	n := ps.n
	capT := ps.tt.params.MaxDuration
	if to <= from || to-from > 86400 || from < -86400 || to > 3*86400 {
		return 0, fmt.Errorf("router: profile window %d–%d s: must be a non-empty span of at most 24 h within −24 h…72 h", from, to)
	}
	hiT := to - 1 + capT // no useful arrival is later
	dst.n, dst.rounds, dst.from, dst.to = n, ps.rounds, from, to
	dst.off = grow(dst.off, int(ps.rounds)*int(n+1))
	dst.tau, dst.arr = dst.tau[:0], dst.arr[:0]
	if want := ps.most + ps.most/8; cap(dst.tau) < want {
		dst.tau, dst.arr = make([]int32, 0, want), make([]int32, 0, want)
	}
	// Keys: stop, then τ and v counted from the window's start (at most
	// 48 h + 1 s later, 18 bits each).
	ps.from = from
	ps.tb = uint(bits.Len32(uint32(hiT - from)))
	ps.keyBits = uint(bits.Len32(uint32(n))) + 2*ps.tb
	if ps.keyBits > 64 {
		return 0, fmt.Errorf("router: profile search over %d stops: too many", n)
	}
	return hiT, nil
}

// Search computes into dst the profiles of every stop towards the points
// that the egress list reaches (each stop with its walk to the nearest
// point, in seconds), for the departures of the window [from, to). After
// the last ride the walk starts at the stop alighted at, or after one
// footpath, footpath and walk within MaxWalk together (ChainEgress). It
// allocates only while its buffers grow.
func (ps *ProfileSearcher) Search(egress []Access, from, to int32, dst *Profile) error {
	tt := ps.tt
	n := ps.n
	capT := tt.params.MaxDuration
	for _, e := range egress {
		if e.Stop < 0 || e.Stop >= n || e.Seconds < 0 {
			return fmt.Errorf("router: profile egress %+v: no such stop or a negative walk", e)
		}
	}
	hiT, err := ps.start(from, to, dst)
	if err != nil {
		return err
	}

	// The egress after the last ride: walk from the stop, or one footpath
	// and a walk, the two within MaxWalk.
	fill(ps.egressW, Unreached)
	for _, e := range egress {
		if e.Seconds <= capT && e.Seconds < ps.egressW[e.Stop] {
			ps.egressW[e.Stop] = e.Seconds
		}
	}
	copy(ps.egressV, ps.egressW)
	ps.egOff = grow(ps.egOff, int(n+1))
	fill(ps.egOff, 0)
	ps.egD, ps.egW, ps.egO = ps.egD[:0], ps.egW[:0], ps.egO[:0]
	ps.changed.clear()
	for _, e := range egress {
		w := ps.egressW[e.Stop]
		if w == Unreached {
			continue
		}
		ps.changed.set(e.Stop)
		for _, r := range ps.rev[ps.revOff[e.Stop]:ps.revOff[e.Stop+1]] {
			if x := r.sec + w; x <= tt.params.MaxWalk && x < ps.egressV[r.to] {
				ps.egressV[r.to] = x
				ps.changed.set(r.to)
			}
		}
	}
	return ps.search(from, to, hiT, dst)
}

// search runs the rounds of a profile search once the egress (egressV,
// the timed items, the changed stops) is set.
func (ps *ProfileSearcher) search(from, to, hiT int32, dst *Profile) error {
	tt := ps.tt
	n := ps.n

	ps.patternBounds(from, hiT)

	// S starts empty.
	fill(ps.sOff, 0)
	ps.sTau, ps.sArr = ps.sTau[:0], ps.sArr[:0]

	for r := int32(1); r <= ps.rounds; r++ {
		base := (r - 1) * (n + 1)
		ps.queuePatterns()
		ps.candKey = ps.candKey[:0]
		if r > 1 {
			// Candidates no better than B of the round before are dropped
			// at once.
			ps.prevOff, ps.prevTau, ps.prevArr = dst.off[base-(n+1):base], dst.tau, dst.arr
		} else {
			ps.prevOff, ps.prevTau, ps.prevArr = ps.zeroOff, nil, nil
		}
		for _, pat := range ps.patQueue {
			last := ps.patLast[pat]
			ps.patLast[pat] = -1
			ps.scan(pat, last, from, hiT)
		}
		ps.work.bCand += len(ps.candKey)
		ps.groupCandidates()

		// B_r = B_{r−1} ∪ candidates, Pareto per stop; the new entries are
		// kept to update S.
		ps.newStop, ps.newTau, ps.newArr = ps.newStop[:0], ps.newTau[:0], ps.newArr[:0]
		prevBase := base - (n + 1)
		// Room for the round at once (at most the round before and every
		// candidate): growing by appends from empty cost a fresh
		// searcher twice its search.
		prevEntries := 0
		if r > 1 {
			prevEntries = len(dst.tau) - int(dst.off[prevBase])
		}
		dst.tau = reserve(dst.tau, prevEntries+len(ps.sorted))
		dst.arr = reserve(dst.arr, prevEntries+len(ps.sorted))
		ps.newStop = reserve(ps.newStop, len(ps.sorted))
		ps.newTau = reserve(ps.newTau, len(ps.sorted))
		ps.newArr = reserve(ps.newArr, len(ps.sorted))
		for s := range n {
			dst.off[base+s] = int32(len(dst.tau))
			var oldTau, oldArr []int32
			if r > 1 {
				lo, hi := dst.off[prevBase+s], dst.off[prevBase+s+1]
				oldTau, oldArr = dst.tau[lo:hi], dst.arr[lo:hi]
			}
			cand := ps.sorted[ps.cnt[s]:ps.cnt[s+1]]
			if len(cand) == 0 {
				dst.tau = append(dst.tau, oldTau...)
				dst.arr = append(dst.arr, oldArr...)
				continue
			}
			// oldTau aliases dst.tau, which the merge appends to: merge
			// into the temporary buffers first.
			ps.merge(oldTau, oldArr, cand)
			for i := len(ps.tmpTau) - 1; i >= 0; i-- {
				dst.tau = append(dst.tau, ps.tmpTau[i])
				dst.arr = append(dst.arr, ps.tmpArr[i])
				if ps.tmpNew[i] {
					ps.newStop = append(ps.newStop, s)
					ps.newTau = append(ps.newTau, ps.tmpTau[i])
					ps.newArr = append(ps.newArr, ps.tmpArr[i])
				}
			}
		}
		dst.off[base+n] = int32(len(dst.tau))
		if r == ps.rounds {
			break
		}

		// S_r = S_{r−1} ∪ the new entries shifted back by the transfer
		// that leads to them; the stops whose S changed are the next
		// round's.
		bound := 0
		for _, s := range ps.newStop {
			bound += 1 + int(ps.revOff[s+1]-ps.revOff[s])
		}
		ps.candKey = reserve(ps.candKey[:0], bound)
		for i, s := range ps.newStop {
			t, v := ps.newTau[i], ps.newArr[i]
			if x := tt.selfExtra[s]; x != Unreached {
				ps.sCandidate(s, t-x, v, from)
			}
			for _, rw := range ps.rev[ps.revOff[s]:ps.revOff[s+1]] {
				ps.sCandidate(rw.to, t-rw.sec, v, from)
			}
		}
		ps.work.sCand += len(ps.candKey)
		ps.groupCandidates()
		ps.changed.clear()
		ps.nTau = reserve(ps.nTau[:0], len(ps.sTau)+len(ps.sorted))
		ps.nArr = reserve(ps.nArr[:0], len(ps.sTau)+len(ps.sorted))
		for s := range n {
			ps.nOff[s] = int32(len(ps.nTau))
			oldTau, oldArr := ps.sTau[ps.sOff[s]:ps.sOff[s+1]], ps.sArr[ps.sOff[s]:ps.sOff[s+1]]
			cand := ps.sorted[ps.cnt[s]:ps.cnt[s+1]]
			if len(cand) == 0 {
				ps.nTau = append(ps.nTau, oldTau...)
				ps.nArr = append(ps.nArr, oldArr...)
				continue
			}
			ps.merge(oldTau, oldArr, cand)
			for i := len(ps.tmpTau) - 1; i >= 0; i-- {
				ps.nTau = append(ps.nTau, ps.tmpTau[i])
				ps.nArr = append(ps.nArr, ps.tmpArr[i])
				if ps.tmpNew[i] {
					ps.changed.set(s)
				}
			}
		}
		ps.nOff[n] = int32(len(ps.nTau))
		ps.sOff, ps.nOff = ps.nOff, ps.sOff
		ps.sTau, ps.nTau = ps.nTau, ps.sTau
		ps.sArr, ps.nArr = ps.nArr, ps.sArr
	}
	ps.most = max(ps.most, len(dst.tau))
	return nil
}

// patternBounds sets, per pattern, the trips that may matter to a search
// of the window starting at from whose useful arrivals end at hiT:
// boarded at τ ≥ from and departing no later than hiT + BoardSlack
// somewhere.
func (ps *ProfileSearcher) patternBounds(from, hiT int32) {
	tt := ps.tt
	slack := tt.params.BoardSlack
	ps.boardings = 0
	for p := range tt.patTrips {
		nt := tt.patTrips[p]
		off := tt.patTimeOff[p]
		so := tt.patStopOff[p]
		lo, hi := nt, int32(0)
		for i := range tt.patStopOff[p+1] - so {
			if tt.patFlags[so+i]&canBoard == 0 {
				continue
			}
			col := tt.dep[off+i*nt : off+(i+1)*nt]
			l, _ := slices.BinarySearch(col, from+slack)
			h, _ := slices.BinarySearch(col, hiT+slack+1)
			lo, hi = min(lo, int32(l)), max(hi, int32(h))
		}
		ps.patLo[p], ps.patHi[p] = lo, hi
		if hi > lo {
			ps.boardings += int(hi-lo) * int(tt.patStopOff[p+1]-so)
		}
	}
}

// queuePatterns sets patQueue to the patterns through the changed stops
// that have trips within the bounds, each with its latest changed
// position in patLast (the scan resets it to -1).
func (ps *ProfileSearcher) queuePatterns() {
	tt := ps.tt
	ps.patQueue = ps.patQueue[:0]
	for w, word := range ps.changed {
		for word != 0 {
			s := int32(w*64 + bits.TrailingZeros64(word))
			word &= word - 1
			for _, pp := range tt.stopPP[tt.stopPatOff[s]:tt.stopPatOff[s+1]] {
				if ps.patLo[pp.pat] >= ps.patHi[pp.pat] {
					continue
				}
				if l := ps.patLast[pp.pat]; l < 0 {
					ps.patLast[pp.pat] = pp.pos
					ps.patQueue = append(ps.patQueue, pp.pat)
				} else if pp.pos > l {
					ps.patLast[pp.pat] = pp.pos
				}
			}
		}
	}
}

// sCandidate adds the entry (a, v) to the candidates of S at stop s,
// unless it is outside the window or dominated: by the egress walk after
// alighting at a (a + egress ≤ v; earlier alightings arrive earlier
// still), or by an entry S already has.
func (ps *ProfileSearcher) sCandidate(s, a, v, from int32) {
	if a < from || v-a > ps.tt.params.MaxDuration {
		return
	}
	// ps.egressAt(s, a) <= v, the plain walk tested inline (a call per
	// candidate was a tenth of a search).
	if w := ps.egressV[s]; w != Unreached && a+w <= v {
		return
	}
	if ps.egOff[s] < ps.egOff[s+1] && ps.timedAt(s, a, Unreached) <= v {
		return
	}
	if dominated(ps.sTau[ps.sOff[s]:ps.sOff[s+1]], ps.sArr[ps.sOff[s]:ps.sOff[s+1]], a, v) {
		return
	}
	ps.candKey = append(ps.candKey, ps.key(s, a, v))
}

// dominated tells whether the entries (τ and v increasing) hold one with
// τ' ≥ t and v' ≤ v.
func dominated(tau, arr []int32, t, v int32) bool {
	lo, hi := 0, len(tau)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if tau[m] < t {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(tau) && arr[lo] <= v
}

// groupCandidates sorts the candidates by (stop, τ, v) into ps.sorted,
// with stop s at ps.sorted[ps.cnt[s]:ps.cnt[s+1]]: a least significant
// digit radix sort, 11 bits a pass, over the bits the keys use.
func (ps *ProfileSearcher) groupCandidates() {
	ps.sorted, ps.candKey = radixSort(ps.candKey, ps.sorted, ps.radix, 0, ps.keyBits)
	fill(ps.cnt, 0)
	for _, k := range ps.sorted {
		ps.cnt[k>>(2*ps.tb)+1]++
	}
	for s := range ps.n {
		ps.cnt[s+1] += ps.cnt[s]
	}
}

// radixDigit is the bits of a digit of radixSort.
const radixDigit = 11

// radixSort sorts the keys by their bits [lo, hi), stably: a least
// significant digit radix sort, radixDigit bits a pass, count holding
// 1<<radixDigit counters. buf is scratch (grown as needed); it returns
// the sorted keys and the other buffer, emptied.
func radixSort(keys, buf []uint64, count []int32, lo, hi uint) (sorted, other []uint64) {
	src := keys
	dst := grow(buf, len(src))
	for shift := lo; shift < hi; shift += radixDigit {
		fill(count, 0)
		for _, k := range src {
			count[k>>shift&(1<<radixDigit-1)]++
		}
		sum := int32(0)
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for _, k := range src {
			d := k >> shift & (1<<radixDigit - 1)
			dst[count[d]] = k
			count[d]++
		}
		src, dst = dst, src
	}
	return src, dst[:0]
}

// merge computes the Pareto set of old entries (τ and v increasing) and
// candidates (sorted by (τ, v)) into tmpTau/tmpArr in decreasing order,
// tmpNew telling which entries are not in old.
func (ps *ProfileSearcher) merge(oldTau, oldArr []int32, cand []uint64) {
	ps.tmpTau, ps.tmpArr, ps.tmpNew = ps.tmpTau[:0], ps.tmpArr[:0], ps.tmpNew[:0]
	best := Unreached
	i, j := len(oldTau)-1, len(cand)-1
	for i >= 0 || j >= 0 {
		var t, v int32
		isNew := false
		if j >= 0 {
			ct, cv := ps.unkey(cand[j])
			// Latest τ first; at equal τ the larger arrival first, and
			// an old entry before an equal candidate (which is then
			// dropped).
			if i < 0 || ct > oldTau[i] || ct == oldTau[i] && cv > oldArr[i] {
				t, v, isNew = ct, cv, true
				j--
			} else {
				t, v = oldTau[i], oldArr[i]
				i--
			}
		} else {
			t, v = oldTau[i], oldArr[i]
			i--
		}
		if v >= best {
			continue
		}
		best = v
		if k := len(ps.tmpTau) - 1; k >= 0 && ps.tmpTau[k] == t {
			ps.tmpArr[k], ps.tmpNew[k] = v, isNew
			continue
		}
		ps.tmpTau = append(ps.tmpTau, t)
		ps.tmpArr = append(ps.tmpArr, v)
		ps.tmpNew = append(ps.tmpNew, isNew)
	}
}

// scan rides pattern pat backwards from position last, in the current
// round: each trip carries the best arrival at a point after alighting
// further on (A of the round before: the egress walk, or S), and each
// stop where it may be boarded gets a candidate entry.
func (ps *ProfileSearcher) scan(pat, last int32, from, hiT int32) {
	tt := ps.tt
	capT := tt.params.MaxDuration
	slack := tt.params.BoardSlack
	so := tt.patStopOff[pat]
	stops := tt.patStops[so:tt.patStopOff[pat+1]]
	flags := tt.patFlags[so:tt.patStopOff[pat+1]]
	nt := tt.patTrips[pat]
	off := tt.patTimeOff[pat]
	jlo, jhi := ps.patLo[pat], ps.patHi[pat]
	prevOff, prevTau, prevArr := ps.prevOff, ps.prevTau, ps.prevArr
	v := ps.v[:jhi]
	fill(v[jlo:], Unreached)
	ps.work.scans++
	ps.work.steps += int(last+1) * int(jhi-jlo)
	any := false
	for i := last; i >= 0; i-- {
		s := stops[i]
		col := off + i*nt
		if any && flags[i]&canBoard != 0 {
			best := Unreached
			for j := jhi - 1; j >= jlo; j-- {
				x := v[j]
				if x >= best {
					continue
				}
				t := tt.dep[col+j] - slack
				if t < from {
					break // earlier trips leave earlier still
				}
				best = x
				if x-t <= capT && !dominated(prevTau[prevOff[s]:prevOff[s+1]], prevArr[prevOff[s]:prevOff[s+1]], t, x) {
					if len(ps.candKey) == cap(ps.candKey) {
						ps.candKey = reserve(ps.candKey, 1)
					}
					ps.candKey = append(ps.candKey, ps.key(s, t, x))
				}
			}
		}
		if flags[i]&canAlight == 0 {
			continue
		}
		e := ps.egressV[s]
		sTau, sArr := ps.sTau[ps.sOff[s]:ps.sOff[s+1]], ps.sArr[ps.sOff[s]:ps.sOff[s+1]]
		timed := ps.egOff[s] < ps.egOff[s+1]
		if e == Unreached && !timed && len(sTau) == 0 {
			continue
		}
		k := 0
		for j := jlo; j < jhi; j++ {
			a := tt.arr[col+j]
			if a > hiT {
				break // later trips arrive later still
			}
			best := Unreached
			if e != Unreached {
				best = a + e
			}
			if timed {
				best = ps.timedAt(s, a, best)
			}
			for k < len(sTau) && sTau[k] < a {
				k++
			}
			if k < len(sTau) && sArr[k] < best {
				best = sArr[k]
			}
			if best < v[j] && best <= hiT {
				v[j] = best
				any = true
			}
		}
	}
}

// grow returns s with length n, reallocated (at least doubling its
// capacity) when it is too short; the contents are not kept.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n, max(n, 2*cap(s)))
	}
	return s[:n]
}

// reserve returns s with room for n more elements, at least doubling its
// capacity when it must grow.
func reserve[T any](s []T, n int) []T {
	if cap(s)-len(s) >= n {
		return s
	}
	t := make([]T, len(s), max(2*cap(s), len(s)+n, 1024))
	copy(t, s)
	return t
}
