// Package table writes columnar tables as GeoParquet 1.1 or Arrow IPC
// files, byte for byte the same for the same table, and reads them back.
//
// Choices, for readers of the files:
//   - Geometry columns are WKB in BYTE_ARRAY (Parquet) or binary tagged
//     ARROW:extension:name "geoarrow.wkb" (Arrow), nullable; a nil orb
//     geometry or a false Valid is a null, an empty geometry is an empty
//     WKB geometry that keeps its type but stays out of the bbox.
//   - The "geo" metadata (in the Parquet footer, or the Arrow schema) is
//     {"version":"1.1.0","primary_column": the first geometry column,
//     "columns": {name: {"encoding":"WKB","geometry_types": the sorted
//     distinct types, "bbox":[xmin,ymin,xmax,ymax]}}}. "crs" is left out,
//     which the specification defines as OGC:CRS84 (WGS84 longitude,
//     latitude): what orb geometries hold.
//   - GeoArrow columns carry ARROW:extension:metadata geoArrowCRS, so that
//     GeoArrow readers know the CRS (an empty {} means an unknown one).
//   - Determinism: one row group, zstd pages, no dictionary, statistics,
//     created_by "vingt", no stored Arrow schema, key-value metadata in
//     key order, no timestamp anywhere.
package table

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// geoArrowCRS is the GeoArrow extension metadata of every geometry column:
// longitude, latitude on WGS84, named by its authority code.
const geoArrowCRS = `{"crs":"OGC:CRS84","crs_type":"authority_code"}`

// Kind is the type of a column.
type Kind uint8

// The kinds of column.
const (
	Float64 Kind = iota
	Int64
	String
	Bool
	Geometry // WKB in the file, orb geometries (WGS84 lon/lat) in memory
)

// Column is one column: the slice of its kind holds the values, Valid
// tells which are not null (nil: all valid).
type Column struct {
	Name   string
	Kind   Kind
	Float  []float64
	Int    []int64
	String []string
	Bool   []bool
	Geom   []orb.Geometry
	Valid  []bool
}

// Len returns the number of values of the column.
func (c *Column) Len() int {
	switch c.Kind {
	case Float64:
		return len(c.Float)
	case Int64:
		return len(c.Int)
	case String:
		return len(c.String)
	case Bool:
		return len(c.Bool)
	default:
		return len(c.Geom)
	}
}

// IsValid reports whether value i is not null.
func (c *Column) IsValid(i int) bool { return c.Valid == nil || c.Valid[i] }

// Table is a set of columns of one length.
type Table struct {
	Columns []Column
	// Metadata is written into the file's key-value metadata (sorted by
	// key), beside "geo".
	Metadata map[string]string
}

// Len returns the number of rows.
func (t *Table) Len() int {
	if len(t.Columns) == 0 {
		return 0
	}
	return t.Columns[0].Len()
}

// Column returns the column of that name, or nil.
func (t *Table) Column(name string) *Column {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return &t.Columns[i]
		}
	}
	return nil
}

// Format is a file format.
type Format uint8

// The file formats.
const (
	Parquet Format = iota // GeoParquet 1.1
	Arrow                 // Arrow IPC file with geoarrow.wkb columns
	// GeoPackage: the tables as GeoParquet, and a GeoPackage holding
	// them as layers (WriteGeoPackage) beside them.
	GeoPackage
)

// ParseFormat parses "parquet" or "arrow".
func ParseFormat(s string) (Format, error) {
	switch s {
	case "parquet", "geoparquet":
		return Parquet, nil
	case "arrow", "ipc", "feather":
		return Arrow, nil
	case "gpkg", "geopackage":
		return GeoPackage, nil
	}
	return 0, fmt.Errorf("table: format %q: want parquet, arrow or gpkg", s)
}

func (f Format) String() string {
	switch f {
	case Arrow:
		return "arrow"
	case GeoPackage:
		return "gpkg"
	}
	return "parquet"
}

// CreatedBy is the writer name recorded in Parquet files (fixed, so that
// files do not change with the library's version string).
const CreatedBy = "vingt"

// Write writes the table to path atomically: into a temporary file of the
// same folder, synced, then renamed. On error the previous file, if any,
// is left untouched.
func Write(path string, f Format, t *Table) error {
	if err := t.check(); err != nil {
		return err
	}
	return WriteFileAtomic(path, func(w io.Writer) error {
		rec, err := t.record()
		if err != nil {
			return err
		}
		defer rec.Release()
		if f == Arrow {
			return writeArrow(w, rec)
		}
		return writeParquet(w, rec)
	})
}

