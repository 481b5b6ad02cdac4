package coverage

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/vingt/vingt/internal/testutil"
	"github.com/vingt/vingt/table"
)

// featuresTable returns features as a table for GeoParquet: one column
// per property (Float64 when every value is a number, Int64 when every
// value is also whole and ints, else String), null where a feature lacks
// it, and the geometry. A one-element array is its element, as the
// GeoJSON readers take it.
func featuresTable(fs []*geojson.Feature, ints bool) *table.Table {
	keys := map[string]bool{}
	for _, f := range fs {
		for k, v := range f.Properties {
			keys[k] = true
			if arr, ok := v.([]any); ok && len(arr) == 1 {
				f.Properties[k] = arr[0]
			}
		}
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	slices.Sort(names)
	n := len(fs)
	t := &table.Table{}
	for _, k := range names {
		numeric, whole := true, true
		for _, f := range fs {
			switch v := f.Properties[k].(type) {
			case nil:
			case float64:
				whole = whole && v == math.Trunc(v) && math.Abs(v) < 1<<53
			default:
				numeric = false
			}
		}
		c := table.Column{Name: k, Valid: make([]bool, n)}
		switch {
		case numeric && whole && ints:
			c.Kind, c.Int = table.Int64, make([]int64, n)
		case numeric:
			c.Kind, c.Float = table.Float64, make([]float64, n)
		default:
			c.Kind, c.String = table.String, make([]string, n)
		}
		for i, f := range fs {
			v, ok := f.Properties[k]
			if !ok || v == nil {
				continue
			}
			c.Valid[i] = true
			switch c.Kind {
			case table.Int64:
				c.Int[i] = int64(v.(float64))
			case table.Float64:
				c.Float[i] = v.(float64)
			default:
				c.String[i] = fmt.Sprint(v)
			}
		}
		t.Columns = append(t.Columns, c)
	}
	geom := make([]orb.Geometry, n)
	for i, f := range fs {
		geom[i] = f.Geometry
	}
	t.Columns = append(t.Columns, table.Column{Name: "geometry", Kind: table.Geometry, Geom: geom})
	return t
}

// squares returns the cells as features: their shapes (the squares of a
// CSV grid), id and T.
func squares(tb testing.TB, cells []Cell) *geojson.FeatureCollection {
	tb.Helper()
	fc := geojson.NewFeatureCollection()
	for _, c := range cells {
		g, err := c.Shape()
		if err != nil {
			tb.Fatal(err)
		}
		f := geojson.NewFeature(g)
		f.Properties["id"], f.Properties["T"] = c.ID, c.Population
		fc.Append(f)
	}
	return fc
}

// writeCollection writes fc as a GeoJSON file.
func writeCollection(tb testing.TB, fc *geojson.FeatureCollection, path string) {
	tb.Helper()
	b, err := fc.MarshalJSON()
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		tb.Fatal(err)
	}
}

