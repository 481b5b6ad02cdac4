package table

// GeoPackage output: the tables as layers of one SQLite file (OGC
// GeoPackage 1.4), which QGIS opens with any GDAL, where GeoParquet needs
// GDAL 3.8 or later. Written through modernc.org/sqlite (pure Go).

import (
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	_ "modernc.org/sqlite" // the database/sql driver "sqlite"
)

// Layer is one table of a GeoPackage.
type Layer struct {
	Name  string
	Table *Table
}

// gpkgSchema is the GeoPackage's required metadata tables, with the
// spatial reference systems the specification requires and WGS 84.
const gpkgSchema = `
PRAGMA application_id = 1196444487;
PRAGMA user_version = 10400;
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
INSERT INTO gpkg_spatial_ref_sys VALUES
  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
  ('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
`

// GeoPackageLastChange is the last_change that WriteGeoPackage gives every
// layer: a fixed time, so that the same tables make the same file byte for
// byte whenever they are written (a run's manifest says when it ran).
const GeoPackageLastChange = "1970-01-01T00:00:00.000Z"

// WriteGeoPackage writes the layers into a new GeoPackage at path,
// atomically (a temporary file of the same folder, renamed). Each layer is
// a feature table: fid, then the table's columns (REAL, INTEGER, TEXT,
// BOOLEAN; null kept), its first geometry column as the layer's geometry
// "geom" (EPSG:4326, GeoPackage binary: header and envelope, then WKB).
// A further geometry column C becomes a layer NAME_C of its own, with the
// other columns beside it, since a feature table has one geometry.
func WriteGeoPackage(path string, layers []Layer) (err error) {
	var all []Layer
	for _, l := range layers {
		if err := l.Table.check(); err != nil {
			return err
		}
		geoms := 0
		for i := range l.Table.Columns {
			c := &l.Table.Columns[i]
			if c.Kind != Geometry {
				continue
			}
			name := l.Name
			if geoms > 0 {
				name = l.Name + "_" + c.Name
			}
			geoms++
			sub := &Table{}
			for j := range l.Table.Columns {
				if o := &l.Table.Columns[j]; o.Kind != Geometry || j == i {
					sub.Columns = append(sub.Columns, *o)
				}
			}
			all = append(all, Layer{Name: name, Table: sub})
		}
		if geoms == 0 {
			all = append(all, l)
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("table: %w", err)
	}
	name := tmp.Name()
	tmp.Close()
	defer func() {
		if err != nil {
			os.Remove(name)
		}
	}()
	db, err := sql.Open("sqlite", name)
	if err != nil {
		return fmt.Errorf("table: geopackage %s: %w", path, err)
	}
	if err := writeGpkg(db, all); err != nil {
		db.Close()
		return fmt.Errorf("table: geopackage %s: %w", path, err)
	}
	if err := db.Close(); err != nil {
		return fmt.Errorf("table: geopackage %s: %w", path, err)
	}
	if err := os.Chmod(name, 0o644); err != nil {
		return fmt.Errorf("table: %w", err)
	}
	if err := os.Rename(name, path); err != nil {
		return fmt.Errorf("table: %w", err)
	}
	return nil
}

func writeGpkg(db *sql.DB, layers []Layer) error {
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(gpkgSchema); err != nil {
		return err
	}
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, l := range layers {
		if err := writeLayer(tx, l); err != nil {
			return fmt.Errorf("layer %s: %w", l.Name, err)
		}
	}
	return tx.Commit()
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func writeLayer(tx *sql.Tx, l Layer) error {
	t := l.Table
	cols := []string{"fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL"}
	names := []string{}
	geom := -1
	for i := range t.Columns {
		c := &t.Columns[i]
		typ := map[Kind]string{Float64: "REAL", Int64: "INTEGER", String: "TEXT", Bool: "BOOLEAN", Geometry: "GEOMETRY"}[c.Kind]
		name := c.Name
		if c.Kind == Geometry {
			name, geom = "geom", i
		} else if strings.EqualFold(name, "fid") || strings.EqualFold(name, "geom") {
			return fmt.Errorf("column %q: a name the GeoPackage layer reserves", name)
		}
		cols = append(cols, quoteIdent(name)+" "+typ)
		names = append(names, quoteIdent(name))
	}
	if _, err := tx.Exec(fmt.Sprintf("CREATE TABLE %s (%s)", quoteIdent(l.Name), strings.Join(cols, ", "))); err != nil {
		return err
	}
	bounds, hasBounds := orb.Bound{}, false
	if geom >= 0 {
		for i, g := range t.Columns[geom].Geom {
			if g == nil || !t.Columns[geom].IsValid(i) {
				continue
			}
			if b := g.Bound(); !hasBounds {
				bounds, hasBounds = b, true
			} else {
				bounds = bounds.Union(b)
			}
		}
	}
	dataType := "attributes"
	if geom >= 0 {
		dataType = "features"
	}
	var minX, minY, maxX, maxY any
	if hasBounds {
		minX, minY, maxX, maxY = bounds.Min[0], bounds.Min[1], bounds.Max[0], bounds.Max[1]
	}
	var srs any
	if geom >= 0 {
		srs = 4326
	}
	if _, err := tx.Exec(`INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id)
		VALUES (?, ?, ?, '', ?, ?, ?, ?, ?, ?)`, l.Name, dataType, l.Name, GeoPackageLastChange, minX, minY, maxX, maxY, srs); err != nil {
		return err
	}
	if geom >= 0 {
		if _, err := tx.Exec(`INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'GEOMETRY', 4326, 0, 0)`, l.Name); err != nil {
			return err
		}
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(names)), ", ")
	stmt, err := tx.Prepare(fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", quoteIdent(l.Name), strings.Join(names, ", "), marks))
	if err != nil {
		return err
	}
	defer stmt.Close()
	vals := make([]any, len(t.Columns))
	for r := range t.Len() {
		for i := range t.Columns {
			c := &t.Columns[i]
			if !c.IsValid(r) {
				vals[i] = nil
				continue
			}
			switch c.Kind {
			case Float64:
				if math.IsNaN(c.Float[r]) {
					vals[i] = nil
				} else {
					vals[i] = c.Float[r]
				}
			case Int64:
				vals[i] = c.Int[r]
			case String:
				vals[i] = c.String[r]
			case Bool:
				vals[i] = c.Bool[r]
			case Geometry:
				b, err := gpkgGeometry(c.Geom[r])
				if err != nil {
					return fmt.Errorf("row %d: %w", r, err)
				}
				vals[i] = b
			}
		}
		if _, err := stmt.Exec(vals...); err != nil {
			return fmt.Errorf("row %d: %w", r, err)
		}
	}
	return nil
}

// gpkgGeometry encodes g as GeoPackage binary: "GP", version 0, flags
// (little-endian, an xy envelope), srs_id 4326, the envelope (min x, max
// x, min y, max y), then the WKB; nil for no geometry.
func gpkgGeometry(g orb.Geometry) ([]byte, error) {
	if g == nil {
		return nil, nil
	}
	w, err := wkb.Marshal(g, binary.LittleEndian)
	if err != nil {
		return nil, err
	}
	b := g.Bound()
	out := make([]byte, 0, 8+32+len(w))
	out = append(out, 'G', 'P', 0, 0x01|0x02) // little-endian, envelope [minx, maxx, miny, maxy]
	out = binary.LittleEndian.AppendUint32(out, 4326)
	for _, v := range []float64{b.Min[0], b.Max[0], b.Min[1], b.Max[1]} {
		out = binary.LittleEndian.AppendUint64(out, math.Float64bits(v))
	}
	return append(out, w...), nil
}
