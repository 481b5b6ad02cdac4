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

	"github.com/vingt/vingt/coverage"
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
stop_times, services, shapes, the first and last service date, the first
and last time, and the warnings met while
reading, among them the stops whose stop_lat and stop_lon look swapped
(outside the box of the feed's stops, inside it when swapped). With --date it adds the services, trips and stop_times that run that
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

// inspectReport is the JSON document of vingt inspect: the totals at top
// level, each feed under feeds.
type inspectReport struct {
	gtfs.Summary
	Feeds []gtfs.Summary `json:"feeds"`
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
	total := gtfs.NewSummary()
	total.First, total.Last = -1, -1
	if date != 0 {
		total.Date = &gtfs.DaySummary{Date: date.String()}
	}
	var feeds []gtfs.Summary
	for _, p := range opts.feeds {
		if err := ctx.Err(); err != nil {
			return err
		}
		f, err := gtfs.Open(p)
		if err != nil {
			return err
		}
		gtfs.WarnSwappedStops(f)
		c := gtfs.Summarize(f, date)
		c.FirstTime, c.LastTime = clock(c.First), clock(c.Last)
		total.Add(&c)
		feeds = append(feeds, c)
	}
	total.FirstTime, total.LastTime = clock(total.First), clock(total.Last)
	rep := inspectReport{Summary: total, Feeds: feeds}
	if opts.json {
		enc := json.NewEncoder(opts.out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return printInspect(opts.out, &rep)
}

// clock formats seconds after midnight as HH:MM:SS (hours may pass 24),
// or "" when negative (no trip).
func clock(s int32) string {
	if s < 0 {
		return ""
	}
	return coverage.FormatClock(s)
}

// printInspect writes the report as aligned text: one column per feed and
// one for all feeds together when there are several.
func printInspect(w io.Writer, rep *inspectReport) error {
	cols := rep.Feeds
	if len(cols) > 1 {
		all := rep.Summary
		all.Name = "all"
		cols = append(slices.Clip(cols), all)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	row := func(label string, v func(c *gtfs.Summary) string) {
		fmt.Fprintf(tw, "%-40s\t", label)
		for i := range cols {
			fmt.Fprint(tw, v(&cols[i]), "\t")
		}
		fmt.Fprintln(tw)
	}
	num := func(f func(c *gtfs.Summary) int) func(c *gtfs.Summary) string {
		return func(c *gtfs.Summary) string { return strconv.Itoa(f(c)) }
	}
	row("feed", func(c *gtfs.Summary) string { return c.Name })
	row("agencies", num(func(c *gtfs.Summary) int { return c.Agencies }))
	row("stops", num(func(c *gtfs.Summary) int { return c.Stops }))
	for _, k := range sortedKeys(rep.StopsByType) {
		row("  location_type "+k, num(func(c *gtfs.Summary) int { return c.StopsByType[k] }))
	}
	row("routes", num(func(c *gtfs.Summary) int { return c.Routes }))
	for _, k := range sortedKeys(rep.RoutesByTyp) {
		row("  route_type "+k, num(func(c *gtfs.Summary) int { return c.RoutesByTyp[k] }))
	}
	row("trips", num(func(c *gtfs.Summary) int { return c.Trips }))
	row("stop_times", num(func(c *gtfs.Summary) int { return c.StopTimes }))
	row("stop events (frequency runs included)", num(func(c *gtfs.Summary) int { return c.StopEvents }))
	row("services", num(func(c *gtfs.Summary) int { return c.Services }))
	row("frequencies", num(func(c *gtfs.Summary) int { return c.Frequencies }))
	row("transfers", num(func(c *gtfs.Summary) int { return c.Transfers }))
	row("shapes", num(func(c *gtfs.Summary) int { return c.Shapes }))
	row("first service date", func(c *gtfs.Summary) string { return c.FirstDate })
	row("last service date", func(c *gtfs.Summary) string { return c.LastDate })
	row("first time", func(c *gtfs.Summary) string { return c.FirstTime })
	row("last time", func(c *gtfs.Summary) string { return c.LastTime })
	if rep.Date != nil {
		dn := func(f func(d *gtfs.DaySummary) int) func(c *gtfs.Summary) string {
			return func(c *gtfs.Summary) string { return strconv.Itoa(f(c.Date)) }
		}
		row("on "+rep.Date.Date, func(*gtfs.Summary) string { return "" })
		row("  services", dn(func(d *gtfs.DaySummary) int { return d.Services }))
		row("  trips", dn(func(d *gtfs.DaySummary) int { return d.Trips }))
		row("  stop_times", dn(func(d *gtfs.DaySummary) int { return d.StopTimes }))
		row("  previous day's trips past midnight", dn(func(d *gtfs.DaySummary) int { return d.PreviousDay.Trips }))
		row("  their stop_times after 24:00", dn(func(d *gtfs.DaySummary) int { return d.PreviousDay.StopTimes }))
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
