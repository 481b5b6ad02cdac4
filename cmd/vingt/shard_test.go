package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vingt/vingt/coverage"
	"github.com/vingt/vingt/internal/testutil"
	"github.com/vingt/vingt/output"
)

// vingtRun runs the binary with args and environment env, returning its
// combined output and error.
func vingtRun(t *testing.T, env []string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(vingtBin, args...)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

func dordogneConfig(t *testing.T) string {
	testutil.SharedData(t, "perigueux/peribus-gtfs.zip")
	testutil.SharedData(t, "dordogne/population/census2021_1km_dordogne_bbox.csv")
	cfg, err := filepath.Abs(filepath.Join("..", "..", "testdata", "configs", "dordogne.toml"))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// runShards simulates an Indexed Job: n processes of the real binary, each
// with JOB_COMPLETION_INDEX set and --shard auto/n.
func runShards(t *testing.T, cfg, dir string, n int, extra ...string) []string {
	t.Helper()
	var dirs []string
	for i := range n {
		d := filepath.Join(dir, fmt.Sprintf("shard-%d", i))
		args := append([]string{"run", "-q", "--config", cfg, "--shard", fmt.Sprintf("auto/%d", n), "--out", d}, extra...)
		if out, err := vingtRun(t, []string{coverage.ShardIndexEnv + "=" + fmt.Sprint(i)}, args...); err != nil {
			t.Fatalf("shard %d/%d: %v\n%s", i, n, err, out)
		}
		dirs = append(dirs, d)
	}
	return dirs
}

func sameFile(t *testing.T, a, b string) {
	t.Helper()
	x, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	y, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(x, y) {
		t.Errorf("%s (%d bytes) and %s (%d bytes) differ", a, len(x), b, len(y))
	}
}

func TestShardsMergeByteIdentical(t *testing.T) {
	shardsMergeByteIdentical(t, dordogneConfig(t), nil, 1, 3, 7)
}

// TestShardsMergeImpact runs the Dordogne config with the impact of
// closures, France Services with their opening hours, whole and in 1 and 3
// shards: the merged points.parquet (population_sole, the coverage without
// each point, the hours columns) equals the single run's byte for byte,
// and vingt impact answers a closure from the merged folder as from the
// single run's.
func TestShardsMergeImpact(t *testing.T) {
	cfg := dordogneConfig(t)
	extra := []string{"--impact",
		"--services", "poste=" + testutil.SharedData(t, "dordogne/services/laposte_points_contact_dordogne.csv"),
		"--services", "france_services=" + testutil.SharedData(t, "dordogne/services/france_services_2020_dordogne.geojson") + "@h_"}
	dir := shardsMergeByteIdentical(t, cfg, extra, 1, 3)
	single, merged := filepath.Join(dir, "single"), filepath.Join(dir, "3", "merged")
	for _, run := range []string{single, merged} {
		args := []string{"impact", "-q", run, "--point", "france_services:145", "--out", run + "-closure"}
		if out, err := vingtRun(t, nil, args...); err != nil {
			t.Fatalf("vingt impact %s: %v\n%s", run, err, out)
		}
	}
	for _, f := range []string{"cells.parquet", "territories.parquet", "points.parquet"} {
		sameFile(t, filepath.Join(single+"-closure", f), filepath.Join(merged+"-closure", f))
	}
}

// TestShardsMergeNational simulates the Indexed Job on the national 1 km
// run (373,122 cells, TER, La Poste, France Services, départements and
// régions) with the impact of closures: 3 shards merged equal the single
// run byte for byte, points.parquet included. National shards take
// minutes: not with -short.
func TestShardsMergeNational(t *testing.T) {
	if testing.Short() {
		t.Skip("national shards take minutes: not with -short")
	}
	for _, f := range []string{"sncf-ter-2025-01.zip", "census2021_1km_france_metro.csv", "laposte_points_contact_2020.csv",
		"france_services_2020.geojson", "departements.geojson", "regions.geojson"} {
		testutil.SharedData(t, "france/"+f)
	}
	cfg, err := filepath.Abs(filepath.Join("..", "..", "testdata", "configs", "france.toml"))
	if err != nil {
		t.Fatal(err)
	}
	// Three shards only: the Dordogne test covers 1 and 7; each national
	// shard reads every national input (~10 s a run on 2 cores).
	shardsMergeByteIdentical(t, cfg, []string{"--impact"}, 3)
}

// shardsMergeByteIdentical runs cfg whole (with the flags extra), then in
// each number of shards given, and checks that the merged outputs are the
// single run's bytes. It returns the folder that holds the single run
// ("single") and the shards and merge of each count ("N/merged").
func shardsMergeByteIdentical(t *testing.T, cfg string, extra []string, counts ...int) string {
	dir := t.TempDir()
	single := filepath.Join(dir, "single")
	if out, err := vingtRun(t, nil, append([]string{"run", "-q", "--config", cfg, "--out", single}, extra...)...); err != nil {
		t.Fatalf("single run: %v\n%s", err, out)
	}
	files := []string{"cells.parquet", "territories.parquet"}
	if _, err := os.Stat(filepath.Join(single, "points.parquet")); err == nil {
		files = append(files, "points.parquet")
	}
	for _, n := range counts {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			d := filepath.Join(dir, fmt.Sprint(n))
			dirs := runShards(t, cfg, d, n, extra...)
			merged := filepath.Join(d, "merged")
			// Shards are given out of order: merge sorts them by index.
			args := append([]string{"merge", "-q", "--out", merged}, dirs[n/2:]...)
			args = append(args, dirs[:n/2]...)
			if out, err := vingtRun(t, nil, args...); err != nil {
				t.Fatalf("merge: %v\n%s", err, out)
			}
			for _, f := range files {
				sameFile(t, filepath.Join(single, f), filepath.Join(merged, f))
			}
			b, err := os.ReadFile(filepath.Join(merged, "run.json"))
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Count(string(b), `"results_sha256"`); got != n {
				t.Errorf("merged run.json lists %d shards, want %d", got, n)
			}
		})
	}
	return dir
}

