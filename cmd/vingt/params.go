package main

// Flags shared by the commands that route: the feeds and date, and the
// parameters of coverage.Parameters.

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/vingt/vingt/coverage"
	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/router"
	"github.com/vingt/vingt/streets"
)

// feedFlags are the timetable inputs: GTFS feeds and the analysis date.
type feedFlags struct {
	gtfs []string
	date string
	osm  string
}

// addFeedFlags adds --gtfs (repeatable or comma-separated) and --date to
// f, bound to ff.
func addFeedFlags(f *pflag.FlagSet, ff *feedFlags) {
	f.Var(&pathList{&ff.gtfs}, "gtfs", "GTFS feed, zip or folder (repeatable: --gtfs A --gtfs B, or --gtfs A,B)")
	f.StringVar(&ff.date, "date", "", "analysis date, YYYY-MM-DD")
	f.StringVar(&ff.osm, "osm", "", "OpenStreetMap extract (.osm.pbf): walk on its streets instead of crow-fly × detour")
}

// pathList is a repeatable flag of paths, each value a path or a
// comma-separated list of paths: a value naming an existing file or
// folder is one path, even with a comma in it.
type pathList struct{ paths *[]string }

func (l *pathList) String() string {
	if l.paths == nil {
		return ""
	}
	return strings.Join(*l.paths, ",")
}

func (l *pathList) Type() string { return "paths" }

func (l *pathList) Set(v string) error {
	if _, err := os.Stat(v); err == nil || !strings.Contains(v, ",") {
		*l.paths = append(*l.paths, v)
		return nil
	}
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p == "" {
			return fmt.Errorf("%q: an empty path in the comma-separated list", v)
		}
		if _, err := os.Stat(p); err != nil {
			return fmt.Errorf("%q: %s: no such file or folder (neither is the whole text; a list of paths is comma-separated)", v, p)
		}
		*l.paths = append(*l.paths, p)
	}
	return nil
}

// paramFlags holds the text of the parameter flags given on the command
// line, by config key: the table of coverage.Parameters declares them.
type paramFlags map[string]string

// addParamFlags adds a flag for each parameter of the table (only the
// router's when routing is true), checked as it is given and kept as
// text for coverage.Resolve.
func addParamFlags(f *pflag.FlagSet, routing bool) paramFlags {
	given := paramFlags{}
	for _, p := range coverage.Parameters {
		if routing && !p.Routing {
			continue
		}
		f.Var(&paramValue{p: p, given: given}, p.Flag, p.Help)
	}
	return given
}

// settings resolves the parameters: the defaults, then the flags given.
func (pf paramFlags) settings() (coverage.Settings, error) {
	return coverage.Resolve(map[string]string(pf))
}

// paramValue is the pflag.Value of one parameter.
type paramValue struct {
	p     *coverage.Param
	given paramFlags
}

func (v *paramValue) String() string {
	if t, ok := v.given[v.p.Key]; ok {
		return t
	}
	return v.p.Default
}

func (v *paramValue) Set(text string) error {
	if err := v.p.Check(text); err != nil {
		return err
	}
	if old, ok := v.given[v.p.Key]; ok && v.p.List {
		text = old + "," + text
	}
	v.given[v.p.Key] = text
	return v.p.Check(text)
}

func (v *paramValue) Type() string { return v.p.Unit }

// durationValue is a pflag.Value holding a duration as int32 seconds
// within [min, max].
type durationValue struct {
	dst      *int32
	min, max int32
}

func (d durationValue) String() string { return coverage.FormatDuration(*d.dst) }

func (d durationValue) Set(v string) error {
	s, err := coverage.ParseDuration(v, d.min, d.max)
	if err != nil {
		return err
	}
	*d.dst = s
	return nil
}

func (d durationValue) Type() string { return "duration" }

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

// loadTimetable opens the GTFS feeds and compiles the timetable of the
// date (YYYY-MM-DD or YYYYMMDD) with the routing parameters of set, walking
// on the streets of the --osm extract when one is given.
func loadTimetable(ctx context.Context, ff feedFlags, set coverage.Settings) (*router.Timetable, error) {
	feeds, date, p := ff.gtfs, ff.date, set.Routing
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
	if ff.osm != "" {
		var keep []streets.Point
		for _, f := range fs {
			for _, st := range f.Stops {
				if st.HasCoords {
					keep = append(keep, streets.Point{Lat: st.Lat, Lon: st.Lon})
				}
			}
		}
		g, err := streets.Load(ctx, ff.osm, streets.Options{Keep: keep, LinkRadius: set.LinkRadius})
		if err != nil {
			return nil, fmt.Errorf("--osm: %w", err)
		}
		if p.Walker, err = streets.NewWalker(g, p.WalkSpeed, p.Detour); err != nil {
			return nil, fmt.Errorf("--osm: %w", err)
		}
	}
	return router.CompileContext(ctx, fs, d, p)
}
