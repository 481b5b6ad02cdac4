package coverage

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/router"
	"github.com/vingt/vingt/walk"
)

// TestBestTripIndicator checks, on small random networks, that the trip
// of `vingt route` (BestTrip) takes the indicator's travel time from a
// cell to a one-point category at every departure: walk-only, or rides
// with the walk after the last ride (a footpath first included) within
// max_walk in total (walked crow-fly, a footpath first never beats the
// walk from the stop alighted at, but an unbounded one reached points
// beyond max_walk: seed 7 catches it); and that its legs add up to that
// time.
func TestBestTripIndicator(t *testing.T) {
	date, _ := gtfs.ParseDate("2026-01-13")
	compared, rides, chained := 0, 0, 0
	for seed := range 100 {
		rng := rand.New(rand.NewPCG(uint64(seed), 15))
		f := smallFeed(t, rng)
		// Slow walkers, so that transit often wins over walking across
		// the 2 km square, and short transfer walks within max_walk.
		rp := router.DefaultParams()
		rp.WalkSpeed = 0.4
		rp.MaxTransferWalk = 200
		rp.MaxWalk = int32(600 + rng.IntN(900))
		tt, err := router.Compile([]*gtfs.Feed{f}, date, rp)
		if err != nil {
			t.Fatal(err)
		}
		rp = tt.Params()
		place := func() (float64, float64) { return 0.7 + rng.Float64()*0.02, 45 + rng.Float64()*0.02 }
		r := router.NewRouter(tt)
		for range 4 {
			lon, lat := place()
			cell := Cell{Lon: lon, Lat: lat, Population: 1}
			plon, plat := place()
			cat := &Category{Name: "p", Points: []Point{{ID: "p", Lon: plon, Lat: plat}}}
			p := DefaultParams()
			p.Step = 300
			p.Engine = EngineForward
			a := &analysis{tt: tt, rp: rp, p: p, cells: []Cell{cell}, cats: []*Category{cat}, minutes: p.Minutes()}
			var want []int32
			a.minuteHook = func(_ int, v [][]int32) { want = append(want, v[0]...) }
			if _, err := a.run(context.Background(), nil); err != nil {
				t.Fatal(err)
			}
			for m, w := range want {
				dep := p.From + int32(m)*p.Step
				trip := BestTrip(tt, r, walk.Place{Lat: lat, Lon: lon}, walk.Place{Lat: plat, Lon: plon}, dep)
				compared++
				if trip.Seconds != w {
					t.Fatalf("seed %d departure %s: BestTrip %d s, indicator %d s", seed, FormatClock(dep), trip.Seconds, w)
				}
				if len(trip.Journey.Legs) == 0 {
					continue
				}
				rides++
				legs := trip.Journey.Legs
				last := legs[len(legs)-1]
				if last.Kind == router.Transfer {
					chained++
					if last.Arrive-last.Depart+trip.EgressSeconds > rp.MaxWalk {
						t.Fatalf("seed %d departure %s: walk after the last ride %d + %d s beyond max_walk %d", seed, FormatClock(dep), last.Arrive-last.Depart, trip.EgressSeconds, rp.MaxWalk)
					}
				}
				if got := last.Arrive + trip.EgressSeconds - dep; got != trip.Seconds {
					t.Fatalf("seed %d departure %s: legs end %d s after departure, trip %d s", seed, FormatClock(dep), got, trip.Seconds)
				}
			}
		}
	}
	if rides == 0 {
		t.Fatalf("%d departures, %d by transit, %d with a footpath after the last ride: the comparison proves little", compared, rides, chained)
	}
	t.Logf("%d departures, %d by transit, %d with a footpath after the last ride", compared, rides, chained)
}
