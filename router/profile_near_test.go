package router

import (
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/vingt/vingt/gtfs"
)

// canonical returns the label projected by tied, with a tie's site
// forgotten (-1): what the nearest-site search keeps of it.
func canonical(l Top2) Top2 {
	l = l.tied()
	if l.V1 == Unreached {
		return NoTop2
	}
	if l.V2 == l.V1 {
		l.S1 = -1
	}
	return l
}

// TestNearAlgebra checks the packed labels of the nearest-site search
// against Top2's operations projected (canonical): Combine, shift and
// within, on random labels with negative, equal and unreached arrivals
// (EvalPruned evaluates nearest-site profiles on the same labels).
func TestNearAlgebra(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	label := func() Top2 {
		if rng.IntN(8) == 0 {
			return NoTop2
		}
		v := int32(rng.IntN(7)) - 3 + []int32{0, -86400, 100000}[rng.IntN(3)]
		l := Top2{v, int32(rng.IntN(3)), Unreached}
		switch rng.IntN(3) {
		case 0:
			l.V2 = v
		case 1:
			l.V2 = v + int32(rng.IntN(3))
		}
		if rng.IntN(20) == 0 {
			l.S1 = 1<<31 - 1
		}
		return l
	}
	for range 200000 {
		a, b := label(), label()
		na, nb := nearOf(a), nearOf(b)
		if got, want := na.top2(), canonical(a); got != want {
			t.Fatalf("%+v: packed %#x reads %+v, want %+v", a, uint64(na), got, want)
		}
		if got, want := na.comb(nb).top2(), canonical(a.Combine(b)); got != want {
			t.Fatalf("%+v combined with %+v: packed %+v, want %+v", a, b, got, want)
		}
		d := int32(rng.IntN(200001)) - 100000
		if got, want := na.shift(d).top2(), canonical(a.shift(d)); got != want {
			t.Fatalf("%+v shifted by %d: packed %+v, want %+v", a, d, got, want)
		}
		h := a.V1 + int32(rng.IntN(5)) - 2
		if a.V1 == Unreached {
			h = int32(rng.IntN(1000))
		}
		if got, want := na.within(h).top2(), canonical(a.within(h)); got != want {
			t.Fatalf("%+v within %d: packed %+v, want %+v", a, h, got, want)
		}
		if (na < nb) != (a.V1 < b.V1) && a.V1 != b.V1 {
			t.Fatalf("%+v and %+v: packed labels ordered otherwise", a, b)
		}
	}
}

// TestNearestMatchesTop2 compares the nearest-site search with the
// top-two search projected, on random timetables with ties: per
// departure, second by second, the same least value, and the same site
// or a tie.
func TestNearestMatchesTop2(t *testing.T) {
	rng := rand.New(rand.NewPCG(33, 34))
	date, _ := gtfs.ParseDate("2026-01-13")
	networks := 200
	if testing.Short() {
		networks = 60
	}
	var full, near, batched ProfileTop2
	compared, reached, ties, split := 0, 0, 0, 0
	for n := range networks {
		_, p, tt := randomNetwork(t, rng, date)
		ts := NewTop2Searcher(tt)
		for range 3 {
			var egress []StopTop2
			for q := range 1 + rng.IntN(5) {
				for range 1 + rng.IntN(3) {
					egress = append(egress, StopTop2{int32(rng.IntN(tt.NumStops())), Top2{int32(60 * rng.IntN(int(p.MaxWalk)/60+1)), int32(q), Unreached}})
				}
			}
			from := randomDeparture(rng)
			to := from + 1 + int32(rng.IntN(3600))
			if err := ts.SearchNearest(egress, from, to, &near); err != nil {
				t.Fatal(err)
			}
			if err := ts.Search(egress, from, to, &full); err != nil {
				t.Fatal(err)
			}
			// S merged by small batches: the same profile, entry for entry.
			ns := ts.nearest()
			once := ns.flushes
			ns.batch = 1 + rng.IntN(6)
			if err := ts.SearchNearest(egress, from, to, &batched); err != nil {
				t.Fatal(err)
			}
			ns.batch = nearBatch
			if !slices.Equal(near.off, batched.off) || !slices.Equal(near.tau, batched.tau) || !slices.Equal(near.pk, batched.pk) {
				t.Fatalf("timetable %d: S merged by batches of %d gives another profile", n, ns.batch)
			}
			if ns.flushes > once {
				split++
			}
			var deps []int32
			for d := from; d < to; d++ {
				deps = append(deps, d)
			}
			got, want := make([]Top2, len(deps)), make([]Top2, len(deps))
			for origin := range 4 {
				acc := randomAccess(rng, tt.NumStops())
				near.Eval(acc, deps, got)
				full.Eval(acc, deps, want)
				for i := range deps {
					g, w := canonical(got[i]), canonical(want[i])
					if g != w {
						t.Fatalf("timetable %d origin %d departure %d: nearest-site profile %+v, top-two %+v", n, origin, deps[i], got[i], want[i])
					}
					compared++
					if w.V1 != Unreached {
						reached++
						if w.S1 < 0 {
							ties++
						}
					}
				}
			}
		}
	}
	t.Logf("%d departures compared, %d reached, %d ties, %d searches merged S in more batches", compared, reached, ties, split)
	if reached == 0 || ties == 0 || split == 0 {
		t.Fatal("the comparison proves little")
	}
}

// TestLazyLabels checks that a nearest-site profile unpacks its labels
// only when something reads them (evaluations on packed labels do not),
// once, from concurrent evaluations, to what the search computed.
func TestLazyLabels(t *testing.T) {
	rng := rand.New(rand.NewPCG(35, 36))
	date, _ := gtfs.ParseDate("2026-01-13")
	_, p, tt := randomNetwork(t, rng, date)
	ts := NewTop2Searcher(tt)
	ts.SetAbsorbers(false)
	var egress []StopTop2
	for q := range 4 {
		egress = append(egress, StopTop2{int32(rng.IntN(tt.NumStops())), Top2{int32(60 * rng.IntN(int(p.MaxWalk)/60+1)), int32(q), Unreached}})
	}
	from := randomDeparture(rng)
	var near ProfileTop2
	if err := ts.SearchNearest(egress, from, from+3600, &near); err != nil {
		t.Fatal(err)
	}
	if len(near.lab) != 0 || len(near.pk) != len(near.tau) {
		t.Fatalf("after the search: %d labels unpacked, %d packed, %d entries", len(near.lab), len(near.pk), len(near.tau))
	}
	var deps []int32
	for d := from; d < from+3600; d += 60 {
		deps = append(deps, d)
	}
	acc := randomAccess(rng, tt.NumStops())
	v1, site := make([]int32, len(deps)), make([]int32, len(deps))
	var sc EvalScratch
	near.EvalNearest(&sc, acc, mustDepartures(t, deps), v1, site)
	if len(near.lab) != 0 {
		t.Fatal("an evaluation on packed labels unpacked them")
	}
	outs := make([][]Top2, 8)
	var wg sync.WaitGroup
	for g := range outs {
		outs[g] = make([]Top2, len(deps))
		wg.Go(func() { near.Eval(acc, deps, outs[g]) })
	}
	wg.Wait()
	for g := range outs {
		if !slices.Equal(outs[g], outs[0]) {
			t.Fatalf("evaluation %d differs from the first", g)
		}
	}
	for j, l := range near.pk {
		if near.lab[j] != l.top2() {
			t.Fatalf("entry %d: unpacked %+v, packed %+v", j, near.lab[j], l.top2())
		}
	}
}
