package coverage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"time"

	"github.com/vingt/vingt/output"
	"github.com/vingt/vingt/table"
)

// writeShard writes a shard's folder: the cells of the shard (in the
// grid's order), their exact results for Merge and run.json with the
// shard's index, count and resolved config. The cells are located
// already (res.Territory).
func writeShard(job Job, m *Manifest, res *Results, cells []Cell, idx []int, levels []*Level, lap func(string)) ([]string, error) {
	if job.Config == nil {
		return nil, errors.New("coverage: a shard needs the job's config, to record it for merge")
	}
	cfg, err := json.Marshal(job.Config)
	if err != nil {
		return nil, fmt.Errorf("coverage: shard config: %w", err)
	}
	countCells(m, res)
	staging, err := newStaging(job.Out)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(staging)
	ext := ".parquet"
	if job.Format == table.Arrow {
		ext = ".arrow"
	}
	names := []string{output.Cells + ext, ShardResultsFile, output.ManifestFile}
	if err := WriteCells(filepath.Join(staging, names[0]), job.Format, res, cells, levels); err != nil {
		return nil, err
	}
	sum, err := WriteShardResults(filepath.Join(staging, names[1]), idx, res)
	if err != nil {
		return nil, err
	}
	m.Shard = &output.ShardInfo{Index: job.Shard.Index, Count: job.Shard.Count, Cells: len(cells),
		Results: ShardResultsFile, ResultsSHA256: sum, Config: cfg}
	m.Outputs = names
	lap("write")
	if err := writeManifest(filepath.Join(staging, names[2]), m); err != nil {
		return nil, err
	}
	// The shard folder is replaced as one unit, run.json included: a
	// folder without run.json is a failed shard.
	if err := replaceDir(staging, job.Out); err != nil {
		return nil, err
	}
	var out []string
	for _, n := range names {
		out = append(out, filepath.Join(job.Out, n))
	}
	return out, nil
}

func writeManifest(path string, m *Manifest) error {
	return table.WriteFileAtomic(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(m)
	})
}

// shardDir is one shard folder read by Merge.
type shardDir struct {
	dir string
	m   *Manifest
}

// Merge checks the shard folders dirs (every shard of one sharded run,
// each exactly once, all of the same inputs and parameters), puts their
// cells' results back in the grid's order, aggregates them per territory
// and writes into out the outputs the single run writes, byte for byte,
// with a run.json listing the shards. It re-reads the grid, the service
// points and the territories (checking that they did not change since the
// shards ran), not the GTFS.
func Merge(ctx context.Context, dirs []string, out string, hooks Hooks) (*Report, error) {
	return MergePartitioned(ctx, dirs, out, "", hooks)
}

// MergePartitioned is Merge writing the cells as a Hive-partitioned
// dataset by the territories of level partition (as vingt run
// --partition does; "" for cells.parquet): the outputs are those of the
// single run with that partition, byte for byte.
func MergePartitioned(ctx context.Context, dirs []string, out, partition string, hooks Hooks) (*Report, error) {
	return MergeWith(ctx, dirs, out, MergeOptions{Partition: partition}, hooks)
}

// MergeOptions are the choices of MergeWith.
type MergeOptions struct {
	// Partition is the level whose territories partition the cells into
	// a Hive dataset, as vingt run --partition ("" for cells.parquet).
	Partition string
	// Relocate, when set, is given the config the shards recorded and
	// the inputs their manifest lists, before the merge reads the grid,
	// the service points and the territories again. It may point the
	// config's paths to where those files are now (the embedded example,
	// extracted into another temporary folder than the shards'), and
	// returns the names the merged manifest gives them, by path (as
	// Job.InputNames). The files are still checked against the shards'
	// hashes.
	Relocate func(cfg *Config, recorded []output.Input) (map[string]string, error)
}

