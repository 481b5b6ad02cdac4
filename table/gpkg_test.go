package table

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/twpayne/go-geos"
)

// TestGeoPackage writes a GeoPackage and reads it back with a second
// implementation: the sqlite3 command-line tool (the C SQLite) for the
// metadata tables and the values, and the geometry blobs decoded here by
// hand (the GeoPackage header) and by GEOS (the WKB).
func TestGeoPackage(t *testing.T) {
	sqlite, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("no sqlite3 command to read the GeoPackage back")
	}
	square := orb.Polygon{{{0.7, 45.1}, {0.8, 45.1}, {0.8, 45.2}, {0.7, 45.2}, {0.7, 45.1}}}
	cells := &Table{Columns: []Column{
		{Name: "cell_id", Kind: String, String: []string{"a", "b", "c"}},
		{Name: "population", Kind: Float64, Float: []float64{1.5, 2, 0}, Valid: []bool{true, true, false}},
		{Name: "cells", Kind: Int64, Int: []int64{1, 2, 3}},
		{Name: "served", Kind: Bool, Bool: []bool{true, false, true}},
		{Name: "geometry", Kind: Geometry, Geom: []orb.Geometry{square, orb.Point{0.75, 45.15}, nil}},
		{Name: "gap", Kind: Geometry, Geom: []orb.Geometry{orb.MultiPolygon{square}, nil, nil}},
	}}
	notes := &Table{Columns: []Column{{Name: "note", Kind: String, String: []string{"x"}}}}
	path := filepath.Join(t.TempDir(), "out.gpkg")
	if err := WriteGeoPackage(path, []Layer{{"cells", cells}, {"notes", notes}}); err != nil {
		t.Fatal(err)
	}
	query := func(q string) string {
		t.Helper()
		out, err := exec.Command(sqlite, "-separator", "|", path, q).CombinedOutput()
		if err != nil {
			t.Fatalf("sqlite3 %q: %v\n%s", q, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	for _, c := range []struct{ q, want string }{
		{"PRAGMA application_id", "1196444487"},
		{"PRAGMA user_version", "10400"},
		{"PRAGMA integrity_check", "ok"},
		{"SELECT srs_id, organization, organization_coordsys_id FROM gpkg_spatial_ref_sys ORDER BY srs_id", "-1|NONE|-1\n0|NONE|0\n4326|EPSG|4326"},
		{"SELECT table_name, data_type, srs_id, min_x, min_y, max_x, max_y FROM gpkg_contents ORDER BY table_name",
			"cells|features|4326|0.7|45.1|0.8|45.2\ncells_gap|features|4326|0.7|45.1|0.8|45.2\nnotes|attributes|||||"},
		{"SELECT table_name, column_name, geometry_type_name, srs_id, z, m FROM gpkg_geometry_columns ORDER BY table_name",
			"cells|geom|GEOMETRY|4326|0|0\ncells_gap|geom|GEOMETRY|4326|0|0"},
		{"SELECT fid, cell_id, population, cells, served, geom IS NULL FROM cells ORDER BY fid", "1|a|1.5|1|1|0\n2|b|2.0|2|0|0\n3|c||3|1|1"},
		{"SELECT count(*), count(geom) FROM cells_gap", "3|1"},
		{"SELECT note FROM notes", "x"},
	} {
		if got := query(c.q); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.q, got, c.want)
		}
	}
	// The blobs: decoded by hand and by GEOS.
	for _, c := range []struct {
		q, wkt string
		env    [4]float64
	}{
		{"SELECT hex(geom) FROM cells WHERE fid = 1", "POLYGON ((0.7 45.1, 0.8 45.1, 0.8 45.2, 0.7 45.2, 0.7 45.1))", [4]float64{0.7, 0.8, 45.1, 45.2}},
		{"SELECT hex(geom) FROM cells WHERE fid = 2", "POINT (0.75 45.15)", [4]float64{0.75, 0.75, 45.15, 45.15}},
		{"SELECT hex(geom) FROM cells_gap WHERE fid = 1", "MULTIPOLYGON (((0.7 45.1, 0.8 45.1, 0.8 45.2, 0.7 45.2, 0.7 45.1)))", [4]float64{0.7, 0.8, 45.1, 45.2}},
	} {
		b := unhex(t, query(c.q))
		if len(b) < 40 || string(b[:2]) != "GP" || b[2] != 0 || b[3]&0x01 != 1 || (b[3]>>1)&0x07 != 1 || b[3]&0x30 != 0 {
			t.Fatalf("%s: header % x", c.q, b[:min(8, len(b))])
		}
		if srs := binary.LittleEndian.Uint32(b[4:8]); srs != 4326 {
			t.Errorf("%s: srs_id %d", c.q, srs)
		}
		for i, want := range c.env {
			if got := math.Float64frombits(binary.LittleEndian.Uint64(b[8+8*i:])); got != want {
				t.Errorf("%s: envelope[%d] %v, want %v", c.q, i, got, want)
			}
		}
		g, err := geos.NewGeomFromWKB(b[40:])
		if err != nil {
			t.Fatalf("%s: GEOS: %v", c.q, err)
		}
		want, _ := geos.NewGeomFromWKT(c.wkt)
		if !g.Equals(want) {
			t.Errorf("%s: GEOS reads %s, want %s", c.q, g.ToWKT(), c.wkt)
		}
	}
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b := make([]byte, len(s)/2)
	for i := range b {
		var v byte
		for _, ch := range s[2*i : 2*i+2] {
			v <<= 4
			switch {
			case ch >= '0' && ch <= '9':
				v |= byte(ch - '0')
			case ch >= 'A' && ch <= 'F':
				v |= byte(ch - 'A' + 10)
			default:
				t.Fatalf("not hex: %q", s)
			}
		}
		b[i] = v
	}
	return b
}

// TestGeoPackageReproducible writes the same layers twice, some
// milliseconds apart, and wants the same bytes: a run's GeoPackage must not
// depend on when it was written (shards merged, workers, nightly CI).
func TestGeoPackageReproducible(t *testing.T) {
	square := orb.Polygon{{{0.7, 45.1}, {0.8, 45.1}, {0.8, 45.2}, {0.7, 45.2}, {0.7, 45.1}}}
	cells := &Table{Columns: []Column{
		{Name: "cell_id", Kind: String, String: []string{"a", "b"}},
		{Name: "geometry", Kind: Geometry, Geom: []orb.Geometry{square, orb.Point{0.75, 45.15}}},
	}}
	dir := t.TempDir()
	var files [2][]byte
	for i := range files {
		p := filepath.Join(dir, fmt.Sprintf("%d.gpkg", i))
		if err := WriteGeoPackage(p, []Layer{{"cells", cells}}); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[i] = b
		time.Sleep(5 * time.Millisecond) // a clock-based last_change would differ
	}
	if !bytes.Equal(files[0], files[1]) {
		t.Errorf("two writes of the same layers differ (%d and %d bytes)", len(files[0]), len(files[1]))
	}
}
