package table

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

func sample() *Table {
	sq := orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}
	return &Table{
		Metadata: map[string]string{"vingt": "test"},
		Columns: []Column{
			{Name: "code", Kind: String, String: []string{"a", "b", "c"}},
			{Name: "n", Kind: Int64, Int: []int64{1, 2, 3}},
			{Name: "x", Kind: Float64, Float: []float64{0.5, 0, 2}, Valid: []bool{true, false, true}},
			{Name: "ok", Kind: Bool, Bool: []bool{true, false, true}},
			{Name: "geometry", Kind: Geometry, Geom: []orb.Geometry{sq, orb.MultiPolygon{sq}, orb.Point{2, 3}}},
			{Name: "gap", Kind: Geometry, Geom: []orb.Geometry{nil, sq, nil}, Valid: []bool{false, true, false}},
		},
	}
}

func TestRoundTrip(t *testing.T) {
	for _, f := range []Format{Parquet, Arrow} {
		t.Run(f.String(), func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "t")
			want := sample()
			if err := Write(p, f, want); err != nil {
				t.Fatal(err)
			}
			got, err := Read(p)
			if err != nil {
				t.Fatal(err)
			}
			if got.Len() != 3 || len(got.Columns) != len(want.Columns) {
				t.Fatalf("%d rows, %d columns", got.Len(), len(got.Columns))
			}
			for i, c := range want.Columns {
				g := got.Columns[i]
				if g.Name != c.Name || g.Kind != c.Kind {
					t.Errorf("column %d: %s/%d, want %s/%d", i, g.Name, g.Kind, c.Name, c.Kind)
				}
				for j := range 3 {
					if g.IsValid(j) != c.IsValid(j) {
						t.Errorf("%s[%d]: valid %v", c.Name, j, g.IsValid(j))
					}
				}
			}
			if !reflect.DeepEqual(got.Column("code").String, want.Columns[0].String) ||
				got.Column("x").Float[2] != 2 || got.Column("n").Int[1] != 2 || !got.Column("ok").Bool[2] {
				t.Errorf("values differ: %+v", got.Columns)
			}
			if !orb.Equal(got.Column("geometry").Geom[2], orb.Point{2, 3}) || got.Column("gap").Geom[0] != nil {
				t.Errorf("geometries differ")
			}
			if got.Metadata["vingt"] != "test" {
				t.Errorf("metadata %v", got.Metadata)
			}
		})
	}
}

// TestDeterministic writes the same table twice: the bytes are equal.
func TestDeterministic(t *testing.T) {
	for _, f := range []Format{Parquet, Arrow} {
		dir := t.TempDir()
		a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
		if err := Write(a, f, sample()); err != nil {
			t.Fatal(err)
		}
		if err := Write(b, f, sample()); err != nil {
			t.Fatal(err)
		}
		x, _ := os.ReadFile(a)
		y, _ := os.ReadFile(b)
		if !bytes.Equal(x, y) {
			t.Errorf("%s: two writes differ", f)
		}
	}
}

