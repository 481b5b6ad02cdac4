package raster

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// cellsOf reads a picture: rows from top to bottom, '#' a cell; the bottom
// line is row 0 and the first character column 0.
func cellsOf(pic ...string) []Cell {
	var cells []Cell
	for i, line := range pic {
		r := len(pic) - 1 - i
		for c, ch := range line {
			if ch == '#' {
				cells = append(cells, Cell{int32(c), int32(r)})
			}
		}
	}
	return cells
}

// ring builds a closed ring from x, y pairs.
func ring(xy ...float64) orb.Ring {
	var r orb.Ring
	for i := 0; i < len(xy); i += 2 {
		r = append(r, orb.Point{xy[i], xy[i+1]})
	}
	return append(r, r[0])
}

// The expected rings were worked by hand from the pictures: an outer ring
// starts at the lower-left corner of its region's lowest cell and runs
// counter-clockwise through every grid corner of the boundary; a hole
// starts at the first corner of the first cell side (bottom, right, top,
// left) met in row-then-column order, and runs clockwise.
var traceCases = []struct {
	name  string
	cells []Cell
	want  orb.MultiPolygon
}{
	{"no cell", nil, nil},
	{"single cell", cellsOf("#"), orb.MultiPolygon{{ring(0, 0, 1, 0, 1, 1, 0, 1)}}},
	{"repeated cell", []Cell{{4, -7}, {4, -7}}, orb.MultiPolygon{{ring(4, -7, 5, -7, 5, -6, 4, -6)}}},
	{"row of three keeps collinear corners", cellsOf("###"),
		orb.MultiPolygon{{ring(0, 0, 1, 0, 2, 0, 3, 0, 3, 1, 2, 1, 1, 1, 0, 1)}}},
	{"L shape", cellsOf(
		"#.",
		"##"),
		orb.MultiPolygon{{ring(0, 0, 1, 0, 2, 0, 2, 1, 1, 1, 1, 2, 0, 2, 0, 1)}}},
	{"ring with a hole", cellsOf(
		"###",
		"#.#",
		"###"),
		orb.MultiPolygon{{
			ring(0, 0, 1, 0, 2, 0, 3, 0, 3, 1, 3, 2, 3, 3, 2, 3, 1, 3, 0, 3, 0, 2, 0, 1),
			ring(2, 1, 1, 1, 1, 2, 2, 2),
		}}},
	{"diagonal contact: two polygons", cellsOf(
		".#",
		"#."),
		orb.MultiPolygon{
			{ring(0, 0, 1, 0, 1, 1, 0, 1)},
			{ring(1, 1, 2, 1, 2, 2, 1, 2)},
		}},
	{"checkerboard", cellsOf(
		"#.#",
		".#.",
		"#.#"),
		orb.MultiPolygon{
			{ring(0, 0, 1, 0, 1, 1, 0, 1)},
			{ring(2, 0, 3, 0, 3, 1, 2, 1)},
			{ring(1, 1, 2, 1, 2, 2, 1, 2)},
			{ring(0, 2, 1, 2, 1, 3, 0, 3)},
			{ring(2, 2, 3, 2, 3, 3, 2, 3)},
		}},
	{"hole touching the outside at a corner", cellsOf(
		"##.",
		"#.#",
		"###"),
		orb.MultiPolygon{{
			ring(0, 0, 1, 0, 2, 0, 3, 0, 3, 1, 3, 2, 2, 2, 2, 3, 1, 3, 0, 3, 0, 2, 0, 1),
			ring(2, 1, 1, 1, 1, 2, 2, 2),
		}}},
	{"two holes touching at a corner", cellsOf(
		"####",
		"##.#",
		"#.##",
		"####"),
		orb.MultiPolygon{{
			ring(0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 4, 1, 4, 2, 4, 3, 4, 4, 3, 4, 2, 4, 1, 4, 0, 4, 0, 3, 0, 2, 0, 1),
			ring(2, 1, 1, 1, 1, 2, 2, 2),
			ring(3, 2, 2, 2, 2, 3, 3, 3),
		}}},
	{"two islands", cellsOf(
		"...#",
		"....",
		"#..."),
		orb.MultiPolygon{
			{ring(0, 0, 1, 0, 1, 1, 0, 1)},
			{ring(3, 2, 4, 2, 4, 3, 3, 3)},
		}},
	{"island in a hole", cellsOf(
		"#####",
		"#...#",
		"#.#.#",
		"#...#",
		"#####"),
		orb.MultiPolygon{
			{
				ring(0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 5, 1, 5, 2, 5, 3, 5, 4, 5, 5, 4, 5, 3, 5, 2, 5, 1, 5, 0, 5, 0, 4, 0, 3, 0, 2, 0, 1),
				ring(2, 1, 1, 1, 1, 2, 1, 3, 1, 4, 2, 4, 3, 4, 4, 4, 4, 3, 4, 2, 4, 1, 3, 1),
			},
			{ring(2, 2, 3, 2, 3, 3, 2, 3)},
		}},
	{"island touching its hole at a corner", cellsOf(
		"####",
		"#..#",
		"#.##",
		"####"),
		orb.MultiPolygon{{
			ring(0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 4, 1, 4, 2, 4, 3, 4, 4, 3, 4, 2, 4, 1, 4, 0, 4, 0, 3, 0, 2, 0, 1),
			ring(2, 1, 1, 1, 1, 2, 1, 3, 2, 3, 3, 3, 3, 2, 2, 2),
		}}},
	{"island touching its hole's ring diagonally", cellsOf(
		"#####",
		"#...#",
		"#.#.#",
		"#..##",
		"#####"),
		orb.MultiPolygon{{
			ring(0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 5, 1, 5, 2, 5, 3, 5, 4, 5, 5, 4, 5, 3, 5, 2, 5, 1, 5, 0, 5, 0, 4, 0, 3, 0, 2, 0, 1),
			ring(2, 1, 1, 1, 1, 2, 1, 3, 1, 4, 2, 4, 3, 4, 4, 4, 4, 3, 4, 2, 3, 2, 3, 1),
		}, {ring(2, 2, 3, 2, 3, 3, 2, 3)}}},
}

