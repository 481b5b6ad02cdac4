package coverage

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/vingt/vingt/router"
)

// The routing engines of the analysis.
const (
	// EngineProfile runs one backward profile search per category, from
	// all its points at once, and evaluates each cell's departures by
	// merging the profiles of its access stops: the cost grows with the
	// categories and the network, not with cells × departures.
	EngineProfile = "profile"
	// EngineForward runs a forward range search from every cell: the
	// oracle of the profile engine, with the same results.
	EngineForward = "forward"
)

// engine returns the engine of the parameters, the profile one by default.
func (p Params) engine() string {
	if p.Engine == "" {
		return EngineProfile
	}
	return p.Engine
}

func validEngine(e string) error {
	switch e {
	case "", EngineProfile, EngineForward:
		return nil
	}
	return fmt.Errorf("coverage: engine %q: must be %q or %q", e, EngineProfile, EngineForward)
}

// profiles is the profile engine's shared, read-only state: one profile
// per category and the window's departures, increasing.
type profiles struct {
	deps router.Departures
	// top2 are per category its nearest-site profile (with opening hours:
	// seeded with the points' windows), or with the impact its top-two
	// profile (profile_impact.go).
	top2 []router.ProfileTop2
}

// buildProfiles runs, for the profile engine, one profile search per
// category, in parallel over the categories (searchProfile).
func (a *analysis) buildProfiles(ctx context.Context, workers int) error {
	if a.p.engine() != EngineProfile {
		return nil
	}
	a.buildTop2Egress()
	pr, err := a.newProfiles()
	if err != nil {
		return err
	}
	err = searchPool(ctx, workers, len(a.cats), a.newTop2Searcher, func(ts *router.Top2Searcher, k int) error {
		return a.searchProfile(ts, k, &pr.top2[k])
	})
	if err != nil {
		return err
	}
	a.profiles = pr
	return nil
}

// searchProfile runs the profile search of category k into dst: a
// nearest-site search (router.Top2Searcher.SearchNearest: the earliest
// arrival and the site that gives it, for nearest_<category>), with the
// impact a top-two search (Search, profile_impact.go); for a category
// with opening hours either is seeded with the points' windows
// (SearchNearestOpen, SearchOpen), the egress being a function of the
// time one alights. Without hours the egress is the walks from the stops
// to their nearest sites: the search chains the footpaths before them
// itself.
func (a *analysis) searchProfile(ts *router.Top2Searcher, k int, dst *router.ProfileTop2) error {
	e := &a.egress[k]
	var err error
	switch {
	case e.timed() && a.impact:
		err = ts.SearchOpen(e.targets, e.open, e.site, a.p.From, a.p.To, dst)
	case e.timed():
		err = ts.SearchNearestOpen(e.targets, e.open, e.site, a.p.From, a.p.To, dst)
	case a.impact:
		err = ts.Search(e.top2, a.p.From, a.p.To, dst)
	default:
		err = ts.SearchNearest(e.top2, a.p.From, a.p.To, dst)
	}
	if err != nil {
		return fmt.Errorf("coverage: category %s: %w", a.cats[k].Name, err)
	}
	return nil
}

// newProfiles returns the profiles' shared state before the searches:
// the window's departures.
func (a *analysis) newProfiles() (*profiles, error) {
	deps := make([]int32, a.minutes)
	for m := range deps {
		deps[m] = a.p.From + int32(m)*a.p.Step
	}
	d, err := router.NewDepartures(deps)
	if err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	return &profiles{deps: d, top2: make([]router.ProfileTop2, len(a.cats))}, nil
}

// newTop2Searcher returns a profile searcher for the run's categories,
// without the lists of absorbing stops: since the evaluation reads packed
// labels and the stops of least bound first, listing them costs what it
// saves or more (x10 Porto Alegre grid, 12,270 cells for 4,010 stops: 2-3 %
// more CPU with them; national 1 km and --impact runs: the same either way;
// BENCHMARKS.md).
func (a *analysis) newTop2Searcher() *router.Top2Searcher {
	ts := router.NewTop2Searcher(a.tt)
	ts.SetAbsorbers(false)
	return ts
}

// searchPool runs search(ps, i) for i in [0, n) on workers goroutines,
// each with its own searcher made by newSearcher, and returns the first
// error in i order, or the context's when it was cancelled.
func searchPool[S any](ctx context.Context, workers, n int, newSearcher func() S, search func(ps S, i int) error) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, n)
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ps := newSearcher()
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				errs[i] = search(ps, i)
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
	return nil
}

// evalProfiles sets, for every category and departure of the window, the
// earliest arrival at a point by transit from the cell's access stops, as
// the forward search and reduceMinute give it (within the cap), and for a
// category without opening hours its site when no other ties (bestPt) and,
// with the impact, the best arrival through another site (best2).
func (a *analysis) evalProfiles(s *scratch) {
	for k := range a.cats {
		a.evalTop2(s, k)
	}
}
