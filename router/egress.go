package router

// This file holds the walk after the last ride, shared by the engines:
// after alighting at a stop, the traveller walks to a point either from
// that stop or after one footpath to another stop, and the whole walk
// after the last ride is bounded by MaxWalk, like the access walk.

// Footpaths appends to dst the transfer walks from stop s: the stops one
// footpath away (transfers.txt included) and the walk to each, in seconds.
func (tt *Timetable) Footpaths(s int32, dst []Access) []Access {
	for _, fp := range tt.fps[tt.fpOff[s]:tt.fpOff[s+1]] {
		dst = append(dst, Access{Stop: fp.to, Seconds: fp.sec})
	}
	return dst
}

// ChainEgress returns the egress after the last ride from the walks of
// direct (a stop and its walk to the nearest point): per stop, the least
// of its own walk and of a footpath to a stop of direct followed by that
// stop's walk, the two together within MaxWalk. Stops are in index order;
// a stop's own walk counts even beyond MaxWalk (the caller bounds it).
func (tt *Timetable) ChainEgress(direct []Access) []Access {
	n := int32(len(tt.stops))
	w := make([]int32, n)
	fill(w, Unreached)
	for _, e := range direct {
		if e.Stop >= 0 && e.Stop < n && e.Seconds >= 0 && e.Seconds < w[e.Stop] {
			w[e.Stop] = e.Seconds
		}
	}
	out := make([]int32, n)
	copy(out, w)
	for s := range n {
		for _, fp := range tt.fps[tt.fpOff[s]:tt.fpOff[s+1]] {
			if x := w[fp.to]; x != Unreached && fp.sec+x <= tt.params.MaxWalk && fp.sec+x < out[s] {
				out[s] = fp.sec + x
			}
		}
	}
	var res []Access
	for s, x := range out {
		if x != Unreached {
			res = append(res, Access{Stop: int32(s), Seconds: x})
		}
	}
	return res
}

// RideArrival returns, after a search (Query, or Range and RangeAt while
// their callback runs), the earliest arrival at stop s whose last leg is
// a ride, or Unreached (beyond MaxDuration too). The walk after the last
// ride is then the caller's: ChainEgress bounds it as a whole.
func (r *Router) RideArrival(s int32) int32 {
	a := r.tArr[(r.rounds-1)*r.n+s]
	if a > r.dep+r.tt.params.MaxDuration {
		return Unreached
	}
	return a
}
