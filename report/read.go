package report

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/paulmach/orb"

	"github.com/vingt/vingt/output"
	"github.com/vingt/vingt/table"
)

// manifest is run.json as the schema (package output) types it.
type manifest = output.Manifest

// parseManifest parses run.json; name is the file's path, for messages.
func parseManifest(name string, b []byte) (*manifest, error) {
	m, err := output.ParseManifest(b)
	if err != nil {
		return nil, fmt.Errorf("report: %s: %w", name, errors.Unwrap(err))
	}
	return m, nil
}

// territory is one row of the territories table.
type territory struct {
	level, code, name     string
	pop, served, cov, gap float64
	covOK                 bool
	byCat                 []float64 // population served per category
	geom, gapGeom         orb.Geometry
}

// point is one row of the points table (closure impact).
type point struct {
	id, name, category string
	sole, nearest      float64
	hasSole            bool
	geom               orb.Point
	hasGeom            bool
}

// run is what the report reads from one output folder.
type run struct {
	dir        string
	man        *manifest
	levels     []string // in the order of the table: finest first
	categories []string
	terr       []territory
	hasCells   bool
	cellPop    []float64
	cellTT     [][]float64 // per category, minutes; NaN where unreachable
	points     []point
	// notes say what is missing or was skipped, for the reader.
	notes []note
}

// note is a message for the reader of the report, with its arguments
// (formatted in the report's language).
type note struct {
	key  string
	args []any
}

