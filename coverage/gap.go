package coverage

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
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
			return traceGap(c, g, cells, idx)
		}
	}
	gs := make([]orb.Geometry, len(idx))
	for k, i := range idx {
		gs[k] = cells[i].Geometry
	}
	return unionGap(c, gs)
}

// traceGap traces the boundary of the squares of cells idx on their grid
// g, projects every vertex to longitude and latitude, and normalises the
// result through GEOS. Its vertices are the corners of the cells' squares,
// so it is the multipolygon unionGap would return for them.
func traceGap(c *geos.Context, g *gridSpec, cells []Cell, idx []int32) (u orb.Geometry, err error) {
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
	defer func() {
		// go-geos panics on a GEOS exception.
		if r := recover(); r != nil {
			u, err = nil, fmt.Errorf("coverage: gap: GEOS: %v", r)
		}
	}()
	b, err := wkb.Marshal(mp)
	if err != nil {
		return nil, fmt.Errorf("coverage: gap: %w", err)
	}
	x, err := c.NewGeomFromWKB(b)
	if err != nil {
		return nil, fmt.Errorf("coverage: gap: %w", err)
	}
	og, err := fromGEOS(x.Normalize())
	if err != nil {
		return nil, fmt.Errorf("coverage: gap: %w", err)
	}
	return polygonsOf(og), nil
}
