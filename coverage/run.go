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
	// Services are CATEGORY=PATH[#column] specifications, in basket order.
	Services []string
	// Basket, when set, is a basket file describing the categories.
	Basket string
	// Territories are LEVEL=PATH specifications, finest level first.
	Territories []string
	Routing     router.Params
	Indicator   Params
	Format      table.Format
	Out         string
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
	stage := func(string) {}
	if hooks.Stage != nil {
		stage = hooks.Stage
	}
	m := &Manifest{
		Tool: "vingt", Version: Version, Started: time.Now().UTC().Format(time.RFC3339),
		Date: job.Date.String(), Counts: map[string]any{},
		Machine: map[string]any{"go": runtime.Version(), "os": runtime.GOOS, "arch": runtime.GOARCH, "cpus": runtime.NumCPU()},
	}
	m.Parameters = parameters(job)
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
	if job.Grid == "" {
		return nil, fmt.Errorf("coverage: no population grid")
	}

	// Feeds and timetable.
	stage("reading GTFS")
	var feeds []*gtfs.Feed
	for _, p := range job.GTFS {
		f, err := gtfs.Open(p)
		if err != nil {
			return nil, err
		}
		feeds = append(feeds, f)
		in, err := describe("gtfs", p)
		if err != nil {
			return nil, err
		}
		in.Counts = map[string]int{"stops": len(f.Stops), "routes": len(f.Routes), "trips": len(f.Trips), "stop_times": f.StopTimes.Len()}
		m.Inputs = append(m.Inputs, in)
		addWarnings(m, in.Role+":"+f.Name, f.Warnings)
	}
	lap("read_gtfs")
	var cats []*Category
	var err error
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
	tt, err := router.Compile(feeds, job.Date, job.Routing)
	if err != nil {
		return nil, err
	}
	m.Counts["timetable"] = tt.Stats()
	addWarnings(m, "timetable", tt.Warnings())
	lap("compile")

	// Grid, services, territories.
	stage("reading the grid")
	grid, err := ReadGrid(job.Grid, job.GridFormat)
	if err != nil {
		return nil, err
	}
	in, err := describe("grid", job.Grid)
	if err != nil {
		return nil, err
	}
	in.Counts = map[string]int{"cells": len(grid.Cells), "cells_skipped_empty": grid.SkippedEmpty}
	m.Inputs = append(m.Inputs, in)
	addWarnings(m, "grid", grid.Warnings)
	lap("read_grid")

	if job.OSM == "" {
		stage("reading service points")
		if cats, err = readCategories(job, m); err != nil {
			return nil, err
		}
		lap("read_services")
	}

	stage("reading territories")
	var levels []*Level
	for _, spec := range job.Territories {
		name, path, ok := strings.Cut(spec, "=")
		if !ok {
			return nil, fmt.Errorf("coverage: territories %q: want LEVEL=PATH", spec)
		}
		if err := output.CheckName("level", name); err != nil {
			return nil, err
		}
		if slices.ContainsFunc(levels, func(l *Level) bool { return l.Name == name }) {
			return nil, fmt.Errorf("coverage: territory level %q given twice", name)
		}
		lv, err := ReadLevel(name, path, "", "")
		if err != nil {
			return nil, err
		}
		levels = append(levels, lv)
		in, err := describe("territories:"+name, path)
		if err != nil {
			return nil, err
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

	// Routing.
	stage(fmt.Sprintf("routing %d cells × %d departures", len(grid.Cells), job.Indicator.Minutes()))
	total := len(grid.Cells)
	var progress func(int)
	if hooks.Cells != nil {
		progress = func(done int) { hooks.Cells(done, total) }
	}
	res, err := Analyze(ctx, tt, grid.Cells, cats, job.Indicator, progress)
	if err != nil {
		return nil, err
	}
	routed := 0
	for _, r := range res.Routed {
		if r {
			routed++
		}
	}
	m.Counts["cells"] = len(grid.Cells)
	m.Counts["cells_routed"] = routed
	m.Counts["cells_walk_only"] = len(grid.Cells) - routed
	lap("route")

	stage("aggregating per territory")
	outside := Assign(res, grid.Cells, levels)
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
	stats, err := Aggregate(res, grid.Cells, levels)
	if err != nil {
		return nil, err
	}
	lap("aggregate")
	// What reading and aggregating left (CSV rows, GEOS geometries held
	// until their cleanups run) is freed before the outputs are built,
	// so that it does not add to their peak.
	debug.FreeOSMemory()

	stage("writing outputs")
	outputs, err := writeOutputs(job, m, res, grid.Cells, levels, stats, lap)
	if err != nil {
		return nil, err
	}
	return &Report{Manifest: m, Levels: m.Levels, Territories: stats, Outputs: outputs}, nil
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
		m.Inputs = append(m.Inputs, in)
		addWarnings(m, in.Role, c.Warnings)
		return nil
	}
	for _, spec := range job.Services {
		c, err := ReadServices(spec)
		if err != nil {
			return nil, err
		}
		if err := add(c); err != nil {
			return nil, err
		}
	}
	if job.Basket != "" {
		b, err := ReadBasket(job.Basket)
		if err != nil {
			return nil, err
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
		return nil, fmt.Errorf("coverage: no service category: give --services CATEGORY=PATH or a basket")
	}
	return cats, nil
}

// writeOutputs writes cells, territories and run.json into a staging
// folder inside job.Out, then moves them into place.
func writeOutputs(job Job, m *Manifest, res *Results, cells []Cell, levels []*Level, stats []TerritoryStats, lap func(string)) ([]string, error) {
	if err := os.MkdirAll(job.Out, 0o755); err != nil {
		return nil, fmt.Errorf("coverage: output folder: %w", err)
	}
	removeStale(job.Out)
	staging, err := os.MkdirTemp(job.Out, stagingPrefix)
	if err != nil {
		return nil, fmt.Errorf("coverage: output folder: %w", err)
	}
	defer os.RemoveAll(staging)
	ext := ".parquet"
	if job.Format == table.Arrow {
		ext = ".arrow"
	}
	names := []string{output.Cells + ext, output.Territories + ext, output.ManifestFile}
	if err := table.Write(filepath.Join(staging, names[0]), job.Format, CellsTable(res, cells, levels)); err != nil {
		return nil, err
	}
	if err := table.Write(filepath.Join(staging, names[1]), job.Format, TerritoriesTable(stats, res.Categories)); err != nil {
		return nil, err
	}
	m.Outputs = names
	lap("write")
	err = table.WriteFileAtomic(filepath.Join(staging, names[2]), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(m)
	})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, n := range names {
		dst := filepath.Join(job.Out, n)
		if err := os.Rename(filepath.Join(staging, n), dst); err != nil {
			return nil, fmt.Errorf("coverage: moving %s into place: %w", n, err)
		}
		out = append(out, dst)
	}
	return out, nil
}

// stagingPrefix names the folders in which outputs are written before
// being moved into place.
const stagingPrefix = ".vingt-staging-"

// removeStale removes staging folders left by runs that were killed.
func removeStale(dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), stagingPrefix) {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}

// describe returns an input's role, path, size and SHA-256; a folder (a
// GTFS feed) is hashed as its files' names and contents in name order.
func describe(role, path string) (output.Input, error) {
	path, _, _ = strings.Cut(path, "#")
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
			if e.Type().IsRegular() {
				fmt.Fprintf(h, "%s\x00", e.Name())
				err = hashFile(filepath.Join(path, e.Name()))
			}
			if err != nil {
				break
			}
		}
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
	s := Settings{Routing: job.Routing, Indicator: job.Indicator, LinkRadius: job.LinkRadius}
	s.Manifest(m)
	return m
}
