package hours

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ParseDays reads opening hours written one value per day, Monday first, as
// in the France Services open data (h_lundi … h_dimanche): spans like
// "9:00 - 12:00 / 13:30 - 16:00". The format and what is tolerated:
//
//   - "" (or only spaces), "-", "fermé" and "Espace fermé ce jour" close the
//     day.
//   - A value with no digit at all ("Horaires non communiqués", "Sur RDV",
//     "Selon planning bus", "Si besoin") is unknown: ErrUnknown.
//   - The labels "Sur RDV :" and "Sans RDV :" (by appointment, without
//     appointment) are dropped: the desk serves during their spans.
//   - Any other word ("Semaines paires", "Sept. - Juin", "1er samedi du
//     mois", "Hors vacances scolaires", "après-midi", …) makes the hours
//     conditional or partly unknown: ErrUnsupported.
//   - Otherwise the value is read as a list of clock times, paired in order
//     into spans (start, end): a time is H, HH, H:MM or HH:MM, "17:" is
//     17:00, spaces around ":" are allowed ("17 : 00"); times are separated
//     by "-", "/", "//", ":", ",", "et", parentheses or spaces, and
//     no-break spaces and en or em dashes count as spaces and "-". There
//     must be an even number of times, hours to 24, minutes to 59, and each
//     span must end after it starts (desks do not open past midnight);
//     anything else is ErrMalformed.
//
// A value longer than MaxLen bytes is malformed. The error, a *ParseError
// with its Day set, is that of the first day (Monday first) that fails; a
// caller should treat ErrUnknown and ErrUnsupported as always open with a
// counted warning.
func ParseDays(days [7]string) (Schedule, error) {
	var s Schedule
	for i, v := range days {
		sp, err := parseDay(v)
		if err != nil {
			err.Day = i + 1
			return Schedule{}, err
		}
		if len(sp) > 0 {
			s.rules = append(s.rules, rule{days: 1 << i, spans: sp})
		}
	}
	return s, nil
}

var closedPhrases = map[string]bool{"": true, "-": true, "fermé": true, "ferme": true, "fermé ce jour": true, "espace fermé ce jour": true}

var dayLabels = []string{"sur rdv", "sans rdv"}

// parseDay reads one day's value (see ParseDays).
func parseDay(text string) ([]span, *ParseError) {
	fail := func(kind error, at int, format string, args ...any) *ParseError {
		col := 0
		if at >= 0 {
			col = at + 1
		}
		return &ParseError{Kind: kind, Text: text, Column: col, Detail: fmt.Sprintf(format, args...)}
	}
	if len(text) > MaxLen {
		return nil, fail(ErrMalformed, -1, "longer than %d bytes", MaxLen)
	}
	// b is text with no-break spaces as spaces and dashes as "-", byte for
	// byte at the same offsets.
	b := []byte(text)
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		switch r {
		case '\u00a0', '\u202f', '\u2009', '\t':
			fill(b[i:i+n], ' ')
		case '\u2013', '\u2014', '\u2212':
			fill(b[i:i+n], ' ')
			b[i] = '-'
		}
		i += n
	}
	norm := strings.ToLower(strings.Join(strings.Fields(string(b)), " "))
	if closedPhrases[norm] {
		return nil, nil
	}
	if strings.IndexFunc(norm, unicode.IsDigit) < 0 {
		return nil, fail(ErrUnknown, -1, "no time given")
	}
	// drop the labels "Sur RDV :" and "Sans RDV :", and "et"
	low := []byte(strings.ToLower(string(b))) // ASCII lower-casing keeps offsets
	if len(low) != len(b) {
		low = b
	}
	for _, lab := range dayLabels {
		for i := 0; ; {
			j := strings.Index(string(low[i:]), lab)
			if j < 0 {
				break
			}
			j += i
			e := j + len(lab)
			for e < len(b) && b[e] == ' ' {
				e++
			}
			if e < len(b) && b[e] == ':' {
				e++
			}
			fill(b[j:e], ' ')
			fill(low[j:e], ' ')
			i = e
		}
	}
	for i := 0; i+2 <= len(low); i++ {
		if low[i] == 'e' && low[i+1] == 't' && (i == 0 || low[i-1] == ' ') && (i+2 == len(low) || low[i+2] == ' ') {
			b[i], b[i+1] = ' ', ' '
		}
	}
	// any other word is a condition or a comment
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if unicode.IsLetter(r) {
			e := i
			for e < len(b) {
				r2, n2 := utf8.DecodeRune(b[e:])
				if !unicode.IsLetter(r2) && r2 != '-' && r2 != '.' && r2 != '\'' {
					break
				}
				e += n2
			}
			return nil, fail(ErrUnsupported, i, "condition or comment %s", token(string(b[i:e])))
		}
		i += n
	}
	// the clock times, in order
	type clk struct{ at, min int }
	var times []clk
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == ' ' || c == '-' || c == '/' || c == ':' || c == ',' || c == '(' || c == ')':
			i++
			continue
		case !isDigit(c):
			r, _ := utf8.DecodeRune(b[i:])
			return nil, fail(ErrMalformed, i, "unexpected %q", r)
		}
		at := i
		h := 0
		for i < len(b) && isDigit(b[i]) {
			h = h*10 + int(b[i]-'0')
			i++
			if i-at > 2 {
				return nil, fail(ErrMalformed, at, "hour %s has more than two digits", token(digitsAt(b, at)))
			}
		}
		m := 0
		// [spaces] ":" [spaces] [MM], where MM is not itself an hour
		// followed by ":" (in "9: 12:30", 12 is the next time)
		j := i
		for j < len(b) && b[j] == ' ' {
			j++
		}
		if j < len(b) && b[j] == ':' {
			k := j + 1
			for k < len(b) && b[k] == ' ' {
				k++
			}
			if k+1 < len(b) && isDigit(b[k]) && isDigit(b[k+1]) && (k+2 == len(b) || !isDigit(b[k+2])) &&
				(k == j+1 || k+2 == len(b) || b[k+2] != ':') {
				m = int(b[k]-'0')*10 + int(b[k+1]-'0')
				i = k + 2
			} else {
				i = j + 1 // "17:" is 17:00
			}
		}
		if h > 24 || m > 59 || (h == 24 && m > 0) {
			return nil, fail(ErrMalformed, at, "time %s out of range", token(strings.TrimSpace(string(b[at:i]))))
		}
		times = append(times, clk{at, h*60 + m})
	}
	if len(times)%2 != 0 {
		return nil, fail(ErrMalformed, times[len(times)-1].at, "%d times, not pairs of start and end", len(times))
	}
	var sp []span
	for k := 0; k < len(times); k += 2 {
		a, e := times[k], times[k+1]
		if e.min <= a.min || a.min >= dayMin {
			return nil, fail(ErrMalformed, a.at, "span ends at or before its start")
		}
		sp = append(sp, span{int16(a.min), int16(e.min)})
	}
	return union(nil, sp), nil
}

func fill(b []byte, c byte) {
	for i := range b {
		b[i] = c
	}
}

func digitsAt(b []byte, at int) string {
	e := at
	for e < len(b) && isDigit(b[e]) {
		e++
	}
	return string(b[at:e])
}
