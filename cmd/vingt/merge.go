package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vingt/vingt/coverage"
	"github.com/vingt/vingt/output"
)

func newMergeCommand() *cobra.Command {
	var out, partition string
	var quiet bool
	cmd := &cobra.Command{
		Use:   "merge SHARD_DIR... --out DIR",
		Short: "Merge the shard folders of a sharded run into the single run's outputs",
		Long: `vingt merge reads the folders written by vingt run --shard I/N for
I = 0…N-1, checks that they are every shard of one run (same inputs, by
SHA-256, same parameters, each index once; a missing, failed or corrupt
shard is named), puts the cells back in the grid's order, aggregates them
per territory and writes into --out the files the single run writes,
byte for byte, with a run.json listing the shards. Shards of the embedded
example (vingt run --shard I/N without inputs) are merged from the example
embedded in this binary, checked against the shards' hashes.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p := newProgress(cmd.ErrOrStderr(), quiet)
			start := time.Now()
			var ex exampleInputs
			defer ex.remove()
			rep, err := coverage.MergeWith(cmd.Context(), args, out,
				coverage.MergeOptions{Partition: partition, Relocate: ex.relocate}, coverage.Hooks{Stage: p.stage})
			p.finish()
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "vingt: merged %d shards\n", len(rep.Manifest.Shards))
			printSummary(cmd.OutOrStdout(), rep, time.Since(start))
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "vingt-out", "output folder")
	cmd.Flags().StringVar(&partition, "partition", "", "write cells/ as a Hive-partitioned GeoParquet dataset by the territories of this level (as vingt run --partition)")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "no progress on stderr")
	return cmd
}

// exampleInputs extracts the embedded example again when the shards were
// runs of it: their config names the temporary folder it was extracted
// into then, gone since.
type exampleInputs struct{ dir string }

const embeddedPrefix = "embedded:example/"

// relocate points cfg's paths into a new extraction of the embedded
// example when the shards' grid is the example's, and returns the
// manifest's names of the extracted files.
func (e *exampleInputs) relocate(cfg *coverage.Config, recorded []output.Input) (map[string]string, error) {
	var grid string
	for _, in := range recorded {
		if in.Role == "grid" {
			grid = in.Path
		}
	}
	rel, ok := strings.CutPrefix(grid, embeddedPrefix)
	if !ok {
		return nil, nil
	}
	old, ok := strings.CutSuffix(cfg.Grid, filepath.FromSlash(rel))
	if !ok || old == "" {
		return nil, fmt.Errorf("the shards ran on the embedded example, but their grid %s is not its %s", cfg.Grid, rel)
	}
	dir, names, err := extractExample()
	if err != nil {
		return nil, err
	}
	e.dir = dir
	move := func(s string) string { return strings.Replace(s, old, dir+string(filepath.Separator), 1) }
	for _, list := range [][]string{cfg.GTFS, cfg.Services, cfg.Territories} {
		for i := range list {
			list[i] = move(list[i])
		}
	}
	for _, p := range []*string{&cfg.Grid, &cfg.OSM, &cfg.Basket, &cfg.BPE, &cfg.SchoolHolidays} {
		*p = move(*p)
	}
	return names, nil
}

// remove deletes the extracted example, if any.
func (e *exampleInputs) remove() {
	if e.dir != "" {
		os.RemoveAll(e.dir)
	}
}
