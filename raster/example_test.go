package raster_test

import (
	"fmt"

	"github.com/paulmach/orb"

	"github.com/vingt/vingt/raster"
)

// Three cells of a 1 km grid in an L, traced in grid units, then mapped to
// metres of the grid's CRS (corner (c, r) at c·1000, r·1000).
func Example() {
	cells := []raster.Cell{{Col: 3523, Row: 2423}, {Col: 3524, Row: 2423}, {Col: 3523, Row: 2424}}
	fmt.Println(raster.Trace(cells))
	mp := raster.TraceFunc(cells, func(c, r int64) orb.Point { return orb.Point{float64(c) * 1000, float64(r) * 1000} })
	fmt.Println(mp[0][0][:3])
	// Output:
	// [[[[3523 2423] [3524 2423] [3525 2423] [3525 2424] [3524 2424] [3524 2425] [3523 2425] [3523 2424] [3523 2423]]]]
	// [[3.523e+06 2.423e+06] [3.524e+06 2.423e+06] [3.525e+06 2.423e+06]]
}
