package router

import "math/bits"

// Router runs searches over a timetable. It holds one worker's scratch
// state, reused from search to search: it is not safe for concurrent use;
// give each goroutine its own.
//
// Labels are kept per round k (k rides; round 0 is the access walk) and
// are cumulative: tArr[k][s] is the earliest arrival at s by vehicle with
// at most k rides, wArr[k][s] on foot after a ride, so that
// tArr[k] ≤ tArr[k−1] stop by stop. A new arrival is kept only when it
// beats the label of its own round, which stays exact under a transfer
// limit and lets range-RAPTOR reuse the labels of a later departure.
type Router struct {
	tt     *Timetable
	rounds int32 // MaxTransfers + 2: round 0 and one per ride
	n      int32

	tArr, wArr       []int32 // at k*n+s
	tPat, tTrip, tBd []int32 // ride that set tArr: pattern, trip, boarding position
	wFrom            []int32 // footpath origin of wArr
	arrivals         []int32

	marked, next bitset
	patFirst     []int32 // per pattern, earliest marked position, or -1
	patLast      []int32 // per pattern, latest marked position
	patQueue     []int32

	// ridden[k*len(patStops)+patStopOff[p]+i] is the earliest trip of
	// pattern p ridden past its i-th stop in round k since the last reset
	// (valid when riddenEpoch[k*patterns+p] == epoch): a later trip
	// improves no label from there on.
	ridden      []int32
	riddenEpoch []uint32
	epoch       uint32
	improvedT   []int32 // stops improved by vehicle in this round
	dep         int32
}

// bitset is a set of stops.
type bitset []uint64

func (b bitset) set(i int32)      { b[i>>6] |= 1 << (uint(i) & 63) }
func (b bitset) has(i int32) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }
func (b bitset) clear() {
	for i := range b {
		b[i] = 0
	}
}

// NewRouter returns a router over tt.
func NewRouter(tt *Timetable) *Router {
	n := int32(len(tt.stops))
	k := int32(tt.params.MaxTransfers + 2)
	r := &Router{tt: tt, rounds: k, n: n,
		tArr: make([]int32, k*n), wArr: make([]int32, k*n),
		tPat: make([]int32, k*n), tTrip: make([]int32, k*n), tBd: make([]int32, k*n), wFrom: make([]int32, k*n),
		arrivals: make([]int32, n),
		marked:   make(bitset, (n+63)/64), next: make(bitset, (n+63)/64),
		patFirst: make([]int32, len(tt.patTrips)), patLast: make([]int32, len(tt.patTrips)),
		ridden: make([]int32, int(k)*len(tt.patStops)), riddenEpoch: make([]uint32, int(k)*len(tt.patTrips)),
	}
	for i := range r.patFirst {
		r.patFirst[i] = -1
	}
	r.reset()
	return r
}

func (r *Router) reset() {
	fill(r.tArr, Unreached)
	fill(r.wArr, Unreached)
	r.epoch++
	if r.epoch == 0 {
		for i := range r.riddenEpoch {
			r.riddenEpoch[i] = 0
		}
		r.epoch = 1
	}
}

func fill(s []int32, v int32) {
	for i := range s {
		s[i] = v
	}
}

// Query runs one search leaving at dep (seconds after midnight of the
// timetable's date) from the access stops. It returns, per stop, the
// earliest arrival by a journey with at least one ride (footpath
// transfers after the last ride included), or Unreached when none arrives
// within MaxDuration. The slice is valid until the next call.
func (r *Router) Query(access []Access, dep int32) []int32 {
	r.reset()
	r.run(access, dep)
	return r.output(dep)
}

// Range runs range-RAPTOR for the departures from, from+step, … < to,
// latest first, reusing labels between departures, and calls fn for each
// with the arrivals as Query returns them (valid only during fn).
func (r *Router) Range(access []Access, from, to, step int32, fn func(dep int32, arrivals []int32)) {
	if step <= 0 || to <= from {
		return
	}
	r.reset()
	last := from + (to-from-1)/step*step
	for dep := last; dep >= from; dep -= step {
		r.run(access, dep)
		fn(dep, r.output(dep))
	}
}

func (r *Router) output(dep int32) []int32 {
	limit := dep + r.tt.params.MaxDuration
	top := (r.rounds - 1) * r.n
	t, w := r.tArr[top:top+r.n], r.wArr[top:top+r.n]
	for s := range r.arrivals {
		a := min(t[s], w[s])
		if a > limit {
			a = Unreached
		}
		r.arrivals[s] = a
	}
	return r.arrivals
}

