package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vingt/vingt/internal/testutil"
	"github.com/vingt/vingt/table"
)

// dordogneArgs returns the coverage issue's Dordogne command (without
// --out), skipping when the shared data is absent.
func dordogneArgs(t *testing.T) []string {
	return []string{"run",
		"--gtfs", testutil.SharedData(t, "perigueux/peribus-gtfs.zip"),
		"--date", "2026-01-13", "--window", "08:00-10:00",
		"--grid", testutil.SharedData(t, "dordogne/population/census2021_1km_dordogne_bbox.csv"),
		"--services", "poste=" + testutil.SharedData(t, "dordogne/services/laposte_points_contact_dordogne.csv"),
		"--services", "france_services=" + testutil.SharedData(t, "dordogne/services/france_services_2020_dordogne.geojson"),
		"--territories", "commune=" + testutil.SharedData(t, "dordogne/territories/communes-24-dordogne.geojson"),
		"--territories", "epci=" + testutil.SharedData(t, "dordogne/territories/epci-2022-dordogne.geojson"),
		"--quiet",
	}
}

func readTable(t *testing.T, path string) *table.Table {
	t.Helper()
	tb, err := table.Read(path)
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	return tb
}

func TestRunDordogne(t *testing.T) {
	if testing.Short() {
		t.Skip("whole Dordogne run: not in -short")
	}
	out := t.TempDir()
	r := runVingt(t, "", append(dordogneArgs(t), "--out", out)...)
	if r.code != 0 {
		t.Fatalf("vingt run: exit %d\nstderr: %s", r.code, r.stderr)
	}
	for _, f := range []string{"cells.parquet", "territories.parquet", "run.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Fatalf("%s not written: %v", f, err)
		}
	}
	terr := readTable(t, filepath.Join(out, "territories.parquet"))
	cells := readTable(t, filepath.Join(out, "cells.parquet"))
	for _, name := range []string{"level", "code", "name", "population", "population_served", "coverage", "gap_population", "population_served_poste", "population_served_france_services", "geometry", "gap"} {
		if terr.Column(name) == nil {
			t.Errorf("territories.parquet: no column %s", name)
		}
	}
	for _, name := range []string{"cell_id", "population", "commune", "epci", "travel_time_poste", "share_poste", "served_poste", "travel_time_france_services", "share_france_services", "served_france_services", "served", "geometry"} {
		if cells.Column(name) == nil {
			t.Errorf("cells.parquet: no column %s", name)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	// One row per (level, code); served ≤ population; coverage in [0, 1].
	seen := map[string]bool{}
	level, code := terr.Column("level").String, terr.Column("code").String
	pop, served := terr.Column("population").Float, terr.Column("population_served").Float
	cov := terr.Column("coverage")
	var epciPop float64
	for i := range terr.Len() {
		k := level[i] + "/" + code[i]
		if seen[k] {
			t.Errorf("territory %s twice", k)
		}
		seen[k] = true
		if served[i] > pop[i]+1e-9 {
			t.Errorf("%s: served %v > population %v", k, served[i], pop[i])
		}
		if cov.Valid == nil || cov.Valid[i] {
			if c := cov.Float[i]; c < 0 || c > 1 {
				t.Errorf("%s: coverage %v", k, c)
			}
		}
		if k == "epci/200040392" {
			epciPop = pop[i]
		}
	}
	// The population of CA Le Grand Périgueux is the sum of T over the
	// cells whose centre lies in its polygon.
	var sum float64
	epci := cells.Column("epci")
	for i := range cells.Len() {
		if (epci.Valid == nil || epci.Valid[i]) && epci.String[i] == "200040392" {
			sum += cells.Column("population").Float[i]
		}
	}
	if epciPop == 0 || epciPop != sum {
		t.Errorf("EPCI 200040392: population %v, sum of its cells %v", epciPop, sum)
	}
	var m map[string]any
	b, _ := os.ReadFile(filepath.Join(out, "run.json"))
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("run.json: %v", err)
	}
	for _, k := range []string{"version", "inputs", "parameters", "warnings", "timings", "counts"} {
		if _, ok := m[k]; !ok {
			t.Errorf("run.json: no %s", k)
		}
	}
	if !strings.Contains(r.stdout, "coverage") {
		t.Errorf("summary lacks the coverage column:\n%s", r.stdout)
	}
}

