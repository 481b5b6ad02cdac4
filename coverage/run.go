package coverage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/hours"
	"github.com/vingt/vingt/output"
	"github.com/vingt/vingt/router"
	"github.com/vingt/vingt/table"
)

// Job is a complete, resolved description of one run: every input and
// parameter. Relative paths are taken as they are (the command resolves
// them against the config file's directory).
type Job struct {
	GTFS []string
	Date gtfs.Date
	// Grid is the population grid and GridFormat its format ("" detects).
	Grid, GridFormat string
	// OSM, when set, is an OpenStreetMap extract: walking follows its
	// streets (places farther than LinkRadius metres from them walk
	// crow-fly × detour, counted in the manifest's warnings).
	OSM        string
	LinkRadius float64
	// Services are CATEGORY=PATH[#column][@hours] specifications, in basket order.
	Services []string
	// Basket, when set, is a basket file describing the categories, or
	// "default" (DefaultBasketName) for DefaultBasket.
	Basket string
	// BPE is an INSEE BPE file: the default basket's points, or a basket
	// file's bpe when that names none.
	BPE string
	// SchoolHolidays, when set, is a school-holiday calendar ("start,end"
	// ISO dates a line, hours.ParseSchoolHolidays): opening hours' SH
	// rules match its days; without it they never match.
	SchoolHolidays string
	// Territories are LEVEL=PATH specifications, finest level first.
	Territories []string
	Routing     router.Params
	Indicator   Params
	Format      table.Format
	// Impact also writes points.parquet: what closing each service point
	// alone would cost (measure 16), and records Config in the manifest
	// for Closures.
	Impact bool
	// Remove lists service points to leave out, each ID (in any category)
	// or CATEGORY:ID: the scenario of their closure.
	Remove []string
	Out    string
	// Partition, when set, is a territory level: cells are written as a
	// Hive-partitioned GeoParquet dataset, folder cells/ with one
	// LEVEL=CODE/part-0.parquet per territory (see writePartitioned).
	Partition string
	// Shard, when set, routes only that part of the cells and writes a
	// shard folder for Merge instead of the whole outputs.
	Shard Shard
	// Config is the config the job was resolved from, if any, with
	// absolute paths; a shard records it for Merge.
	Config *Config
	// AllowEmptyFeed lets the run go on when no trip of a feed runs on
	// Date (the feed then adds nothing); otherwise such a run fails.
	AllowEmptyFeed bool
	// InputNames, when set, maps input paths to the names the manifest
	// records instead (the embedded example's files, extracted into a
	// temporary folder that is gone after the run).
	InputNames map[string]string
}

// Hooks receive the run's progress. Any of them may be nil.
type Hooks struct {
	// Stage is called when a stage starts.
	Stage func(name string)
	// Cells is called, from the routing workers, with the number of cells
	// done out of total.
	Cells func(done, total int)
}

// Report is what a successful run produced.
type Report struct {
	Manifest    *Manifest
	Levels      []string
	Territories []TerritoryStats
	Outputs     []string
	// Points are, for a run with the impact of closures, the rows of
	// points.parquet; nil otherwise.
	Points []PointImpact
}

// Manifest is run.json (the schema lives in package output).
type Manifest = output.Manifest

// Version is the engine version written into manifests.
var Version = "dev"

