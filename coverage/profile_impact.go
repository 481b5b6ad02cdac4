package coverage

// This file is the impact (impact.go) under the profile engine. A profile
// answers the best arrival at a category, not which point gives it; the
// impact needs, per cell and departure, the best site and the best value
// through any other site (best2). Both come exactly from profiles of
// classes of sites, by the bits of the site's index (its rank among the
// category's sites): with K = ⌈log₂ n⌉ bits for n sites, class (b, c)
// holds the sites whose bit b is c, and gets a profile of its own (2K
// searches, none per cell). At a departure:
//
//   - the best value b1 is min(P(b,0), P(b,1)) for any bit b, since the
//     two classes of a bit split the sites;
//   - when P(b,0) = P(b,1) for some bit, two distinct sites reach the
//     category at b1: no site decides the departure, and best2 = b1;
//   - otherwise the best site is unique, and its bit b is the class that
//     gives b1; every other site differs from it in some bit b, so lies in
//     the class (b, not its bit), which holds no copy of the best site:
//     best2 = min over the bits of the other class's value.
//
// A profile is exact wherever the travel time is within the cap, and
// beyond it (or Unreached) elsewhere, so the decoding is exact within the
// cap: the only place where the impact looks. A category with one site
// needs a single profile (best2 is Unreached: no other site).
//
// Cost: 2K searches per category instead of one (16 for 141 to 256
// sites), and 2K evaluations per cell; BENCHMARKS.md, issue 12.

import (
	"context"
	"fmt"
	"math/bits"
	"sync"
	"sync/atomic"

	"github.com/vingt/vingt/router"
	"github.com/vingt/vingt/walk"
)

// siteBits returns the number of bits of the site indices of a category
// with n sites (0 for one site).
func siteBits(n int) int { return bits.Len(uint(max(n, 1) - 1)) }

// buildClassEgress fills, per category, the egress lists of its site
// classes: class 2b+c holds the stops within max_walk of a site whose
// bit b is c, with the walk to the nearest such site. A category with one
// site has one class, all its sites.
func (a *analysis) buildClassEgress() {
	var hits []walk.Hit
	for k := range a.egress {
		e := &a.egress[k]
		rank := make([]int32, len(e.site)) // site index → rank among the sites
		for r, p := range e.sites {
			rank[p] = int32(r)
		}
		nb := siteBits(len(e.sites))
		nc := max(1, 2*nb)
		e.cls = make([][]router.Access, nc)
		best := make([]int32, nc)
		for _, s := range e.stops {
			hits = e.points.Within(a.tt.StopPlace(s), a.rp.MaxWalk, hits[:0])
			for j := range best {
				best[j] = router.Unreached
			}
			for _, h := range hits {
				r := rank[e.site[h.Place]]
				if nb == 0 {
					best[0] = min(best[0], h.Seconds)
					continue
				}
				for b := range nb {
					j := 2*b + int(r>>b&1)
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
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, len(jobs))
	for range min(workers, len(jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ps := router.NewProfileSearcher(a.tt)
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= len(jobs) {
					return
				}
				jb := jobs[i]
				if err := ps.Search(a.egress[jb.k].cls[jb.j], a.p.From, a.p.To, &pr.cls[jb.k][jb.j]); err != nil {
					errs[i] = fmt.Errorf("coverage: category %s: %w", a.cats[jb.k].Name, err)
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("coverage: analysis interrupted: %w", err)
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
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
		nb := len(prof) / 2
		for m := range best {
			b1 := min(s.clsBuf[0][m], s.clsBuf[1][m])
			best[m], bestPt[m], best2[m] = b1, -1, router.Unreached
			if b1 == router.Unreached {
				continue
			}
			r, b2 := 0, router.Unreached
			for b := range nb {
				x0, x1 := s.clsBuf[2*b][m], s.clsBuf[2*b+1][m]
				if x0 == x1 { // two sites reach it at b1
					r, b2 = -1, b1
					break
				}
				if x1 < x0 {
					r |= 1 << b
					b2 = min(b2, x0)
				} else {
					b2 = min(b2, x1)
				}
			}
			best2[m] = b2
			// Beyond the cap the values are not exact and the decoded
			// rank may name no site; the impact does not look there.
			if r >= 0 && r < len(e.sites) {
				bestPt[m] = e.sites[r]
			}
		}
	}
}
