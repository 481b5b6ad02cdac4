package hours

import (
	"fmt"
	"strings"
)

// Parse reads an OpenStreetMap opening_hours value (the subset described in
// the package documentation). An error is a *ParseError wrapping
// ErrMalformed, ErrUnsupported or ErrUnknown (an empty value is unknown).
func Parse(text string) (Schedule, error) {
	if len(text) > MaxLen {
		return Schedule{}, &ParseError{Kind: ErrMalformed, Text: text,
			Detail: fmt.Sprintf("longer than %d bytes", MaxLen)}
	}
	if strings.TrimSpace(text) == "" {
		return Schedule{}, &ParseError{Kind: ErrUnknown, Text: text, Detail: "empty value"}
	}
	p := &parser{s: text}
	rules, err := p.value()
	if err != nil {
		return Schedule{}, err
	}
	return Schedule{rules: rules}, nil
}

type parser struct {
	s   string
	pos int
}

func (p *parser) fail(kind error, at int, format string, args ...any) error {
	return &ParseError{Kind: kind, Text: p.s, Column: at + 1, Detail: fmt.Sprintf(format, args...)}
}

func (p *parser) skipSpace() {
	for p.pos < len(p.s) && (p.s[p.pos] == ' ' || p.s[p.pos] == '\t') {
		p.pos++
	}
}

