package walk_test

import (
	"fmt"

	"github.com/vingt/vingt/walk"
)

// Example asks a crow-fly walker which stops are within five minutes of
// Périgueux cathedral.
func Example() {
	w := walk.CrowFly{Speed: 1.3, Detour: 1.3} // one second per crow-fly metre
	stops := []walk.Place{
		{Lat: 45.1840, Lon: 0.7220}, // 37 m away
		{Lat: 45.1870, Lon: 0.7218}, // 370 m: beyond 300 s
		{Lat: 45.2000, Lon: 0.7218}, // 1.8 km
	}
	ix := w.Index(stops)
	for _, h := range ix.Within(walk.Place{Lat: 45.1837, Lon: 0.7218}, 300, nil) {
		fmt.Printf("stop %d: %d s\n", h.Place, h.Seconds)
	}
	fmt.Println("nearest within 15 min:", ix.Nearest(walk.Place{Lat: 45.1837, Lon: 0.7218}, 900), "s")
	// Output:
	// stop 0: 37 s
	// nearest within 15 min: 37 s
}
