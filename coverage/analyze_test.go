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
// by minute, the travel times of a search at every minute.
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
			if c.cells > 0 {
				rng := rand.New(rand.NewPCG(7, 8))
				rng.Shuffle(len(cells), func(i, j int) { cells[i], cells[j] = cells[j], cells[i] })
				cells = cells[:c.cells]
			}
			minutes := map[bool][][][]int32{}
			results := map[bool]*Results{}
			for _, every := range []bool{true, false} {
				per := make([][][]int32, len(cells))
				a := &analysis{tt: tt, rp: tt.Params(), p: job.Indicator, cells: cells, cats: cats,
					minutes: job.Indicator.Minutes(), everyMinute: every,
					minuteHook: func(cell int, tt [][]int32) {
						for _, k := range tt {
							per[cell] = append(per[cell], slices.Clone(k))
						}
					}}
				a.p.Workers = 1
				res, err := a.run(context.Background(), nil)
				if err != nil {
					t.Fatal(err)
				}
				minutes[every], results[every] = per, res
			}
			routed, differ := 0, 0
			for cell := range cells {
				if results[true].Routed[cell] {
					routed++
				}
				for k := range cats {
					if !slices.Equal(minutes[true][cell][k], minutes[false][cell][k]) {
						differ++
						t.Errorf("cell %s, %s: every minute %v\nshared %v", cells[cell].ID, cats[k].Name, minutes[true][cell][k], minutes[false][cell][k])
					}
				}
			}
			if routed == 0 {
				t.Fatal("no cell routed: the comparison means nothing")
			}
			if !slices.Equal(results[true].TravelTime, results[false].TravelTime) || !slices.Equal(results[true].Served, results[false].Served) {
				t.Error("percentiles or served flags differ")
			}
			t.Logf("%d cells (%d routed) × %d categories × %d departures compared", len(cells), routed, len(cats), job.Indicator.Minutes())
		})
	}
}
