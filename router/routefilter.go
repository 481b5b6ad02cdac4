package router

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/vingt/vingt/gtfs"
)

// TypeRange is an inclusive range of GTFS route_type values (basic 0–12
// or extended 100–1702); a single type is a range of one.
type TypeRange struct{ Lo, Hi int32 }

// RouteFilter tells which routes' trips a timetable compiles.
type RouteFilter struct {
	// Types, when not empty, keeps only routes whose route_type falls in
	// one of the ranges.
	Types []TypeRange
	// ExcludeTypes leaves out routes whose route_type falls in one of
	// the ranges.
	ExcludeTypes []TypeRange
	// ExcludeRoutes leaves out routes by route_id, written ID (any feed)
	// or FEED:ID (FEED the feed's name).
	ExcludeRoutes []string
}

// Keeps reports whether the filter keeps route r of feed.
func (f *RouteFilter) Keeps(feed string, r *gtfs.Route) bool {
	if f == nil {
		return true
	}
	in := func(rs []TypeRange) bool {
		return slices.ContainsFunc(rs, func(x TypeRange) bool { return r.Type >= x.Lo && r.Type <= x.Hi })
	}
	if len(f.Types) > 0 && !in(f.Types) || in(f.ExcludeTypes) {
		return false
	}
	return !slices.Contains(f.ExcludeRoutes, r.ID) && !slices.Contains(f.ExcludeRoutes, feed+":"+r.ID)
}

// ParseTypeRanges parses comma-separated route types and ranges, such as
// "3,700-799". Types must be within 0–1702.
func ParseTypeRanges(text string) ([]TypeRange, error) {
	var out []TypeRange
	for _, part := range strings.Split(text, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		lo, hi, isRange := strings.Cut(part, "-")
		a, err1 := strconv.Atoi(strings.TrimSpace(lo))
		b, err2 := a, error(nil)
		if isRange {
			b, err2 = strconv.Atoi(strings.TrimSpace(hi))
		}
		if err1 != nil || err2 != nil || a < 0 || b > 1702 || a > b {
			return nil, fmt.Errorf("router: route types %q: %q: want a type or a range LO-HI within 0–1702", text, part)
		}
		out = append(out, TypeRange{int32(a), int32(b)})
	}
	return out, nil
}

// FormatTypeRanges writes the ranges as ParseTypeRanges reads them.
func FormatTypeRanges(rs []TypeRange) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = strconv.Itoa(int(r.Lo))
		if r.Hi != r.Lo {
			parts[i] += "-" + strconv.Itoa(int(r.Hi))
		}
	}
	return strings.Join(parts, ",")
}
