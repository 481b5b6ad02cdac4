package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/vingt/vingt/coverage"
	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/router"
	"github.com/vingt/vingt/walk"
)

// routeOptions are the flags of vingt route.
type routeOptions struct {
	feeds  feedFlags
	params paramFlags
	config string
	at     string
	from   string
	to     string
	cell   string
	cat    string
	window bool
	json   bool
	// changed tells whether a flag was given on the command line.
	changed func(name string) bool
}

// feedsHelp says how to give several feeds, for the usage texts.
const feedsHelp = `Several feeds: --gtfs A --gtfs B, or --gtfs A,B (not --gtfs A B).`

// noArgs refuses positional arguments, guessing the usual cause: a second
// feed written after the first without its own --gtfs.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if f := cmd.Flags().Lookup("window"); f != nil && f.Changed && f.NoOptDefVal != "" && strings.Contains(args[0], "-") && strings.Contains(args[0], ":") {
		return fmt.Errorf("unexpected argument %q: give another window as --window=%s", args[0], args[0])
	}
	if f := cmd.Flags().Lookup("gtfs"); f != nil && f.Changed {
		return fmt.Errorf("unexpected argument %q: several feeds are given as --gtfs A --gtfs B or --gtfs A,B", args[0])
	}
	return fmt.Errorf("unexpected argument %q: %s takes only flags (see --help)", args[0], cmd.Name())
}

