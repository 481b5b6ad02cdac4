package coverage

// Explaining one cell of a run: why is it (not) served for a category?
// The window is computed by the indicator's own code (analysis, the
// forward engine, one cell and one category), so that its percentiles and
// share are those of cells.parquet; the trip at one departure is the best
// trip to any point of the category, as TT defines it.

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/hours"
	"github.com/vingt/vingt/router"
	"github.com/vingt/vingt/walk"
)

// Explain is one origin and one category, with the timetable and the
// indicator's parameters of a run: what vingt route explains.
type Explain struct {
	TT       *router.Timetable
	Cell     Cell
	Category *Category
	Params   Params
}

// LoadExplain reads the job's feeds, service points, street network (when
// the job has one) and grid as Run does, and returns the cell cellID with
// the category named category.
func LoadExplain(ctx context.Context, job Job, cellID, category string) (*Explain, error) {
	if job.Grid == "" {
		return nil, fmt.Errorf("coverage: cell %q: the config names no grid", cellID)
	}
	m := &Manifest{Counts: map[string]any{}}
	cats, err := readCategories(job, m)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(cats, func(c *Category) bool { return c.Name == category })
	if i < 0 {
		names := make([]string, len(cats))
		for j, c := range cats {
			names[j] = c.Name
		}
		return nil, fmt.Errorf("coverage: category %q: not in the basket (%s)", category, strings.Join(names, ", "))
	}
	tt, err := CompileJob(ctx, job, cats)
	if err != nil {
		return nil, err
	}
	grid, err := ReadGrid(job.Grid, job.GridFormat)
	if err != nil {
		return nil, err
	}
	c := slices.IndexFunc(grid.Cells, func(c Cell) bool { return c.ID == cellID })
	if c < 0 {
		ex := ""
		if len(grid.Cells) > 0 {
			ex = fmt.Sprintf(" (ids look like %q)", grid.Cells[0].ID)
		}
		return nil, fmt.Errorf("coverage: cell %q: no populated cell of %s has this id%s", cellID, job.Grid, ex)
	}
	p := job.Indicator
	p.Date = HoursDate(job.Date)
	return &Explain{TT: tt, Cell: grid.Cells[c], Category: cats[i], Params: p}, nil
}

// CompileJob opens the job's feeds and compiles the timetable of its date
// with its routing parameters, walking on the streets of its extract when
// it has one (keeping the components that the stops and the points of cats
// link to, as Run does).
func CompileJob(ctx context.Context, job Job, cats []*Category) (*router.Timetable, error) {
	if len(job.GTFS) == 0 {
		return nil, fmt.Errorf("coverage: no GTFS feed: give at least one")
	}
	var feeds []*gtfs.Feed
	for _, p := range job.GTFS {
		f, err := gtfs.Open(p)
		if err != nil {
			return nil, err
		}
		feeds = append(feeds, f)
	}
	if job.OSM != "" {
		w, err := loadStreets(ctx, job, feeds, cats, &Manifest{Counts: map[string]any{}})
		if err != nil {
			return nil, err
		}
		job.Routing.Walker = w
	}
	return router.Compile(feeds, job.Date, job.Routing)
}

// ExplainPoints is the explanation of a trip from one place to another: a
// cell at from and a category whose one point is to.
func ExplainPoints(tt *router.Timetable, from, to walk.Place, p Params) *Explain {
	return &Explain{
		TT:       tt,
		Cell:     Cell{ID: "origin", Lat: from.Lat, Lon: from.Lon, Population: 1},
		Category: &Category{Name: "destination", Points: []Point{{ID: "destination", Lat: to.Lat, Lon: to.Lon}}},
		Params:   p,
	}
}

// Window is the indicator of one cell and one category over the window.
type Window struct {
	// Departures are the window's departures and Seconds the travel time
	// TT at each (router.Unreached beyond the cap).
	Departures, Seconds []int32
	// Percentiles are TT_P for the parameters' percentiles (+Inf when
	// unreachable), Share the fraction of departures with TT ≤ threshold,
	// Served whether the first percentile is within the threshold.
	Percentiles []float64
	Share       float64
	Served      bool
	// Routed tells whether a stop was within walking distance.
	Routed bool
}

// Window computes the cell's indicator for the category with the
// indicator's code (the forward engine, which gives the profile engine's
// results).
func (e *Explain) Window(ctx context.Context) (Window, error) {
	p := e.Params
	p.Engine, p.Workers = EngineForward, 1
	a := &analysis{tt: e.TT, rp: e.TT.Params(), p: p, cells: []Cell{e.Cell}, cats: []*Category{e.Category}, minutes: p.Minutes()}
	var w Window
	a.minuteHook = func(_ int, tt [][]int32) { w.Seconds = slices.Clone(tt[0]) }
	res, err := a.run(ctx, nil)
	if err != nil {
		return w, err
	}
	for m := range a.minutes {
		w.Departures = append(w.Departures, p.From+int32(m)*p.Step)
	}
	w.Percentiles = res.TravelTime
	w.Share, w.Served, w.Routed = res.Share[0], res.Served[0], res.Routed[0]
	return w, nil
}