// TestGeoParquetMetadata checks the "geo" key field by field against the
// GeoParquet 1.1 specification (format-specs/geoparquet.md): version,
// primary_column naming a column, and per column encoding "WKB",
// geometry_types from the allowed list, bbox [xmin, ymin, xmax, ymax];
// crs absent meaning OGC:CRS84. The file is read with arrow-go's
// low-level Parquet reader, not the one that wrote it.
func TestGeoParquetMetadata(t *testing.T) {
	p := filepath.Join(t.TempDir(), "t.parquet")
	if err := Write(p, Parquet, sample()); err != nil {
		t.Fatal(err)
	}
	r, err := file.OpenParquetFile(p, false)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.NumRows() != 3 || r.MetaData().Schema.NumColumns() != 6 {
		t.Fatalf("%d rows %d columns", r.NumRows(), r.MetaData().Schema.NumColumns())
	}
	geo := r.MetaData().KeyValueMetadata().FindValue("geo")
	if geo == nil {
		t.Fatal("no geo metadata")
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(*geo), &m); err != nil {
		t.Fatal(err)
	}
	if m["version"] != "1.1.0" || m["primary_column"] != "geometry" {
		t.Errorf("version %v primary_column %v", m["version"], m["primary_column"])
	}
	cols := m["columns"].(map[string]any)
	allowed := map[string]bool{"Point": true, "LineString": true, "Polygon": true, "MultiPoint": true, "MultiLineString": true, "MultiPolygon": true, "GeometryCollection": true}
	for name, want := range map[string][]any{"geometry": {"MultiPolygon", "Point", "Polygon"}, "gap": {"Polygon"}} {
		c, ok := cols[name].(map[string]any)
		if !ok {
			t.Fatalf("no geo entry for %s", name)
		}
		if c["encoding"] != "WKB" {
			t.Errorf("%s: encoding %v", name, c["encoding"])
		}
		types := c["geometry_types"].([]any)
		if !reflect.DeepEqual(types, want) {
			t.Errorf("%s: geometry_types %v, want %v", name, types, want)
		}
		for _, ty := range types {
			if !allowed[ty.(string)] {
				t.Errorf("%s: geometry type %v not in the specification", name, ty)
			}
		}
		bbox := c["bbox"].([]any)
		if len(bbox) != 4 || bbox[0].(float64) > bbox[2].(float64) || bbox[1].(float64) > bbox[3].(float64) {
			t.Errorf("%s: bbox %v", name, bbox)
		}
		if _, has := c["crs"]; has {
			t.Errorf("%s: crs present; absent means OGC:CRS84", name)
		}
	}
	if bb := cols["geometry"].(map[string]any)["bbox"]; !reflect.DeepEqual(bb, []any{0.0, 0.0, 2.0, 3.0}) {
		t.Errorf("geometry bbox %v, want [0 0 2 3]", bb)
	}
	// The geometry column is a byte array (WKB) in the Parquet schema.
	col := r.MetaData().Schema.Column(4)
	if col.Name() != "geometry" || col.PhysicalType().String() != "BYTE_ARRAY" {
		t.Errorf("geometry column: %s %s", col.Name(), col.PhysicalType())
	}
}

func TestAtomicWrite(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out")
	os.WriteFile(p, []byte("previous"), 0o644)
	err := WriteFileAtomic(p, func(w io.Writer) error {
		w.Write([]byte("half"))
		return errors.New("boom")
	})
	if err == nil {
		t.Fatal("no error")
	}
	b, _ := os.ReadFile(p)
	entries, _ := os.ReadDir(dir)
	if string(b) != "previous" || len(entries) != 1 {
		t.Errorf("after a failed write: %q, %d files", b, len(entries))
	}
	bad := sample()
	bad.Columns[1].Int = bad.Columns[1].Int[:2]
	if err := Write(p, Parquet, bad); err == nil {
		t.Error("columns of different lengths: no error")
	}
}

func FuzzRead(f *testing.F) {
	dir := f.TempDir()
	for _, ff := range []Format{Parquet, Arrow} {
		p := filepath.Join(dir, ff.String())
		if err := Write(p, ff, sample()); err != nil {
			f.Fatal(err)
		}
		b, _ := os.ReadFile(p)
		f.Add(b)
	}
	f.Add([]byte("PAR1garbagePAR1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "f")
		os.WriteFile(p, data, 0o644)
		defer func() {
			if r := recover(); r != nil {
				// The Parquet and Arrow libraries panic on some corrupt
				// inputs; Read must not.
				t.Fatalf("panic on %d bytes: %v", len(data), r)
			}
		}()
		Read(p)
	})
}

