package coverage

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/internal/testutil"
	"github.com/vingt/vingt/router"
	"github.com/vingt/vingt/table"
)

// exampleJob is the embedded example (testdata/example/vingt.toml): Porto
// Alegre with its zones, 14:00–16:00 unless a window is given.
func exampleJob(tb testing.TB, window string) Job {
	tb.Helper()
	c, err := LoadConfig(filepath.Join("..", "testdata", "example", "vingt.toml"))
	if err != nil {
		tb.Fatal(err)
	}
	if window != "" {
		c.Params["window"] = window
	}
	job, err := c.Job()
	if err != nil {
		tb.Fatal(err)
	}
	return job
}

// filosofiJob is the nightly config's run on a fixed date: the Filosofi
// 200 m window over central Périgueux, two percentiles.
func filosofiJob(tb testing.TB) Job {
	job := dordogneJob(tb)
	job.Grid = testutil.SharedData(tb, "dordogne/population/filosofi2021_200m_perigueux_center_window.csv")
	job.Indicator.Percentiles = []float64{50, 80}
	return job
}

// saoPauloJob is r5r's São Paulo sample: a frequency-based feed, the
// hexagons' healthcare and schools.
func saoPauloJob(tb testing.TB) Job {
	d, _ := gtfs.ParseDate("2019-05-13")
	hex := testutil.SharedData(tb, "sao-paulo/spo_hexgrid.csv")
	return Job{
		GTFS: []string{testutil.SharedData(tb, "sao-paulo/spo.zip")}, Date: d, Grid: hex,
		Services: []string{"healthcare=" + hex + "#healthcare", "schools=" + hex + "#schools"},
		Routing:  router.DefaultParams(), Indicator: DefaultParams(), Format: table.Parquet,
	}
}

