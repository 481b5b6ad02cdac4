package raster

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/twpayne/go-geos"
)

// geosUnion is the oracle: the GEOS union of the cells' squares, each
// corner mapped by corner, normalised by GEOS.
func geosUnion(t testing.TB, cells []Cell, corner func(c, r int64) orb.Point) *geos.Geom {
	t.Helper()
	parts := make([]*geos.Geom, len(cells))
	for i, c := range cells {
		x, y := int64(c.Col), int64(c.Row)
		ring := orb.Ring{corner(x, y), corner(x+1, y), corner(x+1, y+1), corner(x, y+1), corner(x, y)}
		parts[i] = mustGEOS(t, orb.Polygon{ring})
	}
	return geos.NewCollection(geos.TypeIDGeometryCollection, parts).UnaryUnion().Normalize()
}

func mustGEOS(t testing.TB, g orb.Geometry) *geos.Geom {
	t.Helper()
	b, err := wkb.Marshal(g)
	if err != nil {
		t.Fatal(err)
	}
	x, err := geos.NewGeomFromWKB(b)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// warp is a smooth non-linear map, so that no three corners of a grid
// line are collinear (as after a projection to longitude and latitude).
func warp(c, r int64) orb.Point {
	x, y := float64(c), float64(r)
	return orb.Point{x + 0.001*y*y + 0.0003*x*y, y + 0.002*x*x}
}

func grid(c, r int64) orb.Point { return orb.Point{float64(c), float64(r)} }

// randomCells draws cells in a w×h window with density p.
func randomCells(rng *rand.Rand, w, h int, p float64) []Cell {
	var cells []Cell
	for r := range h {
		for c := range w {
			if rng.Float64() < p {
				cells = append(cells, Cell{int32(c) - 3, int32(r) - 2})
			}
		}
	}
	return cells
}

// checkAgainstGEOS compares Trace with the GEOS union: the traced
// multipolygon is valid, and once normalised it is the GEOS union vertex
// for vertex; its area is the union's.
func checkAgainstGEOS(t *testing.T, cells []Cell, corner func(c, r int64) orb.Point) {
	t.Helper()
	mp := TraceFunc(cells, corner)
	if len(cells) == 0 {
		if mp != nil {
			t.Fatalf("no cell: got %v", mp)
		}
		return
	}
	var gm orb.Geometry = mp
	if len(mp) == 1 {
		gm = mp[0] // GEOS gives a polygon for one
	}
	g := mustGEOS(t, gm)
	if !g.IsValid() {
		t.Fatalf("traced multipolygon invalid: %s\ncells %v\n%v", g.IsValidReason(), cells, mp)
	}
	u := geosUnion(t, cells, corner)
	if d := g.SymDifference(u).Area(); d > 1e-9*u.Area() {
		t.Fatalf("symmetric difference area %g (union area %g)", d, u.Area())
	}
	got, want := g.Normalize().ToWKB(), u.ToWKB()
	if !bytes.Equal(got, want) {
		gu, _ := wkb.Unmarshal(want)
		t.Fatalf("normalised trace differs from the GEOS union\ncells %v\ntrace %v\ngeos  %v", cells, mp, gu)
	}
}

func TestTraceVsGEOS(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 400 {
		w, h := 1+rng.IntN(14), 1+rng.IntN(14)
		p := []float64{0.2, 0.5, 0.7, 0.9}[i%4]
		cells := randomCells(rng, w, h, p)
		checkAgainstGEOS(t, cells, grid)
		checkAgainstGEOS(t, cells, warp)
	}
}
