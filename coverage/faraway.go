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
// (locateCells): cells are not located again. routed, when not nil, says
// per cell whether the analysis found it a served stop within MaxWalk
// (Results.Routed): within the cap's walk too when MaxWalk is, so that
// only the other cells are asked.
// ext is the box of the feeds' stops (gtfs.StopsExtent).
func warnFarPlaces(m *Manifest, tt *router.Timetable, ext gtfs.Extent, grid *Grid, terr [][]int32, routed []bool, cats []*Category, levels []*Level) {
	cap := tt.Params().MaxDuration
	if tt.Params().MaxWalk > cap {
		routed = nil
	}
	var near []router.Access
	// far tells whether a place is far from every stop and outside
	// every territory; cell, when not negative, is the place's index in
	// the grid, whose territories are known. It asks the stops first:
	// with nearStop's growing walk a place near a stop is answered by a
	// short query, and the territories (for a service point, a GEOS
	// point per query) are asked only of the places without one.
	far := func(lat, lon float64, cell int) bool {
		if nearStop(tt, lat, lon, cap, &near) {
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
		if routed != nil && routed[i] {
			continue
		}
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

// nearStop tells whether a served stop lies within cap seconds of walking
// from lat, lon (near is scratch). The cap's walk spans a whole city (an
// hour reaches thousands of stops, each a distance to compute and a place
// to sort), so it asks a small walk first and widens it fourfold: what a
// shorter walk reaches, the cap's walk reaches too, and the last query is
// the cap's own.
func nearStop(tt *router.Timetable, lat, lon float64, cap int32, near *[]router.Access) bool {
	for s := min(cap, 120); ; s = min(4*s, cap) {
		if *near = tt.StopsNear(lat, lon, s, (*near)[:0]); len(*near) > 0 {
			return true
		}
		if s >= cap {
			return false
		}
	}
}