// RowGroup is the number of rows of each row group (Parquet) or record
// batch (Arrow) that WriteChunks writes.
const RowGroup = 65536

// WriteChunks writes a table of n rows to path atomically, like Write,
// asking chunk for its rows RowGroup at a time ([lo, hi), in order) and
// writing each as one row group or record batch, so that only one chunk
// of the encoded table is in memory at once. Every chunk must have the
// same columns. The geometry metadata (types and bounding box) is
// gathered while the chunks are written and goes into the Parquet
// footer; an Arrow file, whose schema comes first, gathers it in a first
// pass over the chunks, so chunk is called twice per range and must
// return the same rows both times. chunk must return a table of its own
// each time: a Parquet chunk's columns are let go (zeroed) as they are
// written.
//
// A table of at most RowGroup rows is written byte for byte as Write
// writes it.
func WriteChunks(path string, f Format, n int, chunk func(lo, hi int) (*Table, error)) error {
	if n < 0 {
		return fmt.Errorf("table: %s: %d rows", path, n)
	}
	ranges := func(yield func(lo, hi int) error) error {
		for lo := 0; lo < n || lo == 0; lo += RowGroup {
			if err := yield(lo, min(lo+RowGroup, n)); err != nil {
				return err
			}
		}
		return nil
	}
	get := func(lo, hi int) (*Table, error) {
		t, err := chunk(lo, hi)
		if err != nil {
			return nil, err
		}
		if err := t.check(); err != nil {
			return nil, err
		}
		if t.Len() != hi-lo {
			return nil, fmt.Errorf("table: %s: chunk [%d, %d) has %d rows", path, lo, hi, t.Len())
		}
		return t, nil
	}
	// The geometry metadata of all the rows: Parquet keeps its key-value
	// metadata in the footer, so it is gathered while the chunks are
	// written and added before the footer (one pass); an Arrow file
	// starts with its schema, so a first pass gathers it.
	var geo *geoAcc
	onePass := f != Arrow && n > RowGroup
	if n > RowGroup {
		geo = &geoAcc{}
	}
	if n > RowGroup && !onePass {
		err := ranges(func(lo, hi int) error {
			t, err := get(lo, hi)
			if err != nil {
				return err
			}
			geo.add(t)
			return nil
		})
		if err != nil {
			return err
		}
	}
	return WriteFileAtomic(path, func(w io.Writer) error {
		var pw *pqarrow.FileWriter
		var aw *ipc.FileWriter
		var schema *arrow.Schema
		var last *Table // a chunk, for its columns and metadata
		err := ranges(func(lo, hi int) error {
			t, err := get(lo, hi)
			if err != nil {
				return err
			}
			if onePass {
				geo.add(t)
				last = t
			}
			s, err := t.schemaKV(geo, onePass)
			if err != nil {
				return err
			}
			if schema == nil {
				schema = s
				if f == Arrow {
					aw, err = ipc.NewFileWriter(w, ipc.WithSchema(schema))
				} else {
					pw, err = pqarrow.NewFileWriter(schema, struct{ io.Writer }{w}, parquetProps(), pqarrow.NewArrowWriterProperties())
				}
				if err != nil {
					return err
				}
			} else if !s.Equal(schema) {
				return fmt.Errorf("table: %s: rows [%d, %d) have another schema than the first rows", path, lo, hi)
			}
			if aw != nil || hi == lo {
				rec, err := t.recordGeo(geo)
				if err != nil {
					return err
				}
				defer rec.Release()
				if aw != nil {
					return aw.Write(rec)
				}
				return pw.Write(rec)
			}
			return writeRowGroup(pw, t)
		})
		if err == nil && onePass && pw != nil {
			// The metadata keys from "geo" on, after the first ones
			// that the schema gave the writer: their sorted order.
			keys, vals := last.kv(geo)
			for i := len(schema.Metadata().Keys()); i < len(keys); i++ {
				if err = pw.AppendKeyValueMetadata(keys[i], vals[i]); err != nil {
					break
				}
			}
		}
		switch {
		case aw != nil:
			if cerr := aw.Close(); err == nil {
				err = cerr
			}
		case pw != nil:
			if cerr := pw.Close(); err == nil {
				err = cerr
			}
		}
		return err
	})
}

