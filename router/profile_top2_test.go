package router

import (
	"math/rand/v2"
	"testing"

	"github.com/vingt/vingt/gtfs"
)

// TestProfileTop2Random compares the top-two profile search with the
// forward router on random timetables: per departure, the best arrival
// through each site (the site's egress walks chained with a footpath, as
// ChainEgress does), then the least, its site when no other ties, and the
// least through another site, all within the cap.
func TestProfileTop2Random(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	date, _ := gtfs.ParseDate("2026-01-13")
	networks := 300
	if testing.Short() {
		networks = 100
	}
	var prof, near ProfileTop2
	compared, reached, second, ties := 0, 0, 0, 0
	for n := range networks {
		_, p, tt := randomNetwork(t, rng, date)
		ts := NewTop2Searcher(tt)
		r := NewRouter(tt)
		for range 3 {
			// Sites: each a few egress walks; some walks equal (ties).
			nsites := 1 + rng.IntN(4)
			siteEgress := make([][]Access, nsites)
			var egress []StopTop2
			for q := range nsites {
				for range 1 + rng.IntN(3) {
					e := Access{Stop: int32(rng.IntN(tt.NumStops())), Seconds: int32(60 * rng.IntN(int(p.MaxWalk)/60+1))}
					siteEgress[q] = append(siteEgress[q], e)
					egress = append(egress, StopTop2{e.Stop, Top2{e.Seconds, int32(q), Unreached}})
				}
			}
			chained := make([][]Access, nsites)
			for q := range nsites {
				chained[q] = tt.ChainEgress(siteEgress[q])
			}
			from := randomDeparture(rng)
			step := []int32{60, 60, 23}[rng.IntN(3)]
			count := 1 + rng.IntN(120)
			to := from + step*int32(count-1) + 1 + int32(rng.IntN(int(step)))
			var deps []int32
			for d := from; d < to; d += step {
				deps = append(deps, d)
			}
			if err := ts.Search(egress, from, to, &prof); err != nil {
				t.Fatal(err)
			}
			// The nearest-site search of the same egress, after the full
			// one in the same searcher (it must reset the mode too).
			if err := ts.SearchNearest(egress, from, to, &near); err != nil {
				t.Fatal(err)
			}
			if near.Bytes() > prof.Bytes() {
				t.Fatalf("timetable %d: the nearest-site profile takes %d bytes, more than the top-two's %d", n, near.Bytes(), prof.Bytes())
			}
			got := make([]Top2, len(deps))
			gotNear := make([]Top2, len(deps))
			for origin := range 4 {
				acc := randomAccess(rng, tt.NumStops())
				prof.Eval(acc, deps, got)
				near.Eval(acc, deps, gotNear)
				i := len(deps) - 1
				r.RangeAt(acc, reversed(deps), func(dep int32, _ []int32) {
					per := make([]int32, nsites)
					for q := range nsites {
						per[q] = Unreached
						for _, e := range chained[q] {
							if a := r.RideArrival(e.Stop); a != Unreached && a+e.Seconds < per[q] {
								per[q] = a + e.Seconds
							}
						}
					}
					w := NoTop2
					for q, v := range per {
						w = w.Combine(Top2{v, int32(q), Unreached}.within(Unreached - 1))
					}
					g := got[i]
					in := func(v int32) bool { return v != Unreached && v-dep <= p.MaxDuration }
					compared++
					bad := in(w.V1) != in(g.V1) || in(w.V1) && g.V1 != w.V1 ||
						in(w.V1) && (in(w.V2) != in(g.V2) || in(w.V2) && g.V2 != w.V2) ||
						in(w.V1) && w.V2 != w.V1 && g.S1 != w.S1
					if bad {
						t.Fatalf("timetable %d origin %d departure %d (%+v): forward %+v (per site %v), profile %+v", n, origin, dep, p, w, per, g)
					}
					// The nearest-site profile: the same least value, and
					// the same site, or a tie where the forward one ties.
					gn := gotNear[i]
					if in(w.V1) != in(gn.V1) || in(w.V1) && (gn.V1 != w.V1 || (gn.V2 == gn.V1) != (w.V2 == w.V1) || w.V2 != w.V1 && gn.S1 != w.S1) ||
						gn.V2 != gn.V1 && gn.V2 != Unreached {
						t.Fatalf("timetable %d origin %d departure %d (%+v): forward %+v (per site %v), nearest-site profile %+v", n, origin, dep, p, w, per, gn)
					}
					if in(w.V1) {
						reached++
						if in(w.V2) {
							second++
						}
						if w.V2 == w.V1 {
							ties++
						}
					}
					i--
				})
			}
		}
	}
	t.Logf("%d departures compared, %d reached, %d with a second site within the cap, %d ties", compared, reached, second, ties)
	if reached == 0 || second == 0 || ties == 0 {
		t.Fatal("the comparison proves little")
	}
}
