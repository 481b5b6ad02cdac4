package hours

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// Date is a calendar day, without a time or a time zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate reads an ISO date, YYYY-MM-DD, with a year from 1900 to 2200.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil {
		return Date{}, fmt.Errorf("hours: date %s: want YYYY-MM-DD", token(s))
	}
	if t.Year() < 1900 || t.Year() > 2200 {
		return Date{}, fmt.Errorf("hours: date %s: year outside 1900–2200", token(s))
	}
	return Date{t.Year(), t.Month(), t.Day()}, nil
}

func (d Date) time() time.Time { return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC) }

// norm returns d with an out-of-range day or month carried over, as time.Date
// does (2026-02-30 is 2026-03-02).
func (d Date) norm() Date {
	t := d.time()
	return Date{t.Year(), t.Month(), t.Day()}
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.time().Weekday() }

// AddDays returns the date n days after d (before it when n < 0).
func (d Date) AddDays(n int) Date {
	t := d.time().AddDate(0, 0, n)
	return Date{t.Year(), t.Month(), t.Day()}
}

// String returns d as YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// before reports whether d is strictly before e (both normalised).
func (d Date) before(e Date) bool {
	if d.Year != e.Year {
		return d.Year < e.Year
	}
	if d.Month != e.Month {
		return d.Month < e.Month
	}
	return d.Day < e.Day
}

// monday0 returns the weekday index with Monday = 0 … Sunday = 6.
func monday0(w time.Weekday) int { return (int(w) + 6) % 7 }

// Easter returns Easter Sunday of the Gregorian year (the anonymous
// Gregorian algorithm, Meeus/Jones/Butcher).
func Easter(year int) Date {
	a := year % 19
	b := year / 100
	c := year % 100
	d := b / 4
	e := b % 4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i := c / 4
	k := c % 4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return Date{year, time.Month(month), day}
}

// IsPublicHoliday reports whether d is a French public holiday (jour férié
// national): 1 January, Easter Monday, 1 May, 8 May, Ascension (Easter + 39
// days), Whit Monday (Easter + 50 days), 14 July, 15 August, 1 November,
// 11 November and 25 December. Regional holidays (Alsace-Moselle, overseas)
// are not included.
func IsPublicHoliday(d Date) bool {
	d = d.norm()
	switch {
	case d.Month == time.January && d.Day == 1,
		d.Month == time.May && (d.Day == 1 || d.Day == 8),
		d.Month == time.July && d.Day == 14,
		d.Month == time.August && d.Day == 15,
		d.Month == time.November && (d.Day == 1 || d.Day == 11),
		d.Month == time.December && d.Day == 25:
		return true
	}
	if d.Month < time.March || d.Month > time.June {
		return false
	}
	e := Easter(d.Year)
	for _, n := range [3]int{1, 39, 50} {
		if e.AddDays(n) == d {
			return true
		}
	}
	return false
}

// MaxCalendarLines bounds the lines ParseSchoolHolidays reads.
const MaxCalendarLines = 10000

// Calendar holds school-holiday periods. A nil *Calendar has none.
type Calendar struct {
	ranges [][2]Date // inclusive, sorted by start
}

// ParseSchoolHolidays reads school-holiday periods, one a line as
// "start,end": two ISO dates (YYYY-MM-DD), both days included. Blank lines,
// lines starting with '#' and a first line "start,end" are skipped. At most
// MaxCalendarLines lines of at most 200 bytes are read.
func ParseSchoolHolidays(r io.Reader) (*Calendar, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 256), 256)
	c := &Calendar{}
	line := 0
	for sc.Scan() {
		line++
		if line > MaxCalendarLines {
			return nil, fmt.Errorf("hours: school holidays: more than %d lines", MaxCalendarLines)
		}
		s := strings.TrimSpace(sc.Text())
		if line == 1 {
			s = strings.TrimPrefix(s, "\ufeff")
		}
		if s == "" || s[0] == '#' || (line == 1 && strings.EqualFold(strings.ReplaceAll(s, " ", ""), "start,end")) {
			continue
		}
		if len(s) > 200 {
			return nil, fmt.Errorf("hours: school holidays line %d: %s: longer than 200 bytes", line, token(s))
		}
		a, b, ok := strings.Cut(s, ",")
		if !ok {
			return nil, fmt.Errorf("hours: school holidays line %d: %s: want start,end", line, quote(s))
		}
		start, err := ParseDate(a)
		if err != nil {
			return nil, fmt.Errorf("hours: school holidays line %d: start: %w", line, err)
		}
		end, err := ParseDate(b)
		if err != nil {
			return nil, fmt.Errorf("hours: school holidays line %d: end: %w", line, err)
		}
		if end.before(start) {
			return nil, fmt.Errorf("hours: school holidays line %d: %s: end before start", line, quote(s))
		}
		c.ranges = append(c.ranges, [2]Date{start, end})
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("hours: school holidays line %d: longer than 200 bytes", line+1)
		}
		return nil, fmt.Errorf("hours: school holidays line %d: %w", line+1, err)
	}
	sort.Slice(c.ranges, func(i, j int) bool { return c.ranges[i][0].before(c.ranges[j][0]) })
	return c, nil
}

// Contains reports whether d is in one of the periods of c. It is false for
// a nil c.
func (c *Calendar) Contains(d Date) bool {
	if c == nil {
		return false
	}
	d = d.norm()
	for _, r := range c.ranges {
		if d.before(r[0]) {
			return false
		}
		if !r[1].before(d) {
			return true
		}
	}
	return false
}
