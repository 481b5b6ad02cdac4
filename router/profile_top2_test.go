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
			if len(near.tau) > len(prof.tau) {
				t.Fatalf("timetable %d: the nearest-site profile has %d entries, more than the top-two's %d", n, len(near.tau), len(prof.tau))
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

// TestEvalPrunedRandom compares EvalPruned with Eval (values beyond the
// cap dropped, ties' sites set to -1) on random timetables, top-two and
// nearest-site profiles, with and without opening hours' timed items
// left aside: the same labels at every departure. It fails unless both
// rules left stops out.
func TestEvalPrunedRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(27, 28))
	date, _ := gtfs.ParseDate("2026-01-13")
	networks := 300
	if testing.Short() {
		networks = 100
	}
	var prof ProfileTop2
	var sc EvalScratch
	evals := 0
	for n := range networks {
		_, p, tt := randomNetwork(t, rng, date)
		ts := NewTop2Searcher(tt)
		ts.SetAbsorbers(n%5 != 0) // exact without the lists too
		for rep := range 4 {
			nsites := 1 + rng.IntN(4)
			var egress []StopTop2
			for q := range nsites {
				for range 1 + rng.IntN(3) {
					egress = append(egress, StopTop2{int32(rng.IntN(tt.NumStops())), Top2{int32(60 * rng.IntN(int(p.MaxWalk)/60+1)), int32(q), Unreached}})
				}
			}
			from := randomDeparture(rng)
			step := []int32{60, 60, 23, 1}[rng.IntN(4)]
			count := 1 + rng.IntN(120)
			to := from + step*int32(count-1) + 1 + int32(rng.IntN(int(step)))
			var deps []int32
			uneven := rng.IntN(4) == 0
			for d := from; d < to; d += step {
				if !uneven || d == from || rng.IntN(3) > 0 {
					deps = append(deps, d) // some left out: uneven steps
				}
			}
			search := ts.Search
			if rep%2 == 1 {
				search = ts.SearchNearest
			}
			if err := search(egress, from, to, &prof); err != nil {
				t.Fatal(err)
			}
			want := make([]Top2, len(deps))
			got := make([]Top2, len(deps))
			for origin := range 12 {
				var acc []Access
				if origin%2 == 0 {
					acc = randomAccess(rng, tt.NumStops())
				} else {
					// Many stops, walks up to MaxWalk: what a cell has.
					for s := range int32(tt.NumStops()) {
						w := int32(rng.IntN(int(p.MaxWalk) + 1))
						if origin%4 == 3 {
							w -= w % 60 // whole minutes, as the timetable: ties
						}
						if rng.IntN(3) > 0 {
							acc = append(acc, Access{s, w})
						}
					}
				}
				prof.Eval(acc, deps, want)
				prof.normalize(deps, want)
				d := mustDepartures(t, deps)
				prof.EvalPruned(&sc, acc, d, got)
				checkNearest(t, &prof, &sc, acc, d, got)
				evals++
				for i := range deps {
					if got[i] != want[i] {
						t.Fatalf("timetable %d, search %d, origin %d (%d access stops), departure %d: pruned %+v, all stops %+v", n, rep, origin, len(acc), deps[i], got[i], want[i])
					}
				}
			}
		}
	}
	t.Logf("%d evaluations, %d stops absorbed, %d too slow", evals, sc.absorbedN, sc.slowN)
	if sc.absorbedN == 0 || sc.slowN == 0 {
		t.Fatal("a rule never left a stop out: the comparison proves little")
	}
}

// TestEvalPrunedTieAtBound is the case the random networks rarely draw:
// a stop whose fastest journey is exactly as slow as the cell's slowest
// departure, to another site. It ties there, so EvalPruned must not leave
// it out (nor its entry): the site becomes a tie.
func TestEvalPrunedTieAtBound(t *testing.T) {
	p := ProfileTop2{n: 5, from: 0, to: 60, ties: true, capT: 3600, maxWalk: 900, pruned: true}
	for s := range int32(5) {
		p.off = append(p.off, s)
		p.tau = append(p.tau, 0)
		site := int32(0)
		if s == 4 {
			site = 1
		}
		p.lab = append(p.lab, Top2{100, site, Unreached})
		p.minTT = append(p.minTT, 100)
	}
	p.off = append(p.off, 5)
	p.absOff = make([]int32, 6)
	var access []Access
	for s := range int32(5) {
		access = append(access, Access{s, 0})
	}
	deps := []int32{0}
	for _, packed := range []bool{false, true} {
		p.pk = nil
		if packed {
			for _, l := range p.lab {
				p.pk = append(p.pk, nearOf(l))
			}
		}
		want, got := make([]Top2, 1), make([]Top2, 1)
		p.Eval(access, deps, want)
		p.normalize(deps, want)
		var sc EvalScratch
		d := mustDepartures(t, deps)
		p.EvalPruned(&sc, access, d, got)
		checkNearest(t, &p, &sc, access, d, got)
		if want[0] != (Top2{100, -1, 100}) || got[0] != want[0] {
			t.Fatalf("packed %v: pruned %+v, all stops %+v, want a tie at 100", packed, got[0], want[0])
		}
	}
}

