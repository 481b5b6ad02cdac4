package coverage

import (
	"math"
	"math/big"

	"github.com/paulmach/orb"
	"github.com/twpayne/go-geos"
)

// This file locates points in a territory without a GEOS call: a cgo
// call, a GEOS point that only a Go collection frees (GEOS 3.11 has no
// working PrepGeom.ContainsXY) and two predicates per candidate cost
// 1.6 µs a cell and level, as much as routing the cell (the x10 Porto
// Alegre grid). areaLocator answers what the prepared geometry answers:
// GEOS's prepared polygons locate a point with IndexedPointInAreaLocator,
// a RayCrossingCounter over every segment of every ring whose y-interval
// holds the point, and Contains is INTERIOR, Covers not EXTERIOR.

// location is where a point lies with respect to an area.
type location uint8

const (
	exterior location = iota
	boundary
	interior
)

// segment is one edge of a ring, from (x1, y1) to (x2, y2).
type segment struct{ x1, y1, x2, y2 float64 }

// areaLocator holds the segments of a polygonal geometry's rings by bands
// of latitude: a point is tested against the segments of its band only,
// which hold every segment whose y-interval contains it.
type areaLocator struct {
	minY, maxY, scale float64
	off               []int32 // band b's segments are seg[off[b]:off[b+1]]
	seg               []segment
}

// locatorOf returns the locator of a territory's GEOS geometry, nil when
// it is not a polygon or a multipolygon.
func locatorOf(g *geos.Geom) *areaLocator {
	o, err := fromGEOS(g)
	if err != nil {
		return nil
	}
	switch o := o.(type) {
	case orb.Polygon:
		return newAreaLocator(orb.MultiPolygon{o})
	case orb.MultiPolygon:
		return newAreaLocator(o)
	}
	return nil
}

// newAreaLocator returns the locator of mp's rings (rings as GEOS holds
// them: closed, first point repeated last).
func newAreaLocator(mp orb.MultiPolygon) *areaLocator {
	var all []segment
	l := &areaLocator{minY: math.Inf(1), maxY: math.Inf(-1)}
	for _, p := range mp {
		for _, r := range p {
			for i := 1; i < len(r); i++ {
				s := segment{r[i-1][0], r[i-1][1], r[i][0], r[i][1]}
				all = append(all, s)
				l.minY = math.Min(l.minY, math.Min(s.y1, s.y2))
				l.maxY = math.Max(l.maxY, math.Max(s.y1, s.y2))
			}
		}
	}
	bands := max(1, len(all)/4)
	if len(all) == 0 || !(l.maxY > l.minY) {
		bands = 1
	} else {
		l.scale = float64(bands) / (l.maxY - l.minY)
	}
	// Counting sort of the segments into every band they cross.
	l.off = make([]int32, bands+1)
	for _, s := range all {
		lo, hi := l.band(math.Min(s.y1, s.y2)), l.band(math.Max(s.y1, s.y2))
		for b := lo; b <= hi; b++ {
			l.off[b+1]++
		}
	}
	for b := range bands {
		l.off[b+1] += l.off[b]
	}
	l.seg = make([]segment, l.off[bands])
	next := append([]int32(nil), l.off[:bands]...)
	for _, s := range all {
		lo, hi := l.band(math.Min(s.y1, s.y2)), l.band(math.Max(s.y1, s.y2))
		for b := lo; b <= hi; b++ {
			l.seg[next[b]] = s
			next[b]++
		}
	}
	return l
}

// band returns the band of latitude y, which must lie within [minY, maxY]
// (a segment's, or a point's that was checked): monotone in y, so that a
// segment is in the band of every y between its ends.
func (l *areaLocator) band(y float64) int {
	b := int((y - l.minY) * l.scale)
	return min(max(b, 0), len(l.off)-2)
}

// locate returns where (x, y) lies: RayCrossingCounter's count of the
// segments crossing the ray from the point eastward, and whether it lies
// on a segment.
func (l *areaLocator) locate(x, y float64) location {
	if !(y >= l.minY && y <= l.maxY) || math.IsNaN(x) || math.IsInf(x, 0) {
		return exterior // (a polygon is finite)
	}
	b := l.band(y)
	crossings := 0
	for _, s := range l.seg[l.off[b]:l.off[b+1]] {
		if s.x1 < x && s.x2 < x {
			continue // strictly west of the point
		}
		if x == s.x2 && y == s.y2 {
			return boundary // a vertex
		}
		if s.y1 == y && s.y2 == y {
			// Horizontal: the point may lie on it; never a crossing.
			if x >= math.Min(s.x1, s.x2) && x <= math.Max(s.x1, s.x2) {
				return boundary
			}
			continue
		}
		// An upward segment holds its first end, a downward one its last.
		if s.y1 > y && s.y2 <= y || s.y2 > y && s.y1 <= y {
			sign := orientation(s.x1, s.y1, s.x2, s.y2, x, y)
			if sign == 0 {
				return boundary
			}
			if s.y2 < s.y1 {
				sign = -sign
			}
			if sign > 0 {
				crossings++
			}
		}
	}
	if crossings%2 == 1 {
		return interior
	}
	return exterior
}

// orientation returns the side of (qx, qy) relative to the line from
// (ax, ay) to (bx, by): 1 on the left, -1 on the right, 0 on it, exactly.
// GEOS's filter decides in doubles where the error bound allows it (the
// sign is then exact); the rest is computed in rationals, where GEOS uses
// double-doubles, which give the same sign unless the point lies within
// about 1e-30 relative of the line without being on it.
func orientation(ax, ay, bx, by, qx, qy float64) int {
	detLeft := (ax - qx) * (by - qy)
	detRight := (ay - qy) * (bx - qx)
	det := detLeft - detRight
	var detSum float64
	switch {
	case detLeft > 0:
		if detRight <= 0 {
			return signum(det)
		}
		detSum = detLeft + detRight
	case detLeft < 0:
		if detRight >= 0 {
			return signum(det)
		}
		detSum = -detLeft - detRight
	default:
		return signum(det)
	}
	const safeEpsilon = 1e-15 // GEOS's DP_SAFE_EPSILON
	if errBound := safeEpsilon * detSum; det >= errBound || -det >= errBound {
		return signum(det)
	}
	return orientationExact(ax, ay, bx, by, qx, qy)
}

// orientationExact is orientation in rational arithmetic.
func orientationExact(ax, ay, bx, by, qx, qy float64) int {
	r := func(v float64) *big.Rat { return new(big.Rat).SetFloat64(v) }
	dx1 := new(big.Rat).Sub(r(bx), r(ax))
	dy1 := new(big.Rat).Sub(r(by), r(ay))
	dx2 := new(big.Rat).Sub(r(qx), r(bx))
	dy2 := new(big.Rat).Sub(r(qy), r(by))
	m1 := new(big.Rat).Mul(dx1, dy2)
	m2 := new(big.Rat).Mul(dy1, dx2)
	return m1.Cmp(m2)
}

func signum(v float64) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}
