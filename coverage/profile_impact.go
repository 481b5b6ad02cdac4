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
// for 194 sites.)
//
// Only within the threshold. What the impact writes needs the best site
// and best2 only at the departures whose travel time is within the
// threshold T (impact.go, cellImpact): the nearest point, the sole points
// and the without columns count those departures alone, and whether
// best2 is within T is all a closure changes there. So the class
// searches are bounded by T (router.ProfileSearcher.SearchWithin): a
// class profile is exact wherever the class's travel time is within T,
// and beyond T (or Unreached) elsewhere, never below the class's true
// value (its entries are journeys). The best value b1 itself comes from
// the category's own profile (the plain run's search, exact within the
// cap). At a departure with b1 within T the classes with P_j = b1 are
// exactly those holding a site reached at b1 (their value is b1 ≤ T,
// exact; every other class is above b1), so J, the site and the tie are
// exact; best2 is exact when within T, and beyond T when the true best2
// is (each class value is at least its true one). At the other departures
// nothing is decoded (bestPt is notDecoded): the one output that may look
// there, the point deciding an unserved cell's percentile (between T and
// the cap, nearest_<category>), asks the forward router at that departure
// (transitSite), as the forward engine computes it. A category with one
// site needs no class (best2 is Unreached: no other site).
//
// Cost: one search per category bounded by the cap, as the plain run,
// and m per category bounded by the threshold; m evaluations per cell
// that reaches the category within T by transit; a forward search per
// unserved cell whose percentile transit decides. BENCHMARKS.md, issue 12.

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
// nearest such site. A category with one site has no class (its own
// profile says all).
func (a *analysis) buildClassEgress() {
	var hits []walk.Hit
	for k := range a.egress {
		e := &a.egress[k]
		e.codes = siteCodes(len(e.sites))
		if e.codes == nil {
			continue
		}
		code := make([]uint32, len(e.site)) // site index → code
		for r, p := range e.sites {
			code[p] = e.codes[r]
		}
		nc := bits.Len32(e.codes[len(e.codes)-1])
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

// notDecoded is bestPt at a departure whose best value is beyond the
// threshold, where the profile engine does not decode the site classes.
const notDecoded = -2

// classLimit is the travel time within which the class profiles answer:
// the threshold (the cap when it is lower).
func (a *analysis) classLimit() int32 { return min(a.p.Threshold, a.rp.MaxDuration) }

// buildImpactProfiles runs, in parallel, the profile search of every
// category (bounded by the cap, as the plain run) and those of its site
// classes (bounded by the threshold), when it has two sites or more.
func (a *analysis) buildImpactProfiles(ctx context.Context, workers int) error {
	a.buildClassEgress()
	pr := &profiles{prof: make([]router.Profile, len(a.cats)), cls: make([][]router.Profile, len(a.cats))}
	for m := range a.minutes {
		pr.deps = append(pr.deps, a.p.From+int32(m)*a.p.Step)
	}
	type job struct{ k, j int } // j = -1: the category's own search
	var jobs []job
	for k := range a.cats {
		jobs = append(jobs, job{k, -1})
	}
	for k := range a.cats {
		if a.egress[k].codes == nil {
			continue
		}
		pr.cls[k] = make([]router.Profile, len(a.egress[k].cls))
		for j := range pr.cls[k] {
			jobs = append(jobs, job{k, j})
		}
	}
	limit := a.classLimit()
	err := a.searchAll(ctx, workers, len(jobs), func(ps *router.ProfileSearcher, i int) error {
		jb := jobs[i]
		e := &a.egress[jb.k]
		var err error
		if jb.j < 0 {
			err = ps.Search(e.direct, a.p.From, a.p.To, &pr.prof[jb.k])
		} else {
			err = ps.SearchWithin(e.cls[jb.j], a.p.From, a.p.To, limit, &pr.cls[jb.k][jb.j])
		}
		if err != nil {
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
// arrival by transit (best, from the category's profile) and, where it is
// within the threshold, its site when no other site ties with it (bestPt,
// else -1) and the best arrival through another site (best2, exact when
// within the threshold), from the site classes' profiles; elsewhere
// bestPt is notDecoded.
func (a *analysis) evalImpactProfiles(s *scratch) {
	deps := a.profiles.deps
	limit := a.classLimit()
	for k := range a.cats {
		e := &a.egress[k]
		best, bestPt, best2 := s.best[k], s.bestPt[k], s.best2[k]
		a.profiles.prof[k].Eval(s.access, deps, best)
		prof := a.profiles.cls[k]
		if len(prof) == 0 { // one site
			for m, v := range best {
				bestPt[m], best2[m] = -1, router.Unreached
				if v != router.Unreached {
					bestPt[m] = e.sites[0]
				}
			}
			continue
		}
		within := false
		for m, v := range best {
			bestPt[m], best2[m] = notDecoded, router.Unreached
			within = within || v != router.Unreached && v-deps[m] <= limit
		}
		if !within {
			continue // no class is looked at
		}
		for len(s.clsBuf) < len(prof) {
			s.clsBuf = append(s.clsBuf, make([]int32, a.minutes))
		}
		for j := range prof {
			prof[j].Eval(s.access, deps, s.clsBuf[j])
		}
		w := len(prof) / 2 // the weight of a code
		for m, b1 := range best {
			if b1 == router.Unreached || b1-deps[m] > limit {
				continue
			}
			bestPt[m] = -1
			var in uint32
			b2 := router.Unreached
			for j := range prof {
				if v := s.clsBuf[j][m]; v == b1 {
					in |= 1 << j
				} else {
					b2 = min(b2, v)
				}
			}
			// Within the limit J is the union of the codes of the sites
			// reached at b1: one code names the site, more is a tie.
			if bits.OnesCount32(in) > w { // two sites reach it at b1
				best2[m] = b1
				continue
			}
			best2[m] = b2
			if r, ok := slices.BinarySearch(e.codes, in); ok {
				bestPt[m] = e.sites[r]
			}
		}
	}
}
