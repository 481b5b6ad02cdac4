package router

import (
	"path/filepath"
	"testing"

	"github.com/vingt/vingt/gtfs"
)

func TestParseTypeRanges(t *testing.T) {
	cases := []struct {
		text, want string
		ok         bool
	}{
		{"3", "3", true},
		{"3, 700-799", "3,700-799", true},
		{"712-712", "712", true},
		{"799-700", "", false},
		{"-1", "", false},
		{"1703", "", false},
		{"bus", "", false},
	}
	for _, c := range cases {
		rs, err := ParseTypeRanges(c.text)
		if (err == nil) != c.ok || c.ok && FormatTypeRanges(rs) != c.want {
			t.Errorf("ParseTypeRanges(%q) = %v, %v; want %q, ok %v", c.text, FormatTypeRanges(rs), err, c.want, c.ok)
		}
	}
}

// TestRouteFilterPeribus compiles Péribus without its school services
// (route_type 712), and with them only, and checks the trips kept against
// a count made on the feed.
func TestRouteFilterPeribus(t *testing.T) {
	path := filepath.Join("..", "..", "shared", "data", "perigueux", "peribus-gtfs.zip")
	f, err := gtfs.Open(path)
	if err != nil {
		t.Skipf("Péribus feed absent: %v", err)
	}
	date, _ := gtfs.ParseDate("2026-01-13")
	today := f.ActiveServices(date)
	school, other := 0, 0
	for i := range f.Trips {
		tr := &f.Trips[i]
		if !today[tr.Service] || tr.N < 2 {
			continue
		}
		if f.Routes[tr.Route].Type == 712 {
			school++
		} else {
			other++
		}
	}
	if school == 0 {
		t.Fatal("no school trip on the date")
	}
	for _, c := range []struct {
		name   string
		filter *RouteFilter
		want   int
	}{
		{"all", nil, school + other},
		{"no school", &RouteFilter{ExcludeTypes: []TypeRange{{712, 712}}}, other},
		{"school only", &RouteFilter{Types: []TypeRange{{712, 712}}}, school},
		{"range", &RouteFilter{Types: []TypeRange{{0, 799}}, ExcludeTypes: []TypeRange{{700, 799}}}, other - rangeOther(f, today)},
	} {
		p := DefaultParams()
		p.Routes = c.filter
		tt, err := Compile([]*gtfs.Feed{f}, date, p)
		if err != nil {
			t.Fatal(err)
		}
		// Stats.Trips counts today's trips and the previous day's still
		// running after midnight.
		if got := tt.Stats().Trips - tt.Stats().PreviousDayTrips; got != c.want {
			t.Errorf("%s: %d trips, want %d", c.name, got, c.want)
		}
	}
}

// rangeOther counts today's trips of routes of types 700–799 other than
// 712, and of types beyond 799.
func rangeOther(f *gtfs.Feed, today []bool) int {
	n := 0
	for i := range f.Trips {
		tr := &f.Trips[i]
		if ty := f.Routes[tr.Route].Type; today[tr.Service] && tr.N >= 2 && ty != 712 && ty >= 700 {
			n++
		}
	}
	return n
}
