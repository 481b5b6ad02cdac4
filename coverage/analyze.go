package coverage

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/vingt/vingt/router"
	"github.com/vingt/vingt/walk"
)

// analysis is the shared, read-only state of one run of the indicator.
type analysis struct {
	tt      *router.Timetable
	rp      router.Params
	p       Params
	cells   []Cell
	cats    []*Category
	egress  []egress
	minutes int
	res     *Results
	// boarding lists, per stop, the departures that can be boarded there
	// by someone leaving a cell within the window (the forward engine's
	// only: nil with the profile engine).
	boarding [][]int32
	// everyMinute searches every departure of the window instead of only
	// those where boarding can change (for the tests that compare both).
	everyMinute bool
	// minuteHook, when set, sees each cell's per-departure travel times.
	minuteHook func(cell int, tt [][]int32)
	// impactHook, when set, sees each cell's per-category, per-departure
	// best arrival by transit, its site (-1: none or a tie) and the best
	// arrival through another site.
	impactHook func(cell int, best, bestPt, best2 [][]int32)
	// profiles, with the profile engine, are the categories' profiles.
	profiles *profiles
	// impact also computes Results.Impact (either engine).
	impact bool
	// needed, with the impact, is the least number of departures within
	// the threshold for a cell to be served (neededWithin).
	needed int
}

// Analyze computes the indicator for every cell: for each departure of the
// window, the least travel time to each category (walk only, or walk →
// transit → walk), reduced at once to percentiles and shares. It is
// deterministic: the results do not depend on p.Workers. progress, when
// not nil, is called from the workers with the number of cells done.
func Analyze(ctx context.Context, tt *router.Timetable, cells []Cell, cats []*Category, p Params, progress func(done int)) (*Results, error) {
	a := &analysis{tt: tt, rp: tt.Params(), p: p, cells: cells, cats: cats, minutes: p.Minutes()}
	return a.run(ctx, progress)
}

func (a *analysis) run(ctx context.Context, progress func(done int)) (*Results, error) {
	p, cells, cats := a.p, a.cells, a.cats
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if len(cats) == 0 {
		return nil, fmt.Errorf("coverage: no service category: give at least one")
	}
	nk, np := len(cats), len(p.Percentiles)
	a.res = &Results{
		Params:     p,
		TravelTime: make([]float64, len(cells)*nk*np),
		Share:      make([]float64, len(cells)*nk),
		Served:     make([]bool, len(cells)*nk),
		ServedAll:  make([]bool, len(cells)),
		Routed:     make([]bool, len(cells)),
	}
	for _, c := range cats {
		a.res.Categories = append(a.res.Categories, c.Name)
	}
	// Every run names the point that decides each cell's time
	// (AtPercentile: nearest_<category>); the impact adds what closing
	// one would change.
	a.res.Impact = &Impact{AtPercentile: make([]int32, len(cells)*nk), IDs: pointIDs(cats)}
	if a.impact {
		a.res.Impact.Nearest, a.res.Impact.Sole = make([]int32, len(cells)*nk), make([][]int32, len(cells)*nk)
	}
	a.buildEgress()

	workers := p.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if err := a.buildProfiles(ctx, workers); err != nil {
		return nil, err
	}
	workers = min(workers, max(1, len(cells)))
	// Cells are handed out in small chunks through an atomic counter; each
	// result is written at its cell's index, so the output is the same
	// whatever the number of workers.
	const chunk = 16
	var next, done atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := a.newScratch()
			for ctx.Err() == nil {
				lo := int(next.Add(chunk)) - chunk
				if lo >= len(cells) {
					return
				}
				hi := min(lo+chunk, len(cells))
				for c := lo; c < hi; c++ {
					a.cell(s, c)
				}
				n := done.Add(int64(hi - lo))
				if progress != nil {
					progress(int(n))
				}
			}
			errs[w] = ctx.Err()
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("coverage: analysis interrupted: %w", err)
		}
	}
	return a.res, nil
}

// scratch is one worker's reusable state.
type scratch struct {
	router *router.Router // the forward engine's; nil with the profile engine
	access []router.Access
	walk   []int32      // per category: walk-only seconds or Unreached
	hits   [][]walk.Hit // per category with hours: the points within walking reach
	tt     [][]int32    // per category, per departure: travel seconds
	best   [][]int32    // per category, per departure: arrival by transit
	search []bool       // per departure: whether it is searched
	deps   []int32
	secs   []int32 // one category's travel seconds, ranked (summarise)
	// evalScratch is the profile engine's evaluation memory (evalTop2).
	evalScratch router.EvalScratch
	impactScratch
}

