package isochrone_test

import (
	"fmt"

	"github.com/paulmach/orb/geo"

	"github.com/vingt/vingt/isochrone"
	"github.com/vingt/vingt/router"
)

// ExamplePolygons draws the areas within 5 and 10 minutes of cell G of the
// forbidden-transfer fixture, leaving at 08:00: on foot around the origin
// (1.3 m/s over crow-fly distance × 1.3, so 1 m of radius per second), and
// around stop S3, reached by a ride at 08:07 (travel time 7 min). Within
// 5 minutes only the origin's disk counts (radius 300 m); within 10
// minutes the origin's disk of 600 m and, 5.3 km away, the disk of
// 180 m that the 3 minutes left walk around S3. (orb's geo.Area takes the
// Earth's equatorial radius, a little larger than the sphere of the walk:
// π × 300² is 28.27 ha.)
func ExamplePolygons() {
	p := router.DefaultParams()
	reached := []isochrone.Reached{{Lat: 0, Lon: 1.1, Seconds: 420}}
	areas, err := isochrone.Polygons(0.00027, 1.052, reached, []int32{300, 600}, p.MaxWalk, p.Walk())
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, cutoff := range []int32{300, 600} {
		rings := 0
		for _, poly := range areas[i] {
			rings += len(poly)
		}
		fmt.Printf("%d min: %d polygons, %d rings, %.1f ha\n", cutoff/60, len(areas[i]), rings, geo.Area(areas[i])/1e4)
	}
	// Output:
	// 5 min: 1 polygons, 1 rings, 28.3 ha
	// 10 min: 2 polygons, 2 rings, 123.4 ha
}
