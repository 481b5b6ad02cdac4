// Package raster traces the boundary of a union of cells of a regular grid:
// the outer rings and holes of the region they cover, exactly, without a
// general polygon union.
//
// Cell (c, r) covers the square [c, c+1] × [r, r+1] in grid units; the
// caller maps grid corners to coordinates (for an EPSG:3035 grid of size s,
// corner (c, r) is the point (c·s, r·s), which a projection then takes to
// longitude and latitude). Every grid corner met along the boundary is a
// vertex, collinear ones included, so that a ring mapped vertex by vertex
// through any projection has the vertices of the union of the mapped
// squares.
//
// Cells that touch only at a corner are handled by one rule: a corner is
// crossed by a ring only between cells of one connected region (cells
// sharing an edge, transitively). Two regions that touch only at a corner
// are two polygons touching at that point; a region whose own cells touch
// diagonally around an empty cell pinches there, and the ring of the
// region's outside and the ring of the enclosed hole (or the rings of two
// holes) touch at that point, each passing it once. Every ring is thus
// simple, and the result is a valid OGC multipolygon (GEOS IsValid holds).
package raster

import (
	"slices"

	"github.com/paulmach/orb"
)

// Cell is a cell of a regular grid: its column (x index) and row (y index).
type Cell struct {
	Col, Row int32
}

// cmpCell orders cells by row, then column.
func cmpCell(a, b Cell) int {
	if a.Row != b.Row {
		if a.Row < b.Row {
			return -1
		}
		return 1
	}
	if a.Col != b.Col {
		if a.Col < b.Col {
			return -1
		}
		return 1
	}
	return 0
}

// Trace returns the boundary of the union of the cells' squares as a
// multipolygon in grid units (vertex (c, r) is the lower-left corner of
// cell (c, r)). Outer rings are counter-clockwise and holes clockwise
// (x to the east, y to the north), every ring is closed, and the result
// depends only on the set of cells, not on their order or repetitions:
// polygons come in the order of their lowest cell (by row, then column),
// each outer ring starts at the lower-left corner of that cell, and holes
// follow in the order their first cell is met. No cell gives nil.
//
// Trace sorts a copy of cells; it runs in O(n log n) time and O(n) memory
// for n cells.
func Trace(cells []Cell) orb.MultiPolygon {
	return TraceFunc(cells, func(c, r int64) orb.Point { return orb.Point{float64(c), float64(r)} })
}

// TraceFunc is Trace with every vertex mapped by corner, which is given
// the grid corner (column, row) and returns its coordinates. Rings are
// built in grid orientation: a corner map that mirrors the plane (or a
// projection that does) reverses them.
func TraceFunc(cells []Cell, corner func(col, row int64) orb.Point) orb.MultiPolygon {
	if len(cells) == 0 {
		return nil
	}
	t := newTracer(cells)
	return t.trace(corner)
}

// tracer holds the sorted cells and their neighbourhood.
type tracer struct {
	cells []Cell
	// up[i] and dn[i] are the index of the first cell of the row above
	// (below) cell i whose column is at least cells[i].Col-1, or -1 when
	// that row has no cell.
	up, dn []int32
	// comp[i] is the polygon (edge-connected region) of cell i, numbered
	// in the order of the regions' lowest cells.
	comp []int32
	// seen holds the sides of each cell already traced, one bit a side.
	seen []uint8
}

// Sides of a cell, in the order a counter-clockwise ring runs along them
// (the cell on its left): bottom (eastward), right (northward), top
// (westward), left (southward).
const (
	bottom = iota
	right
	top
	left
)

// dir is the direction of travel along each side; the outward normal of
// side s is dir[(s+3)%4].
var dir = [4][2]int32{{1, 0}, {0, 1}, {-1, 0}, {0, -1}}

