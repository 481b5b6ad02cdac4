package coverage

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/router"
)

// TestImpactHoursEqualsRemovals checks the impact of closures with
// opening hours on small random networks against its definition: a point
// is sole for a cell when the cell, served now, is not served by an
// analysis without that point (Analyze, checked against a brute force by
// TestHoursBruteForce). Some points share a place: with the same hours
// (one site: neither is ever sole), or other hours (two sites).
func TestImpactHoursEqualsRemovals(t *testing.T) {
	date, _ := gtfs.ParseDate("2026-01-13")
	ctx := context.Background()
	sole, checked := 0, 0
	// A site reached second by transit seldom decides whether a point
	// is sole: seed 1893 is the first whose answer depends on it.
	seeds := 2000
	if testing.Short() {
		seeds = 100
	}
	for seed := range seeds {
		rng := rand.New(rand.NewPCG(uint64(seed), 2026))
		f := smallFeed(t, rng)
		rp := router.DefaultParams()
		rp.MaxWalk = int32(300 + rng.IntN(900))
		// Slow walkers: the second site is then often reached by
		// transit, not only on foot, and the search must not stop at
		// the first site.
		rp.WalkSpeed = 0.4 + 0.9*rng.Float64()
		tt, err := router.Compile([]*gtfs.Feed{f}, date, rp)
		if err != nil {
			t.Fatal(err)
		}
		cells, timed, plain := randomScene(rng, 8, 4)
		timed.HoursColumn = "hours"
		switch j := len(timed.Points) - 1; rng.IntN(3) {
		case 0: // a second counter with the same hours: the same site
			timed.Points = append(timed.Points, timed.Points[j])
			timed.Points[j+1].ID += "b"
		case 1: // a second counter with other hours: another site
			timed.Points = append(timed.Points, timed.Points[j])
			timed.Points[j+1].ID += "c"
			timed.Points[j+1].Hours = randomHours(rng)
		}
		cats := []*Category{timed, plain}
		p := DefaultParams()
		p.From, p.To, p.Step = 8*3600, 10*3600, int32(60*(1+rng.IntN(3)))
		if rng.IntN(2) == 0 {
			// A few departures: each one can decide.
			p.To = p.From + p.Step*int32(1+rng.IntN(6))
		}
		p.MinOpen = int32(60 * rng.IntN(30))
		p.Date = HoursDate(date)
		// Thresholds up to an hour: the second site is then often
		// reached by transit, not only on foot.
		p.Threshold = int32(60 * (20 + rng.IntN(40)))
		// High percentiles make every departure count.
		p.Percentiles = []float64{[]float64{50, 90, 100}[rng.IntN(3)]}
		p.Engine = []string{EngineForward, EngineProfile}[seed%2]
		res, err := AnalyzeImpact(ctx, tt, cells, cats, p, nil)
		if err != nil {
			t.Fatal(err)
		}
		plainRes, err := Analyze(ctx, tt, cells, cats, p, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(res.Served, plainRes.Served) || !slices.Equal(res.TravelTime, plainRes.TravelTime) {
			t.Fatalf("seed %d: the impact's indicator differs from the plain run's", seed)
		}
		if !slices.Equal(res.Impact.AtPercentile, plainRes.Impact.AtPercentile) {
			t.Fatalf("seed %d: points at the percentile %v, the plain run's %v", seed, res.Impact.AtPercentile, plainRes.Impact.AtPercentile)
		}
		nk := len(cats)
		for k, c := range cats {
			for pi := range c.Points {
				without := *c
				without.Points = slices.Delete(slices.Clone(c.Points), pi, pi+1)
				cats2 := slices.Clone(cats)
				cats2[k] = &without
				res2, err := Analyze(ctx, tt, cells, cats2, p, nil)
				if err != nil {
					t.Fatal(err)
				}
				for ci := range cells {
					want := res.Served[ci*nk+k] && !res2.Served[ci*nk+k]
					got := slices.Contains(res.Impact.Sole[ci*nk+k], int32(pi))
					if got != want {
						t.Fatalf("seed %d: cell %d, %s point %s: sole %v, the removal run says %v", seed, ci, c.Name, c.Points[pi].ID, got, want)
					}
					checked++
					if want && k == 0 {
						sole++
					}
				}
			}
		}
	}
	t.Logf("%d (cell, point) pairs checked, %d with a point with opening hours sole", checked, sole)
	if sole == 0 {
		t.Error("no point with opening hours is ever sole: the test proves little")
	}
}