// run searches from the access stops leaving at dep, improving the labels
// in place (they may hold the results of a later departure).
func (r *Router) run(access []Access, dep int32) {
	tt := r.tt
	n := r.n
	limit := dep + tt.params.MaxDuration
	r.dep = dep
	r.marked.clear()
	any := false
	for _, a := range access {
		t := dep + a.Seconds
		if t < r.wArr[a.Stop] && t <= limit {
			r.wArr[a.Stop] = t
			r.wFrom[a.Stop] = -1
			r.marked.set(a.Stop)
			any = true
		}
	}
	for k := int32(1); k < r.rounds && any; k++ {
		prev, cur := (k-1)*n, k*n
		// Queue the patterns through marked stops, from their earliest
		// marked position.
		r.patQueue = r.patQueue[:0]
		for w, word := range r.marked {
			for word != 0 {
				s := int32(w*64 + bits.TrailingZeros64(word))
				word &= word - 1
				for _, pp := range tt.stopPP[tt.stopPatOff[s]:tt.stopPatOff[s+1]] {
					pat, pos := pp.pat, pp.pos
					if f := r.patFirst[pat]; f < 0 {
						r.patFirst[pat], r.patLast[pat] = pos, pos
						r.patQueue = append(r.patQueue, pat)
					} else if pos < f {
						r.patFirst[pat] = pos
					} else if pos > r.patLast[pat] {
						r.patLast[pat] = pos
					}
				}
			}
		}
		r.next.clear()
		r.improvedT = r.improvedT[:0]
		for _, pat := range r.patQueue {
			first := r.patFirst[pat]
			r.patFirst[pat] = -1
			r.scan(pat, first, r.patLast[pat], prev, k, limit)
		}
		// Footpaths from the stops reached by vehicle in this round.
		for _, s := range r.improvedT {
			at := r.tArr[cur+s]
			for _, fp := range tt.fps[tt.fpOff[s]:tt.fpOff[s+1]] {
				to := fp.to
				a := at + fp.sec
				if a > limit || a >= r.wArr[cur+to] {
					continue
				}
				if x := tt.selfExtra[to]; x != Unreached && r.tArr[cur+to] != Unreached && a >= r.tArr[cur+to]+x {
					continue // boarding after the ride to it is as early
				}
				for j := cur + to; j < r.rounds*n && a < r.wArr[j]; j += n {
					r.wArr[j] = a
					r.wFrom[j] = s
				}
				r.next.set(to)
			}
		}
		r.marked, r.next = r.next, r.marked
		any = len(r.improvedT) > 0
	}
}

// scan rides pattern pat in round k (labels of round k−1 at prev, of
// round k at cur), boarding at the marked stops, from position first to
// last.
//
// Boarding at an unmarked stop is useless: its label was last improved
// in an earlier round (or for a later departure), and the scan of that
// round already rode the trip it catches, or an earlier one, with labels
// that have only improved since. Likewise a trip no earlier than one
// already ridden past a position in this round improves nothing from
// there on, since trips never overtake: the scan then only looks for the
// next marked stop, and stops after the last one.
func (r *Router) scan(pat, first, last int32, prev, k int32, limit int32) {
	tt := r.tt
	n := r.n
	cur := k * n
	slack := tt.params.BoardSlack
	so := tt.patStopOff[pat]
	stops := tt.patStops[so:tt.patStopOff[pat+1]]
	flags := tt.patFlags[so:tt.patStopOff[pat+1]]
	nt := tt.patTrips[pat]
	off := tt.patTimeOff[pat]
	ridden := r.ridden[int(k)*len(tt.patStops)+int(so):][:len(stops)]
	if e := &r.riddenEpoch[int(k)*len(tt.patTrips)+int(pat)]; *e != r.epoch {
		*e = r.epoch
		fill(ridden, Unreached)
	}
	trip, board := int32(-1), int32(-1)
	for i := first; i < int32(len(stops)); i++ {
		s := stops[i]
		col := off + i*nt
		if trip >= 0 && trip < ridden[i] {
			ridden[i] = trip
			if flags[i]&canAlight != 0 {
				if a := tt.arr[col+trip]; a <= limit && a < r.tArr[cur+s] {
					for j := cur + s; j < r.rounds*n && a < r.tArr[j]; j += n {
						r.tArr[j] = a
						r.tPat[j], r.tTrip[j], r.tBd[j] = pat, trip, board
					}
					if !r.next.has(s) {
						r.next.set(s)
						r.improvedT = append(r.improvedT, s)
					}
				}
			}
		} else if i > last {
			break
		}
		if i > last || flags[i]&canBoard == 0 || trip == 0 || !r.marked.has(s) {
			continue
		}
		reach := r.wArr[prev+s]
		if t := r.tArr[prev+s]; t != Unreached && k > 1 {
			if x := tt.selfExtra[s]; x != Unreached && t+x < reach {
				reach = t + x
			}
		}
		if reach == Unreached {
			continue
		}
		ready := reach + slack
		hi := nt
		if trip > 0 {
			if tt.dep[col+trip-1] < ready {
				continue // no earlier trip can be caught here
			}
			hi = trip
		}
		lo := int32(0)
		for lo < hi {
			m := int32(uint32(lo+hi) >> 1)
			if tt.dep[col+m] < ready {
				lo = m + 1
			} else {
				hi = m
			}
		}
		if lo < nt && (trip < 0 || lo < trip) {
			trip, board = lo, i
		}
	}
}