// Run executes the job: loads every input, compiles the timetable, routes
// every populated cell, aggregates per territory and writes cells,
// territories and run.json into job.Out. The files are first written into
// a staging folder and moved into place only once all are complete, so a
// failed or killed run leaves the previous outputs as they were.
func Run(ctx context.Context, job Job, hooks Hooks) (*Report, error) {
	var interrupted error
	stage := func(name string) {
		// The hook first: a signal received while it runs (or while
		// the stage before ran) stops the run before the stage.
		if hooks.Stage != nil {
			hooks.Stage(name)
		}
		if interrupted == nil && ctx.Err() != nil {
			interrupted = fmt.Errorf("coverage: interrupted before %s: %w", name, context.Cause(ctx))
		}
	}
	m := &Manifest{
		Tool: "vingt", Version: Version, Started: time.Now().UTC().Format(time.RFC3339),
		Date: job.Date.String(), Counts: map[string]any{},
		Machine: map[string]any{"go": runtime.Version(), "os": runtime.GOOS, "arch": runtime.GOARCH, "cpus": runtime.NumCPU()},
	}
	m.Parameters = parameters(job)
	if err := recordConfig(m, job); err != nil {
		return nil, err
	}
	last := time.Now()
	lap := func(name string) {
		now := time.Now()
		m.Timings = append(m.Timings, output.Timing{Stage: name, Seconds: now.Sub(last).Seconds()})
		last = now
	}
	if err := job.Routing.Validate(); err != nil {
		return nil, err
	}
	if err := job.Indicator.Validate(); err != nil {
		return nil, err
	}
	if len(job.GTFS) == 0 {
		return nil, fmt.Errorf("coverage: no GTFS feed: give at least one")
	}
	if err := checkPartition(job); err != nil {
		return nil, err
	}
	if job.Grid == "" {
		return nil, fmt.Errorf("coverage: no population grid")
	}
	// The output folder is checked and locked before any work, so that a
	// run that could not write its outputs fails at once.
	lock, err := lockOut(job.Out)
	if err != nil {
		return nil, err
	}
	defer lock.release()
	if err := checkOut(job.Out); err != nil {
		return nil, err
	}

	// Feeds and timetable.
	stage("reading GTFS")
	if interrupted != nil {
		return nil, interrupted
	}
	var feeds []*gtfs.Feed
	for _, p := range job.GTFS {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("coverage: interrupted while reading GTFS: %w", err)
		}
		f, err := gtfs.OpenContext(ctx, p)
		if err != nil {
			return nil, err
		}
		if !f.RunsOn(job.Date) {
			msg := fmt.Sprintf("no trip runs on %s (%s)", job.Date, serviceDates(f))
			if !job.AllowEmptyFeed {
				return nil, fmt.Errorf("coverage: feed %s (%s): %s", f.Name, p, msg)
			}
			f.Warnings.Add("no trip runs on the date", msg)
		}
		feeds = append(feeds, f)
		// A zip is hashed while it was read; a folder's files are
		// hashed here.
		in := output.Input{Role: "gtfs", Path: p, Bytes: f.Bytes, SHA256: f.SHA256}
		if f.SHA256 == "" {
			if in, err = describe("gtfs", p); err != nil {
				return nil, err
			}
		}
		in.Counts = map[string]int{"stops": len(f.Stops), "routes": len(f.Routes), "trips": len(f.Trips), "stop_times": f.StopTimes.Len()}
		m.Inputs = append(m.Inputs, in)
		addWarnings(m, in.Role+":"+f.Name, f.Warnings)
	}
	lap("read_gtfs")
	var cats []*Category
	if job.OSM != "" {
		// The graph keeps the components the stops and service points
		// link to, so the points are read first.
		stage("reading service points")
		if cats, err = readCategories(job, m); err != nil {
			return nil, err
		}
		lap("read_services")
		stage("reading the street network")
		if job.Routing.Walker, err = loadStreets(ctx, job, feeds, cats, m); err != nil {
			return nil, err
		}
		m.Parameters["walker"] = job.Routing.Walker.Describe()
		lap("read_osm")
	}
	stage("compiling the timetable")
	if interrupted != nil {
		return nil, interrupted
	}
	// The compilation looks at ctx itself and stops: nothing is left
	// running in the background.
	tt, err := router.CompileContext(ctx, feeds, job.Date, job.Routing)
	if err != nil && ctx.Err() != nil {
		return nil, fmt.Errorf("coverage: interrupted while compiling the timetable: %w", context.Cause(ctx))
	}
	if err != nil {
		return nil, err
	}
	m.Counts["timetable"] = tt.Stats()
	addWarnings(m, "timetable", tt.Warnings())
	// The far places are asked after routing, of the stops' box.
	ext, hasStops := gtfs.StopsExtent(feeds...)
	lap("compile")

	grid, cats, levels, err := loadInputs(ctx, job, m, cats, stage, lap)
	if err == nil && interrupted != nil {
		err = interrupted
	}
	if err != nil {
		return nil, err
	}
	// Reading the territories leaves their GeoJSON as garbage: hand it
	// back before locating the cells, whose GEOS points add to it.
	if largeRun(len(grid.Cells)) {
		debug.FreeOSMemory()
	}
	// The cells are located in the territories once, before routing:
	// the far-places check and the aggregation share it.
	terr, outside, err := locateCells(ctx, grid.Cells, levels)
	if err != nil {
		return nil, err
	}
	for i, in := range m.Inputs {
		if name, ok := job.InputNames[in.Path]; ok {
			m.Inputs[i].Path = name
		}
	}
	// Reading and locating a large grid leave garbage (CSV rows, the
	// territories' GeoJSON, GEOS geometries freed by Go cleanups into the
	// C allocator): hand both back before routing. A small run would only
	// fault the pages in again.
	if largeRun(len(grid.Cells)) {
		freeMemory()
	}

	// Routing.
	cells, idx := grid.Cells, []int(nil)
	if job.Shard.IsSet() {
		idx = ShardCells(grid.Cells, job.Shard)
		cells = make([]Cell, len(idx))
		for i, c := range idx {
			cells[i] = grid.Cells[c]
		}
	}
	stage(fmt.Sprintf("routing %d cells × %d departures", len(cells), job.Indicator.Minutes()))
	if interrupted != nil {
		return nil, interrupted
	}
	total := len(cells)
	var progress func(int)
	if hooks.Cells != nil {
		progress = func(done int) { hooks.Cells(done, total) }
	}
	analyze := Analyze
	if job.Impact {
		analyze = AnalyzeImpact
	}
	ip := job.Indicator
	ip.Date = HoursDate(job.Date)
	if job.SchoolHolidays != "" {
		cal, err := readSchoolHolidays(job.SchoolHolidays)
		if err != nil {
			return nil, err
		}
		ip.Holidays = cal
		in, err := describe("school_holidays", job.SchoolHolidays)
		if err != nil {
			return nil, err
		}
		m.Inputs = append(m.Inputs, in)
	}
	hoursCounts(m, cats, ip)
	res, err := analyze(ctx, tt, cells, cats, ip, progress)
	if err != nil {
		return nil, err
	}
	// The far places are asked after routing, which found most cells a
	// stop within MaxWalk: those are not asked again.
	routed := res.Routed
	if idx != nil {
		routed = make([]bool, len(grid.Cells))
		for i, c := range idx {
			routed[c] = res.Routed[i]
		}
	}
	if hasStops {
		warnFarPlaces(m, tt, ext, grid, terr, routed, cats, levels)
	}
	lap("route")
	if job.Shard.IsSet() {
		res.Territory = make([][]int32, len(terr))
		for l := range terr {
			res.Territory[l] = make([]int32, len(idx))
			for i, c := range idx {
				res.Territory[l][i] = terr[l][c]
			}
		}
		stage("writing the shard")
		outputs, err := writeShard(job, m, res, cells, idx, levels, lap)
		if err != nil {
			return nil, err
		}
		return &Report{Manifest: m, Levels: m.Levels, Outputs: outputs}, nil
	}
	res.Territory = terr
	return finish(ctx, job, m, res, cells, cats, levels, outside, stage, lap)
}