// toGeoParquet writes the features of a GeoJSON file as GeoParquet.
func toGeoParquet(t *testing.T, src, dst string, ints bool) {
	t.Helper()
	fs, err := readFeatures(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := table.Write(dst, table.Parquet, featuresTable(fs, ints)); err != nil {
		t.Fatal(err)
	}
}

// TestGeoParquetInputsEqualGeoJSON runs the Dordogne config with a
// GeoJSON grid (the census cells' squares, with their ids), the France
// Services desks (with their opening hours) and the communes and EPCI as
// GeoJSON, then with the same features as GeoParquet (integers as Int64
// columns), then with the census CSV grid and those GeoParquet files: the
// cells, territories and points written are the same bytes. The squares
// read from features are the CSV's cells (same centres, gaps traced on
// the grid).
func TestGeoParquetInputsEqualGeoJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("two Dordogne runs: not under -short")
	}
	cfg, err := LoadConfig(filepath.Join("..", "testdata", "configs", "dordogne.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(cfg.Grid); err != nil {
		t.Skipf("shared data absent: %v", err)
	}
	dir := t.TempDir()
	grid, err := ReadGrid(cfg.Grid, "")
	if err != nil {
		t.Fatal(err)
	}
	gridJSON := filepath.Join(dir, "grid.geojson")
	writeCollection(t, squares(t, grid.Cells), gridJSON)
	// as converts NAME=PATH specs, PATH a GeoJSON file, to GeoParquet.
	as := func(specs []string, suffix string) (json, parquet []string) {
		for _, s := range specs {
			name, path, _ := strings.Cut(s, "=")
			if !isFeatureFile(path) {
				json, parquet = append(json, s), append(parquet, s)
				continue
			}
			p := filepath.Join(dir, name+".parquet")
			toGeoParquet(t, path, p, true)
			json, parquet = append(json, s+suffix), append(parquet, name+"="+p+suffix)
		}
		return json, parquet
	}
	cfg.GridFormat = ""
	jsonServices, parquetServices := as(cfg.Services, "@h_")
	jsonTerr, parquetTerr := as(cfg.Territories, "")
	gridParquet := filepath.Join(dir, "grid.parquet")
	toGeoParquet(t, gridJSON, gridParquet, true)
	run := func(name, grid string, services, terr []string) string {
		c := *cfg
		c.Grid, c.Services, c.Territories, c.Out = grid, services, terr, filepath.Join(dir, name)
		job, err := c.Job()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Run(context.Background(), job, Hooks{}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return c.Out
	}
	a := run("geojson", gridJSON, jsonServices, jsonTerr)
	p := run("geoparquet", gridParquet, parquetServices, parquetTerr)
	c := run("csv", cfg.Grid, parquetServices, parquetTerr)
	for _, f := range []string{"cells.parquet", "territories.parquet", "points.parquet"} {
		y, err := os.ReadFile(filepath.Join(p, f))
		if err != nil {
			t.Fatal(err)
		}
		for _, other := range []string{a, c} {
			x, err := os.ReadFile(filepath.Join(other, f))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(x, y) {
				t.Errorf("%s: %d bytes from %s, %d from GeoParquet inputs", f, len(x), filepath.Base(other), len(y))
			}
		}
	}
}

// sampleGeoParquet returns a GeoParquet grid of two cells, one a point,
// the other a square, with a null id, written by table.Write.
func sampleGeoParquet(t testing.TB) []byte {
	t.Helper()
	sq := orb.Polygon{{{0.70, 45.18}, {0.713, 45.18}, {0.713, 45.189}, {0.70, 45.189}, {0.70, 45.18}}}
	fs := []*geojson.Feature{geojson.NewFeature(orb.Point{0.72, 45.19}), geojson.NewFeature(sq)}
	fs[0].Properties["id"], fs[0].Properties["population"] = "a", 12.0
	fs[1].Properties["population"] = 3.5
	p := filepath.Join(t.TempDir(), "grid.parquet")
	if err := table.Write(p, table.Parquet, featuresTable(fs, true)); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestGeoParquetBad feeds broken GeoParquet inputs to the readers of
// grids, territories and service points: each is an error naming the
// file, never a panic.
func TestGeoParquetBad(t *testing.T) {
	good := sampleGeoParquet(t)
	noGeom := filepath.Join(t.TempDir(), "nogeom.parquet")
	if err := table.Write(noGeom, table.Parquet, &table.Table{Columns: []table.Column{{Name: "id", Kind: table.String, String: []string{"a"}}}}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(noGeom)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"truncated", good[:len(good)/2], "file is smaller than indicated metadata size"},
		{"magic only", []byte("PAR1"), "grid.parquet"},
		{"no geometry", b, "no geometry column"},
		{"footer cut", good[:len(good)-6], "grid.parquet"},
		// A grid is told by its content (this one reads as a CSV); the
		// territories and points by their extension.
		{"csv named .parquet", []byte("id,lon,lat,population\na,0.7,45.1,3\n"), "not a Parquet or Arrow IPC file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "grid.parquet")
			if err := os.WriteFile(p, c.data, 0o644); err != nil {
				t.Fatal(err)
			}
			_, gerr := ReadGrid(p, "")
			_, lerr := ReadLevel("commune", p, "", "")
			_, serr := ReadServices("poste=" + p)
			errs := []error{gerr, lerr, serr}
			if c.name == "csv named .parquet" {
				if gerr != nil {
					t.Errorf("the grid, a CSV: %v", gerr)
				}
				errs = errs[1:]
			}
			for _, err := range errs {
				if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "coverage: ") {
					t.Errorf("error %v, want one naming %s and saying %q", err, p, c.want)
				}
			}
		})
	}
	// The sample itself reads: the point cell and the square, the null id
	// numbered by its row.
	p := filepath.Join(t.TempDir(), "grid.parquet")
	if err := os.WriteFile(p, good, 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := ReadGrid(p, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Cells) != 2 || g.Cells[0].ID != "a" || g.Cells[0].Population != 12 || g.Cells[1].ID != "2" || g.Cells[1].Population != 3.5 {
		t.Errorf("cells %+v", g.Cells)
	}
}

