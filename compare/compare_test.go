package compare

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/vingt/vingt/table"
)

// terrRow is one territory of a hand-built table.
type terrRow struct {
	level, code string
	pop, cov    float64 // cov < 0: null
	gap         float64
}

func territories(rows ...terrRow) *table.Table {
	n := len(rows)
	level, code, name := make([]string, n), make([]string, n), make([]string, n)
	pop, cov, gap := make([]float64, n), make([]float64, n), make([]float64, n)
	valid := make([]bool, n)
	for i, r := range rows {
		level[i], code[i], name[i] = r.level, r.code, "T"+r.code
		pop[i], cov[i], gap[i], valid[i] = r.pop, r.cov, r.gap, r.cov >= 0
	}
	return &table.Table{Columns: []table.Column{
		{Name: "level", Kind: table.String, String: level},
		{Name: "code", Kind: table.String, String: code},
		{Name: "name", Kind: table.String, String: name},
		{Name: "population", Kind: table.Float64, Float: pop},
		{Name: "coverage", Kind: table.Float64, Float: cov, Valid: valid},
		{Name: "gap_population", Kind: table.Float64, Float: gap},
	}}
}

func TestTerritories(t *testing.T) {
	base := []terrRow{
		{"commune", "1", 100, 0.50, 50},
		{"commune", "2", 200, 1.00, 0},
		{"epci", "9", 300, 0.8333333333333334, 50},
	}
	type row struct {
		level, code string
		pp, gap     float64
		exceeds     bool
	}
	tests := []struct {
		name      string
		old, new  []terrRow
		opts      Options
		want      []row
		onlyOld   int
		onlyNew   int
		exceeds   bool
		maxChange float64
	}{
		{name: "identical", old: base, new: base, opts: Options{Tolerance: 0.5}},
		{name: "drop beyond tolerance", old: base, new: []terrRow{
			{"commune", "1", 100, 0.49, 51}, // −1 pp
			{"commune", "2", 200, 0.99, 2},  // −1 pp, gap +2: first among equals
			{"epci", "9", 300, 0.8333333333333334, 50},
		}, opts: Options{Tolerance: 0.5},
			want:    []row{{"commune", "2", -1, 2, true}, {"commune", "1", -1, 1, true}},
			exceeds: true, maxChange: 1},
		{name: "within tolerance", old: base, new: []terrRow{
			{"commune", "1", 100, 0.503, 49.7}, base[1], base[2],
		}, opts: Options{Tolerance: 0.5},
			want: []row{{"commune", "1", 0.3, -0.3, false}}, maxChange: 0.3},
		{name: "exactly the tolerance passes", old: base, new: []terrRow{
			{"commune", "1", 100, 0.505, 49.5}, base[1], base[2],
		}, opts: Options{Tolerance: 0.5},
			want: []row{{"commune", "1", 0.5, -0.5, false}}, maxChange: 0.5},
		{name: "sorted by size of change", old: base, new: []terrRow{
			{"commune", "1", 100, 0.60, 40}, {"commune", "2", 200, 0.70, 60}, {"epci", "9", 300, 0.6666666666666666, 100},
		}, opts: Options{Tolerance: 50},
			want:      []row{{"commune", "2", -30, 60, false}, {"epci", "9", -16.666666666666668, 50, false}, {"commune", "1", 10, -10, false}},
			maxChange: 30},
		{name: "level filter", old: base, new: []terrRow{
			{"commune", "1", 100, 0.10, 90}, base[1], {"epci", "9", 300, 0.80, 60},
		}, opts: Options{Level: "epci", Tolerance: 0.5},
			want: []row{{"epci", "9", -3.3333333333333437, 10, true}}, exceeds: true, maxChange: 3.3333333333333437},
		{name: "only in one run", old: base, new: []terrRow{base[0], base[2], {"commune", "3", 10, 1, 0}},
			opts: Options{Tolerance: 0.5}, onlyOld: 1, onlyNew: 1},
		{name: "coverage becomes undefined", old: base, new: []terrRow{{"commune", "1", 0, -1, 0}, base[1], base[2]},
			opts: Options{Tolerance: 0.5}, want: []row{{"commune", "1", -50, -50, true}}, exceeds: true, maxChange: 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Territories(territories(tt.old...), territories(tt.new...), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			var got []row
			for _, x := range r.Territories {
				got = append(got, row{x.Level, x.Code, x.CoverageChange, x.GapChange, x.Exceeds})
			}
			if len(got) != len(tt.want) {
				t.Fatalf("changed %+v, want %+v", got, tt.want)
			}
			for i := range got {
				g, w := got[i], tt.want[i]
				if g.level != w.level || g.code != w.code || g.exceeds != w.exceeds ||
					!near(g.pp, w.pp) || !near(g.gap, w.gap) {
					t.Errorf("row %d: %+v, want %+v", i, g, w)
				}
			}
			if len(r.OnlyOld) != tt.onlyOld || len(r.OnlyNew) != tt.onlyNew {
				t.Errorf("only old %v, only new %v", r.OnlyOld, r.OnlyNew)
			}
			if r.Exceeds != tt.exceeds || !near(r.MaxChange, tt.maxChange) {
				t.Errorf("exceeds %v max %v, want %v %v", r.Exceeds, r.MaxChange, tt.exceeds, tt.maxChange)
			}
		})
	}
}

