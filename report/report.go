// Package report writes the result of a run of vingt as one self-contained
// HTML file that anyone can open by double-clicking: a map of the
// territories coloured by coverage, with the unserved areas and the
// service points; cumulative travel-time curves, coverage bars and the
// costliest closures; sortable tables of the territories, the run's
// parameters, inputs and warnings; and, given an older run, the change in
// coverage between the two.
//
// The report reads finished outputs only (territories, cells and points
// tables, run.json). The file needs no network: the SVG, the style sheet
// and the small script are inline. Geometries are projected once with PROJ
// (Lambert-93 within metropolitan France, else a Lambert azimuthal
// equal-area projection centred on the data) and simplified with GEOS
// with a tolerance given in pixels of the map at its first size; the
// Parquet outputs keep the full geometry.
package report

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math"
	"path/filepath"
	"sort"
	"strings"

	"github.com/vingt/vingt/compare"
	"github.com/vingt/vingt/output"
	"github.com/vingt/vingt/table"
)

//go:embed report.css
var css string

//go:embed report.js
var script string

// Options tune a report.
type Options struct {
	// Lang is the language of the texts and numbers (default French).
	Lang Lang
	// Compare, when not "", is the output folder of an older run: the map
	// is coloured by the change in coverage from it, and the differences
	// (territories, cells, parameters, inputs) are listed.
	Compare string
	// SimplifyPx is the simplification tolerance, in pixels of the map at
	// its first width (1,000 px); 0 means DefaultSimplifyPx, a negative
	// value keeps every vertex.
	SimplifyPx float64
	// Tolerance is the coverage change, in percentage points, beyond which
	// a territory is marked in the comparison (as vingt diff does).
	Tolerance float64
}

// DefaultSimplifyPx is the default simplification tolerance: a quarter of
// a pixel at the map's first width, so that outlines stay faithful up to
// a zoom of about four.
const DefaultSimplifyPx = 0.25

// MaxSimplifyPx bounds Options.SimplifyPx.
const MaxSimplifyPx = 100

// WriteFile writes the report of the run in outDir to path, atomically.
func WriteFile(ctx context.Context, outDir, path string, opts Options) error {
	return table.WriteFileAtomic(path, func(w io.Writer) error {
		return Write(ctx, outDir, w, opts)
	})
}

// Write writes the report of the run in outDir to w.
func Write(ctx context.Context, outDir string, w io.Writer, opts Options) error {
	if opts.Lang == "" {
		opts.Lang = French
	}
	if _, err := ParseLang(string(opts.Lang)); err != nil {
		return err
	}
	if math.IsNaN(opts.SimplifyPx) || opts.SimplifyPx > MaxSimplifyPx {
		return fmt.Errorf("report: simplification tolerance %v px: want at most %d", opts.SimplifyPx, MaxSimplifyPx)
	}
	if opts.SimplifyPx == 0 {
		opts.SimplifyPx = DefaultSimplifyPx
	}
	if math.IsNaN(opts.Tolerance) || opts.Tolerance < 0 || opts.Tolerance > 100 {
		return fmt.Errorf("report: tolerance %v percentage points: want 0 to 100", opts.Tolerance)
	}
	r, err := readRun(outDir)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	d := &doc{l: opts.Lang, r: r, opts: opts}
	if opts.Compare != "" {
		if d.diff, err = compare.Dirs(opts.Compare, outDir, compare.Options{Tolerance: opts.Tolerance}); err != nil {
			return fmt.Errorf("report: %w", err)
		}
	}
	if err := d.buildMap(ctx); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	d.write(bw)
	return bw.Flush()
}

// doc is a report being written.
type doc struct {
	l    Lang
	r    *run
	opts Options
	diff *compare.Report
	m    *mapData
	// changes and onlyNew index diff's territories by key.
	changes map[compare.Key]*compare.Territory
	onlyNew map[compare.Key]bool
}

// threshold returns the run's threshold in minutes (20 when unknown).
func (d *doc) threshold() float64 {
	if d.r.man != nil {
		if v, ok := d.r.man.Parameters["threshold_seconds"].(float64); ok && v > 0 {
			return v / 60
		}
	}
	return 20
}

func (d *doc) param(key string) string {
	if d.r.man == nil {
		return "?"
	}
	if v, ok := d.r.man.Parameters[key].(string); ok {
		return v
	}
	return "?"
}

func esc(s string) string { return html.EscapeString(s) }

