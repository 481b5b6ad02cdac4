package hours

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

func TestParseDay(t *testing.T) {
	tests := []struct {
		value string
		want  string // the spans, "off", or the error message
		kind  error
	}{
		{"9:00 - 12:00 / 13:30 - 16:00", "09:00-12:00,13:30-16:00", nil},
		{"09:00 - 12:00 / 14:00 - 17:00", "09:00-12:00,14:00-17:00", nil},
		{"", "off", nil},
		{"-", "off", nil},
		{" - ", "off", nil},
		{"Espace fermé ce jour", "off", nil},
		{"8:30 - 17:30", "08:30-17:30", nil},
		{"9:00 - 12:30 / 13:30 - 17:00 ", "09:00-12:30,13:30-17:00", nil},
		{"9:00 - 12:00 / \u00a014:00 - 16:00", "09:00-12:00,14:00-16:00", nil},
		{"9:00 - 12\u00a0:30 / 13:30 - 18:30", "09:00-12:30,13:30-18:30", nil},
		{"9:00 - 12:00 / 14:00\u2013 17:00", "09:00-12:00,14:00-17:00", nil},
		{"08:00 -12:00 / 13:30 - 17:30", "08:00-12:00,13:30-17:30", nil},
		{"9:00-12:00 / 13:30 - 16:30", "09:00-12:00,13:30-16:30", nil},
		{"09:00 - 12:30 / 14:00 - 17:", "09:00-12:30,14:00-17:00", nil},
		{"9:00 -12: 13:00 -16:", "09:00-12:00,13:00-16:00", nil},
		{"9: 12:30 / 13:30 18:30", "09:00-12:30,13:30-18:30", nil},
		{"08:00 - 12:00 /12: 45 - 15:00", "08:00-12:00,12:45-15:00", nil},
		{"09:00 - 12:00 / 13:30 - 17 : 00", "09:00-12:00,13:30-17:00", nil},
		{"8:30 : 12:00 / 13:30 - 18:00", "08:30-12:00,13:30-18:00", nil},
		{"13:30:16:30", "13:30-16:30", nil},
		{"09:00 - 12:30-14:00 - 17:00", "09:00-12:30,14:00-17:00", nil},
		{"09-12:30 / 13:30 - 17:00", "09:00-12:30,13:30-17:00", nil},
		{"8:30 / 12:30", "08:30-12:30", nil},
		{"8:30 - 12:30 et 13:30 - 17:30", "08:30-12:30,13:30-17:30", nil},
		{"9:00 - 12:00 13:30 - 16:00", "09:00-12:00,13:30-16:00", nil},
		{"09:00 - 12:30 (sur RDV 14:00 - 17:00)", "09:00-12:30,14:00-17:00", nil},
		{"Sur RDV : 9:00 - 12:30 / Sans RDV : 13:30 - 17:00", "09:00-12:30,13:30-17:00", nil},
		{"9:00 - 12:00 // Sur RDV : 8:30 - 9:00 / 12:00 - 12:30 / 13:30 - 17:30", "08:30-12:30,13:30-17:30", nil},
		{"08:30 - 13:30 / 13:30 - 17:00", "08:30-17:00", nil},
		// unknown: no time at all
		{"Horaires non communiqués", `hours: unknown opening hours for tuesday "Horaires non communiqués": no time given`, ErrUnknown},
		{"Sur RDV", `hours: unknown opening hours for tuesday "Sur RDV": no time given`, ErrUnknown},
		{"Selon planning bus", `hours: unknown opening hours for tuesday "Selon planning bus": no time given`, ErrUnknown},
		// unsupported: conditions and comments
		{"9:00 - 12:30 / Sur RDV : après-midi", `hours: unsupported opening hours for tuesday "9:00 - 12:30 / Sur RDV : après-midi" at column 26: condition or comment "après-midi"`, ErrUnsupported},
		{"Semaines paires : 9:00 - 12:00", `hours: unsupported opening hours for tuesday "Semaines paires : 9:00 - 12:00" at column 1: condition or comment "Semaines"`, ErrUnsupported},
		{"Sept. - Juin\u00a0: 14:00 - 17:30 // Été\u00a0: 10:00 - 12:30 / 13:30 - 18:00", `hours: unsupported opening hours for tuesday "Sept. - Juin\u00a0: 14:00 - 17:30 // Été\u00a0: 10:00 - 12:30 / 13"… (71 bytes) at column 1: condition or comment "Sept."`, ErrUnsupported},
		{"1er samedi du mois : 9:00 - 12:00", `hours: unsupported opening hours for tuesday "1er samedi du mois : 9:00 - 12:00" at column 2: condition or comment "er"`, ErrUnsupported},
		{"Hors vacances scolaires : 9:00 - 12:00", `hours: unsupported opening hours for tuesday "Hors vacances scolaires : 9:00 - 12:00" at column 1: condition or comment "Hors"`, ErrUnsupported},
		{"9:00 - 12:00 (semaines impaires) / 14:00 - 18:00", `hours: unsupported opening hours for tuesday "9:00 - 12:00 (semaines impaires) / 14:00 - 18:00" at column 15: condition or comment "semaines"`, ErrUnsupported},
		// malformed
		{"8:30 - 12:00 / 13/30 - 17:00", `hours: malformed opening hours for tuesday "8:30 - 12:00 / 13/30 - 17:00" at column 19: time "30" out of range`, ErrMalformed},
		{"10:30-12:30 / 113:30 - 18:30", `hours: malformed opening hours for tuesday "10:30-12:30 / 113:30 - 18:30" at column 15: hour "113" has more than two digits`, ErrMalformed},
		{"08:30 - 13:00 / 14:00 - 17-00", `hours: malformed opening hours for tuesday "08:30 - 13:00 / 14:00 - 17-00" at column 28: 5 times, not pairs of start and end`, ErrMalformed},
		{"8:30 - 12:30 / 13:30 - 16::30", `hours: malformed opening hours for tuesday "8:30 - 12:30 / 13:30 - 16::30" at column 28: time "30" out of range`, ErrMalformed},
		{"8:00 - 12:00 / 13:30 16:00 -30", `hours: malformed opening hours for tuesday "8:00 - 12:00 / 13:30 16:00 -30" at column 29: time "30" out of range`, ErrMalformed},
		{"14:00 - 12:00", `hours: malformed opening hours for tuesday "14:00 - 12:00" at column 1: span ends at or before its start`, ErrMalformed},
		{"9:00 - 12:00 + 14:00 - 17:00", `hours: malformed opening hours for tuesday "9:00 - 12:00 + 14:00 - 17:00" at column 14: unexpected '+'`, ErrMalformed},
		{"25:00 - 26:00", `hours: malformed opening hours for tuesday "25:00 - 26:00" at column 1: time "25:00" out of range`, ErrMalformed},
	}
	for _, tc := range tests {
		var days [7]string
		days[1] = tc.value
		s, err := ParseDays(days)
		if tc.kind == nil {
			if err != nil {
				t.Errorf("%q: %v", tc.value, err)
				continue
			}
			want := [7]string{"off", tc.want, "off", "off", "off", "off", "off"}
			if got := s.Week(); got != want {
				t.Errorf("%q: %q, want %q", tc.value, got[1], tc.want)
			}
			continue
		}
		if err == nil || !errors.Is(err, tc.kind) || err.Error() != tc.want {
			t.Errorf("%q:\n got %v\nwant %s", tc.value, err, tc.want)
		}
	}
}

