package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vingt/vingt/coverage"
	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/router"
	"github.com/vingt/vingt/walk"
)

// routeOptions are the flags of vingt route.
type routeOptions struct {
	feeds  feedFlags
	params paramFlags
	at     string
	from   string
	to     string
	json   bool
}

func newRouteCommand() *cobra.Command {
	opts := &routeOptions{}
	cmd := &cobra.Command{
		Use:   "route --gtfs FEED... --date D --at HH:MM --from LAT,LON --to LAT,LON [--json]",
		Short: "The best journey between two points, leg by leg",
		Long: `route finds the earliest arrival at --to leaving --from at --at: walking to
the stops within --max-walk, riding with walking transfers, and walking from
the last stop (within --max-walk of --to); walking all the way is a
candidate too when within --max-walk. Among journeys arriving as early, the
one with the fewest rides wins.

It prints the journey leg by leg (walk, board route R at stop S at t,
alight, transfer walk, walk) and its total, or why nothing arrives within
--max-duration: what an analyst needs to see why a cell is not served.
With --json the same as one JSON object ("reachable": false when nothing
arrives). Finding no journey is an answer, not an error: the exit code is 0.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRoute(cmd.Context(), opts, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	addFeedFlags(f, &opts.feeds)
	f.StringVar(&opts.at, "at", "", "departure time, HH:MM or HH:MM:SS")
	f.StringVar(&opts.from, "from", "", "origin point, LAT,LON")
	f.StringVar(&opts.to, "to", "", "destination point, LAT,LON")
	f.BoolVar(&opts.json, "json", false, "print JSON instead of text")
	opts.params = addParamFlags(f, true)
	return cmd
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
	Kind      string     `json:"kind"` // walk, ride, transfer
	From      *routeStop `json:"from"`
	To        *routeStop `json:"to"`
	Depart    string     `json:"depart"`
	Arrive    string     `json:"arrive"`
	Seconds   int32      `json:"seconds"`
	Route     string     `json:"route,omitempty"`
	RouteName string     `json:"route_name,omitempty"`
	Trip      string     `json:"trip,omitempty"`
	Headsign  string     `json:"headsign,omitempty"`

	depart, arrive int32
}

// routeResult is the answer of vingt route.
type routeResult struct {
	From         [2]float64 `json:"from"`
	To           [2]float64 `json:"to"`
	Date         string     `json:"date"`
	Departure    string     `json:"departure"`
	Reachable    bool       `json:"reachable"`
	Arrival      string     `json:"arrival,omitempty"`
	TotalSeconds int32      `json:"total_seconds,omitempty"`
	Rides        int        `json:"rides"`
	Transfers    int        `json:"transfers"`
	Legs         []routeLeg `json:"legs"`
	// Reason explains an unreachable destination.
	Reason        string `json:"reason,omitempty"`
	AccessStops   int    `json:"access_stops"`
	EgressStops   int    `json:"egress_stops"`
	CrowFlyMetres int    `json:"crow_fly_metres"`
	// WalkMetres is the distance walked on a walk-only trip.
	WalkMetres int `json:"walk_metres,omitempty"`
}

func runRoute(ctx context.Context, opts *routeOptions, stdout io.Writer) error {
	if opts.at == "" {
		return errors.New("no departure time: give --at HH:MM")
	}
	at, err := coverage.ParseClock(opts.at)
	if err != nil {
		return fmt.Errorf("--at %w", err)
	}
	if opts.from == "" || opts.to == "" {
		return errors.New("give both --from LAT,LON and --to LAT,LON")
	}
	fromLat, fromLon, err := parseLatLon(opts.from)
	if err != nil {
		return fmt.Errorf("--from %w", err)
	}
	toLat, toLon, err := parseLatLon(opts.to)
	if err != nil {
		return fmt.Errorf("--to %w", err)
	}
	set, err := opts.params.settings()
	if err != nil {
		return err
	}
	tt, err := loadTimetable(ctx, opts.feeds, set)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	res := bestRoute(tt, walk.Place{Lat: fromLat, Lon: fromLon}, walk.Place{Lat: toLat, Lon: toLon}, at)
	res.Date = opts.feeds.date
	if opts.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	printRoute(stdout, res)
	return nil
}

// bestRoute presents coverage.BestTrip: the journey leg by leg.
func bestRoute(tt *router.Timetable, from, to walk.Place, at int32) routeResult {
	p := tt.Params()
	res := routeResult{From: [2]float64{from.Lat, from.Lon}, To: [2]float64{to.Lat, to.Lon}, Departure: coverage.FormatClock(at), Legs: []routeLeg{}}
	res.CrowFlyMetres = int(gtfs.Distance(from.Lat, from.Lon, to.Lat, to.Lon) + 0.5)
	trip := coverage.BestTrip(tt, router.NewRouter(tt), from, to, at)
	res.AccessStops, res.EgressStops = trip.AccessStops, trip.EgressStops
	if trip.Seconds == router.Unreached {
		res.Reason = unreachableReason(res, p)
		return res
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
	}
	return res
}

// unreachableReason explains why nothing arrives.
func unreachableReason(res routeResult, p router.Params) string {
	maxWalk := formatDuration(p.MaxWalk)
	var why []string
	if res.AccessStops == 0 {
		why = append(why, fmt.Sprintf("no stop served that day within %s walk of the origin", maxWalk))
	}
	if res.EgressStops == 0 {
		why = append(why, fmt.Sprintf("no stop served that day within %s walk of the destination", maxWalk))
	}
	if len(why) == 0 {
		why = append(why, fmt.Sprintf("%d stops near the origin and %d near the destination, but no journey with at most %d transfers links them in time",
			res.AccessStops, res.EgressStops, p.MaxTransfers))
	}
	why = append(why, fmt.Sprintf("walking the %d m crow-fly takes over %s", res.CrowFlyMetres, formatDuration(p.MaxDuration)))
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
	fmt.Fprintf(w, "from %g,%g to %g,%g (%d m crow-fly), leaving %s on %s\n",
		res.From[0], res.From[1], res.To[0], res.To[1], res.CrowFlyMetres, res.Departure, res.Date)
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
			fmt.Fprintf(w, "  %s  walk %s from %s to %s, arrive %s\n", l.Depart, formatDuration(l.Seconds),
				name(l.From, "the origin"), name(l.To, "the destination"), l.Arrive)
		case "transfer":
			fmt.Fprintf(w, "  %s  transfer: walk %s from %s to %s, arrive %s\n", l.Depart, formatDuration(l.Seconds),
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
