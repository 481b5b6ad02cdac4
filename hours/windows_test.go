package hours

import (
	"strings"
	"testing"
	"time"
)

// hm returns the second of h:m on the day k days after the analysis date.
func hm(k, h, m int) int32 { return int32(k*86400 + h*3600 + m*60) }

func mustParse(t testing.TB, text string) Schedule {
	t.Helper()
	s, err := Parse(text)
	if err != nil {
		t.Fatalf("%q: %v", text, err)
	}
	return s
}

func TestEasterAndHolidays(t *testing.T) {
	easter := map[int]string{2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05", 2027: "2027-03-28", 2038: "2038-04-25", 2285: "2285-03-22"}
	for y, want := range easter {
		if got := Easter(y).String(); got != want {
			t.Errorf("Easter(%d) = %s, want %s", y, got, want)
		}
	}
	// the French public holidays of 2026, worked out by hand
	want := map[string]bool{
		"2026-01-01": true, "2026-04-06": true, "2026-05-01": true, "2026-05-08": true, "2026-05-14": true,
		"2026-05-25": true, "2026-07-14": true, "2026-08-15": true, "2026-11-01": true, "2026-11-11": true, "2026-12-25": true,
	}
	n := 0
	for d := (Date{2026, time.January, 1}); d.Year == 2026; d = d.AddDays(1) {
		if IsPublicHoliday(d) != want[d.String()] {
			t.Errorf("IsPublicHoliday(%s) = %v", d, IsPublicHoliday(d))
		}
		if IsPublicHoliday(d) {
			n++
		}
	}
	if n != 11 {
		t.Errorf("%d holidays in 2026, want 11", n)
	}
	if IsPublicHoliday(Date{2026, time.April, 5}) {
		t.Error("Easter Sunday is not a public holiday in France")
	}
}

func TestParseDate(t *testing.T) {
	d, err := ParseDate("2026-05-14")
	if err != nil || d != (Date{2026, time.May, 14}) || d.Weekday() != time.Thursday {
		t.Errorf("ParseDate: %v %v %v", d, err, d.Weekday())
	}
	for _, bad := range []string{"2026-02-30", "14/05/2026", "1800-01-01", ""} {
		if _, err := ParseDate(bad); err == nil || !strings.HasPrefix(err.Error(), "hours: date ") {
			t.Errorf("ParseDate(%q): %v", bad, err)
		}
	}
}

func TestSchoolHolidays(t *testing.T) {
	cal, err := ParseSchoolHolidays(strings.NewReader("start,end\n# zone A, winter\n2026-02-07,2026-02-22\n\n2025-12-20,2026-01-04\n"))
	if err != nil {
		t.Fatal(err)
	}
	for d, want := range map[string]bool{"2026-02-06": false, "2026-02-07": true, "2026-02-22": true, "2026-02-23": false, "2026-01-01": true, "2026-01-05": false} {
		dd, _ := ParseDate(d)
		if cal.Contains(dd) != want {
			t.Errorf("Contains(%s) = %v", d, !want)
		}
	}
	var none *Calendar
	if none.Contains(Date{2026, 1, 1}) {
		t.Error("nil calendar contains a day")
	}
	bad := []struct{ in, msg string }{
		{"2026-02-07;2026-02-22\n", `hours: school holidays line 1: "2026-02-07;2026-02-22": want start,end`},
		{"2026-02-07,2026-02-01\n", `hours: school holidays line 1: "2026-02-07,2026-02-01": end before start`},
		{"start,end\n2026-13-01,2026-12-01\n", `hours: school holidays line 2: start: hours: date "2026-13-01": want YYYY-MM-DD`},
		{strings.Repeat("x", 300), `hours: school holidays line 1: longer than 200 bytes`},
		{strings.Repeat("\n", MaxCalendarLines+1), `hours: school holidays: more than 10000 lines`},
	}
	for _, tc := range bad {
		if _, err := ParseSchoolHolidays(strings.NewReader(tc.in)); err == nil || err.Error() != tc.msg {
			t.Errorf("%s:\n got %v\nwant %s", token(tc.in), err, tc.msg)
		}
	}
}

type arrival struct {
	t    int32
	want int32
	ok   bool
}

func TestWindowsArrive(t *testing.T) {
	tue := Date{2026, time.January, 13} // a Tuesday
	sat := Date{2026, time.January, 17}
	const m15 = 15 * 60
	tests := []struct {
		name    string
		text    string
		date    Date
		minOpen int32
		cal     string
		pairs   string // expected pairs as text, "always" or ""
		arr     []arrival
	}{
		{
			name: "minOpen at the end of a span", text: "Mo-Fr 09:00-12:00,13:30-16:00", date: tue, minOpen: m15,
			arr: []arrival{
				{hm(0, 8, 30), hm(0, 9, 0), true},     // wait for opening
				{hm(0, 9, 0), hm(0, 9, 0), true},      // exactly at opening
				{hm(0, 11, 45), hm(0, 11, 45), true},  // 15 min left: served
				{hm(0, 11, 46), hm(0, 13, 30), true},  // 14 min left: wait for 13:30
				{hm(0, 11, 50), hm(0, 13, 30), true},  // the brief's case
				{hm(0, 15, 50), hm(1, 9, 0), true},    // Wednesday morning
				{hm(-1, 23, 0), hm(0, 9, 0), true},    // Monday night
				{hm(-1, 10, 0), hm(-1, 10, 0), true},  // Monday open
				{hm(1, 16, 0), 0, false},              // past the last opening of Wednesday
				{SpanEnd + 100, 0, false},             // past the span
				{SpanStart - 100, hm(-1, 9, 0), true}, // before the span
			},
		},
		{
			name: "minOpen zero serves up to the last second", text: "Mo-Fr 09:00-12:00", date: tue, minOpen: 0,
			arr: []arrival{{hm(0, 11, 59) + 59, hm(0, 11, 59) + 59, true}, {hm(0, 12, 0), hm(1, 9, 0), true}},
		},
		{
			name: "span shorter than minOpen is skipped", text: "Tu 09:00-09:10,10:00-11:00", date: tue, minOpen: m15,
			arr: []arrival{{hm(0, 8, 0), hm(0, 10, 0), true}},
		},
		{
			name: "past midnight from the day before", text: "Mo 22:00-02:00", date: tue, minOpen: m15,
			pairs: "-7200,6300",
			arr:   []arrival{{hm(0, 1, 45), hm(0, 1, 45), true}, {hm(0, 1, 46), 0, false}, {hm(-1, 12, 0), hm(-1, 22, 0), true}},
		},
		{
			name: "touching spans merge across midnight", text: "Mo 18:00-24:00; Tu 00:00-03:00", date: tue, minOpen: 0,
			pairs: "-21600,10799",
		},
		{
			name: "always", text: "24/7", date: tue, minOpen: m15, pairs: "always",
			arr: []arrival{{hm(0, 3, 0), hm(0, 3, 0), true}, {SpanEnd + 5, SpanEnd + 5, true}},
		},
		{
			name: "a Sunday covers Saturday to Monday", text: "Mo-Fr 09:00-12:00", date: Date{2026, time.January, 18}, minOpen: m15,
			pairs: "118800,128700", // Monday 09:00 to 11:45
		},
		{
			name: "closed all the covered span", text: "We 09:00-12:00", date: sat, minOpen: m15, pairs: "",
			arr: []arrival{{hm(0, 9, 0), 0, false}},
		},
		{
			name: "Ascension 2026 (a Thursday) with PH off", text: "Mo-Sa 09:00-19:00; PH off", date: Date{2026, time.May, 14}, minOpen: m15,
			arr: []arrival{{hm(0, 10, 0), hm(1, 9, 0), true}, {hm(-1, 10, 0), hm(-1, 10, 0), true}},
		},
		{
			name: "Ascension 2026 without a PH rule is a Thursday", text: "Mo-Sa 09:00-19:00", date: Date{2026, time.May, 14}, minOpen: m15,
			arr: []arrival{{hm(0, 10, 0), hm(0, 10, 0), true}},
		},
		{
			name: "Easter Monday 2026 with PH hours", text: "Mo-Fr 08:00-18:00; PH 10:00-12:00", date: Date{2026, time.April, 6}, minOpen: m15,
			pairs: "36000,42300,115200,150300", // Sunday closed, Monday 10:00-11:45, Tuesday 08:00-17:45
			arr:   []arrival{{hm(0, 8, 0), hm(0, 10, 0), true}, {hm(0, 11, 50), hm(1, 8, 0), true}},
		},
		{
			name: "the day before Easter Monday", text: "Mo-Fr 08:00-18:00; PH off", date: Date{2026, time.April, 5}, minOpen: m15,
			arr: []arrival{{hm(0, 12, 0), hm(2, 0, 0) + 0, false}},
		},
		{
			name: "a PH off Monday keeps the night of Sunday", text: "Sa-Mo 22:00-02:00; PH off", date: Date{2026, time.April, 6}, minOpen: m15,
			pairs: "-86400,-80100,-7200,6300", // Saturday night cut at the span start, Sunday night to Monday 01:45
		},
		{
			name: "SH without a calendar matches nothing", text: "Mo-Fr 09:00-12:00; SH off", date: Date{2026, time.February, 10}, minOpen: m15,
			arr: []arrival{{hm(0, 8, 0), hm(0, 9, 0), true}},
		},
		{
			name: "SH with a calendar", text: "Mo-Fr 09:00-12:00; SH off", date: Date{2026, time.February, 10}, minOpen: m15,
			cal: "2026-02-07,2026-02-22",
			arr: []arrival{{hm(0, 8, 0), 0, false}},
		},
		{
			name: "spill of a day before the span is cut at its start", text: "Su 20:00-06:00", date: tue, minOpen: 0,
			pairs: "-86400,-64801", // Monday 00:00-05:59:59 of Sunday's 20:00-06:00
		},
	}
	for _, tc := range tests {
		var cal *Calendar
		if tc.cal != "" {
			var err error
			if cal, err = ParseSchoolHolidays(strings.NewReader(tc.cal)); err != nil {
				t.Fatal(err)
			}
		}
		w := mustParse(t, tc.text).Windows(tc.date, tc.minOpen, cal)
		if tc.pairs != "" || strings.Contains(tc.name, "closed") || strings.Contains(tc.name, "cut") {
			if got := pairsText(w); got != tc.pairs {
				t.Errorf("%s: pairs %q, want %q", tc.name, got, tc.pairs)
			}
		}
		for _, a := range tc.arr {
			got, ok := w.Arrive(a.t)
			if ok != a.ok || (ok && got != a.want) {
				t.Errorf("%s: Arrive(%d) = %d, %v; want %d, %v", tc.name, a.t, got, ok, a.want, a.ok)
			}
		}
	}
}

func pairsText(w Windows) string {
	if w.Always() {
		return "always"
	}
	var b strings.Builder
	for i, v := range w.Pairs() {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(itoa(v))
	}
	return b.String()
}

func itoa(v int32) string {
	if v < 0 {
		return "-" + itoa(-v)
	}
	if v < 10 {
		return string(rune('0' + v))
	}
	return itoa(v/10) + string(rune('0'+v%10))
}

func TestOpenDuring(t *testing.T) {
	w := mustParse(t, "Sa 09:00-12:00").Windows(Date{2026, time.January, 17}, 15*60, nil)
	tests := []struct {
		from, to int32
		want     bool
	}{
		{hm(0, 8, 0), hm(0, 9, 0), false},
		{hm(0, 8, 0), hm(0, 9, 1), true},
		{hm(0, 11, 0), hm(0, 11, 1), true},
		{hm(0, 11, 46), hm(0, 13, 0), false}, // less than 15 min left
		{hm(0, 10, 0), hm(0, 10, 0), false},  // empty
		{hm(-1, 0, 0), hm(2, 0, 0), true},
	}
	for _, tc := range tests {
		if got := w.OpenDuring(tc.from, tc.to); got != tc.want {
			t.Errorf("OpenDuring(%d, %d) = %v", tc.from, tc.to, got)
		}
	}
	if !AlwaysWindows().OpenDuring(0, 1) || (Windows{}).OpenDuring(SpanStart, SpanEnd) || !(Windows{}).None() {
		t.Error("always or zero windows")
	}
}

func TestAlwaysOpen(t *testing.T) {
	s := AlwaysOpen()
	if s.String() != "Mo-Su" || s.WeeklyOpenMinutes() != weekMin || !s.Windows(Date{2026, time.May, 14}, 900, nil).Always() {
		t.Errorf("AlwaysOpen: %q %d", s.String(), s.WeeklyOpenMinutes())
	}
	var zero Schedule
	if zero.String() != "closed" || !zero.Windows(Date{2026, time.May, 14}, 0, nil).None() {
		t.Error("zero schedule is not closed")
	}
}

func TestMinOpenClamped(t *testing.T) {
	s := mustParse(t, "Mo-Su 09:00-12:00")
	d := Date{2026, time.January, 13}
	if pairsText(s.Windows(d, -5, nil)) != pairsText(s.Windows(d, 0, nil)) {
		t.Error("negative minOpen is not 0")
	}
	if !s.Windows(d, 1<<30, nil).None() {
		t.Error("huge minOpen serves")
	}
}