// loadInputs reads the grid, the service points and the territories,
// recording them in the manifest.
// Service points already read (cats, to link them to the streets) are
// not read again.
func loadInputs(ctx context.Context, job Job, m *Manifest, cats []*Category, stage, lap func(string)) (*Grid, []*Category, []*Level, error) {
	// Grid, services, territories.
	stage("reading the grid")
	if ctx.Err() != nil {
		return nil, nil, nil, fmt.Errorf("coverage: interrupted: %w", context.Cause(ctx))
	}
	grid, err := cancellable(ctx, "reading the grid", func() (*Grid, error) { return ReadGrid(job.Grid, job.GridFormat) })
	if err != nil {
		return nil, nil, nil, err
	}
	in, err := describe("grid", job.Grid)
	if err != nil {
		return nil, nil, nil, err
	}
	in.Counts = map[string]int{"cells": len(grid.Cells), "cells_skipped_empty": grid.SkippedEmpty}
	m.Inputs = append(m.Inputs, in)
	addWarnings(m, "grid", grid.Warnings)
	// Reading a large grid leaves about twice the cells' memory as
	// garbage (CSV rows, the id map): hand it back before the services
	// and territories are read.
	if largeRun(len(grid.Cells)) {
		debug.FreeOSMemory()
	}
	lap("read_grid")

	if cats == nil {
		stage("reading service points")
		if ctx.Err() != nil {
			return nil, nil, nil, fmt.Errorf("coverage: interrupted: %w", context.Cause(ctx))
		}
		if cats, err = readCategories(job, m); err != nil {
			return nil, nil, nil, err
		}
		lap("read_services")
	}

	stage("reading territories")
	if ctx.Err() != nil {
		return nil, nil, nil, fmt.Errorf("coverage: interrupted: %w", context.Cause(ctx))
	}
	var levels []*Level
	for _, spec := range job.Territories {
		if err := ctx.Err(); err != nil {
			return nil, nil, nil, fmt.Errorf("coverage: interrupted while reading territories: %w", err)
		}
		name, path, ok := strings.Cut(spec, "=")
		if !ok {
			return nil, nil, nil, fmt.Errorf("coverage: territories %q: want LEVEL=PATH", spec)
		}
		if err := output.CheckName("level", name); err != nil {
			return nil, nil, nil, err
		}
		if slices.ContainsFunc(levels, func(l *Level) bool { return l.Name == name }) {
			return nil, nil, nil, fmt.Errorf("coverage: territory level %q given twice", name)
		}
		lv, err := cancellable(ctx, "reading territories", func() (*Level, error) { return ReadLevel(name, path, "", "") })
		if err != nil {
			return nil, nil, nil, err
		}
		levels = append(levels, lv)
		in, err := describe("territories:"+name, path)
		if err != nil {
			return nil, nil, nil, err
		}
		in.Counts = map[string]int{"territories": len(lv.Territories)}
		m.Inputs = append(m.Inputs, in)
		addWarnings(m, in.Role, lv.Warnings)
	}
	lap("read_territories")
	for _, c := range cats {
		m.Categories = append(m.Categories, c.Name)
	}
	for _, lv := range levels {
		m.Levels = append(m.Levels, lv.Name)
	}

	return grid, cats, levels, nil
}