// writeRowGroup writes t as one row group of pw, as pw.Write of its record
// would, but one column at a time: only one column's Arrow array is held
// at once, and each column of t is let go once written.
func writeRowGroup(pw *pqarrow.FileWriter, t *Table) error {
	if err := pw.NewRowGroupChecked(); err != nil {
		return err
	}
	mem := memory.NewGoAllocator()
	for i := range t.Columns {
		arr, err := t.Columns[i].array(mem)
		if err != nil {
			return err
		}
		err = pw.WriteColumnData(arr)
		arr.Release()
		if err != nil {
			return err
		}
		t.Columns[i] = Column{Name: t.Columns[i].Name, Kind: t.Columns[i].Kind}
	}
	return nil
}

// geoAcc gathers the geometry metadata of a table written in chunks.
type geoAcc struct {
	cols map[string]*geoColAcc
}

type geoColAcc struct {
	types []string
	b     orb.Bound
}

func (a *geoAcc) add(t *Table) {
	if a.cols == nil {
		a.cols = map[string]*geoColAcc{}
	}
	for i := range t.Columns {
		c := &t.Columns[i]
		if c.Kind != Geometry {
			continue
		}
		x := a.cols[c.Name]
		if x == nil {
			x = &geoColAcc{b: emptyBound()}
			a.cols[c.Name] = x
		}
		x.types, x.b = geoOf(c, x.types, x.b)
	}
}

func emptyBound() orb.Bound {
	return orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
}

// geoOf adds to types and b the geometry types and bounds of column c.
func geoOf(c *Column, types []string, b orb.Bound) ([]string, orb.Bound) {
	for j, g := range c.Geom {
		if g == nil || !c.IsValid(j) {
			continue
		}
		if name := g.GeoJSONType(); !slices.Contains(types, name) {
			types = append(types, name)
		}
		b = b.Union(g.Bound())
	}
	return types, b
}

func (t *Table) check() error {
	seen := map[string]bool{}
	for i := range t.Columns {
		c := &t.Columns[i]
		if seen[c.Name] || c.Name == "" {
			return fmt.Errorf("table: column name %q empty or repeated", c.Name)
		}
		seen[c.Name] = true
		if c.Len() != t.Len() || c.Valid != nil && len(c.Valid) != c.Len() {
			return fmt.Errorf("table: column %s has %d values, want %d", c.Name, c.Len(), t.Len())
		}
	}
	return nil
}