func (p *parser) peek() byte {
	if p.pos < len(p.s) {
		return p.s[p.pos]
	}
	return 0
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// word returns the run of ASCII letters at pos without consuming it.
func (p *parser) word() string {
	e := p.pos
	for e < len(p.s) && isLetter(p.s[e]) {
		e++
	}
	return p.s[p.pos:e]
}

var weekdays = map[string]int{"mo": 0, "tu": 1, "we": 2, "th": 3, "fr": 4, "sa": 5, "su": 6}

var unsupportedWords = map[string]string{
	"jan": "month", "feb": "month", "mar": "month", "apr": "month", "may": "month", "jun": "month",
	"jul": "month", "aug": "month", "sep": "month", "oct": "month", "nov": "month", "dec": "month",
	"week": "week number", "easter": "easter",
	"sunrise": "variable time", "sunset": "variable time", "dawn": "variable time", "dusk": "variable time",
}

// value = rule { (";" | "," | "||") rule }.
func (p *parser) value() ([]rule, error) {
	var rules []rule
	add := false
	for {
		p.skipSpace()
		if p.pos == len(p.s) {
			if len(rules) == 0 {
				return nil, p.fail(ErrMalformed, p.pos, "no rule")
			}
			return rules, nil // a trailing separator is tolerated
		}
		r, err := p.rule()
		if err != nil {
			return nil, err
		}
		r.add = add && len(rules) > 0
		rules = append(rules, r)
		p.skipSpace()
		if p.pos == len(p.s) {
			return rules, nil
		}
		switch c := p.peek(); {
		case c == ';':
			add = false
		case c == ',':
			add = true
		case c == '|' && strings.HasPrefix(p.s[p.pos:], "||"):
			return nil, p.fail(ErrUnsupported, p.pos, "fallback rule \"||\"")
		default:
			return nil, p.unexpected("\";\" or \",\" between rules")
		}
		p.pos++
	}
}

// unexpected fails on the character at pos (or the end), saying what was wanted.
func (p *parser) unexpected(want string) error {
	if p.pos >= len(p.s) {
		return p.fail(ErrMalformed, p.pos, "unexpected end, want %s", want)
	}
	c := p.s[p.pos]
	switch {
	case c == '"':
		if err := p.comment(); err != nil {
			return err
		}
		return p.fail(ErrUnsupported, p.pos, "comment")
	case c == '[':
		return p.fail(ErrUnsupported, p.pos, "nth weekday or date \"[…]\"")
	case c == '+':
		return p.fail(ErrUnsupported, p.pos, "open end \"+\"")
	case isLetter(c):
		w := p.word()
		if what, ok := unsupportedWords[strings.ToLower(w)]; ok {
			return p.fail(ErrUnsupported, p.pos, "%s %q", what, w)
		}
		return p.fail(ErrMalformed, p.pos, "unexpected %s, want %s", token(w), want)
	}
	r := p.s[p.pos:]
	if len(r) > 4 {
		r = r[:4]
	}
	return p.fail(ErrMalformed, p.pos, "unexpected %s, want %s", token(r), want)
}

// comment checks the quoted comment at pos: malformed when unbalanced.
func (p *parser) comment() error {
	if i := strings.IndexByte(p.s[p.pos+1:], '"'); i < 0 {
		return p.fail(ErrMalformed, p.pos, "unbalanced quote")
	}
	return nil
}

// rule = "24/7" [modifier] | [days] [spans] [modifier].
func (p *parser) rule() (rule, error) {
	r := rule{days: allDays}
	start := p.pos
	hasSel, hasTimes := false, false
	if strings.HasPrefix(p.s[p.pos:], "24/7") {
		p.pos += 4
		hasSel = true
	} else if isLetter(p.peek()) {
		w := strings.ToLower(p.word())
		if _, ok := weekdays[w]; ok || w == "ph" || w == "sh" {
			if err := p.days(&r); err != nil {
				return r, err
			}
			hasSel = true
		}
	} else if isDigit(p.peek()) {
		// a year (four digits, no colon) is a wide range selector
		e := p.pos
		for e < len(p.s) && isDigit(p.s[e]) {
			e++
		}
		if e-p.pos == 4 && (e == len(p.s) || p.s[e] != ':') {
			return r, p.fail(ErrUnsupported, p.pos, "year %q", p.s[p.pos:e])
		}
	}
	p.skipSpace()
	if isDigit(p.peek()) && !strings.HasPrefix(p.s[p.pos:], "24/7") {
		sp, err := p.spans()
		if err != nil {
			return r, err
		}
		r.spans = sp
		hasTimes = true
	}
	p.skipSpace()
	if isLetter(p.peek()) {
		w := p.word()
		switch strings.ToLower(w) {
		case "off", "closed":
			r.off = true
			p.pos += len(w)
		case "open":
			p.pos += len(w)
		case "unknown":
			return r, p.fail(ErrUnsupported, p.pos, "modifier \"unknown\"")
		default:
			if !hasSel && !hasTimes {
				return r, p.unexpected("weekday, PH, SH, time, off or 24/7")
			}
			return r, p.unexpected("time, off or a separator")
		}
		p.skipSpace()
	} else if !hasSel && !hasTimes {
		return r, p.unexpected("weekday, PH, SH, time, off or 24/7")
	}
	if p.peek() == '"' {
		if err := p.comment(); err != nil {
			return r, err
		}
		return r, p.fail(ErrUnsupported, p.pos, "comment")
	}
	_ = start
	return r, nil
}

// days = item { "," item }, item = Wd ["-" Wd] | "PH" | "SH".
func (p *parser) days(r *rule) error {
	r.days = 0
	for {
		at := p.pos
		w := p.word()
		lw := strings.ToLower(w)
		switch {
		case lw == "ph":
			r.ph = true
			p.pos += 2
		case lw == "sh":
			r.sh = true
			p.pos += 2
		default:
			a, ok := weekdays[lw]
			if !ok {
				if w == "" {
					return p.unexpected("weekday, PH or SH")
				}
				if what, ok := unsupportedWords[lw]; ok {
					return p.fail(ErrUnsupported, at, "%s %q", what, w)
				}
				return p.fail(ErrMalformed, at, "unknown weekday %s", token(w))
			}
			p.pos += len(w)
			b := a
			if p.peek() == '-' {
				p.pos++
				at2 := p.pos
				w2 := p.word()
				var ok2 bool
				b, ok2 = weekdays[strings.ToLower(w2)]
				if !ok2 {
					if w2 == "" {
						return p.unexpected("weekday after \"-\"")
					}
					return p.fail(ErrMalformed, at2, "unknown weekday %s", token(w2))
				}
				p.pos += len(w2)
			}
			for d := a; ; d = (d + 1) % 7 {
				r.days |= 1 << d
				if d == b {
					break
				}
			}
			if p.peek() == '[' {
				return p.fail(ErrUnsupported, p.pos, "nth weekday \"[…]\"")
			}
		}
		// a "," continues the list only when a weekday, PH or SH follows
		save := p.pos
		p.skipSpace()
		if p.peek() != ',' {
			p.pos = save
			return nil
		}
		p.pos++
		p.skipSpace()
		nw := strings.ToLower(p.word())
		if _, ok := weekdays[nw]; !ok && nw != "ph" && nw != "sh" {
			p.pos = save
			return nil
		}
	}
}

// spans = span { ("," | "/") span }, span = time "-" time.
func (p *parser) spans() ([]span, error) {
	var out []span
	for {
		sp, err := p.span()
		if err != nil {
			return nil, err
		}
		out = append(out, sp)
		save := p.pos
		p.skipSpace()
		c := p.peek()
		if c != ',' && c != '/' {
			p.pos = save
			return out, nil
		}
		sepAt := p.pos
		p.pos++
		p.skipSpace()
		if !isDigit(p.peek()) {
			if c == '/' {
				return nil, p.fail(ErrMalformed, sepAt, "want a time after \"/\"")
			}
			p.pos = save // "," then a new rule
			return out, nil
		}
		if c == '/' {
			// "/" then a time and "-" separates spans (people write
			// "09:00-12:00 / 14:00-18:00"); "/" then a bare period is an
			// interval ("10:00-16:00/01:30"), outside the subset.
			look := p.pos
			if _, _, ok := p.clock(); ok {
				p.skipSpace()
				dash := p.peek() == '-'
				p.pos = look
				if !dash {
					return nil, p.fail(ErrUnsupported, sepAt, "interval times \"/\"")
				}
			} else {
				p.pos = look
			}
		}
	}
}

// clock reads H:MM or HH:MM at pos. It returns the hour, the minute and
// whether a clock was there (pos is left after it when true).
func (p *parser) clock() (int, int, bool) {
	i := p.pos
	h := 0
	n := 0
	for i < len(p.s) && isDigit(p.s[i]) && n < 3 {
		h = h*10 + int(p.s[i]-'0')
		i++
		n++
	}
	if n == 0 || n > 2 || i >= len(p.s) || p.s[i] != ':' {
		return 0, 0, false
	}
	i++
	if i+2 > len(p.s) || !isDigit(p.s[i]) || !isDigit(p.s[i+1]) || (i+2 < len(p.s) && isDigit(p.s[i+2])) {
		return 0, 0, false
	}
	m := int(p.s[i]-'0')*10 + int(p.s[i+1]-'0')
	p.pos = i + 2
	return h, m, true
}

// time reads a clock for a span, checking its range; end clocks may run to
// 48:00 (extended time).
func (p *parser) time(end bool) (int, error) {
	at := p.pos
	h, m, ok := p.clock()
	t := h*60 + m
	if !ok {
		if p.pos >= len(p.s) {
			return 0, p.fail(ErrMalformed, at, "missing time, want HH:MM")
		}
		e := p.pos
		for e < len(p.s) && e-p.pos < 8 && (isDigit(p.s[e]) || p.s[e] == ':' || isLetter(p.s[e])) {
			e++
		}
		if e == p.pos {
			return 0, p.unexpected("time HH:MM")
		}
		return 0, p.fail(ErrMalformed, at, "bad time %s, want HH:MM", token(p.s[p.pos:e]))
	}
	txt := p.s[at:p.pos]
	if m > 59 {
		return 0, p.fail(ErrMalformed, at, "minute out of range in %q", txt)
	}
	if !end && t >= dayMin {
		return 0, p.fail(ErrMalformed, at, "start time %q past 23:59", txt)
	}
	if end && t > 2*dayMin {
		return 0, p.fail(ErrMalformed, at, "end time %q past 48:00", txt)
	}
	return t, nil
}

func (p *parser) span() (span, error) {
	a, err := p.time(false)
	if err != nil {
		return span{}, err
	}
	p.skipSpace()
	switch p.peek() {
	case '-':
		p.pos++
	case '+':
		return span{}, p.fail(ErrUnsupported, p.pos, "open end \"+\"")
	default:
		return span{}, p.unexpected("\"-\" and an end time")
	}
	p.skipSpace()
	at := p.pos
	b, err := p.time(true)
	if err != nil {
		return span{}, err
	}
	if b <= a {
		if b > dayMin {
			return span{}, p.fail(ErrMalformed, at, "extended end %q not after the start", p.s[at:p.pos])
		}
		b += dayMin // past midnight; an end equal to the start is 24 hours
	}
	if b > a+dayMin {
		return span{}, p.fail(ErrMalformed, at, "span %q longer than 24 hours", p.s[at:p.pos])
	}
	if p.peek() == '+' {
		return span{}, p.fail(ErrUnsupported, p.pos, "open end \"+\"")
	}
	return span{int16(a), int16(b)}, nil
}