// countCells records in the manifest how many cells were routed and how
// many reached services on foot only.
func countCells(m *Manifest, res *Results) {
	routed := 0
	for _, r := range res.Routed {
		if r {
			routed++
		}
	}
	m.Counts["cells"] = len(res.Routed)
	m.Counts["cells_routed"] = routed
	m.Counts["cells_walk_only"] = len(res.Routed) - routed
}

// finish aggregates the cells' results per territory and writes the
// outputs. When res.Territory is set, the cells are located already and
// outside counts, per level, those outside every territory (locateCells);
// else they are located here.
func finish(ctx context.Context, job Job, m *Manifest, res *Results, cells []Cell, cats []*Category, levels []*Level, outside []int, stage, lap func(string)) (*Report, error) {
	countCells(m, res)
	stage("aggregating per territory")
	if ctx.Err() != nil {
		return nil, fmt.Errorf("coverage: interrupted before aggregating: %w", context.Cause(ctx))
	}
	if res.Territory == nil {
		var err error
		if outside, err = AssignContext(ctx, res, cells, levels); err != nil {
			return nil, err
		}
	}
	for _, lv := range levels {
		addWarnings(m, "territories:"+lv.Name, lv.OverlapWarnings())
	}
	cellsOutside := map[string]int{}
	pointsOutside := map[string]map[string]int{}
	for l, lv := range levels {
		cellsOutside[lv.Name] = outside[l]
		for _, c := range cats {
			n := 0
			for _, p := range c.Points {
				if lv.Locate(p.Lon, p.Lat) < 0 {
					n++
				}
			}
			if pointsOutside[c.Name] == nil {
				pointsOutside[c.Name] = map[string]int{}
			}
			pointsOutside[c.Name][lv.Name] = n
		}
	}
	m.Counts["cells_outside"] = cellsOutside
	m.Counts["points_outside"] = pointsOutside
	stats, err := Aggregate(res, cells, levels)
	if err != nil {
		return nil, err
	}
	lap("aggregate")
	// What reading and aggregating left (CSV rows, GEOS geometries held
	// until their cleanups run, and their pages in the C allocator; a
	// merge locates its cells here) is freed before the outputs are
	// built, so that it does not add to their peak.
	if largeRun(len(cells)) {
		freeMemory()
	}

	stage("writing outputs")
	if ctx.Err() != nil {
		return nil, fmt.Errorf("coverage: interrupted before writing the outputs: %w", context.Cause(ctx))
	}
	// The points' opening hours, for the categories with an hours column
	// (a merge reads them again, and the calendar, from the job).
	ip := job.Indicator
	ip.Date = HoursDate(job.Date)
	if job.SchoolHolidays != "" && slices.ContainsFunc(cats, func(c *Category) bool { return c.HoursColumn != "" }) {
		if ip.Holidays, err = readSchoolHolidays(job.SchoolHolidays); err != nil {
			return nil, err
		}
	}
	var pts []PointImpact
	var hoursPts *table.Table
	if job.Impact {
		pts = PointImpacts(res, cells, cats, levels, stats)
		SetPointHours(pts, cats, ip)
	} else {
		hoursPts = PointsHoursTable(cats, ip)
	}
	outputs, err := writeOutputs(ctx, job, m, res, cells, hoursPts, levels, stats, pts, lap)
	if err != nil {
		return nil, err
	}
	return &Report{Manifest: m, Levels: m.Levels, Territories: stats, Outputs: outputs, Points: pts}, nil
}