// TestRunDeterministic runs the Dordogne command with 1 and 2 workers: the
// Parquet files must be byte-identical.
func TestRunDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("two whole Dordogne runs: not in -short")
	}
	var outs [2]string
	for i, w := range []string{"1", "2"} {
		outs[i] = t.TempDir()
		r := runVingt(t, "", append(dordogneArgs(t), "--out", outs[i], "--workers", w)...)
		if r.code != 0 {
			t.Fatalf("vingt run --workers %s: exit %d\n%s", w, r.code, r.stderr)
		}
	}
	for _, f := range []string{"cells.parquet", "territories.parquet"} {
		a, _ := os.ReadFile(filepath.Join(outs[0], f))
		b, _ := os.ReadFile(filepath.Join(outs[1], f))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs between --workers 1 and 2 (%d and %d bytes)", f, len(a), len(b))
		}
	}
}

// TestRunKilled kills a run with SIGKILL while it works: the previous
// outputs stay in place, whole, and no partial file is left beside them.
func TestRunKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("whole Dordogne runs: not in -short")
	}
	out := t.TempDir()
	r := runVingt(t, "", append(dordogneArgs(t), "--out", out)...)
	if r.code != 0 {
		t.Fatalf("first run: exit %d\n%s", r.code, r.stderr)
	}
	before := map[string][]byte{}
	for _, f := range []string{"cells.parquet", "territories.parquet", "run.json"} {
		before[f], _ = os.ReadFile(filepath.Join(out, f))
	}
	for _, delay := range []time.Duration{50 * time.Millisecond, 300 * time.Millisecond, 800 * time.Millisecond} {
		cmd := exec.Command(vingtBin, append(dordogneArgs(t), "--out", out, "--percentile", "50,90")...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		entries, _ := os.ReadDir(out)
		for _, e := range entries {
			if _, ok := before[e.Name()]; !ok && !strings.HasPrefix(e.Name(), ".vingt-staging-") {
				t.Errorf("after SIGKILL at %v: unexpected %s in the output folder", delay, e.Name())
			}
		}
		for f, b := range before {
			now, err := os.ReadFile(filepath.Join(out, f))
			if err != nil {
				t.Errorf("after SIGKILL at %v: %s lost: %v", delay, f, err)
				continue
			}
			// The run may have finished before the kill: then the files are
			// complete outputs of the new run, which must read back.
			if !bytes.Equal(now, b) && f != "run.json" {
				readTable(t, filepath.Join(out, f))
			}
		}
	}
}

func TestRunExample(t *testing.T) {
	dir := t.TempDir()
	r := runVingt(t, dir, "run")
	if r.code != 0 {
		t.Fatalf("vingt run (example): exit %d\nstderr: %s", r.code, r.stderr)
	}
	for _, f := range []string{"cells.parquet", "territories.parquet", "run.json"} {
		if _, err := os.Stat(filepath.Join(dir, "vingt-out", f)); err != nil {
			t.Errorf("example: %s not written: %v", f, err)
		}
	}
	if !strings.Contains(r.stdout, "Porto Alegre") && !strings.Contains(r.stdout, "coverage") {
		t.Errorf("example summary:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "routing") {
		t.Errorf("example: no progress on stderr:\n%s", r.stderr)
	}
	// The manifest names the embedded files, not the temporary folder
	// they were extracted into and that is gone.
	b, err := os.ReadFile(filepath.Join(dir, "vingt-out", "run.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Inputs []struct{ Role, Path string }
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Inputs) < 5 {
		t.Fatalf("example run.json: %d inputs", len(m.Inputs))
	}
	for _, in := range m.Inputs {
		if !strings.HasPrefix(in.Path, "embedded:example/") {
			t.Errorf("example run.json: input %s at %q, want its embedded name", in.Role, in.Path)
		}
	}
	if !strings.Contains(string(b), `"embedded:example/poa_eptc.zip"`) {
		t.Errorf("example run.json does not name embedded:example/poa_eptc.zip")
	}
}

func TestRunErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no grid", []string{"run", "--gtfs", "x.zip", "--date", "2026-01-13"}, "grid"},
		{"bad window", []string{"run", "--gtfs", "x.zip", "--date", "2026-01-13", "--grid", "g.csv", "--window", "10:00-08:00"}, "window"},
		{"bad date", []string{"run", "--gtfs", "x.zip", "--date", "2026-13-45", "--grid", "g.csv"}, "date"},
		{"bad threshold", []string{"run", "--gtfs", "x.zip", "--date", "2026-01-13", "--grid", "g.csv", "--threshold", "abc"}, "threshold"},
		{"missing feed", []string{"run", "--gtfs", "nowhere.zip", "--date", "2026-01-13", "--grid", "g.csv", "--services", "a=b.csv"}, "nowhere.zip"},
		{"missing config", []string{"run", "--config", "nowhere.toml"}, "nowhere.toml"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runVingt(t, t.TempDir(), c.args...)
			if r.code != 2 || !strings.Contains(r.stderr, c.want) {
				t.Errorf("exit %d, stderr %q: want exit 2 and a message naming %q", r.code, r.stderr, c.want)
			}
		})
	}
}

