package router

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/vingt/vingt/gtfs"
)

// forwardBest returns, per departure of deps (decreasing), the earliest
// arrival at a point as the forward router and the indicator's
// reduceMinute give it: the best stop alighted at plus its egress walk
// (ChainEgress: a footpath may come first, the two within MaxWalk), with
// the travel time capped at MaxDuration (Unreached beyond).
func forwardBest(r *Router, access, egress []Access, deps []int32, capT int32) []int32 {
	out := make([]int32, len(deps))
	i := 0
	chained := r.tt.ChainEgress(egress)
	r.RangeAt(access, deps, func(dep int32, _ []int32) {
		best := Unreached
		for _, e := range chained {
			if a := r.RideArrival(e.Stop); a != Unreached && a+e.Seconds < best {
				best = a + e.Seconds
			}
		}
		out[i] = capped(best, dep, capT)
		i++
	})
	return out
}

func capped(v, dep, capT int32) int32 {
	if v != Unreached && v-dep > capT {
		return Unreached
	}
	return v
}

func reversed(s []int32) []int32 {
	c := slices.Clone(s)
	slices.Reverse(c)
	return c
}

// profileFeatures tells what the journey behind a forward result used,
// from the router's journey to the best egress stop.
func profileFeatures(t *testing.T, r *Router, feeds []*gtfs.Feed, access, egress []Access, dep int32, seen map[string]int) {
	t.Helper()
	r.Query(access, dep)
	direct := map[int32]int32{}
	for _, e := range egress {
		if w, ok := direct[e.Stop]; !ok || e.Seconds < w {
			direct[e.Stop] = e.Seconds
		}
	}
	best, bestStop, bestWalk := Unreached, int32(-1), int32(0)
	for _, e := range r.tt.ChainEgress(egress) {
		if a := r.RideArrival(e.Stop); a != Unreached && a+e.Seconds < best {
			best, bestStop, bestWalk = a+e.Seconds, e.Stop, e.Seconds
		}
	}
	if bestStop < 0 {
		return
	}
	if w, ok := direct[bestStop]; !ok || bestWalk < w {
		seen["footpath after the last ride"]++
	}
	j, ok := r.Journey(bestStop)
	if !ok {
		t.Fatalf("no journey to a reached stop")
	}
	rides := 0
	forbidden := map[int32]bool{}
	for _, f := range feeds {
		for _, x := range f.Transfers {
			if x.Type == gtfs.TransferForbidden {
				if s, ok := r.tt.FindStop(stopID(feeds, f, x.From)); ok {
					forbidden[s] = true
				}
			}
		}
	}
	for i, l := range j.Legs {
		if l.Kind != Ride {
			continue
		}
		rides++
		if strings.HasSuffix(l.Trip, "(previous day)") {
			seen["previous-day trip ridden"]++
		}
		for _, f := range feeds {
			for ti := range f.Trips {
				if f.Trips[ti].ID == strings.TrimSuffix(l.Trip, " (previous day)") && f.Trips[ti].Frequency != gtfs.None {
					seen["frequency trip ridden"]++
				}
			}
		}
		if i < len(j.Legs)-1 && forbidden[l.To] {
			seen["transfer from a stop with a forbidden transfer"]++
		}
	}
	seen[fmt.Sprintf("journeys of %d rides", rides)]++
}

func stopID(feeds []*gtfs.Feed, f *gtfs.Feed, s int32) string {
	if len(feeds) > 1 {
		return f.Name + ":" + f.Stops[s].ID
	}
	return f.Stops[s].ID
}

