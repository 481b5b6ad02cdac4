package coverage

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/router"
)

// TestImpactEnginesRandom checks the impact of the profile engine
// (top-two profiles, profile_impact.go) against the forward engine's on
// small random networks: per cell and category the same served flag, the
// same nearest site, the same sole points and the same site at the
// percentile (served or not; also without the impact, as every run
// writes it), and per departure the same best site and
// best value through another site (within the cap). The categories have one to twenty points,
// some at the same coordinates, so that ties, one-site categories and
// several bits are all met; every seed is then checked against removal
// runs for two of its points.
func TestImpactEnginesRandom(t *testing.T) {
	date, _ := gtfs.ParseDate("2026-01-13")
	var soles, ties, beyond int
	for seed := range 40 {
		rng := rand.New(rand.NewPCG(uint64(seed), 12))
		f := smallFeed(t, rng)
		rp := router.DefaultParams()
		rp.MaxWalk = int32(300 + rng.IntN(900))
		rp.MaxDuration = int32(20*60 + rng.IntN(40*60))
		tt, err := router.Compile([]*gtfs.Feed{f}, date, rp)
		if err != nil {
			t.Fatal(err)
		}
		place := func() (float64, float64) { return 0.7 + rng.Float64()*0.02, 45 + rng.Float64()*0.02 }
		var cells []Cell
		for i := range 12 {
			lon, lat := place()
			cells = append(cells, Cell{ID: fmt.Sprint(i), Lon: lon, Lat: lat, Population: float64(1 + i)})
		}
		var cats []*Category
		for k, n := range []int{1, 1 + rng.IntN(4), 2 + rng.IntN(19)} {
			c := &Category{Name: fmt.Sprintf("c%d", k)}
			for i := range n {
				lon, lat := place()
				switch {
				case i > 0 && rng.IntN(5) == 0: // a second counter in the same building
					q := c.Points[rng.IntN(i)]
					lon, lat = q.Lon, q.Lat
				case i > 0 && rng.IntN(3) == 0: // a point's mirror across a stop: as near to it, a tie
					q := c.Points[rng.IntN(i)]
					sp := tt.StopPlace(int32(rng.IntN(tt.NumStops())))
					lon, lat = 2*sp.Lon-q.Lon, 2*sp.Lat-q.Lat
				}
				c.Points = append(c.Points, Point{ID: fmt.Sprint(i), Lon: lon, Lat: lat})
			}
			cats = append(cats, c)
		}
		p := DefaultParams()
		p.From, p.To, p.Step = 8*3600, 10*3600, int32(60*(1+rng.IntN(3)))
		p.Threshold = int32(3*60 + rng.IntN(27*60))
		// Low thresholds and percentiles too: unserved cells whose
		// percentile transit decides.
		p.Percentiles = []float64{[]float64{50, 10, 2}[rng.IntN(3)]}
		var res [2]*Results
		var minutes [2][][3][]int32 // [engine][cell*category] best, bestPt, best2
		for i, engine := range []string{EngineForward, EngineProfile} {
			p.Engine = engine
			a := &analysis{tt: tt, rp: tt.Params(), p: p, cells: cells, cats: cats, minutes: p.Minutes(), impact: true}
			a.needed = neededWithin(a.minutes, p.Percentiles[0])
			minutes[i] = make([][3][]int32, len(cells)*len(cats))
			a.impactHook = func(c int, best, bestPt, best2 [][]int32) {
				for k := range cats {
					minutes[i][c*len(cats)+k] = [3][]int32{slices.Clone(best[k]), slices.Clone(bestPt[k]), slices.Clone(best2[k])}
				}
			}
			if res[i], err = a.run(context.Background(), nil); err != nil {
				t.Fatal(err)
			}
		}
		// Per departure, within the cap (the only place the impact looks).
		within := func(v, dep int32) bool { return v != router.Unreached && v-dep <= rp.MaxDuration }
		for i := range minutes[0] {
			fw, pf := minutes[0][i], minutes[1][i]
			for m := range fw[0] {
				dep := p.From + int32(m)*p.Step
				if within(fw[0][m], dep) != within(pf[0][m], dep) || within(fw[0][m], dep) && (fw[0][m] != pf[0][m] || fw[1][m] != pf[1][m]) ||
					within(fw[2][m], dep) != within(pf[2][m], dep) || within(fw[2][m], dep) && fw[2][m] != pf[2][m] {
					t.Fatalf("seed %d, cell %d category %d, departure %d: forward best %d at %d, other %d; profile %d at %d, other %d", seed, i/len(cats), i%len(cats), m,
						fw[0][m], fw[1][m], fw[2][m], pf[0][m], pf[1][m], pf[2][m])
				}
				if within(fw[0][m], dep) && fw[1][m] < 0 {
					ties++
				}
			}
		}
		fw, pf := res[0], res[1]
		for i := range fw.Served {
			if fw.Served[i] != pf.Served[i] || fw.Impact.Nearest[i] != pf.Impact.Nearest[i] || !slices.Equal(fw.Impact.Sole[i], pf.Impact.Sole[i]) ||
				fw.Impact.AtPercentile[i] != pf.Impact.AtPercentile[i] {
				t.Fatalf("seed %d, cell %d category %d: forward served %v nearest %d sole %v at percentile %d; profile %v %d %v %d", seed, i/len(cats), i%len(cats),
					fw.Served[i], fw.Impact.Nearest[i], fw.Impact.Sole[i], fw.Impact.AtPercentile[i], pf.Served[i], pf.Impact.Nearest[i], pf.Impact.Sole[i], pf.Impact.AtPercentile[i])
			}
			soles += len(fw.Impact.Sole[i])
			if !fw.Served[i] && fw.Impact.AtPercentile[i] >= 0 {
				beyond++
			}
		}
		// Without the impact, each engine names the same site at the
		// percentile (the profile engine through its nearest-site
		// searches) and gives the same times.
		for _, engine := range []string{EngineForward, EngineProfile} {
			p.Engine = engine
			plain, err := Analyze(context.Background(), tt, cells, cats, p, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(plain.Impact.AtPercentile, fw.Impact.AtPercentile) || !slices.Equal(plain.TravelTime, fw.TravelTime) || !slices.Equal(plain.Served, fw.Served) {
				t.Fatalf("seed %d, engine %s without the impact: sites at the percentile %v, times %v; with it %v, %v", seed, engine,
					plain.Impact.AtPercentile, plain.TravelTime, fw.Impact.AtPercentile, fw.TravelTime)
			}
		}
		// Against removal runs: both engines' impact, for a point of each
		// of the two larger categories.
		job := Job{Indicator: p}
		for _, engine := range []string{EngineForward, EngineProfile} {
			job.Indicator.Engine = engine
			checkRemovals(t, job, tt, cells, cats, nil, [][2]int{{1, rng.IntN(len(cats[1].Points))}, {2, rng.IntN(len(cats[2].Points))}})
		}
	}
	t.Logf("%d sole points, %d departures where two sites tie, %d unserved cells with a site at the percentile", soles, ties, beyond)
	if soles == 0 || ties == 0 || beyond == 0 {
		t.Error("no sole point, no tie or no unserved cell with a site at the percentile in any seed: the test proves little")
	}
}

// TestImpactEnginesDordogne checks that both engines give the same impact
// (nearest, sole and percentile sites) on the Dordogne command, with its
// threshold and with 8 minutes (more unserved cells whose percentile
// transit decides). The removal runs check the default engine.
func TestImpactEnginesDordogne(t *testing.T) {
	job, tt, cells, cats, _ := loadJob(t, "../testdata/configs/dordogne.toml")
	sole, beyond := 0, 0
	for _, threshold := range []int32{job.Indicator.Threshold, 8 * 60} {
		var res [2]*Results
		for i, engine := range []string{EngineForward, EngineProfile} {
			p := job.Indicator
			p.Engine, p.Threshold = engine, threshold
			var err error
			if res[i], err = AnalyzeImpact(context.Background(), tt, cells, cats, p, nil); err != nil {
				t.Fatal(err)
			}
		}
		for i := range res[0].Served {
			a, b := res[0].Impact, res[1].Impact
			if res[0].Served[i] != res[1].Served[i] || a.Nearest[i] != b.Nearest[i] || !slices.Equal(a.Sole[i], b.Sole[i]) || a.AtPercentile[i] != b.AtPercentile[i] {
				t.Fatalf("threshold %d s, cell %s category %s: forward nearest %d sole %v at percentile %d, profile %d %v %d", threshold, cells[i/len(cats)].ID, cats[i%len(cats)].Name,
					a.Nearest[i], a.Sole[i], a.AtPercentile[i], b.Nearest[i], b.Sole[i], b.AtPercentile[i])
			}
			sole += len(a.Sole[i])
			if !res[0].Served[i] && a.AtPercentile[i] >= 0 {
				beyond++
			}
		}
	}
	t.Logf("%d sole points, %d unserved cells with a site at the percentile", sole, beyond)
	if sole == 0 || beyond == 0 {
		t.Error("no sole point or no unserved cell with a site at the percentile: the test proves little")
	}
}
