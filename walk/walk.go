// Package walk is the walking seam of vingt: every walk of a journey — the
// access from an origin to stops, transfers between stops, the egress from
// stops to service points and the walk-only trip — is asked of a Walker,
// never computed in place. CrowFly, the great-circle distance times a
// detour factor at a constant speed, is the default Walker; a street
// network walker plugs in behind the same interface.
//
// Times are whole seconds, rounded up; Unreached marks a place beyond the
// limit asked.
package walk

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/vingt/vingt/gtfs"
)

// Unreached is the walk time of a place beyond the limit of a query.
const Unreached int32 = math.MaxInt32

// Place is a point on the sphere, in decimal degrees. A place with a NaN
// coordinate is never reached.
type Place struct {
	Lat, Lon float64
}

// Valid tells whether p is a latitude and a longitude.
func (p Place) Valid() bool {
	return p.Lat >= -90 && p.Lat <= 90 && p.Lon >= -180 && p.Lon <= 180
}

// Hit is a place of an Index, by its position in the indexed slice, and
// the walk to or from it in seconds.
type Hit struct {
	Place   int32
	Seconds int32
}

// Walker computes walks between places. Implementations are safe for
// concurrent use.
type Walker interface {
	// Index prepares the places for the queries of an Index. The slice is
	// kept: the caller must not change it afterwards.
	Index(places []Place) Index
	// Walk returns the walk from a to b in seconds and the metres walked,
	// or Unreached when it takes more than max seconds.
	Walk(a, b Place, max int32) (seconds int32, metres float64)
	// Reach returns how far from its start, as the crow flies, a walk of
	// the given seconds can end at most, in metres: the radius within
	// which everything reached must lie.
	Reach(seconds int32) float64
	// Describe names the walker and its parameters for the manifest.
	Describe() string
}

// Index answers walks between any place and a fixed set of places. It is
// safe for concurrent use.
type Index interface {
	// Within appends to dst the indexed places within max seconds of
	// walking from p, sorted by place index.
	Within(p Place, max int32, dst []Hit) []Hit
	// WithinMetres appends to dst the indexed places within the given
	// walking distance of p, sorted by place index, with their walk
	// seconds.
	WithinMetres(p Place, metres float64, dst []Hit) []Hit
	// Nearest returns the walk in seconds from p to the nearest indexed
	// place, or Unreached when none is within max seconds.
	Nearest(p Place, max int32) int32
}

// CrowFly walks in straight lines: the great-circle distance (gtfs.Distance,
// the sphere the feeds are interpolated on) times Detour, at Speed.
type CrowFly struct {
	// Speed is the walking speed in metres per second.
	Speed float64
	// Detour multiplies crow-fly distances into walked distances (≥ 1).
	Detour float64
}

// NewCrowFly returns a crow-fly walker after checking its parameters.
func NewCrowFly(speed, detour float64) (CrowFly, error) {
	switch {
	case !(speed > 0) || math.IsInf(speed, 0):
		return CrowFly{}, fmt.Errorf("walk: walk speed %v m/s: must be positive", speed)
	case !(detour >= 1) || math.IsInf(detour, 0):
		return CrowFly{}, fmt.Errorf("walk: detour %v: must be at least 1", detour)
	}
	return CrowFly{Speed: speed, Detour: detour}, nil
}

// Seconds returns the time to walk a crow-fly distance in metres:
// ceil(metres × Detour / Speed), saturated at Unreached.
func (c CrowFly) Seconds(metres float64) int32 {
	s := math.Ceil(metres * c.Detour / c.Speed)
	if !(s < float64(Unreached)) {
		return Unreached
	}
	return int32(s)
}

// Walk implements Walker.
func (c CrowFly) Walk(a, b Place, max int32) (int32, float64) {
	d := gtfs.Distance(a.Lat, a.Lon, b.Lat, b.Lon)
	if s := c.Seconds(d); s <= max && a.Valid() && b.Valid() {
		return s, d * c.Detour
	}
	return Unreached, math.Inf(1)
}

