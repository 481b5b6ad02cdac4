package coverage

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/stat"

	"github.com/vingt/vingt/router"
)

// Params are the indicator's parameters (the routing parameters live in the
// timetable's router.Params).
type Params struct {
	// From and To bound the departure window in seconds after midnight of
	// the analysis date, half-open: From, From+Step, … < To.
	From, To, Step int32
	// Threshold is the travel time, in seconds, within which a category
	// counts as reached (default 1200).
	Threshold int32
	// Percentiles are the percentiles (0–100) of the travel time over the
	// window that are reported; the first one decides the served flags.
	Percentiles []float64
	// Workers is the number of goroutines routing cells (≤ 0: all CPUs).
	Workers int
	// Engine is the routing engine: EngineProfile ("" too) or
	// EngineForward; both give the same results.
	Engine string
}

// DefaultParams returns the defaults of measure 3: 08:00–10:00 at 1-minute
// steps, 20 minutes, the median.
func DefaultParams() Params {
	return Params{From: 8 * 3600, To: 10 * 3600, Step: 60, Threshold: 1200, Percentiles: []float64{50}, Engine: EngineProfile}
}

// Validate reports whether the parameters are usable.
func (p Params) Validate() error {
	switch {
	case p.Step <= 0:
		return fmt.Errorf("coverage: window step %d s: must be positive", p.Step)
	case p.To <= p.From:
		return fmt.Errorf("coverage: window %s-%s: end must be after start", clock(p.From), clock(p.To))
	case p.Threshold <= 0:
		return fmt.Errorf("coverage: threshold %d s: must be positive", p.Threshold)
	case len(p.Percentiles) == 0:
		return fmt.Errorf("coverage: at least one percentile is needed")
	}
	for _, q := range p.Percentiles {
		if !(q >= 0 && q <= 100) {
			return fmt.Errorf("coverage: percentile %v: must be within 0–100", q)
		}
	}
	return validEngine(p.Engine)
}

// Minutes returns the number of departures in the window.
func (p Params) Minutes() int { return int((p.To - p.From + p.Step - 1) / p.Step) }

func clock(s int32) string { return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60) }

// Results holds the per-cell indicators, as columns over the cells, and
// the cells' territories.
type Results struct {
	Params     Params
	Categories []string
	// TravelTime is indexed [cell][category][percentile], flattened, in
	// seconds; +Inf when beyond the cap.
	TravelTime []float64
	// Share is indexed [cell][category]: the fraction of the window's
	// departures with a travel time within the threshold.
	Share []float64
	// Served is indexed [cell][category].
	Served []bool
	// ServedAll tells whether a cell is served for every category.
	ServedAll []bool
	// Routed tells whether the cell had a stop within walking distance
	// (otherwise only walking was considered).
	Routed []bool
	// Territory is indexed [level][cell]: the index of the territory
	// containing the cell's centre, or -1.
	Territory [][]int32
}

// TT returns the travel time of cell c for category k at percentile p, in
// seconds (+Inf when beyond the cap).
func (r *Results) TT(c, k, p int) float64 {
	nk, np := len(r.Categories), len(r.Params.Percentiles)
	return r.TravelTime[(c*nk+k)*np+p]
}

// egress is, for one category, the stops from which a point of the
// category can be walked to, and the walk seconds to the nearest one.
type egress struct {
	stops []int32
	secs  []int32
}

