package hours

import (
	"errors"
	"strings"
	"testing"
)

func TestParseWeek(t *testing.T) {
	off := "off"
	tests := []struct {
		text string
		want [7]string
	}{
		{"24/7", [7]string{"00:00-24:00", "00:00-24:00", "00:00-24:00", "00:00-24:00", "00:00-24:00", "00:00-24:00", "00:00-24:00"}},
		{"Mo-Fr 08:30-12:00,14:00-18:30", [7]string{"08:30-12:00,14:00-18:30", "08:30-12:00,14:00-18:30", "08:30-12:00,14:00-18:30", "08:30-12:00,14:00-18:30", "08:30-12:00,14:00-18:30", off, off}},
		{"Mo,We,Fr 09:00-12:00", [7]string{"09:00-12:00", off, "09:00-12:00", off, "09:00-12:00", off, off}},
		{"Sa-Mo 10:00-11:00", [7]string{"10:00-11:00", off, off, off, off, "10:00-11:00", "10:00-11:00"}},
		{"Mo-We,Fr-Sa 10:00-11:00", [7]string{"10:00-11:00", "10:00-11:00", "10:00-11:00", off, "10:00-11:00", "10:00-11:00", off}},
		// a later ";" rule replaces the days it names
		{"Mo-Fr 09:00-18:00; We 10:00-12:00", [7]string{"09:00-18:00", "09:00-18:00", "10:00-12:00", "09:00-18:00", "09:00-18:00", off, off}},
		{"Mo-Fr 09:00-18:00; We off", [7]string{"09:00-18:00", "09:00-18:00", off, "09:00-18:00", "09:00-18:00", off, off}},
		{"Mo-Fr 09:00-18:00; We closed", [7]string{"09:00-18:00", "09:00-18:00", off, "09:00-18:00", "09:00-18:00", off, off}},
		// "off" with spans removes them only
		{"Mo-Fr 09:00-18:00; We 12:00-14:00 off", [7]string{"09:00-18:00", "09:00-18:00", "09:00-12:00,14:00-18:00", "09:00-18:00", "09:00-18:00", off, off}},
		// "," then a weekday adds
		{"Mo-Fr 08:00-12:00, We 14:00-18:00", [7]string{"08:00-12:00", "08:00-12:00", "08:00-12:00,14:00-18:00", "08:00-12:00", "08:00-12:00", off, off}},
		// past midnight; 24:00 as an end; extended end
		{"Fr-Sa 22:00-02:00", [7]string{off, off, off, off, "22:00-26:00", "22:00-26:00", off}},
		{"Mo 18:00-24:00", [7]string{"18:00-24:00", off, off, off, off, off, off}},
		{"Mo 22:00-26:00", [7]string{"22:00-26:00", off, off, off, off, off, off}},
		// no weekday: every day; no span: the whole day
		{"10:00-12:00", [7]string{"10:00-12:00", "10:00-12:00", "10:00-12:00", "10:00-12:00", "10:00-12:00", "10:00-12:00", "10:00-12:00"}},
		{"Su", [7]string{off, off, off, off, off, off, "00:00-24:00"}},
		{"off", [7]string{off, off, off, off, off, off, off}},
		{"24/7; Su off", [7]string{"00:00-24:00", "00:00-24:00", "00:00-24:00", "00:00-24:00", "00:00-24:00", "00:00-24:00", off}},
		// PH and SH rules do not touch an ordinary week
		{"Mo-Fr 09:00-12:00; PH off", [7]string{"09:00-12:00", "09:00-12:00", "09:00-12:00", "09:00-12:00", "09:00-12:00", off, off}},
		{"Mo-Fr 09:00-12:00; SH 10:00-11:00", [7]string{"09:00-12:00", "09:00-12:00", "09:00-12:00", "09:00-12:00", "09:00-12:00", off, off}},
		{"Su,PH 09:00-12:00", [7]string{off, off, off, off, off, off, "09:00-12:00"}},
		// tolerated: one-digit hours, "/" between spans, case, trailing ";"
		{"mo-FR 9:00-12:00 / 14:00-18:00;", [7]string{"09:00-12:00,14:00-18:00", "09:00-12:00,14:00-18:00", "09:00-12:00,14:00-18:00", "09:00-12:00,14:00-18:00", "09:00-12:00,14:00-18:00", off, off}},
		// "open" ends a selector: the "," after it starts an additional rule
		{"Mo open, Mo 10:00-12:00 off", [7]string{"00:00-10:00,12:00-24:00", off, off, off, off, off, off}},
		// "off" alone closes the day with its night; with spans, only them
		{"Mo-Su 22:00-02:00; Tu off", [7]string{"22:00-26:00", off, "22:00-26:00", "22:00-26:00", "22:00-26:00", "22:00-26:00", "22:00-26:00"}},
		{"Mo-Su 22:00-02:00; Tu 00:00-24:00 off", [7]string{"22:00-26:00", "24:00-26:00", "22:00-26:00", "22:00-26:00", "22:00-26:00", "22:00-26:00", "22:00-26:00"}},
		{"Mo-Su 00:00-00:00", [7]string{"00:00-24:00", "00:00-24:00", "00:00-24:00", "00:00-24:00", "00:00-24:00", "00:00-24:00", "00:00-24:00"}},
	}
	for _, tc := range tests {
		s, err := Parse(tc.text)
		if err != nil {
			t.Errorf("%q: %v", tc.text, err)
			continue
		}
		if got := s.Week(); got != tc.want {
			t.Errorf("%q: week\n got %q\nwant %q", tc.text, got, tc.want)
		}
		back, err := Parse(s.String())
		if err != nil || back.String() != s.String() {
			t.Errorf("%q: canonical %q reads back as %q, %v", tc.text, s.String(), back.String(), err)
		}
	}
}