func TestMergeRefuses(t *testing.T) {
	cfg := dordogneConfig(t)
	dir := t.TempDir()
	dirs := runShards(t, cfg, filepath.Join(dir, "a"), 3)
	other := runShards(t, cfg, filepath.Join(dir, "b"), 3, "--threshold", "25m")
	impact := runShards(t, cfg, filepath.Join(dir, "c"), 3, "--impact")
	copyDir := func(src, name string) string {
		dst := filepath.Join(dir, name)
		if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
			t.Fatal(err)
		}
		return dst
	}
	corrupt := copyDir(dirs[1], "corrupt")
	p := filepath.Join(corrupt, coverage.ShardResultsFile)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0xff
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	truncated := copyDir(dirs[1], "truncated")
	if err := os.Truncate(filepath.Join(truncated, coverage.ShardResultsFile), int64(len(b)/3)); err != nil {
		t.Fatal(err)
	}
	// forge copies shard src into name with results in place of its
	// shard results, its manifest's hash made to match (a hostile or
	// buggy writer).
	forge := func(src, name string, results []byte) string {
		d := copyDir(src, name)
		p := filepath.Join(d, coverage.ShardResultsFile)
		good, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, results, 0o644); err != nil {
			t.Fatal(err)
		}
		oldSum, newSum := sha256.Sum256(good), sha256.Sum256(results)
		mj := filepath.Join(d, "run.json")
		m, err := os.ReadFile(mj)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(m, []byte(hex.EncodeToString(oldSum[:]))) {
			t.Fatal("run.json does not hold the shard results' sha256")
		}
		if err := os.WriteFile(mj, bytes.ReplaceAll(m, []byte(hex.EncodeToString(oldSum[:])), []byte(hex.EncodeToString(newSum[:]))), 0o644); err != nil {
			t.Fatal(err)
		}
		return d
	}
	plain, err := os.ReadFile(filepath.Join(dirs[1], coverage.ShardResultsFile))
	if err != nil {
		t.Fatal(err)
	}
	// Results that name a point its category does not have: the last
	// AtPercentile, before the impact flag (0: no impact).
	bad := bytes.Clone(plain)
	copy(bad[len(bad)-5:], []byte{0xff, 0xff, 0xff, 0x7f})
	badPoint := forge(dirs[1], "badpoint", bad)
	// Results without the impact in a shard run with --impact.
	noImpact := forge(impact[1], "noimpact", plain)
	// And the other way round.
	withImpact, err := os.ReadFile(filepath.Join(impact[1], coverage.ShardResultsFile))
	if err != nil {
		t.Fatal(err)
	}
	extraImpact := forge(dirs[1], "extraimpact", withImpact)
	failed := copyDir(dirs[1], "failed")
	if err := os.Remove(filepath.Join(failed, "run.json")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		dirs []string
		want []string
	}{
		{"missing", []string{dirs[0], dirs[2]}, []string{"shard 1/3 is missing"}},
		{"duplicate", []string{dirs[0], dirs[1], dirs[1], dirs[2]}, []string{"shard 1/3 given twice"}},
		{"failed", []string{dirs[0], failed, dirs[2]}, []string{failed, "no run.json"}},
		{"corrupt", []string{dirs[0], corrupt, dirs[2]}, []string{corrupt, "corrupt"}},
		{"truncated", []string{dirs[0], truncated, dirs[2]}, []string{truncated, "corrupt"}},
		{"point", []string{dirs[0], badPoint, dirs[2]}, []string{badPoint, "point 2147483647 of category", "out of its"}},
		{"parameters", []string{dirs[0], other[1], dirs[2]}, []string{other[1], "parameters.threshold_seconds"}},
		{"impact", []string{dirs[0], impact[1], dirs[2]}, []string{impact[1], "parameters.impact"}},
		{"no impact", []string{impact[0], noImpact, impact[2]}, []string{noImpact, "does not hold it: corrupt"}},
		{"extra impact", []string{dirs[0], extraImpact, dirs[2]}, []string{extraImpact, "does not ask for it: corrupt"}},
		{"count", []string{dirs[0], dirs[1], dirs[2], filepath.Join(dir, "one")}, []string{"shard.count"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.name == "count" {
				runShards(t, cfg, filepath.Join(dir, "single-shard"), 1)
				c.dirs[3] = filepath.Join(dir, "single-shard", "shard-0")
			}
			out := filepath.Join(dir, "out-"+c.name)
			msg, err := vingtRun(t, nil, append([]string{"merge", "-q", "--out", out}, c.dirs...)...)
			if err == nil {
				t.Fatalf("merge succeeded:\n%s", msg)
			}
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not say %q", msg, w)
				}
			}
			if _, err := os.Stat(filepath.Join(out, "cells.parquet")); err == nil {
				t.Error("a refused merge wrote cells.parquet")
			}
		})
	}
	// The merge replaces its output folder as a whole, like a run: a
	// folder holding a user's file, or a shard being read, is refused
	// before any work, and nothing in it is lost.
	precious := filepath.Join(dir, "precious")
	if err := os.MkdirAll(precious, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(precious, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ out, want string }{
		{precious, "holds files that are not outputs of a run (notes.txt)"},
		{dirs[0], "is shard " + dirs[0]},
	} {
		msg, err := vingtRun(t, nil, append([]string{"merge", "-q", "--out", c.out}, dirs...)...)
		if err == nil || !strings.Contains(msg, c.want) {
			t.Errorf("merge --out %s: %v, %q; want an error saying %q", c.out, err, msg, c.want)
		}
	}
	if b, err := os.ReadFile(filepath.Join(precious, "notes.txt")); err != nil || string(b) != "mine" {
		t.Errorf("notes.txt after the refused merge: %q, %v", b, err)
	}
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, coverage.ShardResultsFile)); err != nil {
			t.Errorf("shard %s after the refused merge: %v", d, err)
		}
	}
	// A shard runs again into its own folder (a nightly job, a pod
	// retried): its results file is a run's output, not a stranger's.
	if out, err := vingtRun(t, []string{coverage.ShardIndexEnv + "=0"}, "run", "-q", "--config", cfg, "--shard", "auto/3", "--out", dirs[0]); err != nil {
		t.Errorf("shard 0 again into %s: %v\n%s", dirs[0], err, out)
	}
	// Runs and merges remove their lock files when they end.
	locks, _ := filepath.Glob(filepath.Join(dir, "*", ".*.vingt-lock"))
	more, _ := filepath.Glob(filepath.Join(dir, ".*.vingt-lock"))
	if locks = append(locks, more...); len(locks) > 0 {
		t.Errorf("lock files left: %v", locks)
	}
}

