// Package compare compares two runs of vingt: their territories (coverage
// in percentage points, gap population), their cells (served flags) and
// their manifests (parameters and inputs).
package compare

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/vingt/vingt/output"
	"github.com/vingt/vingt/table"
)

// eps is the smallest difference, in the unit compared, counted as a
// change (float noise below).
const eps = 1e-9

// Options tune a comparison.
type Options struct {
	// Level restricts the territories to one level ("" means all).
	Level string
	// Tolerance is the largest coverage change, in percentage points,
	// that does not count as exceeding.
	Tolerance float64
	// TimeTolerance is the largest change, in minutes, of a travel time
	// of a cell unserved in both runs that is not listed (Cells).
	TimeTolerance float64
}

// DefaultTimeTolerance is the default Options.TimeTolerance, in minutes.
const DefaultTimeTolerance = 1.0

// Territory is one territory present in both runs whose coverage, gap
// or population changed.
type Territory struct {
	Level string `json:"level"`
	Code  string `json:"code"`
	Name  string `json:"name"`
	// OldCoverage and NewCoverage are in [0, 1], nil where the territory
	// has no population (coverage undefined).
	OldCoverage *float64 `json:"old_coverage"`
	NewCoverage *float64 `json:"new_coverage"`
	// CoverageChange is NewCoverage − OldCoverage in percentage points;
	// an undefined coverage counts as 0 when the other side is defined.
	CoverageChange float64 `json:"coverage_change_pp"`
	OldGap         float64 `json:"old_gap_population"`
	NewGap         float64 `json:"new_gap_population"`
	GapChange      float64 `json:"gap_population_change"`
	OldPopulation  float64 `json:"old_population"`
	NewPopulation  float64 `json:"new_population"`
	// Exceeds tells whether |CoverageChange| > the tolerance.
	Exceeds bool `json:"exceeds_tolerance"`
}

// Key names a territory.
type Key struct {
	Level string `json:"level"`
	Code  string `json:"code"`
	Name  string `json:"name"`
}

// Flips counts cells whose served flag changed, and names them.
type Flips struct {
	Gained int `json:"gained"` // unserved → served
	Lost   int `json:"lost"`   // served → unserved
	// GainedIDs and LostIDs are the cell ids, sorted.
	GainedIDs []string `json:"gained_ids"`
	LostIDs   []string `json:"lost_ids"`
}

// TimeChange is a cell unserved for a category in both runs whose travel
// time (the first percentile, in minutes; nil: unreachable within the cap)
// changed by more than the time tolerance.
type TimeChange struct {
	CellID   string   `json:"cell_id"`
	Category string   `json:"category"`
	Old      *float64 `json:"old_minutes"`
	New      *float64 `json:"new_minutes"`
	// Change is New − Old in minutes; ±Inf is written as null, when one
	// side is unreachable.
	Change *float64 `json:"change_minutes"`
}

// CellChanges summarises the comparison of the cells matched by cell_id.
type CellChanges struct {
	Matched int `json:"matched"`
	OnlyOld int `json:"only_old"`
	OnlyNew int `json:"only_new"`
	// Served counts the flips of the whole-basket flag "served".
	Served Flips `json:"served"`
	// Categories counts the flips of each served_<category> present in
	// both runs, by category.
	Categories map[string]Flips `json:"categories"`
	// TimeTolerance is the tolerance of TimeChanges, in minutes.
	TimeTolerance float64 `json:"time_tolerance_minutes"`
	// TimeChanges are the travel times, of cells unserved for the
	// category in both runs, that changed by more than TimeTolerance:
	// largest change first (unreachable on one side first), then by
	// cell id and category.
	TimeChanges []TimeChange `json:"unserved_time_changes"`
}

// Change is a manifest entry that differs; Old or New is "" when absent.
type Change struct {
	Key string `json:"key"`
	Old string `json:"old"`
	New string `json:"new"`
}