// readColumn reads column i of a Parquet file with arrow-go's low-level
// column chunk readers (no Arrow, no pqarrow): the values as Go values,
// nil for nulls, from the definition levels.
func readColumn(t *testing.T, r *file.Reader, i int) []any {
	t.Helper()
	n := int(r.NumRows())
	def := make([]int16, n)
	var out []any
	for g := 0; g < r.NumRowGroups(); g++ {
		cr, err := r.RowGroup(g).Column(i)
		if err != nil {
			t.Fatal(err)
		}
		var dense []any
		var levels int64
		switch c := cr.(type) {
		case *file.Int64ColumnChunkReader:
			v := make([]int64, n)
			total, got, err := c.ReadBatch(int64(n), v, def, nil)
			if err != nil {
				t.Fatal(err)
			}
			levels = total
			for _, x := range v[:got] {
				dense = append(dense, x)
			}
		case *file.Float64ColumnChunkReader:
			v := make([]float64, n)
			total, got, err := c.ReadBatch(int64(n), v, def, nil)
			if err != nil {
				t.Fatal(err)
			}
			levels = total
			for _, x := range v[:got] {
				dense = append(dense, x)
			}
		case *file.BooleanColumnChunkReader:
			v := make([]bool, n)
			total, got, err := c.ReadBatch(int64(n), v, def, nil)
			if err != nil {
				t.Fatal(err)
			}
			levels = total
			for _, x := range v[:got] {
				dense = append(dense, x)
			}
		case *file.ByteArrayColumnChunkReader:
			v := make([]parquet.ByteArray, n)
			total, got, err := c.ReadBatch(int64(n), v, def, nil)
			if err != nil {
				t.Fatal(err)
			}
			levels = total
			for _, x := range v[:got] {
				dense = append(dense, string(x))
			}
		default:
			t.Fatalf("column %d: reader %T", i, cr)
		}
		maxDef := r.MetaData().Schema.Column(i).MaxDefinitionLevel()
		k := 0
		for j := 0; j < int(levels); j++ {
			if maxDef > 0 && def[j] < maxDef {
				out = append(out, nil)
				continue
			}
			out = append(out, dense[k])
			k++
		}
	}
	return out
}

// TestIndependentParquetReader reads every value of a written file with
// the low-level Parquet reader and checks it against the table, WKB
// decoded independently of Read.
func TestIndependentParquetReader(t *testing.T) {
	p := filepath.Join(t.TempDir(), "t.parquet")
	want := sample()
	if err := Write(p, Parquet, want); err != nil {
		t.Fatal(err)
	}
	r, err := file.OpenParquetFile(p, false)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got := r.MetaData().GetCreatedBy(); got != CreatedBy {
		t.Errorf("created_by %q, want %q", got, CreatedBy)
	}
	for i, c := range want.Columns {
		if name := r.MetaData().Schema.Column(i).Name(); name != c.Name {
			t.Fatalf("column %d: %s, want %s", i, name, c.Name)
		}
		got := readColumn(t, r, i)
		if len(got) != want.Len() {
			t.Fatalf("%s: %d values", c.Name, len(got))
		}
		for j, g := range got {
			var w any
			switch {
			case !c.IsValid(j) || c.Kind == Geometry && c.Geom[j] == nil:
				w = nil
			case c.Kind == Float64:
				w = c.Float[j]
			case c.Kind == Int64:
				w = c.Int[j]
			case c.Kind == String:
				w = c.String[j]
			case c.Kind == Bool:
				w = c.Bool[j]
			case c.Kind == Geometry:
				if g == nil {
					t.Errorf("%s[%d]: null, want %v", c.Name, j, c.Geom[j])
					continue
				}
				geom, err := wkb.Unmarshal([]byte(g.(string)))
				if err != nil || !orb.Equal(geom, c.Geom[j]) {
					t.Errorf("%s[%d]: %v (%v), want %v", c.Name, j, geom, err, c.Geom[j])
				}
				continue
			}
			if g != w {
				t.Errorf("%s[%d]: %v, want %v", c.Name, j, g, w)
			}
		}
	}
}

