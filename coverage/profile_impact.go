package coverage

// This file is the impact (impact.go) under the profile engine. A profile
// answers the best arrival at a category, not which point gives it; the
// impact needs, per cell and departure, the best site and the best value
// through any other site (best2). Both come exactly from the profiles of
// a few classes of sites, given by codes: with m classes, each site gets a
// distinct code of exactly w = ⌊m/2⌋ of them (m the least with C(m, w) ≥ n
// for n sites: 10 classes for 141 to 252 sites), and each class a profile
// of its own (m searches, none per cell). At a departure, with P_j the
// value of class j:
//
//   - the best value b1 is the least P_j (every site is in some class);
//   - J, the classes with P_j = b1, is the union of the codes of the sites
//     that reach the category at b1. Codes of equal weight are distinct,
//     so a union of two or more has more than w classes: when |J| > w two
//     sites tie, no site decides the departure, and best2 = b1;
//   - otherwise J is the code of the unique best site; every other site q
//     has a class outside J (its code is not inside J: same weight,
//     distinct), and no class outside J holds the best site: best2 is the
//     least P_j over the classes outside J.
//
// (Two classes per bit of the site's index, the first version, is the
// special case of codes with complementary halves: 2⌈log₂ n⌉ classes, 16
// for 194 sites.) A profile is exact wherever the travel time is within
// the cap, and beyond it (or Unreached) elsewhere, so the decoding is exact
// within the cap: the only place the impact looks (beyond it the decoded
// code may name no site). A category with one site needs one profile
// (best2 is Unreached: no other site).
//
// Cost: m searches per category instead of one, and m evaluations per
// cell; BENCHMARKS.md, issue 12.

import (
	"context"
	"fmt"
	"math/bits"
	"slices"

	"github.com/vingt/vingt/router"
	"github.com/vingt/vingt/walk"
)

// siteCodes returns the codes of n sites, increasing: every integer of m
// bits with ⌊m/2⌋ of them set, for the least m with enough of them (none
// for one site: a single class).
func siteCodes(n int) []uint32 {
	if n <= 1 {
		return nil
	}
	m := 2
	for binom(m, m/2) < n {
		m++
	}
	codes := make([]uint32, 0, n)
	for c := uint32(0); len(codes) < n; c++ {
		if bits.OnesCount32(c) == m/2 && c < 1<<m {
			codes = append(codes, c)
		}
	}
	return codes
}

// binom returns C(n, k), or more than any number of sites once large.
func binom(n, k int) int {
	r := 1
	for i := range k {
		r = r * (n - i) / (i + 1)
		if r > 1<<40 {
			return r
		}
	}
	return r
}

// buildClassEgress fills, per category, the codes of its sites and the
// egress lists of its classes: class j holds the stops within max_walk of
// a site whose code has bit j, with the walk from the stop itself to the
// nearest such site. A
// category with one site has one class, all its sites.
func (a *analysis) buildClassEgress() {
	var hits []walk.Hit
	for k := range a.egress {
		e := &a.egress[k]
		e.codes = siteCodes(len(e.sites))
		code := make([]uint32, len(e.site)) // site index → code
		for r, p := range e.sites {
			if e.codes != nil {
				code[p] = e.codes[r]
			}
		}
		nc := 1
		if e.codes != nil {
			nc = bits.Len32(e.codes[len(e.codes)-1])
		}
		e.cls = make([][]router.Access, nc)
		best := make([]int32, nc)
		// The walks from the stops themselves (e.direct): the search
		// chains a footpath before them itself, as for the plain run.
		for _, d := range e.direct {
			s := d.Stop
			hits = e.points.Within(a.tt.StopPlace(s), a.rp.MaxWalk, hits[:0])
			for j := range best {
				best[j] = router.Unreached
			}
			for _, h := range hits {
				if e.codes == nil {
					best[0] = min(best[0], h.Seconds)
					continue
				}
				for c := code[e.site[h.Place]]; c != 0; c &= c - 1 {
					j := bits.TrailingZeros32(c)
					best[j] = min(best[j], h.Seconds)
				}
			}
			for j, v := range best {
				if v != router.Unreached {
					e.cls[j] = append(e.cls[j], router.Access{Stop: s, Seconds: v})
				}
			}
		}
	}
}

// buildImpactProfiles runs the profile searches of every site class of
// every category, in parallel.
func (a *analysis) buildImpactProfiles(ctx context.Context, workers int) error {
	a.buildClassEgress()
	pr := &profiles{cls: make([][]router.Profile, len(a.cats))}
	for m := range a.minutes {
		pr.deps = append(pr.deps, a.p.From+int32(m)*a.p.Step)
	}
	type job struct{ k, j int }
	var jobs []job
	for k := range a.cats {
		pr.cls[k] = make([]router.Profile, len(a.egress[k].cls))
		for j := range pr.cls[k] {
			jobs = append(jobs, job{k, j})
		}
	}
	err := a.searchAll(ctx, workers, len(jobs), func(ps *router.ProfileSearcher, i int) error {
		jb := jobs[i]
		if err := ps.Search(a.egress[jb.k].cls[jb.j], a.p.From, a.p.To, &pr.cls[jb.k][jb.j]); err != nil {
			return fmt.Errorf("coverage: category %s: %w", a.cats[jb.k].Name, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	a.profiles = pr
	return nil
}

// evalImpactProfiles sets, for every category and departure, the best
// arrival by transit (best), its site when no other site ties with it
// (bestPt, else -1) and the best arrival through another site (best2),
// from the site classes' profiles.
func (a *analysis) evalImpactProfiles(s *scratch) {
	deps := a.profiles.deps
	for k := range a.cats {
		e := &a.egress[k]
		prof := a.profiles.cls[k]
		for len(s.clsBuf) < len(prof) {
			s.clsBuf = append(s.clsBuf, make([]int32, a.minutes))
		}
		for j := range prof {
			prof[j].Eval(s.access, deps, s.clsBuf[j])
		}
		best, bestPt, best2 := s.best[k], s.bestPt[k], s.best2[k]
		if len(prof) == 1 { // one site
			for m, v := range s.clsBuf[0] {
				best[m], bestPt[m], best2[m] = v, -1, router.Unreached
				if v != router.Unreached {
					bestPt[m] = e.sites[0]
				}
			}
			continue
		}
		w := len(prof) / 2 // the weight of a code
		for m := range best {
			b1 := router.Unreached
			for j := range prof {
				b1 = min(b1, s.clsBuf[j][m])
			}
			best[m], bestPt[m], best2[m] = b1, -1, router.Unreached
			if b1 == router.Unreached {
				continue
			}
			var in uint32
			b2 := router.Unreached
			for j := range prof {
				if v := s.clsBuf[j][m]; v == b1 {
					in |= 1 << j
				} else {
					b2 = min(b2, v)
				}
			}
			switch n := bits.OnesCount32(in); {
			case n > w: // two sites reach it at b1
				best2[m] = b1
			case n == w:
				best2[m] = b2
				// Beyond the cap the values are not exact and the code
				// may name no site; the impact does not look there.
				if r, ok := slices.BinarySearch(e.codes, in); ok {
					bestPt[m] = e.sites[r]
				}
			default:
				best2[m] = b2
			}
		}
	}
}