func newRouteCommand() *cobra.Command {
	opts := &routeOptions{}
	cmd := &cobra.Command{
		Use: `route --gtfs FEED [--gtfs FEED]... --date D --at HH:MM --from LAT,LON --to LAT,LON [--json]
  vingt route --config RUN.toml --cell CELL_ID --category CAT [--window] [--json]`,
		Short: "The best journey between two points, or from a cell to a category, leg by leg",
		Long: `route finds the earliest arrival at --to leaving --from at --at: walking to
the stops within --max-walk, riding with walking transfers, and walking from
the last stop (within --max-walk of --to); walking all the way is a
candidate too (within --max-duration). Among journeys arriving as early, the
one with the fewest rides wins.

It prints the journey leg by leg (walk N m, board route R at stop S at t,
alight, transfer walk, walk) and its total, or why nothing arrives within
--max-duration: what an analyst needs to see why a cell is not served.
With --json the same as one JSON object ("reachable": false when nothing
arrives). Finding no journey is an answer, not an error: the exit code is 0.

--config RUN.toml takes the feeds, date, street network and parameters of a
run (flags given here override them). With it, --cell CELL_ID --category CAT
explains one row of the run's cells.parquet: the origin is the cell's centre
and the destination the category's point reached first (any point of the
category counts, as in the indicator).

--window computes, as the indicator does, the travel time at every departure
of the window, its percentiles (the first one: the travel_time_<category>
column) and the share within the threshold, and shows the itinerary at the
departure whose travel time is the first percentile (--at, when given,
chooses the departure instead).

` + feedsHelp,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.changed = cmd.Flags().Changed
			return runRoute(cmd.Context(), opts, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	addFeedFlags(f, &opts.feeds)
	f.StringVar(&opts.config, "config", "", "the run's TOML config: its feeds, date, streets and parameters (flags override them)")
	f.StringVar(&opts.at, "at", "", "departure time, HH:MM or HH:MM:SS")
	f.StringVar(&opts.from, "from", "", "origin point, LAT,LON")
	f.StringVar(&opts.to, "to", "", "destination point, LAT,LON")
	f.StringVar(&opts.cell, "cell", "", "origin: the centre of this cell of the config's grid (its cell_id); needs --config and --category")
	f.StringVar(&opts.cat, "category", "", "destination: the points of this category of the config's basket, with --cell")
	f.BoolVar(&opts.json, "json", false, "print JSON instead of text")
	opts.params = addParamFlags(f, false)
	// --window alone takes the run's window (the config's, or the
	// default); --window=HH:MM-HH:MM another one.
	if fl := f.Lookup("window"); fl != nil {
		fl.Value = &windowFlag{Value: fl.Value, on: &opts.window}
		fl.NoOptDefVal = windowOfRun
		fl.Usage = "the travel time over the departure window, as the indicator computes it, and the itinerary at the first percentile's departure; alone: the run's window (the config's, or 08:00-10:00), or --window=HH:MM-HH:MM"
	}
	return cmd
}

// windowOfRun is the value of a bare --window: the run's own window.
const windowOfRun = "run"

// windowFlag is vingt route's --window: the parameter, which also asks for
// the window's indicator.
type windowFlag struct {
	pflag.Value
	on *bool
}

func (w *windowFlag) Set(v string) error {
	*w.on = true
	if v == windowOfRun {
		return nil
	}
	return w.Value.Set(v)
}

// routeStop names a stop in the JSON output.
type routeStop struct {
	ID   string  `json:"stop_id"`
	Name string  `json:"name"`
	Lat  float64 `json:"lat"`
	Lon  float64 `json:"lon"`
}

// routeLeg is one leg of the JSON output. From and To are nil for the
// origin and destination points.
type routeLeg struct {
	Kind    string     `json:"kind"` // walk, ride, transfer
	From    *routeStop `json:"from"`
	To      *routeStop `json:"to"`
	Depart  string     `json:"depart"`
	Arrive  string     `json:"arrive"`
	Seconds int32      `json:"seconds"`
	// Metres is the distance walked on a walk or transfer leg (along the
	// streets with --osm, crow-fly × detour otherwise); absent on a ride,
	// or on a transfer whose time comes from transfers.txt.
	Metres    *int   `json:"metres,omitempty"`
	Route     string `json:"route,omitempty"`
	RouteName string `json:"route_name,omitempty"`
	Trip      string `json:"trip,omitempty"`
	Headsign  string `json:"headsign,omitempty"`

	depart, arrive int32
}

// routePoint is the service point a cell's trip reaches.
type routePoint struct {
	Category string  `json:"category"`
	ID       string  `json:"point_id"`
	Name     string  `json:"name,omitempty"`
	Lat      float64 `json:"lat"`
	Lon      float64 `json:"lon"`
	// Tie: a point at another place is reached as early.
	Tie bool `json:"tie,omitempty"`
}

// routeWindow is the indicator of the origin over the window.
type routeWindow struct {
	From       string `json:"from"`
	To         string `json:"to"`
	Step       int32  `json:"step_seconds"`
	Departures int    `json:"departures"`
	// TravelTime is TT_P at the first percentile in minutes, as the
	// travel_time_<category> column (null: unreachable within the cap).
	TravelTime  *float64          `json:"travel_time_minutes"`
	Percentiles []routePercentile `json:"percentiles"`
	Share       float64           `json:"share"`
	Within      int               `json:"departures_within_threshold"`
	Threshold   float64           `json:"threshold_minutes"`
	Served      bool              `json:"served"`
	Routed      bool              `json:"routed"`
	// Seconds is TT at each departure, in seconds (null: unreachable).
	Seconds []*int32 `json:"seconds_by_departure"`
}

// routePercentile is one percentile of the window, in minutes.
type routePercentile struct {
	P       float64  `json:"p"`
	Minutes *float64 `json:"minutes"`
}

// routeResult is the answer of vingt route.
type routeResult struct {
	// Cell and Point are set with --cell: the origin cell and the point
	// the trip reaches.
	Cell         string      `json:"cell,omitempty"`
	Point        *routePoint `json:"point,omitempty"`
	From         [2]float64  `json:"from"`
	To           [2]float64  `json:"to"`
	Date         string      `json:"date"`
	Departure    string      `json:"departure"`
	Reachable    bool        `json:"reachable"`
	Arrival      string      `json:"arrival,omitempty"`
	TotalSeconds int32       `json:"total_seconds,omitempty"`
	Rides        int         `json:"rides"`
	Transfers    int         `json:"transfers"`
	Legs         []routeLeg  `json:"legs"`
	// Reason explains an unreachable destination.
	Reason        string `json:"reason,omitempty"`
	AccessStops   int    `json:"access_stops"`
	EgressStops   int    `json:"egress_stops"`
	CrowFlyMetres int    `json:"crow_fly_metres"`
	// WalkMetres is the distance walked on a walk-only trip.
	WalkMetres int `json:"walk_metres,omitempty"`
	// Window is set with --window.
	Window *routeWindow `json:"window,omitempty"`
}

// routeJob resolves the feeds, date, streets and parameters: the config's
// when --config is given, the flags over them.
func (o *routeOptions) routeJob() (coverage.Job, error) {
	changed := o.changed
	if changed == nil {
		changed = func(string) bool { return false }
	}
	cfg := &coverage.Config{}
	if o.config != "" {
		c, err := coverage.LoadConfig(o.config)
		if err != nil {
			return coverage.Job{}, err
		}
		cfg = c
	}
	if changed("gtfs") || o.config == "" {
		cfg.GTFS = o.feeds.gtfs
	}
	if changed("date") || o.config == "" {
		cfg.Date, cfg.Dates = o.feeds.date, nil
	}
	if changed("osm") || o.config == "" {
		cfg.OSM = o.feeds.osm
	}
	if cfg.Params == nil {
		cfg.Params = map[string]string{}
	}
	for k, v := range o.params {
		cfg.Params[k] = v
	}
	if len(cfg.GTFS) == 0 {
		return coverage.Job{}, errors.New("no feed: give --gtfs FEED or --config RUN.toml")
	}
	if cfg.Date == "" && len(cfg.Dates) == 0 {
		return coverage.Job{}, errors.New("no date: give --date YYYY-MM-DD")
	}
	return cfg.Job()
}

func runRoute(ctx context.Context, opts *routeOptions, stdout io.Writer) error {
	var at int32 = -1
	if opts.at != "" {
		var err error
		if at, err = coverage.ParseClock(opts.at); err != nil {
			return fmt.Errorf("--at %w", err)
		}
	} else if !opts.window {
		return errors.New("no departure time: give --at HH:MM (or --window)")
	}
	var from, to walk.Place
	switch {
	case opts.cell != "" || opts.cat != "":
		if opts.cell == "" || opts.cat == "" {
			return errors.New("give both --cell CELL_ID and --category CAT")
		}
		if opts.config == "" {
			return errors.New("--cell: give --config RUN.toml, the run whose grid and basket hold the cell and the category")
		}
		if opts.from != "" || opts.to != "" {
			return errors.New("--cell and --category replace --from and --to: give one pair")
		}
	case opts.from == "" || opts.to == "":
		return errors.New("give both --from LAT,LON and --to LAT,LON (or --cell CELL_ID --category CAT with --config)")
	default:
		lat, lon, err := parseLatLon(opts.from)
		if err != nil {
			return fmt.Errorf("--from %w", err)
		}
		from = walk.Place{Lat: lat, Lon: lon}
		if lat, lon, err = parseLatLon(opts.to); err != nil {
			return fmt.Errorf("--to %w", err)
		}
		to = walk.Place{Lat: lat, Lon: lon}
	}
	job, err := opts.routeJob()
	if err != nil {
		return err
	}
	var ex *coverage.Explain
	if opts.cell != "" {
		if ex, err = coverage.LoadExplain(ctx, job, opts.cell, opts.cat); err != nil {
			return err
		}
	} else {
		dest := &coverage.Category{Name: "destination", Points: []coverage.Point{{ID: "destination", Lat: to.Lat, Lon: to.Lon}}}
		tt, err := coverage.CompileJob(ctx, job, []*coverage.Category{dest})
		if err != nil {
			return err
		}
		if err := checkPlace(tt, "--from", from); err != nil {
			return err
		}
		if err := checkPlace(tt, "--to", to); err != nil {
			return err
		}
		p := job.Indicator
		p.Date = coverage.HoursDate(job.Date)
		ex = coverage.ExplainPoints(tt, from, to, p)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var win *routeWindow
	if opts.window {
		w, err := ex.Window(ctx)
		if err != nil {
			return err
		}
		win = presentWindow(w, ex.Params)
		if at < 0 && opts.cell != "" {
			// The departure whose point cells.parquet names.
			at = w.Departures[ex.NearestDeparture(router.NewRouter(ex.TT), w)]
		}
		if at < 0 {
			at = w.Departures[w.PercentileDeparture()]
		}
	}
	var res routeResult
	if opts.cell != "" {
		res = explainRoute(ex, at)
	} else {
		res = bestRoute(ex.TT, from, to, at)
	}
	res.Date = job.Date.String()
	res.Window = win
	if opts.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	if win != nil {
		printWindow(stdout, res, win)
	}
	printRoute(stdout, res)
	return nil
}

// presentWindow writes the window's indicator in minutes, as cells.parquet.
func presentWindow(w coverage.Window, p coverage.Params) *routeWindow {
	minutes := func(v float64) *float64 {
		if math.IsInf(v, 1) {
			return nil
		}
		m := v / 60
		return &m
	}
	rw := &routeWindow{From: coverage.FormatClock(p.From), To: coverage.FormatClock(p.To), Step: p.Step,
		Departures: len(w.Departures), TravelTime: minutes(w.Percentiles[0]), Share: w.Share,
		Threshold: float64(p.Threshold) / 60, Served: w.Served, Routed: w.Routed}
	for i, q := range p.Percentiles {
		rw.Percentiles = append(rw.Percentiles, routePercentile{P: q, Minutes: minutes(w.Percentiles[i])})
	}
	for _, v := range w.Seconds {
		if v == router.Unreached {
			rw.Seconds = append(rw.Seconds, nil)
			continue
		}
		if v <= p.Threshold {
			rw.Within++
		}
		rw.Seconds = append(rw.Seconds, &v)
	}
	return rw
}

// printWindow writes the window's indicator above the itinerary.
func printWindow(w io.Writer, res routeResult, win *routeWindow) {
	what := "the destination"
	if res.Point != nil {
		what = fmt.Sprintf("cell %s to %s", res.Cell, res.Point.Category)
	}
	tt := "unreachable within the cap"
	if win.TravelTime != nil {
		tt = fmt.Sprintf("%.1f min", *win.TravelTime)
	}
	first := win.Percentiles[0]
	served := "not served"
	if win.Served {
		served = "served"
	}
	fmt.Fprintf(w, "window %s–%s every %s (%d departures), %s: p%g travel time %s, %d of %d departures within %.0f min (share %.3f): %s\n",
		win.From, win.To, formatDuration(win.Step), win.Departures, what, first.P, tt, win.Within, win.Departures, win.Threshold, win.Share, served)
	if len(win.Percentiles) > 1 {
		for _, q := range win.Percentiles[1:] {
			v := "unreachable"
			if q.Minutes != nil {
				v = fmt.Sprintf("%.1f min", *q.Minutes)
			}
			fmt.Fprintf(w, "  p%g: %s\n", q.P, v)
		}
	}
	fmt.Fprintf(w, "itinerary at the departure of the p%g travel time:\n", first.P)
}

// explainRoute presents the best trip from the cell of ex to its
// category leaving at at.
func explainRoute(ex *coverage.Explain, at int32) routeResult {
	tt := ex.TT
	trip := ex.TripAt(router.NewRouter(tt), at)
	from := walk.Place{Lat: ex.Cell.Lat, Lon: ex.Cell.Lon}
	res := routeResult{Cell: ex.Cell.ID, From: [2]float64{from.Lat, from.Lon}, To: [2]float64{from.Lat, from.Lon}}
	res.Point = &routePoint{Category: ex.Category.Name}
	if trip.Point >= 0 {
		pt := ex.Category.Points[trip.Point]
		res.Point.ID, res.Point.Name, res.Point.Lat, res.Point.Lon = pt.ID, pt.Name, pt.Lat, pt.Lon
		res.To = [2]float64{pt.Lat, pt.Lon}
		res.Point.Tie = trip.Tie
	}
	present(tt, &res, trip.Trip, at)
	return res
}

// bestRoute presents coverage.BestTrip: the journey leg by leg.
func bestRoute(tt *router.Timetable, from, to walk.Place, at int32) routeResult {
	res := routeResult{From: [2]float64{from.Lat, from.Lon}, To: [2]float64{to.Lat, to.Lon}}
	present(tt, &res, coverage.BestTrip(tt, router.NewRouter(tt), from, to, at), at)
	return res
}

// present fills res with the trip leaving at at, leg by leg, or the
// reason nothing arrives.
func present(tt *router.Timetable, res *routeResult, trip coverage.Trip, at int32) {
	p := tt.Params()
	res.Departure, res.Legs = coverage.FormatClock(at), []routeLeg{}
	res.CrowFlyMetres = int(gtfs.Distance(res.From[0], res.From[1], res.To[0], res.To[1]) + 0.5)
	res.AccessStops, res.EgressStops = trip.AccessStops, trip.EgressStops
	if trip.Seconds == router.Unreached {
		res.Reason = unreachableReason(*res, p)
		return
	}
	best := at + trip.Seconds
	res.Reachable = true
	res.Arrival = coverage.FormatClock(best)
	res.TotalSeconds = trip.Seconds
	if trip.EgressStop < 0 {
		res.WalkMetres = int(trip.WalkMetres + 0.5)
		res.Legs = append(res.Legs, routeLeg{Kind: "walk", depart: at, arrive: best})
	} else {
		stop := func(s int32) *routeStop {
			if s < 0 {
				return nil
			}
			st := tt.Stop(s)
			return &routeStop{ID: st.ID, Name: st.Name, Lat: st.Lat, Lon: st.Lon}
		}
		for _, l := range trip.Journey.Legs {
			leg := routeLeg{Kind: l.Kind.String(), From: stop(l.From), To: stop(l.To), depart: l.Depart, arrive: l.Arrive,
				Route: l.Route, RouteName: l.RouteName, Trip: l.Trip, Headsign: l.Headsign}
			if l.Kind == router.Ride {
				res.Rides++
			}
			res.Legs = append(res.Legs, leg)
		}
		last := trip.Journey.Arrival()
		res.Legs = append(res.Legs, routeLeg{Kind: "walk", From: stop(trip.EgressStop), depart: last, arrive: best})
		res.Transfers = max(res.Rides-1, 0)
	}
	for i := range res.Legs {
		l := &res.Legs[i]
		l.Depart, l.Arrive, l.Seconds = coverage.FormatClock(l.depart), coverage.FormatClock(l.arrive), l.arrive-l.depart
		if l.Kind == "walk" || l.Kind == "transfer" {
			l.Metres = walkedMetres(tt, res, l)
		}
	}
}

// walkedMetres returns the metres of the walk leg l, from the origin or a
// stop to a stop or the destination, asked of the walker the router used;
// nil when the walker's time is not the leg's (a transfer timed by
// transfers.txt).
func walkedMetres(tt *router.Timetable, res *routeResult, l *routeLeg) *int {
	place := func(s *routeStop, end [2]float64) walk.Place {
		if s == nil {
			return walk.Place{Lat: end[0], Lon: end[1]}
		}
		return walk.Place{Lat: s.Lat, Lon: s.Lon}
	}
	a, b := place(l.From, res.From), place(l.To, res.To)
	if l.From != nil && l.To != nil && l.From.ID == l.To.ID {
		zero := 0
		return &zero
	}
	sec, metres := tt.Walker().Walk(a, b, l.Seconds)
	if sec != l.Seconds {
		return nil
	}
	m := int(metres + 0.5)
	return &m
}

// unreachableReason explains why nothing arrives.
func unreachableReason(res routeResult, p router.Params) string {
	maxWalk := formatDuration(p.MaxWalk)
	var why []string
	if res.AccessStops == 0 {
		why = append(why, fmt.Sprintf("no stop served that day within %s walk of the origin", maxWalk))
	}
	dest := "the destination"
	if res.Point != nil {
		dest = "any point of " + res.Point.Category
	}
	if res.EgressStops == 0 {
		why = append(why, fmt.Sprintf("no stop served that day within %s walk of %s", maxWalk, dest))
	}
	if len(why) == 0 {
		why = append(why, fmt.Sprintf("%d stops near the origin and %d near %s, but no journey with at most %d transfers links them in time",
			res.AccessStops, res.EgressStops, dest, p.MaxTransfers))
	}
	if res.Point != nil {
		why = append(why, fmt.Sprintf("no point of %s within %s walk", res.Point.Category, formatDuration(p.MaxDuration)))
	} else {
		why = append(why, fmt.Sprintf("walking the %d m crow-fly takes over %s", res.CrowFlyMetres, formatDuration(p.MaxDuration)))
	}
	return fmt.Sprintf("nothing arrives within %s of leaving at %s: %s",
		formatDuration(p.MaxDuration), res.Departure, strings.Join(why, "; "))
}

// formatDuration writes seconds as 1h05m30s, dropping zero parts.
func formatDuration(s int32) string {
	if s == 0 {
		return "0s"
	}
	var b strings.Builder
	if h := s / 3600; h > 0 {
		fmt.Fprintf(&b, "%dh", h)
	}
	if m := s / 60 % 60; m > 0 {
		fmt.Fprintf(&b, "%dmin", m)
	}
	if x := s % 60; x > 0 {
		fmt.Fprintf(&b, "%ds", x)
	}
	return b.String()
}

func printRoute(w io.Writer, res routeResult) {
	switch {
	case res.Point == nil:
		fmt.Fprintf(w, "from %g,%g to %g,%g (%d m crow-fly), leaving %s on %s\n",
			res.From[0], res.From[1], res.To[0], res.To[1], res.CrowFlyMetres, res.Departure, res.Date)
	case res.Point.ID == "":
		fmt.Fprintf(w, "from cell %s (centre %g,%g) to %s, leaving %s on %s\n",
			res.Cell, res.From[0], res.From[1], res.Point.Category, res.Departure, res.Date)
	default:
		name := res.Point.ID
		if res.Point.Name != "" {
			name = fmt.Sprintf("%s (%s)", res.Point.Name, res.Point.ID)
		}
		fmt.Fprintf(w, "from cell %s (centre %g,%g) to %s %s at %g,%g (%d m crow-fly), leaving %s on %s\n",
			res.Cell, res.From[0], res.From[1], res.Point.Category, name, res.To[0], res.To[1], res.CrowFlyMetres, res.Departure, res.Date)
		if res.Point.Tie {
			fmt.Fprintf(w, "(a point of %s at another place is reached as early: cells.parquet names neither for this departure)\n", res.Point.Category)
		}
	}
	if !res.Reachable {
		fmt.Fprintln(w, res.Reason)
		return
	}
	name := func(s *routeStop, point string) string {
		if s == nil {
			return point
		}
		return fmt.Sprintf("%s (%s)", s.Name, s.ID)
	}
	for i, l := range res.Legs {
		switch l.Kind {
		case "walk":
			fmt.Fprintf(w, "  %s  walk %s%s from %s to %s, arrive %s\n", l.Depart, formatDuration(l.Seconds), legMetres(l),
				name(l.From, "the origin"), name(l.To, "the destination"), l.Arrive)
		case "transfer":
			fmt.Fprintf(w, "  %s  transfer: walk %s%s from %s to %s, arrive %s\n", l.Depart, formatDuration(l.Seconds), legMetres(l),
				name(l.From, "?"), name(l.To, "?"), l.Arrive)
		case "ride":
			if i > 0 {
				if wait := l.depart - res.Legs[i-1].arrive; wait > 0 {
					fmt.Fprintf(w, "  %s  wait %s\n", res.Legs[i-1].Arrive, formatDuration(wait))
				}
			}
			head := ""
			if l.Headsign != "" {
				head = " towards " + l.Headsign
			}
			fmt.Fprintf(w, "  %s  board route %s%s at %s (trip %s)\n", l.Depart, l.RouteName, head, name(l.From, "?"), l.Trip)
			fmt.Fprintf(w, "  %s  alight at %s after %s\n", l.Arrive, name(l.To, "?"), formatDuration(l.Seconds))
		}
	}
	fmt.Fprintf(w, "arrive %s: total %s (%d s), rides: %d, transfers: %d\n",
		res.Arrival, formatDuration(res.TotalSeconds), res.TotalSeconds, res.Rides, res.Transfers)
}

// legMetres is " (N m)" for a leg whose walked distance is known.
func legMetres(l routeLeg) string {
	if l.Metres == nil {
		return ""
	}
	return fmt.Sprintf(" (%d m)", *l.Metres)
}

// checkPlace refuses a place given as --from or --to that no trip can
// start or end at: farther than the cap's walk from every stop and outside
// the box of the feeds' stops, the usual sign of coordinates given as
// LON,LAT (the GeoJSON and QGIS order); it suggests the swapped order when
// that falls among the stops. A place inside the box is an answer, even
// far from the stops (then route says why nothing arrives).
func checkPlace(tt *router.Timetable, flag string, pl walk.Place) error {
	p := tt.Params()
	if len(tt.StopsNear(pl.Lat, pl.Lon, p.MaxDuration, nil)) > 0 {
		return nil
	}
	f := &gtfs.Feed{}
	for s := range int32(tt.NumStops()) {
		st := tt.Stop(s)
		f.Stops = append(f.Stops, gtfs.Stop{Lat: st.Lat, Lon: st.Lon, HasCoords: st.HasCoords})
	}
	ext, ok := gtfs.StopsExtent(f)
	if !ok || ext.Contains(pl.Lat, pl.Lon) {
		return nil
	}
	far := fmt.Sprintf("%s %g,%g: no stop within %s walk, and outside the feeds' stops (%s)", flag, pl.Lat, pl.Lon, formatDuration(p.MaxDuration), ext)
	if ext.Contains(pl.Lon, pl.Lat) {
		return fmt.Errorf("%s: latitude and longitude swapped? %g,%g lies among the stops: give %s %g,%g (LAT,LON, latitude first)", far, pl.Lon, pl.Lat, flag, pl.Lon, pl.Lat)
	}
	return fmt.Errorf("%s: check the coordinates (LAT,LON, latitude first) and the feeds", far)
}