// TestEmptyAndNullGeometries: null geometries (nil or Valid false) are
// Parquet nulls; empty geometries are written as empty WKB, keep their
// type in geometry_types and stay out of the bbox; a column with no
// non-empty geometry has no bbox.
func TestEmptyAndNullGeometries(t *testing.T) {
	tbl := &Table{Columns: []Column{
		{Name: "geometry", Kind: Geometry, Geom: []orb.Geometry{orb.Polygon{}, orb.Point{5, 6}, nil, orb.LineString{{1, 2}, {3, 4}}}},
		{Name: "gap", Kind: Geometry, Geom: []orb.Geometry{orb.MultiPolygon{}, nil, orb.Point{9, 9}, nil}, Valid: []bool{true, true, false, true}},
	}}
	p := filepath.Join(t.TempDir(), "e.parquet")
	if err := Write(p, Parquet, tbl); err != nil {
		t.Fatal(err)
	}
	got, err := Read(p)
	if err != nil {
		t.Fatal(err)
	}
	g, gap := got.Column("geometry"), got.Column("gap")
	if g.IsValid(0) != true || !orb.Equal(g.Geom[0], orb.Polygon{}) || g.IsValid(2) || g.Geom[2] != nil {
		t.Errorf("geometry read back %v valid %v", g.Geom, g.Valid)
	}
	if gap.IsValid(1) || gap.IsValid(2) || gap.Geom[2] != nil || !gap.IsValid(0) {
		t.Errorf("gap read back %v valid %v", gap.Geom, gap.Valid)
	}
	var m struct {
		Columns map[string]map[string]any `json:"columns"`
	}
	if err := json.Unmarshal([]byte(got.Metadata["geo"]), &m); err != nil {
		t.Fatal(err)
	}
	if types, bbox := m.Columns["geometry"]["geometry_types"], m.Columns["geometry"]["bbox"]; !reflect.DeepEqual(types, []any{"LineString", "Point", "Polygon"}) ||
		!reflect.DeepEqual(bbox, []any{1.0, 2.0, 5.0, 6.0}) {
		t.Errorf("geometry: types %v bbox %v", types, bbox)
	}
	if types, bbox := m.Columns["gap"]["geometry_types"], m.Columns["gap"]["bbox"]; !reflect.DeepEqual(types, []any{"MultiPolygon"}) || bbox != nil {
		t.Errorf("gap: types %v bbox %v (the invalid point must not count)", types, bbox)
	}
}

// TestArrowGeoArrow reads an Arrow IPC file with arrow-go's IPC reader:
// geometry fields are binary tagged geoarrow.wkb, and the schema holds
// the same "geo" metadata as Parquet.
func TestArrowGeoArrow(t *testing.T) {
	p := filepath.Join(t.TempDir(), "t.arrow")
	if err := Write(p, Arrow, sample()); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := ipc.NewFileReader(f)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	s := r.Schema()
	for _, f := range s.Fields() {
		name, ok := f.Metadata.GetValue("ARROW:extension:name")
		meta, _ := f.Metadata.GetValue("ARROW:extension:metadata")
		isGeo := f.Name == "geometry" || f.Name == "gap"
		if isGeo != (ok && name == "geoarrow.wkb" && meta == geoArrowCRS) || isGeo && f.Type.ID() != arrow.BINARY {
			t.Errorf("field %s: %s extension %q %q", f.Name, f.Type, name, meta)
		}
	}
	geo, ok := s.Metadata().GetValue("geo")
	if !ok || !strings.Contains(geo, `"primary_column":"geometry"`) {
		t.Errorf("schema geo metadata %q", geo)
	}
	if r.NumRecords() != 1 {
		t.Fatalf("%d records", r.NumRecords())
	}
	rec, err := r.RecordBatch(0)
	if err != nil {
		t.Fatal(err)
	}
	b := rec.Column(4).(*array.Binary)
	g, err := wkb.Unmarshal(b.Value(2))
	if err != nil || !orb.Equal(g, orb.Point{2, 3}) {
		t.Errorf("geometry[2] %v %v", g, err)
	}
}

// TestReadTooManyRows: a small Parquet file may announce many rows (a
// constant column is one run): beyond MaxRowsPerByte per byte it is
// refused before the reader allocates them.
func TestReadTooManyRows(t *testing.T) {
	const n = 400_000
	p := filepath.Join(t.TempDir(), "runs.parquet")
	if err := Write(p, Parquet, &Table{Columns: []Column{{Name: "x", Kind: Int64, Int: make([]int64, n)}}}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if int64(n) <= MaxRowsPerByte*int64(len(b))+minRows {
		t.Fatalf("%d rows in %d bytes: within the bound, the test proves nothing", n, len(b))
	}
	for _, read := range []func() error{
		func() error { _, err := Read(p); return err },
		func() error { _, _, err := ReadInput(p, b); return err },
	} {
		if err := read(); err == nil || !strings.Contains(err.Error(), "rows per byte") || !strings.Contains(err.Error(), p) {
			t.Errorf("error %v, want one naming %s and the rows per byte", err, p)
		}
	}
}
