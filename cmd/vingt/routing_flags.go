package main

// Flags shared by the commands that route: the feeds and date, and the
// routing parameters, bound straight to an router.Params.

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/vingt/vingt/coverage"
	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/router"
)

// feedFlags are the timetable inputs: GTFS feeds and the analysis date.
type feedFlags struct {
	gtfs []string
	date string
}

// addFeedFlags adds --gtfs (repeatable or comma-separated) and --date to
// f, bound to ff.
func addFeedFlags(f *pflag.FlagSet, ff *feedFlags) {
	f.StringSliceVar(&ff.gtfs, "gtfs", nil, "GTFS feed, zip or folder (repeatable, or a comma-separated list)")
	f.StringVar(&ff.date, "date", "", "analysis date, YYYY-MM-DD")
}

// addRoutingFlags adds the routing parameters to f, bound to p, with p's
// current values as defaults: --walk-speed (m/s), --detour, --max-walk,
// --max-transfer-walk (metres), --board-slack, --max-transfers and
// --max-duration. Times are Go durations (15m, 60s, 1h30m) in whole
// seconds.
func addRoutingFlags(f *pflag.FlagSet, p *router.Params) {
	f.Float64Var(&p.WalkSpeed, "walk-speed", p.WalkSpeed, "walking speed, m/s")
	f.Float64Var(&p.Detour, "detour", p.Detour, "walking distance as a multiple of the crow-fly distance")
	f.Var((*secondsValue)(&p.MaxWalk), "max-walk", "longest walk to or from transit, and walk-only")
	f.Float64Var(&p.MaxTransferWalk, "max-transfer-walk", p.MaxTransferWalk, "longest crow-fly walk between stops in a transfer, metres (0: same stop only)")
	f.Var((*secondsValue)(&p.BoardSlack), "board-slack", "least time between reaching a stop and boarding")
	f.IntVar(&p.MaxTransfers, "max-transfers", p.MaxTransfers, "most transfers in a journey")
	f.Var((*secondsValue)(&p.MaxDuration), "max-duration", "travel time cap")
}

// secondsValue is a pflag.Value holding a duration as int32 seconds.
type secondsValue int32

func (s *secondsValue) String() string {
	return (time.Duration(*s) * time.Second).String()
}

func (s *secondsValue) Set(v string) error {
	d, err := parseSeconds(v)
	if err != nil {
		return err
	}
	*s = secondsValue(d)
	return nil
}

func (s *secondsValue) Type() string { return "duration" }

// parseSeconds parses a Go duration (15m, 90s, 1h) that is a whole,
// non-negative number of seconds.
func parseSeconds(v string) (int32, error) {
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%q: want a duration such as 15m or 90s", v)
	}
	switch {
	case d < 0:
		return 0, fmt.Errorf("%q: must not be negative", v)
	case d%time.Second != 0:
		return 0, fmt.Errorf("%q: want whole seconds", v)
	case d > math.MaxInt32*time.Second:
		return 0, fmt.Errorf("%q: too long", v)
	}
	return int32(d / time.Second), nil
}

// parseClock parses a time of day H:MM or H:MM:SS (hours up to 47, for
// departures after midnight) into seconds after midnight, as a config
// file's window does.
func parseClock(v string) (int32, error) {
	t, err := coverage.ParseClock(v)
	if err != nil {
		return 0, fmt.Errorf("%q: want HH:MM or HH:MM:SS with hours below 48, minutes and seconds below 60", v)
	}
	return t, nil
}

// formatClock writes seconds after midnight as HH:MM:SS (hours past 23
// for the next day, negative times with a minus sign).
func formatClock(t int32) string {
	sign := ""
	if t < 0 {
		sign, t = "-", -t
	}
	return fmt.Sprintf("%s%02d:%02d:%02d", sign, t/3600, t/60%60, t%60)
}

// parseLatLon parses "LAT,LON" in decimal degrees.
func parseLatLon(v string) (lat, lon float64, err error) {
	a, b, ok := strings.Cut(v, ",")
	if ok {
		lat, err = strconv.ParseFloat(strings.TrimSpace(a), 64)
	}
	if ok && err == nil {
		lon, err = strconv.ParseFloat(strings.TrimSpace(b), 64)
	}
	if !ok || err != nil {
		return 0, 0, fmt.Errorf("%q: want LAT,LON in decimal degrees", v)
	}
	if !(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180) {
		return 0, 0, fmt.Errorf("%q: latitude must be within ±90 and longitude within ±180 (LAT,LON order)", v)
	}
	return lat, lon, nil
}

// loadTimetable opens the GTFS feeds and compiles the timetable of date
// (YYYY-MM-DD or YYYYMMDD) with the routing parameters p.
func loadTimetable(feeds []string, date string, p router.Params) (*router.Timetable, error) {
	if len(feeds) == 0 {
		return nil, fmt.Errorf("no feed: give --gtfs FEED")
	}
	if date == "" {
		return nil, fmt.Errorf("no date: give --date YYYY-MM-DD")
	}
	d, err := gtfs.ParseDate(date)
	if err != nil {
		return nil, fmt.Errorf("--date: %w", err)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	fs := make([]*gtfs.Feed, len(feeds))
	for i, path := range feeds {
		f, err := gtfs.Open(path)
		if err != nil {
			return nil, err
		}
		fs[i] = f
	}
	return router.Compile(fs, d, p)
}
