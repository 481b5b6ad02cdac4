package coverage

import (
	"context"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/vingt/vingt/router"
	"github.com/vingt/vingt/table"
)

// TestExplainAgreesWithRun checks that vingt route --cell explains the rows
// of cells.parquet: on 50 Dordogne cells drawn with a fixed seed (and 50
// routed ones), for each
// category, Explain.Window gives the run's travel time, share, served and
// routed columns, and the trip at the first percentile's departure takes
// exactly that travel time to the point cells.parquet names
// (nearest_<category>).
func TestExplainAgreesWithRun(t *testing.T) {
	if testing.Short() {
		t.Skip("a Dordogne run: not in -short")
	}
	ctx := context.Background()
	job := dordogneJob(t)
	job.Out = filepath.Join(t.TempDir(), "out")
	if _, err := Run(ctx, job, Hooks{}); err != nil {
		t.Fatal(err)
	}
	cells, err := table.Read(filepath.Join(job.Out, "cells.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	ids := cells.Column("cell_id").String
	grid, err := ReadGrid(job.Grid, job.GridFormat)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]Cell{}
	for _, c := range grid.Cells {
		byID[c.ID] = c
	}
	// 50 cells drawn among all, most of them far from Péribus, and 50
	// among the routed ones, so that transit itineraries are checked too.
	rng := rand.New(rand.NewPCG(15, 2026))
	sample := rng.Perm(len(ids))[:50]
	var withStops []int
	for i, ok := range cells.Column("routed").Bool {
		if ok {
			withStops = append(withStops, i)
		}
	}
	for _, i := range rng.Perm(len(withStops))[:50] {
		sample = append(sample, withStops[i])
	}
	rides := 0
	for _, cat := range []string{"poste", "france_services"} {
		ex, err := LoadExplain(ctx, job, ids[sample[0]], cat)
		if err != nil {
			t.Fatal(err)
		}
		r := router.NewRouter(ex.TT)
		ttCol, share, served := cells.Column("travel_time_"+cat), cells.Column("share_"+cat), cells.Column("served_"+cat)
		routed := cells.Column("routed")
		var nServed, nReached, nRide, nNamed, nTie int
		for _, row := range sample {
			e := *ex
			e.Cell = byID[ids[row]]
			w, err := e.Window(ctx)
			if err != nil {
				t.Fatal(err)
			}
			want := math.Inf(1)
			if ttCol.IsValid(row) {
				want = ttCol.Float[row]
			}
			if got := w.Percentiles[0] / 60; got != want {
				t.Errorf("%s %s: window travel time %v min, cells.parquet %v", cat, ids[row], got, want)
			}
			if w.Share != share.Float[row] || w.Served != served.Bool[row] || w.Routed != routed.Bool[row] {
				t.Errorf("%s %s: window share %v served %v routed %v, cells.parquet %v %v %v", cat, ids[row],
					w.Share, w.Served, w.Routed, share.Float[row], served.Bool[row], routed.Bool[row])
			}
			m := e.NearestDeparture(r, w)
			trip := e.TripAt(r, w.Departures[m])
			if trip.Seconds != w.Seconds[m] {
				t.Errorf("%s %s: trip at %s takes %d s, the window %d s", cat, ids[row], FormatClock(w.Departures[m]), trip.Seconds, w.Seconds[m])
			}
			if trip.Seconds != router.Unreached {
				nReached++
				if trip.Point < 0 {
					t.Errorf("%s %s: reached, but no point named", cat, ids[row])
				}
				// The point the itinerary reaches is the run's nearest,
				// or, where points at two places tie at every such
				// departure, the run names none.
				near := cells.Column("nearest_" + cat)
				if trip.Tie {
					nTie++
					if near.IsValid(row) {
						t.Errorf("%s %s: the trip at %s ties, cells.parquet's nearest_%s is %q", cat, ids[row], FormatClock(w.Departures[m]), cat, near.String[row])
					}
				} else if !near.IsValid(row) || e.Category.Points[trip.Point].ID != near.String[row] {
					t.Errorf("%s %s: the trip at %s reaches %s, cells.parquet's nearest_%s is %q (valid %v)", cat, ids[row], FormatClock(w.Departures[m]),
						e.Category.Points[trip.Point].ID, cat, near.String[row], near.IsValid(row))
				}
				if !trip.Tie {
					nNamed++
				}
				if trip.EgressStop >= 0 {
					nRide++
				}
			}
			if w.Served {
				nServed++
			}
		}
		// The sample must hold both answers, or the test proves little.
		t.Logf("%s: %d of %d served, %d reached at the median departure (%d naming the run's nearest point, %d ties), %d by transit", cat, nServed, len(sample), nReached, nNamed, nTie, nRide)
		if nServed == 0 || nServed == len(sample) {
			t.Errorf("%s: %d served: the sample does not exercise both answers", cat, nServed)
		}
		rides += nRide
	}
	if rides == 0 {
		t.Error("no itinerary by transit in the sample")
	}
}