// Report is the comparison of two runs.
type Report struct {
	Old       string  `json:"old"`
	New       string  `json:"new"`
	Level     string  `json:"level,omitempty"`
	Tolerance float64 `json:"tolerance_pp"`
	// Territories are the changed territories, largest |coverage change|
	// first, then largest |gap change|, then level and code.
	Territories []Territory  `json:"territories"`
	OnlyOld     []Key        `json:"only_old"`
	OnlyNew     []Key        `json:"only_new"`
	Cells       *CellChanges `json:"cells,omitempty"`
	Parameters  []Change     `json:"parameters"`
	// Inputs are the inputs (by role) whose path or sha256 differs.
	Inputs []Change `json:"inputs"`
	// MaxChange is the largest |coverage change| in percentage points.
	MaxChange float64 `json:"max_coverage_change_pp"`
	// Exceeds tells whether some territory's |coverage change| is over
	// the tolerance.
	Exceeds bool `json:"exceeds_tolerance"`
}

type terr struct {
	name          string
	pop, gap, cov float64
	covOK         bool
}

func territoryRows(t *table.Table, which string) (map[Key]terr, []Key, error) {
	level, code, name := t.Column(output.Level), t.Column(output.Code), t.Column(output.Name)
	pop, cov, gap := t.Column(output.Population), t.Column(output.Coverage), t.Column(output.GapPopulation)
	for _, c := range []struct {
		name string
		col  *table.Column
		kind table.Kind
	}{{output.Level, level, table.String}, {output.Code, code, table.String}, {output.Population, pop, table.Float64},
		{output.Coverage, cov, table.Float64}, {output.GapPopulation, gap, table.Float64}} {
		if c.col == nil {
			return nil, nil, fmt.Errorf("compare: %s territories: no column %s", which, c.name)
		}
		if c.col.Kind != c.kind {
			return nil, nil, fmt.Errorf("compare: %s territories: column %s has the wrong type", which, c.name)
		}
	}
	if name != nil && name.Kind != table.String {
		name = nil
	}
	rows := map[Key]terr{}
	var order []Key
	for i := 0; i < t.Len(); i++ {
		k := Key{Level: level.String[i], Code: code.String[i]}
		if _, dup := rows[k]; dup {
			return nil, nil, fmt.Errorf("compare: %s territories: row %d: territory %s %s repeated", which, i, k.Level, k.Code)
		}
		r := terr{pop: value(pop, i), gap: value(gap, i), cov: value(cov, i), covOK: cov.IsValid(i) && !math.IsNaN(cov.Float[i])}
		if name != nil && name.IsValid(i) {
			r.name = name.String[i]
		}
		rows[k] = r
		order = append(order, k)
	}
	return rows, order, nil
}

func value(c *table.Column, i int) float64 {
	if !c.IsValid(i) {
		return 0
	}
	return c.Float[i]
}