// caltrainJob is the Caltrain fixture (times to 25:43) on a Tuesday at
// 00:00–01:00, when only the previous day's trips run: cells 150 m east
// of every stop, and two categories of points 200 m west of every third
// and every fifth stop.
func caltrainJob(tb testing.TB) Job {
	dir := testutil.SharedData(tb, "gtfs-fixtures/partridge/caltrain-2017-07-24")
	f, err := gtfs.Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var cells, a, b strings.Builder
	cells.WriteString("id,lon,lat,population\n")
	a.WriteString("id,name,lon,lat\n")
	b.WriteString("id,name,lon,lat\n")
	n := 0
	for i, s := range f.Stops {
		if !s.HasCoords || s.LocationType != 0 {
			continue
		}
		fmt.Fprintf(&cells, "c%d,%.6f,%.6f,%d\n", i, s.Lon+0.0017, s.Lat, 10+i)
		if n%3 == 0 {
			fmt.Fprintf(&a, "a%d,a%d,%.6f,%.6f\n", i, i, s.Lon-0.0023, s.Lat)
		}
		if n%5 == 0 {
			fmt.Fprintf(&b, "b%d,b%d,%.6f,%.6f\n", i, i, s.Lon-0.0023, s.Lat)
		}
		n++
	}
	tmp := tb.TempDir()
	for name, text := range map[string]string{"cells.csv": cells.String(), "a.csv": a.String(), "b.csv": b.String()} {
		if err := os.WriteFile(filepath.Join(tmp, name), []byte(text), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	d, _ := gtfs.ParseDate("2017-07-25")
	ind := DefaultParams()
	ind.From, ind.To = 0, 3600
	return Job{
		GTFS: []string{dir}, Date: d, Grid: filepath.Join(tmp, "cells.csv"),
		Services: []string{"a=" + filepath.Join(tmp, "a.csv"), "b=" + filepath.Join(tmp, "b.csv")},
		Routing:  router.DefaultParams(), Indicator: ind, Format: table.Parquet,
	}
}

// dordogneSaturdayHoursJob is the Dordogne run of issue 17's acceptance:
// Saturday 2026-01-17, 09:00–11:00, with the France Services hours.
func dordogneSaturdayHoursJob(tb testing.TB) Job {
	job := dordogneJob(tb)
	job.Date, _ = gtfs.ParseDate("2026-01-17")
	job.Indicator.From, job.Indicator.To = 9*3600, 11*3600
	job.Services[1] += "@h_"
	return job
}

// withImpact returns job with the impact of closures (points.parquet).
func withImpact(job func(testing.TB) Job) func(testing.TB) Job {
	return func(tb testing.TB) Job {
		j := job(tb)
		j.Impact = true
		return j
	}
}

// TestEnginesIdentical runs whole jobs with both engines: every output
// file but the manifest (which records timings) must be byte-identical,
// and the runs must serve some cells and leave others unserved.
func TestEnginesIdentical(t *testing.T) {
	cases := []struct {
		name  string
		job   func(testing.TB) Job
		heavy bool
	}{
		{"dordogne", dordogneJob, false},
		{"filosofi", filosofiJob, false},
		{"sao-paulo", saoPauloJob, false},
		{"caltrain-past-midnight", caltrainJob, false},
		{"dordogne-saturday-hours", dordogneSaturdayHoursJob, true},
		{"porto-alegre-hours", portoAlegreHoursJob, true},
		// The impact with hours: the top-two search seeded with windows.
		{"dordogne-saturday-hours-impact", withImpact(dordogneSaturdayHoursJob), false},
		{"porto-alegre-hours-impact", withImpact(portoAlegreHoursJob), true},
		{"porto-alegre-example", func(tb testing.TB) Job { return exampleJob(tb, "") }, true},
		{"porto-alegre-06-08", func(tb testing.TB) Job { return exampleJob(tb, "06:00-08:00") }, true},
		{"porto-alegre-2130-2330", func(tb testing.TB) Job { return exampleJob(tb, "21:30-23:30") }, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.heavy && testing.Short() {
				t.Skip("a forward run of Porto Alegre takes tens of seconds")
			}
			outs := map[string]map[string][]byte{}
			var served, unserved, named int
			for _, engine := range []string{EngineForward, EngineProfile} {
				job := c.job(t)
				job.Indicator.Engine = engine
				job.Out = t.TempDir()
				rep, err := Run(context.Background(), job, Hooks{})
				if err != nil {
					t.Fatal(err)
				}
				files := map[string][]byte{}
				for _, p := range rep.Outputs {
					if filepath.Base(p) == "run.json" {
						continue
					}
					b, err := os.ReadFile(p)
					if err != nil {
						t.Fatal(err)
					}
					files[filepath.Base(p)] = b
				}
				outs[engine] = files
				if engine == EngineProfile {
					// Some cells served for some category, some not.
					tab, err := table.Read(filepath.Join(job.Out, "cells.parquet"))
					if err != nil {
						t.Fatal(err)
					}
					for _, col := range tab.Columns {
						if strings.HasPrefix(col.Name, "nearest_") {
							for i := range col.String {
								if col.Valid == nil || col.Valid[i] {
									named++
								}
							}
						}
						if strings.HasPrefix(col.Name, "served_") {
							for _, b := range col.Bool {
								if b {
									served++
								} else {
									unserved++
								}
							}
						}
					}
				}
			}
			fwd, prof := outs[EngineForward], outs[EngineProfile]
			if len(fwd) == 0 || len(fwd) != len(prof) {
				t.Fatalf("outputs: forward %d files, profile %d", len(fwd), len(prof))
			}
			for name, b := range fwd {
				if !bytes.Equal(b, prof[name]) {
					t.Errorf("%s differs between the engines (%d and %d bytes)", name, len(b), len(prof[name]))
				}
			}
			if served == 0 || unserved == 0 || named == 0 {
				t.Errorf("%d (cell, category) served, %d not, %d with a nearest point: the comparison proves little", served, unserved, named)
			}
			t.Logf("%d files identical; %d (cell, category) served, %d not, %d with a nearest point", len(fwd), served, unserved, named)
		})
	}
}
