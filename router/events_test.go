package router

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/vingt/vingt/gtfs"
)

// TestRangeAt checks that irregular decreasing departures give what
// single searches give, and that BoardingTimes lists exactly the
// departures of boardable trips.
func TestRangeAt(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	date, _ := gtfs.ParseDate("2026-01-13")
	for n := range 100 {
		feeds := []*gtfs.Feed{randomFeed(t, rng, "a")}
		p := randomParams(rng)
		tt, err := Compile(feeds, date, p)
		if err != nil {
			t.Fatal(err)
		}
		acc := randomAccess(rng, tt.NumStops())
		var deps []int32
		for d := randomDeparture(rng) + 7200; len(deps) < 20; d -= int32(1 + rng.IntN(400)) {
			deps = append(deps, d)
		}
		r, single := NewRouter(tt), NewRouter(tt)
		r.RangeAt(acc, deps, func(dep int32, got []int32) {
			if want := single.Query(acc, dep); !slices.Equal(got, want) {
				t.Fatalf("timetable %d departure %d: RangeAt and Query differ", n, dep)
			}
		})
		// Brute force over the compiled columns.
		s := acc[0].Stop
		var want []int32
		for p := range tt.patTrips {
			for i := tt.patStopOff[p]; i < tt.patStopOff[p+1]; i++ {
				if tt.patStops[i] != s || tt.patFlags[i]&canBoard == 0 {
					continue
				}
				pos := i - tt.patStopOff[p]
				for j := range tt.patTrips[p] {
					if d := tt.dep[tt.patTimeOff[p]+pos*tt.patTrips[p]+j]; d >= 7*3600 && d < 9*3600 {
						want = append(want, d)
					}
				}
			}
		}
		slices.Sort(want)
		want = slices.Compact(want)
		if got := tt.BoardingTimes(s, 7*3600, 9*3600, nil); !slices.Equal(got, want) {
			t.Fatalf("timetable %d: boarding times %v, want %v", n, got, want)
		}
	}
}
