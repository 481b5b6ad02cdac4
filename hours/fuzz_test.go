package hours

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func checkErr(t *testing.T, text string, err error) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Text != text {
		t.Fatalf("%q: error %v is not a *ParseError with the text", text, err)
	}
	if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrUnknown) {
		t.Fatalf("%q: error %v wraps no sentinel", text, err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "hours: ") || len(msg) > 400 {
		t.Fatalf("%q: message %q", text, msg)
	}
}

// checkSchedule checks the invariants of a parsed schedule: weekly minutes
// in range, sorted disjoint windows, Arrive at or after t and FIFO.
func checkSchedule(t *testing.T, text string, s Schedule) {
	t.Helper()
	if m := s.WeeklyOpenMinutes(); m < 0 || m > weekMin {
		t.Fatalf("%q: %d weekly minutes", text, m)
	}
	w := s.Windows(Date{2026, time.May, 14}, 900, nil)
	p := w.Pairs()
	if len(p)%2 != 0 {
		t.Fatalf("%q: odd pairs %v", text, p)
	}
	for i := 0; i < len(p); i += 2 {
		if p[i] > p[i+1] || p[i] < SpanStart || p[i+1] >= SpanEnd || (i > 0 && p[i] <= p[i-1]+1) {
			t.Fatalf("%q: bad pairs %v", text, p)
		}
	}
	prev := int32(-1 << 31)
	for tt := SpanStart - 3600; tt <= SpanEnd; tt += 1777 {
		a, ok := w.Arrive(tt)
		if !ok {
			prev = 1<<31 - 1
			continue
		}
		if a < tt || a < prev {
			t.Fatalf("%q: Arrive(%d) = %d after %d", text, tt, a, prev)
		}
		prev = a
	}
}

// FuzzParse checks that Parse never panics; that an error is a non-empty
// *ParseError wrapping a sentinel; and that a schedule's String reads back
// to the same String and Week (the canonical form is a fixed point), with
// sorted windows and a FIFO Arrive.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"24/7", "Mo-Fr 08:30-12:00,14:00-18:30", "Mo,We,Fr 09:00-12:00", "Sa-Mo 22:00-02:00",
		"Mo-Fr 09:00-18:00; We off; PH off", "Mo-Fr 08:00-12:00, We 14:00-18:00", "Su,PH 10:00-12:00; SH off",
		"Mo 14:00-19:00, Tu-Fr 09:00-12:15 / 14:15-19:00", "Mo 18:00-24:00", "Mo 22:00-26:00", "off",
		"Mo-Fx", "25:00-26:00", "09:00-", `Mo "x`, "Jan 09:00-10:00", "Mo 10:00-16:00/01:30", "Mo 18:00+",
		"Mo[1] 10:00-12:00", "Mo-Fr 09:00-12:00 || \"on call\"", "", ";", "Su 00:00-00:00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, err := Parse(text)
		if err != nil {
			checkErr(t, text, err)
			return
		}
		canon := s.String()
		back, err := Parse(canon)
		if err != nil {
			t.Fatalf("%q: canonical %q: %v", text, canon, err)
		}
		if back.String() != canon || back.Week() != s.Week() || back.WeeklyOpenMinutes() != s.WeeklyOpenMinutes() {
			t.Fatalf("%q: canonical %q reads back as %q", text, canon, back.String())
		}
		checkSchedule(t, text, s)
	})
}

// FuzzParseDays checks the France Services reader the same way, on one
// day's value: no panic, errors with a sentinel, spans that end after they
// start, and the Week text of a parsed day readable by Parse.
func FuzzParseDays(f *testing.F) {
	for _, s := range []string{
		"9:00 - 12:00 / 13:30 - 16:00", "-", "", "Horaires non communiqués", "9: 12:30 / 13:30 18:30",
		"8:30/12:00 -14:/17:", "Sur RDV : 9:00 - 12:30 / Sans RDV : 13:30 - 17:00", "9:00 - 12:30 / Sur RDV : après-midi",
		"8:30 - 12:00 / 13/30 - 17:00", "9:00 - 12\u00a0:30 / 13:30 - 18:30", "13:30:16:30",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		s, err := ParseDays([7]string{v, v})
		if err != nil {
			checkErr(t, v, err)
			return
		}
		w := s.Week()
		if w[0] != w[1] || w[2] != "off" {
			t.Fatalf("%q: week %q", v, w)
		}
		if w[0] != "off" {
			back, err := Parse("Mo " + w[0])
			if err != nil || back.Week()[0] != w[0] {
				t.Fatalf("%q: %q reads back as %q, %v", v, w[0], back.Week()[0], err)
			}
		}
		checkSchedule(t, v, s)
	})
}
