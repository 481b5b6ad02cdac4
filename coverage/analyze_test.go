package coverage

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/router"
)

// TestSharedEqualsEveryMinute checks, on real feeds, that searching only
// the departures where boarding can change gives, cell by cell and minute
// by minute, the travel times of a search at every minute; and that the
// profile engine gives them too.
func TestSharedEqualsEveryMinute(t *testing.T) {
	cases := []struct {
		name  string
		job   func(testing.TB) Job
		cells int
	}{{"dordogne", dordogneJob, 0}, {"porto-alegre", portoAlegreJob, 120}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			job := c.job(t)
			var feeds []*gtfs.Feed
			for _, p := range job.GTFS {
				f, err := gtfs.Open(p)
				if err != nil {
					t.Fatal(err)
				}
				feeds = append(feeds, f)
			}
			tt, err := router.Compile(feeds, job.Date, job.Routing)
			if err != nil {
				t.Fatal(err)
			}
			grid, err := ReadGrid(job.Grid, "")
			if err != nil {
				t.Fatal(err)
			}
			var cats []*Category
			for _, s := range job.Services {
				cat, err := ReadServices(s)
				if err != nil {
					t.Fatal(err)
				}
				cats = append(cats, cat)
			}
			cells := grid.Cells
			if c.cells > 0 && testing.Short() {
				// The race pass (-short) searches every minute of a
				// quarter of the cells: 120 take two minutes under the
				// race detector; the plain pass checks all 120.
				c.cells /= 4
			}
			if c.cells > 0 {
				rng := rand.New(rand.NewPCG(7, 8))
				rng.Shuffle(len(cells), func(i, j int) { cells[i], cells[j] = cells[j], cells[i] })
				cells = cells[:c.cells]
			}
			minutes := map[string][][][]int32{}
			results := map[string]*Results{}
			for _, variant := range []string{"every minute", "shared", "profile"} {
				every := variant == "every minute"
				per := make([][][]int32, len(cells))
				a := &analysis{tt: tt, rp: tt.Params(), p: job.Indicator, cells: cells, cats: cats,
					minutes: job.Indicator.Minutes(), everyMinute: every,
					minuteHook: func(cell int, tt [][]int32) {
						for _, k := range tt {
							per[cell] = append(per[cell], slices.Clone(k))
						}
					}}
				a.p.Workers = 1
				a.p.Engine = EngineForward
				if variant == "profile" {
					a.p.Engine = EngineProfile
				}
				res, err := a.run(context.Background(), nil)
				if err != nil {
					t.Fatal(err)
				}
				minutes[variant], results[variant] = per, res
			}
			routed, reached := 0, 0
			for cell := range cells {
				if results["every minute"].Routed[cell] {
					routed++
				}
				for k := range cats {
					want := minutes["every minute"][cell][k]
					for _, v := range want {
						if v != router.Unreached {
							reached++
						}
					}
					for _, variant := range []string{"shared", "profile"} {
						if got := minutes[variant][cell][k]; !slices.Equal(got, want) {
							t.Errorf("cell %s, %s: every minute %v\n%s %v", cells[cell].ID, cats[k].Name, want, variant, got)
						}
					}
				}
			}
			if routed == 0 || reached == 0 {
				t.Fatal("no cell routed or no departure reaching a point: the comparison means nothing")
			}
			for _, variant := range []string{"shared", "profile"} {
				if !slices.Equal(results["every minute"].TravelTime, results[variant].TravelTime) || !slices.Equal(results["every minute"].Served, results[variant].Served) ||
					!slices.Equal(results["every minute"].Routed, results[variant].Routed) {
					t.Errorf("%s: percentiles, served or routed flags differ", variant)
				}
			}
			t.Logf("%d cells (%d routed) × %d categories × %d departures compared", len(cells), routed, len(cats), job.Indicator.Minutes())
		})
	}
}
