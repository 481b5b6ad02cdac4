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
	"math/bits"
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

// Index implements Walker: the places go into latitude bands of about
// 550 m, each sorted by longitude, in flat arrays; a query looks at the
// bands its radius crosses and, in each, at the longitudes it spans, and
// allocates nothing beyond what it appends to dst.
func (c CrowFly) Index(places []Place) Index {
	ix := &crowIndex{c: c}
	order := make([]int32, 0, len(places))
	for i, p := range places {
		if p.Valid() {
			order = append(order, int32(i))
		}
	}
	if len(order) == 0 {
		ix.off = []int32{0}
		return ix
	}
	// Sorted by (band, longitude, index), each place's band computed
	// once rather than at every comparison.
	keys := make([]placeKey, len(order))
	for k, i := range order {
		keys[k] = placeKey{band: bandOf(places[i].Lat), lon: places[i].Lon, id: i}
	}
	slices.SortFunc(keys, func(a, b placeKey) int {
		if c := cmp.Compare(a.band, b.band); c != 0 {
			return c
		}
		if c := cmp.Compare(a.lon, b.lon); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	for k := range keys {
		order[k] = keys[k].id
	}
	band := func(i int32) int32 { return bandOf(places[i].Lat) }
	ix.minBand = band(order[0])
	nb := band(order[len(order)-1]) - ix.minBand + 1
	ix.off = make([]int32, nb+1)
	ix.lon = make([]float64, len(order))
	ix.lat = make([]float64, len(order))
	ix.rad = make([]float64, len(order))
	ix.cos = make([]float64, len(order))
	ix.half = make([]halfAngles, len(order))
	ix.id = order
	for k, i := range order {
		p := places[i]
		ix.off[band(i)-ix.minBand+1]++
		ix.lon[k], ix.lat[k] = p.Lon, p.Lat
		ix.rad[k] = p.Lat * math.Pi / 180
		ix.cos[k] = math.Cos(ix.rad[k])
		ix.half[k] = halves(p)
	}
	for b := range nb {
		ix.off[b+1] += ix.off[b]
	}
	return ix
}

// placeKey is the order of the places of a crow-fly index.
type placeKey struct {
	band int32
	lon  float64
	id   int32
}

// bandDeg is the height of a latitude band of a crow-fly index.
const bandDeg = 0.005

func bandOf(lat float64) int32 { return int32(math.Floor((lat + 90) / bandDeg)) }

// crowIndex is the band index of a crow-fly Index: band b (counted from
// minBand) holds the places off[b]:off[b+1] of the parallel arrays, by
// increasing longitude.
type crowIndex struct {
	c        CrowFly
	minBand  int32
	off      []int32
	lon, lat []float64
	rad, cos []float64 // latitude in radians and its cosine
	half     []halfAngles
	id       []int32
}

// halfAngles holds the sines and cosines of half a place's latitude and
// longitude (in radians): the fast distance (near) gets the sines of
// half the differences from them by sin(a−b) = sin a cos b − cos a sin b,
// two products instead of a sine.
type halfAngles struct {
	sLat, cLat, sLon, cLon float64
}

func halves(p Place) halfAngles {
	sLat, cLat := math.Sincos(p.Lat * math.Pi / 180 / 2)
	sLon, cLon := math.Sincos(p.Lon * math.Pi / 180 / 2)
	return halfAngles{sLat: sLat, cLat: cLat, sLon: sLon, cLon: cLon}
}

// earthR is the radius of gtfs.Distance's sphere.
const earthR = 6371000

// query is the part of a search that does not depend on the place
// looked at: where the query is and how far it reaches.
type query struct {
	lat, lon, rad, cos float64
	metres             float64
	aMax               float64 // haversine term beyond which a place is surely out of reach
	dLat               float64 // degrees of latitude beyond which a place is surely out of reach
	half               halfAngles
	// aFar is the fast haversine term (near) beyond which the exact one
	// is surely above aMax.
	aFar float64
}

// span prepares a query of the places within metres of p: the bands it
// crosses and the half-width in longitude it spans (360: all), both
// widened for rounding; ok is false when nothing can be reached.
func (ix *crowIndex) span(p Place, metres float64) (q query, bLo, bHi int32, dLon float64, ok bool) {
	if !p.Valid() || !(metres >= 0) || len(ix.id) == 0 {
		return q, 0, 0, 0, false
	}
	metres = math.Min(metres, math.Pi*earthR)
	delta := metres / earthR // angular radius, radians
	q = query{lat: p.Lat, lon: p.Lon, rad: p.Lat * math.Pi / 180, metres: metres}
	q.cos = math.Cos(q.rad)
	s := math.Sin(math.Min(delta/2, math.Pi/2))
	q.aMax = s*s*(1+1e-9) + 1e-15
	q.half = halves(p)
	xFar := math.Sqrt(q.aMax) + 2*nearErr
	q.aFar = xFar * xFar * (1 + 1e-12)
	// Latitudes within δ, with a margin for rounding.
	dLat := delta*180/math.Pi*(1+1e-9) + 1e-9
	q.dLat = dLat
	bLo = max(bandOf(math.Max(p.Lat-dLat, -90)), ix.minBand)
	bHi = min(bandOf(math.Min(p.Lat+dLat, 90)), ix.minBand+int32(len(ix.off))-2)
	// Longitudes: asin(sin δ / cos φ), or all of them when the cap
	// reaches a pole.
	dLon = 360
	if abs := math.Abs(p.Lat) + delta*180/math.Pi; abs < 89.999 {
		if x := math.Sin(delta) / math.Cos(q.rad); x < 0.999999 {
			dLon = math.Asin(x)*180/math.Pi*(1+1e-9) + 1e-9
		}
	}
	return q, bLo, bHi, dLon, bLo <= bHi
}

// ranges returns the positions of band b whose longitudes lie within
// dLon of lon: one or two (across the antimeridian) runs.
func (ix *crowIndex) ranges(b int32, lon, dLon float64) (lo1, hi1, lo2, hi2 int) {
	lo, hi := int(ix.off[b-ix.minBand]), int(ix.off[b-ix.minBand+1])
	if dLon >= 180 {
		return lo, hi, 0, 0
	}
	lons := ix.lon[lo:hi]
	west, east := lon-dLon, lon+dLon
	switch {
	case west < -180:
		a, _ := slices.BinarySearch(lons, west+360)
		b := upper(lons, east)
		return lo + a, hi, lo, lo + b
	case east > 180:
		a, _ := slices.BinarySearch(lons, west)
		b := upper(lons, east-360)
		return lo + a, hi, lo, lo + b
	}
	a, _ := slices.BinarySearch(lons, west)
	b2 := upper(lons, east)
	return lo + a, lo + b2, 0, 0
}

// upper returns the number of values ≤ x in the sorted slice.
func upper(s []float64, x float64) int {
	lo, hi := 0, len(s)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if s[m] <= x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// dist returns the crow-fly distance from the query to place k, or +Inf
// when it is surely beyond the query's metres (the haversine term alone
// tells, before the arcsine).
func (ix *crowIndex) dist(q *query, k int) float64 {
	// The bands overshoot the radius by up to a band: their places
	// beyond it in latitude alone are out, without a sine.
	if math.Abs(ix.lat[k]-q.lat) > q.dLat {
		return math.Inf(1)
	}
	dp, dl := (ix.rad[k]-q.rad)/2, (ix.lon[k]-q.lon)*math.Pi/180/2
	sp, sl := math.Sin(dp), math.Sin(dl)
	a := sp*sp + q.cos*ix.cos[k]*sl*sl
	if a > q.aMax {
		return math.Inf(1)
	}
	// The exact figure, as every other walk computes it: a is
	// gtfs.Distance's haversine term, to the bit (the same sines and
	// cosines of the same values, multiplied in the same order), so
	// only its last step remains (TestDistMatchesGTFS).
	return gtfs.HaversineMetres(a)
}

// nearErr bounds how far √a of near's haversine term can be from √a of
// dist's (the exact one, gtfs.Distance's): both are sines of half angles
// within a few units in the last place (~1e-16) of each other, squared
// and summed (√ of a sum of squares moves by at most the moves of its
// terms), so a few 1e-16; nearErr is 1e-12, thousands of times that
// (TestNearMatchesDist measures the largest gap).
const nearErr = 1e-12

// nearMax is the √a (about 127 km) below which near's distance is used:
// the arcsine's series to x⁵ is then within 1e-15 relative of it.
const nearMax = 0.01

// nearTol is how far near's metres can be from dist's: 2R × nearErr (the
// arcsine's slope is below 1.0001 under nearMax), plus the roundings of
// both figures (~1e-11 m at 127 km), with a margin.
const nearTol = 2 * earthR * nearErr * 1.01

// nearA returns the haversine term of place k from the query, from the
// half angles' sines and cosines (no sine computed): within nearErr in √a
// of dist's.
func (ix *crowIndex) nearA(q *query, k int) float64 {
	h := &ix.half[k]
	sp := h.sLat*q.half.cLat - h.cLat*q.half.sLat
	sl := h.sLon*q.half.cLon - h.cLon*q.half.sLon
	return sp*sp + q.cos*ix.cos[k]*sl*sl
}

// nearMetres returns the distance of haversine term a, within nearTol of
// dist's when the a is near's, or -1 when √a is at or beyond nearMax
// (the caller then asks dist).
func nearMetres(a float64) float64 {
	x := math.Sqrt(a)
	if !(x < nearMax) {
		return -1
	}
	// asin x = x (1 + x²/6 + 3x⁴/40 + …): the next term, 5x⁶/112, is
	// below 5e-14 relative under nearMax.
	return 2 * earthR * x * (1 + a*(1.0/6+a*(3.0/40)))
}

// secondsNear returns the walk to place k, as dist and Seconds give it,
// and whether it is within q.metres; it computes the exact distance
// (dist: two sines and an arcsine) only when near's figure, within
// nearTol, cannot tell.
func (ix *crowIndex) secondsNear(q *query, k int) (int32, bool) {
	if math.Abs(ix.lat[k]-q.lat) > q.dLat {
		return Unreached, false // beyond the radius in latitude alone
	}
	a := ix.nearA(q, k)
	if a > q.aFar {
		return Unreached, false // the exact term is above aMax
	}
	if d := nearMetres(a); d >= 0 {
		if d-nearTol > q.metres {
			return Unreached, false
		}
		if d+nearTol <= q.metres {
			if w := ix.c.Seconds(d - nearTol); w == ix.c.Seconds(d+nearTol) {
				return w, true // the exact distance's seconds too
			}
		}
	}
	if d := ix.dist(q, k); d <= q.metres {
		return ix.c.Seconds(d), true
	}
	return Unreached, false
}

// Within implements Index.
func (ix *crowIndex) Within(p Place, max int32, dst []Hit) []Hit {
	start := len(dst)
	return sortHitsFrom(ix.withinAnyOrder(p, max, dst), start)
}

// withinAnyOrder is Within in the index's own order (see WithinAnyOrder).
func (ix *crowIndex) withinAnyOrder(p Place, max int32, dst []Hit) []Hit {
	if max < 0 {
		return dst
	}
	// One metre more than the walk allows, for rounding: the seconds
	// decide.
	q, bLo, bHi, dLon, ok := ix.span(p, ix.c.Reach(max)+1)
	if !ok {
		return dst
	}
	return ix.within(&q, bLo, bHi, dLon, max, dst)
}

// WithinAnyOrder is ix.Within without the sort: the same hits, in an order
// of the index's choosing (the same for the same index and place), where
// that is faster. For callers whose result does not depend on the order.
func WithinAnyOrder(ix Index, p Place, max int32, dst []Hit) []Hit {
	if a, ok := ix.(interface {
		withinAnyOrder(Place, int32, []Hit) []Hit
	}); ok {
		return a.withinAnyOrder(p, max, dst)
	}
	return ix.Within(p, max, dst)
}

// within appends the places within q.metres and max seconds, in the
// index's order (bands, then longitude).
func (ix *crowIndex) within(q *query, bLo, bHi int32, dLon float64, max int32, dst []Hit) []Hit {
	for b := bLo; b <= bHi; b++ {
		lo1, hi1, lo2, hi2 := ix.ranges(b, q.lon, dLon)
		for _, r := range [2][2]int{{lo1, hi1}, {lo2, hi2}} {
			for k := r[0]; k < r[1]; k++ {
				if w, in := ix.secondsNear(q, k); in && w <= max {
					dst = append(dst, Hit{Place: ix.id[k], Seconds: w})
				}
			}
		}
	}
	return dst
}

// sortHitsFrom sorts the hits of dst from start on by place index.
func sortHitsFrom(dst []Hit, start int) []Hit {
	n := len(dst) - start
	if n < radixMin {
		sortHits(dst[start:])
		return dst
	}
	// The scratch of the radix sort: dst's room beyond its hits (grown
	// once, then reused by a caller that passes dst back).
	dst = slices.Grow(dst, n)
	radixHits(dst[start:], dst[len(dst):len(dst)+n])
	return dst
}

// WithinMetres implements Index: the crow-fly distance is within metres.
func (ix *crowIndex) WithinMetres(p Place, metres float64, dst []Hit) []Hit {
	q, bLo, bHi, dLon, ok := ix.span(p, metres)
	if !ok {
		return dst
	}
	// span caps metres at half the circumference, which no distance
	// exceeds: q.metres decides as metres would.
	start := len(dst)
	return sortHitsFrom(ix.within(&q, bLo, bHi, dLon, Unreached, dst), start)
}

// Nearest implements Index. It looks within a few hundred metres first and
// widens the radius fourfold until a place is found (the nearest place is
// then within the radius searched), and computes the exact distance only
// of places that near cannot place surely.
func (ix *crowIndex) Nearest(p Place, max int32) int32 {
	if max < 0 {
		return Unreached
	}
	full := ix.c.Reach(max) + 1
	for r := math.Min(250, full); ; r = math.Min(4*r, full) {
		if best := ix.nearestWithin(p, r, max); best != Unreached || r >= full {
			return best
		}
	}
}

// nearestWithin is the walk to the nearest place within metres of p and
// within max seconds, or Unreached.
func (ix *crowIndex) nearestWithin(p Place, metres float64, max int32) int32 {
	best := Unreached
	q, bLo, bHi, dLon, ok := ix.span(p, metres)
	if !ok {
		return best
	}
	for b := bLo; b <= bHi; b++ {
		lo1, hi1, lo2, hi2 := ix.ranges(b, q.lon, dLon)
		for _, r := range [2][2]int{{lo1, hi1}, {lo2, hi2}} {
			for k := r[0]; k < r[1]; k++ {
				if math.Abs(ix.lat[k]-q.lat) > q.dLat {
					continue // beyond the radius in latitude alone
				}
				a := ix.nearA(&q, k)
				if a > q.aFar {
					continue
				}
				if d := nearMetres(a); d >= 0 {
					if d-nearTol > q.metres {
						continue
					}
					// The exact walk is at least this: a place that
					// cannot beat the best is passed over.
					lo := ix.c.Seconds(d - nearTol)
					if lo >= best || lo > max {
						continue
					}
					if d+nearTol <= q.metres && lo == ix.c.Seconds(d+nearTol) {
						best = lo
						continue
					}
				}
				if d := ix.dist(&q, k); d <= q.metres {
					if w := ix.c.Seconds(d); w <= max && w < best {
						best = w
					}
				}
			}
		}
	}
	return best
}

// radixMin is the number of hits from which within sorts them by radix:
// fewer are sorted faster by sortHits.
const radixMin = 48

// radixHits sorts hits by place as sortHits does (the places are
// distinct), by two stable passes of counting sort on the low and high
// bytes of place − the least place, through tmp (as long as h); hits
// spread over 65,536 places or more go to sortHits. A city's walk finds
// some sixty stops per cell, which quicksort compares with a branch it
// mispredicts half the time.
func radixHits(h, tmp []Hit) {
	lo, hi := h[0].Place, h[0].Place
	for _, x := range h[1:] {
		lo, hi = min(lo, x.Place), max(hi, x.Place)
	}
	if int64(hi)-int64(lo) >= 1<<16 {
		sortHits(h)
		return
	}
	var c0, c1 [257]int32
	for _, x := range h {
		k := uint32(x.Place - lo)
		c0[k&255+1]++
		c1[k>>8+1]++
	}
	for i := range 256 {
		c0[i+1] += c0[i]
		c1[i+1] += c1[i]
	}
	for _, x := range h {
		k := uint32(x.Place-lo) & 255
		tmp[c0[k]] = x
		c0[k]++
	}
	for _, x := range tmp {
		k := uint32(x.Place-lo) >> 8
		h[c1[k]] = x
		c1[k]++
	}
}

// sortHits sorts hits by place, as slices.SortFunc would (the places of
// one query are distinct, so the order is the same whatever the sort),
// without its comparison calls: a query of a city's walk sorts tens of
// hits per cell. Quicksort, insertion sort below 16 hits, and
// slices.SortFunc where the quicksort goes too deep.
func sortHits(h []Hit) {
	for depth := 2 * bits.Len(uint(len(h))); len(h) > 16; depth-- {
		if depth == 0 {
			slices.SortFunc(h, func(a, b Hit) int { return cmp.Compare(a.Place, b.Place) })
			return
		}
		// Median of three as the pivot, then Hoare's partition.
		m, last := len(h)/2, len(h)-1
		if h[m].Place < h[0].Place {
			h[m], h[0] = h[0], h[m]
		}
		if h[last].Place < h[0].Place {
			h[last], h[0] = h[0], h[last]
		}
		if h[last].Place < h[m].Place {
			h[last], h[m] = h[m], h[last]
		}
		pivot := h[m].Place
		i, j := 0, last
		for i <= j {
			for h[i].Place < pivot {
				i++
			}
			for h[j].Place > pivot {
				j--
			}
			if i <= j {
				h[i], h[j] = h[j], h[i]
				i++
				j--
			}
		}
		// Recurse into the smaller side, loop on the larger.
		if j+1 < len(h)-i {
			sortHits(h[:j+1])
			h = h[i:]
		} else {
			sortHits(h[i:])
			h = h[:j+1]
		}
	}
	for i := 1; i < len(h); i++ {
		x := h[i]
		j := i
		for ; j > 0 && h[j-1].Place > x.Place; j-- {
			h[j] = h[j-1]
		}
		h[j] = x
	}
}