// TestRunOtherInputs runs the coverage issue's other acceptance commands:
// the Filosofi 200 m window as grid, and Porto Alegre with both feeds and
// the hexgrid's count columns as services, written as Arrow IPC too.
func TestRunOtherInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("whole runs: not in -short")
	}
	poa := func(rel string) string { return testutil.SharedData(t, "porto-alegre/"+rel) }
	cases := []struct {
		name   string
		args   []string
		files  []string
		levels []string
	}{
		{"filosofi", []string{
			"--gtfs", testutil.SharedData(t, "perigueux/peribus-gtfs.zip"), "--date", "2026-01-13",
			"--grid", testutil.SharedData(t, "dordogne/population/filosofi2021_200m_perigueux_center_window.csv"),
			"--services", "poste=" + testutil.SharedData(t, "dordogne/services/laposte_points_contact_dordogne.csv"),
			"--services", "france_services=" + testutil.SharedData(t, "dordogne/services/france_services_2020_dordogne.geojson"),
			"--territories", "commune=" + testutil.SharedData(t, "dordogne/territories/communes-24-dordogne.geojson"),
			"--territories", "epci=" + testutil.SharedData(t, "dordogne/territories/epci-2022-dordogne.geojson"),
		}, []string{"cells.parquet", "territories.parquet"}, []string{"commune", "epci"}},
		{"porto-alegre-arrow", []string{
			"--gtfs", poa("poa_eptc.zip"), "--gtfs", poa("poa_trensurb.zip"), "--date", "2019-05-13", "--window", "14:00-16:00",
			"--grid", poa("poa_hexgrid.csv"),
			"--services", "healthcare=" + poa("poa_hexgrid.csv") + "#healthcare",
			"--services", "schools=" + poa("poa_hexgrid.csv") + "#schools",
			"--territories", "zone=../../testdata/example/zones.geojson",
			"--format", "arrow",
		}, []string{"cells.arrow", "territories.arrow"}, []string{"zone"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := t.TempDir()
			r := runVingt(t, "", append([]string{"run", "--quiet", "--out", out}, c.args...)...)
			if r.code != 0 {
				t.Fatalf("exit %d\n%s", r.code, r.stderr)
			}
			cells := readTable(t, filepath.Join(out, c.files[0]))
			terr := readTable(t, filepath.Join(out, c.files[1]))
			if cells.Len() == 0 || terr.Len() == 0 {
				t.Fatalf("%d cells, %d territories", cells.Len(), terr.Len())
			}
			for _, l := range c.levels {
				if cells.Column(l) == nil {
					t.Errorf("cells: no %s column", l)
				}
			}
			served := 0
			for _, s := range cells.Column("served").Bool {
				if s {
					served++
				}
			}
			if served == 0 || served == cells.Len() {
				t.Errorf("%d of %d cells served: a run that serves none or all tells nothing", served, cells.Len())
			}
			pop, srv := terr.Column("population").Float, terr.Column("population_served").Float
			for i := range terr.Len() {
				if srv[i] > pop[i] {
					t.Errorf("territory %s: served %v > population %v", terr.Column("code").String[i], srv[i], pop[i])
				}
			}
		})
	}
}