// drawnLevels returns the finest and the coarsest level (one when equal).
func (d *doc) drawnLevels() []string {
	lv := d.r.levels
	switch len(lv) {
	case 0:
		return nil
	case 1:
		return lv
	}
	return []string{lv[0], lv[len(lv)-1]}
}

func (d *doc) write(w *bufio.Writer) {
	l := d.l
	title := l.tr("title")
	if d.diff != nil {
		title = l.tr("titleCompare")
	}
	fmt.Fprintf(w, `<!DOCTYPE html>
<html lang="%s"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="generator" content="vingt"><title>%s</title><style>%s</style></head><body>
`, l, esc(title), css)
	fmt.Fprintf(w, "<header><h1>%s</h1>", esc(title))
	date, window := d.param("date"), d.param("window")
	fmt.Fprintf(w, "<p>%s</p>", esc(l.tr("subtitle", date, window, l.Number(d.threshold(), 0), strings.Join(d.r.categories, ", "))))
	version := "?"
	if d.r.man != nil {
		version = d.r.man.Version
	}
	src := filepath.Base(d.r.dir)
	if d.diff != nil {
		src = filepath.Base(d.opts.Compare) + " → " + src
	}
	fmt.Fprintf(w, `<p class="small">%s</p>`, esc(l.tr("generated", version, src)))
	fmt.Fprintf(w, `<nav><a href="#s-map">%s</a>`, esc(l.tr("navMap")))
	if d.diff != nil {
		fmt.Fprintf(w, ` · <a href="#s-diff">%s</a>`, esc(l.tr("navDiff")))
	}
	fmt.Fprintf(w, ` · <a href="#s-plots">%s</a> · <a href="#s-tables">%s</a> · <a href="#s-run">%s</a></nav></header><main>`,
		esc(l.tr("navPlots")), esc(l.tr("navTables")), esc(l.tr("navRun")))
	d.writeNotes(w)
	d.writeMap(w)
	if d.diff != nil {
		d.writeDiff(w)
	}
	d.writePlots(w)
	d.writeTerritoryTable(w)
	d.writeRun(w)
	w.WriteString("</main>")
	d.writeData(w)
	fmt.Fprintf(w, "<script>%s</script></body></html>\n", script)
}

func (d *doc) writeNotes(w *bufio.Writer) {
	notes := append([]note(nil), d.r.notes...)
	if len(d.r.points) == 0 {
		notes = append(notes, note{key: "noPoints"})
	} else if !d.hasSole() {
		notes = append(notes, note{key: "noSole"})
	}
	if d.m != nil {
		notes = append(notes, d.m.notes...)
	}
	if len(notes) == 0 {
		return
	}
	fmt.Fprintf(w, `<section class="notes" id="s-notes"><h2>%s</h2><ul>`, esc(d.l.tr("missing")))
	for _, n := range notes {
		fmt.Fprintf(w, `<li data-note="%s">%s</li>`, esc(n.key), esc(d.l.tr(n.key, n.args...)))
	}
	w.WriteString("</ul></section>")
}

func (d *doc) hasSole() bool {
	for _, p := range d.r.points {
		if p.hasSole {
			return true
		}
	}
	return false
}

func (d *doc) writePlots(w *bufio.Writer) {
	l := d.l
	fmt.Fprintf(w, `<section id="s-plots"><h2>%s</h2><div class="charts">`, esc(l.tr("navPlots")))
	if d.r.hasCells {
		for k, cat := range d.r.categories {
			if k >= len(d.r.cellTT) || d.r.cellTT[k] == nil {
				continue
			}
			c := cumulative(cat, d.r.cellPop, d.r.cellTT[k], d.threshold())
			fmt.Fprintf(w, `<figure><figcaption>%s</figcaption>%s<p class="small">%s</p></figure>`,
				esc(l.tr("cumTitle", cat)), curveSVG(l, c, d.threshold(), cat),
				esc(l.tr("total", l.Number(c.total, 0), l.Number(c.total-c.reached, 0), l.Number(curveMax, 0))))
		}
	}
	for _, lv := range d.r.levels {
		var rows []territory
		for _, i := range d.r.levelRows(lv) {
			rows = append(rows, d.r.terr[i])
		}
		fmt.Fprintf(w, `<figure><figcaption>%s</figcaption>%s</figure>`, esc(l.tr("barsTitle", lv)), barsSVG(l, lv, rows))
	}
	if d.hasSole() {
		fmt.Fprintf(w, `<figure class="wide"><figcaption>%s</figcaption>%s</figure>`, esc(l.tr("closures", topClosures)), closuresSVG(l, d.r.points, d.r.categories))
	}
	w.WriteString("</div></section>")
}