// PercentileDeparture returns the index of the first departure whose
// travel time is the first percentile (the median by default): the
// departure whose itinerary shows the cell's TT_P; the first departure
// when nothing arrives.
func (w Window) PercentileDeparture() int {
	q := w.Percentiles[0]
	for i, v := range w.Seconds {
		if seconds(v) == q {
			return i
		}
	}
	return 0
}

// NearestDeparture returns the index of the departure whose itinerary
// explains the run's nearest_<category>: the first whose travel time is
// the first percentile's and at which one place is reached first, else
// PercentileDeparture.
func (e *Explain) NearestDeparture(r *router.Router, w Window) int {
	q := w.Percentiles[0]
	for i, v := range w.Seconds {
		if seconds(v) == q && v != router.Unreached && !e.TripAt(r, w.Departures[i]).Tie {
			return i
		}
	}
	return w.PercentileDeparture()
}

// CategoryTrip is the best trip to any point of a category.
type CategoryTrip struct {
	Trip
	// Point is the index, in the category, of the point reached (-1 when
	// none is).
	Point int
	// Tie reports that a point at another place is reached as early: the
	// run then names neither at this departure (nearest_<category>).
	Tie bool
}

// TripAt returns the best trip from the cell's centre to a point of the
// category leaving at dep, as TT defines it: walk only (within the cap)
// to a point, or walk → transit → walk from a stop to a point within
// max_walk, a point with opening hours counting when it is open on
// arrival. Among trips arriving as early, walking wins, then the fewest
// rides.
func (e *Explain) TripAt(r *router.Router, dep int32) CategoryTrip {
	tt, rp := e.TT, e.TT.Params()
	from := walk.Place{Lat: e.Cell.Lat, Lon: e.Cell.Lon}
	pts := e.Category.Points
	places := make([]walk.Place, len(pts))
	var open []hours.Windows
	for i, pt := range pts {
		places[i] = walk.Place{Lat: pt.Lat, Lon: pt.Lon}
	}
	if e.Category.WithHours() > 0 {
		open = make([]hours.Windows, len(pts))
		for i, pt := range pts {
			open[i] = hours.AlwaysWindows()
			if pt.Hours != nil {
				open[i] = pt.Hours.Windows(e.Params.Date, e.Params.MinOpen, nil)
			}
		}
	}
	// arrive is when someone reaching point i at t is served, or Unreached.
	arrive := func(i int32, t int32) int32 {
		if open == nil {
			return t
		}
		if v, ok := open[i].Arrive(t); ok {
			return v
		}
		return router.Unreached
	}
	ix := tt.Walker().Index(places)
	access := tt.StopsNear(from.Lat, from.Lon, rp.MaxWalk, nil)
	trip := CategoryTrip{Trip: Trip{EgressStop: -1, AccessStops: len(access)}, Point: -1}

	walkArr, walkPt := router.Unreached, int32(-1)
	for _, h := range ix.Within(from, rp.MaxDuration, nil) {
		if v := arrive(h.Place, dep+h.Seconds); v < walkArr || (v == walkArr && h.Place < walkPt) {
			walkArr, walkPt = v, h.Place
		}
	}
	walkOnly := router.Unreached
	if walkArr != router.Unreached {
		walkOnly = walkArr - dep
	}

	arr := r.Query(access, dep)
	type cand struct {
		stop, point, walk, at int32
	}
	var cands []cand
	transit := router.Unreached
	var hits []walk.Hit
	for s := range int32(tt.NumStops()) {
		if !tt.Served(s) {
			continue
		}
		hits = ix.Within(tt.StopPlace(s), rp.MaxWalk, hits[:0])
		if len(hits) > 0 {
			trip.EgressStops++
		}
		if arr[s] == router.Unreached {
			continue
		}
		for _, h := range hits {
			if v := arrive(h.Place, arr[s]+h.Seconds); v != router.Unreached {
				cands = append(cands, cand{s, h.Place, h.Seconds, v})
				transit = min(transit, v)
			}
		}
	}
	trip.Seconds = TravelTime(walkOnly, transit, dep, rp.MaxDuration)
	if trip.Seconds != router.Unreached {
		// Whether points at two places are reached as early (points at
		// the same coordinates are one site, as in the run).
		var first *Point
		other := func(i int32) {
			if first == nil {
				first = &pts[i]
			} else if pts[i].Lat != first.Lat || pts[i].Lon != first.Lon {
				trip.Tie = true
			}
		}
		for _, h := range ix.Within(from, rp.MaxDuration, nil) {
			if arrive(h.Place, dep+h.Seconds) == dep+trip.Seconds {
				other(h.Place)
			}
		}
		for _, c := range cands {
			if c.at == dep+trip.Seconds {
				other(c.point)
			}
		}
	}
	switch {
	case trip.Seconds == router.Unreached:
	case trip.Seconds == walkOnly:
		trip.Point = int(walkPt)
		_, trip.WalkMetres = tt.Walker().Walk(from, places[walkPt], rp.MaxDuration)
	default:
		rides := math.MaxInt
		for _, c := range cands {
			if c.at != dep+trip.Seconds {
				continue
			}
			if j, ok := r.Journey(c.stop); ok && j.Transfers()+1 < rides {
				trip.Journey, trip.EgressStop, trip.EgressSeconds, rides = j, c.stop, c.walk, j.Transfers()+1
				trip.Point = int(c.point)
			}
		}
	}
	return trip
}
