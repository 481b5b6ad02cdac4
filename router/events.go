package router

import "slices"

// BoardingTimes appends to dst the distinct departure times, within
// [from, to), of the trips that can be boarded at stop s, sorted. The
// result of a search from an access walk to s changes only when one of
// these times stops being catchable.
func (tt *Timetable) BoardingTimes(s int32, from, to int32, dst []int32) []int32 {
	start := len(dst)
	for i := tt.stopPatOff[s]; i < tt.stopPatOff[s+1]; i++ {
		pat, pos := tt.stopPP[i].pat, tt.stopPP[i].pos
		if tt.patFlags[tt.patStopOff[pat]+pos]&canBoard == 0 {
			continue
		}
		nt := tt.patTrips[pat]
		col := tt.dep[tt.patTimeOff[pat]+pos*nt : tt.patTimeOff[pat]+(pos+1)*nt]
		lo, _ := slices.BinarySearch(col, from)
		for _, d := range col[lo:] {
			if d >= to {
				break
			}
			dst = append(dst, d)
		}
	}
	slices.Sort(dst[start:])
	return append(dst[:start], slices.Compact(dst[start:])...)
}

// RangeAt runs range-RAPTOR for the given departures, which must be in
// decreasing order, reusing labels from one to the next, and calls fn for
// each as Range does.
func (r *Router) RangeAt(access []Access, deps []int32, fn func(dep int32, arrivals []int32)) {
	r.reset()
	for i, dep := range deps {
		if i > 0 && dep >= deps[i-1] {
			panic("router: RangeAt departures must decrease")
		}
		r.run(access, dep)
		fn(dep, r.output(dep))
	}
}
