package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/vingt/vingt/coverage"
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
byte for byte, with a run.json listing the shards.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p := newProgress(cmd.ErrOrStderr(), quiet)
			start := time.Now()
			rep, err := coverage.MergePartitioned(cmd.Context(), args, out, partition, coverage.Hooks{Stage: p.stage})
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
