package coverage

import (
	"context"
	"fmt"
	"syscall"
	"testing"

	"github.com/paulmach/orb"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/internal/testutil"
	"github.com/vingt/vingt/router"
	"github.com/vingt/vingt/table"
)

// dordogneJob is the coverage issue's Dordogne command.
func dordogneJob(tb testing.TB) Job {
	d, _ := gtfs.ParseDate("2026-01-13")
	return Job{
		GTFS: []string{testutil.SharedData(tb, "perigueux/peribus-gtfs.zip")}, Date: d,
		Grid: testutil.SharedData(tb, "dordogne/population/census2021_1km_dordogne_bbox.csv"),
		Services: []string{
			"poste=" + testutil.SharedData(tb, "dordogne/services/laposte_points_contact_dordogne.csv"),
			"france_services=" + testutil.SharedData(tb, "dordogne/services/france_services_2020_dordogne.geojson"),
		},
		Territories: []string{
			"commune=" + testutil.SharedData(tb, "dordogne/territories/communes-24-dordogne.geojson"),
			"epci=" + testutil.SharedData(tb, "dordogne/territories/epci-2022-dordogne.geojson"),
		},
		Routing: router.DefaultParams(), Indicator: DefaultParams(), Format: table.Parquet,
	}
}

// portoAlegreJob is the Porto Alegre run: both feeds, every populated
// hexagon, healthcare and schools, 2019-05-13, 14:00–16:00.
func portoAlegreJob(tb testing.TB) Job {
	d, _ := gtfs.ParseDate("2019-05-13")
	hex := testutil.SharedData(tb, "porto-alegre/poa_hexgrid.csv")
	ind := DefaultParams()
	ind.From, ind.To = 14*3600, 16*3600
	return Job{
		GTFS: []string{testutil.SharedData(tb, "porto-alegre/poa_eptc.zip"), testutil.SharedData(tb, "porto-alegre/poa_trensurb.zip")}, Date: d,
		Grid:     hex,
		Services: []string{"healthcare=" + hex + "#healthcare", "schools=" + hex + "#schools"},
		Routing:  router.DefaultParams(), Indicator: ind, Format: table.Parquet,
	}
}

// BenchmarkRun runs whole jobs with each engine and reports each stage's
// seconds (from the manifest) and the process's peak resident memory.
func BenchmarkRun(b *testing.B) {
	for _, c := range []struct {
		name string
		job  func(testing.TB) Job
	}{{"dordogne", dordogneJob}, {"porto-alegre", portoAlegreJob}} {
		for _, engine := range []string{EngineProfile, EngineForward, "impact", "impact-forward"} {
			b.Run(c.name+"/"+engine, func(b *testing.B) {
				job := c.job(b)
				job.Indicator.Engine = engine
				switch engine {
				case "impact": // --impact: the profile engine plus points.parquet
					job.Indicator.Engine, job.Impact = EngineProfile, true
				case "impact-forward":
					job.Indicator.Engine, job.Impact = EngineForward, true
				}
				job.Out = b.TempDir()
				b.ReportAllocs()
				var rep *Report
				for b.Loop() {
					var err error
					if rep, err = Run(context.Background(), job, Hooks{}); err != nil {
						b.Fatal(err)
					}
				}
				for _, t := range rep.Manifest.Timings {
					b.ReportMetric(t.Seconds, t.Stage+"_s")
				}
				b.ReportMetric(float64(peakRSS())/(1<<20), "peak_MiB")
			})
		}
	}
}

// peakRSS returns the process's peak resident set size in bytes.
func peakRSS() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Maxrss * 1024
}

// BenchmarkScaling routes a synthetic 200 m grid over the Périgueux
// network with 1, 4 and 16 times as many cells (the same area, finer
// offsets): the time per cell must stay flat.
func BenchmarkScaling(b *testing.B) {
	f, err := gtfs.Open(testutil.SharedData(b, "perigueux/peribus-gtfs.zip"))
	if err != nil {
		b.Fatal(err)
	}
	d, _ := gtfs.ParseDate("2026-01-13")
	tt, err := router.Compile([]*gtfs.Feed{f}, d, router.DefaultParams())
	if err != nil {
		b.Fatal(err)
	}
	cat := &Category{Name: "poste"}
	for _, s := range f.Stops[:len(f.Stops):len(f.Stops)] {
		if s.HasCoords && len(cat.Points) < 40 && s.LocationType == 1 {
			cat.Points = append(cat.Points, Point{ID: s.ID, Lon: s.Lon, Lat: s.Lat})
		}
	}
	for _, mult := range []int{1, 4, 16} {
		b.Run(fmt.Sprintf("x%d", mult), func(b *testing.B) {
			cells := syntheticGrid(mult)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Analyze(context.Background(), tt, cells, []*Category{cat}, DefaultParams(), nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(cells)), "µs/cell")
			b.ReportMetric(float64(len(cells)), "cells")
		})
	}
}

// syntheticGrid returns 16×16×mult cells, about 200 m apart, over central
// Périgueux.
func syntheticGrid(mult int) []Cell {
	var cells []Cell
	side := 16
	for k := range mult {
		for i := range side {
			for j := range side {
				lon := 0.69 + float64(i)*0.0025 + float64(k)*0.0025/float64(mult)
				lat := 45.16 + float64(j)*0.0018
				cells = append(cells, Cell{ID: fmt.Sprintf("%d-%d-%d", k, i, j), Lon: lon, Lat: lat, Population: 1, Geometry: orb.Point{lon, lat}})
			}
		}
	}
	return cells
}
