package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vingt/vingt/compare"
)

// diffOptions are the flags and arguments of vingt diff.
type diffOptions struct {
	oldDir, newDir string
	level          string
	tolerance      float64
	timeTolerance  float64
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
for the basket and per category, with their ids (the first 10 in text,
all in JSON); the cells unserved for a category in both runs whose travel
time changed by more than --time-tolerance minutes (or became reachable,
or unreachable, within the cap); and the parameters and inputs (path,
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
	f.Float64Var(&opts.timeTolerance, "time-tolerance", compare.DefaultTimeTolerance, "largest travel-time change, in minutes, of a cell unserved in both runs that is not listed")
	f.BoolVar(&opts.json, "json", false, "print JSON instead of text")
	return cmd
}

func runDiff(_ context.Context, opts *diffOptions, w io.Writer) error {
	if opts.tolerance < 0 || math.IsNaN(opts.tolerance) {
		return fmt.Errorf("diff: --tolerance %v: want a number ≥ 0", opts.tolerance)
	}
	if !(opts.timeTolerance >= 0 && opts.timeTolerance <= 24*60) {
		return fmt.Errorf("diff: --time-tolerance %v: want minutes within 0–1440", opts.timeTolerance)
	}
	r, err := compare.Dirs(opts.oldDir, opts.newDir, compare.Options{Level: opts.level, Tolerance: opts.tolerance, TimeTolerance: opts.timeTolerance})
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
		printIDs(w, "    ", c.Served)
		for _, cat := range slices.Sorted(maps.Keys(c.Categories)) {
			f := c.Categories[cat]
			if f.Gained != 0 || f.Lost != 0 {
				fmt.Fprintf(w, "  served_%s: %d gained, %d lost\n", cat, f.Gained, f.Lost)
				printIDs(w, "    ", f)
			}
		}
		if n := len(c.TimeChanges); n > 0 {
			fmt.Fprintf(w, "cells unserved in both runs whose travel time changed by more than %g min: %d\n", c.TimeTolerance, n)
			for i, t := range c.TimeChanges {
				if i == maxIDs {
					fmt.Fprintf(w, "  … %d more (--json lists them all)\n", n-maxIDs)
					break
				}
				change := "reachability changed"
				if t.Change != nil {
					change = fmt.Sprintf("%+.1f min", *t.Change)
				}
				fmt.Fprintf(w, "  %s %s: %s → %s (%s)\n", t.CellID, t.Category, minutesText(t.Old), minutesText(t.New), change)
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

// maxIDs bounds the cell ids listed in text.
const maxIDs = 10

// printIDs lists the first cells gained and lost.
func printIDs(w io.Writer, indent string, f compare.Flips) {
	for _, l := range []struct {
		what string
		ids  []string
	}{{"gained", f.GainedIDs}, {"lost", f.LostIDs}} {
		if len(l.ids) == 0 {
			continue
		}
		more := ""
		ids := l.ids
		if len(ids) > maxIDs {
			ids, more = ids[:maxIDs], fmt.Sprintf(", … %d more", len(l.ids)-maxIDs)
		}
		fmt.Fprintf(w, "%s%s: %s%s\n", indent, l.what, strings.Join(ids, ", "), more)
	}
}

// minutesText writes a travel time in minutes, or "unreachable".
func minutesText(v *float64) string {
	if v == nil {
		return "unreachable"
	}
	return fmt.Sprintf("%.1f min", *v)
}
