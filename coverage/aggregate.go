package coverage

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/twpayne/go-geos"

	"github.com/paulmach/orb"
)

// assignGC is how many cells Assign locates between garbage collections.
const assignGC = 131072

// Assign locates every cell's centre in every level and stores the
// territory indices in res.Territory. It returns, per level, the number of
// cells outside every territory of the level. A cell inside several
// territories of one level goes to the first in the file's order; the
// overlaps are recorded (Level.OverlapWarnings).
func Assign(res *Results, cells []Cell, levels []*Level) []int {
	out, _ := AssignContext(context.Background(), res, cells, levels)
	return out
}

// AssignContext is Assign, stopping when ctx is done.
func AssignContext(ctx context.Context, res *Results, cells []Cell, levels []*Level) ([]int, error) {
	terr, outside, err := locateCells(ctx, cells, levels)
	if err != nil {
		return nil, err
	}
	res.Territory = terr
	return outside, nil
}

// locateCells locates every cell's centre in every level: the territory
// indices, [level][cell], and per level the number of cells outside
// every territory; the overlaps are recorded in the levels.
func locateCells(ctx context.Context, cells []Cell, levels []*Level) ([][]int32, []int, error) {
	terr := make([][]int32, len(levels))
	outside := make([]int, len(levels))
	errs := make([]error, len(levels))
	// Each level has its own GEOS context (one lock each): the levels are
	// located at once, one goroutine each, each writing only its own
	// slots.
	var wg sync.WaitGroup
	for l, lv := range levels {
		wg.Go(func() {
			terr[l], outside[l], errs[l] = locateLevel(ctx, cells, lv)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	return terr, outside, nil
}

// locateLevel returns the territory of level lv holding each cell (-1 for
// none) and the count of cells outside every territory, recording the
// territories that overlap.
func locateLevel(ctx context.Context, cells []Cell, lv *Level) ([]int32, int, error) {
	ix := make([]int32, len(cells))
	outside := 0
	lv.overlaps = nil
	geosPoints := slices.Contains(lv.loc, nil)
	for c := range cells {
		if c%4096 == 0 && ctx.Err() != nil {
			return nil, 0, fmt.Errorf("coverage: interrupted while locating cells in territories: %w", context.Cause(ctx))
		}
		if geosPoints && c%assignGC == assignGC-1 {
			// Each locate through GEOS leaves a GEOS point that only
			// a Go GC frees (GEOS 3.11 has no point-free test), and
			// those are C memory the Go heap does not count: collect
			// now and then, or a national grid piles up 100 MB.
			runtime.GC()
		}
		i, j := lv.locate2(cells[c].Lon, cells[c].Lat)
		ix[c] = int32(i)
		if i < 0 {
			outside++
		}
		if j >= 0 {
			lv.addOverlap(i, j, cells[c].Population)
		}
	}
	return ix, outside, nil
}

// TerritoryStats is the indicator of one territory.
type TerritoryStats struct {
	Level, Code, Name string
	// Cells is the number of populated cells whose centre lies in the
	// territory.
	Cells int
	// Population is the population of those cells.
	Population float64
	// Served is the population served for the whole basket.
	Served float64
	// ServedBy is the population served per category.
	ServedBy []float64
	// Geometry is the territory's polygon; Gap is the union of its
	// populated cells that are not served for the basket (nil when none).
	Geometry orb.Geometry
	Gap      orb.Geometry
}

// Coverage returns the share of the population served for the basket,
// NaN when the territory has no population.
func (t *TerritoryStats) Coverage() float64 {
	if t.Population == 0 {
		return math.NaN()
	}
	return t.Served / t.Population
}

// GapPopulation returns the population not served for the basket.
func (t *TerritoryStats) GapPopulation() float64 { return t.Population - t.Served }

// Aggregate sums the cells' indicators per territory of every level, in
// the order of the levels and of the territories in their files. Sums run
// in cell order, so they do not depend on how the cells were routed.
func Aggregate(res *Results, cells []Cell, levels []*Level) ([]TerritoryStats, error) {
	nk := len(res.Categories)
	var out []TerritoryStats
	for l, lv := range levels {
		stats := make([]TerritoryStats, len(lv.Territories))
		gaps := make([][]int32, len(lv.Territories))
		for i, t := range lv.Territories {
			stats[i] = TerritoryStats{Level: lv.Name, Code: t.Code, Name: t.Name, ServedBy: make([]float64, nk), Geometry: t.Geometry}
		}
		for c := range cells {
			i := res.Territory[l][c]
			if i < 0 {
				continue
			}
			st := &stats[i]
			pop := cells[c].Population
			st.Cells++
			st.Population += pop
			for k := range nk {
				if res.Served[c*nk+k] {
					st.ServedBy[k] += pop
				}
			}
			if res.ServedAll[c] {
				st.Served += pop
			} else if cells[c].hasShape() {
				gaps[i] = append(gaps[i], int32(c))
			}
		}
		// The unions run in parallel, one GEOS context per goroutine; each
		// result lands at its territory's index.
		errs := make([]error, len(stats))
		var next atomic.Int64
		var wg sync.WaitGroup
		for range min(runtime.GOMAXPROCS(0), max(1, len(stats))) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := geos.NewContext()
				for i := int(next.Add(1)) - 1; i < len(stats); i = int(next.Add(1)) - 1 {
					if len(gaps[i]) > 0 {
						stats[i].Gap, errs[i] = gapGeometry(c, cells, gaps[i])
					}
				}
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				return nil, fmt.Errorf("coverage: gap of %s %s: %w", lv.Name, stats[i].Code, err)
			}
		}
		out = append(out, stats...)
	}
	return out, nil
}

// unionGap unions the unserved cells: polygons through GEOS, points as one
// multipoint.
func unionGap(c *geos.Context, gs []orb.Geometry) (orb.Geometry, error) {
	var mp orb.MultiPoint
	var polys []orb.Geometry
	for _, g := range gs {
		switch g := g.(type) {
		case orb.Point:
			mp = append(mp, g)
		default:
			polys = append(polys, g)
		}
	}
	if len(polys) == 0 {
		return mp, nil
	}
	u, err := unionIn(c, polys)
	if err != nil {
		return nil, err
	}
	if len(mp) == 0 {
		return u, nil
	}
	return orb.Collection{u, mp}, nil
}
