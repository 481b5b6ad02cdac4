package gtfs

import (
	"fmt"
	"slices"
)

// Extent is a box of latitudes and longitudes, in degrees.
type Extent struct {
	MinLat, MinLon, MaxLat, MaxLon float64
}

// Contains reports whether the place lies in the box.
func (e Extent) Contains(lat, lon float64) bool {
	return lat >= e.MinLat && lat <= e.MaxLat && lon >= e.MinLon && lon <= e.MaxLon
}

// String writes the box as "lat,lon – lat,lon" (south-west, north-east).
func (e Extent) String() string {
	return fmt.Sprintf("%.4f,%.4f – %.4f,%.4f", e.MinLat, e.MinLon, e.MaxLat, e.MaxLon)
}

// extentMargin widens an extent, in degrees (about 10 km of latitude).
const extentMargin = 0.1

// StopsExtent returns the box of the feeds' stops with coordinates, from
// the 1st to the 99th percentile of their latitudes and of their longitudes
// (so that a few misplaced stops do not stretch it), widened by 0.1°; ok is
// false when no stop has coordinates.
func StopsExtent(feeds ...*Feed) (e Extent, ok bool) {
	var lats, lons []float64
	for _, f := range feeds {
		for _, s := range f.Stops {
			if s.HasCoords {
				lats, lons = append(lats, s.Lat), append(lons, s.Lon)
			}
		}
	}
	if len(lats) == 0 {
		return e, false
	}
	slices.Sort(lats)
	slices.Sort(lons)
	lo, hi := len(lats)/100, len(lats)-1-len(lats)/100
	return Extent{MinLat: lats[lo] - extentMargin, MinLon: lons[lo] - extentMargin,
		MaxLat: lats[hi] + extentMargin, MaxLon: lons[hi] + extentMargin}, true
}

// SwappedStops returns the stops of f that lie outside e but whose
// coordinates, read the other way round (stop_lat as the longitude and
// stop_lon as the latitude), fall inside it: a latitude and a longitude
// swapped.
func SwappedStops(f *Feed, e Extent) []Stop {
	var out []Stop
	for _, s := range f.Stops {
		if s.HasCoords && !e.Contains(s.Lat, s.Lon) && e.Contains(s.Lon, s.Lat) {
			out = append(out, s)
		}
	}
	return out
}

// SwappedStopsKind is the kind of the warning that names swapped stops.
const SwappedStopsKind = "stop_lat and stop_lon swapped (the swapped place lies among the feed's stops)"

// WarnSwappedStops adds to f's warnings the stops whose latitude and
// longitude look swapped (SwappedStops over the feed's own extent), and
// returns how many.
func WarnSwappedStops(f *Feed) int {
	e, ok := StopsExtent(f)
	if !ok {
		return 0
	}
	sw := SwappedStops(f, e)
	for _, s := range sw {
		f.Warnings.Add(SwappedStopsKind, fmt.Sprintf("stop %s %q at %.6f,%.6f; swapped: %.6f,%.6f", s.ID, s.Name, s.Lat, s.Lon, s.Lon, s.Lat))
	}
	return len(sw)
}