// Reach implements Walker.
func (c CrowFly) Reach(seconds int32) float64 {
	return float64(seconds) * c.Speed / c.Detour
}

// Describe implements Walker.
func (c CrowFly) Describe() string {
	return fmt.Sprintf("crow-fly × %g at %g m/s", c.Detour, c.Speed)
}

// Index implements Walker: the places go into buckets of about 500 m.
func (c CrowFly) Index(places []Place) Index {
	ix := &crowIndex{c: c, places: places, cellDeg: 0.005, buckets: map[[2]int32][]int32{}}
	for i, p := range places {
		if p.Valid() {
			k := ix.key(p.Lat, p.Lon)
			ix.buckets[k] = append(ix.buckets[k], int32(i))
		}
	}
	return ix
}

// crowIndex is the bucket grid of a crow-fly Index.
type crowIndex struct {
	c       CrowFly
	places  []Place
	cellDeg float64
	buckets map[[2]int32][]int32
}

func (ix *crowIndex) key(lat, lon float64) [2]int32 {
	return [2]int32{int32(math.Floor(lon / ix.cellDeg)), int32(math.Floor(lat / ix.cellDeg))}
}

// visit calls fn with every indexed place within metres of p, and its
// crow-fly distance.
func (ix *crowIndex) visit(p Place, metres float64, fn func(i int32, d float64)) {
	if !p.Valid() || !(metres >= 0) {
		return
	}
	// A search wider than the Earth is the whole index.
	metres = math.Min(metres, math.Pi*6371000)
	dy := int32(math.Ceil(metres/111000/ix.cellDeg)) + 1
	cos := math.Max(math.Cos(p.Lat*math.Pi/180), 0.01)
	dx := int32(math.Ceil(metres/111000/cos/ix.cellDeg)) + 1
	if n := int64(2*dx+1) * int64(2*dy+1); n > int64(4*len(ix.buckets)+16) {
		// Fewer buckets than cells to look at: look at the buckets.
		for _, b := range ix.buckets {
			for _, i := range b {
				q := ix.places[i]
				if d := gtfs.Distance(p.Lat, p.Lon, q.Lat, q.Lon); d <= metres {
					fn(i, d)
				}
			}
		}
		return
	}
	k := ix.key(p.Lat, p.Lon)
	for x := k[0] - dx; x <= k[0]+dx; x++ {
		for y := k[1] - dy; y <= k[1]+dy; y++ {
			for _, i := range ix.buckets[[2]int32{x, y}] {
				q := ix.places[i]
				if d := gtfs.Distance(p.Lat, p.Lon, q.Lat, q.Lon); d <= metres {
					fn(i, d)
				}
			}
		}
	}
}

// Within implements Index.
func (ix *crowIndex) Within(p Place, max int32, dst []Hit) []Hit {
	if max < 0 {
		return dst
	}
	start := len(dst)
	// One metre more than the walk allows, for rounding: the seconds
	// decide.
	ix.visit(p, ix.c.Reach(max)+1, func(i int32, d float64) {
		if w := ix.c.Seconds(d); w <= max {
			dst = append(dst, Hit{Place: i, Seconds: w})
		}
	})
	slices.SortFunc(dst[start:], func(a, b Hit) int { return cmp.Compare(a.Place, b.Place) })
	return dst
}

// WithinMetres implements Index: the crow-fly distance is within metres.
func (ix *crowIndex) WithinMetres(p Place, metres float64, dst []Hit) []Hit {
	start := len(dst)
	ix.visit(p, metres, func(i int32, d float64) {
		dst = append(dst, Hit{Place: i, Seconds: ix.c.Seconds(d)})
	})
	slices.SortFunc(dst[start:], func(a, b Hit) int { return cmp.Compare(a.Place, b.Place) })
	return dst
}

// Nearest implements Index.
func (ix *crowIndex) Nearest(p Place, max int32) int32 {
	best := Unreached
	if max < 0 {
		return best
	}
	ix.visit(p, ix.c.Reach(max)+1, func(_ int32, d float64) {
		if w := ix.c.Seconds(d); w <= max && w < best {
			best = w
		}
	})
	return best
}