// findTable returns the path of name.parquet or name.arrow in dir, or "".
func findTable(dir, name string) string {
	for _, ext := range tableExts {
		p := filepath.Join(dir, name+ext)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}

// errNoTerritories is returned when a folder holds no territories table.
var errNoTerritories = errors.New("no territories.parquet or territories.arrow")

// readRun reads an output folder. A missing or unreadable territories
// table is an error; missing cells, points or run.json become notes.
func readRun(dir string) (*run, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("report: output folder: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("report: %s is not a folder", dir)
	}
	r := &run{dir: dir}
	p := findTable(dir, fileTerritories)
	if p == "" {
		return nil, fmt.Errorf("report: %s: %w (is it the output folder of a run?)", dir, errNoTerritories)
	}
	t, err := table.Read(p)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	if err := r.territories(p, t); err != nil {
		return nil, err
	}
	if len(r.levels) == 0 {
		r.notes = append(r.notes, note{key: "noLevel"})
	}
	if p := findTable(dir, fileCells); p == "" {
		r.notes = append(r.notes, note{key: "noCells"})
	} else {
		t, err := table.Read(p)
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		if err := r.cells(p, t); err != nil {
			return nil, err
		}
	}
	if p := findTable(dir, filePoints); p != "" {
		t, err := table.Read(p)
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		if err := r.readPoints(p, t); err != nil {
			return nil, err
		}
	}
	mp := filepath.Join(dir, fileManifest)
	b, err := os.ReadFile(mp)
	switch {
	case errors.Is(err, os.ErrNotExist):
		r.notes = append(r.notes, note{key: "noManifest"})
	case err != nil:
		return nil, fmt.Errorf("report: %w", err)
	default:
		if r.man, err = parseManifest(mp, b); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// column returns the column name of kind k, or an error naming the file.
func column(path string, t *table.Table, name string, k table.Kind, required bool) (*table.Column, error) {
	c := t.Column(name)
	if c == nil {
		if required {
			return nil, fmt.Errorf("report: %s: no column %s", path, name)
		}
		return nil, nil
	}
	if c.Kind != k {
		return nil, fmt.Errorf("report: %s: column %s has the wrong type", path, name)
	}
	return c, nil
}

func floatAt(c *table.Column, i int) (float64, bool) {
	if c == nil || !c.IsValid(i) || math.IsNaN(c.Float[i]) || math.IsInf(c.Float[i], 0) {
		return 0, false
	}
	return c.Float[i], true
}

func stringAt(c *table.Column, i int) string {
	if c == nil || !c.IsValid(i) {
		return ""
	}
	return c.String[i]
}

func (r *run) territories(path string, t *table.Table) error {
	var cols [8]*table.Column
	specs := []struct {
		name string
		kind table.Kind
		req  bool
	}{
		{colLevel, table.String, true}, {colCode, table.String, true}, {colName, table.String, false},
		{colPopulation, table.Float64, true}, {colPopulationServed, table.Float64, false},
		{colCoverage, table.Float64, true}, {colGapPopulation, table.Float64, true},
		{colGeometry, table.Geometry, false},
	}
	for i, s := range specs {
		c, err := column(path, t, s.name, s.kind, s.req)
		if err != nil {
			return err
		}
		cols[i] = c
	}
	gapCol, _ := column(path, t, colGap, table.Geometry, false)
	var catCols []*table.Column
	for i := range t.Columns {
		c := &t.Columns[i]
		if c.Kind == table.Float64 && strings.HasPrefix(c.Name, colServedPrefix) {
			r.categories = append(r.categories, strings.TrimPrefix(c.Name, colServedPrefix))
			catCols = append(catCols, c)
		}
	}
	level, code, name, pop, served, cov, gap, geom := cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6], cols[7]
	seen := map[string]bool{}
	noGeom := 0
	for i := 0; i < t.Len(); i++ {
		if !level.IsValid(i) || !code.IsValid(i) {
			return fmt.Errorf("report: %s: row %d: null level or code", path, i)
		}
		x := territory{level: level.String[i], code: code.String[i], name: stringAt(name, i)}
		x.pop, _ = floatAt(pop, i)
		x.served, _ = floatAt(served, i)
		x.gap, _ = floatAt(gap, i)
		x.cov, x.covOK = floatAt(cov, i)
		for _, c := range catCols {
			v, _ := floatAt(c, i)
			x.byCat = append(x.byCat, v)
		}
		if geom != nil && geom.IsValid(i) {
			x.geom = geom.Geom[i]
		}
		if isEmpty(x.geom) {
			x.geom = nil
			noGeom++
		}
		if gapCol != nil && gapCol.IsValid(i) && !isEmpty(gapCol.Geom[i]) {
			x.gapGeom = gapCol.Geom[i]
		}
		if !seen[x.level] {
			seen[x.level] = true
			r.levels = append(r.levels, x.level)
		}
		r.terr = append(r.terr, x)
	}
	if noGeom > 0 {
		var codes []string
		for _, x := range r.terr {
			if x.geom == nil {
				codes = append(codes, x.level+" "+x.code)
			}
		}
		r.notes = append(r.notes, note{key: "noGeometry", args: []any{noGeom, examples(codes)}})
	}
	return nil
}

// examples returns the first few of a list, joined, with "…" when cut.
func examples(s []string) string {
	const n = 5
	if len(s) <= n {
		return strings.Join(s, ", ")
	}
	return strings.Join(s[:n], ", ") + ", …"
}

func isEmpty(g orb.Geometry) bool {
	switch g := g.(type) {
	case nil:
		return true
	case orb.Polygon:
		return len(g) == 0 || len(g[0]) == 0
	case orb.MultiPolygon:
		for _, p := range g {
			if len(p) > 0 && len(p[0]) > 0 {
				return false
			}
		}
		return true
	case orb.MultiPoint:
		return len(g) == 0
	case orb.Point:
		return false
	case orb.Collection:
		for _, x := range g {
			if !isEmpty(x) {
				return false
			}
		}
		return true
	}
	return true // lines and other types are not drawn
}

func (r *run) cells(path string, t *table.Table) error {
	pop, err := column(path, t, colPopulation, table.Float64, true)
	if err != nil {
		return err
	}
	r.hasCells = true
	r.cellPop = make([]float64, t.Len())
	for i := range r.cellPop {
		r.cellPop[i], _ = floatAt(pop, i)
	}
	cats := r.categories
	if len(cats) == 0 { // no territory level: take the categories from the cells
		for _, c := range t.Columns {
			if c.Kind == table.Float64 && strings.HasPrefix(c.Name, colTravelTimePrefix) && !strings.Contains(strings.TrimPrefix(c.Name, colTravelTimePrefix), "_p") {
				cats = append(cats, strings.TrimPrefix(c.Name, colTravelTimePrefix))
			}
		}
		r.categories = cats
	}
	r.cellTT = make([][]float64, len(cats))
	for k, cat := range cats {
		c, err := column(path, t, colTravelTimePrefix+cat, table.Float64, false)
		if err != nil {
			return err
		}
		if c == nil {
			r.notes = append(r.notes, note{key: "noTravelTime", args: []any{cat}})
			continue
		}
		v := make([]float64, t.Len())
		for i := range v {
			x, ok := floatAt(c, i)
			if !ok {
				x = math.NaN()
			}
			v[i] = x
		}
		r.cellTT[k] = v
	}
	return nil
}

func (r *run) readPoints(path string, t *table.Table) error {
	cat, err := column(path, t, colCategory, table.String, true)
	if err != nil {
		return err
	}
	id, _ := column(path, t, colPointID, table.String, false)
	name, _ := column(path, t, colName, table.String, false)
	sole, _ := column(path, t, colPopulationSole, table.Float64, false)
	nearest, _ := column(path, t, colPopulationNearest, table.Float64, false)
	geom, _ := column(path, t, colGeometry, table.Geometry, false)
	for i := 0; i < t.Len(); i++ {
		p := point{id: stringAt(id, i), name: stringAt(name, i), category: stringAt(cat, i)}
		p.sole, p.hasSole = floatAt(sole, i)
		p.nearest, _ = floatAt(nearest, i)
		if geom != nil && geom.IsValid(i) {
			if g, ok := geom.Geom[i].(orb.Point); ok {
				p.geom, p.hasGeom = g, true
			}
		}
		r.points = append(r.points, p)
	}
	sort.SliceStable(r.points, func(i, j int) bool { return r.points[i].category < r.points[j].category })
	return nil
}

// levelRows returns the indices of the territories of one level.
func (r *run) levelRows(level string) []int {
	var out []int
	for i := range r.terr {
		if r.terr[i].level == level {
			out = append(out, i)
		}
	}
	return out
}
