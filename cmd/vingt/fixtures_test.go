package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vingt/vingt/internal/testutil"
	"github.com/vingt/vingt/table"
)

// expectation is a fixture's expected.json: the answer worked out by hand.
type expectation struct {
	Args        []string                      `json:"args"`
	Cells       map[string]map[string]any     `json:"cells"`
	Territories map[string]map[string]float64 `json:"territories"`
	Outside     int                           `json:"outside_cells"`
	// Hours names, per category, its opening hours column.
	Hours map[string]string `json:"hours"`
}

// TestFixtures runs vingt on every hand-built territory fixture of
// testdata/fixtures and checks the outputs against the hand computation
// (expected.json), then against the golden dump of both files (rewrite
// with -update).
func TestFixtures(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "fixtures", "*", "expected.json"))
	if len(dirs) < 3 {
		t.Fatalf("%d fixtures found", len(dirs))
	}
	for _, e := range dirs {
		dir, _ := filepath.Abs(filepath.Dir(e))
		t.Run(filepath.Base(dir), func(t *testing.T) {
			var exp expectation
			b, err := os.ReadFile(e)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &exp); err != nil {
				t.Fatal(err)
			}
			out := t.TempDir()
			args := []string{"run", "--quiet", "--gtfs", filepath.Join(dir, "gtfs"), "--grid", filepath.Join(dir, "grid.csv"),
				"--territories", "zone=" + filepath.Join(dir, "territories.geojson"), "--out", out}
			svc, _ := filepath.Glob(filepath.Join(dir, "services-*.csv"))
			for _, s := range svc {
				cat := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(s), "services-"), ".csv")
				spec := cat + "=" + s
				if h := exp.Hours[cat]; h != "" {
					spec += "@" + h
				}
				args = append(args, "--services", spec)
			}
			args = append(args, exp.Args...)
			r := runVingt(t, "", args...)
			if r.code != 0 {
				t.Fatalf("vingt %v: exit %d\n%s", args, r.code, r.stderr)
			}
			cells := readTable(t, filepath.Join(out, "cells.parquet"))
			terr := readTable(t, filepath.Join(out, "territories.parquet"))
			checkCells(t, cells, exp)
			checkTerritories(t, terr, exp)
			testutil.Golden(t, filepath.Join(dir, "golden.txt"), []byte(dump(cells)+"\n"+dump(terr)))
		})
	}
}

func checkCells(t *testing.T, cells *table.Table, exp expectation) {
	t.Helper()
	row := map[string]int{}
	for i, id := range cells.Column("cell_id").String {
		row[id] = i
	}
	outside := 0
	zone := cells.Column("zone")
	for i := range cells.Len() {
		if !zone.IsValid(i) {
			outside++
		}
	}
	if outside != exp.Outside {
		t.Errorf("%d cells outside every territory, want %d", outside, exp.Outside)
	}
	for id, want := range exp.Cells {
		i, ok := row[id]
		if !ok {
			t.Errorf("cell %s missing", id)
			continue
		}
		for col, v := range want {
			c := cells.Column(col)
			if c == nil {
				t.Errorf("no column %s", col)
				continue
			}
			switch v := v.(type) {
			case nil:
				if c.IsValid(i) {
					t.Errorf("cell %s %s: %v, want null", id, col, c.Float[i])
				}
			case bool:
				if c.Bool[i] != v {
					t.Errorf("cell %s %s: %v, want %v", id, col, c.Bool[i], v)
				}
			case float64:
				if !c.IsValid(i) || math.Abs(c.Float[i]-v) > 1e-9 {
					t.Errorf("cell %s %s: %v (valid %v), want %v", id, col, c.Float[i], c.IsValid(i), v)
				}
			}
		}
	}
}

func checkTerritories(t *testing.T, terr *table.Table, exp expectation) {
	t.Helper()
	codes := terr.Column("code").String
	for code, want := range exp.Territories {
		i := -1
		for j, c := range codes {
			if c == code {
				i = j
			}
		}
		if i < 0 {
			t.Errorf("territory %s missing", code)
			continue
		}
		for col, v := range want {
			c := terr.Column(col)
			if c == nil || !c.IsValid(i) || math.Abs(c.Float[i]-v) > 1e-9 {
				t.Errorf("territory %s %s: %+v, want %v", code, col, c, v)
			}
		}
	}
}

// dump writes a table as text, one line per row, geometries as WKT-like
// type and bound, for golden comparisons.
func dump(tb *table.Table) string {
	var b strings.Builder
	var names []string
	for _, c := range tb.Columns {
		names = append(names, c.Name)
	}
	b.WriteString(strings.Join(names, "\t") + "\n")
	var rows []string
	for i := range tb.Len() {
		var f []string
		for _, c := range tb.Columns {
			switch {
			case !c.IsValid(i):
				f = append(f, "null")
			case c.Kind == table.Float64:
				f = append(f, fmt.Sprintf("%.6g", c.Float[i]))
			case c.Kind == table.Int64:
				f = append(f, fmt.Sprint(c.Int[i]))
			case c.Kind == table.String:
				f = append(f, c.String[i])
			case c.Kind == table.Bool:
				f = append(f, fmt.Sprint(c.Bool[i]))
			default:
				g := c.Geom[i]
				bd := g.Bound()
				f = append(f, fmt.Sprintf("%s[%.5f %.5f %.5f %.5f]", g.GeoJSONType(), bd.Min[0], bd.Min[1], bd.Max[0], bd.Max[1]))
			}
		}
		rows = append(rows, strings.Join(f, "\t"))
	}
	sort.Strings(rows)
	b.WriteString(strings.Join(rows, "\n") + "\n")
	return b.String()
}