func TestParseDaysWeek(t *testing.T) {
	s, err := ParseDays([7]string{"9:00 - 12:00 / 13:30 - 16:00", "9:00 - 12:00 / 13:30 - 16:00", "-", "9:00 - 12:00", "13:30 - 17:00", "", ""})
	if err != nil {
		t.Fatal(err)
	}
	want := [7]string{"09:00-12:00,13:30-16:00", "09:00-12:00,13:30-16:00", "off", "09:00-12:00", "13:30-17:00", "off", "off"}
	if s.Week() != want || s.WeeklyOpenMinutes() != 2*330+180+210 {
		t.Errorf("week %q, %d minutes", s.Week(), s.WeeklyOpenMinutes())
	}
	// the first failing day is reported, Monday first
	_, err = ParseDays([7]string{"9:00 - 12:00", "Sur RDV", "x 9:00"})
	if err == nil || err.Error() != `hours: unknown opening hours for tuesday "Sur RDV": no time given` {
		t.Errorf("got %v", err)
	}
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Day != 2 {
		t.Errorf("ParseError.Day: %+v", pe)
	}
	long := make([]byte, MaxLen+1)
	for i := range long {
		long[i] = '9'
	}
	if _, err := ParseDays([7]string{string(long)}); !errors.Is(err, ErrMalformed) {
		t.Errorf("long value: %v", err)
	}
	// never open
	s, err = ParseDays([7]string{"-", "-", "-", "-", "-", "-", ""})
	if err != nil || s.WeeklyOpenMinutes() != 0 || !s.Windows(Date{2026, time.January, 17}, 900, nil).None() {
		t.Errorf("closed week: %v %d", err, s.WeeklyOpenMinutes())
	}
}

var franceDays = [7]string{"h_lundi", "h_mardi", "h_mercredi", "h_jeudi", "h_vendredi", "h_samedi", "h_dimanche"}