// fields are the territory values shown in the tooltip and the table:
// the column name (for data-field), the header text key and the kind.
type field struct {
	col, head string
	pct       bool // a share, shown as a percentage
	signed    bool // a change, shown with its sign
	decimals  int
}

func (d *doc) fields() []field {
	fs := []field{
		{col: colPopulation, head: d.l.tr("population")},
		{col: colCoverage, head: d.l.tr("coverage"), pct: true},
		{col: colGapPopulation, head: d.l.tr("gapPopulation")},
	}
	for _, c := range d.r.categories {
		fs = append(fs, field{col: colServedPrefix + c, head: d.l.tr("servedFor", c)})
	}
	if d.diff != nil {
		fs = append(fs,
			field{col: "coverage_old", head: d.l.tr("oldCoverage"), pct: true},
			field{col: "coverage_change_pp", head: d.l.tr("changePP"), signed: true, decimals: 1},
			field{col: "gap_population_old", head: d.l.tr("oldGap")})
	}
	return fs
}

// values returns a territory's values for fields (NaN where null).
func (d *doc) values(i int) []float64 {
	t := &d.r.terr[i]
	cov := math.NaN()
	if t.covOK {
		cov = t.cov
	}
	v := []float64{t.pop, cov, t.gap}
	v = append(v, t.byCat...)
	for len(v) < 3+len(d.r.categories) {
		v = append(v, math.NaN())
	}
	if d.diff != nil {
		old, change, oldGap := d.oldValues(t)
		v = append(v, old, change, oldGap)
	}
	return v
}

// oldValues returns the old coverage, the change in percentage points and
// the old gap population of a territory of the new run (NaN when it is
// not in the old run).
func (d *doc) oldValues(t *territory) (old, change, oldGap float64) {
	if d.changes == nil {
		d.changes = map[compare.Key]*compare.Territory{}
		d.onlyNew = map[compare.Key]bool{}
		for i := range d.diff.Territories {
			x := &d.diff.Territories[i]
			d.changes[compare.Key{Level: x.Level, Code: x.Code}] = x
		}
		for _, k := range d.diff.OnlyNew {
			d.onlyNew[compare.Key{Level: k.Level, Code: k.Code}] = true
		}
	}
	k := compare.Key{Level: t.level, Code: t.code}
	if d.onlyNew[k] {
		return math.NaN(), math.NaN(), math.NaN()
	}
	if x, ok := d.changes[k]; ok {
		old = math.NaN()
		if x.OldCoverage != nil {
			old = *x.OldCoverage
		}
		return old, x.CoverageChange, x.OldGap
	}
	cov := math.NaN()
	if t.covOK {
		cov = t.cov
	}
	return cov, 0, t.gap
}

func (d *doc) format(f field, v float64) string {
	switch {
	case math.IsNaN(v):
		return "–"
	case f.pct:
		return d.l.Percent(v)
	case f.signed:
		return d.l.Signed(v, f.decimals)
	}
	return d.l.Number(v, f.decimals)
}

func jsonNum(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}

// writeData writes the territories' values for the tooltip as JSON:
// for each drawn level, rows of code, name, raw values and their texts.
func (d *doc) writeData(w *bufio.Writer) {
	type row struct {
		C string   `json:"c"`
		N string   `json:"n"`
		V []any    `json:"v"`
		F []string `json:"f"`
	}
	fs := d.fields()
	data := struct {
		Fields []string         `json:"fields"`
		Heads  []string         `json:"heads"`
		Levels map[string][]row `json:"levels"`
	}{Levels: map[string][]row{}}
	for _, f := range fs {
		data.Fields = append(data.Fields, f.col)
		data.Heads = append(data.Heads, f.head)
	}
	for _, lv := range d.drawnLevels() {
		rows := []row{}
		for _, i := range d.r.levelRows(lv) {
			t := &d.r.terr[i]
			x := row{C: t.code, N: t.name}
			for j, v := range d.values(i) {
				x.V = append(x.V, jsonNum(v))
				x.F = append(x.F, d.format(fs[j], v))
			}
			rows = append(rows, x)
		}
		data.Levels[lv] = rows
	}
	b, _ := json.Marshal(data) // escapes <, > and & : safe inside <script>
	fmt.Fprintf(w, `<script type="application/json" id="vingt-data">%s</script>`, b)
}