func FuzzReadGridGeoParquet(f *testing.F) {
	good := sampleGeoParquet(f)
	f.Add(good)
	f.Add(good[:len(good)-10])
	f.Fuzz(func(t *testing.T, data []byte) { fuzzGrid(t, "grid.parquet", data) })
}

// TestFeatureGridSquares: a polygon cell whose id names a grid square is
// read as the CSV reads that id when its polygon is the square (corners
// in another order and direction too), and as a polygon with its
// centroid when it is another shape or its id names no square.
func TestFeatureGridSquares(t *testing.T) {
	dir := t.TempDir()
	ids := []string{"CRS3035RES1000mN2423000E3523000", "CRS3035RES1000mN2423000E3524000", "CRS3035RES1000mN2424000E3523000"}
	csv := filepath.Join(dir, "grid.csv")
	if err := os.WriteFile(csv, []byte("GRD_ID,T\n"+ids[0]+",8\n"+ids[1]+",2\n"+ids[2]+",5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	want, err := ReadGrid(csv, "")
	if err != nil {
		t.Fatal(err)
	}
	fc := geojson.NewFeatureCollection()
	for i, c := range want.Cells {
		g, err := c.Shape()
		if err != nil {
			t.Fatal(err)
		}
		r := g.(orb.Polygon)[0]
		switch i {
		case 0: // from the third corner, the other way round
			g = orb.Polygon{{r[2], r[1], r[0], r[3], r[2]}}
		case 1: // moved by 10 m or so
			s := slices.Clone(r)
			for k := range s {
				s[k][0] += 1e-4
			}
			g = orb.Polygon{s}
		}
		f := geojson.NewFeature(g)
		f.Properties["id"], f.Properties["T"] = ids[i], c.Population
		if i == 2 {
			f.Properties["id"] = "plain"
		}
		fc.Append(f)
	}
	js := filepath.Join(dir, "grid.geojson")
	writeCollection(t, fc, js)
	got, err := ReadGrid(js, "")
	if err != nil {
		t.Fatal(err)
	}
	sq := got.Cells[0]
	if sq.Geometry != nil || sq.sq.grid == nil || *sq.sq.grid != *want.Cells[0].sq.grid || sq.sq.col != want.Cells[0].sq.col || sq.sq.row != want.Cells[0].sq.row || sq.Lon != want.Cells[0].Lon || sq.Lat != want.Cells[0].Lat {
		t.Errorf("the square: %+v, want the CSV's %+v", sq, want.Cells[0])
	}
	for _, c := range got.Cells[1:] {
		ctr, _ := centroid(c.Geometry)
		if c.Geometry == nil || c.sq.grid != nil || c.Lon != ctr[0] || c.Lat != ctr[1] {
			t.Errorf("%s: %+v, want its polygon and centroid", c.ID, c)
		}
	}
}

// BenchmarkReadGridFormats reads the Dordogne census grid (17,701 cells)
// as its CSV, and as its cells' squares with their ids in GeoJSON and in
// GeoParquet: the three give the same cells (TestGeoParquetInputsEqualGeoJSON).
func BenchmarkReadGridFormats(b *testing.B) {
	csv := testutil.SharedData(b, "dordogne/population/census2021_1km_dordogne_bbox.csv")
	grid, err := ReadGrid(csv, "")
	if err != nil {
		b.Fatal(err)
	}
	fc := squares(b, grid.Cells)
	dir := b.TempDir()
	js, pq := filepath.Join(dir, "grid.geojson"), filepath.Join(dir, "grid.parquet")
	writeCollection(b, fc, js)
	if err := table.Write(pq, table.Parquet, featuresTable(fc.Features, true)); err != nil {
		b.Fatal(err)
	}
	for _, f := range []struct{ name, path string }{{"csv", csv}, {"geojson", js}, {"geoparquet", pq}} {
		b.Run(f.name, func(b *testing.B) {
			st, err := os.Stat(f.path)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(st.Size())
			b.ReportAllocs()
			for b.Loop() {
				g, err := ReadGrid(f.path, "")
				if err != nil || len(g.Cells) != len(grid.Cells) {
					b.Fatalf("%v, %d cells", err, len(g.Cells))
				}
			}
		})
	}
}