// Territories compares two territories tables (columns level, code,
// name, population, coverage, gap_population) matched by (level, code).
func Territories(old, new *table.Table, opts Options) (*Report, error) {
	o, oOrder, err := territoryRows(old, "old")
	if err != nil {
		return nil, err
	}
	n, nOrder, err := territoryRows(new, "new")
	if err != nil {
		return nil, err
	}
	if opts.Level != "" && !slices.ContainsFunc(oOrder, func(k Key) bool { return k.Level == opts.Level }) &&
		!slices.ContainsFunc(nOrder, func(k Key) bool { return k.Level == opts.Level }) {
		return nil, fmt.Errorf("compare: level %q: no territory of that level in either run", opts.Level)
	}
	r := &Report{Level: opts.Level, Tolerance: opts.Tolerance, Territories: []Territory{}, OnlyOld: []Key{}, OnlyNew: []Key{}, Parameters: []Change{}, Inputs: []Change{}}
	for _, k := range oOrder {
		if opts.Level != "" && k.Level != opts.Level {
			continue
		}
		a := o[k]
		b, ok := n[k]
		if !ok {
			r.OnlyOld = append(r.OnlyOld, Key{k.Level, k.Code, a.name})
			continue
		}
		d := Territory{Level: k.Level, Code: k.Code, Name: b.name,
			OldGap: a.gap, NewGap: b.gap, GapChange: b.gap - a.gap,
			OldPopulation: a.pop, NewPopulation: b.pop}
		var ca, cb float64
		if a.covOK {
			ca = a.cov
			d.OldCoverage = &a.cov
		}
		if b.covOK {
			cb = b.cov
			d.NewCoverage = &b.cov
		}
		d.CoverageChange = 100 * (cb - ca)
		if math.Abs(d.CoverageChange) < eps {
			d.CoverageChange = 0
		}
		d.Exceeds = math.Abs(d.CoverageChange) > opts.Tolerance+eps // float noise must not trip an exact tolerance
		if d.CoverageChange == 0 && math.Abs(d.GapChange) < eps && math.Abs(b.pop-a.pop) < eps && a.covOK == b.covOK {
			continue
		}
		r.Territories = append(r.Territories, d)
		r.MaxChange = math.Max(r.MaxChange, math.Abs(d.CoverageChange))
		r.Exceeds = r.Exceeds || d.Exceeds
	}
	for _, k := range nOrder {
		if opts.Level != "" && k.Level != opts.Level {
			continue
		}
		if _, ok := o[k]; !ok {
			r.OnlyNew = append(r.OnlyNew, Key{k.Level, k.Code, n[k].name})
		}
	}
	sort.SliceStable(r.Territories, func(i, j int) bool {
		a, b := r.Territories[i], r.Territories[j]
		if x, y := math.Abs(a.CoverageChange), math.Abs(b.CoverageChange); x != y {
			return x > y
		}
		if x, y := math.Abs(a.GapChange), math.Abs(b.GapChange); x != y {
			return x > y
		}
		if a.Level != b.Level {
			return a.Level < b.Level
		}
		return a.Code < b.Code
	})
	return r, nil
}

