package hours

const (
	// SpanStart is the first second Windows cover: 00:00 of the day before
	// the analysis date, relative to midnight of the analysis date.
	SpanStart int32 = -86400
	// SpanEnd is the end of the seconds Windows cover (excluded): 00:00 two
	// days after the analysis date.
	SpanEnd int32 = 2 * 86400
	// MaxMinOpen bounds minOpen, in seconds (one day).
	MaxMinOpen int32 = 86400
)

// Windows are the arrival times, in seconds relative to midnight of an
// analysis date, at which a point can serve a traveller: flat, sorted,
// disjoint [first, last] pairs, both ends included. The zero Windows never
// serve.
type Windows struct {
	iv     []int32
	always bool
}

// AlwaysWindows returns windows that serve any arrival at once.
func AlwaysWindows() Windows { return Windows{always: true} }

// Always reports whether the windows serve any arrival at once (the point
// is open throughout the covered span, or its hours are unknown).
func (w Windows) Always() bool { return w.always }

// Pairs returns the [first, last] arrival pairs, flat (first0, last0,
// first1, …); nil for always-open or never-open windows. The caller must not
// modify it.
func (w Windows) Pairs() []int32 { return w.iv }

// None reports whether the windows never serve.
func (w Windows) None() bool { return !w.always && len(w.iv) == 0 }

// Arrive returns the time a traveller reaching the point at second t is
// served: t itself when the point is open at t and stays open minOpen
// seconds, else the next opening that stays open minOpen seconds (the wait
// counts in the travel time). It returns false when there is none before the
// end of the covered span. Always-open windows return t for every t. Arrive
// is monotone: t1 <= t2 implies Arrive(t1) <= Arrive(t2) (FIFO), and it
// neither allocates nor takes locks.
func (w Windows) Arrive(t int32) (int32, bool) {
	if w.always {
		return t, true
	}
	iv := w.iv
	// first pair whose last >= t
	lo, hi := 0, len(iv)/2
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if iv[2*m+1] < t {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == len(iv)/2 {
		return 0, false
	}
	if a := iv[2*lo]; a > t {
		return a, true
	}
	return t, true
}

// OpenDuring reports whether a traveller can be served at some second of
// [from, to): whether some arrival in it is served at once.
func (w Windows) OpenDuring(from, to int32) bool {
	if from >= to {
		return false
	}
	a, ok := w.Arrive(from)
	return ok && a < to
}

// Windows returns the arrival windows of the schedule around the analysis
// date: every second t of [SpanStart, SpanEnd) (the day before the date to
// the day after it) at which the point is open throughout [t, t+minOpen]
// (and at t itself when minOpen is 0). Openings that run past the covered
// span are cut at its ends. Public holidays (PH) are the French ones of each
// day's year; school holidays (SH) are those of cal, none when cal is nil.
// minOpen is in seconds, clamped to [0, MaxMinOpen]. A schedule open
// throughout the covered span gives AlwaysWindows.
func (s Schedule) Windows(date Date, minOpen int32, cal *Calendar) Windows {
	if minOpen < 0 {
		minOpen = 0
	}
	if minOpen > MaxMinOpen {
		minOpen = MaxMinOpen
	}
	date = date.norm()
	var open []span32
	for k := -2; k <= 1; k++ {
		d := date.AddDays(k)
		base := int32(k) * 86400
		for _, x := range s.day(monday0(d.Weekday()), IsPublicHoliday(d), cal.Contains(d)) {
			a, b := base+int32(x.start)*60, base+int32(x.end)*60
			if a < SpanStart {
				a = SpanStart
			}
			if b > SpanEnd {
				b = SpanEnd
			}
			if a < b {
				open = append(open, span32{a, b})
			}
		}
	}
	open = merge32(open)
	if len(open) == 1 && open[0].a == SpanStart && open[0].b == SpanEnd {
		return AlwaysWindows()
	}
	iv := make([]int32, 0, 2*len(open))
	for _, x := range open {
		last := x.b - minOpen
		if minOpen == 0 {
			last = x.b - 1
		}
		if last >= x.a {
			iv = append(iv, x.a, last)
		}
	}
	return Windows{iv: iv}
}