// TestProfileRandom compares the profile search with the forward router
// on 500 random timetables: for random targets (egress stops and walks)
// and random origins (access stops and walks), every departure of a
// window gives the same arrival at a point, to the second, within the
// cap.
func TestProfileRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	date, _ := gtfs.ParseDate("2026-01-13")
	networks := 500
	if testing.Short() {
		networks = 200
	}
	seen := map[string]int{}
	compared, reached := 0, 0
	var prof Profile
	for n := range networks {
		feeds, p, tt := randomNetwork(t, rng, date)
		features := map[string]bool{
			fmt.Sprintf("board slack %d", p.BoardSlack):     true,
			fmt.Sprintf("max transfers %d", p.MaxTransfers): true,
			"previous-day trips":                            tt.Stats().PreviousDayTrips > 0,
			"overtaking split":                              overtakes(tt, feeds),
		}
		for _, f := range feeds {
			features["frequency trips"] = features["frequency trips"] || len(f.Frequencies) > 0
			for _, x := range f.Transfers {
				features["forbidden transfers"] = features["forbidden transfers"] || x.Type == gtfs.TransferForbidden
			}
		}
		ps := NewProfileSearcher(tt)
		r, single := NewRouter(tt), NewRouter(tt)
		orc := newOracle(feeds, date, p)
		netReached := 0
		for target := range 3 {
			var egress []Access
			for range 1 + rng.IntN(4) {
				egress = append(egress, Access{Stop: int32(rng.IntN(tt.NumStops())), Seconds: int32(rng.IntN(int(p.MaxWalk) + 1))})
			}
			from := randomDeparture(rng)
			step := []int32{60, 60, 23}[rng.IntN(3)]
			count := 1 + rng.IntN(120)
			to := from + step*int32(count-1) + 1 + int32(rng.IntN(int(step)))
			var deps []int32
			for d := from; d < to; d += step {
				// Now and then uneven departures (Eval's general case).
				if target != 1 || d == from || rng.IntN(3) > 0 {
					deps = append(deps, d)
				}
			}
			if err := ps.Search(egress, from, to, &prof); err != nil {
				t.Fatal(err)
			}
			got := make([]int32, len(deps))
			for origin := range 4 {
				acc := randomAccess(rng, tt.NumStops())
				prof.Eval(acc, deps, got)
				for i := range got {
					got[i] = capped(got[i], deps[i], p.MaxDuration)
				}
				want := reversed(forwardBest(r, acc, egress, reversed(deps), p.MaxDuration))
				for i := range deps {
					compared++
					if i%16 == 0 {
						if o := orc.egress(acc, egress, deps[i]); o != want[i] {
							t.Fatalf("timetable %d target %d origin %d (%+v; egress %v, access %v): departure %d: forward %d, oracle %d",
								n, target, origin, p, egress, acc, deps[i], want[i], o)
						}
					}
					if got[i] != want[i] {
						t.Fatalf("timetable %d target %d origin %d (%+v; egress %v, access %v): departure %d: profile %d, forward %d",
							n, target, origin, p, egress, acc, deps[i], got[i], want[i])
					}
					if want[i] != Unreached {
						reached++
						netReached++
						if i%4 == 0 {
							profileFeatures(t, single, feeds, acc, egress, deps[i], seen)
						}
					}
				}
			}
		}
		if netReached > 0 {
			for k, ok := range features {
				if ok {
					seen[k]++
				}
			}
		}
	}
	if reached == 0 || reached == compared {
		t.Fatalf("%d of %d departures reached: the comparison proves little", reached, compared)
	}
	for _, k := range []string{"board slack 0", "board slack 60", "max transfers 0", "max transfers 1", "max transfers 2",
		"max transfers 3", "max transfers 4", "previous-day trips", "overtaking split", "frequency trips", "forbidden transfers",
		"previous-day trip ridden", "frequency trip ridden", "transfer from a stop with a forbidden transfer",
		"footpath after the last ride", "journeys of 1 rides", "journeys of 2 rides", "journeys of 3 rides"} {
		if seen[k] == 0 {
			t.Errorf("the random timetables never exercised %s", k)
		}
	}
	t.Logf("%d departures compared, %d reached; exercised: %v", compared, reached, seen)
}

// overtakes tells whether some trips were split into more patterns than
// stop sequences because they overtake one another.
func overtakes(tt *Timetable, feeds []*gtfs.Feed) bool {
	seqs := map[string]bool{}
	for _, f := range feeds {
		for i := range f.Trips {
			tr := &f.Trips[i]
			seqs[fmt.Sprint(f.Name, f.StopTimes.Stop[tr.First:tr.First+tr.N])] = true
		}
	}
	return tt.Stats().Patterns > len(seqs)
}

