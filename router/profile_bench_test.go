package router

import (
	"bufio"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/internal/testutil"
)

// profileCase is a workload of the profile benchmarks: feeds, a date and
// a window start.
type profileCase struct {
	name  string
	feeds []string
	date  string
	from  int32
}

var profileCases = []profileCase{
	{"peribus", []string{"perigueux/peribus-gtfs.zip"}, "2026-01-13", 8 * 3600},
	{"poa", []string{"porto-alegre/poa_eptc.zip", "porto-alegre/poa_trensurb.zip"}, "2019-05-13", 14 * 3600},
	{"nyc", []string{"nyc/mta-subway-supplemented.zip", "nyc/mta-bus-brooklyn.zip"}, "2026-09-08", 8 * 3600},
}

// loaded is a compiled workload and what loading it cost.
type loaded struct {
	tt            *Timetable
	load, compile time.Duration
	cats          [2][]Access // two categories of 50 random stops: egress
}

var (
	loadedMu    sync.Mutex
	loadedCache = map[string]*loaded{}
)

// load opens and compiles a workload once per test binary, and draws two
// categories of 50 random served stops (egress: the stops within walking
// reach of each).
func load(b testing.TB, c profileCase) *loaded {
	loadedMu.Lock()
	defer loadedMu.Unlock()
	if l := loadedCache[c.name]; l != nil {
		return l
	}
	for _, rel := range c.feeds {
		testutil.SharedData(b, rel)
	}
	l := &loaded{}
	start := time.Now()
	feeds := openFeeds(b, c.feeds...)
	l.load = time.Since(start)
	date, _ := gtfs.ParseDate(c.date)
	start = time.Now()
	tt, err := Compile(feeds, date, DefaultParams())
	if err != nil {
		b.Fatal(err)
	}
	l.compile = time.Since(start)
	l.tt = tt
	served := servedStops(tt)
	rng := rand.New(rand.NewPCG(11, 12))
	for k := range l.cats {
		best := map[int32]int32{}
		for range 50 {
			st := tt.Stop(served[rng.IntN(len(served))])
			for _, a := range tt.StopsNear(st.Lat, st.Lon, tt.params.MaxWalk, nil) {
				if w, ok := best[a.Stop]; !ok || a.Seconds < w {
					best[a.Stop] = a.Seconds
				}
			}
		}
		for s, w := range best {
			l.cats[k] = append(l.cats[k], Access{Stop: s, Seconds: w})
		}
	}
	loadedCache[c.name] = l
	return l
}

// servedStops returns the stops of tt that some trip serves and that have
// coordinates.
func servedStops(tt *Timetable) []int32 {
	var served []int32
	for s := range tt.NumStops() {
		if tt.stopPatOff[s] < tt.stopPatOff[s+1] && tt.stops[s].HasCoords {
			served = append(served, int32(s))
		}
	}
	return served
}

// peakRSS returns the peak resident set of the process in MiB (VmHWM), or
// 0 where /proc is not there.
func peakRSS() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}

// windowConnections counts the connections (one hop of one trip) that
// depart within [from, to]: what a profile connection scan would scan,
// once per ride count kept in its per-trip vectors.
func windowConnections(tt *Timetable, from, to int32) int {
	n := 0
	for p := range tt.patTrips {
		nt := tt.patTrips[p]
		stops := tt.patStopOff[p+1] - tt.patStopOff[p]
		for i := range stops - 1 {
			for _, d := range tt.dep[tt.patTimeOff[p]+i*nt : tt.patTimeOff[p]+(i+1)*nt] {
				if d >= from && d <= to {
					n++
				}
			}
		}
	}
	return n
}