// analysis is the shared, read-only state of one run of the indicator.
type analysis struct {
	tt      *router.Timetable
	rp      router.Params
	p       Params
	cells   []Cell
	cats    []*Category
	egress  []egress
	points  []*pointIndex
	minutes int
	res     *Results
	// boarding lists, per stop, the departures that can be boarded there
	// by someone leaving a cell within the window.
	boarding [][]int32
	// everyMinute searches every departure of the window instead of only
	// those where boarding can change (for the tests that compare both).
	everyMinute bool
	// minuteHook, when set, sees each cell's per-departure travel times.
	minuteHook func(cell int, tt [][]int32)
	// profiles, with the profile engine, are the categories' profiles.
	profiles *profiles
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

// buildEgress precomputes, once per category, the walk from every stop to
// the nearest point of the category, and indexes the points for the
// walk-only candidate.
func (a *analysis) buildEgress() {
	n := a.tt.NumStops()
	best := make([]int32, n)
	var near []router.Access
	for _, c := range a.cats {
		for i := range best {
			best[i] = router.Unreached
		}
		for _, pt := range c.Points {
			near = a.tt.StopsNear(pt.Lat, pt.Lon, a.rp.MaxWalk, near[:0])
			for _, x := range near {
				best[x.Stop] = min(best[x.Stop], x.Seconds)
			}
		}
		var e egress
		for s, v := range best {
			if v != router.Unreached {
				e.stops = append(e.stops, int32(s))
				e.secs = append(e.secs, v)
			}
		}
		a.egress = append(a.egress, e)
		a.points = append(a.points, newPointIndex(c.Points, a.rp))
	}
	// A departure t from a cell catches a trip leaving an access stop at
	// d when t + walk + slack ≤ d: only d within these bounds matter.
	lo := a.p.From + a.rp.BoardSlack
	hi := a.p.To + a.rp.MaxWalk + a.rp.BoardSlack
	a.boarding = make([][]int32, n)
	for s := range n {
		a.boarding[s] = a.tt.BoardingTimes(int32(s), lo, hi, nil)
	}
}

// scratch is one worker's reusable state.
type scratch struct {
	router *router.Router
	access []router.Access
	walk   []int32   // per category: walk-only seconds or Unreached
	tt     [][]int32 // per category, per departure: travel seconds
	best   [][]int32 // per category, per departure: arrival by transit
	search []bool    // per departure: whether it is searched
	deps   []int32
	sorted []float64
}

func (a *analysis) newScratch() *scratch {
	s := &scratch{router: router.NewRouter(a.tt), walk: make([]int32, len(a.cats)),
		sorted: make([]float64, a.minutes), search: make([]bool, a.minutes)}
	for range a.cats {
		s.tt = append(s.tt, make([]int32, a.minutes))
		s.best = append(s.best, make([]int32, a.minutes))
	}
	return s
}

// cell computes the indicator of cell c.
func (a *analysis) cell(s *scratch, c int) {
	cell := &a.cells[c]
	for k := range a.cats {
		s.walk[k] = a.points[k].walkSeconds(cell.Lon, cell.Lat)
	}
	s.access = a.tt.StopsNear(cell.Lat, cell.Lon, a.rp.MaxWalk, s.access[:0])
	for k := range a.cats {
		for m := range s.best[k] {
			s.best[k][m] = router.Unreached
		}
	}
	if len(s.access) > 0 && a.profiles != nil {
		a.res.Routed[c] = true
		a.evalProfiles(s)
	} else if len(s.access) > 0 {
		a.res.Routed[c] = true
		s.router.RangeAt(s.access, a.departures(s), func(dep int32, arrivals []int32) {
			a.reduceMinute(s, dep, arrivals)
		})
		// A departure that was not searched catches the same trips as the
		// next one: it arrives at the same times.
		for m := a.minutes - 2; m >= 0; m-- {
			if !s.search[m] {
				for k := range a.cats {
					s.best[k][m] = s.best[k][m+1]
				}
			}
		}
	}
	for k := range a.cats {
		for m := range s.tt[k] {
			dep := a.p.From + int32(m)*a.p.Step
			v := s.walk[k]
			if b := s.best[k][m]; b != router.Unreached && b-dep < v {
				v = b - dep
			}
			if v > a.rp.MaxDuration {
				v = router.Unreached
			}
			s.tt[k][m] = v
		}
	}
	if a.minuteHook != nil {
		a.minuteHook(c, s.tt)
	}
	a.summarise(s, c)
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

// reduceMinute records, for the departure dep, the earliest arrival at a
// point of each category by transit: the best reached stop plus its
// egress walk.
func (a *analysis) reduceMinute(s *scratch, dep int32, arrivals []int32) {
	m := (dep - a.p.From) / a.p.Step
	for k := range a.cats {
		best := router.Unreached
		e := &a.egress[k]
		for i, st := range e.stops {
			if t := arrivals[st]; t != router.Unreached && t+e.secs[i] < best {
				best = t + e.secs[i]
			}
		}
		s.best[k][m] = best
	}
}

// summarise reduces the per-departure travel times of one cell to
// percentiles, shares and served flags.
func (a *analysis) summarise(s *scratch, c int) {
	r := a.res
	nk, np := len(a.cats), len(a.p.Percentiles)
	all := true
	for k := range a.cats {
		within := 0
		for m, v := range s.tt[k] {
			if v == router.Unreached {
				s.sorted[m] = math.Inf(1)
				continue
			}
			s.sorted[m] = float64(v)
			if v <= a.p.Threshold {
				within++
			}
		}
		slices.Sort(s.sorted)
		for i, q := range a.p.Percentiles {
			r.TravelTime[(c*nk+k)*np+i] = stat.Quantile(q/100, stat.Empirical, s.sorted, nil)
		}
		r.Share[c*nk+k] = float64(within) / float64(a.minutes)
		served := r.TravelTime[(c*nk+k)*np] <= float64(a.p.Threshold)
		r.Served[c*nk+k] = served
		all = all && served
	}
	r.ServedAll[c] = all
}

// pointIndex finds the nearest point of a category within the walking
// limit, through a grid of buckets about one walking limit wide.
type pointIndex struct {
	rp      router.Params
	cellDeg float64
	buckets map[[2]int32][]int32
	points  []Point
}

func newPointIndex(points []Point, rp router.Params) *pointIndex {
	// The walking limit in metres, as a latitude span; longitude buckets
	// are the same width in degrees and searched wider near the poles.
	metres := float64(rp.MaxWalk) * rp.WalkSpeed / rp.Detour
	ix := &pointIndex{rp: rp, cellDeg: math.Max(metres/111000, 1e-4), buckets: map[[2]int32][]int32{}, points: points}
	for i, p := range points {
		k := ix.key(p.Lon, p.Lat)
		ix.buckets[k] = append(ix.buckets[k], int32(i))
	}
	return ix
}

func (ix *pointIndex) key(lon, lat float64) [2]int32 {
	return [2]int32{int32(math.Floor(lon / ix.cellDeg)), int32(math.Floor(lat / ix.cellDeg))}
}

// walkSeconds returns the walk to the nearest point, or Unreached when
// none is within the walking limit.
func (ix *pointIndex) walkSeconds(lon, lat float64) int32 {
	best := router.Unreached
	k := ix.key(lon, lat)
	// Longitude degrees shrink with cos(lat): widen the search to match.
	cos := math.Max(math.Cos(lat*math.Pi/180), 0.01)
	dx := int32(math.Ceil(1/cos)) + 1
	for x := k[0] - dx; x <= k[0]+dx; x++ {
		for y := k[1] - 1; y <= k[1]+1; y++ {
			for _, i := range ix.buckets[[2]int32{x, y}] {
				p := &ix.points[i]
				w := ix.rp.WalkSeconds(router.Distance(lat, lon, p.Lat, p.Lon))
				if w <= ix.rp.MaxWalk && w < best {
					best = w
				}
			}
		}
	}
	return best
}