// TestRunConfig runs the Dordogne config file: its outputs are the
// flags' outputs, byte for byte; a flag overrides the file.
func TestRunConfig(t *testing.T) {
	if testing.Short() {
		t.Skip("whole Dordogne runs: not in -short")
	}
	testutil.SharedData(t, "perigueux/peribus-gtfs.zip")
	dir := t.TempDir()
	byFlags, byConfig := filepath.Join(dir, "flags"), filepath.Join(dir, "config")
	if r := runVingt(t, "", append(dordogneArgs(t), "--out", byFlags)...); r.code != 0 {
		t.Fatalf("flags: exit %d\n%s", r.code, r.stderr)
	}
	if r := runVingt(t, "", "run", "--quiet", "--config", "../../testdata/configs/dordogne.toml", "--out", byConfig); r.code != 0 {
		t.Fatalf("config: exit %d\n%s", r.code, r.stderr)
	}
	for _, f := range []string{"cells.parquet", "territories.parquet"} {
		a, _ := os.ReadFile(filepath.Join(byFlags, f))
		b, _ := os.ReadFile(filepath.Join(byConfig, f))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs between the flags and the config file", f)
		}
	}
	// The nightly config takes the first Tuesday on or after --today, and
	// a flag overrides a key of the file.
	out := filepath.Join(dir, "nightly")
	r := runVingt(t, "", "run", "--quiet", "--config", "../../testdata/configs/nightly.toml", "--today", "2026-01-14", "--threshold", "15m", "--out", out)
	if r.code != 0 {
		t.Fatalf("nightly: exit %d\n%s", r.code, r.stderr)
	}
	var m struct {
		Date       string         `json:"date"`
		Parameters map[string]any `json:"parameters"`
	}
	b, _ := os.ReadFile(filepath.Join(out, "run.json"))
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m.Date != "2026-01-20" || m.Parameters["threshold_seconds"] != 900.0 {
		t.Errorf("nightly: date %s, threshold %v; want 2026-01-20 and 900", m.Date, m.Parameters["threshold_seconds"])
	}
	cells := readTable(t, filepath.Join(out, "cells.parquet"))
	if cells.Column("travel_time_poste_p80") == nil {
		t.Error("two percentiles: no travel_time_poste_p80 column")
	}
}