// BenchmarkProfileSearch is one profile search per category (two
// categories of 50 random stops, alternately), for windows of 30, 60 and
// 120 minutes. It reports the load and compile times of the feeds, the
// profile's bytes per stop and category, and the peak RSS.
func BenchmarkProfileSearch(b *testing.B) {
	for _, c := range profileCases {
		for _, minutes := range []int32{30, 60, 120} {
			b.Run(c.name+"/window"+strconv.Itoa(int(minutes)), func(b *testing.B) {
				l := load(b, c)
				ps := NewProfileSearcher(l.tt)
				var prof [2]Profile
				for k := range prof { // grow the buffers once
					if err := ps.Search(l.cats[k], c.from, c.from+minutes*60, &prof[k]); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportAllocs()
				ps.work = struct{ scans, steps, bCand, sCand int }{}
				i := 0
				for b.Loop() {
					if err := ps.Search(l.cats[i%2], c.from, c.from+minutes*60, &prof[i%2]); err != nil {
						b.Fatal(err)
					}
					i++
				}
				b.ReportMetric(float64(ps.work.steps)/float64(i), "trip_steps")
				b.ReportMetric(float64(windowConnections(l.tt, c.from, c.from+minutes*60-1+l.tt.params.MaxDuration)), "window_connections")
				b.ReportMetric(float64(ps.work.bCand+ps.work.sCand)/float64(i), "candidates")
				n := float64(l.tt.NumStops())
				b.ReportMetric((float64(prof[0].Bytes())+float64(prof[1].Bytes()))/2/n, "profile_B/stop")
				b.ReportMetric(float64(prof[0].Len()+prof[1].Len())/2, "entries")
				b.ReportMetric(l.load.Seconds(), "load_s")
				b.ReportMetric(l.compile.Seconds(), "compile_s")
				b.ReportMetric(peakRSS(), "peakRSS_MiB")
			})
		}
	}
}

// BenchmarkProfileEval evaluates the 120 departures of a 2-hour window for
// one origin (a point near a random stop, its access stops within 15
// minutes) against one category's profile: the per-cell cost of the
// profile engine.
func BenchmarkProfileEval(b *testing.B) {
	for _, c := range profileCases {
		b.Run(c.name, func(b *testing.B) {
			l := load(b, c)
			tt := l.tt
			ps := NewProfileSearcher(tt)
			var prof Profile
			if err := ps.Search(l.cats[0], c.from, c.from+7200, &prof); err != nil {
				b.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(13, 14))
			var origins [][]Access
			for len(origins) < 64 {
				st := tt.Stop(int32(rng.IntN(tt.NumStops())))
				if acc := tt.StopsNear(st.Lat+(rng.Float64()-0.5)*0.007, st.Lon+(rng.Float64()-0.5)*0.009, tt.params.MaxWalk, nil); len(acc) > 0 {
					origins = append(origins, acc)
				}
			}
			var deps []int32
			for d := c.from; d < c.from+7200; d += 60 {
				deps = append(deps, d)
			}
			out := make([]int32, len(deps))
			access := 0
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				acc := origins[i%len(origins)]
				access += len(acc)
				prof.Eval(acc, deps, out)
				i++
			}
			b.ReportMetric(float64(access)/float64(i), "access_stops")
		})
	}
}

// BenchmarkProfileLabels compares, on one workload and a 2-hour window,
// the earliest-arrival profile search (plain), the nearest-site search
// (SearchNearest: which point decides, what cells.parquet's
// nearest_<category> needs) and the top-two search of the impact (top2),
// each from the same 50 random sites (a site: the stops within walking
// reach of a random stop, its index the site). Run them in one call and
// compare them side by side.
func BenchmarkProfileLabels(b *testing.B) {
	for _, c := range profileCases[:2] {
		b.Run(c.name, func(b *testing.B) {
			l := load(b, c)
			tt := l.tt
			rng := rand.New(rand.NewPCG(21, 22))
			served := servedStops(tt)
			var plain []Access
			var labels []StopTop2
			for q := range 50 {
				st := tt.Stop(served[rng.IntN(len(served))])
				for _, a := range tt.StopsNear(st.Lat, st.Lon, tt.params.MaxWalk, nil) {
					plain = append(plain, a)
					labels = append(labels, StopTop2{a.Stop, Top2{a.Seconds, int32(q), Unreached}})
				}
			}
			from, to := c.from, c.from+7200
			ps := NewProfileSearcher(tt)
			ts := NewTop2Searcher(tt)
			var prof Profile
			var prof2 ProfileTop2
			for _, kind := range []string{"plain", "nearest", "top2"} {
				b.Run(kind, func(b *testing.B) {
					search := func() error {
						switch kind {
						case "plain":
							return ps.Search(plain, from, to, &prof)
						case "nearest":
							return ts.SearchNearest(labels, from, to, &prof2)
						}
						return ts.Search(labels, from, to, &prof2)
					}
					if err := search(); err != nil { // grow the buffers once
						b.Fatal(err)
					}
					b.ReportAllocs()
					for b.Loop() {
						if err := search(); err != nil {
							b.Fatal(err)
						}
					}
					entries, bytes := prof.Len(), prof.Bytes()
					if kind != "plain" {
						entries, bytes = len(prof2.tau), prof2.Bytes()
					}
					b.ReportMetric(float64(entries), "entries")
					b.ReportMetric(float64(bytes)/float64(tt.NumStops()), "profile_B/stop")
				})
			}
		})
	}
}
