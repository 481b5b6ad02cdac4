package gtfs

import "testing"

func TestServiceDates(t *testing.T) {
	d := func(s string) Date {
		x, err := ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	weekdays := [7]bool{false, true, true, true, true, true, false}
	cases := []struct {
		name     string
		services []Service
		lo, hi   string
		ok       bool
		runsOn   string
		runs     bool
	}{
		{"calendar", []Service{{HasCalendar: true, Weekdays: weekdays, Start: d("2026-01-01"), End: d("2026-06-30")}}, "2026-01-01", "2026-06-30", true, "2026-07-14", false},
		{"added date widens", []Service{{HasCalendar: true, Weekdays: weekdays, Start: d("2026-01-01"), End: d("2026-06-30"), Added: []Date{d("2026-07-14")}}}, "2026-01-01", "2026-07-14", true, "2026-07-14", true},
		{"no weekday", []Service{{HasCalendar: true, Start: d("2026-01-01"), End: d("2026-06-30"), Added: []Date{d("2026-03-03")}}}, "2026-03-03", "2026-03-03", true, "2026-03-04", false},
		{"nothing", []Service{{}}, "", "", false, "2026-03-04", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := &Feed{Services: c.services, Trips: []Trip{{Service: 0, N: 2}},
				StopTimes: StopTimes{Arrival: []int32{0, 60}, Departure: []int32{0, 60}}}
			lo, hi, ok := f.ServiceDates()
			if ok != c.ok || ok && (lo.String() != c.lo || hi.String() != c.hi) {
				t.Errorf("ServiceDates = %s, %s, %v; want %s, %s, %v", lo, hi, ok, c.lo, c.hi, c.ok)
			}
			if got := f.RunsOn(d(c.runsOn)); got != c.runs {
				t.Errorf("RunsOn(%s) = %v, want %v", c.runsOn, got, c.runs)
			}
		})
	}
}