// recordConfig records in m, for a run with the impact of closures, the
// resolved configuration that Closures runs again (with the points the
// run removed).
func recordConfig(m *Manifest, job Job) error {
	if !job.Impact || job.Config == nil {
		return nil
	}
	cfg := *job.Config
	cfg.Remove = job.Remove
	b, err := json.Marshal(&cfg)
	if err != nil {
		return fmt.Errorf("coverage: recording the config: %w", err)
	}
	m.Config = b
	return nil
}

// cancellable runs fn and returns what it returns, or, when ctx is done
// first, an interruption naming the stage at once: fn (which cannot be
// stopped half-way) is left to finish in the background, its result
// dropped, while the command removes its staging folder and exits.
func cancellable[T any](ctx context.Context, stage string, fn func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := fn()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, fmt.Errorf("coverage: interrupted while %s: %w", stage, context.Cause(ctx))
	}
}

// serviceDates describes the dates on which a feed's trips run.
func serviceDates(f *gtfs.Feed) string {
	lo, hi, ok := f.ServiceDates()
	if !ok {
		return "its trips have no service date"
	}
	return fmt.Sprintf("its service dates run from %s to %s", lo, hi)
}

// readCategories reads the service points of every category of the basket.
func readCategories(job Job, m *Manifest) ([]*Category, error) {
	var cats []*Category
	add := func(c *Category) error {
		if err := output.CheckName("category", c.Name); err != nil {
			return err
		}
		if slices.ContainsFunc(cats, func(x *Category) bool { return x.Name == c.Name }) {
			return fmt.Errorf("coverage: service category %q given twice", c.Name)
		}
		cats = append(cats, c)
		in, err := describe("services:"+c.Name, c.Path)
		if err != nil {
			return err
		}
		in.Counts = map[string]int{"points": len(c.Points)}
		if c.HoursColumn != "" {
			in.Counts["points_with_hours"] = c.WithHours()
		}
		m.Inputs = append(m.Inputs, in)
		addWarnings(m, in.Role, c.Warnings)
		return nil
	}
	for _, spec := range splitSources(job.Services) {
		c, err := ReadServices(spec)
		if err != nil {
			return nil, err
		}
		// A category given again (--services a=x.csv --services
		// a=y.csv, or a=x.csv,y.csv) has several sources: their points
		// add up, each source recorded as an input.
		if i := slices.IndexFunc(cats, func(x *Category) bool { return x.Name == c.Name }); i >= 0 {
			prev := cats[i]
			if prev.HoursColumn != c.HoursColumn {
				return nil, fmt.Errorf("coverage: services %q: category %s given again with another hours column (%q, then %q)", spec, c.Name, prev.HoursColumn, c.HoursColumn)
			}
			prev.Points = append(prev.Points, c.Points...)
			in, err := describe("services:"+c.Name, c.Path)
			if err != nil {
				return nil, err
			}
			in.Counts = map[string]int{"points": len(c.Points)}
			m.Inputs = append(m.Inputs, in)
			addWarnings(m, in.Role, c.Warnings)
			continue
		}
		if err := add(c); err != nil {
			return nil, err
		}
	}
	if job.Basket != "" {
		var b *Basket
		if job.Basket == DefaultBasketName {
			b = DefaultBasket()
			if job.BPE == "" {
				return nil, fmt.Errorf("coverage: the default basket is read from an INSEE BPE file: none given")
			}
		} else {
			var err error
			if b, err = ReadBasket(job.Basket); err != nil {
				return nil, err
			}
		}
		if job.BPE != "" {
			b.BPE = job.BPE
		}
		bc, err := b.Load()
		if err != nil {
			return nil, err
		}
		for _, c := range bc {
			if err := add(c); err != nil {
				return nil, err
			}
		}
	}
	if len(cats) == 0 {
		return nil, fmt.Errorf("coverage: %w: set services (CATEGORY=PATH) or a basket", ErrNoCategory)
	}
	if err := RemovePoints(cats, job.Remove); err != nil {
		return nil, err
	}
	return cats, nil
}