func TestString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Mo open, We 10:00-12:00", "Mo 00:00-24:00, We 10:00-12:00"},
		{"mo-fr 9:00-12:00 / 14:00-18:00; PH off", "Mo-Fr 09:00-12:00,14:00-18:00; PH off"},
		{"Sa-Mo 22:00-02:00", "Mo,Sa,Su 22:00-26:00"},
		{"Mo,Tu,Th 10:00-11:00, Su,PH off", "Mo,Tu,Th 10:00-11:00, Su,PH off"},
		{"Mo-Su 22:00-02:00; Tu 00:00-24:00 off", "Mo-Su 22:00-26:00; Tu 00:00-24:00 off"},
		{"24/7", "Mo-Su"},
	}
	for _, tc := range tests {
		if got := mustParse(t, tc.in).String(); got != tc.want {
			t.Errorf("%q: String %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestWeeklyOpenMinutes(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"24/7", 10080},
		{"Mo-Fr 09:00-12:00,14:00-18:00", 5 * 420},
		{"Su 22:00-02:00", 240}, // Sunday night runs into Monday
		{"Mo-Su 20:00-08:00", 7 * 720},
		{"Mo-Su 00:00-00:00", 10080},
		{"off", 0},
		{"Mo 09:00-12:00, Mo 11:00-13:00", 240}, // overlap counted once
	}
	for _, tc := range tests {
		s, err := Parse(tc.text)
		if err != nil {
			t.Fatalf("%q: %v", tc.text, err)
		}
		if got := s.WeeklyOpenMinutes(); got != tc.want {
			t.Errorf("%q: %d minutes, want %d", tc.text, got, tc.want)
		}
	}
	if got := (Schedule{}).WeeklyOpenMinutes(); got != 0 {
		t.Errorf("zero schedule: %d minutes", got)
	}
}

// TestParseErrors checks the exact message and the kind of each bad value.
func TestParseErrors(t *testing.T) {
	long := "Mo-Fr 09:00-12:00; " + strings.Repeat("Sa 10:00-11:00; ", 6250) // 100,019 bytes
	tests := []struct {
		text string
		kind error
		msg  string
	}{
		// malformed
		{"Mo-Fx 09:00-12:00", ErrMalformed, `hours: malformed opening hours "Mo-Fx 09:00-12:00" at column 4: unknown weekday "Fx"`},
		{"25:00-26:00", ErrMalformed, `hours: malformed opening hours "25:00-26:00" at column 1: start time "25:00" past 23:59`},
		{"Mo 09:00-", ErrMalformed, `hours: malformed opening hours "Mo 09:00-" at column 10: missing time, want HH:MM`},
		{"09:00-", ErrMalformed, `hours: malformed opening hours "09:00-" at column 7: missing time, want HH:MM`},
		{`Mo-Fr 09:00-12:00 "on appointment`, ErrMalformed, `hours: malformed opening hours "Mo-Fr 09:00-12:00 \"on appointment" at column 19: unbalanced quote`},
		{long, ErrMalformed, `hours: malformed opening hours "Mo-Fr 09:00-12:00; Sa 10:00-11:00; Sa 10:00-11:00; Sa 10:00-"… (100019 bytes): longer than 1000 bytes`},
		{"Mo 09:60-12:00", ErrMalformed, `hours: malformed opening hours "Mo 09:60-12:00" at column 4: minute out of range in "09:60"`},
		{"Mo 09:00-49:00", ErrMalformed, `hours: malformed opening hours "Mo 09:00-49:00" at column 10: end time "49:00" past 48:00`},
		{"Mo 09h00-12h00", ErrMalformed, `hours: malformed opening hours "Mo 09h00-12h00" at column 4: bad time "09h00", want HH:MM`},
		{"Mo 9-12", ErrMalformed, `hours: malformed opening hours "Mo 9-12" at column 4: bad time "9", want HH:MM`},
		{"Mo 09:00 12:00", ErrMalformed, `hours: malformed opening hours "Mo 09:00 12:00" at column 10: unexpected "12:0", want "-" and an end time`},
		{"Lu-Ve 09:00-12:00", ErrMalformed, `hours: malformed opening hours "Lu-Ve 09:00-12:00" at column 1: unexpected "Lu", want weekday, PH, SH, time, off or 24/7`},
		{"Mo-", ErrMalformed, `hours: malformed opening hours "Mo-" at column 4: unexpected end, want weekday after "-"`},
		{"Mo 09:00-12:00 Tu 10:00-11:00", ErrMalformed, `hours: malformed opening hours "Mo 09:00-12:00 Tu 10:00-11:00" at column 16: unexpected "Tu", want time, off or a separator`},
		{"Mo 09:00-12:00 / ", ErrMalformed, `hours: malformed opening hours "Mo 09:00-12:00 / " at column 16: want a time after "/"`},
		{"Mo 26:00-28:00", ErrMalformed, `hours: malformed opening hours "Mo 26:00-28:00" at column 4: start time "26:00" past 23:59`},
		{"Mo 10:00-36:00", ErrMalformed, `hours: malformed opening hours "Mo 10:00-36:00" at column 10: span "36:00" longer than 24 hours`},
		{"Mo 10:00-09:30:00", ErrMalformed, `hours: malformed opening hours "Mo 10:00-09:30:00" at column 15: unexpected ":00", want ";" or "," between rules`},
		{"Mo 123:00-14:00", ErrMalformed, `hours: malformed opening hours "Mo 123:00-14:00" at column 4: bad time "123:00", want HH:MM`},
		{";", ErrMalformed, `hours: malformed opening hours ";" at column 1: unexpected ";", want weekday, PH, SH, time, off or 24/7`},
		{"Mo 09:00-12:00 # note", ErrMalformed, `hours: malformed opening hours "Mo 09:00-12:00 # note" at column 16: unexpected "# no", want ";" or "," between rules`},
		{"Mo\u00e9 09:00-12:00", ErrMalformed, `hours: malformed opening hours "Moé 09:00-12:00" at column 3: unexpected "é 0", want ";" or "," between rules`},
		// unsupported
		{"Jan-Mar Mo-Fr 09:00-12:00", ErrUnsupported, `hours: unsupported opening hours "Jan-Mar Mo-Fr 09:00-12:00" at column 1: month "Jan"`},
		{"Mo-Fr sunrise-sunset", ErrUnsupported, `hours: unsupported opening hours "Mo-Fr sunrise-sunset" at column 7: variable time "sunrise"`},
		{"week 01-10 Mo 09:00-12:00", ErrUnsupported, `hours: unsupported opening hours "week 01-10 Mo 09:00-12:00" at column 1: week number "week"`},
		{`Mo 09:00-12:00 "sur rendez-vous"`, ErrUnsupported, `hours: unsupported opening hours "Mo 09:00-12:00 \"sur rendez-vous\"" at column 16: comment`},
		{"Mo 09:00-12:00 || \"on call\"", ErrUnsupported, `hours: unsupported opening hours "Mo 09:00-12:00 || \"on call\"" at column 16: fallback rule "||"`},
		{"Mo 18:00+", ErrUnsupported, `hours: unsupported opening hours "Mo 18:00+" at column 9: open end "+"`},
		{"Mo[1] 09:00-12:00", ErrUnsupported, `hours: unsupported opening hours "Mo[1] 09:00-12:00" at column 3: nth weekday "[…]"`},
		{"Mo 10:00-16:00/01:30", ErrUnsupported, `hours: unsupported opening hours "Mo 10:00-16:00/01:30" at column 15: interval times "/"`},
		{"2026 Mo 09:00-12:00", ErrUnsupported, `hours: unsupported opening hours "2026 Mo 09:00-12:00" at column 1: year "2026"`},
		{"Mo 09:00-12:00 unknown", ErrUnsupported, `hours: unsupported opening hours "Mo 09:00-12:00 unknown" at column 16: modifier "unknown"`},
		// unknown
		{"", ErrUnknown, `hours: unknown opening hours "": empty value`},
		{"   ", ErrUnknown, `hours: unknown opening hours "   ": empty value`},
	}
	for _, tc := range tests {
		_, err := Parse(tc.text)
		if err == nil {
			t.Errorf("%s: no error", quote(tc.text))
			continue
		}
		if !errors.Is(err, tc.kind) {
			t.Errorf("%s: %v is not %v", quote(tc.text), err, tc.kind)
		}
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Text != tc.text {
			t.Errorf("%s: not a *ParseError with the text: %v", quote(tc.text), err)
		}
		if err.Error() != tc.msg {
			t.Errorf("%s:\n got %s\nwant %s", quote(tc.text), err, tc.msg)
		}
	}
}
