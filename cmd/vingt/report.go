package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/vingt/vingt/report"
)

// reportOptions are the flags and arguments of vingt report.
type reportOptions struct {
	out, lang, compare  string
	simplify, tolerance float64
}

func newReportCommand() *cobra.Command {
	opts := &reportOptions{}
	cmd := &cobra.Command{
		Use:   "report OUT_DIR [--out report.html] [--lang fr|en] [--compare OLD_DIR] | report OLD_DIR NEW_DIR",
		Short: "Write one self-contained HTML report of a run: map, charts, tables",
		Long: `report reads the output folder of vingt run (territories.parquet or .arrow,
cells.parquet or .arrow, points.parquet when the run measured closures, and
run.json) and writes one HTML file that opens offline, from a double-click,
on a computer or a phone: a map of the finest and coarsest territory levels
coloured by coverage with the unserved areas and the service points (layers
that can be switched; hover or tap a territory for its numbers; zoom and
pan), the cumulative population by travel time for each category, the
coverage of each territory, the costliest closures, and sortable tables of
the territories, the parameters, the inputs and their warnings.

With two folders (or --compare OLD_DIR), the map is coloured by the change in
coverage from the old run, and the differences of vingt diff are listed.

The report is written to OUT_DIR/report.html unless --out says otherwise.`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			if len(args) == 2 {
				if opts.compare != "" {
					return fmt.Errorf("report: two folders and --compare: give the old run once")
				}
				opts.compare, dir = args[0], args[1]
			}
			lang, err := report.ParseLang(opts.lang)
			if err != nil {
				return err
			}
			out := opts.out
			if out == "" {
				out = filepath.Join(dir, "report.html")
			}
			ro := report.Options{Lang: lang, Compare: opts.compare, SimplifyPx: opts.simplify, Tolerance: opts.tolerance}
			if err := report.WriteFile(cmd.Context(), dir, out, ro); err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), out)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.out, "out", "", "the HTML file to write (default OUT_DIR/report.html)")
	f.StringVar(&opts.lang, "lang", "fr", "language of the report: fr or en")
	f.StringVar(&opts.compare, "compare", "", "an older run's output folder: colour the map by the change in coverage")
	f.Float64Var(&opts.simplify, "simplify", report.DefaultSimplifyPx, "outline simplification tolerance, in pixels of the map at 1,000 px wide (negative: none)")
	f.Float64Var(&opts.tolerance, "tolerance", 0.5, "coverage change, in percentage points, beyond which a territory is marked (compare)")
	return cmd
}