func TestTrace(t *testing.T) {
	for _, tc := range traceCases {
		t.Run(tc.name, func(t *testing.T) {
			got := Trace(tc.cells)
			if !orbEqual(got, tc.want) {
				t.Errorf("got  %v\nwant %v", got, tc.want)
			}
			for _, p := range got {
				for k, r := range p {
					want := orb.CCW
					if k > 0 {
						want = orb.CW
					}
					if r.Orientation() != want {
						t.Errorf("ring %d of %v: orientation %v, want %v", k, p, r.Orientation(), want)
					}
				}
			}
			checkAgainstGEOS(t, tc.cells, grid)
			checkAgainstGEOS(t, tc.cells, warp)
		})
	}
}

func orbEqual(a, b orb.MultiPolygon) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if !slices.Equal(a[i][j], b[i][j]) {
				return false
			}
		}
	}
	return true
}

// TestTracePermutation checks that the result, as WKB, does not depend on
// the order of the cells nor on repeated cells.
func TestTracePermutation(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 50 {
		cells := randomCells(rng, 20, 20, 0.55)
		want, err := wkb.Marshal(Trace(cells))
		if err != nil {
			t.Fatal(err)
		}
		for range 5 {
			perm := slices.Clone(cells)
			rng.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
			perm = append(perm, perm[:len(perm)/3]...)
			got, err := wkb.Marshal(Trace(perm))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("trace of a permutation differs")
			}
		}
	}
}

// TestTraceExtremes checks cells at the ends of the int32 range.
func TestTraceExtremes(t *testing.T) {
	const M, m = 1<<31 - 1, -1 << 31
	cells := []Cell{{M, M}, {m, m}, {M - 1, M}, {m, M}}
	got := Trace(cells)
	want := orb.MultiPolygon{
		{ring(m, m, m+1, m, m+1, m+1, m, m+1)},
		{ring(M-1, M, M, M, M+1, M, M+1, M+1, M, M+1, M-1, M+1)},
		{ring(m, M, m+1, M, m+1, M+1, m, M+1)},
	}
	slices.SortFunc(want, func(a, b orb.Polygon) int { return cmpPt(a[0][0], b[0][0]) })
	if !orbEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

func cmpPt(a, b orb.Point) int {
	if a[1] != b[1] {
		if a[1] < b[1] {
			return -1
		}
		return 1
	}
	if a[0] < b[0] {
		return -1
	} else if a[0] > b[0] {
		return 1
	}
	return 0
}
