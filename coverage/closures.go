package coverage

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/vingt/vingt/output"
)

// Closures answers a scenario of several closures at once from a finished
// run with the impact (vingt impact): it runs again, from the
// configuration recorded in the run's manifest (same inputs, same
// parameters, the points the run had already removed), without the points
// remove names (ID or CATEGORY:ID, as Job.Remove), and writes into out the
// files that run writes, points.parquet included. Running again is what
// makes several closures exact: the single-closure answer of points.parquet
// (best and second-best site per departure) does not compose, since a cell
// may keep a category through either of two points and lose it only
// without both.
func Closures(ctx context.Context, dir string, remove []string, out string, hooks Hooks) (*Report, error) {
	if len(remove) == 0 {
		return nil, fmt.Errorf("coverage: impact: %w", ErrNoClosure)
	}
	if a, b := filepath.Clean(dir), filepath.Clean(out); a == b {
		return nil, fmt.Errorf("coverage: impact: output folder %s is the run's own folder: write the scenario elsewhere", out)
	}
	name := filepath.Join(dir, output.ManifestFile)
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("coverage: impact: %w", err)
	}
	m, err := output.ParseManifest(b)
	if err != nil {
		return nil, fmt.Errorf("coverage: impact: %s: %w", name, err)
	}
	if len(m.Config) == 0 {
		return nil, fmt.Errorf("coverage: impact: %s: %w: the folder holds a run without the impact of closures, or of an older version", name, ErrNoRecordedConfig)
	}
	var cfg Config
	if err := json.Unmarshal(m.Config, &cfg); err != nil {
		return nil, fmt.Errorf("coverage: impact: %s: config: %w", name, err)
	}
	cfg.Remove = append(cfg.Remove, remove...)
	cfg.Out, cfg.Impact = out, true
	job, err := cfg.Job()
	if err != nil {
		return nil, fmt.Errorf("coverage: impact: %s: config: %w", name, err)
	}
	return Run(ctx, job, hooks)
}
