package main

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/vingt/vingt/coverage"
	"github.com/vingt/vingt/table"
)

// readDataset reads a Hive-partitioned cells/ folder as one table, as a
// dataset reader does: the partition column, from the folder names
// (null for the default partition), put back where the unpartitioned
// table has it (after population, in level order: index at).
func readDataset(t *testing.T, dir, level string, at int) *table.Table {
	t.Helper()
	parts, err := filepath.Glob(filepath.Join(dir, level+"=*", coverage.PartFile))
	if err != nil || len(parts) == 0 {
		t.Fatalf("no partition under %s: %v", dir, err)
	}
	var out *table.Table
	for _, p := range parts {
		tb, err := table.Read(p)
		if err != nil {
			t.Fatal(err)
		}
		value := strings.TrimPrefix(filepath.Base(filepath.Dir(p)), level+"=")
		col := table.Column{Name: level, Kind: table.String, String: make([]string, tb.Len()), Valid: make([]bool, tb.Len())}
		for i := range col.String {
			if value != coverage.HiveDefaultPartition {
				col.String[i], col.Valid[i] = value, true
			}
		}
		tb.Columns = slices.Insert(tb.Columns, at, col)
		if out == nil {
			out = &table.Table{Columns: tb.Columns}
			continue
		}
		for i := range out.Columns {
			a, b := &out.Columns[i], &tb.Columns[i]
			a.String, a.Float, a.Bool, a.Geom = append(a.String, b.String...), append(a.Float, b.Float...), append(a.Bool, b.Bool...), append(a.Geom, b.Geom...)
			if a.Valid != nil || b.Valid != nil {
				a.Valid = append(validOf(a, a.Len()-b.Len()), validOf(b, b.Len())...)
			}
		}
	}
	return out
}

func validOf(c *table.Column, n int) []bool {
	if c.Valid != nil {
		return c.Valid[:n]
	}
	v := make([]bool, n)
	for i := range v {
		v[i] = true
	}
	return v
}

// rowsByID returns the table's rows keyed by cell_id, each as the values
// of every column (nulls as nil), for an order-free comparison.
func rowsByID(t *testing.T, tb *table.Table) map[string][]any {
	t.Helper()
	ids := tb.Column("cell_id")
	if ids == nil {
		t.Fatal("no cell_id column")
	}
	out := map[string][]any{}
	for i, id := range ids.String {
		var row []any
		for _, c := range tb.Columns {
			var v any
			if c.IsValid(i) {
				switch c.Kind {
				case table.String:
					v = c.String[i]
				case table.Float64:
					v = c.Float[i]
				case table.Bool:
					v = c.Bool[i]
				case table.Int64:
					v = c.Int[i]
				case table.Geometry:
					v = c.Geom[i]
				}
			}
			row = append(row, c.Name, v)
		}
		out[id] = row
	}
	return out
}

// TestPartition: --partition LEVEL writes cells/ as a Hive-partitioned
// dataset whose union is the unpartitioned cells table (the partition
// column from the folder names), with the territories unchanged; merge
// --partition of shards writes the same files byte for byte; the
// combinations that cannot work are refused, naming the option.
func TestPartition(t *testing.T) {
	cfg := dordogneConfig(t)
	dir := t.TempDir()
	single, part := filepath.Join(dir, "single"), filepath.Join(dir, "part")
	if out, err := vingtRun(t, nil, "run", "-q", "--config", cfg, "--out", single); err != nil {
		t.Fatalf("single run: %v\n%s", err, out)
	}
	if out, err := vingtRun(t, nil, "run", "-q", "--config", cfg, "--partition", "epci", "--out", part); err != nil {
		t.Fatalf("partitioned run: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(part, "cells.parquet")); !os.IsNotExist(err) {
		t.Errorf("partitioned run wrote cells.parquet too: %v", err)
	}
	sameFile(t, filepath.Join(single, "territories.parquet"), filepath.Join(part, "territories.parquet"))
	whole, err := table.Read(filepath.Join(single, "cells.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	at := slices.IndexFunc(whole.Columns, func(c table.Column) bool { return c.Name == "epci" })
	ds := readDataset(t, filepath.Join(part, "cells"), "epci", at)
	if ds.Len() != whole.Len() {
		t.Fatalf("dataset has %d cells, the unpartitioned run %d", ds.Len(), whole.Len())
	}
	a, b := rowsByID(t, whole), rowsByID(t, ds)
	for id, row := range a {
		if !reflect.DeepEqual(row, b[id]) {
			t.Fatalf("cell %s:\n unpartitioned %v\n dataset       %v", id, row, b[id])
		}
	}
	manifest, err := os.ReadFile(filepath.Join(part, "run.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(manifest), `"cells/epci=`) || !strings.Contains(string(manifest), `"partition": "epci"`) {
		t.Errorf("run.json lists neither the partition files nor the parameter:\n%s", manifest)
	}

	t.Run("merge", func(t *testing.T) {
		d := filepath.Join(dir, "shards")
		dirs := runShards(t, cfg, d, 3)
		merged := filepath.Join(d, "merged")
		if out, err := vingtRun(t, nil, append([]string{"merge", "-q", "--partition", "epci", "--out", merged}, dirs...)...); err != nil {
			t.Fatalf("merge: %v\n%s", err, out)
		}
		files, _ := filepath.Glob(filepath.Join(part, "cells", "*", "*"))
		files = append(files, filepath.Join(part, "territories.parquet"))
		for _, f := range files {
			rel, _ := filepath.Rel(part, f)
			sameFile(t, f, filepath.Join(merged, rel))
		}
		got, _ := filepath.Glob(filepath.Join(merged, "cells", "*", "*"))
		if len(got) != len(files)-1 {
			t.Errorf("merge wrote %d partition files, the run %d", len(got), len(files)-1)
		}
	})

	refused := []struct {
		name string
		args []string
		want string
	}{
		{"arrow", []string{"run", "-q", "--config", cfg, "--partition", "epci", "--format", "arrow", "--out", filepath.Join(dir, "x")}, "GeoParquet"},
		{"shard", []string{"run", "-q", "--config", cfg, "--partition", "epci", "--shard", "0/2", "--out", filepath.Join(dir, "x")}, "merge --partition"},
		{"unknown level", []string{"run", "-q", "--config", cfg, "--partition", "canton", "--out", filepath.Join(dir, "x")}, "not a territory level"},
		{"diff", []string{"diff", single, part}, "partitioned dataset"},
	}
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			out, err := vingtRun(t, nil, c.args...)
			if err == nil || !strings.Contains(out, c.want) {
				t.Errorf("%s: err %v, output %q, want an error with %q", strings.Join(c.args, " "), err, out, c.want)
			}
			if _, serr := os.Stat(filepath.Join(dir, "x")); serr == nil {
				t.Errorf("an output folder was written")
			}
		})
	}
}
