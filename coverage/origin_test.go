package coverage

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
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

// TestStopPercentilesRideArrival checks that the isochrone's stops are
// timed by the last ride (or the access walk alone), never by a footpath
// after the last ride: the isochrone walks MaxWalk from each of them, and
// the walk after the last ride is bounded by MaxWalk in total. The brute
// force queries every departure; the test fails unless some stop was
// reached earlier through a footpath than by alighting there.
func TestStopPercentilesRideArrival(t *testing.T) {
	date, _ := gtfs.ParseDate("2026-01-13")
	footpathFirst := 0
	for seed := range 60 {
		rng := rand.New(rand.NewPCG(uint64(seed), 29))
		f := smallFeed(t, rng)
		rp := router.DefaultParams()
		rp.MaxWalk = int32(300 + rng.IntN(900))
		tt, err := router.Compile([]*gtfs.Feed{f}, date, rp)
		if err != nil {
			t.Fatal(err)
		}
		lat, lon := 45+rng.Float64()*0.02, 0.7+rng.Float64()*0.02
		access := tt.StopsNear(lat, lon, tt.Params().MaxWalk, nil)
		from, to, step := int32(8*3600), int32(9*3600), int32(60)
		r := router.NewRouter(tt)
		got := StopPercentiles(tt, r, access, from, to, step, 50)

		n := tt.NumStops()
		walks := accessWalks(tt, access)
		times := make([][]float64, n)
		cap := tt.Params().MaxDuration
		for dep := from; dep < to; dep += step {
			arr := r.Query(access, dep)
			for s := range n {
				ride := r.RideArrival(int32(s))
				if arr[s] != router.Unreached && arr[s] < ride && walks[s] == router.Unreached {
					footpathFirst++
				}
				times[s] = append(times[s], seconds(TravelTime(walks[s], ride, dep, cap)))
			}
		}
		for s := range n {
			slices.Sort(times[s])
			want := int32(router.Unreached)
			if v := Percentile(times[s], 50); !math.IsInf(v, 1) {
				want = int32(v)
			}
			if got[s] != want {
				t.Fatalf("seed %d: stop %s: median %d s, want %d s (by the last ride)", seed, tt.Stop(int32(s)).ID, got[s], want)
			}
		}
	}
	if footpathFirst == 0 {
		t.Fatal("no stop was reached earlier by a footpath after the last ride: the test does not exercise the rule")
	}
	t.Logf("%d departures × stops reached earlier by a footpath than by a ride", footpathFirst)
}
