package coverage

import (
	"math"

	"github.com/paulmach/orb"

	"github.com/vingt/vingt/output"
	"github.com/vingt/vingt/table"
)

// Rows returns the results of cells [lo, hi) as Results of their own,
// sharing res's memory: the per-cell columns are sliced (Impact too, with
// AnalyzeImpact). Any per-cell field added to Results must be sliced here.
func (res *Results) Rows(lo, hi int) *Results {
	nk, np := len(res.Categories), len(res.Params.Percentiles)
	out := &Results{Params: res.Params, Categories: res.Categories,
		TravelTime: res.TravelTime[lo*nk*np : hi*nk*np],
		Share:      res.Share[lo*nk : hi*nk],
		Served:     res.Served[lo*nk : hi*nk],
		ServedAll:  res.ServedAll[lo:hi],
		Routed:     res.Routed[lo:hi],
	}
	if res.Territory != nil {
		out.Territory = make([][]int32, len(res.Territory))
		for l := range res.Territory {
			out.Territory[l] = res.Territory[l][lo:hi]
		}
	}
	if res.Impact != nil {
		imp := res.Impact
		out.Impact = &Impact{IDs: imp.IDs}
		if imp.Nearest != nil {
			out.Impact.Nearest = imp.Nearest[lo*nk : hi*nk]
		}
		if imp.Sole != nil {
			out.Impact.Sole = imp.Sole[lo*nk : hi*nk]
		}
		if imp.AtPercentile != nil {
			out.Impact.AtPercentile = imp.AtPercentile[lo*nk : hi*nk]
		}
	}
	return out
}

// WriteCells writes the per-cell output table (CellsTable) to path in the
// format f, table.RowGroup cells at a time: only one row group's columns
// and encoded values are held at once, whatever the number of cells.
func WriteCells(path string, f table.Format, res *Results, cells []Cell, levels []*Level) error {
	return table.WriteChunks(path, f, len(cells), func(lo, hi int) (*table.Table, error) {
		return CellsTable(res.Rows(lo, hi), cells[lo:hi], levels)
	})
}

// CellsTable returns the per-cell output table: cell_id, population, one
// territory code column per level, per category travel_time_<category>
// (minutes at the first percentile, null beyond the cap; with several
// percentiles also travel_time_<category>_p<P> for each), share_<category>
// and served_<category> (and with the impact nearest_<category>, the id of
// the point that decides the time, null when none); served, routed, lon
// and lat (the cell's centre, its routing origin), and the cell geometry.
func CellsTable(res *Results, cells []Cell, levels []*Level) (*table.Table, error) {
	n := len(cells)
	nk, np := len(res.Categories), len(res.Params.Percentiles)
	t := &table.Table{}
	ids := make([]string, n)
	pop := make([]float64, n)
	geom, err := cellShapes(cells)
	if err != nil {
		return nil, err
	}
	lon, lat := make([]float64, n), make([]float64, n)
	for c := range cells {
		ids[c], pop[c] = cells[c].ID, cells[c].Population
		lon[c], lat[c] = cells[c].Lon, cells[c].Lat
	}
	t.Columns = append(t.Columns,
		table.Column{Name: output.CellID, Kind: table.String, String: ids},
		table.Column{Name: output.Population, Kind: table.Float64, Float: pop})
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
		col.Name = output.TravelTime(name)
		t.Columns = append(t.Columns, col)
		if np > 1 {
			for p, q := range res.Params.Percentiles {
				col := minutes(k, p)
				col.Name = output.TravelTimeAt(name, q)
				t.Columns = append(t.Columns, col)
			}
		}
		share := make([]float64, n)
		served := make([]bool, n)
		for c := range cells {
			share[c], served[c] = res.Share[c*nk+k], res.Served[c*nk+k]
		}
		t.Columns = append(t.Columns,
			table.Column{Name: output.Share(name), Kind: table.Float64, Float: share},
			table.Column{Name: output.Served(name), Kind: table.Bool, Bool: served})
		if imp := res.Impact; imp != nil {
			near := make([]string, n)
			valid := make([]bool, n)
			for c := range cells {
				if p := imp.AtPercentile[c*nk+k]; p >= 0 {
					near[c], valid[c] = imp.IDs[k][p], true
				}
			}
			t.Columns = append(t.Columns, table.Column{Name: output.Nearest(name), Kind: table.String, String: near, Valid: valid})
		}
	}
	t.Columns = append(t.Columns,
		table.Column{Name: output.ServedAll, Kind: table.Bool, Bool: append([]bool(nil), res.ServedAll...)},
		table.Column{Name: output.Routed, Kind: table.Bool, Bool: append([]bool(nil), res.Routed...)},
		table.Column{Name: output.Lon, Kind: table.Float64, Float: lon},
		table.Column{Name: output.Lat, Kind: table.Float64, Float: lat},
		table.Column{Name: output.Geometry, Kind: table.Geometry, Geom: geom})
	return t, nil
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
		{Name: output.Level, Kind: table.String, String: level},
		{Name: output.Code, Kind: table.String, String: code},
		{Name: output.Name, Kind: table.String, String: name},
		{Name: output.CellCount, Kind: table.Int64, Int: cells},
		{Name: output.Population, Kind: table.Float64, Float: pop},
		{Name: output.PopulationServed, Kind: table.Float64, Float: served},
		{Name: output.Coverage, Kind: table.Float64, Float: cov, Valid: covValid},
		{Name: output.GapPopulation, Kind: table.Float64, Float: gapPop},
	}}
	for k, cat := range categories {
		v := make([]float64, n)
		for i := range stats {
			v[i] = stats[i].ServedBy[k]
		}
		t.Columns = append(t.Columns, table.Column{Name: output.ServedBy(cat), Kind: table.Float64, Float: v})
	}
	t.Columns = append(t.Columns,
		table.Column{Name: output.Geometry, Kind: table.Geometry, Geom: geom},
		table.Column{Name: output.Gap, Kind: table.Geometry, Geom: gap, Valid: gapValid})
	return t
}
