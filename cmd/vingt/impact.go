package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vingt/vingt/coverage"
)

func newImpactCommand() *cobra.Command {
	var out string
	var remove, points []string
	var quiet bool
	cmd := &cobra.Command{
		Use:   "impact RUN_DIR (--remove ID,… | --point ID) --out DIR",
		Short: "Answer a scenario of closures from a run with --impact: the outputs without those points",
		Long: `vingt impact reads the folder of a run made with --impact, and writes
into --out the files that run would write without the points named by
--remove (ID or CATEGORY:ID, comma-separated; --point ID names one): the
same inputs and parameters (recorded in its run.json), routed again, so
that several closures at once are exact. points.parquet then tells what
closing each remaining point would cost on top of the scenario.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var ids []string
			for _, r := range append(remove, points...) {
				for _, id := range strings.Split(r, ",") {
					if id = strings.TrimSpace(id); id != "" {
						ids = append(ids, id)
					}
				}
			}
			p := newProgress(cmd.ErrOrStderr(), quiet)
			start := time.Now()
			rep, err := coverage.Closures(cmd.Context(), args[0], ids, out, coverage.Hooks{Stage: p.stage})
			p.finish()
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "vingt: without %s\n", strings.Join(ids, ", "))
			printSummary(cmd.OutOrStdout(), rep, time.Since(start))
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "output folder (required; not the run's own)")
	cmd.Flags().StringSliceVar(&remove, "remove", nil, "points to close, ID or CATEGORY:ID, comma-separated")
	cmd.Flags().StringSliceVar(&points, "point", nil, "one point to close (repeatable)")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "no progress on stderr")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}
