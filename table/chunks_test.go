package table

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/paulmach/orb"
)

// rowsTable returns rows [lo, hi) of a table whose row i is known from i:
// a nullable float, a string, a bool and a square (null every 7th row).
func rowsTable(lo, hi int) *Table {
	n := hi - lo
	t := &Table{Columns: []Column{
		{Name: "id", Kind: String, String: make([]string, n)},
		{Name: "x", Kind: Float64, Float: make([]float64, n), Valid: make([]bool, n)},
		{Name: "ok", Kind: Bool, Bool: make([]bool, n)},
		{Name: "geometry", Kind: Geometry, Geom: make([]orb.Geometry, n)},
	}}
	for j := range n {
		i := lo + j
		t.Columns[0].String[j] = fmt.Sprint("c", i)
		t.Columns[1].Float[j], t.Columns[1].Valid[j] = float64(i)/3, i%5 != 0
		t.Columns[2].Bool[j] = i%2 == 0
		if i%7 != 0 {
			x, y := float64(i%1000)/100, float64(i/1000)/100
			t.Columns[3].Geom[j] = orb.Polygon{{{x, y}, {x + 0.01, y}, {x + 0.01, y + 0.01}, {x, y + 0.01}, {x, y}}}
		}
	}
	return t
}

// TestWriteChunks: a table written RowGroup rows at a time reads back as
// the same table written whole (several row groups or record batches,
// the geometry metadata of all the rows), and a table of at most one row
// group is written byte for byte as Write writes it.
func TestWriteChunks(t *testing.T) {
	for _, f := range []Format{Parquet, Arrow} {
		for _, n := range []int{0, 5, RowGroup, 2*RowGroup + 3} {
			t.Run(fmt.Sprintf("%s/%d", f, n), func(t *testing.T) {
				dir := t.TempDir()
				whole, chunked := filepath.Join(dir, "whole"), filepath.Join(dir, "chunked")
				if err := Write(whole, f, rowsTable(0, n)); err != nil {
					t.Fatal(err)
				}
				calls := 0
				err := WriteChunks(chunked, f, n, func(lo, hi int) (*Table, error) {
					calls++
					if hi-lo > RowGroup || lo%RowGroup != 0 {
						t.Errorf("chunk [%d, %d)", lo, hi)
					}
					return rowsTable(lo, hi), nil
				})
				if err != nil {
					t.Fatal(err)
				}
				groups := max(1, (n+RowGroup-1)/RowGroup)
				if want := groups; n > RowGroup && f == Arrow {
					if calls != 2*want {
						t.Errorf("%d chunk calls, want %d (two passes)", calls, 2*want)
					}
				} else if n > RowGroup {
					if calls != want {
						t.Errorf("%d chunk calls, want %d (one pass)", calls, want)
					}
				} else if calls != 1 {
					t.Errorf("%d chunk calls, want 1", calls)
				}
				a, _ := os.ReadFile(whole)
				b, _ := os.ReadFile(chunked)
				if n <= RowGroup && !bytes.Equal(a, b) {
					t.Errorf("one row group: %d bytes, Write wrote %d other bytes", len(b), len(a))
				}
				if got := batches(t, f, b); got != groups {
					t.Errorf("%d row groups or batches, want %d", got, groups)
				}
				tw, err := Read(whole)
				if err != nil {
					t.Fatal(err)
				}
				tc, err := Read(chunked)
				if err != nil {
					t.Fatal(err)
				}
				if tc.Len() != n || !reflect.DeepEqual(tw, tc) {
					t.Errorf("chunked file reads back as %d rows, other than the whole table's", tc.Len())
				}
			})
		}
	}
}

// batches counts the row groups (Parquet) or record batches (Arrow) of a file.
func batches(t *testing.T, f Format, b []byte) int {
	t.Helper()
	if f == Arrow {
		r, err := ipc.NewFileReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		return r.NumRecords()
	}
	r, err := file.NewParquetReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return r.NumRowGroups()
}

// TestWriteChunksErrors: a chunk of the wrong length or of other columns
// fails, naming the rows, and leaves no file.
func TestWriteChunksErrors(t *testing.T) {
	cases := []struct {
		name  string
		chunk func(lo, hi int) (*Table, error)
	}{
		{"short chunk", func(lo, hi int) (*Table, error) { return rowsTable(lo, hi-1), nil }},
		{"other schema", func(lo, hi int) (*Table, error) {
			t := rowsTable(lo, hi)
			if lo > 0 {
				t.Columns = t.Columns[1:]
			}
			return t, nil
		}},
		{"chunk error", func(lo, hi int) (*Table, error) { return nil, fmt.Errorf("no rows %d", lo) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "t")
			if err := WriteChunks(p, Parquet, RowGroup+1, c.chunk); err == nil {
				t.Fatal("no error")
			}
			if _, err := os.Stat(p); !os.IsNotExist(err) {
				t.Errorf("file left: %v", err)
			}
		})
	}
}