// TestEvalPrunedPortoAlegre compares EvalPruned with Eval on the Porto
// Alegre feeds: nearest-site and top-two profiles towards 117 random
// sites (as many as the example's healthcare hexagons), 14:00–16:00, from
// 1,000 origins around served stops with all their access stops.
func TestEvalPrunedPortoAlegre(t *testing.T) {
	l := load(t, profileCases[1])
	tt := l.tt
	rng := rand.New(rand.NewPCG(31, 32))
	served := servedStops(tt)
	var egress []StopTop2
	for q := range 117 {
		st := tt.Stop(served[rng.IntN(len(served))])
		for _, a := range tt.StopsNear(st.Lat, st.Lon, tt.params.MaxWalk, nil) {
			egress = append(egress, StopTop2{a.Stop, Top2{a.Seconds, int32(q), Unreached}})
		}
	}
	from, to := int32(14*3600), int32(16*3600)
	var deps []int32
	for d := from; d < to; d += 60 {
		deps = append(deps, d)
	}
	ts := NewTop2Searcher(tt)
	want, got := make([]Top2, len(deps)), make([]Top2, len(deps))
	origins := 1000
	if testing.Short() {
		origins = 200
	}
	for _, nearest := range []bool{true, false} {
		var p ProfileTop2
		search := ts.Search
		if nearest {
			search = ts.SearchNearest
		}
		if err := search(egress, from, to, &p); err != nil {
			t.Fatal(err)
		}
		var sc EvalScratch
		total := 0
		for o := range origins {
			st := tt.Stop(served[rng.IntN(len(served))])
			acc := tt.StopsNear(st.Lat+(rng.Float64()-0.5)*0.01, st.Lon+(rng.Float64()-0.5)*0.01, tt.params.MaxWalk, nil)
			total += len(acc)
			p.Eval(acc, deps, want)
			p.normalize(deps, want)
			d := mustDepartures(t, deps)
			p.EvalPruned(&sc, acc, d, got)
			checkNearest(t, &p, &sc, acc, d, got)
			for i := range deps {
				if got[i] != want[i] {
					t.Fatalf("nearest %v, origin %d (%d access stops), departure %d: pruned %+v, all stops %+v", nearest, o, len(acc), deps[i], got[i], want[i])
				}
			}
		}
		t.Logf("nearest %v: %d access stops, %d absorbed, %d too slow", nearest, total, sc.absorbedN, sc.slowN)
		if sc.absorbedN == 0 || sc.slowN == 0 {
			t.Fatal("a rule never left a stop out")
		}
	}
}

// mustDepartures returns NewDepartures(deps), failing t on an error.
func mustDepartures(t *testing.T, deps []int32) Departures {
	t.Helper()
	d, err := NewDepartures(deps)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// checkNearest compares EvalNearest with the labels of EvalPruned (want)
// on a nearest-site profile: the same earliest arrival and site, -1 for a
// tie or none.
func checkNearest(t *testing.T, p *ProfileTop2, sc *EvalScratch, access []Access, d Departures, want []Top2) {
	t.Helper()
	if !p.ties {
		return
	}
	v, site := make([]int32, d.Len()), make([]int32, d.Len())
	p.EvalNearest(sc, access, d, v, site)
	for i := range v {
		if v[i] != want[i].V1 || site[i] != want[i].S1 {
			t.Fatalf("departure %d: EvalNearest %d at site %d, EvalPruned %+v", d.deps[i], v[i], site[i], want[i])
		}
	}
}

// TestNewDepartures refuses departures that do not increase.
func TestNewDepartures(t *testing.T) {
	for _, c := range []struct {
		deps []int32
		step int32
		ok   bool
	}{
		{nil, 0, true},
		{[]int32{5}, 0, true},
		{[]int32{0, 60, 120}, 60, true},
		{[]int32{0, 60, 130}, 0, true},
		{[]int32{0, 60, 60}, 0, false},
		{[]int32{0, -60}, 0, false},
	} {
		d, err := NewDepartures(c.deps)
		if (err == nil) != c.ok || c.ok && d.step != c.step {
			t.Errorf("%v: step %d, error %v", c.deps, d.step, err)
		}
	}
}
