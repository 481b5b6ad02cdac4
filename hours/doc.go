// Package hours reads opening hours and answers, exactly, when a traveller
// reaching a service point is served.
//
// # Formats
//
// Parse reads OpenStreetMap opening_hours values as people write them:
//
//   - rules "[weekdays] [spans] [off|closed|open]" separated by ";" (a later
//     rule replaces the hours of the days it selects) or "," before a new
//     day selector (an additional rule: its spans are added to those of the
//     days it selects, as the specification says; "off" in any rule removes
//     its spans, or closes the whole day when it has none, openings that
//     start that day and run past midnight included);
//   - weekdays Mo Tu We Th Fr Sa Su, ranges that may wrap (Mo-Fr, Sa-Mo) and
//     lists (Mo,We,Fr), PH (French public holidays) and SH (school holidays);
//     a "," right after a day selector continues the list even with a space
//     ("Mo, We 10:00-12:00" is Monday and Wednesday);
//     no selector means every day, no span means the whole day;
//   - spans HH:MM-HH:MM (H:MM tolerated) separated by "," or "/"
//     ("09:00-12:00 / 14:00-18:00"); an end at or before the start runs past
//     midnight ("22:00-02:00"; "00:00-00:00" is 24 hours), an end may be
//     24:00 or an extended time up to 48:00 ("22:00-26:00");
//   - "24/7", "off", "closed"; weekday and keyword case is ignored.
//
// Other syntax (months, dates, years, week numbers, nth weekdays "[1]",
// sunrise and other variable times, open ends "+", intervals
// "10:00-16:00/01:30", comments in quotes, "||" fallbacks, the "unknown"
// modifier) is an error wrapping ErrUnsupported; text that is not opening
// hours (a misspelt weekday, 25:00, a missing end, an unbalanced quote, a
// value over MaxLen bytes) wraps ErrMalformed; an empty value wraps
// ErrUnknown. Every error is a *ParseError that quotes the text and gives
// the column. ParseDays reads the one-value-per-day France Services format.
//
// A span running past midnight belongs to the day it starts on: a later rule
// for the next day does not cut it ("Fr 22:00-02:00; Sa off" is open Saturday
// 00:00–02:00). A public holiday is matched by PH rules only; the other rules
// see it as its weekday. School holidays are matched only when a Calendar is
// given.
//
// # Semantics used by routing
//
// For an analysis date D, Schedule.Windows(D, minOpen, cal) gives the usable
// arrival times in seconds relative to midnight of D, covering D−1 00:00 to
// D+2 00:00 ([SpanStart, SpanEnd)), so that journeys past midnight and times
// of the day before are answered. A traveller who arrives at second t is
// served at Windows.Arrive(t): the earliest t' >= t such that the point is
// open throughout [t', t'+minOpen] — t itself when it is open then and stays
// open long enough, else the next such opening, the wait counting in the
// travel time. Arrive reports false when there is none before SpanEnd.
// Arrive is monotone non-decreasing in t (FIFO: arriving later is never
// served earlier), so it can be composed with time-dependent routing; it
// does a binary search over a flat sorted []int32 of [first, last] pairs and
// does not allocate. A point open throughout the span gives windows with
// Always() true, whose Arrive(t) is t; a point never open gives windows that
// serve no arrival (None() true). A caller treats unknown or unsupported
// hours as always open (AlwaysWindows), never as closed.
package hours
