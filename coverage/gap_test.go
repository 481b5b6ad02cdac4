package coverage

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/paulmach/orb"
	"github.com/twpayne/go-geos"

	"github.com/vingt/vingt/internal/testutil"
	"github.com/vingt/vingt/raster"
	"github.com/vingt/vingt/table"
)

// compareGaps checks a traced gap against the GEOS union of the same
// cells: both valid, the same area (relative difference below 1e-9), and
// the same WKB (the trace keeps every corner, so after GEOS normalisation
// the vertices are the union's).
func compareGaps(t *testing.T, what string, traced, unioned orb.Geometry) {
	t.Helper()
	tg, err := toGEOS(traced)
	if err != nil {
		t.Fatal(err)
	}
	ug, err := toGEOS(unioned)
	if err != nil {
		t.Fatal(err)
	}
	if !tg.IsValid() {
		t.Errorf("%s: traced gap invalid: %s", what, tg.IsValidReason())
	}
	if !ug.IsValid() {
		t.Errorf("%s: GEOS gap invalid: %s", what, ug.IsValidReason())
	}
	if d := math.Abs(tg.Area()-ug.Area()) / ug.Area(); !(d < 1e-9) {
		t.Errorf("%s: area %g traced, %g by GEOS (relative difference %g)", what, tg.Area(), ug.Area(), d)
	}
	if d := tg.SymDifference(ug).Area() / ug.Area(); !(d < 1e-9) {
		t.Errorf("%s: symmetric difference %g of the area", what, d)
	}
	if !bytes.Equal(tg.ToWKB(), ug.ToWKB()) {
		t.Errorf("%s: traced gap and GEOS union differ:\n%v\n%v", what, traced, unioned)
	}
}

