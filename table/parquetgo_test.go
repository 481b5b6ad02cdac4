package table

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	pqgo "github.com/parquet-go/parquet-go"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// TestParquetGoReader reads a written file with a second Parquet
// implementation, github.com/parquet-go/parquet-go (test only): schema,
// "geo" metadata, every value and null, zstd pages.
func TestParquetGoReader(t *testing.T) {
	p := filepath.Join(t.TempDir(), "t.parquet")
	want := sample()
	if err := Write(p, Parquet, want); err != nil {
		t.Fatal(err)
	}
	fh, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	st, _ := fh.Stat()
	f, err := pqgo.OpenFile(fh, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	if f.NumRows() != int64(want.Len()) {
		t.Fatalf("%d rows", f.NumRows())
	}
	if geo, ok := f.Lookup("geo"); !ok || geo == "" {
		t.Error("no geo metadata")
	}
	if v, _ := f.Lookup("vingt"); v != "test" {
		t.Errorf("metadata vingt=%q", v)
	}
	fields := f.Schema().Fields()
	for i, c := range want.Columns {
		if fields[i].Name() != c.Name {
			t.Fatalf("field %d: %s, want %s", i, fields[i].Name(), c.Name)
		}
	}
	var rows []pqgo.Row
	for _, rg := range f.RowGroups() {
		r := rg.Rows()
		buf := make([]pqgo.Row, want.Len())
		for {
			n, err := r.ReadRows(buf)
			for _, row := range buf[:n] {
				rows = append(rows, row.Clone())
			}
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		r.Close()
	}
	if len(rows) != want.Len() {
		t.Fatalf("%d rows read", len(rows))
	}
	for j, row := range rows {
		if len(row) != len(want.Columns) {
			t.Fatalf("row %d: %d values", j, len(row))
		}
		for _, v := range row {
			c := want.Columns[v.Column()]
			null := !c.IsValid(j) || c.Kind == Geometry && c.Geom[j] == nil
			if v.IsNull() != null {
				t.Errorf("%s[%d]: null %v", c.Name, j, v.IsNull())
				continue
			}
			if null {
				continue
			}
			ok := true
			switch c.Kind {
			case Float64:
				ok = v.Double() == c.Float[j]
			case Int64:
				ok = v.Int64() == c.Int[j]
			case String:
				ok = string(v.ByteArray()) == c.String[j]
			case Bool:
				ok = v.Boolean() == c.Bool[j]
			case Geometry:
				g, err := wkb.Unmarshal(v.ByteArray())
				ok = err == nil && orb.Equal(g, c.Geom[j])
			}
			if !ok {
				t.Errorf("%s[%d]: %v", c.Name, j, v)
			}
		}
	}
}
