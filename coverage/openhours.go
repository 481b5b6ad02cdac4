package coverage

import (
	"errors"
	"fmt"

	"github.com/vingt/vingt/hours"
)

// frenchDays are the suffixes of the France Services per-day hours columns
// (h_lundi … h_dimanche), Monday first.
var frenchDays = [7]string{"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"}

// hoursReader reads the opening hours of one point from its fields: get
// returns a field's value and whether the field exists. With column
// COL, a field COL holds OpenStreetMap opening_hours; otherwise the seven
// fields COLlundi … COLdimanche hold the France Services format (COL is
// the prefix, "h_").
type hoursReader struct {
	column string
	// found tells whether any point had the column (or its day fields).
	found bool
}

// read returns the point's schedule, nil for always open. Empty or absent
// hours are always open without a warning; hours that cannot be read are
// always open with a counted warning naming where and the text.
func (h *hoursReader) read(get func(string) (string, bool), where string, w interface{ Add(kind, example string) }) *hours.Schedule {
	var (
		s   hours.Schedule
		err error
	)
	if v, ok := get(h.column); ok {
		h.found = true
		if v == "" {
			return nil
		}
		s, err = hours.Parse(v)
	} else {
		var days [7]string
		some := false
		for i, d := range frenchDays {
			v, ok := get(h.column + d)
			if ok {
				h.found = true
			}
			days[i] = v
			some = some || v != ""
		}
		if !some {
			return nil
		}
		s, err = hours.ParseDays(days)
	}
	if err != nil {
		kind := "opening hours malformed (taken as always open)"
		switch {
		case errors.Is(err, hours.ErrUnknown):
			kind = "opening hours unknown (taken as always open)"
		case errors.Is(err, hours.ErrUnsupported):
			kind = "opening hours unsupported (taken as always open)"
		}
		w.Add(kind, fmt.Sprintf("%s: %v", where, err))
		return nil
	}
	return &s
}
