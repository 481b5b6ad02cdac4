package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/vingt/vingt/coverage"
	"github.com/vingt/vingt/output"
	"github.com/vingt/vingt/report"
)

// runOptions are the options of vingt run: a config file, and flags that
// override it key by key.
type runOptions struct {
	config string
	flags  coverage.Config
	params paramFlags
	quiet  bool
	// report writes report.html beside the outputs, in lang.
	report bool
	lang   string
	// cpuProfile, when set, receives a CPU profile of the run (pprof).
	cpuProfile string
	// changed tells whether a flag was given on the command line.
	changed func(name string) bool
	// inputNames, for the embedded example, maps its extracted files to
	// their embedded names, which the manifest records.
	inputNames map[string]string
}

func newRunCommand() *cobra.Command {
	opts := &runOptions{}
	cmd := &cobra.Command{
		Use:   "run [--config FILE.toml] [flags]",
		Short: "Compute the coverage of the everyday-services basket per cell and territory",
		Long: `vingt run routes from every populated cell of the grid to every service
category of the basket over each departure minute of the window, and writes
cells.parquet, territories.parquet (GeoParquet 1.1, or Arrow IPC with
--format arrow) and run.json, the manifest, into --out.

With no input at all it runs the embedded example (Porto Alegre, r5r's
sample data, with hand-drawn zones) into ./vingt-out.

A --config FILE.toml holds the same keys as the flags (gtfs, date or dates,
window, grid, services, territories, threshold, percentiles, walk_speed,
…); flags given on the command line override it.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.changed = cmd.Flags().Changed
			return runRun(cmd.Context(), opts, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	c := &opts.flags
	f.StringVar(&opts.config, "config", "", "TOML config file (flags override its keys)")
	f.Var(&pathList{&c.GTFS}, "gtfs", "GTFS feed, zip or folder (repeatable: --gtfs A --gtfs B, or --gtfs A,B)")
	f.StringVar(&c.Date, "date", "", "analysis date, YYYY-MM-DD")
	f.StringVar(&c.Today, "today", "", "reference day for the config's dates list (default: today)")
	f.StringVar(&c.Grid, "grid", "", "population grid (Filosofi, Eurostat, point CSV, GeoJSON, GeoParquet)")
	f.StringVar(&c.GridFormat, "grid-format", "", "grid format: filosofi, eurostat, csv, geojson, geoparquet (default: detected)")
	f.StringVar(&c.OSM, "osm", "", "OpenStreetMap extract (.osm.pbf): walk on its streets instead of crow-fly × detour")
	f.StringArrayVar(&c.Services, "services", nil, "service points of a category, CATEGORY=PATH[#count_column][@hours_column] (repeatable; @h_ reads the France Services h_lundi … h_dimanche)")
	f.StringVar(&c.Basket, "basket", "", "basket file (TOML) describing the categories, or \"default\": the built-in basket, read from --bpe")
	f.StringVar(&c.SchoolHolidays, "school-holidays", "", "school-holiday calendar (a line \"start,end\", ISO dates, both included): opening hours' SH match its days; without it SH never matches")
	f.StringVar(&c.BPE, "bpe", "", "INSEE BPE file (CSV with TYPEQU, LAMBERT_X, LAMBERT_Y): the default basket's points")
	f.StringArrayVar(&c.Territories, "territories", nil, "territory polygons of a level, LEVEL=PATH (repeatable, finest first)")
	opts.params = addParamFlags(f, false)
	f.BoolVar(&c.AllowEmptyFeed, "allow-empty-feed", false, "go on when no trip of a feed runs on the date (default: fail naming the feed and its service dates)")
	f.IntVar(&c.Workers, "workers", 0, "routing workers (default: all CPUs); outputs do not depend on it")
	f.StringVar(&c.Format, "format", "parquet", "output format: parquet (GeoParquet 1.1), arrow (Arrow IPC) or gpkg (GeoParquet and vingt.gpkg, a GeoPackage with the same tables as layers, for QGIS on any GDAL)")
	f.BoolVar(&c.Impact, "impact", false, "also write points.parquet: what closing each service point alone would cost")
	f.StringSliceVar(&c.Remove, "remove", nil, "service points to leave out, ID or CATEGORY:ID (comma-separated): a run as if they closed")
	f.StringVar(&c.Out, "out", "vingt-out", "output folder")
	f.StringVar(&c.Partition, "partition", "", "write cells/ as a Hive-partitioned GeoParquet dataset (cells/LEVEL=CODE/part-0.parquet) by the territories of this level")
	f.StringVar(&c.Shard, "shard", "", "route only part INDEX/COUNT of the cells (auto/COUNT: index from $JOB_COMPLETION_INDEX) and write a shard folder for vingt merge")
	f.BoolVarP(&opts.quiet, "quiet", "q", false, "no progress on stderr")
	f.BoolVar(&opts.report, "report", false, "also write report.html, the self-contained HTML report, beside the outputs")
	f.StringVar(&opts.lang, "lang", "fr", "language of the report: fr or en")
	f.StringVar(&opts.cpuProfile, "cpuprofile", "", "write a CPU profile of the run to this file (go tool pprof)")
	return cmd
}

// merged returns the config file (or the embedded example when no input
// is given at all) with the flags given on the command line applied over
// it, and a function that removes what the example extracted.
func (o *runOptions) merged() (*coverage.Config, func(), error) {
	cleanup := func() {}
	given := false
	for _, n := range []string{"gtfs", "grid", "services", "basket", "territories", "date"} {
		given = given || o.changed(n)
	}
	var cfg *coverage.Config
	switch {
	case o.config != "":
		c, err := coverage.LoadConfig(o.config)
		if err != nil {
			return nil, cleanup, err
		}
		cfg = c
	case !given:
		dir, names, err := extractExample()
		if err != nil {
			return nil, cleanup, err
		}
		o.inputNames = names
		cleanup = func() { os.RemoveAll(dir) }
		c, err := coverage.LoadConfig(filepath.Join(dir, "vingt.toml"))
		if err != nil {
			cleanup()
			return nil, func() {}, err
		}
		c.Out = "vingt-out"
		cfg = c
	default:
		cfg = &coverage.Config{}
	}
	f := &o.flags
	set := func(name string, apply func()) {
		if o.changed(name) {
			apply()
		}
	}
	set("gtfs", func() { cfg.GTFS = f.GTFS })
	set("date", func() { cfg.Date, cfg.Dates = f.Date, nil })
	set("today", func() { cfg.Today = f.Today })
	set("grid", func() { cfg.Grid = f.Grid })
	set("grid-format", func() { cfg.GridFormat = f.GridFormat })
	set("osm", func() { cfg.OSM = f.OSM })
	set("services", func() { cfg.Services = f.Services })
	set("basket", func() { cfg.Basket = f.Basket })
	set("bpe", func() { cfg.BPE = f.BPE })
	set("school-holidays", func() { cfg.SchoolHolidays = f.SchoolHolidays })
	set("territories", func() { cfg.Territories = f.Territories })
	if cfg.Params == nil {
		cfg.Params = map[string]string{}
	}
	for k, v := range o.params {
		cfg.Params[k] = v
	}
	set("allow-empty-feed", func() { cfg.AllowEmptyFeed = f.AllowEmptyFeed })
	set("workers", func() { cfg.Workers = f.Workers })
	set("format", func() { cfg.Format = f.Format })
	set("impact", func() { cfg.Impact = f.Impact })
	set("remove", func() { cfg.Remove = f.Remove })
	set("out", func() { cfg.Out = f.Out })
	set("shard", func() { cfg.Shard = f.Shard })
	set("partition", func() { cfg.Partition = f.Partition })
	return cfg, cleanup, nil
}

func runRun(ctx context.Context, opts *runOptions, stdout, stderr io.Writer) error {
	cfg, cleanup, err := opts.merged()
	defer cleanup()
	if err != nil {
		return err
	}
	job, err := cfg.Job()
	if err != nil {
		return err
	}
	job.InputNames = opts.inputNames
	lang, err := report.ParseLang(opts.lang)
	if err != nil {
		return fmt.Errorf("--lang: %w", err)
	}
	coverage.Version = version
	if opts.cpuProfile != "" {
		f, err := os.Create(opts.cpuProfile)
		if err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	p := newProgress(stderr, opts.quiet)
	start := time.Now()
	stage := p.stage
	if at := os.Getenv(envPauseAt); at != "" {
		stage = pauseAt(ctx, at, stderr, p.stage)
	}
	rep, err := coverage.Run(ctx, job, coverage.Hooks{Stage: stage, Cells: p.cells})
	p.finish()
	if err != nil {
		return err
	}
	if opts.report && !job.Shard.IsSet() {
		// The report reads the finished outputs, once they are in place.
		path := filepath.Join(job.Out, "report.html")
		if err := report.WriteFile(ctx, job.Out, path, report.Options{Lang: lang}); err != nil {
			return err
		}
		rep.Outputs = append(rep.Outputs, path)
	}
	if job.Shard.IsSet() {
		fmt.Fprintf(stdout, "vingt: shard %s: %d cells routed in %.1f s; merge the shards with vingt merge\n", job.Shard, rep.Manifest.Shard.Cells, time.Since(start).Seconds())
		for _, o := range rep.Outputs {
			fmt.Fprintf(stdout, "  %s\n", o)
		}
		return nil
	}
	printSummary(stdout, rep, time.Since(start))
	return nil
}

// printSummary writes the run's parameters, then per level (printLevels)
// the territories with the largest gaps, then the outputs.
func printSummary(w io.Writer, rep *coverage.Report, took time.Duration) {
	m := rep.Manifest
	threshold, _ := strconv.Atoi(m.Parameter("threshold_seconds"))
	fmt.Fprintf(w, "vingt %s: %s, window %s, threshold %s, basket: %s\n", m.Version, m.Date,
		m.Parameter("window"), coverage.FormatDuration(int32(threshold)), strings.Join(m.Categories, ", "))
	if h, ok := m.Counts["hours"].(map[string]any); ok && len(h) > 0 {
		var cats []string
		for c := range h {
			cats = append(cats, c)
		}
		slices.Sort(cats)
		fmt.Fprintf(w, "opening hours used for: %s (served = open on arrival, min_open %ss)\n", strings.Join(cats, ", "), m.Parameter("min_open_seconds"))
	}
	printLevels(w, rep.Levels, rep.Territories)
	printClosures(w, rep.Points)
	fmt.Fprintf(w, "cells: %v routed, %v walk only; %.1f s; outputs:\n", m.Counts["cells_routed"], m.Counts["cells_walk_only"], took.Seconds())
	for _, o := range rep.Outputs {
		fmt.Fprintf(w, "  %s\n", o)
	}
	if n := len(m.Warnings); n > 0 {
		kinds := "kinds"
		if n == 1 {
			kinds = "kind"
		}
		fmt.Fprintf(w, "input warnings (%d %s): see run.json\n", n, kinds)
	}
	for _, x := range m.Warnings {
		if x.Kind == coverage.FarKind && len(x.Examples) > 0 {
			fmt.Fprintf(w, "warning: %s: %d %s %s (e.g. %s)\n", x.Input, x.Count, plural(x.Count, "place", "places"), x.Kind, x.Examples[0])
		}
	}
}

// maxLevelRows is the number of territories, those with the largest gap
// population, that the summary shows per level.
const maxLevelRows = 10

// printLevels writes every level, coarsest first (the fewest territories)
// and finest last: its populated territories with the largest gap
// population (at most maxLevelRows, then how many more and their gap), and
// after the coarsest level the total over its territories.
func printLevels(w io.Writer, levels []string, terr []coverage.TerritoryStats) {
	count := map[string]int{}
	for _, t := range terr {
		count[t.Level]++
	}
	// Levels are given finest first: coarsest first is the reverse, then
	// by number of territories.
	order := slices.Clone(levels)
	slices.Reverse(order)
	sort.SliceStable(order, func(i, j int) bool { return count[order[i]] < count[order[j]] })
	for li, level := range order {
		var rows []coverage.TerritoryStats
		var total coverage.TerritoryStats
		for _, t := range terr {
			if t.Level == level && t.Population > 0 {
				rows = append(rows, t)
				total.Population += t.Population
				total.Served += t.Served
			}
		}
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].GapPopulation() > rows[j].GapPopulation() })
		if li > 0 {
			fmt.Fprintln(w)
		}
		shown := ""
		if len(rows) > maxLevelRows {
			shown = fmt.Sprintf(", the %d with the largest gap", maxLevelRows)
		}
		fmt.Fprintf(w, "%s: %d populated %s%s\n", level, len(rows), plural(len(rows), "territory", "territories"), shown)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "%s\tname\tpopulation\tcoverage\tgap population\n", level)
		var rest coverage.TerritoryStats
		for i, t := range rows {
			if i >= maxLevelRows {
				rest.Population += t.Population
				rest.Served += t.Served
				continue
			}
			fmt.Fprintf(tw, "%s\t%s\t%.0f\t%s\t%.0f\n", t.Code, t.Name, t.Population, coverageText(t), t.GapPopulation())
		}
		if n := len(rows) - maxLevelRows; n > 0 {
			fmt.Fprintf(tw, "… %d more\t\t%.0f\t%s\t%.0f\n", n, rest.Population, coverageText(rest), rest.GapPopulation())
		}
		if li == 0 {
			fmt.Fprintf(tw, "total\t(every %s)\t%.0f\t%s\t%.0f\n", level, total.Population, coverageText(total), total.GapPopulation())
		}
		tw.Flush()
	}
}

// printClosures writes, for a run with the impact of closures, the points
// whose closure alone would leave the most people without their category
// within the threshold (at most maxLevelRows, by population_sole, then
// category and input order), or that no single closure costs anyone.
func printClosures(w io.Writer, pts []coverage.PointImpact) {
	if pts == nil {
		return
	}
	var costly []coverage.PointImpact
	for _, p := range pts {
		if p.Sole > 0 {
			costly = append(costly, p)
		}
	}
	fmt.Fprintln(w)
	if len(costly) == 0 {
		fmt.Fprintf(w, "closures: no single closure of the %d points leaves anyone unserved\n", len(pts))
		return
	}
	sort.SliceStable(costly, func(i, j int) bool { return costly[i].Sole > costly[j].Sole })
	shown := ""
	if len(costly) > maxLevelRows {
		shown = fmt.Sprintf(", the %d costliest", maxLevelRows)
	}
	fmt.Fprintf(w, "closures: %d of the %d points would each, closed alone, leave people unserved%s\n", len(costly), len(pts), shown)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "category\tpoint_id\tname\t%s\t%s\n", output.PopulationSole, output.PopulationBasketLost)
	for _, p := range costly[:min(len(costly), maxLevelRows)] {
		name := p.Point.Name
		if name == "" {
			name = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.0f\t%.0f\n", p.Category, p.Point.ID, name, p.Sole, p.BasketLost)
	}
	tw.Flush()
}

// coverageText writes a coverage in percent, "-" without population.
func coverageText(t coverage.TerritoryStats) string {
	if t.Population == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f %%", 100*t.Coverage())
}

// plural returns one or many after n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// progress shows the run's stages and a bar with ETA on a terminal, or a
// plain line every few seconds otherwise.
type progress struct {
	mu       sync.Mutex
	w        io.Writer
	quiet    bool
	tty      bool
	start    time.Time
	last     time.Time
	drawn    bool
	interval time.Duration
}

func newProgress(w io.Writer, quiet bool) *progress {
	p := &progress{w: w, quiet: quiet, interval: 5 * time.Second}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.tty, p.interval = true, 100*time.Millisecond
	}
	return p
}

func (p *progress) stage(name string) {
	if p.quiet {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.endBar()
	p.start, p.last = time.Now(), time.Now()
	fmt.Fprintf(p.w, "vingt: %s\n", name)
}

func (p *progress) cells(done, total int) {
	if p.quiet {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if done < total && now.Sub(p.last) < p.interval {
		return
	}
	p.last = now
	el := now.Sub(p.start)
	eta := "?"
	if done > 0 {
		eta = (time.Duration(float64(el) * float64(total-done) / float64(done))).Round(time.Second).String()
	}
	pct := 100 * float64(done) / math.Max(1, float64(total))
	if p.tty {
		const width = 30
		n := int(pct / 100 * width)
		fmt.Fprintf(p.w, "\r[%s%s] %5.1f%% %d/%d cells, ETA %s ", strings.Repeat("#", n), strings.Repeat(" ", width-n), pct, done, total, eta)
		p.drawn = true
		return
	}
	fmt.Fprintf(p.w, "vingt: %d/%d cells (%.0f%%), ETA %s\n", done, total, pct, eta)
}

func (p *progress) endBar() {
	if p.drawn {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}

func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.endBar()
}

// envPauseAt, for tests only, names a stage (a prefix of its name, such
// as "compiling") at whose start vingt run pauses until it is signalled,
// so that a test can signal it in that stage.
const envPauseAt = "VINGT_TEST_PAUSE_AT"

// pauseAt wraps a stage hook: at the first stage whose name starts with
// at, it says so on w and waits for ctx to be done (a signal), at most a
// minute.
func pauseAt(ctx context.Context, at string, w io.Writer, next func(string)) func(string) {
	var once sync.Once
	return func(name string) {
		next(name)
		if !strings.HasPrefix(name, at) {
			return
		}
		once.Do(func() {
			fmt.Fprintf(w, "vingt: paused at %s (pid %d)\n", name, os.Getpid())
			select {
			case <-ctx.Done():
			case <-time.After(time.Minute):
			}
		})
	}
}
