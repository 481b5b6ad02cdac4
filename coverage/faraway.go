package coverage

// Places no trip can reach: cells and service points farther than the
// cap's walk from every stop and outside every territory, the usual sign
// of coordinates read as LON,LAT, or of inputs of another region.

import (
	"fmt"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/router"
)

// FarKind is the kind of the warnings about such places.
const FarKind = "far from every stop (beyond the cap's walk) and outside every territory"

// warnFarPlaces records in the manifest, per input, the cells and service
// points farther than the cap's walk from every stop and outside every
// territory (outside the box of the stops when there are no territories),
// with their count and examples, noting those whose swapped coordinates
// fall among the stops. terr is the cells' territories, [level][cell]
// (locateCells): cells are not located again.
func warnFarPlaces(m *Manifest, tt *router.Timetable, feeds []*gtfs.Feed, grid *Grid, terr [][]int32, cats []*Category, levels []*Level) {
	ext, ok := gtfs.StopsExtent(feeds...)
	if !ok {
		return
	}
	cap := tt.Params().MaxDuration
	var near []router.Access
	// far tells whether a place is far from every stop and outside
	// every territory; cell, when not negative, is the place's index in
	// the grid, whose territories are known.
	far := func(lat, lon float64, cell int) bool {
		if near = tt.StopsNear(lat, lon, cap, near[:0]); len(near) > 0 {
			return false
		}
		if len(levels) == 0 {
			return !ext.Contains(lat, lon)
		}
		for l, lv := range levels {
			if cell >= 0 {
				if terr[l][cell] >= 0 {
					return false
				}
			} else if lv.Locate(lon, lat) >= 0 {
				return false
			}
		}
		return true
	}
	example := func(what string, lat, lon float64) string {
		ex := fmt.Sprintf("%s at %.6f,%.6f", what, lat, lon)
		if ext.Contains(lon, lat) && !ext.Contains(lat, lon) {
			ex += fmt.Sprintf(": latitude and longitude swapped? %.6f,%.6f lies among the stops", lon, lat)
		}
		return ex
	}
	var w gtfs.Warnings
	for i, c := range grid.Cells {
		if far(c.Lat, c.Lon, i) {
			w.Add(FarKind, example("cell "+c.ID, c.Lat, c.Lon))
		}
	}
	addWarnings(m, "grid", w)
	for _, c := range cats {
		var w gtfs.Warnings
		for _, p := range c.Points {
			if far(p.Lat, p.Lon, -1) {
				w.Add(FarKind, example("point "+p.ID, p.Lat, p.Lon))
			}
		}
		addWarnings(m, "services:"+c.Name, w)
	}
}