// TestProfileReal compares the profile search with the forward router on
// real feeds: targets are the stops within walking reach of a few points
// placed near random stops, origins a few hundred such points, and every
// minute of the window is compared.
func TestProfileReal(t *testing.T) {
	for _, c := range []struct {
		name     string
		feeds    []string
		date     string
		from, to int32
	}{
		{"peribus", []string{"perigueux/peribus-gtfs.zip"}, "2026-01-13", 8 * 3600, 10 * 3600},
		{"poa-afternoon", []string{"porto-alegre/poa_eptc.zip", "porto-alegre/poa_trensurb.zip"}, "2019-05-13", 14 * 3600, 16 * 3600},
		{"poa-morning", []string{"porto-alegre/poa_eptc.zip", "porto-alegre/poa_trensurb.zip"}, "2019-05-13", 6 * 3600, 8 * 3600},
		{"poa-night", []string{"porto-alegre/poa_eptc.zip", "porto-alegre/poa_trensurb.zip"}, "2019-05-13", 21*3600 + 1800, 23*3600 + 1800},
	} {
		t.Run(c.name, func(t *testing.T) {
			feeds := openFeeds(t, c.feeds...)
			date, _ := gtfs.ParseDate(c.date)
			tt, err := Compile(feeds, date, DefaultParams())
			if err != nil {
				t.Fatal(err)
			}
			p := tt.Params()
			rng := rand.New(rand.NewPCG(9, uint64(c.from)))
			served := servedStops(tt)
			// A point within about 400 m of a random served stop.
			point := func() (lat, lon float64) {
				st := tt.Stop(served[rng.IntN(len(served))])
				return st.Lat + (rng.Float64()-0.5)*0.007, st.Lon + (rng.Float64()-0.5)*0.009
			}
			var deps []int32
			for d := c.from; d < c.to; d += 60 {
				deps = append(deps, d)
			}
			rdeps := reversed(deps)
			origins := 200
			if testing.Short() {
				origins = 20
			}
			ps := NewProfileSearcher(tt)
			r := NewRouter(tt)
			var prof Profile
			got := make([]int32, len(deps))
			compared, reached := 0, 0
			for _, npoints := range []int{3, 40} {
				best := map[int32]int32{}
				for range npoints {
					lat, lon := point()
					for _, a := range tt.StopsNear(lat, lon, p.MaxWalk, nil) {
						if w, ok := best[a.Stop]; !ok || a.Seconds < w {
							best[a.Stop] = a.Seconds
						}
					}
				}
				var egress []Access
				for s, w := range best {
					egress = append(egress, Access{Stop: s, Seconds: w})
				}
				if err := ps.Search(egress, c.from, c.to, &prof); err != nil {
					t.Fatal(err)
				}
				t.Logf("%d points, %d egress stops: %d profile entries, %d bytes", npoints, len(egress), prof.Len(), prof.Bytes())
				for range origins / 2 {
					lat, lon := point()
					acc := tt.StopsNear(lat, lon, p.MaxWalk, nil)
					prof.Eval(acc, deps, got)
					want := reversed(forwardBest(r, acc, egress, rdeps, p.MaxDuration))
					for i := range deps {
						compared++
						if g := capped(got[i], deps[i], p.MaxDuration); g != want[i] {
							t.Fatalf("origin (%.5f, %.5f), departure %d: profile %d, forward %d", lat, lon, deps[i], g, want[i])
						}
						if want[i] != Unreached {
							reached++
						}
					}
				}
			}
			if reached == 0 || reached == compared {
				t.Fatalf("%d of %d departures reached: the comparison proves little", reached, compared)
			}
			t.Logf("%d departures compared, %d reached", compared, reached)
		})
	}
}

// TestQuotient checks Eval's division by a multiplication against the
// division, for every step from 2 s to 2 h and the values around each
// multiple of it up to 3 days, the largest values, and random ones.
func TestQuotient(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for d := uint64(2); d <= 7200; d++ {
		inv := math.MaxUint64/d + 1
		check := func(x uint64) {
			if got, want := quotient(x, inv), int(x/d); got != want {
				t.Fatalf("%d / %d: %d, want %d", x, d, got, want)
			}
		}
		for m := uint64(0); m*d <= 3*86400+d; m++ {
			for _, x := range []uint64{m * d, m*d + 1, m*d + d - 1} {
				check(x)
			}
		}
		check(1<<32 - 1)
		check(1<<31 - 1)
		for range 50 {
			check(rng.Uint64N(1 << 32))
		}
	}
}

// randomNetwork draws one or two random feeds and routing parameters
// (slack, transfer walk, transfers, cap) and compiles them on date.
func randomNetwork(t *testing.T, rng *rand.Rand, date gtfs.Date) ([]*gtfs.Feed, Params, *Timetable) {
	t.Helper()
	feeds := []*gtfs.Feed{randomFeed(t, rng, "a")}
	if rng.IntN(4) == 0 {
		feeds = append(feeds, randomFeed(t, rng, "b"))
	}
	p := DefaultParams()
	p.BoardSlack = []int32{0, 60}[rng.IntN(2)]
	p.MaxTransferWalk = []float64{0, 300, 800, 2000}[rng.IntN(4)]
	p.MaxTransfers = rng.IntN(5)
	p.MaxDuration = []int32{1800, 3600, 7200}[rng.IntN(3)]
	tt, err := Compile(feeds, date, p)
	if err != nil {
		t.Fatal(err)
	}
	return feeds, p, tt
}