// WriteFileAtomic writes a file through write into a temporary file of
// the same folder, syncs it and renames it to path.
func WriteFileAtomic(path string, write func(w io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("table: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return fmt.Errorf("table: writing %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("table: %w", err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("table: %w", err)
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("table: %w", err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("table: %w", err)
	}
	return nil
}

// geoColumn is a column's entry in the GeoParquet "geo" metadata.
type geoColumn struct {
	Encoding      string    `json:"encoding"`
	GeometryTypes []string  `json:"geometry_types"`
	Bbox          []float64 `json:"bbox,omitempty"`
	// CRS is read, never written: GeoParquet's default is OGC:CRS84.
	CRS json.RawMessage `json:"crs,omitempty"`
}

// check tells whether an input's geometry column can be read as
// longitude/latitude WKB: encoding WKB, and a CRS that is absent, null
// (undefined: taken as longitude/latitude, which the readers check), or
// OGC:CRS84 or EPSG:4326 (as PROJJSON with an id, or a string).
func (g geoColumn) check() error {
	if !strings.EqualFold(g.Encoding, "WKB") {
		return fmt.Errorf("encoding %q: want WKB", g.Encoding)
	}
	crs := bytes.TrimSpace(g.CRS)
	if len(crs) == 0 || string(crs) == "null" {
		return nil
	}
	var id struct {
		Name string `json:"name"`
		ID   struct {
			Authority string          `json:"authority"`
			Code      json.RawMessage `json:"code"`
		} `json:"id"`
	}
	var s, auth, code string
	if json.Unmarshal(crs, &s) == nil {
		auth, code, _ = strings.Cut(s, ":")
	} else if err := json.Unmarshal(crs, &id); err != nil {
		return fmt.Errorf("crs: %w", err)
	} else {
		auth, code = id.ID.Authority, strings.Trim(string(id.ID.Code), `"`)
	}
	if u := strings.ToUpper(auth); u == "OGC" && code == "CRS84" || u == "EPSG" && code == "4326" {
		return nil
	}
	name := id.Name
	if auth != "" {
		name = auth + ":" + code
	}
	return fmt.Errorf("crs %s: want longitude/latitude (OGC:CRS84 or EPSG:4326): reproject the file", name)
}

type geoMeta struct {
	Version       string               `json:"version"`
	PrimaryColumn string               `json:"primary_column"`
	Columns       map[string]geoColumn `json:"columns"`
}

// GeoVersion is the GeoParquet version written.
const GeoVersion = "1.1.0"

// geo returns the "geo" metadata: WKB encoding, the distinct geometry
// types and the bounding box of each geometry column. The CRS is left out,
// which GeoParquet defines as OGC:CRS84 (longitude, latitude).
// With acc (a table written in chunks), the types and bounding boxes are
// those acc gathered over all the chunks.
func (t *Table) geo(acc *geoAcc) ([]byte, bool) {
	m := geoMeta{Version: GeoVersion, Columns: map[string]geoColumn{}}
	for i := range t.Columns {
		c := &t.Columns[i]
		if c.Kind != Geometry {
			continue
		}
		if m.PrimaryColumn == "" {
			m.PrimaryColumn = c.Name
		}
		types := []string{}
		b := emptyBound()
		if acc != nil && acc.cols[c.Name] != nil {
			types, b = append(types, acc.cols[c.Name].types...), acc.cols[c.Name].b
		} else {
			types, b = geoOf(c, types, b)
		}
		sort.Strings(types)
		gc := geoColumn{Encoding: "WKB", GeometryTypes: types}
		if !math.IsInf(b.Min[0], 0) {
			gc.Bbox = []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
		}
		m.Columns[c.Name] = gc
	}
	if m.PrimaryColumn == "" {
		return nil, false
	}
	out, _ := json.Marshal(m) // map keys are sorted by encoding/json
	return out, true
}

// wkbSize returns the length of the WKB of g (0 for a type WKB does not
// encode, which Encode then refuses).
func wkbSize(g orb.Geometry) int {
	switch g := g.(type) {
	case orb.Point:
		return 21
	case orb.MultiPoint:
		return 9 + 21*len(g)
	case orb.LineString:
		return 9 + 16*len(g)
	case orb.MultiLineString:
		n := 9
		for _, l := range g {
			n += wkbSize(l)
		}
		return n
	case orb.Ring:
		return wkbSize(orb.Polygon{g})
	case orb.Polygon:
		n := 9
		for _, r := range g {
			n += 4 + 16*len(r)
		}
		return n
	case orb.MultiPolygon:
		n := 9
		for _, p := range g {
			n += wkbSize(p)
		}
		return n
	case orb.Collection:
		n := 9
		for _, x := range g {
			n += wkbSize(x)
		}
		return n
	case orb.Bound:
		return wkbSize(g.ToPolygon())
	}
	return 0
}

// record builds one Arrow record of the table.
func (t *Table) record() (arrow.RecordBatch, error) { return t.recordGeo(nil) }

// recordGeo builds one Arrow record of the table, its geometry metadata
// from acc when set (see geo).
func (t *Table) recordGeo(acc *geoAcc) (arrow.RecordBatch, error) {
	schema, err := t.schema(acc)
	if err != nil {
		return nil, err
	}
	mem := memory.NewGoAllocator()
	cols := make([]arrow.Array, 0, len(t.Columns))
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	for i := range t.Columns {
		arr, err := t.Columns[i].array(mem)
		if err != nil {
			return nil, err
		}
		cols = append(cols, arr)
	}
	return array.NewRecordBatch(schema, cols, int64(t.Len())), nil
}

// schema returns the table's Arrow schema, its geometry metadata from acc
// when set (see geo).
func (t *Table) schema(acc *geoAcc) (*arrow.Schema, error) { return t.schemaKV(acc, false) }

// schemaKV is schema; with head, its metadata stops before the key "geo"
// (the keys from "geo" on are added to the file's footer once every
// chunk is written).
func (t *Table) schemaKV(acc *geoAcc, head bool) (*arrow.Schema, error) {
	fields := make([]arrow.Field, 0, len(t.Columns))
	for i := range t.Columns {
		c := &t.Columns[i]
		f := arrow.Field{Name: c.Name, Nullable: c.Valid != nil || c.Kind == Geometry}
		switch c.Kind {
		case Float64:
			f.Type = arrow.PrimitiveTypes.Float64
		case Int64:
			f.Type = arrow.PrimitiveTypes.Int64
		case String:
			f.Type = arrow.BinaryTypes.String
		case Bool:
			f.Type = arrow.FixedWidthTypes.Boolean
		case Geometry:
			f.Type = arrow.BinaryTypes.Binary
			f.Metadata = arrow.NewMetadata([]string{"ARROW:extension:metadata", "ARROW:extension:name"}, []string{geoArrowCRS, "geoarrow.wkb"})
		default:
			return nil, fmt.Errorf("table: column %s: unknown kind %d", c.Name, c.Kind)
		}
		fields = append(fields, f)
	}
	var keys, vals []string
	if head {
		keys, vals = t.kv(nil)
		if i := slices.Index(keys, "geo"); i >= 0 {
			keys, vals = keys[:i], vals[:i]
		}
	} else {
		keys, vals = t.kv(acc)
	}
	md := arrow.NewMetadata(keys, vals)
	return arrow.NewSchema(fields, &md), nil
}

// kv returns the schema's metadata, sorted by key: the table's and "geo",
// the geometry metadata (from acc when set, see geo).
func (t *Table) kv(acc *geoAcc) (keys, vals []string) {
	keys = make([]string, 0, len(t.Metadata)+1)
	for k := range t.Metadata {
		keys = append(keys, k)
	}
	geo, hasGeo := t.geo(acc)
	if hasGeo {
		keys = append(keys, "geo")
	}
	sort.Strings(keys)
	vals = make([]string, len(keys))
	for i, k := range keys {
		if k == "geo" && hasGeo {
			vals[i] = string(geo)
		} else {
			vals[i] = t.Metadata[k]
		}
	}
	return keys, vals
}

// array builds the column's Arrow array (of the type schema gives it).
func (c *Column) array(mem memory.Allocator) (arrow.Array, error) {
	switch c.Kind {
	case Float64:
		b := array.NewFloat64Builder(mem)
		defer b.Release()
		b.AppendValues(c.Float, c.Valid)
		return b.NewArray(), nil
	case Int64:
		b := array.NewInt64Builder(mem)
		defer b.Release()
		b.AppendValues(c.Int, c.Valid)
		return b.NewArray(), nil
	case String:
		b := array.NewStringBuilder(mem)
		defer b.Release()
		size := 0
		for _, s := range c.String {
			size += len(s)
		}
		b.Reserve(len(c.String))
		b.ReserveData(size)
		b.AppendValues(c.String, c.Valid)
		return b.NewArray(), nil
	case Bool:
		b := array.NewBooleanBuilder(mem)
		defer b.Release()
		b.AppendValues(c.Bool, c.Valid)
		return b.NewArray(), nil
	case Geometry:
		// The builder is sized first (a WKB is known from its point
		// counts), and each geometry encoded into one reused buffer.
		b := array.NewBinaryBuilder(mem, arrow.BinaryTypes.Binary)
		defer b.Release()
		size := 0
		for j, g := range c.Geom {
			if g != nil && c.IsValid(j) {
				size += wkbSize(g)
			}
		}
		b.Reserve(len(c.Geom))
		b.ReserveData(size)
		var buf bytes.Buffer
		enc := wkb.NewEncoder(&buf)
		for j, g := range c.Geom {
			if g == nil || !c.IsValid(j) {
				b.AppendNull()
				continue
			}
			buf.Reset()
			if err := enc.Encode(g); err != nil {
				return nil, fmt.Errorf("table: column %s row %d: %w", c.Name, j, err)
			}
			b.Append(buf.Bytes())
		}
		return b.NewArray(), nil
	}
	return nil, fmt.Errorf("table: column %s: unknown kind %d", c.Name, c.Kind)
}

func parquetProps() *parquet.WriterProperties {
	return parquet.NewWriterProperties(
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithCreatedBy(CreatedBy),
		parquet.WithDictionaryDefault(false),
		parquet.WithStats(true),
	)
}

func writeParquet(w io.Writer, rec arrow.RecordBatch) error {
	props := parquetProps()
	// The Arrow schema is not stored: the geometry columns' extension
	// metadata lives in "geo", and files stay free of engine details.
	// The writer closes what it writes to when it can: hide Close.
	w = struct{ io.Writer }{w}
	fw, err := pqarrow.NewFileWriter(rec.Schema(), w, props, pqarrow.NewArrowWriterProperties())
	if err != nil {
		return err
	}
	if err := fw.Write(rec); err != nil {
		fw.Close()
		return err
	}
	return fw.Close()
}

func writeArrow(w io.Writer, rec arrow.RecordBatch) error {
	fw, err := ipc.NewFileWriter(w, ipc.WithSchema(rec.Schema()))
	if err != nil {
		return err
	}
	if err := fw.Write(rec); err != nil {
		fw.Close()
		return err
	}
	return fw.Close()
}

// Read reads a table written by Write, Parquet or Arrow IPC (told by the
// file's magic bytes); geometry columns (named in the "geo" metadata, or
// tagged geoarrow.wkb) are decoded from WKB.
func Read(path string) (*Table, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("table: %w", err)
	}
	t, _, err := read(path, b, false)
	return t, err
}

// MaxRowsPerByte bounds the rows a Parquet file read by Read or
// ReadInput may hold per byte of file: vingt's own tables hold less than
// one row per 20 bytes (a geometry's WKB alone takes 21).
const MaxRowsPerByte = 8

// minRows is the rows a file may hold whatever its size.
const minRows = 1 << 16

// errTooManyRows is the error of a file that announces more rows than
// MaxRowsPerByte allows.
var errTooManyRows = fmt.Errorf("more than %d rows per byte: corrupt, or not a table of features", MaxRowsPerByte)

// ReadInput reads a GeoParquet or Arrow IPC file that another tool may
// have written, held in b (path names it in errors), as an input: integer
// and float columns of every width read as Int64 and Float64, large and
// dictionary-encoded strings as String, WKB in binary or large binary
// columns as Geometry; a column of another type is left out and its name
// returned in skipped. The geometry columns are those of the "geo"
// metadata, whose encoding must be WKB and whose CRS, when given, must be
// longitude/latitude (OGC:CRS84 or EPSG:4326: GeoParquet's WKB is always
// x = longitude).
func ReadInput(path string, b []byte) (t *Table, skipped []string, err error) {
	return read(path, b, true)
}

// read decodes b, Parquet or Arrow IPC; lenient as ReadInput.
func read(path string, b []byte, lenient bool) (t *Table, skipped []string, err error) {
	// The Parquet and Arrow libraries panic on some corrupt inputs (found
	// by FuzzRead): a bad file is an error, never a crash.
	defer func() {
		if r := recover(); r != nil {
			t, skipped, err = nil, nil, fmt.Errorf("table: %s: corrupt file: %v", path, r)
		}
	}()
	var tbl arrow.Table
	switch {
	case bytes.HasPrefix(b, []byte("PAR1")):
		pf, err := file.NewParquetReader(bytes.NewReader(b))
		if err != nil {
			return nil, nil, fmt.Errorf("table: %s: %w", path, err)
		}
		// Run-length encoding lets a small file announce any number of
		// rows, which the reader would allocate: beyond MaxRowsPerByte
		// rows per byte of file (and a floor for tiny files) it is
		// refused before it is decoded.
		if n := pf.NumRows(); n < 0 || n > MaxRowsPerByte*int64(len(b))+minRows {
			return nil, nil, fmt.Errorf("table: %s: %d rows in %d bytes: %w", path, n, len(b), errTooManyRows)
		}
		fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, memory.NewGoAllocator())
		if err != nil {
			return nil, nil, fmt.Errorf("table: %s: %w", path, err)
		}
		if tbl, err = fr.ReadTable(context.Background()); err != nil {
			return nil, nil, fmt.Errorf("table: %s: %w", path, err)
		}
		// pqarrow does not carry the file's key-value metadata into the
		// schema without a stored Arrow schema: take it from the footer.
		kv := pf.MetaData().KeyValueMetadata()
		md := arrow.NewMetadata(kv.Keys(), kv.Values())
		tbl = array.NewTableFromSlice(arrow.NewSchema(tbl.Schema().Fields(), &md), columnsOf(tbl))
	case bytes.HasPrefix(b, []byte("ARROW1")):
		if err := checkArrowFooter(b); err != nil {
			return nil, nil, fmt.Errorf("table: %s: %w", path, err)
		}
		fr, err := ipc.NewFileReader(bytes.NewReader(b))
		if err != nil {
			return nil, nil, fmt.Errorf("table: %s: %w", path, err)
		}
		defer fr.Close()
		var recs []arrow.RecordBatch
		for i := 0; i < fr.NumRecords(); i++ {
			// RecordBatchAt hands over a record of its own: RecordBatch
			// would release it at the next call, losing all but the last
			// batch of a file written in chunks.
			r, err := fr.RecordBatchAt(i)
			if err != nil {
				for _, r := range recs {
					r.Release()
				}
				return nil, nil, fmt.Errorf("table: %s: %w", path, err)
			}
			recs = append(recs, r)
		}
		tbl = array.NewTableFromRecords(fr.Schema(), recs)
		for _, r := range recs {
			r.Release()
		}
		// Every row takes at least one bit of the file: a larger count
		// is a corrupt length, which would loop for ages (FuzzRead).
		if tbl.NumRows() > 8*int64(len(b)) {
			tbl.Release()
			return nil, nil, fmt.Errorf("table: %s: %d rows in %d bytes: %w", path, tbl.NumRows(), len(b), errCorruptArrow)
		}
	default:
		return nil, nil, fmt.Errorf("table: %s: neither Parquet nor Arrow IPC", path)
	}
	defer tbl.Release()
	return fromArrow(path, tbl, lenient)
}

func columnsOf(t arrow.Table) [][]arrow.Array {
	out := make([][]arrow.Array, t.NumCols())
	for i := range out {
		out[i] = t.Column(i).Data().Chunks()
	}
	return out
}

// fromArrow converts an Arrow table to a Table; lenient as ReadInput.
func fromArrow(path string, tbl arrow.Table, lenient bool) (*Table, []string, error) {
	out := &Table{Metadata: map[string]string{}}
	md := tbl.Schema().Metadata()
	geoCols := map[string]bool{}
	for i, k := range md.Keys() {
		if k == "geo" {
			var g geoMeta
			if err := json.Unmarshal([]byte(md.Values()[i]), &g); err != nil {
				return nil, nil, fmt.Errorf("table: %s: geo metadata: %w", path, err)
			}
			for name, c := range g.Columns {
				if lenient {
					if err := c.check(); err != nil {
						return nil, nil, fmt.Errorf("table: %s: geometry column %s: %w", path, name, err)
					}
				}
				geoCols[name] = true
			}
		}
		out.Metadata[k] = md.Values()[i]
	}
	var skipped []string
	for i, f := range tbl.Schema().Fields() {
		if name, ok := f.Metadata.GetValue("ARROW:extension:name"); ok && name == "geoarrow.wkb" {
			geoCols[f.Name] = true
		}
		c := Column{Name: f.Name}
		chunks := tbl.Column(i).Data().Chunks()
		n := int(tbl.NumRows())
		total := 0
		for _, ch := range chunks {
			total += ch.Len()
		}
		if total != n {
			return nil, nil, fmt.Errorf("table: %s: column %s has %d values, want %d", path, f.Name, total, n)
		}
		valid := make([]bool, 0, n)
		nulls := false
		for _, ch := range chunks {
			for j := 0; j < ch.Len(); j++ {
				valid = append(valid, ch.IsValid(j))
				nulls = nulls || ch.IsNull(j)
			}
		}
		ok, err := c.appendChunks(chunks, geoCols[f.Name], lenient)
		if err != nil {
			return nil, nil, fmt.Errorf("table: %s: %w", path, err)
		}
		if !ok {
			if !lenient {
				return nil, nil, fmt.Errorf("table: %s: column %s: unsupported type %s", path, f.Name, f.Type)
			}
			skipped = append(skipped, f.Name)
			continue
		}
		if nulls {
			c.Valid = valid
			// The value under a null is unspecified (a Parquet reader
			// leaves what its buffers held): zero it, so that a table
			// reads back the same whatever its row groups.
			for j, ok := range valid {
				if ok {
					continue
				}
				switch c.Kind {
				case Float64:
					c.Float[j] = 0
				case Int64:
					c.Int[j] = 0
				case String:
					c.String[j] = ""
				case Bool:
					c.Bool[j] = false
				}
			}
		}
		out.Columns = append(out.Columns, c)
	}
	if len(out.Columns) == 0 {
		return nil, nil, errors.New("table: no column")
	}
	return out, skipped, nil
}

// appendChunks appends the values of chunks to c, a geometry column when
// geom, and reports false for a type it cannot read. Lenient (ReadInput),
// it widens the integers and floats of every width, reads large and
// dictionary-encoded strings, and WKB from large binary.
func (c *Column) appendChunks(chunks []arrow.Array, geom, lenient bool) (bool, error) {
	for _, ch := range chunks {
		if geom {
			if err := c.appendWKB(ch, lenient); err != nil {
				return false, err
			}
			continue
		}
		switch a := ch.(type) {
		case *array.Float64:
			c.Kind, c.Float = Float64, append(c.Float, a.Float64Values()...)
		case *array.Int64:
			c.Kind, c.Int = Int64, append(c.Int, a.Int64Values()...)
		case *array.String:
			c.Kind = String
			for j := 0; j < a.Len(); j++ {
				c.String = append(c.String, a.Value(j))
			}
		case *array.Boolean:
			c.Kind = Bool
			for j := 0; j < a.Len(); j++ {
				c.Bool = append(c.Bool, a.Value(j))
			}
		case *array.Binary:
			if lenient {
				return false, nil
			}
			return false, fmt.Errorf("binary column %s is not a geometry", c.Name)
		default:
			if !lenient || !c.appendWidened(ch) {
				return false, nil
			}
		}
	}
	return true, nil
}

// appendWidened appends the values of a, an integer, float or string
// array of another width or encoding than the table's kinds, and reports
// whether it could.
func (c *Column) appendWidened(a arrow.Array) bool {
	n := a.Len()
	switch a := a.(type) {
	case *array.Int8:
		appendInts(c, a.Int8Values())
	case *array.Int16:
		appendInts(c, a.Int16Values())
	case *array.Int32:
		appendInts(c, a.Int32Values())
	case *array.Uint8:
		appendInts(c, a.Uint8Values())
	case *array.Uint16:
		appendInts(c, a.Uint16Values())
	case *array.Uint32:
		appendInts(c, a.Uint32Values())
	case *array.Uint64:
		c.Kind = Int64
		for j := range n {
			v := a.Value(j)
			if v > math.MaxInt64 {
				return false
			}
			c.Int = append(c.Int, int64(v))
		}
	case *array.Float32:
		c.Kind = Float64
		for j := range n {
			c.Float = append(c.Float, float64(a.Value(j)))
		}
	case *array.LargeString:
		c.Kind = String
		for j := range n {
			c.String = append(c.String, a.Value(j))
		}
	case *array.Dictionary:
		dict, ok := a.Dictionary().(*array.String)
		if !ok {
			return false
		}
		c.Kind = String
		for j := range n {
			s := ""
			if a.IsValid(j) {
				s = dict.Value(a.GetValueIndex(j))
			}
			c.String = append(c.String, s)
		}
	default:
		return false
	}
	return true
}

// appendInts appends integers of a narrower type to c as Int64.
func appendInts[T int8 | int16 | int32 | uint8 | uint16 | uint32](c *Column, v []T) {
	c.Kind = Int64
	for _, x := range v {
		c.Int = append(c.Int, int64(x))
	}
}

// appendWKB appends the geometries of a, WKB in a binary array (or, when
// lenient, a large binary one).
func (c *Column) appendWKB(a arrow.Array, lenient bool) error {
	var value func(int) []byte
	switch a := a.(type) {
	case *array.Binary:
		value = a.Value
	case *array.LargeBinary:
		if !lenient {
			return fmt.Errorf("geometry column %s: unsupported type %s", c.Name, a.DataType())
		}
		value = a.Value
	default:
		return fmt.Errorf("geometry column %s: type %s, want WKB in a binary column", c.Name, a.DataType())
	}
	c.Kind = Geometry
	for j := 0; j < a.Len(); j++ {
		if a.IsNull(j) {
			c.Geom = append(c.Geom, nil)
			continue
		}
		g, err := wkb.Unmarshal(value(j))
		if err != nil {
			return fmt.Errorf("column %s row %d: %w", c.Name, len(c.Geom), err)
		}
		c.Geom = append(c.Geom, g)
	}
	return nil
}
