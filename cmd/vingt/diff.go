package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vingt/vingt/compare"
)

// diffOptions are the flags and arguments of vingt diff.
type diffOptions struct {
	oldDir, newDir string
	level          string
	tolerance      float64
	json           bool
}

func newDiffCommand() *cobra.Command {
	opts := &diffOptions{}
	cmd := &cobra.Command{
		Use:   "diff OLD_DIR NEW_DIR [--level L] [--tolerance PP] [--json]",
		Short: "Compare two runs: coverage and gap per territory, cells, parameters and inputs",
		Long: `diff compares two output folders of vingt run (territories.parquet or
.arrow, cells.parquet or .arrow, run.json).

Territories are matched by (level, code): it prints those whose coverage,
gap population or population changed, largest coverage change (in
percentage points) first, then largest gap change; the territories present
in one run only; the cells (matched by cell_id) whose served flag flipped,
for the basket and per category; and the parameters and inputs (path,
sha256) that differ between the two run.json manifests.

Exit code 1 when some territory's coverage changed by more than --tolerance
percentage points, 0 otherwise, 2 on error. --json prints one JSON object.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.oldDir, opts.newDir = args[0], args[1]
			return runDiff(cmd.Context(), opts, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.level, "level", "", "compare the territories of this level only (default: all)")
	f.Float64Var(&opts.tolerance, "tolerance", 0.5, "largest coverage change, in percentage points, that passes")
	f.BoolVar(&opts.json, "json", false, "print JSON instead of text")
	return cmd
}

func runDiff(_ context.Context, opts *diffOptions, w io.Writer) error {
	if opts.tolerance < 0 || math.IsNaN(opts.tolerance) {
		return fmt.Errorf("diff: --tolerance %v: want a number ≥ 0", opts.tolerance)
	}
	r, err := compare.Dirs(opts.oldDir, opts.newDir, compare.Options{Level: opts.level, Tolerance: opts.tolerance})
	if err != nil {
		return err
	}
	if opts.json {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			return err
		}
	} else {
		printDiff(w, r)
	}
	if r.Exceeds {
		return errChanged
	}
	return nil
}

func pct(c *float64) string {
	if c == nil {
		return "-"
	}
	return fmt.Sprintf("%.2f%%", 100**c)
}

func printDiff(w io.Writer, r *compare.Report) {
	fmt.Fprintf(w, "territories changed: %d (largest coverage change %.2f pp, tolerance %.2f pp)\n", len(r.Territories), r.MaxChange, r.Tolerance)
	if len(r.Territories) > 0 {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "level\tcode\tname\tcoverage old\tnew\tchange pp\tgap old\tnew\tchange\t\t")
		for _, t := range r.Territories {
			mark := ""
			if t.Exceeds {
				mark = "!"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%+.2f\t%.1f\t%.1f\t%+.1f\t%s\t\n",
				t.Level, t.Code, t.Name, pct(t.OldCoverage), pct(t.NewCoverage), t.CoverageChange, t.OldGap, t.NewGap, t.GapChange, mark)
		}
		tw.Flush()
	}
	for _, k := range r.OnlyOld {
		fmt.Fprintf(w, "only in old: %s %s %s\n", k.Level, k.Code, k.Name)
	}
	for _, k := range r.OnlyNew {
		fmt.Fprintf(w, "only in new: %s %s %s\n", k.Level, k.Code, k.Name)
	}
	if c := r.Cells; c != nil {
		fmt.Fprintf(w, "cells: %d matched, %d only in old, %d only in new; served: %d gained, %d lost\n",
			c.Matched, c.OnlyOld, c.OnlyNew, c.Served.Gained, c.Served.Lost)
		for _, cat := range slices.Sorted(maps.Keys(c.Categories)) {
			f := c.Categories[cat]
			if f.Gained != 0 || f.Lost != 0 {
				fmt.Fprintf(w, "  served_%s: %d gained, %d lost\n", cat, f.Gained, f.Lost)
			}
		}
	}
	for _, p := range r.Parameters {
		fmt.Fprintf(w, "parameter %s: %s → %s\n", p.Key, orNone(p.Old), orNone(p.New))
	}
	for _, p := range r.Inputs {
		fmt.Fprintf(w, "input %s: %s → %s\n", p.Key, orNone(p.Old), orNone(p.New))
	}
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
