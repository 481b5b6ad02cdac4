package coverage

// This file is the impact (impact.go) under the profile engine. A profile
// answers the best arrival at a category, not which point gives it; the
// impact needs, per cell and departure, the best site and the best value
// through any other site (best2). Both come from one top-two profile
// search per category (router.Top2Searcher): its labels are (best
// arrival, a site giving it, best arrival through another site), which
// combine exactly as the minimum does (router/profile_top2.go), so the
// backward search and the evaluation per cell carry them as the plain
// run carries the arrival. Each stop's egress is the label of its walks:
// its nearest site and the nearest other site (the search chains a
// footpath before them, as for the plain run); for a category with
// opening hours, the label of the times its points serve one alighting
// there (router.Top2Searcher.SearchOpen). The labels are exact
// wherever the travel time is within the cap, and beyond it (or
// Unreached) elsewhere: the impact looks only within the cap.
//
// History (BENCHMARKS.md, issue 12): the first versions ran m searches
// per category over classes of sites given by constant-weight codes (10
// for 141 to 252 sites, the least any class code allows), 2.35–2.70× the
// run without --impact on Porto Alegre.

import (
	"github.com/vingt/vingt/router"
	"github.com/vingt/vingt/walk"
)

// buildTop2Egress fills, per category, the egress labels of its stops:
// the walk from the stop itself to its nearest site and to the nearest
// other site (-1 and Unreached when none).
func (a *analysis) buildTop2Egress() {
	var hits []walk.Hit
	for k := range a.egress {
		e := &a.egress[k]
		e.top2 = e.top2[:0]
		if e.timed() {
			continue
		}
		for _, d := range e.direct {
			hits = e.points.Within(a.tt.StopPlace(d.Stop), a.rp.MaxWalk, hits[:0])
			p1, s1, _, s2 := nearest2(hits, e.site)
			if p1 < 0 {
				continue
			}
			e.top2 = append(e.top2, router.StopTop2{Stop: d.Stop, L: router.Top2{V1: s1, S1: p1, V2: s2}})
		}
	}
}

// evalTop2 sets, for category k and every departure, the best arrival by
// transit (best), its site when no other site ties with it (bestPt, else
// -1) and, with the impact, the best arrival through another site (best2),
// from the category's top-two or nearest-site profile.
func (a *analysis) evalTop2(s *scratch, k int) {
	best, bestPt, best2 := s.best[k], s.bestPt[k], s.best2[k]
	if !a.impact {
		// A nearest-site profile: no second site but a tie.
		a.profiles.top2[k].EvalNearest(&s.evalScratch, s.access, a.profiles.deps, best, bestPt)
		return
	}
	if len(s.top2Buf) < a.minutes {
		s.top2Buf = make([]router.Top2, a.minutes)
	}
	a.profiles.top2[k].EvalPruned(&s.evalScratch, s.access, a.profiles.deps, s.top2Buf)
	for m, l := range s.top2Buf[:a.minutes] {
		best[m], bestPt[m], best2[m] = l.V1, l.S1, l.V2
		if l.V1 == router.Unreached || l.V2 == l.V1 {
			bestPt[m] = -1 // none, or two sites tie
		}
	}
}
