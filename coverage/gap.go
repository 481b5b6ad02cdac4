package coverage

import (
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/twpayne/go-geos"

	"github.com/vingt/vingt/raster"
)

// gridSpec is a regular grid of squares: its CRS and cell size (metres),
// aligned on the CRS origin.
type gridSpec struct {
	crs  string
	size float64
}

// gridRef places a square cell on its grid: cell (col, row) has its
// lower-left corner at (col·size, row·size). A nil grid is a cell that is
// not a square of an aligned grid.
type gridRef struct {
	grid     *gridSpec
	col, row int32
}

// gridRefs hands out one *gridSpec per CRS and size, so that cells of one
// grid share it.
type gridRefs map[gridSpec]*gridSpec

// ref returns the grid place of a cell, or a nil grid when its corner is
// not a whole multiple of its size within the int32 range.
func (m gridRefs) ref(g gridCell) gridRef {
	col, row := g.east/g.size, g.north/g.size
	if col != math.Trunc(col) || row != math.Trunc(row) || math.Abs(col) >= math.MaxInt32 || math.Abs(row) >= math.MaxInt32 {
		return gridRef{}
	}
	k := gridSpec{g.crs, g.size}
	s, ok := m[k]
	if !ok {
		s = new(gridSpec)
		*s = k
		m[k] = s
	}
	return gridRef{grid: s, col: int32(col), row: int32(row)}
}

// gapGeometry returns the union of the cells idx (unserved cells of one
// territory): traced on the grid when they are all squares of one grid,
// else through GEOS.
func gapGeometry(c *geos.Context, cells []Cell, idx []int32) (orb.Geometry, error) {
	if g := cells[idx[0]].sq.grid; g != nil {
		one := true
		for _, i := range idx {
			if cells[i].sq.grid != g {
				one = false
				break
			}
		}
		if one {
			return traceGap(g, cells, idx)
		}
	}
	sub := make([]Cell, len(idx))
	for k, i := range idx {
		sub[k] = cells[i]
	}
	gs, err := cellShapes(sub)
	if err != nil {
		return nil, err
	}
	return unionGap(c, gs)
}

// traceGap traces the boundary of the squares of cells idx on their grid
// g, projects every vertex to longitude and latitude, and normalises the
// result as GEOS would. Its vertices are the corners of the cells' squares,
// so it is the multipolygon unionGap would return for them.
func traceGap(g *gridSpec, cells []Cell, idx []int32) (orb.Geometry, error) {
	rc := make([]raster.Cell, len(idx))
	for k, i := range idx {
		rc[k] = raster.Cell{Col: cells[i].sq.col, Row: cells[i].sq.row}
	}
	mp := raster.TraceFunc(rc, func(col, row int64) orb.Point {
		return orb.Point{float64(col) * g.size, float64(row) * g.size}
	})
	var n int
	for _, p := range mp {
		for _, r := range p {
			n += len(r)
		}
	}
	pts := make([]orb.Point, 0, n)
	for _, p := range mp {
		for _, r := range p {
			pts = append(pts, r...)
		}
	}
	if err := toLonLat(g.crs, pts); err != nil {
		return nil, fmt.Errorf("coverage: gap: %w", err)
	}
	for _, p := range mp {
		for _, r := range p {
			n := copy(r, pts)
			pts = pts[n:]
		}
	}
	normalize(mp)
	return mp, nil
}

// normalize puts a valid multipolygon in the form GEOS's Normalize gives
// it, in place: every ring starts at its least vertex (by x, then y) and
// runs clockwise for a shell, counter-clockwise for a hole; holes, then
// polygons, are sorted in decreasing order (a ring before another when it
// has more points, or as many and the first differing vertex is greater).
func normalize(mp orb.MultiPolygon) {
	for _, p := range mp {
		for k, r := range p {
			normalizeRing(r, k == 0)
		}
		holes := p[1:]
		slices.SortFunc(holes, func(a, b orb.Ring) int { return cmpRing(b, a) })
	}
	slices.SortFunc(mp, func(a, b orb.Polygon) int { return cmpPolygon(b, a) })
}

// normalizeRing rotates a closed ring to start at its least vertex and
// orients it clockwise or counter-clockwise.
func normalizeRing(r orb.Ring, clockwise bool) {
	n := len(r) - 1
	if n < 1 {
		return
	}
	m := 0
	for i := 1; i < n; i++ {
		if cmpPoint(r[i], r[m]) < 0 {
			m = i
		}
	}
	open := r[:n]
	slices.Reverse(open[:m])
	slices.Reverse(open[m:])
	slices.Reverse(open)
	r[n] = r[0]
	if (r.Orientation() == orb.CW) != clockwise {
		slices.Reverse(r)
	}
}

func cmpPoint(a, b orb.Point) int {
	if a[0] != b[0] {
		if a[0] < b[0] {
			return -1
		}
		return 1
	}
	if a[1] < b[1] {
		return -1
	} else if a[1] > b[1] {
		return 1
	}
	return 0
}

// cmpRing orders rings as GEOS's LineString.compareTo: by number of
// points, then vertex by vertex.
func cmpRing(a, b orb.Ring) int {
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	for i := range a {
		if c := cmpPoint(a[i], b[i]); c != 0 {
			return c
		}
	}
	return 0
}

// cmpPolygon orders polygons as GEOS's Polygon.compareTo: by shell, then
// number of holes, then hole by hole.
func cmpPolygon(a, b orb.Polygon) int {
	if c := cmpRing(a[0], b[0]); c != 0 {
		return c
	}
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	for i := 1; i < len(a); i++ {
		if c := cmpRing(a[i], b[i]); c != 0 {
			return c
		}
	}
	return 0
}