func (d *doc) writeTerritoryTable(w *bufio.Writer) {
	l := d.l
	fmt.Fprintf(w, `<section id="s-tables"><h2>%s</h2>`, esc(l.tr("tableTitle")))
	if len(d.r.terr) == 0 {
		fmt.Fprintf(w, `<p>%s</p></section>`, esc(l.tr("noLevel")))
		return
	}
	fs := d.fields()
	fmt.Fprintf(w, `<p><label>%s <input type="search" class="filter" data-table="t-territories" placeholder="%s"></label> <span class="small">%s</span></p>`,
		esc(l.tr("filter")), esc(l.tr("filterHint")), esc(l.tr("sortHint")))
	fmt.Fprintf(w, `<div class="scroll"><table id="t-territories" class="sortable"><thead><tr><th>%s</th><th>%s</th><th>%s</th>`,
		esc(l.tr("level")), esc(l.tr("code")), esc(l.tr("name")))
	for _, f := range fs {
		fmt.Fprintf(w, `<th class="num" data-num="1" data-col="%s">%s</th>`, esc(f.col), esc(f.head))
	}
	w.WriteString("</tr></thead><tbody>")
	order := make([]int, len(d.r.terr))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return d.r.terr[order[a]].gap > d.r.terr[order[b]].gap })
	for _, i := range order {
		t := &d.r.terr[i]
		fmt.Fprintf(w, `<tr data-level="%s" data-code="%s"><td>%s</td><td>%s</td><td>%s</td>`, esc(t.level), esc(t.code), esc(t.level), esc(t.code), esc(t.name))
		for j, v := range d.values(i) {
			dv := "-Infinity"
			if !math.IsNaN(v) {
				dv = raw(v)
			}
			fmt.Fprintf(w, `<td class="num" data-v="%s">%s</td>`, dv, esc(d.format(fs[j], v)))
		}
		w.WriteString("</tr>")
	}
	w.WriteString("</tbody></table></div></section>")
}