// Cells compares two cells tables matched by cell_id: the flips
// of "served" and of every served_<category> present in both, with the
// cells' ids, and the travel times of the cells unserved in both that
// changed by more than timeTolerance minutes.
func Cells(old, new *table.Table, timeTolerance float64) (*CellChanges, error) {
	if !(timeTolerance >= 0) || math.IsInf(timeTolerance, 1) {
		return nil, fmt.Errorf("compare: time tolerance %v: want a number of minutes ≥ 0", timeTolerance)
	}
	oid, nid := old.Column(output.CellID), new.Column(output.CellID)
	if oid == nil || oid.Kind != table.String || nid == nil || nid.Kind != table.String {
		return nil, errors.New("compare: cells: no string column cell_id")
	}
	idx := make(map[string]int, new.Len())
	for i := 0; i < new.Len(); i++ {
		if nid.IsValid(i) {
			idx[nid.String[i]] = i
		}
	}
	type pair struct {
		cat  string
		o, n *table.Column
	}
	var flags []pair
	for _, c := range old.Columns {
		if c.Kind != table.Bool || !output.IsServedColumn(c.Name) {
			continue
		}
		if nc := new.Column(c.Name); nc != nil && nc.Kind == table.Bool {
			flags = append(flags, pair{strings.TrimPrefix(strings.TrimPrefix(c.Name, "served"), "_"), old.Column(c.Name), nc})
		}
	}
	res := &CellChanges{Categories: map[string]Flips{}, TimeTolerance: timeTolerance, TimeChanges: []TimeChange{}}
	res.Served.GainedIDs, res.Served.LostIDs = []string{}, []string{}
	times := map[string][2]*table.Column{}
	for _, f := range flags {
		if f.cat != "" {
			res.Categories[f.cat] = Flips{GainedIDs: []string{}, LostIDs: []string{}}
			o, n := old.Column(output.TravelTime(f.cat)), new.Column(output.TravelTime(f.cat))
			if o != nil && n != nil && o.Kind == table.Float64 && n.Kind == table.Float64 {
				times[f.cat] = [2]*table.Column{o, n}
			}
		}
	}
	seen := map[string]bool{}
	for i := 0; i < old.Len(); i++ {
		if !oid.IsValid(i) {
			continue
		}
		id := oid.String[i]
		seen[id] = true
		j, ok := idx[id]
		if !ok {
			res.OnlyOld++
			continue
		}
		res.Matched++
		for _, f := range flags {
			a := f.o.IsValid(i) && f.o.Bool[i]
			b := f.n.IsValid(j) && f.n.Bool[j]
			if !a && !b && f.cat != "" {
				if tc, ok := times[f.cat]; ok {
					if c, ok := timeChange(tc[0], tc[1], i, j, timeTolerance); ok {
						c.CellID, c.Category = id, f.cat
						res.TimeChanges = append(res.TimeChanges, c)
					}
				}
			}
			if a == b {
				continue
			}
			fl := res.Served
			if f.cat != "" {
				fl = res.Categories[f.cat]
			}
			if b {
				fl.Gained++
				fl.GainedIDs = append(fl.GainedIDs, id)
			} else {
				fl.Lost++
				fl.LostIDs = append(fl.LostIDs, id)
			}
			if f.cat == "" {
				res.Served = fl
			} else {
				res.Categories[f.cat] = fl
			}
		}
	}
	for id := range idx {
		if !seen[id] {
			res.OnlyNew++
		}
	}
	slices.Sort(res.Served.GainedIDs)
	slices.Sort(res.Served.LostIDs)
	for _, f := range res.Categories {
		slices.Sort(f.GainedIDs)
		slices.Sort(f.LostIDs)
	}
	size := func(c TimeChange) float64 {
		if c.Change == nil {
			return math.Inf(1)
		}
		return math.Abs(*c.Change)
	}
	slices.SortFunc(res.TimeChanges, func(a, b TimeChange) int {
		if c := cmp.Compare(size(b), size(a)); c != 0 {
			return c
		}
		if c := strings.Compare(a.CellID, b.CellID); c != 0 {
			return c
		}
		return strings.Compare(a.Category, b.Category)
	})
	return res, nil
}

// timeChange compares the travel times of row i of o and row j of n
// (null: unreachable), and reports the change when it is beyond tol
// minutes or reachability changed.
func timeChange(o, n *table.Column, i, j int, tol float64) (TimeChange, bool) {
	var c TimeChange
	if o.IsValid(i) && !math.IsNaN(o.Float[i]) {
		v := o.Float[i]
		c.Old = &v
	}
	if n.IsValid(j) && !math.IsNaN(n.Float[j]) {
		v := n.Float[j]
		c.New = &v
	}
	switch {
	case c.Old == nil && c.New == nil:
		return c, false
	case c.Old == nil || c.New == nil:
		return c, true
	}
	d := *c.New - *c.Old
	if math.Abs(d) <= tol+eps {
		return c, false
	}
	c.Change = &d
	return c, true
}

// Manifest is run.json, as package output reads it: fields a version
// lacks are left empty, so runs of other versions still compare.
type Manifest = output.Manifest

// Input is one input of a manifest.
type Input = output.Input

// ParseManifest parses run.json.
func ParseManifest(b []byte) (*Manifest, error) {
	m, err := output.ParseManifest(b)
	if err != nil {
		return nil, fmt.Errorf("compare: %w", err)
	}
	return m, nil
}

// Manifests returns the parameters (flattened to dotted keys, values as
// JSON) and the inputs (by role; a repeated role numbered "#2", "#3"…)
// that differ between two manifests, in key order. The version is
// reported as the parameter "version" when it differs.
func Manifests(old, new *Manifest) (params, inputs []Change) {
	po, pn := output.FlattenParameters(old.Parameters, false), output.FlattenParameters(new.Parameters, false)
	po["version"], pn["version"] = old.Version, new.Version
	params = diffMaps(po, pn)
	return params, diffMaps(inputMap(old.Inputs), inputMap(new.Inputs))
}

