package router

import (
	"math/rand/v2"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/internal/testutil"
)

// BenchmarkNYC is the large-feed workload of the profile engine: the NYC
// subway and the Brooklyn buses (2.4 M stop_times each; read from the
// shared data, never copied into the project) on Tuesday 2026-09-08, a
// date both feeds serve; 20,000 synthetic cells over Brooklyn; two
// categories of 50 random served stops (fixed seed). It reports the load,
// the compilation, one profile search per category at windows of 30, 60
// and 120 minutes from 08:00, the evaluation of the 20,000 cells (access
// stops and the merge of their profiles, 120 departures, both
// categories), the profile's bytes per stop and category, and the peak
// RSS. One iteration is the whole workload; it skips when the data is
// absent.
func BenchmarkNYC(b *testing.B) {
	rels := []string{"nyc/mta-subway-supplemented.zip", "nyc/mta-bus-brooklyn.zip"}
	for _, rel := range rels {
		testutil.SharedData(b, rel)
	}
	date, _ := gtfs.ParseDate("2026-09-08")
	if date.Weekday() != time.Tuesday {
		b.Fatalf("%s is not a Tuesday", date)
	}
	const from = 8 * 3600
	var load, compile, eval time.Duration
	var search [3]time.Duration
	// CPU seconds of the same phases: on a shared machine the wall clock
	// says more about the neighbours than about the code.
	var loadCPU, compileCPU, evalCPU time.Duration
	var searchCPU [3]time.Duration
	var bytes float64
	var cellsRouted int
	for b.Loop() {
		start, cpu := time.Now(), cpuTime()
		feeds := openFeeds(b, rels...)
		load += time.Since(start)
		loadCPU += cpuTime() - cpu
		for _, f := range feeds {
			if !slices.Contains(f.ActiveServices(date), true) {
				b.Fatalf("%s: no service on %s", f.Name, date)
			}
		}
		start, cpu = time.Now(), cpuTime()
		tt, err := Compile(feeds, date, DefaultParams())
		if err != nil {
			b.Fatal(err)
		}
		compile += time.Since(start)
		compileCPU += cpuTime() - cpu
		p := tt.Params()
		rng := rand.New(rand.NewPCG(31, 32))
		// Brooklyn: the served stops of the bus feed give its extent.
		var served []int32
		minLat, maxLat, minLon, maxLon := 90.0, -90.0, 180.0, -180.0
		for s := range int32(tt.NumStops()) {
			st := tt.Stop(s)
			if tt.Served(s) && st.HasCoords {
				served = append(served, s)
				if st.Feed == 1 {
					minLat, maxLat = min(minLat, st.Lat), max(maxLat, st.Lat)
					minLon, maxLon = min(minLon, st.Lon), max(maxLon, st.Lon)
				}
			}
		}
		var cats [2][]Access
		for k := range cats {
			best := map[int32]int32{}
			for range 50 {
				st := tt.Stop(served[rng.IntN(len(served))])
				for _, a := range tt.StopsNear(st.Lat, st.Lon, p.MaxWalk, nil) {
					if w, ok := best[a.Stop]; !ok || a.Seconds < w {
						best[a.Stop] = a.Seconds
					}
				}
			}
			for s := range int32(tt.NumStops()) {
				if w, ok := best[s]; ok {
					cats[k] = append(cats[k], Access{Stop: s, Seconds: w})
				}
			}
		}
		cells := make([][2]float64, 20000)
		for i := range cells {
			cells[i] = [2]float64{minLat + rng.Float64()*(maxLat-minLat), minLon + rng.Float64()*(maxLon-minLon)}
		}
		ps := NewProfileSearcher(tt)
		var prof [2]Profile
		for k := range cats { // grow the buffers once
			if err := ps.Search(cats[k], from, from+7200, &prof[k]); err != nil {
				b.Fatal(err)
			}
		}
		for w, minutes := range []int32{30, 60, 120} {
			start, cpu = time.Now(), cpuTime()
			for k := range cats {
				if err := ps.Search(cats[k], from, from+minutes*60, &prof[k]); err != nil {
					b.Fatal(err)
				}
			}
			search[w] += time.Since(start)
			searchCPU[w] += cpuTime() - cpu
		}
		bytes += float64(prof[0].Bytes()+prof[1].Bytes()) / 2 / float64(tt.NumStops())
		var deps []int32
		for d := int32(from); d < from+7200; d += 60 {
			deps = append(deps, d)
		}
		out := make([]int32, len(deps))
		var access []Access
		cellsRouted = 0
		start, cpu = time.Now(), cpuTime()
		for _, c := range cells {
			access = tt.StopsNear(c[0], c[1], p.MaxWalk, access[:0])
			if len(access) == 0 {
				continue
			}
			cellsRouted++
			for k := range prof {
				prof[k].Eval(access, deps, out)
			}
		}
		eval += time.Since(start)
		evalCPU += cpuTime() - cpu
	}
	n := float64(b.N)
	b.ReportMetric(load.Seconds()/n, "load_s")
	b.ReportMetric(compile.Seconds()/n, "compile_s")
	for w, minutes := range []string{"30", "60", "120"} {
		b.ReportMetric(search[w].Seconds()/n/2, "search"+minutes+"_s/category")
	}
	b.ReportMetric(eval.Seconds()/n, "eval20k_s")
	b.ReportMetric(loadCPU.Seconds()/n, "load_cpu_s")
	b.ReportMetric(compileCPU.Seconds()/n, "compile_cpu_s")
	for w, minutes := range []string{"30", "60", "120"} {
		b.ReportMetric(searchCPU[w].Seconds()/n/2, "search"+minutes+"_cpu_s/category")
	}
	b.ReportMetric(evalCPU.Seconds()/n, "eval20k_cpu_s")
	b.ReportMetric(float64(cellsRouted), "cells_routed")
	b.ReportMetric(bytes/n, "profile_B/stop/category")
	b.ReportMetric(peakRSS(), "peakRSS_MiB")
}

// cpuTime returns the CPU time (user and system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