// splitSources splits the specs CATEGORY=A,B (several sources of one
// category, comma-separated) into CATEGORY=A and CATEGORY=B, unless the
// whole text names a file (a path may hold a comma) or a part names
// none (the spec is then kept whole, for its message).
func splitSources(specs []string) []string {
	var out []string
	for _, spec := range specs {
		name, path, ok := strings.Cut(spec, "=")
		if !ok || !strings.Contains(path, ",") {
			out = append(out, spec)
			continue
		}
		if p, _ := splitColumn(path); fileExists(p) {
			out = append(out, spec)
			continue
		}
		parts := strings.Split(path, ",")
		all := true
		for _, part := range parts {
			p, _ := splitColumn(strings.TrimSpace(part))
			if i := strings.LastIndexByte(p, '@'); i >= 0 && !fileExists(p) {
				p = p[:i]
			}
			all = all && fileExists(p)
		}
		if !all {
			out = append(out, spec)
			continue
		}
		for _, part := range parts {
			out = append(out, name+"="+strings.TrimSpace(part))
		}
	}
	return out
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// RemovePoints leaves out of the categories the points named by ids, each
// ID (every point of that id, in any category) or CATEGORY:ID. An id that
// names no point is an error.
func RemovePoints(cats []*Category, ids []string) error {
	for _, spec := range ids {
		cat, id := "", spec
		if c, rest, ok := strings.Cut(spec, ":"); ok && slices.ContainsFunc(cats, func(x *Category) bool { return x.Name == c }) {
			cat, id = c, rest
		}
		n := 0
		for _, c := range cats {
			if cat != "" && c.Name != cat {
				continue
			}
			kept := c.Points[:0:0]
			for _, p := range c.Points {
				if p.ID == id {
					n++
					continue
				}
				kept = append(kept, p)
			}
			c.Points = kept
		}
		if n == 0 {
			return fmt.Errorf("coverage: remove %q: no such service point", spec)
		}
	}
	return nil
}

// GeoPackageFile is the GeoPackage that --format gpkg writes beside the
// GeoParquet files.
const GeoPackageFile = "vingt.gpkg"

// writeOutputs writes cells, territories (points with the impact) and
// run.json into a staging folder beside job.Out, then puts it in the place
// of job.Out as one unit: outputs of an earlier run (of either format) go
// with the folder.
func writeOutputs(ctx context.Context, job Job, m *Manifest, res *Results, cells []Cell, hoursPts *table.Table, levels []*Level, stats []TerritoryStats, pts []PointImpact, lap func(string)) ([]string, error) {
	staging, err := newStaging(job.Out)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(staging)
	// Writing makes garbage at a high rate (each row group's columns,
	// Arrow buffers, WKB, compression) over a heap that no longer grows:
	// collecting it sooner keeps a large run's peak at that of routing.
	if largeRun(len(cells)) {
		if old := debug.SetGCPercent(writeGCPercent); old >= 0 && old < writeGCPercent {
			debug.SetGCPercent(old)
		} else {
			defer debug.SetGCPercent(old)
		}
	}
	ext := ".parquet"
	if job.Format == table.Arrow {
		ext = ".arrow"
	}
	names := []string{output.Cells + ext, output.Territories + ext, output.ManifestFile}
	if l := slices.IndexFunc(levels, func(lv *Level) bool { return lv.Name == job.Partition }); job.Partition != "" && l >= 0 {
		parts, err := writePartitioned(filepath.Join(staging, output.Cells), res, cells, levels, l)
		if err != nil {
			return nil, err
		}
		names = append(parts, names[1:]...)
	} else if err := WriteCells(filepath.Join(staging, names[0]), job.Format, res, cells, levels); err != nil {
		return nil, err
	}
	// The territories table is encoded whole (its polygons and traced
	// gaps, tens of MB of WKB): the cells' garbage goes back first.
	if largeRun(len(cells)) {
		debug.FreeOSMemory()
	}
	if err := table.Write(filepath.Join(staging, output.Territories+ext), job.Format, TerritoriesTable(stats, res.Categories)); err != nil {
		return nil, err
	}
	if job.Impact {
		n := output.Points + ext
		if err := table.Write(filepath.Join(staging, n), job.Format, PointsTable(pts, levels)); err != nil {
			return nil, err
		}
		names = append(names, n)
	} else if hoursPts != nil {
		n := output.Points + ext
		if err := table.Write(filepath.Join(staging, n), job.Format, hoursPts); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	if job.Format == table.GeoPackage {
		ct, err := CellsTable(res, cells, levels)
		if err != nil {
			return nil, err
		}
		layers := []table.Layer{{Name: output.Cells, Table: ct}, {Name: output.Territories, Table: TerritoriesTable(stats, res.Categories)}}
		if job.Impact {
			layers = append(layers, table.Layer{Name: output.Points, Table: PointsTable(pts, levels)})
		}
		if err := table.WriteGeoPackage(filepath.Join(staging, GeoPackageFile), layers); err != nil {
			return nil, err
		}
		names = append(names, GeoPackageFile)
	}
	m.Outputs = names
	lap("write")
	err = table.WriteFileAtomic(filepath.Join(staging, output.ManifestFile), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(m)
	})
	if err != nil {
		return nil, err
	}
	// A run interrupted now keeps the previous outputs.
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("coverage: interrupted before moving the outputs into place: %w", err)
	}
	if err := replaceDir(staging, job.Out); err != nil {
		return nil, err
	}
	var out []string
	for _, n := range names {
		out = append(out, filepath.Join(job.Out, n))
	}
	return out, nil
}