func inputMap(in []Input) map[string]string {
	m := map[string]string{}
	count := map[string]int{}
	for _, x := range in {
		count[x.Role]++
		k := x.Role
		if count[x.Role] > 1 {
			k = fmt.Sprintf("%s#%d", x.Role, count[x.Role])
		}
		m[k] = x.Path + " sha256:" + x.SHA256
	}
	return m
}

func diffMaps(a, b map[string]string) []Change {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	var out []Change
	for k := range keys {
		x, okx := a[k]
		y, oky := b[k]
		if x != y || okx != oky {
			out = append(out, Change{Key: k, Old: x, New: y})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	if out == nil {
		out = []Change{}
	}
	return out
}

// findTable returns the path of the table name (name.parquet or
// name.arrow) that the manifest lists among its outputs: a file it does
// not list is stale, from another run, and never compared.
func findTable(dir string, m *Manifest, name string) (string, error) {
	for _, ext := range []string{".parquet", ".arrow"} {
		if slices.Contains(m.Outputs, name+ext) {
			p := filepath.Join(dir, name+ext)
			if _, err := os.Stat(p); err != nil {
				return "", fmt.Errorf("compare: %s lists %s, but: %w", filepath.Join(dir, output.ManifestFile), name+ext, err)
			}
			return p, nil
		}
	}
	if slices.ContainsFunc(m.Outputs, func(o string) bool { return strings.HasPrefix(o, name+"/") }) {
		return "", fmt.Errorf("compare: %s: %s/ is a partitioned dataset: runs are compared by their unpartitioned %s.parquet; run them without a partition", dir, name, name)
	}
	return "", fmt.Errorf("compare: %s lists no %s.parquet or %s.arrow among its outputs", filepath.Join(dir, output.ManifestFile), name, name)
}

// Dirs compares two run folders, each holding territories.parquet (or
// .arrow), cells.parquet (or .arrow, optional) and run.json.
func Dirs(oldDir, newDir string, opts Options) (*Report, error) {
	for _, d := range []string{oldDir, newDir} {
		st, err := os.Stat(d)
		if err != nil {
			return nil, fmt.Errorf("compare: run folder: %w", err)
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("compare: %s is not a folder", d)
		}
	}
	var ms [2]*Manifest
	for i, d := range []string{oldDir, newDir} {
		b, err := os.ReadFile(filepath.Join(d, output.ManifestFile))
		if err != nil {
			return nil, fmt.Errorf("compare: %w", err)
		}
		if ms[i], err = ParseManifest(b); err != nil {
			return nil, fmt.Errorf("compare: %s: %w", filepath.Join(d, output.ManifestFile), errors.Unwrap(err))
		}
	}
	read := func(dir, name string) (*table.Table, error) {
		m := ms[0]
		if dir == newDir {
			m = ms[1]
		}
		p, err := findTable(dir, m, name)
		if err != nil {
			return nil, err
		}
		t, err := table.Read(p)
		if err != nil {
			return nil, fmt.Errorf("compare: %w", err)
		}
		return t, nil
	}
	to, err := read(oldDir, output.Territories)
	if err != nil {
		return nil, err
	}
	tn, err := read(newDir, output.Territories)
	if err != nil {
		return nil, err
	}
	r, err := Territories(to, tn, opts)
	if err != nil {
		return nil, err
	}
	r.Old, r.New = oldDir, newDir
	co, err := read(oldDir, output.Cells)
	if err != nil {
		return nil, err
	}
	cn, err := read(newDir, output.Cells)
	if err != nil {
		return nil, err
	}
	if r.Cells, err = Cells(co, cn, opts.TimeTolerance); err != nil {
		return nil, err
	}
	r.Parameters, r.Inputs = Manifests(ms[0], ms[1])
	return r, nil
}