func (d *doc) writeRun(w *bufio.Writer) {
	l := d.l
	fmt.Fprintf(w, `<section id="s-run"><h2>%s</h2>`, esc(l.tr("parameters")))
	m := d.r.man
	if m == nil {
		fmt.Fprintf(w, `<p>%s</p></section>`, esc(l.tr("noManifest")))
		return
	}
	flat := output.FlattenParameters(m.Parameters, true)
	keys := make([]string, 0, len(flat))
	for k := range flat {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(w, `<div class="scroll"><table id="t-parameters"><thead><tr><th>%s</th><th>%s</th></tr></thead><tbody>`, esc(l.tr("parameter")), esc(l.tr("value")))
	for _, k := range keys {
		fmt.Fprintf(w, "<tr><td><code>%s</code></td><td>%s</td></tr>", esc(k), esc(flat[k]))
	}
	w.WriteString("</tbody></table></div>")
	fmt.Fprintf(w, `<h2>%s</h2><div class="scroll"><table id="t-inputs"><thead><tr><th>%s</th><th>%s</th><th>SHA-256</th><th class="num">%s</th><th>%s</th></tr></thead><tbody>`,
		esc(l.tr("inputs")), esc(l.tr("role")), esc(l.tr("path")), esc(l.tr("bytes")), esc(l.tr("counts")))
	for _, in := range m.Inputs {
		var counts []string
		for _, k := range sortedKeys(in.Counts) {
			counts = append(counts, k+" "+l.Number(float64(in.Counts[k]), 0))
		}
		fmt.Fprintf(w, `<tr><td>%s</td><td title="%s">%s</td><td><code class="hash">%s</code></td><td class="num">%s</td><td>%s</td></tr>`,
			esc(in.Role), esc(in.Path), esc(filepath.Base(in.Path)), esc(in.SHA256), l.Number(float64(in.Bytes), 0), esc(strings.Join(counts, ", ")))
	}
	w.WriteString("</tbody></table></div>")
	fmt.Fprintf(w, `<h2>%s</h2>`, esc(l.tr("warnings")))
	if len(m.Warnings) == 0 {
		fmt.Fprintf(w, `<p>%s</p>`, esc(l.tr("noWarnings")))
	} else {
		fmt.Fprintf(w, `<div class="scroll"><table id="t-warnings"><thead><tr><th>%s</th><th>%s</th><th class="num">%s</th><th>%s</th></tr></thead><tbody>`,
			esc(l.tr("input")), esc(l.tr("kind")), esc(l.tr("count")), esc(l.tr("examples")))
		for _, x := range m.Warnings {
			fmt.Fprintf(w, `<tr><td>%s</td><td>%s</td><td class="num">%s</td><td>%s</td></tr>`,
				esc(x.Input), esc(x.Kind), l.Number(float64(x.Count), 0), esc(strings.Join(x.Examples, ", ")))
		}
		w.WriteString("</tbody></table></div>")
	}
	w.WriteString("</section>")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (d *doc) writeDiff(w *bufio.Writer) {
	l, r := d.l, d.diff
	fmt.Fprintf(w, `<section id="s-diff"><h2>%s</h2>`, esc(l.tr("diffTitle", len(r.Territories), l.Number(r.MaxChange, 2))))
	if len(r.Territories) == 0 {
		fmt.Fprintf(w, "<p>%s</p>", esc(l.tr("noChange")))
	} else {
		fmt.Fprintf(w, `<div class="scroll"><table id="t-diff" class="sortable"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th class="num" data-num="1">%s</th><th class="num" data-num="1">%s</th><th class="num" data-num="1">%s</th><th class="num" data-num="1">%s</th><th class="num" data-num="1">%s</th><th class="num" data-num="1">%s</th></tr></thead><tbody>`,
			esc(l.tr("level")), esc(l.tr("code")), esc(l.tr("name")), esc(l.tr("oldCoverage")), esc(l.tr("newCoverage")), esc(l.tr("changePP")),
			esc(l.tr("oldGap")), esc(l.tr("newGap")), esc(l.tr("gapChange")))
		pc := func(c *float64) (string, string) {
			if c == nil {
				return "-Infinity", "–"
			}
			return raw(*c), l.Percent(*c)
		}
		for _, t := range r.Territories {
			cls := ""
			if t.Exceeds {
				cls = ` class="exceeds"`
			}
			ov, of := pc(t.OldCoverage)
			nv, nf := pc(t.NewCoverage)
			fmt.Fprintf(w, `<tr%s data-level="%s" data-code="%s"><td>%s</td><td>%s</td><td>%s</td><td class="num" data-v="%s">%s</td><td class="num" data-v="%s">%s</td><td class="num" data-v="%s">%s</td><td class="num" data-v="%s">%s</td><td class="num" data-v="%s">%s</td><td class="num" data-v="%s">%s</td></tr>`,
				cls, esc(t.Level), esc(t.Code), esc(t.Level), esc(t.Code), esc(t.Name), ov, esc(of), nv, esc(nf),
				raw(t.CoverageChange), esc(l.Signed(t.CoverageChange, 2)), raw(t.OldGap), esc(l.Number(t.OldGap, 1)),
				raw(t.NewGap), esc(l.Number(t.NewGap, 1)), raw(t.GapChange), esc(l.Signed(t.GapChange, 1)))
		}
		w.WriteString("</tbody></table></div>")
	}
	keys := func(ks []compare.Key) string {
		var s []string
		for _, k := range ks {
			s = append(s, k.Level+" "+k.Code+" "+k.Name)
		}
		return strings.Join(s, "; ")
	}
	if len(r.OnlyOld) > 0 {
		fmt.Fprintf(w, "<p>%s</p>", esc(l.tr("onlyOld", keys(r.OnlyOld))))
	}
	if len(r.OnlyNew) > 0 {
		fmt.Fprintf(w, "<p>%s</p>", esc(l.tr("onlyNew", keys(r.OnlyNew))))
	}
	if c := r.Cells; c != nil {
		n := func(x int) string { return l.Number(float64(x), 0) }
		fmt.Fprintf(w, "<p>%s</p>", esc(l.tr("cellFlips", n(c.Matched), n(c.OnlyOld), n(c.OnlyNew), n(c.Served.Gained), n(c.Served.Lost))))
	}
	changes := append(append([]compare.Change(nil), r.Parameters...), r.Inputs...)
	if len(changes) > 0 {
		fmt.Fprintf(w, `<h3>%s</h3><div class="scroll"><table id="t-changes"><thead><tr><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>`,
			esc(l.tr("paramChanges")), esc(l.tr("parameter")), esc(l.tr("before")), esc(l.tr("after")))
		for _, c := range changes {
			fmt.Fprintf(w, "<tr><td><code>%s</code></td><td>%s</td><td>%s</td></tr>", esc(c.Key), esc(c.Old), esc(c.New))
		}
		w.WriteString("</tbody></table></div>")
	}
	w.WriteString("</section>")
}