// writeGCPercent is the GOGC of the write stage of a large run (unless
// GOGC is lower).
const writeGCPercent = 25

// largeRun reports whether a run of n cells is large enough for its peak
// memory to be worth forced collections between the stages (the national
// 1 km grid: 373,122 cells): on a small run they cost CPU (a third of the
// embedded example's collections) and save a few MB.
func largeRun(n int) bool { return n > 1<<16 }

// describe returns an input's role, path, size and SHA-256; a folder (a
// GTFS feed) is hashed as its files' names and contents in name order,
// files reached through a symbolic link included. path is the file's
// path as read (without a services #column).
func describe(role, path string) (output.Input, error) {
	in := output.Input{Role: role, Path: path}
	h := sha256.New()
	hashFile := func(p string) error {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		n, err := io.Copy(h, f)
		in.Bytes += n
		return err
	}
	st, err := os.Stat(path)
	if err != nil {
		return in, fmt.Errorf("coverage: %s: %w", role, err)
	}
	if st.IsDir() {
		entries, err := os.ReadDir(path)
		if err != nil {
			return in, fmt.Errorf("coverage: %s: %w", role, err)
		}
		for _, e := range entries { // ReadDir sorts by name
			// Stat follows links: a linked stop_times.txt is read, so
			// it is hashed.
			if st, serr := os.Stat(filepath.Join(path, e.Name())); serr == nil && st.Mode().IsRegular() {
				fmt.Fprintf(h, "%s\x00", e.Name())
				err = hashFile(filepath.Join(path, e.Name()))
			}
			if err != nil {
				break
			}
		}
	} else if r := lookupInput(path); r != nil && r.sum != nil {
		// Hashed while it was read: what was read is what is recorded
		// (a pipe cannot be read twice).
		in.Bytes, in.SHA256 = r.bytes, hex.EncodeToString(r.sum)
		return in, nil
	} else {
		err = hashFile(path)
	}
	if err != nil {
		return in, fmt.Errorf("coverage: %s: %s: %w", role, path, err)
	}
	in.SHA256 = hex.EncodeToString(h.Sum(nil))
	return in, nil
}

