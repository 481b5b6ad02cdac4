package coverage

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// TestReadGridGeneric reads a generic CSV: columns named in any case,
// ';' with decimal commas, CRLF, a cell of population 0 skipped.
func TestReadGridGeneric(t *testing.T) {
	g, err := ReadGrid("testdata/grid_generic.csv", "")
	if err != nil {
		t.Fatal(err)
	}
	if g.Format != FormatCSV || len(g.Cells) != 1 || g.SkippedEmpty != 1 {
		t.Fatalf("format %s, %d cells, %d skipped: want csv, 1, 1", g.Format, len(g.Cells), g.SkippedEmpty)
	}
	c := g.Cells[0]
	if c.ID != "c1" || c.Lon != 0.7 || c.Lat != 45.1 || c.Population != 12.5 || !orb.Equal(c.Geometry, orb.Point{0.7, 45.1}) {
		t.Errorf("cell %+v", c)
	}
	if _, err := ReadGrid("testdata/grid_generic.csv", "parquet"); err == nil {
		t.Error("unknown format: no error")
	}
	if _, err := ReadGrid("testdata/grid_generic.csv", FormatEurostat); err == nil {
		t.Error("forced eurostat on a file without GRD_ID: no error")
	}
}

// TestReadGridGeoJSON reads polygons (centre = area centroid) and points.
func TestReadGridGeoJSON(t *testing.T) {
	g, err := ReadGrid("testdata/grid_cells.geojson", "")
	if err != nil {
		t.Fatal(err)
	}
	if g.Format != FormatGeoJSON || len(g.Cells) != 2 || g.SkippedEmpty != 1 {
		t.Fatalf("format %s, %d cells, %d skipped: want geojson, 2, 1", g.Format, len(g.Cells), g.SkippedEmpty)
	}
	sq, pt := g.Cells[0], g.Cells[1]
	if sq.ID != "sq" || math.Abs(sq.Lon-1) > 1e-12 || math.Abs(sq.Lat-1) > 1e-12 || sq.Population != 10 {
		t.Errorf("square cell %+v: want centre (1, 1)", sq)
	}
	if _, ok := sq.Geometry.(orb.Polygon); !ok {
		t.Errorf("square cell geometry %T", sq.Geometry)
	}
	if pt.ID != "pt" || pt.Lon != 0.5 || pt.Lat != 45 || pt.Population != 4.5 {
		t.Errorf("point cell %+v", pt)
	}
}

// TestReadLevelOptions checks explicit property names, one-element
// arrays, numeric codes, the merging of features sharing a code (with a
// warning) and the repair of an invalid polygon (with a warning).
func TestReadLevelOptions(t *testing.T) {
	if _, err := ReadLevel("x", "testdata/level_dup.geojson", "", ""); err == nil {
		t.Error("no usual code property: no error")
	}
	lv, err := ReadLevel("x", "testdata/level_dup.geojson", "code_x", "libelle")
	if err != nil {
		t.Fatal(err)
	}
	if len(lv.Territories) != 3 {
		t.Fatalf("%d territories, want 3 (a1 merged)", len(lv.Territories))
	}
	a, b, bow := lv.Territories[0], lv.Territories[1], lv.Territories[2]
	if a.Code != "a1" || a.Name != "A" || len(a.Geometry) != 2 || b.Code != "b" || bow.Code != "7" {
		t.Errorf("territories %v %v %v", a.Code, b.Code, bow.Code)
	}
	if got := lv.Locate(5.5, 5.5); got != 0 {
		t.Errorf("point in a1's second polygon located in %d, want 0", got)
	}
	if got := lv.Locate(10.8, 10.5); got != 2 {
		t.Errorf("point in the repaired bow-tie located in %d, want 2", got)
	}
	kinds := map[string]int{}
	for _, w := range lv.Warnings.List {
		kinds[w.Kind] = w.Count
	}
	if kinds["code on several features (merged)"] != 1 || kinds["invalid polygon (repaired by GEOS MakeValid)"] != 1 {
		t.Errorf("warnings %v", lv.Warnings.List)
	}
}

// TestReadGridVintages reads the column names of other vintages: GEOSTAT
// 2018 (TOT_P_2018) and Filosofi 2015 (IdINSPIRE).
func TestReadGridVintages(t *testing.T) {
	for _, tc := range []struct {
		name, data, format string
		pop                float64
	}{
		{"geostat.csv", "GRD_ID,TOT_P_2018\nCRS3035RES1000mN2423000E3523000,8\n", FormatEurostat, 8},
		{"filosofi.csv", "IdINSPIRE;Ind\nCRS3035RES200mN2497000E3591600;14,5\n", FormatFilosofi, 14.5},
	} {
		p := fuzzFile(t, tc.name, []byte(tc.data))
		g, err := ReadGrid(p, "")
		if err != nil {
			t.Fatal(err)
		}
		if g.Format != tc.format || len(g.Cells) != 1 || g.Cells[0].Population != tc.pop {
			t.Errorf("%s: format %s, cells %+v", tc.name, g.Format, g.Cells)
		}
	}
}