type franceCounts struct {
	desks, parsed, open, never, unknown, unsupported, malformed int
	values, valuesOK                                            int
	badValues                                                   map[string]int
}

// readFrance parses every desk of a France Services GeoJSON file.
func readFrance(t *testing.T, rel string) franceCounts {
	t.Helper()
	path := filepath.Join("..", "..", "shared", "data", rel)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("real data absent: %v", err)
	}
	var fc struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		t.Fatal(err)
	}
	c := franceCounts{badValues: map[string]int{}}
	for i, f := range fc.Features {
		var days [7]string
		for d, k := range franceDays {
			if v, ok := f.Properties[k].(string); ok {
				days[d] = v
			}
		}
		// every value on its own, to count them
		for _, v := range days {
			c.values++
			if _, err := parseDay(v); err == nil {
				c.valuesOK++
			} else if errors.Is(err, ErrMalformed) {
				c.badValues[v]++
			}
		}
		c.desks++
		s, err := ParseDays(days)
		switch {
		case err == nil:
			c.parsed++
			if s.WeeklyOpenMinutes() > 0 {
				c.open++
			} else {
				c.never++
			}
		case errors.Is(err, ErrUnknown):
			c.unknown++
		case errors.Is(err, ErrUnsupported):
			c.unsupported++
		case errors.Is(err, ErrMalformed):
			c.malformed++
		default:
			t.Errorf("feature %d: error without a sentinel: %v", i, err)
		}
	}
	return c
}

func TestFranceServicesNational(t *testing.T) {
	c := readFrance(t, "france/france_services_2020.geojson")
	t.Logf("%d desks: %d parsed (%d open some time of the week, %d never), %d unknown, %d unsupported, %d malformed",
		c.desks, c.parsed, c.open, c.never, c.unknown, c.unsupported, c.malformed)
	t.Logf("%d day values, %d read as hours or closed", c.values, c.valuesOK)
	var bad []string
	for v := range c.badValues {
		bad = append(bad, v)
	}
	sort.Strings(bad)
	for _, v := range bad {
		t.Logf("malformed: %q ×%d", v, c.badValues[v])
	}
	if c.desks != 908 || c.parsed+c.unknown+c.unsupported+c.malformed != 908 {
		t.Errorf("counts do not add up: %+v", c)
	}
	// the counts on the 2020 file: every desk parses or gives a sentinel
	got := [...]int{c.desks, c.parsed, c.open, c.never, c.unknown, c.unsupported, c.malformed, c.values, c.valuesOK, len(c.badValues)}
	want := [...]int{908, 769, 769, 0, 109, 26, 4, 6356, 5667, 5}
	if got != want {
		t.Errorf("desks, parsed, open, never, unknown, unsupported, malformed, values, values read, distinct malformed values:\n got %v\nwant %v", got, want)
	}
}

func TestFranceServicesDordogne(t *testing.T) {
	c := readFrance(t, "dordogne/services/france_services_2020_dordogne.geojson")
	if got := [...]int{c.desks, c.parsed, c.unknown, c.unsupported, c.malformed}; got != [...]int{10, 9, 1, 0, 0} {
		t.Errorf("desks, parsed, unknown, unsupported, malformed = %v, want [10 9 1 0 0]", got)
	}
	// the acceptance case of issue 17: Saturday 2026-01-17, 09:00-11:00,
	// 15 minutes open on arrival; "-" closes Saturday
	raw, err := os.ReadFile(filepath.Join("..", "..", "shared", "data", "dordogne", "services", "france_services_2020_dordogne.geojson"))
	if err != nil {
		t.Skip(err)
	}
	var fc struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		t.Fatal(err)
	}
	sat := Date{2026, time.January, 17}
	var open, closed, unknown []string
	for _, f := range fc.Features {
		var days [7]string
		for d, k := range franceDays {
			days[d], _ = f.Properties[k].(string)
		}
		name, _ := f.Properties["lib_france_services"].(string)
		s, err := ParseDays(days)
		switch {
		case errors.Is(err, ErrUnknown):
			unknown = append(unknown, name)
		case err != nil:
			t.Errorf("%s: %v", name, err)
		case s.Windows(sat, 15*60, nil).OpenDuring(9*3600, 11*3600):
			open = append(open, name)
		default:
			closed = append(closed, name)
		}
	}
	if len(open) != 2 || len(closed) != 7 || len(unknown) != 1 || open[0] != "Lanouaille" || open[1] != "Mareuil en Périgord" || unknown[0] != "Saint-Alvère" {
		t.Errorf("open %q, closed %q, unknown %q", open, closed, unknown)
	}
}