// MergeWith is MergePartitioned with options.
func MergeWith(ctx context.Context, dirs []string, out string, opt MergeOptions, hooks Hooks) (*Report, error) {
	partition := opt.Partition
	stage := func(string) {}
	if hooks.Stage != nil {
		stage = hooks.Stage
	}
	if len(dirs) == 0 {
		return nil, errors.New("coverage: merge: no shard folder")
	}
	// The output folder is replaced as a whole: checked and locked before
	// any work, as a run's, and never one of the shards being read.
	for _, d := range dirs {
		if sameDir(d, out) {
			return nil, fmt.Errorf("coverage: merge: the output folder %s is shard %s: merge into another folder", out, d)
		}
	}
	lock, err := lockOut(out)
	if err != nil {
		return nil, err
	}
	defer lock.release()
	if err := checkOut(out); err != nil {
		return nil, err
	}
	stage("checking the shards")
	shards, err := readShards(dirs)
	if err != nil {
		return nil, err
	}
	first := shards[0].m
	var cfg Config
	if err := json.Unmarshal(first.Shard.Config, &cfg); err != nil {
		return nil, fmt.Errorf("coverage: merge: shard %s: config: %w", shards[0].dir, err)
	}
	var names map[string]string
	if opt.Relocate != nil {
		if names, err = opt.Relocate(&cfg, first.Inputs); err != nil {
			return nil, fmt.Errorf("coverage: merge: %w", err)
		}
	}
	cfg.Shard, cfg.Out, cfg.Partition = "", out, partition
	job, err := cfg.Job()
	if err != nil {
		return nil, fmt.Errorf("coverage: merge: shard %s: config: %w", shards[0].dir, err)
	}
	if err := checkPartition(job); err != nil {
		return nil, err
	}
	m := &Manifest{
		Tool: "vingt", Version: first.Version, Started: time.Now().UTC().Format(time.RFC3339),
		Date: first.Date, Counts: map[string]any{}, Machine: first.Machine,
		Parameters: parameters(job),
	}
	if err := recordConfig(m, job); err != nil {
		return nil, err
	}
	last := time.Now()
	lap := func(name string) {
		now := time.Now()
		m.Timings = append(m.Timings, output.Timing{Stage: name, Seconds: now.Sub(last).Seconds()})
		last = now
	}
	for _, in := range first.Inputs {
		if in.Role == "gtfs" {
			m.Inputs = append(m.Inputs, in)
		}
	}
	for _, w := range first.Warnings {
		if w.Input == "timetable" || len(w.Input) > 5 && w.Input[:5] == "gtfs:" {
			m.Warnings = append(m.Warnings, w)
		}
	}
	if t, ok := first.Counts["timetable"]; ok {
		m.Counts["timetable"] = t
	}
	grid, cats, levels, err := loadInputs(ctx, job, m, nil, stage, lap)
	if err != nil {
		return nil, err
	}
	if !reflect.DeepEqual(hashes(m.Inputs), hashes(first.Inputs)) {
		return nil, fmt.Errorf("coverage: merge: the inputs changed since the shards ran: %s", inputDiff(first.Inputs, m.Inputs))
	}
	for i, in := range m.Inputs {
		if name, ok := names[in.Path]; ok {
			m.Inputs[i].Path = name
		}
	}
	stage("merging the shards' cells")
	n, nk, np := len(grid.Cells), len(cats), len(job.Indicator.Percentiles)
	res := &Results{Params: job.Indicator, Categories: m.Categories,
		TravelTime: make([]float64, n*nk*np), Share: make([]float64, n*nk), Served: make([]bool, n*nk),
		ServedAll: make([]bool, n), Routed: make([]bool, n),
		Impact: &Impact{AtPercentile: make([]int32, n*nk), IDs: pointIDs(cats)}}
	if job.Impact {
		res.Impact.Nearest, res.Impact.Sole = make([]int32, n*nk), make([][]int32, n*nk)
	}
	seen := make([]bool, n)
	for _, s := range shards {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("coverage: merge interrupted: %w", err)
		}
		path := filepath.Join(s.dir, s.m.Shard.Results)
		if got, err := describe("shard results", path); err != nil {
			return nil, err
		} else if got.SHA256 != s.m.Shard.ResultsSHA256 {
			return nil, fmt.Errorf("coverage: merge: shard %s (%d/%d): %s is corrupt: sha256 %s, the manifest says %s", s.dir, s.m.Shard.Index, s.m.Shard.Count, s.m.Shard.Results, got.SHA256, s.m.Shard.ResultsSHA256)
		}
		r, err := ReadShardResults(path)
		if err != nil {
			return nil, fmt.Errorf("coverage: merge: shard %s: %w", s.dir, err)
		}
		if r.Categories != nk || r.Percentiles != np || len(r.Indices) != s.m.Shard.Cells {
			return nil, fmt.Errorf("coverage: merge: shard %s: results of %d cells × %d categories × %d percentiles, want %d cells × %d × %d", s.dir, len(r.Indices), r.Categories, r.Percentiles, s.m.Shard.Cells, nk, np)
		}
		if job.Impact && r.Nearest == nil {
			return nil, fmt.Errorf("coverage: merge: shard %s: its config asks for the impact of closures but %s does not hold it: corrupt", s.dir, s.m.Shard.Results)
		} else if !job.Impact && r.Nearest != nil {
			return nil, fmt.Errorf("coverage: merge: shard %s: %s holds the impact of closures but its config does not ask for it: corrupt", s.dir, s.m.Shard.Results)
		}
		for i, c := range r.Indices {
			if c < 0 || int(c) >= n || seen[c] {
				return nil, fmt.Errorf("coverage: merge: shard %s: cell index %d is out of the grid or in two shards", s.dir, c)
			}
			seen[c] = true
			copy(res.TravelTime[int(c)*nk*np:(int(c)+1)*nk*np], r.TravelTime[i*nk*np:(i+1)*nk*np])
			copy(res.Share[int(c)*nk:(int(c)+1)*nk], r.Share[i*nk:(i+1)*nk])
			copy(res.Served[int(c)*nk:(int(c)+1)*nk], r.Served[i*nk:(i+1)*nk])
			for k, p := range r.AtPercentile[i*nk : (i+1)*nk] {
				if p < -1 || int(p) >= len(cats[k].Points) {
					return nil, fmt.Errorf("coverage: merge: shard %s: cell index %d: point %d of category %s is out of its %d points", s.dir, c, p, cats[k].Name, len(cats[k].Points))
				}
			}
			copy(res.Impact.AtPercentile[int(c)*nk:(int(c)+1)*nk], r.AtPercentile[i*nk:(i+1)*nk])
			if job.Impact {
				if err := mergeImpact(res.Impact, r, i, int(c), cats); err != nil {
					return nil, fmt.Errorf("coverage: merge: shard %s: cell index %d: %w", s.dir, c, err)
				}
			}
			res.ServedAll[c], res.Routed[c] = r.ServedAll[i], r.Routed[i]
		}
	}
	if i := slices.Index(seen, false); i >= 0 {
		return nil, fmt.Errorf("coverage: merge: cell %s (index %d) is in no shard", grid.Cells[i].ID, i)
	}
	for _, s := range shards {
		info := *s.m.Shard
		info.Dir, info.Config = s.dir, nil
		m.Shards = append(m.Shards, info)
	}
	lap("merge")
	return finish(ctx, job, m, res, grid.Cells, cats, levels, nil, stage, lap)
}

