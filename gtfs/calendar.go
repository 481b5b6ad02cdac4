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
