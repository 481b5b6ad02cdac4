package report

import (
	"fmt"
	"math"
)

// viridis is matplotlib's viridis scale (sequential, colour-blind safe,
// legible in grey) at 11 even stops.
var viridis = [][3]uint8{
	{68, 1, 84}, {72, 36, 117}, {65, 68, 135}, {53, 95, 141}, {42, 120, 142},
	{33, 145, 140}, {34, 168, 132}, {68, 191, 112}, {122, 209, 81}, {189, 223, 38}, {253, 231, 37},
}

// puOr is ColorBrewer's PuOr diverging scale (colour-blind safe) at 11
// stops, orange (losses) to purple (gains).
var puOr = [][3]uint8{
	{127, 59, 8}, {179, 88, 6}, {224, 130, 20}, {253, 184, 99}, {254, 224, 182},
	{247, 247, 247}, {216, 218, 235}, {178, 171, 210}, {128, 115, 172}, {84, 39, 136}, {45, 0, 75},
}

// noDataColour fills territories without a value.
const noDataColour = "#d9d9d9"

// ramp returns the colour at t in [0, 1] (clamped) on a scale of stops,
// interpolated linearly, as #rrggbb.
func ramp(stops [][3]uint8, t float64) string {
	if math.IsNaN(t) {
		return noDataColour
	}
	t = math.Max(0, math.Min(1, t))
	f := t * float64(len(stops)-1)
	i := int(f)
	if i >= len(stops)-1 {
		i = len(stops) - 2
	}
	u := f - float64(i)
	var c [3]uint8
	for k := 0; k < 3; k++ {
		c[k] = uint8(math.Round(float64(stops[i][k])*(1-u) + float64(stops[i+1][k])*u))
	}
	return fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2])
}

// categoryColours are the Okabe-Ito colours (colour-blind safe), for
// service point categories in order.
var categoryColours = []string{"#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#000000"}

func categoryColour(k int) string { return categoryColours[k%len(categoryColours)] }
