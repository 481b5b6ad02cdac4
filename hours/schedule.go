package hours

import (
	"fmt"
	"sort"
	"strings"
)

const (
	dayMin  = 1440 // minutes in a day
	weekMin = 7 * dayMin
	allDays = 0x7f
)

// span is an opening in minutes from the midnight that starts its day:
// 0 <= start < 1440, start < end <= start+1440 (an end past 1440 runs into
// the next day).
type span struct{ start, end int16 }

// rule is one rule of a schedule: on the days it selects, it sets (or, when
// additive, adds) its spans as open, or removes them when off.
type rule struct {
	days   uint8  // bit i: weekday i, Monday = 0
	ph, sh bool   // also selects public holidays, school holidays
	spans  []span // nil: no times given, the whole day
	off    bool
	add    bool // joined to the previous rule by ","
}

// Schedule is a week of opening hours with optional public-holiday (PH) and
// school-holiday (SH) rules. The zero Schedule is never open.
type Schedule struct {
	rules []rule
}

var wholeDay = []span{{0, dayMin}}

// AlwaysOpen returns the schedule "24/7".
func AlwaysOpen() Schedule {
	return Schedule{rules: []rule{{days: allDays, spans: []span{{0, dayMin}}}}}
}

// day returns the spans open on a day of the given weekday (Monday = 0),
// sorted and merged, as the rules decide in order: a normal rule that
// selects the day replaces its spans (or removes them when off), an
// additional rule (after ",") adds its spans (or removes them when off). A
// span that runs past midnight belongs to the day it starts on; a later rule
// for the next day does not cut it.
func (s Schedule) day(wd int, ph, sh bool) []span {
	var cur []span
	for i := range s.rules {
		r := &s.rules[i]
		if r.days&(1<<wd) == 0 && !(r.ph && ph) && !(r.sh && sh) {
			continue
		}
		sp := r.spans
		if sp == nil {
			sp = wholeDay
		}
		switch {
		case r.off && r.spans == nil:
			cur = nil // the day is closed, with its openings past midnight
		case r.off:
			cur = subtract(cur, sp)
		case r.add:
			cur = union(cur, sp)
		default:
			cur = union(nil, sp)
		}
	}
	return cur
}

// union returns the sorted, merged union of a and b (a new slice).
func union(a, b []span) []span {
	all := make([]span, 0, len(a)+len(b))
	all = append(all, a...)
	all = append(all, b...)
	sort.Slice(all, func(i, j int) bool { return all[i].start < all[j].start })
	out := all[:0]
	for _, x := range all {
		if n := len(out); n > 0 && x.start <= out[n-1].end {
			if x.end > out[n-1].end {
				out[n-1].end = x.end
			}
			continue
		}
		out = append(out, x)
	}
	return out
}

// subtract returns a minus b; a is sorted and merged.
func subtract(a, b []span) []span {
	out := make([]span, 0, len(a)+len(b))
	for _, x := range a {
		pieces := []span{x}
		for _, y := range b {
			var next []span
			for _, p := range pieces {
				if y.end <= p.start || y.start >= p.end {
					next = append(next, p)
					continue
				}
				if y.start > p.start {
					next = append(next, span{p.start, y.start})
				}
				if y.end < p.end {
					next = append(next, span{y.end, p.end})
				}
			}
			pieces = next
		}
		out = append(out, pieces...)
	}
	return out
}

// Week returns the opening hours of each day of an ordinary week (no public
// or school holiday), Monday first, as text: "off" when closed all day, else
// the spans like "09:00-12:30,14:00-19:30". A span running past midnight is
// written on the day it starts, with its end past 24:00 ("22:00-26:00").
func (s Schedule) Week() [7]string {
	var w [7]string
	for d := 0; d < 7; d++ {
		w[d] = formatSpans(s.day(d, false, false))
	}
	return w
}

func formatSpans(sp []span) string {
	if len(sp) == 0 {
		return "off"
	}
	var b strings.Builder
	for i, x := range sp {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%02d:%02d-%02d:%02d", x.start/60, x.start%60, x.end/60, x.end%60)
	}
	return b.String()
}

// WeeklyOpenMinutes returns how many minutes of an ordinary week (no public
// or school holiday) the schedule is open, from 0 to 10080; a span running
// past Sunday midnight counts on Monday.
func (s Schedule) WeeklyOpenMinutes() int {
	var iv []span32
	for d := 0; d < 7; d++ {
		for _, x := range s.day(d, false, false) {
			a, b := int32(d*dayMin)+int32(x.start), int32(d*dayMin)+int32(x.end)
			if b > weekMin {
				iv = append(iv, span32{0, b - weekMin})
				b = weekMin
			}
			iv = append(iv, span32{a, b})
		}
	}
	total := 0
	for _, x := range merge32(iv) {
		total += int(x.b - x.a)
	}
	return total
}

type span32 struct{ a, b int32 }

// merge32 sorts and merges intervals, joining those that touch.
func merge32(iv []span32) []span32 {
	sort.Slice(iv, func(i, j int) bool { return iv[i].a < iv[j].a })
	out := iv[:0]
	for _, x := range iv {
		if n := len(out); n > 0 && x.a <= out[n-1].b {
			if x.b > out[n-1].b {
				out[n-1].b = x.b
			}
			continue
		}
		out = append(out, x)
	}
	return out
}

// String returns the schedule in canonical opening_hours syntax, which Parse
// reads back to the same schedule: rules joined by "; " (or ", " for
// additional rules), weekdays as ranges and lists (Mo-We,Fr), then PH, SH,
// the spans ("off" alone for a day closed all day; ends past midnight as
// extended times like 26:00). The zero Schedule is "closed".
func (s Schedule) String() string {
	if len(s.rules) == 0 {
		return "closed"
	}
	var b strings.Builder
	for i, r := range s.rules {
		if i > 0 {
			if r.add {
				b.WriteString(", ")
			} else {
				b.WriteString("; ")
			}
		}
		sel := formatDays(r.days)
		if r.ph {
			sel = joinSel(sel, "PH")
		}
		if r.sh {
			sel = joinSel(sel, "SH")
		}
		b.WriteString(sel)
		// a whole day is the selector alone, unless an additional rule
		// follows: "Mo, We 10:00-12:00" would read as one weekday list
		whole := r.spans == nil || (!r.off && len(r.spans) == 1 && r.spans[0] == span{0, dayMin})
		if whole && !r.off && i+1 < len(s.rules) && s.rules[i+1].add {
			whole = false
		}
		if !whole {
			b.WriteByte(' ')
			if r.spans == nil {
				b.WriteString("00:00-24:00")
			} else {
				b.WriteString(formatSpans(r.spans))
			}
		}
		if r.off {
			b.WriteString(" off")
		}
	}
	return b.String()
}

func joinSel(a, b string) string {
	if a == "" {
		return b
	}
	return a + "," + b
}

var wdNames = [7]string{"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"}

// formatDays writes a weekday set as ranges and lists in Monday-first order.
func formatDays(days uint8) string {
	var parts []string
	for d := 0; d < 7; {
		if days&(1<<d) == 0 {
			d++
			continue
		}
		e := d
		for e+1 < 7 && days&(1<<(e+1)) != 0 {
			e++
		}
		switch {
		case e == d:
			parts = append(parts, wdNames[d])
		case e == d+1:
			parts = append(parts, wdNames[d], wdNames[e])
		default:
			parts = append(parts, wdNames[d]+"-"+wdNames[e])
		}
		d = e + 1
	}
	return strings.Join(parts, ",")
}
