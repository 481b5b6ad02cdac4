package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vingt/vingt/gtfs"
)

// inspectOptions are the flags and arguments of vingt inspect.
type inspectOptions struct {
	feeds []string
	date  string
	json  bool
	out   io.Writer
}

func newInspectCommand() *cobra.Command {
	opts := &inspectOptions{out: os.Stdout}
	cmd := &cobra.Command{
		Use:   "inspect FEED... [--date YYYY-MM-DD] [--json]",
		Short: "Count what GTFS feeds hold, and what runs on a date",
		Long: `inspect reads each GTFS feed (zip file or folder) and prints, per feed and in
all, the agencies, stops by location_type, routes by route_type, trips,
stop_times, services, the first and last time, and the warnings met while
reading. With --date it adds the services, trips and stop_times that run that
day; trips of the previous service day still running past midnight are
counted apart. With --json the same counts are printed as one JSON object
whose top-level keys include stops, routes, trips, stop_times and date.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.feeds = args
			opts.out = cmd.OutOrStdout()
			return runInspect(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.date, "date", "", "count what runs on this date (YYYY-MM-DD)")
	cmd.Flags().BoolVar(&opts.json, "json", false, "print JSON instead of a table")
	return cmd
}

// inspectCounts are the counts of one feed, or of all feeds together.
type inspectCounts struct {
	Name        string         `json:"name,omitempty"`
	Path        string         `json:"path,omitempty"`
	Agencies    int            `json:"agencies"`
	Stops       int            `json:"stops"`
	StopsByType map[string]int `json:"stops_by_location_type"`
	Routes      int            `json:"routes"`
	RoutesByTyp map[string]int `json:"routes_by_route_type"`
	Trips       int            `json:"trips"`
	// StopTimes is the number of stop_times.txt rows kept.
	StopTimes int `json:"stop_times"`
	// StopEvents counts each trip's stops, frequency-based runs included
	// (they share their template's stop_times rows).
	StopEvents  int            `json:"stop_events"`
	Services    int            `json:"services"`
	Frequencies int            `json:"frequencies"`
	Transfers   int            `json:"transfers"`
	Shapes      int            `json:"shapes"`
	FirstTime   string         `json:"first_time,omitempty"`
	LastTime    string         `json:"last_time,omitempty"`
	Date        *inspectDate   `json:"date,omitempty"`
	Warnings    []gtfs.Warning `json:"warnings"`

	first, last int32
}

// inspectDate counts what runs on the --date day: StopTimes counts the
// stops of the trips that run, frequency-based runs included.
type inspectDate struct {
	Date      string `json:"date"`
	Services  int    `json:"services"`
	Trips     int    `json:"trips"`
	StopTimes int    `json:"stop_times"`
	// Trips of the previous service day whose times run past midnight
	// into the date, and their stop times at or after 24:00.
	PreviousDay struct {
		Services  int `json:"services"`
		Trips     int `json:"trips"`
		StopTimes int `json:"stop_times"`
	} `json:"previous_day"`
}

// inspectReport is the JSON document of vingt inspect: the totals at top
// level, each feed under feeds.
type inspectReport struct {
	inspectCounts
	Feeds []inspectCounts `json:"feeds"`
}

func runInspect(ctx context.Context, opts *inspectOptions) error {
	var date gtfs.Date
	if opts.date != "" {
		d, err := gtfs.ParseDate(opts.date)
		if err != nil {
			return fmt.Errorf("inspect: --date: %w", err)
		}
		date = d
	}
	total := newCounts()
	total.first, total.last = -1, -1
	if date != 0 {
		total.Date = &inspectDate{Date: date.String()}
	}
	var feeds []inspectCounts
	for _, p := range opts.feeds {
		if err := ctx.Err(); err != nil {
			return err
		}
		f, err := gtfs.Open(p)
		if err != nil {
			return err
		}
		c := countFeed(f, date)
		total.add(&c)
		feeds = append(feeds, c)
	}
	total.FirstTime, total.LastTime = clock(total.first), clock(total.last)
	rep := inspectReport{inspectCounts: total, Feeds: feeds}
	if opts.json {
		enc := json.NewEncoder(opts.out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return printInspect(opts.out, &rep)
}

func newCounts() inspectCounts {
	return inspectCounts{StopsByType: map[string]int{}, RoutesByTyp: map[string]int{}, Warnings: []gtfs.Warning{}}
}

// countFeed counts what feed f holds and, when date is set, what runs then.
func countFeed(f *gtfs.Feed, date gtfs.Date) inspectCounts {
	c := newCounts()
	c.Name, c.Path = f.Name, f.Path
	c.Agencies = len(f.Agencies)
	c.Stops = len(f.Stops)
	for _, s := range f.Stops {
		c.StopsByType[strconv.Itoa(int(s.LocationType))]++
	}
	c.Routes = len(f.Routes)
	for _, r := range f.Routes {
		c.RoutesByTyp[strconv.Itoa(int(r.Type))]++
	}
	c.Trips = len(f.Trips)
	c.StopTimes = f.StopTimes.Len()
	for i := range f.Trips {
		c.StopEvents += int(f.Trips[i].N)
	}
	c.Services = len(f.Services)
	c.Frequencies = len(f.Frequencies)
	c.Transfers = len(f.Transfers)
	c.Shapes = len(f.Shapes)
	c.first, c.last = f.TimeRange()
	c.FirstTime, c.LastTime = clock(c.first), clock(c.last)
	c.Warnings = append(c.Warnings, f.Warnings.List...)
	if date == 0 {
		return c
	}
	d := &inspectDate{Date: date.String()}
	today, yesterday := f.ActiveServices(date), f.ActiveServices(date.AddDays(-1))
	for i := range today {
		if today[i] {
			d.Services++
		}
		if yesterday[i] {
			d.PreviousDay.Services++
		}
	}
	const day = 24 * 3600
	for i := range f.Trips {
		t := &f.Trips[i]
		if today[t.Service] {
			d.Trips++
			d.StopTimes += int(t.N)
		}
		if yesterday[t.Service] && t.N > 0 && f.Arrival(t, int(t.N)-1) >= day {
			d.PreviousDay.Trips++
			for k := range int(t.N) {
				if f.Arrival(t, k) >= day || f.Departure(t, k) >= day {
					d.PreviousDay.StopTimes++
				}
			}
		}
	}
	c.Date = d
	return c
}

// add adds the counts of one feed to the totals.
func (c *inspectCounts) add(o *inspectCounts) {
	c.Agencies += o.Agencies
	c.Stops += o.Stops
	for k, v := range o.StopsByType {
		c.StopsByType[k] += v
	}
	c.Routes += o.Routes
	for k, v := range o.RoutesByTyp {
		c.RoutesByTyp[k] += v
	}
	c.Trips += o.Trips
	c.StopTimes += o.StopTimes
	c.StopEvents += o.StopEvents
	c.Services += o.Services
	c.Frequencies += o.Frequencies
	c.Transfers += o.Transfers
	c.Shapes += o.Shapes
	if o.first >= 0 && (c.first < 0 || o.first < c.first) {
		c.first = o.first
	}
	c.last = max(c.last, o.last)
	if c.Date != nil && o.Date != nil {
		c.Date.Services += o.Date.Services
		c.Date.Trips += o.Date.Trips
		c.Date.StopTimes += o.Date.StopTimes
		c.Date.PreviousDay.Services += o.Date.PreviousDay.Services
		c.Date.PreviousDay.Trips += o.Date.PreviousDay.Trips
		c.Date.PreviousDay.StopTimes += o.Date.PreviousDay.StopTimes
	}
	for _, w := range o.Warnings {
		w.Kind = o.Name + ": " + w.Kind
		c.Warnings = append(c.Warnings, w)
	}
}

// clock formats seconds after midnight as HH:MM:SS (hours may pass 24),
// or "" when negative (no trip).
func clock(s int32) string {
	if s < 0 {
		return ""
	}
	return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
}

// printInspect writes the report as aligned text: one column per feed and
// one for all feeds together when there are several.
func printInspect(w io.Writer, rep *inspectReport) error {
	cols := rep.Feeds
	if len(cols) > 1 {
		all := rep.inspectCounts
		all.Name = "all"
		cols = append(slices.Clip(cols), all)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	row := func(label string, v func(c *inspectCounts) string) {
		fmt.Fprintf(tw, "%-40s\t", label)
		for i := range cols {
			fmt.Fprint(tw, v(&cols[i]), "\t")
		}
		fmt.Fprintln(tw)
	}
	num := func(f func(c *inspectCounts) int) func(c *inspectCounts) string {
		return func(c *inspectCounts) string { return strconv.Itoa(f(c)) }
	}
	row("feed", func(c *inspectCounts) string { return c.Name })
	row("agencies", num(func(c *inspectCounts) int { return c.Agencies }))
	row("stops", num(func(c *inspectCounts) int { return c.Stops }))
	for _, k := range sortedKeys(rep.StopsByType) {
		row("  location_type "+k, num(func(c *inspectCounts) int { return c.StopsByType[k] }))
	}
	row("routes", num(func(c *inspectCounts) int { return c.Routes }))
	for _, k := range sortedKeys(rep.RoutesByTyp) {
		row("  route_type "+k, num(func(c *inspectCounts) int { return c.RoutesByTyp[k] }))
	}
	row("trips", num(func(c *inspectCounts) int { return c.Trips }))
	row("stop_times", num(func(c *inspectCounts) int { return c.StopTimes }))
	row("stop events (frequency runs included)", num(func(c *inspectCounts) int { return c.StopEvents }))
	row("services", num(func(c *inspectCounts) int { return c.Services }))
	row("frequencies", num(func(c *inspectCounts) int { return c.Frequencies }))
	row("transfers", num(func(c *inspectCounts) int { return c.Transfers }))
	row("first time", func(c *inspectCounts) string { return c.FirstTime })
	row("last time", func(c *inspectCounts) string { return c.LastTime })
	if rep.Date != nil {
		dn := func(f func(d *inspectDate) int) func(c *inspectCounts) string {
			return func(c *inspectCounts) string { return strconv.Itoa(f(c.Date)) }
		}
		row("on "+rep.Date.Date, func(*inspectCounts) string { return "" })
		row("  services", dn(func(d *inspectDate) int { return d.Services }))
		row("  trips", dn(func(d *inspectDate) int { return d.Trips }))
		row("  stop_times", dn(func(d *inspectDate) int { return d.StopTimes }))
		row("  previous day's trips past midnight", dn(func(d *inspectDate) int { return d.PreviousDay.Trips }))
		row("  their stop_times after 24:00", dn(func(d *inspectDate) int { return d.PreviousDay.StopTimes }))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, c := range rep.Feeds {
		for _, x := range c.Warnings {
			fmt.Fprintf(w, "warning: %s: %s: %d", c.Name, x.Kind, x.Count)
			if len(x.Examples) > 0 {
				fmt.Fprintf(w, " (e.g. %s)", x.Examples[0])
			}
			fmt.Fprintln(w)
		}
	}
	return nil
}

// sortedKeys returns the keys of m, numeric ones in numeric order.
func sortedKeys(m map[string]int) []string {
	return slices.SortedFunc(maps.Keys(m), func(a, b string) int {
		x, _ := strconv.Atoi(a)
		y, _ := strconv.Atoi(b)
		return x - y
	})
}