// TestRunOSM runs Porto Alegre and São Paulo with --osm end to end: walking
// on their street extracts, cells and territories written, the extract
// recorded in run.json.
func TestRunOSM(t *testing.T) {
	if testing.Short() {
		t.Skip("whole runs: not in -short")
	}
	poa := func(rel string) string { return testutil.SharedData(t, "porto-alegre/"+rel) }
	spo := func(rel string) string { return testutil.SharedData(t, "sao-paulo/"+rel) }
	for _, c := range []struct {
		name string
		args []string
	}{
		{"porto-alegre", []string{
			"--gtfs", poa("poa_eptc.zip"), "--gtfs", poa("poa_trensurb.zip"), "--date", "2019-05-13", "--window", "14:00-16:00",
			"--grid", poa("poa_hexgrid.csv"), "--osm", poa("poa_osm.pbf"),
			"--services", "healthcare=" + poa("poa_hexgrid.csv") + "#healthcare",
			"--services", "schools=" + poa("poa_hexgrid.csv") + "#schools",
			"--territories", "zone=../../testdata/example/zones.geojson",
		}},
		{"sao-paulo", []string{
			"--gtfs", spo("spo.zip"), "--date", "2019-05-13", "--window", "14:00-14:30",
			"--grid", spo("spo_hexgrid.csv"), "--osm", spo("spo_osm.pbf"),
			"--services", "healthcare=" + spo("spo_hexgrid.csv") + "#healthcare",
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := t.TempDir()
			r := runVingt(t, "", append([]string{"run", "--quiet", "--out", out}, c.args...)...)
			if r.code != 0 {
				t.Fatalf("exit %d\n%s", r.code, r.stderr)
			}
			cells := readTable(t, filepath.Join(out, "cells.parquet"))
			terr := readTable(t, filepath.Join(out, "territories.parquet"))
			if cells.Len() == 0 || (slices.Contains(c.args, "--territories") && terr.Len() == 0) {
				t.Fatalf("%d cells, %d territories", cells.Len(), terr.Len())
			}
			b, err := os.ReadFile(filepath.Join(out, "run.json"))
			if err != nil {
				t.Fatal(err)
			}
			var m struct {
				Inputs     []struct{ Role, Sha256 string }
				Counts     map[string]json.RawMessage
				Parameters map[string]any
			}
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			var osm struct{ Vertices, Edges int }
			if err := json.Unmarshal(m.Counts["osm"], &osm); err != nil || osm.Vertices == 0 || osm.Edges == 0 {
				t.Errorf("counts.osm %s: %v", m.Counts["osm"], err)
			}
			if w, _ := m.Parameters["walker"].(string); !strings.HasPrefix(w, "streets (") {
				t.Errorf("walker %q, want the streets", w)
			}
			if !slices.ContainsFunc(m.Inputs, func(in struct{ Role, Sha256 string }) bool { return in.Role == "osm" && len(in.Sha256) == 64 }) {
				t.Errorf("no osm input in %+v", m.Inputs)
			}
			t.Logf("counts.osm %s, links %s", m.Counts["osm"], m.Counts["osm_links"])
			// The forward engine walks the same streets: byte-identical outputs.
			fwd := t.TempDir()
			if r := runVingt(t, "", append([]string{"run", "--quiet", "--engine", "forward", "--out", fwd}, c.args...)...); r.code != 0 {
				t.Fatalf("forward: exit %d\n%s", r.code, r.stderr)
			}
			for _, f := range []string{"cells.parquet", "territories.parquet"} {
				a, _ := os.ReadFile(filepath.Join(out, f))
				b, _ := os.ReadFile(filepath.Join(fwd, f))
				if len(a) == 0 || !bytes.Equal(a, b) {
					t.Errorf("%s: the engines differ on the streets (%d and %d bytes)", f, len(a), len(b))
				}
			}
		})
	}
}

// TestRunOSMBadInput gives --osm a truncated extract and one with no
// walkable way (a clear error, exit 2), and an extract that does not cover
// the feed (a counted warning): the walk-threshold-outside fixture lies at
// longitude 1–1.5°, the streets fixture at 0–0.02°.
func TestRunOSMBadInput(t *testing.T) {
	fx := filepath.Join("..", "..", "testdata", "fixtures", "walk-threshold-outside")
	noWalk := filepath.Join("..", "..", "testdata", "osm", "no-walkable-way.osm.pbf")
	b, err := os.ReadFile(noWalk)
	if err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(t.TempDir(), "truncated.osm.pbf")
	if err := os.WriteFile(truncated, b[:len(b)-40], 0o644); err != nil {
		t.Fatal(err)
	}
	args := func(out, osm string) []string {
		return []string{"run", "--quiet", "--gtfs", filepath.Join(fx, "gtfs"), "--grid", filepath.Join(fx, "grid.csv"),
			"--services", "poste=" + filepath.Join(fx, "services-poste.csv"), "--date", "2026-01-13", "--window", "08:00-08:10",
			"--out", out, "--osm", osm}
	}
	for _, c := range []struct {
		name, osm string
		want      []string
	}{
		{"truncated", truncated, []string{"truncated.osm.pbf", "truncated"}},
		{"no walkable way", noWalk, []string{"no-walkable-way.osm.pbf", "no walkable way among 2 ways"}},
		{"missing", filepath.Join(t.TempDir(), "none.osm.pbf"), []string{"none.osm.pbf"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := runVingt(t, "", args(t.TempDir(), c.osm)...)
			if r.code != 2 || strings.Contains(r.stderr, "panic") {
				t.Fatalf("exit %d, stderr %q: want exit 2", r.code, r.stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr %q: no %q", r.stderr, w)
				}
			}
		})
	}
	t.Run("not covering the feed", func(t *testing.T) {
		out := t.TempDir()
		r := runVingt(t, "", args(out, filepath.Join("..", "..", "streets", "testdata", "fixture.osm"))...)
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		b, err := os.ReadFile(filepath.Join(out, "run.json"))
		if err != nil {
			t.Fatal(err)
		}
		var m struct {
			Warnings []struct {
				Input, Kind string
				Count       int
			}
		}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, w := range m.Warnings {
			if w.Input == "osm" {
				got[w.Kind] = w.Count
			}
		}
		// 4 stops and 4 service points, none within 300 m of a street.
		want := map[string]int{
			"stops farther than 300 m from any street (walk crow-fly)":              4,
			"service points farther than 300 m from any street (walk crow-fly)":     4,
			"the extract does not cover the feed: most stops are unlinked":          4,
			"street components dropped (not the largest, no stop or point on them)": 1,
		}
		if !maps.Equal(got, want) {
			t.Errorf("osm warnings %v, want %v", got, want)
		}
	})
}

