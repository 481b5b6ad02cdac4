package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/vingt/vingt/table"
)

// diffRun writes a run folder: two communes and an EPCI with the given
// coverages (population 100 each commune), three cells, and a manifest
// with the given threshold and services checksum.
func diffRun(t *testing.T, dir string, f table.Format, cov1, cov2 float64, threshold int, sha string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	sq := orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}
	terr := &table.Table{Columns: []table.Column{
		{Name: "level", Kind: table.String, String: []string{"commune", "commune", "epci"}},
		{Name: "code", Kind: table.String, String: []string{"24322", "24037", "200040392"}},
		{Name: "name", Kind: table.String, String: []string{"Périgueux", "Boulazac", "Grand Périgueux"}},
		{Name: "population", Kind: table.Float64, Float: []float64{100, 100, 200}},
		{Name: "population_served", Kind: table.Float64, Float: []float64{100 * cov1, 100 * cov2, 100 * (cov1 + cov2)}},
		{Name: "coverage", Kind: table.Float64, Float: []float64{cov1, cov2, (cov1 + cov2) / 2}},
		{Name: "gap_population", Kind: table.Float64, Float: []float64{100 - 100*cov1, 100 - 100*cov2, 200 - 100*(cov1+cov2)}},
		{Name: "geometry", Kind: table.Geometry, Geom: []orb.Geometry{sq, sq, orb.MultiPolygon{sq}}},
		{Name: "gap", Kind: table.Geometry, Geom: []orb.Geometry{sq, nil, nil}, Valid: []bool{true, false, false}},
	}}
	cells := &table.Table{Columns: []table.Column{
		{Name: "cell_id", Kind: table.String, String: []string{"c1", "c2", "c3"}},
		{Name: "population", Kind: table.Float64, Float: []float64{50, 50, 100}},
		{Name: "served_poste", Kind: table.Bool, Bool: []bool{cov1 == 1, true, cov2 == 1}},
		{Name: "served", Kind: table.Bool, Bool: []bool{cov1 == 1, true, cov2 == 1}},
		{Name: "geometry", Kind: table.Geometry, Geom: []orb.Geometry{orb.Point{0.5, 0.5}, orb.Point{0.6, 0.5}, orb.Point{0.5, 0.6}}},
	}}
	ext := "." + f.String()
	if err := table.Write(filepath.Join(dir, "territories"+ext), f, terr); err != nil {
		t.Fatal(err)
	}
	if err := table.Write(filepath.Join(dir, "cells"+ext), f, cells); err != nil {
		t.Fatal(err)
	}
	m, _ := json.Marshal(map[string]any{
		"version":    "test",
		"inputs":     []map[string]any{{"role": "services:poste", "path": "poste.csv", "sha256": sha, "bytes": 10}},
		"parameters": map[string]any{"threshold_minutes": threshold},
		"warnings":   []any{}, "timings": []any{},
		"outputs": []string{"cells" + ext, "territories" + ext, "run.json"},
	})
	if err := os.WriteFile(filepath.Join(dir, "run.json"), m, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestDiffCommand(t *testing.T) {
	root := t.TempDir()
	dir := func(name string) string { return filepath.Join(root, name) }
	diffRun(t, dir("base"), table.Parquet, 1, 0.5, 20, "aaaa")
	diffRun(t, dir("same"), table.Parquet, 1, 0.5, 20, "aaaa")
	diffRun(t, dir("same-arrow"), table.Arrow, 1, 0.5, 20, "aaaa")
	diffRun(t, dir("drop"), table.Parquet, 0.5, 0.5, 20, "bbbb")  // Périgueux −50 pp, EPCI −25 pp
	diffRun(t, dir("small"), table.Parquet, 1, 0.504, 25, "aaaa") // Boulazac +0.4 pp
	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   []string // substrings, in this order
		stderr   string
		jsonWant func(t *testing.T, m map[string]any)
	}{
		{name: "identical", args: []string{"diff", dir("base"), dir("same")}, code: 0,
			stdout: []string{"territories changed: 0", "cells: 3 matched, 0 only in old, 0 only in new; served: 0 gained, 0 lost"}},
		{name: "parquet against arrow", args: []string{"diff", dir("base"), dir("same-arrow")}, code: 0,
			stdout: []string{"territories changed: 0"}},
		{name: "drop beyond tolerance", args: []string{"diff", dir("base"), dir("drop")}, code: 1,
			stdout: []string{"territories changed: 2 (largest coverage change 50.00 pp",
				"commune", "24322", "Périgueux", "100.00%", "50.00%", "-50.00", "+50", "!",
				"epci", "200040392", "-25.00",
				"served: 0 gained, 1 lost", "served_poste: 0 gained, 1 lost",
				"input services:poste: poste.csv sha256:aaaa → poste.csv sha256:bbbb"}},
		{name: "level filter", args: []string{"diff", "--level", "epci", dir("base"), dir("drop")}, code: 1,
			stdout: []string{"territories changed: 1 (largest coverage change 25.00 pp"}},
		{name: "wide tolerance", args: []string{"diff", "--tolerance", "60", dir("base"), dir("drop")}, code: 0,
			stdout: []string{"territories changed: 2"}},
		{name: "within tolerance", args: []string{"diff", dir("base"), dir("small")}, code: 0,
			stdout: []string{"territories changed: 2 (largest coverage change 0.40 pp, tolerance 0.50 pp)", "24037", "+0.40", "parameter threshold_minutes: 20 → 25"}},
		{name: "json", args: []string{"diff", "--json", dir("base"), dir("drop")}, code: 1,
			jsonWant: func(t *testing.T, m map[string]any) {
				terr := m["territories"].([]any)
				first := terr[0].(map[string]any)
				if len(terr) != 2 || first["code"] != "24322" || first["coverage_change_pp"] != -50.0 ||
					first["gap_population_change"] != 50.0 || first["exceeds_tolerance"] != true {
					t.Errorf("territories %v", terr)
				}
				if m["exceeds_tolerance"] != true || m["max_coverage_change_pp"] != 50.0 {
					t.Errorf("summary %v %v", m["exceeds_tolerance"], m["max_coverage_change_pp"])
				}
				in := m["inputs"].([]any)
				if len(in) != 1 || in[0].(map[string]any)["key"] != "services:poste" {
					t.Errorf("inputs %v", in)
				}
			}},
		{name: "missing folder", args: []string{"diff", dir("base"), dir("nope")}, code: 2, stderr: "vingt: compare: run folder: stat " + dir("nope")},
		{name: "not a run folder", args: []string{"diff", dir("base"), root}, code: 2, stderr: "run.json: no such file"},
		{name: "one argument", args: []string{"diff", dir("base")}, code: 2, stderr: "accepts 2 arg(s)"},
		{name: "negative tolerance", args: []string{"diff", "--tolerance", "-1", dir("base"), dir("same")}, code: 2, stderr: "--tolerance"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runVingt(t, "", tt.args...)
			if r.code != tt.code {
				t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, tt.code, r.stdout, r.stderr)
			}
			rest := r.stdout
			for _, s := range tt.stdout {
				i := strings.Index(rest, s)
				if i < 0 {
					t.Fatalf("stdout lacks %q (in order):\n%s", s, r.stdout)
				}
				rest = rest[i+len(s):]
			}
			if !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("stderr %q lacks %q", r.stderr, tt.stderr)
			}
			if tt.jsonWant != nil {
				var m map[string]any
				if err := json.Unmarshal([]byte(r.stdout), &m); err != nil {
					t.Fatalf("stdout is not JSON: %v\n%s", err, r.stdout)
				}
				tt.jsonWant(t, m)
			}
		})
	}
}