func TestShardFlagErrors(t *testing.T) {
	cfg := dordogneConfig(t)
	for _, c := range []struct {
		shard, env, want string
	}{
		{"3/2", "", "index 3 must be within 0–1"},
		{"0/0", "", "count 0 must be within 1–10000"},
		{"-1/3", "", "index -1 must be within 0–2"},
		{"a/b", "", `count "b" is not a whole number`},
		{"2", "", "want INDEX/COUNT"},
		{"auto/3", "", "JOB_COMPLETION_INDEX, which is not set"},
		{"auto/3", "x", `index "x" is not a whole number`},
		{"auto/3", "5", "index 5 must be within 0–2"},
	} {
		t.Run(c.shard+c.env, func(t *testing.T) {
			env := []string{coverage.ShardIndexEnv + "=" + c.env}
			out, err := vingtRun(t, env, "run", "-q", "--config", cfg, "--shard", c.shard, "--out", t.TempDir())
			if err == nil || !strings.Contains(out, c.want) || strings.Contains(out, "panic") {
				t.Errorf("--shard %s: err %v, output %q, want %q", c.shard, err, out, c.want)
			}
		})
	}
}

// TestShardsMergeExample merges shards of the embedded example (vingt run
// --shard I/N with no input): the merge extracts the example again, since
// the shards' temporary copy is gone, and writes the single run's files
// and inputs; no extracted copy is left behind.
func TestShardsMergeExample(t *testing.T) {
	dir := t.TempDir()
	tmp := filepath.Join(dir, "tmp")
	if err := os.Mkdir(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	env := []string{"TMPDIR=" + tmp}
	single := filepath.Join(dir, "single")
	if out, err := vingtRun(t, env, "run", "-q", "--out", single); err != nil {
		t.Fatalf("single run: %v\n%s", err, out)
	}
	var dirs []string
	for i := range 2 {
		d := filepath.Join(dir, fmt.Sprintf("shard-%d", i))
		if out, err := vingtRun(t, env, "run", "-q", "--shard", fmt.Sprintf("%d/2", i), "--out", d); err != nil {
			t.Fatalf("shard %d/2: %v\n%s", i, err, out)
		}
		dirs = append(dirs, d)
	}
	merged := filepath.Join(dir, "merged")
	if out, err := vingtRun(t, env, append([]string{"merge", "-q", "--out", merged}, dirs...)...); err != nil {
		t.Fatalf("merge: %v\n%s", err, out)
	}
	for _, f := range []string{"cells.parquet", "territories.parquet"} {
		sameFile(t, filepath.Join(single, f), filepath.Join(merged, f))
	}
	inputs := func(run string) string {
		b, err := os.ReadFile(filepath.Join(run, "run.json"))
		if err != nil {
			t.Fatal(err)
		}
		m, err := output.ParseManifest(b)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(m.Inputs)
	}
	if a, b := inputs(single), inputs(merged); a != b {
		t.Errorf("merged inputs\n%s\nwant the single run's\n%s", b, a)
	}
	if !strings.Contains(inputs(merged), "embedded:example/poa_hexgrid.csv") {
		t.Errorf("merged inputs do not name the embedded example: %s", inputs(merged))
	}
	left, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range left {
		t.Errorf("left in TMPDIR: %s", e.Name())
	}
}

func TestExampleRelocate(t *testing.T) {
	grid := output.Input{Role: "grid", Path: embeddedPrefix + "poa_hexgrid.csv"}
	t.Run("not the example", func(t *testing.T) {
		var ex exampleInputs
		cfg := coverage.Config{Grid: "/data/grid.csv"}
		names, err := ex.relocate(&cfg, []output.Input{{Role: "grid", Path: "/data/grid.csv"}})
		if err != nil || names != nil || cfg.Grid != "/data/grid.csv" || ex.dir != "" {
			t.Errorf("names %v, err %v, grid %s, dir %q: want nothing changed", names, err, cfg.Grid, ex.dir)
		}
	})
	t.Run("another grid", func(t *testing.T) {
		var ex exampleInputs
		cfg := coverage.Config{Grid: "/data/grid.csv"}
		_, err := ex.relocate(&cfg, []output.Input{grid})
		if err == nil || !strings.Contains(err.Error(), "their grid /data/grid.csv is not its poa_hexgrid.csv") {
			t.Errorf("err %v", err)
		}
		if ex.dir != "" {
			t.Errorf("extracted into %s", ex.dir)
		}
	})
	t.Run("moved", func(t *testing.T) {
		var ex exampleInputs
		defer ex.remove()
		old := filepath.Join(string(filepath.Separator)+"gone", "vingt-example-1") + string(filepath.Separator)
		cfg := coverage.Config{Grid: old + "poa_hexgrid.csv", GTFS: []string{old + "poa_eptc.zip"},
			Services: []string{"schools=" + old + "poa_hexgrid.csv#schools"}, Territories: []string{"zone=" + old + "zones.geojson"}}
		names, err := ex.relocate(&cfg, []output.Input{grid})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{cfg.Grid, cfg.GTFS[0], strings.TrimSuffix(strings.TrimPrefix(cfg.Services[0], "schools="), "#schools"), strings.TrimPrefix(cfg.Territories[0], "zone=")} {
			if !strings.HasPrefix(p, ex.dir) {
				t.Errorf("%s is not under the new copy %s", p, ex.dir)
			} else if _, err := os.Stat(p); err != nil {
				t.Error(err)
			}
		}
		if names[cfg.Grid] != grid.Path {
			t.Errorf("the grid is named %q, want %q", names[cfg.Grid], grid.Path)
		}
	})
}