// TestRunGeoPackage runs the example with --format gpkg: vingt.gpkg holds
// the cells and territories as layers, read back with the sqlite3 tool
// (table.TestGeoPackage checks the encoding), beside the GeoParquet files.
func TestRunGeoPackage(t *testing.T) {
	sqlite, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("no sqlite3 command")
	}
	dir := t.TempDir()
	if r := runVingt(t, dir, "run", "-q", "--format", "gpkg"); r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	out := filepath.Join(dir, "vingt-out")
	cells := readTable(t, filepath.Join(out, "cells.parquet"))
	got, err := exec.Command(sqlite, filepath.Join(out, "vingt.gpkg"),
		"SELECT (SELECT count(*) FROM cells) || ' ' || (SELECT count(geom) FROM cells) || ' ' || (SELECT group_concat(table_name) FROM gpkg_geometry_columns)").CombinedOutput()
	if err != nil {
		t.Fatalf("sqlite3: %v: %s", err, got)
	}
	want := fmt.Sprintf("%d %d cells,territories,territories_gap", cells.Len(), cells.Len())
	if strings.TrimSpace(string(got)) != want {
		t.Errorf("vingt.gpkg: %q, want %q", got, want)
	}
	b, _ := os.ReadFile(filepath.Join(out, "run.json"))
	if !strings.Contains(string(b), `"vingt.gpkg"`) {
		t.Error("run.json does not list vingt.gpkg")
	}
	// A second run into the same folder is allowed: vingt.gpkg is a run's file.
	if r := runVingt(t, dir, "run", "-q"); r.code != 0 {
		t.Fatalf("second run over a gpkg run: exit %d: %s", r.code, r.stderr)
	}
	// Two shards merged write the single run's GeoPackage byte for byte
	// (its layers' last_change does not follow the clock).
	cfg, err := filepath.Abs("../../testdata/example/vingt.toml")
	if err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) {
		t.Helper()
		if r := runVingt(t, dir, args...); r.code != 0 {
			t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
		}
	}
	run("run", "-q", "--config", cfg, "--format", "gpkg", "--out", "single")
	run("run", "-q", "--config", cfg, "--format", "gpkg", "--shard", "0/2", "--out", "s0")
	run("run", "-q", "--config", cfg, "--format", "gpkg", "--shard", "1/2", "--out", "s1")
	run("merge", "-q", "s0", "s1", "--out", "merged")
	for _, f := range []string{"cells.parquet", "territories.parquet", "vingt.gpkg"} {
		a, errA := os.ReadFile(filepath.Join(dir, "single", f))
		b, errB := os.ReadFile(filepath.Join(dir, "merged", f))
		if errA != nil || errB != nil || !bytes.Equal(a, b) {
			t.Errorf("%s: merged shards differ from the single run (%v, %v)", f, errA, errB)
		}
	}
}