// mergeImpact copies the impact of closures of the shard's cell i into
// cell c of imp, checking that the points are the categories' own.
func mergeImpact(imp *Impact, r *ShardResults, i, c int, cats []*Category) error {
	nk := len(cats)
	for k, cat := range cats {
		np := int32(len(cat.Points))
		if p := r.Nearest[i*nk+k]; p < -1 || p >= np {
			return fmt.Errorf("nearest point %d of category %s is out of its %d points", p, cat.Name, np)
		}
		for _, p := range r.Sole[i*nk+k] {
			if p < 0 || p >= np {
				return fmt.Errorf("sole point %d of category %s is out of its %d points", p, cat.Name, np)
			}
		}
	}
	copy(imp.Nearest[c*nk:(c+1)*nk], r.Nearest[i*nk:(i+1)*nk])
	copy(imp.Sole[c*nk:(c+1)*nk], r.Sole[i*nk:(i+1)*nk])
	return nil
}

// readShards reads the manifests of the shard folders and checks that
// they are the shards 0…N-1 of one run, each once.
func readShards(dirs []string) ([]shardDir, error) {
	var shards []shardDir
	for _, d := range dirs {
		b, err := os.ReadFile(filepath.Join(d, output.ManifestFile))
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("coverage: merge: shard %s: no %s: the shard failed or did not finish", d, output.ManifestFile)
		}
		if err != nil {
			return nil, fmt.Errorf("coverage: merge: shard %s: %w", d, err)
		}
		m, err := output.ParseManifest(b)
		if err != nil {
			return nil, fmt.Errorf("coverage: merge: shard %s: %w", d, err)
		}
		if m.Shard == nil {
			return nil, fmt.Errorf("coverage: merge: %s is not a shard's output (its %s has no shard)", d, output.ManifestFile)
		}
		shards = append(shards, shardDir{d, m})
	}
	first := shards[0]
	count := first.m.Shard.Count
	by := make(map[int]string)
	for _, s := range shards {
		if s.m.Shard.Count != count {
			return nil, fmt.Errorf("coverage: merge: shard.count differs: %s has %d, %s has %d", first.dir, count, s.dir, s.m.Shard.Count)
		}
		if err := sameRun(first, s); err != nil {
			return nil, err
		}
		if d, ok := by[s.m.Shard.Index]; ok {
			return nil, fmt.Errorf("coverage: merge: shard %d/%d given twice: %s and %s", s.m.Shard.Index, count, d, s.dir)
		}
		by[s.m.Shard.Index] = s.dir
	}
	for i := range count {
		if _, ok := by[i]; !ok {
			return nil, fmt.Errorf("coverage: merge: shard %d/%d is missing", i, count)
		}
	}
	sort.SliceStable(shards, func(i, j int) bool { return shards[i].m.Shard.Index < shards[j].m.Shard.Index })
	return shards, nil
}

