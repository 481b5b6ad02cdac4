package hours

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxLen is the longest value, in bytes, that Parse and ParseDays read
// (each day's value for ParseDays). Longer values are malformed.
const MaxLen = 1000

// quoteLen is how many bytes of a value an error message quotes.
const quoteLen = 60

// ErrMalformed is wrapped by every error for text that is not opening hours
// at all: a misspelt weekday, an hour past 24, a missing end time, an
// unbalanced quote, a value over MaxLen bytes.
var ErrMalformed = errors.New("hours: malformed opening hours")

// ErrUnsupported is wrapped by every error for well-formed opening hours that
// use syntax outside the subset this package evaluates (months, week numbers,
// sunrise, comments, "||" fallbacks, open ends "+", hours that depend on the
// week parity or the season, …). A caller should treat such a point as always
// open and count a warning: never as closed.
var ErrUnsupported = errors.New("hours: unsupported opening hours")

// ErrUnknown is wrapped by every error for values that say the hours are not
// known ("Horaires non communiqués", "Sur RDV", an empty opening_hours value).
// A caller should treat such a point as always open and count a warning.
var ErrUnknown = errors.New("hours: unknown opening hours")

// ParseError is the error of Parse and ParseDays. It unwraps to its Kind.
type ParseError struct {
	// Kind is ErrMalformed, ErrUnsupported or ErrUnknown.
	Kind error
	// Text is the whole value read (not truncated).
	Text string
	// Day is the day of the value for ParseDays, 1 (Monday) to 7 (Sunday);
	// 0 for Parse.
	Day int
	// Column is the 1-based byte offset in Text where the problem is; 0 when
	// the problem is the value as a whole.
	Column int
	// Detail says what is wrong.
	Detail string
}

var dayNames = [7]string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

// Error returns the message: the kind, the day if any, the text quoted
// (truncated to its first 60 bytes when longer, with its length), the column
// and the detail.
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.Kind.Error())
	if e.Day >= 1 && e.Day <= 7 {
		b.WriteString(" for ")
		b.WriteString(dayNames[e.Day-1])
	}
	b.WriteByte(' ')
	b.WriteString(quote(e.Text))
	if e.Column > 0 {
		fmt.Fprintf(&b, " at column %d", e.Column)
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	return b.String()
}

// Unwrap returns Kind.
func (e *ParseError) Unwrap() error { return e.Kind }

// quote quotes s, truncated to quoteLen bytes (on a rune boundary) with its
// length in bytes when longer.
func quote(s string) string {
	if len(s) <= quoteLen {
		return fmt.Sprintf("%q", s)
	}
	cut := quoteLen
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%q… (%d bytes)", s[:cut], len(s))
}

// token quotes a short piece of the text for a detail, truncated like quote
// but to 20 bytes.
func token(s string) string {
	if len(s) <= 20 {
		return fmt.Sprintf("%q", s)
	}
	cut := 20
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%q…", s[:cut])
}
