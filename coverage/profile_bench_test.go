package coverage

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/paulmach/orb"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/router"
)

// BenchmarkProfileGrowth runs the profile engine's analysis over Porto
// Alegre (both feeds, 14:00–16:00) with the hexagons as cells (×1) and a
// synthetic grid of 10 points per hexagon, population spread (×10); with
// 1, 2, 4 and 8 categories (healthcare, schools, then random sets of 40
// hexagon centres); and windows of 30, 60 and 120 minutes. The cost must
// grow with the categories, not with the cells.
func BenchmarkProfileGrowth(b *testing.B) {
	job := portoAlegreJob(b)
	var feeds []*gtfs.Feed
	for _, p := range job.GTFS {
		f, err := gtfs.Open(p)
		if err != nil {
			b.Fatal(err)
		}
		feeds = append(feeds, f)
	}
	tt, err := router.Compile(feeds, job.Date, job.Routing)
	if err != nil {
		b.Fatal(err)
	}
	grid, err := ReadGrid(job.Grid, "")
	if err != nil {
		b.Fatal(err)
	}
	var cats []*Category
	for _, s := range job.Services {
		cat, err := ReadServices(s)
		if err != nil {
			b.Fatal(err)
		}
		cats = append(cats, cat)
	}
	rng := rand.New(rand.NewPCG(21, 22))
	for len(cats) < 8 {
		cat := &Category{Name: fmt.Sprintf("random%d", len(cats))}
		for range 40 {
			c := grid.Cells[rng.IntN(len(grid.Cells))]
			cat.Points = append(cat.Points, Point{ID: c.ID, Lon: c.Lon, Lat: c.Lat})
		}
		cats = append(cats, cat)
	}
	fine := make([]Cell, 0, 10*len(grid.Cells))
	for _, c := range grid.Cells {
		for k := range 10 {
			lon, lat := c.Lon+(rng.Float64()-0.5)*0.003, c.Lat+(rng.Float64()-0.5)*0.003
			fine = append(fine, Cell{ID: fmt.Sprintf("%s-%d", c.ID, k), Lon: lon, Lat: lat, Population: c.Population / 10, Geometry: orb.Point{lon, lat}})
		}
	}
	run := func(b *testing.B, cells []Cell, cats []*Category, p Params) {
		b.ReportAllocs()
		cpu := cpuSeconds()
		for b.Loop() {
			if _, err := Analyze(context.Background(), tt, cells, cats, p, nil); err != nil {
				b.Fatal(err)
			}
		}
		// CPU seconds, all workers together: on a shared machine the wall
		// clock says more about the neighbours than about the cost.
		b.ReportMetric((cpuSeconds()-cpu)/float64(b.N), "cpu_s")
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(cells)), "µs/cell")
		b.ReportMetric(b.Elapsed().Seconds()/float64(b.N*len(cats)), "s/category")
		b.ReportMetric(float64(len(cells)), "cells")
		b.ReportMetric(float64(peakRSS())/(1<<20), "peak_MiB")
	}
	for _, g := range []struct {
		name  string
		cells []Cell
	}{{"x1", grid.Cells}, {"x10", fine}} {
		b.Run("grid/"+g.name, func(b *testing.B) { run(b, g.cells, cats[:2], job.Indicator) })
	}
	for _, n := range []int{1, 2, 4, 8} {
		b.Run(fmt.Sprintf("categories/%d", n), func(b *testing.B) { run(b, grid.Cells, cats[:n], job.Indicator) })
	}
	for _, minutes := range []int32{30, 60, 120} {
		b.Run(fmt.Sprintf("window/%d", minutes), func(b *testing.B) {
			p := job.Indicator
			p.To = p.From + minutes*60
			run(b, grid.Cells, cats[:2], p)
		})
	}
}

// BenchmarkRunGrowth is issue 10's cost growth on whole runs (Run: read
// the feeds, compile, search, the cells, write), not only the analysis:
// Porto Alegre with its hexagons (x1), then with a grid of 10 points per
// hexagon written to a CSV file in the benchmark (x10, population spread
// as BenchmarkProfileGrowth's). Compare cpu_s of x10 with x1's, in one
// call.
func BenchmarkRunGrowth(b *testing.B) {
	job := portoAlegreJob(b)
	grid, err := ReadGrid(job.Grid, "")
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(21, 22))
	var csv strings.Builder
	csv.WriteString("id,lon,lat,population\n")
	for _, c := range grid.Cells {
		for k := range 10 {
			fmt.Fprintf(&csv, "%s-%d,%.7f,%.7f,%g\n", c.ID, k, c.Lon+(rng.Float64()-0.5)*0.003, c.Lat+(rng.Float64()-0.5)*0.003, c.Population/10)
		}
	}
	fine := filepath.Join(b.TempDir(), "grid10.csv")
	if err := os.WriteFile(fine, []byte(csv.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, g := range []struct{ name, grid string }{{"x1", job.Grid}, {"x10", fine}} {
		b.Run(g.name, func(b *testing.B) {
			j := job
			j.Grid, j.Out = g.grid, b.TempDir()
			cpu := cpuSeconds()
			for b.Loop() {
				if _, err := Run(context.Background(), j, Hooks{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric((cpuSeconds()-cpu)/float64(b.N), "cpu_s")
		})
	}
}

// cpuSeconds returns the CPU time (user and system) the process has used.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