// sameRun checks that two shards ran the same version on the same inputs
// with the same parameters, naming the fields that differ.
func sameRun(a, b shardDir) error {
	var diffs []string
	if a.m.Version != b.m.Version {
		diffs = append(diffs, fmt.Sprintf("version (%q, %q)", a.m.Version, b.m.Version))
	}
	if a.m.Date != b.m.Date {
		diffs = append(diffs, fmt.Sprintf("date (%s, %s)", a.m.Date, b.m.Date))
	}
	if d := inputDiff(a.m.Inputs, b.m.Inputs); d != "" {
		diffs = append(diffs, d)
	}
	keys := map[string]bool{}
	for k := range a.m.Parameters {
		keys[k] = true
	}
	for k := range b.m.Parameters {
		keys[k] = true
	}
	var ks []string
	for k := range keys {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	for _, k := range ks {
		x, _ := json.Marshal(a.m.Parameters[k])
		y, _ := json.Marshal(b.m.Parameters[k])
		if string(x) != string(y) {
			diffs = append(diffs, fmt.Sprintf("parameters.%s (%s, %s)", k, x, y))
		}
	}
	if !slices.Equal(a.m.Categories, b.m.Categories) {
		diffs = append(diffs, fmt.Sprintf("categories (%v, %v)", a.m.Categories, b.m.Categories))
	}
	if !slices.Equal(a.m.Levels, b.m.Levels) {
		diffs = append(diffs, fmt.Sprintf("levels (%v, %v)", a.m.Levels, b.m.Levels))
	}
	if len(diffs) > 0 {
		return fmt.Errorf("coverage: merge: shards %s and %s are not of the same run: %v differ", a.dir, b.dir, diffs)
	}
	return nil
}

// hashes returns the inputs' roles and hashes.
func hashes(ins []output.Input) []string {
	var out []string
	for _, in := range ins {
		out = append(out, in.Role+"="+in.SHA256)
	}
	return out
}

// inputDiff names the inputs whose role or hash differ, "" when none.
func inputDiff(a, b []output.Input) string {
	if len(a) != len(b) {
		return fmt.Sprintf("inputs (%d, %d inputs)", len(a), len(b))
	}
	for i := range a {
		if a[i].Role != b[i].Role || a[i].SHA256 != b[i].SHA256 {
			return fmt.Sprintf("inputs[%d] %s sha256 (%.12s…, %.12s…)", i, a[i].Role, a[i].SHA256, b[i].SHA256)
		}
	}
	return ""
}

// sameDir tells whether paths a and b name one folder (b need not exist).
func sameDir(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(sa, sb)
	}
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	return errA == nil && errB == nil && absA == absB
}