func newTracer(in []Cell) *tracer {
	cells := slices.Clone(in)
	slices.SortFunc(cells, cmpCell)
	cells = slices.Compact(cells)
	n := len(cells)
	t := &tracer{cells: cells, up: make([]int32, n), dn: make([]int32, n), comp: make([]int32, n), seen: make([]uint8, n)}
	// Rows as spans of the sorted cells; for each pair of adjacent rows
	// one merge pass finds up and dn.
	for i := range t.up {
		t.up[i], t.dn[i] = -1, -1
	}
	prevStart, prevEnd := -1, -1
	for start := 0; start < n; {
		end := start + 1
		for end < n && cells[end].Row == cells[start].Row {
			end++
		}
		if prevStart >= 0 && int64(cells[prevStart].Row)+1 == int64(cells[start].Row) {
			link(cells, t.up, prevStart, prevEnd, start, end)
			link(cells, t.dn, start, end, prevStart, prevEnd)
		}
		prevStart, prevEnd = start, end
		start = end
	}
	// Edge-connected regions: union-find where a root is always the
	// smallest index of its set, so parent[i] <= i.
	parent := t.comp
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(i int32) int32 {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int32) {
		ra, rb := find(a), find(b)
		if ra < rb {
			parent[rb] = ra
		} else if rb < ra {
			parent[ra] = rb
		}
	}
	for i := range n {
		if j := t.at(int32(i), 1, 0); j >= 0 {
			union(int32(i), j)
		}
		if j := t.at(int32(i), 0, 1); j >= 0 {
			union(int32(i), j)
		}
	}
	// Number the regions in index order, in place: parent[i] < i has its
	// number already.
	k := int32(0)
	for i := range parent {
		if p := parent[i]; p == int32(i) {
			parent[i] = k
			k++
		} else {
			parent[i] = parent[p]
		}
	}
	return t
}

// link sets, for each cell of row span [a0, a1), the index of the first
// cell of the adjacent row span [b0, b1) whose column is at least the
// cell's column minus one (b1 when none).
func link(cells []Cell, out []int32, a0, a1, b0, b1 int) {
	p := b0
	for i := a0; i < a1; i++ {
		for p < b1 && int64(cells[p].Col) < int64(cells[i].Col)-1 {
			p++
		}
		out[i] = int32(p)
	}
}

// at returns the index of the cell at (dc, dr) from cell i, each in
// {-1, 0, 1}, or -1 when there is none.
func (t *tracer) at(i int32, dc, dr int32) int32 {
	c := t.cells[i]
	col, row := int64(c.Col)+int64(dc), int64(c.Row)+int64(dr)
	var j int32
	switch dr {
	case 0:
		j = i + dc
		if j < 0 || int(j) >= len(t.cells) {
			return -1
		}
		if d := t.cells[j]; int64(d.Col) == col && d.Row == c.Row {
			return j
		}
		return -1
	case 1:
		j = t.up[i]
	default:
		j = t.dn[i]
	}
	if j < 0 {
		return -1
	}
	for end := min(int(j)+3, len(t.cells)); int(j) < end; j++ {
		d := t.cells[j]
		if int64(d.Row) != row || int64(d.Col) > col {
			return -1
		}
		if int64(d.Col) == col {
			return j
		}
	}
	return -1
}

// next returns the side traced after side s of cell i: with the cell on
// the left, the ring turns right around an empty corner when the diagonal
// cell ahead is of the same region (which crosses a pinch between two of
// the region's cells), goes straight when the cell ahead on the left is
// filled, and turns left around the cell's corner otherwise.
func (t *tracer) next(i int32, s int) (int32, int) {
	d, n := dir[s], dir[(s+3)%4]
	if j := t.at(i, d[0]+n[0], d[1]+n[1]); j >= 0 && t.comp[j] == t.comp[i] {
		return j, (s + 3) % 4
	}
	if j := t.at(i, d[0], d[1]); j >= 0 {
		return j, s
	}
	return i, (s + 1) % 4
}

// start returns the grid corner where side s of cell i begins.
func (t *tracer) start(i int32, s int) (int64, int64) {
	c, r := int64(t.cells[i].Col), int64(t.cells[i].Row)
	switch s {
	case bottom:
		return c, r
	case right:
		return c + 1, r
	case top:
		return c + 1, r + 1
	}
	return c, r + 1
}

func (t *tracer) trace(corner func(col, row int64) orb.Point) orb.MultiPolygon {
	var mp orb.MultiPolygon
	for i := range t.cells {
		for s := range 4 {
			if t.seen[i]&(1<<s) != 0 {
				continue
			}
			n := dir[(s+3)%4]
			if t.at(int32(i), n[0], n[1]) >= 0 {
				continue // an inner side
			}
			var ring orb.Ring
			ci, cs := int32(i), s
			for {
				t.seen[ci] |= 1 << cs
				ring = append(ring, corner(t.start(ci, cs)))
				ci, cs = t.next(ci, cs)
				if ci == int32(i) && cs == s {
					break
				}
			}
			ring = append(ring, ring[0])
			// The first ring of a region, from the bottom side of its
			// lowest cell, is its outer ring; any later one is a hole.
			if k := int(t.comp[i]); k == len(mp) {
				mp = append(mp, orb.Polygon{ring})
			} else {
				mp[k] = append(mp[k], ring)
			}
		}
	}
	return mp
}
