package coverage

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/vingt/vingt/table"
)

// nameRE is what a category or level name must look like: it becomes part
// of column names.
var nameRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// CheckName reports whether name can name a category or a level (and so
// a column): lower-case letters, digits and underscores, starting with a
// letter.
func CheckName(kind, name string) error {
	if !nameRE.MatchString(name) {
		return fmt.Errorf("coverage: %s name %q: use lower-case letters, digits and _ (it names output columns)", kind, name)
	}
	return nil
}

// PercentileLabel returns the column suffix of a percentile: p50, p12_5.
func PercentileLabel(q float64) string {
	return "p" + strings.ReplaceAll(strconv.FormatFloat(q, 'f', -1, 64), ".", "_")
}

// CellsTable returns the per-cell output table: cell_id, population, one
// territory code column per level, per category travel_time_<category>
// (minutes at the first percentile, null beyond the cap; with several
// percentiles also travel_time_<category>_p<P> for each), share_<category>
// and served_<category>; served, routed, and the cell geometry.
func CellsTable(res *Results, cells []Cell, levels []*Level) *table.Table {
	n := len(cells)
	nk, np := len(res.Categories), len(res.Params.Percentiles)
	t := &table.Table{}
	ids := make([]string, n)
	pop := make([]float64, n)
	geom := make([]orb.Geometry, n)
	for c := range cells {
		ids[c], pop[c], geom[c] = cells[c].ID, cells[c].Population, cells[c].Geometry
	}
	t.Columns = append(t.Columns,
		table.Column{Name: "cell_id", Kind: table.String, String: ids},
		table.Column{Name: "population", Kind: table.Float64, Float: pop})
	for l, lv := range levels {
		codes := make([]string, n)
		valid := make([]bool, n)
		for c := range cells {
			if i := res.Territory[l][c]; i >= 0 {
				codes[c], valid[c] = lv.Territories[i].Code, true
			}
		}
		t.Columns = append(t.Columns, table.Column{Name: lv.Name, Kind: table.String, String: codes, Valid: valid})
	}
	minutes := func(k, p int) table.Column {
		v := make([]float64, n)
		valid := make([]bool, n)
		for c := range cells {
			x := res.TravelTime[(c*nk+k)*np+p]
			if !math.IsInf(x, 1) {
				v[c], valid[c] = x/60, true
			}
		}
		return table.Column{Kind: table.Float64, Float: v, Valid: valid}
	}
	for k, name := range res.Categories {
		col := minutes(k, 0)
		col.Name = "travel_time_" + name
		t.Columns = append(t.Columns, col)
		if np > 1 {
			for p, q := range res.Params.Percentiles {
				col := minutes(k, p)
				col.Name = "travel_time_" + name + "_" + PercentileLabel(q)
				t.Columns = append(t.Columns, col)
			}
		}
		share := make([]float64, n)
		served := make([]bool, n)
		for c := range cells {
			share[c], served[c] = res.Share[c*nk+k], res.Served[c*nk+k]
		}
		t.Columns = append(t.Columns,
			table.Column{Name: "share_" + name, Kind: table.Float64, Float: share},
			table.Column{Name: "served_" + name, Kind: table.Bool, Bool: served})
	}
	t.Columns = append(t.Columns,
		table.Column{Name: "served", Kind: table.Bool, Bool: append([]bool(nil), res.ServedAll...)},
		table.Column{Name: "routed", Kind: table.Bool, Bool: append([]bool(nil), res.Routed...)},
		table.Column{Name: "geometry", Kind: table.Geometry, Geom: geom})
	return t
}

// TerritoriesTable returns the per-territory output table: level, code,
// name, cells, population, population_served, coverage (null without
// population), gap_population, population_served_<category>, the
// territory polygon as geometry and the gap as a second geometry column.
func TerritoriesTable(stats []TerritoryStats, categories []string) *table.Table {
	n := len(stats)
	level, code, name := make([]string, n), make([]string, n), make([]string, n)
	cells := make([]int64, n)
	pop, served, cov, gapPop := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	covValid := make([]bool, n)
	geom, gap := make([]orb.Geometry, n), make([]orb.Geometry, n)
	gapValid := make([]bool, n)
	for i := range stats {
		s := &stats[i]
		level[i], code[i], name[i] = s.Level, s.Code, s.Name
		cells[i] = int64(s.Cells)
		pop[i], served[i], gapPop[i] = s.Population, s.Served, s.GapPopulation()
		if c := s.Coverage(); !math.IsNaN(c) {
			cov[i], covValid[i] = c, true
		}
		geom[i] = s.Geometry
		if s.Gap != nil {
			gap[i], gapValid[i] = s.Gap, true
		}
	}
	t := &table.Table{Columns: []table.Column{
		{Name: "level", Kind: table.String, String: level},
		{Name: "code", Kind: table.String, String: code},
		{Name: "name", Kind: table.String, String: name},
		{Name: "cells", Kind: table.Int64, Int: cells},
		{Name: "population", Kind: table.Float64, Float: pop},
		{Name: "population_served", Kind: table.Float64, Float: served},
		{Name: "coverage", Kind: table.Float64, Float: cov, Valid: covValid},
		{Name: "gap_population", Kind: table.Float64, Float: gapPop},
	}}
	for k, cat := range categories {
		v := make([]float64, n)
		for i := range stats {
			v[i] = stats[i].ServedBy[k]
		}
		t.Columns = append(t.Columns, table.Column{Name: "population_served_" + cat, Kind: table.Float64, Float: v})
	}
	t.Columns = append(t.Columns,
		table.Column{Name: "geometry", Kind: table.Geometry, Geom: geom},
		table.Column{Name: "gap", Kind: table.Geometry, Geom: gap, Valid: gapValid})
	return t
}
