package streets

import (
	"math"

	"github.com/paulmach/orb"
)

// AppendReached appends to dst the parts of the street edges within
// maxMetres of the last search's sources, as [lon, lat] line strings: from
// each settled end of an edge as far as the remaining metres allow, and
// around each source along its own edge. Pieces may overlap; buffer and
// union them to draw an isochrone. maxMetres should not exceed the bound the
// search ran with (beyond it the search knows nothing). It visits every
// edge: meant for one-origin commands, not for hot loops.
func (s *Search) AppendReached(dst orb.MultiLineString, maxMetres float32) orb.MultiLineString {
	g := s.g
	for e, ed := range g.edge {
		u, v, l := ed.u, ed.v, ed.len
		ru, rv := maxMetres-s.dist[u], maxMetres-s.dist[v]
		switch {
		case ru >= 0 && rv >= 0 && ru+rv >= l:
			dst = append(dst, g.AppendShape(nil, int32(e)))
		default:
			if ru > 0 {
				dst = append(dst, g.appendPart(nil, int32(e), 0, min(ru, l)))
			}
			if rv > 0 {
				dst = append(dst, g.appendPart(nil, int32(e), max(l-rv, 0), l))
			}
		}
	}
	for _, src := range s.src {
		if r := maxMetres - src.cost; r > 0 {
			l := g.edge[src.edge].len
			dst = append(dst, g.appendPart(nil, src.edge, max(src.along-r, 0), min(src.along+r, l)))
		}
	}
	return dst
}

// LinkPoint returns the point of l's edge that l is linked to (the
// projection of the linked place), in degrees.
func (g *Graph) LinkPoint(l Link) (lat, lon float64) {
	if l.Edge < 0 || int(l.Edge) >= len(g.edge) {
		return math.NaN(), math.NaN()
	}
	p := g.appendPart(nil, l.Edge, l.ToU, l.ToU)
	if len(p) == 0 { // rounding put ToU past the shape's end
		v := l.V
		if l.ToU < g.edge[l.Edge].len/2 {
			v = l.U
		}
		return g.Vertex(v)
	}
	return p[0][1], p[0][0]
}

// appendPart appends the part of edge e's shape between from and to metres
// along it from its U end, cutting the end segments by linear interpolation.
func (g *Graph) appendPart(dst orb.LineString, e int32, from, to float32) orb.LineString {
	pt := func(i int32) orb.Point {
		lat, lon := g.point(e, i)
		return orb.Point{float64(lon) / fixScale, float64(lat) / fixScale}
	}
	lerp := func(a, b orb.Point, f float64) orb.Point {
		return orb.Point{a[0] + f*(b[0]-a[0]), a[1] + f*(b[1]-a[1])}
	}
	f, t := float64(from), float64(to)
	var at float64
	for i := g.shapeOff[e]; i+1 < g.shapeOff[e+1]; i++ {
		alat, alon := g.point(e, i)
		blat, blon := g.point(e, i+1)
		d := fixDist(alat, alon, blat, blon)
		a, b := pt(i), pt(i+1)
		next := at + d
		if next >= f && at <= t {
			if len(dst) == 0 {
				if d > 0 && f > at {
					dst = append(dst, lerp(a, b, (f-at)/d))
				} else {
					dst = append(dst, a)
				}
			}
			if next <= t {
				dst = append(dst, b)
			} else {
				if d > 0 {
					dst = append(dst, lerp(a, b, (t-at)/d))
				}
				break
			}
		}
		at = next
	}
	if len(dst) == 1 {
		dst = append(dst, dst[0])
	}
	return dst
}