func near(a, b float64) bool { return a-b < 1e-6 && b-a < 1e-6 }

func TestTerritoriesBadTable(t *testing.T) {
	good := territories(terrRow{"commune", "1", 1, 1, 0})
	noCov := territories(terrRow{"commune", "1", 1, 1, 0})
	noCov.Columns = noCov.Columns[:4]
	dup := territories(terrRow{"commune", "1", 1, 1, 0}, terrRow{"commune", "1", 1, 1, 0})
	for name, tc := range map[string]struct {
		old, new *table.Table
		want     string
	}{
		"missing column": {good, noCov, "compare: new territories: no column coverage"},
		"repeated":       {dup, good, "compare: old territories: row 1: territory commune 1 repeated"},
	} {
		_, err := Territories(tc.old, tc.new, Options{})
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: error %v, want %q", name, err, tc.want)
		}
	}
}

func cells(ids []string, served []bool, poste []bool) *table.Table {
	return &table.Table{Columns: []table.Column{
		{Name: "cell_id", Kind: table.String, String: ids},
		{Name: "served_poste", Kind: table.Bool, Bool: poste},
		{Name: "served", Kind: table.Bool, Bool: served},
	}}
}

func TestCells(t *testing.T) {
	old := cells([]string{"a", "b", "c", "d"}, []bool{true, true, false, false}, []bool{true, true, false, true})
	new := cells([]string{"b", "c", "d", "e"}, []bool{false, true, false, true}, []bool{false, true, true, true})
	got, err := Cells(old, new, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := &CellChanges{Matched: 3, OnlyOld: 1, OnlyNew: 1,
		Served:      Flips{Gained: 1, Lost: 1, GainedIDs: []string{"c"}, LostIDs: []string{"b"}},
		Categories:  map[string]Flips{"poste": {Gained: 1, Lost: 1, GainedIDs: []string{"c"}, LostIDs: []string{"b"}}},
		TimeChanges: []TimeChange{}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if _, err := Cells(&table.Table{}, new, 0); err == nil {
		t.Error("no cell_id: no error")
	}
}

// TestCellsTimeChanges checks the travel times listed for cells unserved in
// both runs: beyond the tolerance, or reachable on one side only, largest
// change first.
func TestCellsTimeChanges(t *testing.T) {
	timed := func(tt []float64, valid []bool) *table.Table {
		tb := cells([]string{"w", "x", "y", "z"}, make([]bool, 4), make([]bool, 4))
		tb.Columns = append(tb.Columns, table.Column{Name: "travel_time_poste", Kind: table.Float64, Float: tt, Valid: valid})
		return tb
	}
	old := timed([]float64{25, 30, 40, 0}, []bool{true, true, true, false})
	new := timed([]float64{0, 30.5, 45, 50}, []bool{false, true, true, true})
	f := func(v float64) *float64 { return &v }
	for _, c := range []struct {
		tol  float64
		want []TimeChange
	}{
		{1, []TimeChange{{"w", "poste", f(25), nil, nil}, {"z", "poste", nil, f(50), nil}, {"y", "poste", f(40), f(45), f(5)}}},
		{0, []TimeChange{{"w", "poste", f(25), nil, nil}, {"z", "poste", nil, f(50), nil}, {"y", "poste", f(40), f(45), f(5)}, {"x", "poste", f(30), f(30.5), f(0.5)}}},
		{10, []TimeChange{{"w", "poste", f(25), nil, nil}, {"z", "poste", nil, f(50), nil}}},
	} {
		got, err := Cells(old, new, c.tol)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.TimeChanges, c.want) || got.TimeTolerance != c.tol {
			t.Errorf("tolerance %v: got %s, want %s", c.tol, jsonText(got.TimeChanges), jsonText(c.want))
		}
	}
	if _, err := Cells(old, new, -1); err == nil {
		t.Error("negative tolerance: no error")
	}
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestManifests(t *testing.T) {
	old, err := ParseManifest([]byte(`{"version":"1","inputs":[{"role":"gtfs","path":"a.zip","sha256":"aa"},{"role":"gtfs","path":"b.zip","sha256":"bb"},{"role":"services:poste","path":"p.csv","sha256":"11"}],
		"parameters":{"threshold_minutes":20,"window":"08:00-10:00","routing":{"max_walk_m":1000}}}`))
	if err != nil {
		t.Fatal(err)
	}
	new, _ := ParseManifest([]byte(`{"version":"2","inputs":[{"role":"gtfs","path":"a.zip","sha256":"aa"},{"role":"gtfs","path":"b.zip","sha256":"bc"},{"role":"services:poste","path":"p.csv","sha256":"11"},{"role":"grid","path":"g.csv","sha256":"gg"}],
		"parameters":{"threshold_minutes":25,"window":"08:00-10:00","routing":{"max_walk_m":800},"percentiles":[50]}}`))
	params, inputs := Manifests(old, new)
	wantP := []Change{{"percentiles", "", "[50]"}, {"routing.max_walk_m", "1000", "800"}, {"threshold_minutes", "20", "25"}, {"version", "1", "2"}}
	wantI := []Change{{"grid", "", "g.csv sha256:gg"}, {"gtfs#2", "b.zip sha256:bb", "b.zip sha256:bc"}}
	if !reflect.DeepEqual(params, wantP) {
		t.Errorf("parameters %q, want %q", params, wantP)
	}
	if !reflect.DeepEqual(inputs, wantI) {
		t.Errorf("inputs %q, want %q", inputs, wantI)
	}
	if p, i := Manifests(old, old); len(p) != 0 || len(i) != 0 {
		t.Errorf("same manifest: %v %v", p, i)
	}
	if _, err := ParseManifest([]byte("{")); err == nil {
		t.Error("bad JSON: no error")
	}
}

func writeRun(t *testing.T, dir string, f table.Format, terr, cell *table.Table, manifest string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	terr.Columns = append(terr.Columns, table.Column{Name: "geometry", Kind: table.Geometry, Geom: make([]orb.Geometry, terr.Len())})
	ext := "." + f.String()
	if err := table.Write(filepath.Join(dir, "territories"+ext), f, terr); err != nil {
		t.Fatal(err)
	}
	if err := table.Write(filepath.Join(dir, "cells"+ext), f, cell); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "run.json"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestDirs(t *testing.T) {
	root := t.TempDir()
	a, b := filepath.Join(root, "a"), filepath.Join(root, "b")
	ma := `{"version":"1","inputs":[],"parameters":{},"outputs":["cells.parquet","territories.parquet","run.json"]}`
	mb := `{"version":"1","inputs":[],"parameters":{},"outputs":["cells.arrow","territories.arrow","run.json"]}`
	writeRun(t, a, table.Parquet, territories(terrRow{"commune", "1", 100, 0.5, 50}),
		cells([]string{"x"}, []bool{true}, []bool{true}), ma)
	writeRun(t, b, table.Arrow, territories(terrRow{"commune", "1", 100, 0.4, 60}),
		cells([]string{"x"}, []bool{false}, []bool{false}), mb)
	// A stale file the manifest does not list is never compared: a's
	// manifest names Parquet, so an Arrow file left beside it is ignored,
	// and a manifest naming Arrow where only Parquet lies is refused.
	if _, err := Dirs(a, b, Options{Level: "typo"}); err == nil || !strings.Contains(err.Error(), `level "typo"`) {
		t.Errorf("unknown level: %v", err)
	}
	stale := filepath.Join(root, "stale")
	writeRun(t, stale, table.Parquet, territories(terrRow{"commune", "1", 100, 0.5, 50}),
		cells([]string{"x"}, []bool{true}, []bool{true}), mb)
	if _, err := Dirs(a, stale, Options{}); err == nil || !strings.Contains(err.Error(), "lists territories.arrow") {
		t.Errorf("stale files: %v", err)
	}
	r, err := Dirs(a, b, Options{Tolerance: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Exceeds || len(r.Territories) != 1 || r.Cells.Served.Lost != 1 || len(r.Parameters) != 0 {
		t.Errorf("report %+v", r)
	}
	os.Remove(filepath.Join(b, "run.json"))
	for _, tc := range []struct{ old, new, want string }{
		{a, filepath.Join(root, "nope"), "compare: run folder: stat " + filepath.Join(root, "nope")},
		{a, b, "run.json"},
		{a, root, "run.json"},
	} {
		if _, err := Dirs(tc.old, tc.new, Options{}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Dirs(%s, %s): %v, want %q", tc.old, tc.new, err, tc.want)
		}
	}
}