// addWarnings records the warnings of one input in the manifest.
func addWarnings(m *Manifest, input string, w gtfs.Warnings) {
	for _, x := range w.List {
		m.Warnings = append(m.Warnings, output.Warning{Input: input, Kind: x.Kind, Count: x.Count, Examples: x.Examples})
	}
}

// parameters lists every parameter of the run, under stable names.
func parameters(job Job) map[string]any {
	m := map[string]any{
		"date":        job.Date.String(),
		"format":      job.Format.String(),
		"grid_format": job.GridFormat,
		"walker":      job.Routing.Walk().Describe(),
	}
	if job.AllowEmptyFeed {
		m["allow_empty_feed"] = true
	}
	if job.Partition != "" {
		m["partition"] = job.Partition
	}
	s := Settings{Routing: job.Routing, Indicator: job.Indicator, LinkRadius: job.LinkRadius}
	s.Manifest(m)
	if len(job.Remove) > 0 {
		m["remove"] = strings.Join(job.Remove, ",")
	}
	if job.Impact {
		m["impact"] = true
	}
	return m
}

// HoursDate returns the date of opening hours of a timetable date.
func HoursDate(d gtfs.Date) hours.Date {
	return hours.Date{Year: int(d) / 10000, Month: time.Month(int(d) / 100 % 100), Day: int(d) % 100}
}

// hoursCounts records in run.json, per category with an hours column, the
// points with hours and those open at some time of the departure window
// (a traveller arriving in [From, To) can be served there at once).
func hoursCounts(m *Manifest, cats []*Category, p Params) {
	h := map[string]any{}
	for _, c := range cats {
		if c.HoursColumn == "" {
			continue
		}
		open := 0
		for i := range c.Points {
			if c.Points[i].Hours == nil || c.Points[i].Hours.Windows(p.Date, p.MinOpen, p.Holidays).OpenDuring(p.From, p.To) {
				open++
			}
		}
		e := map[string]any{"points": len(c.Points), "points_with_hours": c.WithHours(), "points_open_in_window": open, "hours_column": c.HoursColumn}
		h[c.Name] = e
	}
	if len(h) > 0 {
		m.Counts["hours"] = h
	}
}

// readSchoolHolidays reads the school-holiday calendar of --school-holidays.
func readSchoolHolidays(path string) (*hours.Calendar, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("coverage: school holidays: %w", err)
	}
	defer f.Close()
	cal, err := hours.ParseSchoolHolidays(f)
	if err != nil {
		return nil, fmt.Errorf("coverage: school holidays %s: %w", path, err)
	}
	return cal, nil
}
