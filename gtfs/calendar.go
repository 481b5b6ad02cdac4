package gtfs

import "slices"

// Active reports whether the service runs on date d: calendar.txt's
// weekdays within its date range, then calendar_dates.txt's additions and
// removals, which take precedence.
func (s *Service) Active(d Date) bool {
	if slices.Contains(s.Removed, d) {
		return false
	}
	if slices.Contains(s.Added, d) {
		return true
	}
	return s.HasCalendar && d >= s.Start && d <= s.End && s.Weekdays[d.Weekday()]
}

// ActiveServices returns, indexed by service, whether each runs on d.
func (f *Feed) ActiveServices(d Date) []bool {
	out := make([]bool, len(f.Services))
	for i := range f.Services {
		out[i] = f.Services[i].Active(d)
	}
	return out
}

// TimeRange returns the earliest departure and the latest arrival of all
// trips, in seconds after midnight of their service day.
func (f *Feed) TimeRange() (first, last int32) {
	first, last = -1, -1
	for i := range f.Trips {
		t := &f.Trips[i]
		d, a := f.Departure(t, 0), f.Arrival(t, int(t.N)-1)
		if first < 0 || d < first {
			first = d
		}
		if a > last {
			last = a
		}
	}
	return first, last
}

// ServiceDates returns the first and last dates on which a service used by
// at least one trip may run: the union of calendar.txt's date ranges (of
// services running on some weekday) and calendar_dates.txt's additions.
// ok is false when no trip has any date.
func (f *Feed) ServiceDates() (first, last Date, ok bool) {
	used := make([]bool, len(f.Services))
	for i := range f.Trips {
		if s := int(f.Trips[i].Service); s >= 0 && s < len(used) {
			used[s] = true
		}
	}
	widen := func(lo, hi Date) {
		if !ok || lo < first {
			first = lo
		}
		if !ok || hi > last {
			last = hi
		}
		ok = true
	}
	for i := range f.Services {
		s := &f.Services[i]
		if !used[i] {
			continue
		}
		if s.HasCalendar && s.Start <= s.End && slices.Contains(s.Weekdays[:], true) {
			widen(s.Start, s.End)
		}
		for _, d := range s.Added {
			widen(d, d)
		}
	}
	return first, last, ok
}

// RunsOn reports whether at least one trip of the feed runs on date d, or
// runs past midnight into d from the previous service day.
func (f *Feed) RunsOn(d Date) bool {
	today, yesterday := f.ActiveServices(d), f.ActiveServices(d.AddDays(-1))
	for i := range f.Trips {
		t := &f.Trips[i]
		if t.N < 2 {
			continue
		}
		if today[t.Service] || yesterday[t.Service] && f.Arrival(t, int(t.N)-1) >= 86400 {
			return true
		}
	}
	return false
}
