package coverage

// The one parser and formatter of each unit a user writes: durations,
// clock times and windows.

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// ParseDuration parses a Go duration ("20m", "90s", "1h30m") that is a
// whole number of seconds within [min, max] seconds. The error quotes the
// text and says which bound it breaks; nothing wraps around.
func ParseDuration(text string, min, max int32) (int32, error) {
	d, err := time.ParseDuration(strings.TrimSpace(text))
	if err != nil {
		return 0, fmt.Errorf("%q: want a duration such as 20m, 90s or 1h30m", text)
	}
	switch {
	case d%time.Second != 0:
		return 0, fmt.Errorf("%q: want whole seconds", text)
	case d < time.Duration(min)*time.Second:
		return 0, fmt.Errorf("%q: must be at least %s", text, FormatDuration(min))
	case d > time.Duration(max)*time.Second:
		return 0, fmt.Errorf("%q: must be at most %s", text, FormatDuration(max))
	}
	return int32(d / time.Second), nil
}

// FormatDuration writes seconds as the shortest Go duration that
// ParseDuration reads back: 20m, 1h30m, 90s is 1m30s, 0s.
func FormatDuration(s int32) string {
	d := (time.Duration(s) * time.Second).String()
	// time.Duration writes 1h0m0s: drop the zero parts.
	if strings.HasSuffix(d, "m0s") {
		d = strings.TrimSuffix(d, "0s")
	}
	if strings.HasSuffix(d, "h0m") {
		d = strings.TrimSuffix(d, "0m")
	}
	return d
}

// ParseClock parses H:MM or H:MM:SS (hours up to 47, for departures after
// midnight; minutes and seconds of two digits) into seconds after
// midnight.
func ParseClock(s string) (int32, error) {
	bad := fmt.Errorf("%q: want HH:MM or HH:MM:SS, hours below 48", s)
	parts := strings.Split(strings.TrimSpace(s), ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, bad
	}
	var v [3]int
	for i, p := range parts {
		if len(p) == 0 || len(p) > 2 || i > 0 && len(p) != 2 || strings.Trim(p, "0123456789") != "" {
			return 0, bad
		}
		v[i], _ = strconv.Atoi(p)
	}
	if v[0] > 47 || v[1] > 59 || v[2] > 59 {
		return 0, bad
	}
	return int32(v[0]*3600 + v[1]*60 + v[2]), nil
}

// FormatClock writes seconds after midnight as HH:MM:SS (hours past 23
// for the next day, a minus sign before midnight).
func FormatClock(t int32) string {
	sign := ""
	if t < 0 {
		sign, t = "-", -t
	}
	return fmt.Sprintf("%s%02d:%02d:%02d", sign, t/3600, t/60%60, t%60)
}

// ParseWindow parses "HH:MM-HH:MM" (seconds allowed, hours past 24 too)
// into a half-open window in seconds after midnight, at most 24 hours
// long.
func ParseWindow(s string) (from, to int32, err error) {
	a, b, ok := strings.Cut(s, "-")
	if ok {
		from, err = ParseClock(a)
		if err == nil {
			to, err = ParseClock(b)
		}
	}
	switch {
	case !ok || err != nil:
		return 0, 0, fmt.Errorf("%q: want HH:MM-HH:MM", s)
	case to <= from:
		return 0, 0, fmt.Errorf("%q: the end must be after the start", s)
	case to-from > 24*3600:
		return 0, 0, fmt.Errorf("%q: at most 24 hours", s)
	}
	return from, to, nil
}

// formatWindow writes a window as ParseWindow reads it.
func formatWindow(from, to int32) string {
	return FormatClock(from)[:5] + "-" + FormatClock(to)[:5]
}

// parseFloat parses a finite number within [min, max].
func parseFloat(text string, min, max float64, unit string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q: want a number", text)
	}
	if v < min || v > max {
		return 0, fmt.Errorf("%q: must be within %g–%g%s", text, min, max, unit)
	}
	return v, nil
}

// parseInt parses a whole number within [min, max].
func parseInt(text string, min, max int) (int, error) {
	v, err := strconv.Atoi(strings.TrimSpace(text))
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
			return 0, fmt.Errorf("%q: must be within %d–%d", text, min, max)
		}
		return 0, fmt.Errorf("%q: want a whole number", text)
	}
	if v < min || v > max {
		return 0, fmt.Errorf("%q: must be within %d–%d", text, min, max)
	}
	return v, nil
}
