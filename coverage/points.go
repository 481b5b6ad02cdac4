package coverage

import (
	"math"
	"slices"

	"github.com/paulmach/orb"

	"github.com/vingt/vingt/output"
	"github.com/vingt/vingt/table"
)

// PointImpact is what closing one service point alone would cost.
type PointImpact struct {
	Category string
	Point    Point
	// Territory is, per level, the index of the territory containing the
	// point, or -1.
	Territory []int
	// Nearest is the population of the cells whose nearest point of the
	// category (Impact.Nearest) it is.
	Nearest float64
	// Sole is the population of the cells that would no longer be served
	// for the category without it.
	Sole float64
	// BasketLost is the population of the cells served for the whole
	// basket now that would not be without it.
	BasketLost float64
	// Coverage and Without are, per level, the coverage of the point's
	// territory now and without the point (NaN outside every territory or
	// without population).
	Coverage, Without []float64
	// Hours, for a point of a category with an hours column, are its
	// opening hours (SetPointHours); nil otherwise.
	Hours *PointHours
}

// PointImpacts returns one row per point of every category, in category
// and input order, from results computed by AnalyzeImpact, the cells'
// territories (Assign) and the statistics of Aggregate.
func PointImpacts(res *Results, cells []Cell, cats []*Category, levels []*Level, stats []TerritoryStats) []PointImpact {
	nk := len(cats)
	first := make([]int, len(levels)) // index in stats of each level's first territory
	for l := 1; l < len(levels); l++ {
		first[l] = first[l-1] + len(levels[l-1].Territories)
	}
	var out []PointImpact
	base := make([]int, nk)
	for k, c := range cats {
		base[k] = len(out)
		for _, p := range c.Points {
			pi := PointImpact{Category: c.Name, Point: p}
			for _, lv := range levels {
				pi.Territory = append(pi.Territory, lv.Locate(p.Lon, p.Lat))
			}
			out = append(out, pi)
		}
	}
	lost := make([][]float64, len(out)) // per point, per level: basket population lost in its territory
	for i := range lost {
		lost[i] = make([]float64, len(levels))
	}
	imp := res.Impact
	for c := range cells {
		pop := cells[c].Population
		for k := range nk {
			if p := imp.Nearest[c*nk+k]; p >= 0 {
				out[base[k]+int(p)].Nearest += pop
			}
			for _, p := range imp.Sole[c*nk+k] {
				i := base[k] + int(p)
				out[i].Sole += pop
				if res.ServedAll[c] {
					out[i].BasketLost += pop
					for l := range levels {
						if t := out[i].Territory[l]; t >= 0 && int(res.Territory[l][c]) == t {
							lost[i][l] += pop
						}
					}
				}
			}
		}
	}
	for i := range out {
		for l := range levels {
			cov, without := math.NaN(), math.NaN()
			if t := out[i].Territory[l]; t >= 0 {
				st := &stats[first[l]+t]
				if st.Population > 0 {
					cov = st.Served / st.Population
					without = (st.Served - lost[i][l]) / st.Population
				}
			}
			out[i].Coverage = append(out[i].Coverage, cov)
			out[i].Without = append(out[i].Without, without)
		}
	}
	return out
}

// PointsTable returns the per-point output table: category, point_id,
// name, one territory code column per level, population_nearest,
// population_sole, population_basket_lost, per level coverage_<level> and
// coverage_without_<level> (null outside every territory), when some
// point has opening hours open_minutes_week and open_in_window (null for
// the others), and the point.
func PointsTable(pts []PointImpact, levels []*Level) *table.Table {
	n := len(pts)
	cat, id, name := make([]string, n), make([]string, n), make([]string, n)
	nameValid := make([]bool, n)
	near, sole, lost := make([]float64, n), make([]float64, n), make([]float64, n)
	geom := make([]orb.Geometry, n)
	for i := range pts {
		p := &pts[i]
		cat[i], id[i], name[i], nameValid[i] = p.Category, p.Point.ID, p.Point.Name, p.Point.Name != ""
		near[i], sole[i], lost[i] = p.Nearest, p.Sole, p.BasketLost
		geom[i] = orb.Point{p.Point.Lon, p.Point.Lat}
	}
	t := &table.Table{Columns: []table.Column{
		{Name: output.Category, Kind: table.String, String: cat},
		{Name: output.PointID, Kind: table.String, String: id},
		{Name: output.Name, Kind: table.String, String: name, Valid: nameValid},
	}}
	for l, lv := range levels {
		codes, valid := make([]string, n), make([]bool, n)
		for i := range pts {
			if tr := pts[i].Territory[l]; tr >= 0 {
				codes[i], valid[i] = lv.Territories[tr].Code, true
			}
		}
		t.Columns = append(t.Columns, table.Column{Name: lv.Name, Kind: table.String, String: codes, Valid: valid})
	}
	t.Columns = append(t.Columns,
		table.Column{Name: output.PopulationNearest, Kind: table.Float64, Float: near},
		table.Column{Name: output.PopulationSole, Kind: table.Float64, Float: sole},
		table.Column{Name: output.PopulationBasketLost, Kind: table.Float64, Float: lost})
	for l, lv := range levels {
		for _, without := range []bool{false, true} {
			v, valid := make([]float64, n), make([]bool, n)
			for i := range pts {
				x := pts[i].Coverage[l]
				if without {
					x = pts[i].Without[l]
				}
				if !math.IsNaN(x) {
					v[i], valid[i] = x, true
				}
			}
			col := output.CoverageAt(lv.Name)
			if without {
				col = output.CoverageWithout(lv.Name)
			}
			t.Columns = append(t.Columns, table.Column{Name: col, Kind: table.Float64, Float: v, Valid: valid})
		}
	}
	if slices.ContainsFunc(pts, func(p PointImpact) bool { return p.Hours != nil }) {
		minutes, open, valid := make([]int64, n), make([]bool, n), make([]bool, n)
		for i := range pts {
			if h := pts[i].Hours; h != nil {
				minutes[i], open[i], valid[i] = h.OpenMinutesWeek, h.OpenInWindow, true
			}
		}
		t.Columns = append(t.Columns,
			table.Column{Name: output.OpenMinutesWeek, Kind: table.Int64, Int: minutes, Valid: valid},
			table.Column{Name: output.OpenInWindow, Kind: table.Bool, Bool: open, Valid: valid})
	}
	t.Columns = append(t.Columns, table.Column{Name: output.Geometry, Kind: table.Geometry, Geom: geom})
	return t
}