// TestGapTraceDordogne runs the README's Dordogne command, whose gaps are
// traced on the 1 km grid, and checks every territory's gap against the
// GEOS union of its unserved cells, read back from cells.parquet.
func TestGapTraceDordogne(t *testing.T) {
	job := dordogneJob(t)
	job.Out = t.TempDir()
	rep, err := Run(context.Background(), job, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	grid, err := ReadGrid(job.Grid, "")
	if err != nil {
		t.Fatal(err)
	}
	square := map[string]orb.Geometry{}
	shapes, err := cellShapes(grid.Cells)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range grid.Cells {
		if c.sq.grid == nil {
			t.Fatalf("cell %s not placed on its grid", c.ID)
		}
		square[c.ID] = shapes[i]
	}
	cells, err := table.Read(filepath.Join(job.Out, "cells.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	ids, served := cells.Column("cell_id"), cells.Column("served")
	checked := 0
	for _, level := range rep.Levels {
		codes := cells.Column(level)
		byCode := map[string][]orb.Geometry{}
		for i := range cells.Len() {
			if codes.IsValid(i) && !served.Bool[i] {
				byCode[codes.String[i]] = append(byCode[codes.String[i]], square[ids.String[i]])
			}
		}
		for _, st := range rep.Territories {
			if st.Level != level {
				continue
			}
			gs := byCode[st.Code]
			if len(gs) == 0 {
				if st.Gap != nil {
					t.Errorf("%s %s: a gap without unserved cells", level, st.Code)
				}
				continue
			}
			u, err := unionGap(geos.NewContext(), gs)
			if err != nil {
				t.Fatal(err)
			}
			compareGaps(t, level+" "+st.Code, st.Gap, u)
			checked++
		}
	}
	if checked < 100 {
		t.Errorf("only %d gaps checked", checked)
	}
}

// TestGapTraceSubsets compares tracing with the GEOS union on pieces of
// the Dordogne grid with many holes, islands and corner contacts: in each
// commune, the cells kept by a fixed pseudo-random draw.
func TestGapTraceSubsets(t *testing.T) {
	grid, err := ReadGrid(testutil.SharedData(t, "dordogne/population/census2021_1km_dordogne_bbox.csv"), "")
	if err != nil {
		t.Fatal(err)
	}
	lv, err := ReadLevel("epci", testutil.SharedData(t, "dordogne/territories/epci-2022-dordogne.geojson"), "", "")
	if err != nil {
		t.Fatal(err)
	}
	res := &Results{}
	Assign(res, grid.Cells, []*Level{lv})
	for _, keep := range []uint32{2, 3} {
		idx := make([][]int32, len(lv.Territories))
		for c := range grid.Cells {
			h := uint32(c) * 2654435761
			if i := res.Territory[0][c]; i >= 0 && h>>16%keep != 0 {
				idx[i] = append(idx[i], int32(c))
			}
		}
		ctx := geos.NewContext()
		for i, ix := range idx {
			if len(ix) == 0 {
				continue
			}
			traced, err := gapGeometry(ctx, grid.Cells, ix)
			if err != nil {
				t.Fatal(err)
			}
			gs := shapesOf(t, grid.Cells, ix)
			u, err := unionGap(ctx, gs)
			if err != nil {
				t.Fatal(err)
			}
			compareGaps(t, lv.Territories[i].Code, traced, u)
		}
	}
}

// TestGapGridRef checks which cells are placed on a grid.
func TestGapGridRef(t *testing.T) {
	refs := gridRefs{}
	for _, tc := range []struct {
		id       string
		ok       bool
		col, row int32
	}{
		{"CRS3035RES1000mN2423000E3523000", true, 3523, 2423},
		{"CRS3035RES200mN2029800E4252400", true, 21262, 10149},
		{"CRS3035RES1kmN2423000E3523000", true, 3523, 2423},
		{"CRS3035RES200mN2029850E4252400", false, 0, 0}, // off the grid
		{"CRS3035RES1mN999999999E999999999", true, 999999999, 999999999},
	} {
		gc, err := parseGridID(tc.id)
		if err != nil {
			t.Fatal(err)
		}
		r := refs.ref(gc)
		if (r.grid != nil) != tc.ok || r.col != tc.col || r.row != tc.row {
			t.Errorf("%s: got %+v", tc.id, r)
		}
	}
	a, _ := parseGridID("CRS3035RES1000mN2423000E3523000")
	b, _ := parseGridID("CRS3035RES1000mN1000E2000")
	if refs.ref(a).grid != refs.ref(b).grid {
		t.Error("two cells of one grid on two grids")
	}
}

// BenchmarkGapGeometry times the gap geometry of every territory when all
// its cells are unserved, traced on the grid or unioned by GEOS: the
// Dordogne communes and the départements of metropolitan France (1 km).
func BenchmarkGapGeometry(b *testing.B) {
	for _, c := range []struct{ name, grid, level string }{
		{"dordogne", "dordogne/population/census2021_1km_dordogne_bbox.csv", "dordogne/territories/communes-24-dordogne.geojson"},
		{"france", "france/census2021_1km_france_metro.csv", "france/departements.geojson"},
	} {
		grid, err := ReadGrid(testutil.SharedData(b, c.grid), "")
		if err != nil {
			b.Fatal(err)
		}
		lv, err := ReadLevel("level", testutil.SharedData(b, c.level), "", "")
		if err != nil {
			b.Fatal(err)
		}
		res := &Results{}
		Assign(res, grid.Cells, []*Level{lv})
		idx := make([][]int32, len(lv.Territories))
		for k, i := range res.Territory[0] {
			if i >= 0 {
				idx[i] = append(idx[i], int32(k))
			}
		}
		for _, method := range []string{"trace", "geos"} {
			b.Run(c.name+"/"+method, func(b *testing.B) {
				ctx := geos.NewContext()
				b.ReportAllocs()
				for b.Loop() {
					for _, ix := range idx {
						if len(ix) == 0 {
							continue
						}
						if method == "trace" {
							_, err = gapGeometry(ctx, grid.Cells, ix)
						} else {
							gs := shapesOf(b, grid.Cells, ix)
							_, err = unionGap(ctx, gs)
						}
						if err != nil {
							b.Fatal(err)
						}
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(grid.Cells)), "ns/cell")
			})
		}
	}
}

// TestGapMixedGrids checks that a gap mixing squares of two grids (or
// cells off any grid) falls back to the GEOS union, and that one made of
// squares of one grid is traced: both equal the union.
func TestGapMixedGrids(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mixed.csv")
	csv := "idcar_200m,ind\n" +
		"CRS3035RES200mN2029800E4252400,1\nCRS3035RES200mN2029800E4252600,2\nCRS3035RES200mN2030000E4252800,3\n" +
		"CRS3035RES1000mN2031000E4252000,4\nCRS3035RES200mN2029850E4253400,5\n"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := ReadGrid(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if g.Cells[3].sq.grid == g.Cells[0].sq.grid || g.Cells[4].sq.grid != nil {
		t.Fatalf("grid places %+v %+v %+v", g.Cells[0].sq, g.Cells[3].sq, g.Cells[4].sq)
	}
	ctx := geos.NewContext()
	for _, idx := range [][]int32{{0, 1, 2}, {0, 1, 2, 3}, {0, 4}, {4}, {3}} {
		got, err := gapGeometry(ctx, g.Cells, idx)
		if err != nil {
			t.Fatal(err)
		}
		gs := shapesOf(t, g.Cells, idx)
		want, err := unionGap(ctx, gs)
		if err != nil {
			t.Fatal(err)
		}
		compareGaps(t, fmt.Sprint(idx), got, want)
	}
}

// TestNormalizeLikeGEOS checks normalize against GEOS's Normalize on
// traced random cell sets, with corners moved off straight lines.
func TestNormalizeLikeGEOS(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	warp := func(c, r int64) orb.Point {
		x, y := float64(c), float64(r)
		return orb.Point{x + 0.001*y*y + 0.0003*x*y, y + 0.002*x*x}
	}
	for range 300 {
		var cells []raster.Cell
		w, h, p := 1+rng.IntN(12), 1+rng.IntN(12), 0.3+0.6*rng.Float64()
		for r := range h {
			for c := range w {
				if rng.Float64() < p {
					cells = append(cells, raster.Cell{Col: int32(c), Row: int32(r)})
				}
			}
		}
		mp := raster.TraceFunc(cells, warp)
		if mp == nil {
			continue
		}
		g, err := toGEOS(mp)
		if err != nil {
			t.Fatal(err)
		}
		want, err := fromGEOS(g.Normalize())
		if err != nil {
			t.Fatal(err)
		}
		normalize(mp)
		if wm := polygonsOf(want); !reflect.DeepEqual(mp, wm) {
			t.Fatalf("cells %v:\nnormalize %v\nGEOS      %v", cells, mp, wm)
		}
	}
}

// shapesOf returns the geometries of cells idx.
func shapesOf(t testing.TB, cells []Cell, idx []int32) []orb.Geometry {
	t.Helper()
	sub := make([]Cell, len(idx))
	for k, i := range idx {
		sub[k] = cells[i]
	}
	gs, err := cellShapes(sub)
	if err != nil {
		t.Fatal(err)
	}
	return gs
}