func (a *analysis) newScratch() *scratch {
	s := &scratch{walk: make([]int32, len(a.cats)), hits: make([][]walk.Hit, len(a.cats)),
		secs: make([]int32, a.minutes), search: make([]bool, a.minutes)}
	if a.profiles == nil {
		s.router = router.NewRouter(a.tt) // the forward engine's
	}
	for range a.cats {
		s.tt = append(s.tt, make([]int32, a.minutes))
		s.best = append(s.best, make([]int32, a.minutes))
	}
	a.newImpactScratch(s)
	return s
}

// cell computes the indicator of cell c.
func (a *analysis) cell(s *scratch, c int) {
	cell := &a.cells[c]
	for k := range a.cats {
		if a.egress[k].timed() {
			// The walk-only time depends on the departure (below).
			s.hits[k] = a.egress[k].points.Within(walk.Place{Lat: cell.Lat, Lon: cell.Lon}, a.rp.MaxDuration, s.hits[k][:0])
		} else {
			a.walkNearest(s, cell, k)
		}
	}
	// (In the index's order: neither engine's result depends on it.)
	s.access = a.tt.StopsNearAnyOrder(cell.Lat, cell.Lon, a.rp.MaxWalk, s.access[:0])
	if len(s.access) == 0 || a.profiles == nil {
		// (evalProfiles sets every departure of every category.)
		for k := range a.cats {
			for m := range s.best[k] {
				s.best[k][m], s.bestPt[k][m], s.best2[k][m] = router.Unreached, -1, router.Unreached
			}
		}
	}
	if len(s.access) > 0 && a.profiles != nil {
		a.res.Routed[c] = true
		a.evalProfiles(s)
	}
	if len(s.access) > 0 && a.profiles == nil {
		// The forward engine.
		a.res.Routed[c] = true
		s.router.RangeAt(s.access, a.departures(s), func(dep int32, arrivals []int32) {
			a.reduceMinute(s, dep, arrivals)
		})
		// A departure that was not searched catches the same trips as the
		// next one: it arrives at the same times.
		for m := a.minutes - 2; m >= 0; m-- {
			if !s.search[m] {
				for k := range a.cats {
					s.best[k][m], s.bestPt[k][m], s.best2[k][m] = s.best[k][m+1], s.bestPt[k][m+1], s.best2[k][m+1]
				}
			}
		}
	}
	for k := range a.cats {
		tt, best := s.tt[k], s.best[k]
		best = best[:len(tt)]
		if a.egress[k].timed() {
			for m := range tt {
				dep := a.p.From + int32(m)*a.p.Step
				w, pt, w2 := a.egress[k].walkOnlyAtSite(s.hits[k], dep)
				s.walkAt[k][m], s.walkPtAt[k][m], s.walk2At[k][m] = w, pt, w2
				tt[m] = TravelTime(w, best[m], dep, a.rp.MaxDuration)
			}
			continue
		}
		w, dep, step, maxD := s.walk[k], a.p.From, a.p.Step, a.rp.MaxDuration
		for m := range tt {
			tt[m] = TravelTime(w, best[m], dep, maxD)
			dep += step
		}
	}
	if a.minuteHook != nil {
		a.minuteHook(c, s.tt)
	}
	a.summarise(s, c)
	if a.impact {
		if a.impactHook != nil {
			a.impactHook(c, s.best, s.bestPt, s.best2)
		}
		a.cellImpact(s, c)
	} else {
		a.cellNearest(s, c)
	}
}

// departures returns, latest first, the departures of the window at which
// the trips catchable from the cell's access stops change (and the last
// one): between two of them, a search would find the same arrivals.
func (a *analysis) departures(s *scratch) []int32 {
	last := a.minutes - 1
	for m := range s.search {
		s.search[m] = a.everyMinute
	}
	s.search[last] = true
	if !a.everyMinute {
		for _, acc := range s.access {
			base := a.p.From + acc.Seconds + a.rp.BoardSlack
			for _, d := range a.boarding[acc.Stop] {
				if x := d - base; x >= 0 {
					if m := int(x / a.p.Step); m <= last {
						s.search[m] = true
					}
				}
			}
		}
	}
	s.deps = s.deps[:0]
	for m := last; m >= 0; m-- {
		if s.search[m] {
			s.deps = append(s.deps, a.p.From+int32(m)*a.p.Step)
		}
	}
	return s.deps
}
