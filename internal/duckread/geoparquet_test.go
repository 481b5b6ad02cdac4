package duckread_test

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/geojson"

	"github.com/vingt/vingt/coverage"
	"github.com/vingt/vingt/table"
)

// duckGrid writes, with DuckDB, a GeoParquet grid of three 1 km squares
// near Périgueux in another writer's types than vingt's: INTEGER
// population, VARCHAR ids, a FLOAT and a DATE column (neither read), the
// squares as WKB BLOBs, and geo as the file's key-value metadata. It
// returns the file and the same cells as a GeoJSON file.
func duckGrid(t *testing.T, db *sql.DB, dir, name, geo string) (parquet, json string) {
	t.Helper()
	fc := geojson.NewFeatureCollection()
	var rows []string
	for i, pop := range []int{120, 0, 7} {
		x, y := 0.70+0.013*float64(i), 45.18
		sq := orb.Polygon{{{x, y}, {x + 0.013, y}, {x + 0.013, y + 0.009}, {x, y + 0.009}, {x, y}}}
		hex, err := wkb.MarshalToHex(sq)
		if err != nil {
			t.Fatal(err)
		}
		id := fmt.Sprintf("cell-%d", i)
		rows = append(rows, fmt.Sprintf("('%s', %d, %g, DATE '2021-01-01', from_hex('%s'))", id, pop, 0.5*float64(i), hex))
		f := geojson.NewFeature(sq)
		f.Properties["id"], f.Properties["population"] = id, float64(pop)
		fc.Append(f)
	}
	parquet = filepath.Join(dir, name+".parquet")
	q := fmt.Sprintf(`COPY (SELECT * FROM (VALUES %s) AS t(id, population, share, census, geometry)
		ORDER BY id) TO '%s' (FORMAT parquet, KV_METADATA {geo: '%s'})`, strings.Join(rows, ", "), parquet, geo)
	q = strings.Replace(q, "(VALUES ('cell-0', 120,", "(VALUES ('cell-0', 120::INTEGER,", 1)
	q = strings.Replace(q, ", 0, DATE", ", 0::FLOAT, DATE", 1)
	if _, err := db.Exec(q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	b, err := fc.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	json = filepath.Join(dir, name+".geojson")
	if err := os.WriteFile(json, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return parquet, json
}

// TestGeoParquetFromDuckDB reads grids that DuckDB wrote as GeoParquet:
// vingt finds the same cells as in the same features as GeoJSON (its
// INTEGER, FLOAT and DATE columns widened or left out), and refuses a
// projected CRS, an encoding other than WKB and a file without geometry,
// naming the file and what is wrong.
func TestGeoParquetFromDuckDB(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	dir := t.TempDir()
	meta := func(encoding, crs string) string {
		return `{"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": {"encoding": "` + encoding + `", "geometry_types": ["Polygon"]` + crs + `}}}`
	}
	for _, c := range []struct {
		name, geo, want string
	}{
		{"default", meta("WKB", ""), ""},
		{"crs84", meta("WKB", `, "crs": {"type": "GeographicCRS", "name": "WGS 84 (CRS84)", "id": {"authority": "OGC", "code": "CRS84"}}`), ""},
		{"epsg4326", meta("WKB", `, "crs": {"id": {"authority": "EPSG", "code": 4326}}`), ""},
		{"null", meta("WKB", `, "crs": null`), ""},
		{"lambert", meta("WKB", `, "crs": {"name": "RGF93 v1 / Lambert-93", "id": {"authority": "EPSG", "code": 2154}}`),
			"geometry column geometry: crs EPSG:2154: want longitude/latitude (OGC:CRS84 or EPSG:4326): reproject the file"},
		{"native", meta("polygon", ""), `geometry column geometry: encoding "polygon": want WKB`},
		{"nogeo", `{}`, "no geometry column"},
	} {
		t.Run(c.name, func(t *testing.T) {
			parquet, json := duckGrid(t, db, dir, c.name, c.geo)
			got, err := coverage.ReadGrid(parquet, "")
			if c.want != "" {
				if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), parquet) {
					t.Fatalf("error %v, want one naming %s and saying %q", err, parquet, c.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want, err := coverage.ReadGrid(json, "")
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Cells) != 2 || got.SkippedEmpty != 1 || !reflect.DeepEqual(got.Cells, want.Cells) {
				t.Errorf("cells from GeoParquet %+v (%d empty), from GeoJSON %+v", got.Cells, got.SkippedEmpty, want.Cells)
			}
			if got.Format != coverage.FormatGeoParquet {
				t.Errorf("format %q detected", got.Format)
			}
			// The types are another writer's: 32-bit integers and floats,
			// a date, which the reader widens or leaves out.
			var types string
			if err := db.QueryRow(fmt.Sprintf("SELECT string_agg(name || ':' || type, ' ' ORDER BY name) FROM parquet_schema('%s') WHERE type IS NOT NULL", parquet)).Scan(&types); err != nil {
				t.Fatal(err)
			}
			if types != "census:INT32 geometry:BYTE_ARRAY id:BYTE_ARRAY population:INT32 share:FLOAT" {
				t.Errorf("DuckDB wrote %s", types)
			}
			b, err := os.ReadFile(parquet)
			if err != nil {
				t.Fatal(err)
			}
			tb, skipped, err := table.ReadInput(parquet, b)
			if err != nil || !slices.Equal(skipped, []string{"census"}) || tb.Columns[1].Kind != table.Int64 || tb.Columns[2].Kind != table.Float64 {
				t.Errorf("ReadInput: skipped %v, error %v", skipped, err)
			}
		})
	}
}
