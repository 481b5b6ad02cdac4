// Package isochrone draws the area reached from one origin as polygons, per
// travel time cutoff. With the default crow-fly walker, Polygons draws the
// GEOS union of walkable disks around the origin and the places reached.
// On a street network (vingt isochrone --osm), StreetPolygons draws the
// union of StreetWidth-wide bands along the parts of street edges reached
// within the time left, from one multi-source street search per cutoff;
// places off the streets keep their crow-fly disks. The router does not
// depend on it.
package isochrone

// This file draws isochrone polygons with GEOS. The router does not depend
// on it: it only turns travel times into shapes, after routing.

import (
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/twpayne/go-geos"

	"github.com/vingt/vingt/walk"
)

// earthRadius is the radius of the sphere of Distance, in metres.
const earthRadius = 6371000

// DiskSegments is the number of sides of the polygon drawn for each
// walkable disk by Polygons: its vertices lie on the circle, so the polygon
// never claims a place farther than the walk allows (it misses at most
// 1 − cos(π/64) ≈ 0.12 % of the radius).
const DiskSegments = 64

// Reached is a place reached from the origin (a stop) and the travel time
// to it, in seconds.
type Reached struct {
	Lat, Lon float64
	Seconds  int32
}

// Polygons returns, for each cutoff (seconds), the area within that
// travel time of the origin point: the GEOS union of the walkable disks
// around the origin and around every reached place whose travel time is
// within the cutoff. A disk's radius is the walk allowed by the time left,
// w.Reach(min(cutoff − travel time, maxWalk)) metres around a reached
// place, and w.Reach(cutoff) around the origin (walking alone is bounded by
// the cutoff, not by maxWalk), so that a point
// inside is within the walk seconds the walker would give.
// Disks are drawn as DiskSegments-sided polygons in an azimuthal
// equidistant projection centred on the origin (exact distances from the
// origin, small distortion elsewhere at city scale), unioned there and
// projected back to WGS84 (orb points are lon, lat). Each result is a
// valid multipolygon, empty when the cutoff is negative or the walk is
// zero.
func Polygons(lat, lon float64, reached []Reached, cutoffs []int32, maxWalk int32, w walk.Walker) (out []orb.MultiPolygon, err error) {
	if maxWalk < 0 {
		return nil, fmt.Errorf("isochrone: polygons: max walk %d s: must not be negative", maxWalk)
	}
	if !validLatLon(lat, lon) {
		return nil, fmt.Errorf("isochrone: polygons: origin %v,%v: not a latitude and longitude", lat, lon)
	}
	for i, r := range reached {
		if !validLatLon(r.Lat, r.Lon) {
			return nil, fmt.Errorf("isochrone: polygons: place %d at %v,%v: not a latitude and longitude", i, r.Lat, r.Lon)
		}
	}
	defer func() {
		// go-geos panics on a GEOS exception.
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("isochrone: polygons: GEOS: %v", r)
		}
	}()
	proj := newAEQD(lat, lon)
	out = make([]orb.MultiPolygon, len(cutoffs))
	for i, c := range cutoffs {
		var disks []*geos.Geom
		add := func(x, y float64, left, maxLeft int32) {
			left = min(left, maxLeft)
			if left <= 0 {
				return
			}
			r := w.Reach(left)
			disks = append(disks, geos.NewPolygon([][][]float64{disk(x, y, r)}))
		}
		// Walking alone is bounded by the cutoff only, like any trip;
		// maxWalk bounds the walk after the last ride.
		add(0, 0, c, c)
		for _, r := range reached {
			if r.Seconds < 0 || r.Seconds >= c {
				continue
			}
			x, y := proj.forward(r.Lat, r.Lon)
			add(x, y, c-r.Seconds, maxWalk)
		}
		if len(disks) == 0 {
			out[i] = orb.MultiPolygon{}
			continue
		}
		u := geos.NewCollection(geos.TypeIDGeometryCollection, disks).UnaryUnion()
		if u == nil {
			return nil, errors.New("isochrone: polygons: union failed")
		}
		mp, err := proj.inverseMulti(u)
		if err != nil {
			return nil, err
		}
		out[i] = mp
	}
	return out, nil
}

func validLatLon(lat, lon float64) bool {
	return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180
}

// disk returns the closed ring of a DiskSegments-sided polygon inscribed in
// the circle of radius r around x, y, counter-clockwise.
func disk(x, y, r float64) [][]float64 {
	ring := make([][]float64, DiskSegments+1)
	for i := range DiskSegments {
		a := 2 * math.Pi * float64(i) / DiskSegments
		ring[i] = []float64{x + r*math.Cos(a), y + r*math.Sin(a)}
	}
	ring[DiskSegments] = ring[0]
	return ring
}

// aeqd is the spherical azimuthal equidistant projection centred on a
// point, in metres: x east, y north.
type aeqd struct {
	lat0, lon0       float64 // radians
	latDeg, lonDeg   float64 // the centre as given, for messages
	sinLat0, cosLat0 float64
}

func newAEQD(lat, lon float64) aeqd {
	p := aeqd{lat0: lat * math.Pi / 180, lon0: lon * math.Pi / 180, latDeg: lat, lonDeg: lon}
	p.sinLat0, p.cosLat0 = math.Sincos(p.lat0)
	return p
}

func (p aeqd) forward(lat, lon float64) (x, y float64) {
	phi, dl := lat*math.Pi/180, lon*math.Pi/180-p.lon0
	sinPhi, cosPhi := math.Sincos(phi)
	sinDl, cosDl := math.Sincos(dl)
	cosC := p.sinLat0*sinPhi + p.cosLat0*cosPhi*cosDl
	c := math.Acos(max(-1, min(1, cosC)))
	k := 1.0
	if s := math.Sin(c); s > 1e-12 {
		k = c / s
	}
	return earthRadius * k * cosPhi * sinDl, earthRadius * k * (p.cosLat0*sinPhi - p.sinLat0*cosPhi*cosDl)
}

func (p aeqd) inverse(x, y float64) (lat, lon float64) {
	rho := math.Hypot(x, y)
	if rho == 0 {
		return p.lat0 * 180 / math.Pi, p.lon0 * 180 / math.Pi
	}
	c := rho / earthRadius
	sinC, cosC := math.Sincos(c)
	phi := math.Asin(max(-1, min(1, cosC*p.sinLat0+y*sinC*p.cosLat0/rho)))
	lam := p.lon0 + math.Atan2(x*sinC, rho*p.cosLat0*cosC-y*p.sinLat0*sinC)
	return phi * 180 / math.Pi, lam * 180 / math.Pi
}

// PoleMargin is how close, in metres, an isochrone may come to a pole:
// Polygons and StreetPolygons refuse an origin whose area reached comes
// nearer. A polygon around a pole has no faithful longitude–latitude
// outline, and one within PoleMargin of it is distorted by the projection.
const PoleMargin = 10000

// inverseMulti projects a GEOS polygon or multipolygon back to WGS84 as a
// valid orb multipolygon, every longitude within [-180, 180]: a shape
// across the antimeridian is cut there into parts on each side. It refuses
// a shape that comes within PoleMargin of a pole. Away from the poles the
// projected longitudes are continuous: the antipodal meridian of the
// origin, where they wrap, is farther than the nearest pole.
func (p aeqd) inverseMulti(g *geos.Geom) (orb.MultiPolygon, error) {
	gm, err := wkb.Unmarshal(g.ToWKB())
	if err != nil {
		return nil, fmt.Errorf("isochrone: polygons: %w", err)
	}
	var mp orb.MultiPolygon
	switch v := gm.(type) {
	case orb.Polygon:
		mp = orb.MultiPolygon{v}
	case orb.MultiPolygon:
		mp = v
	default:
		return nil, fmt.Errorf("isochrone: polygons: union is a %T, want polygons", gm)
	}
	// The farthest vertex from the origin bounds the shape (its edges
	// are straight in the projection, so no point is farther).
	var reach float64
	for _, poly := range mp {
		for _, ring := range poly {
			for _, pt := range ring {
				reach = max(reach, math.Hypot(pt[0], pt[1]))
			}
		}
	}
	pole, toPole := "north", (math.Pi/2-p.lat0)*earthRadius
	if p.lat0 < 0 {
		pole, toPole = "south", (math.Pi/2+p.lat0)*earthRadius
	}
	if reach+PoleMargin >= toPole {
		return nil, fmt.Errorf("isochrone: polygons: origin %v,%v: the area reached extends %.1f km, within %d km of the %s pole (%.1f km away): isochrones near a pole are not drawn; choose an origin farther from the pole or shorter cutoffs",
			p.latDeg, p.lonDeg, reach/1000, PoleMargin/1000, pole, toPole/1000)
	}
	out := make(orb.MultiPolygon, len(mp))
	wraps := false
	for i, poly := range mp {
		out[i] = make(orb.Polygon, len(poly))
		for j, ring := range poly {
			r := make(orb.Ring, len(ring))
			for k, pt := range ring {
				lat, lon := p.inverse(pt[0], pt[1])
				r[k] = orb.Point{lon, lat}
				wraps = wraps || lon < -180 || lon > 180
			}
			out[i][j] = r
		}
	}
	// Projecting back moves vertices slightly; repair in the rare case it
	// made rings touch.
	back, err := toGEOS(out)
	if err != nil {
		return nil, err
	}
	if !wraps && back.IsValid() {
		return out, nil
	}
	if !back.IsValid() {
		back = back.MakeValid()
	}
	if wraps {
		// Cut at the antimeridian: the part beyond 180 (or −180) moves
		// by 360° to the other side. Longitudes lie within lon0 ± 180.
		var cut orb.MultiPolygon
		for shift := -360.0; shift <= 360; shift += 360 {
			c := back.Intersection(geos.NewGeomFromBounds(-180-shift, -90, 180-shift, 90))
			if c == nil {
				return nil, errors.New("isochrone: polygons: antimeridian cut failed")
			}
			if c.IsEmpty() {
				continue
			}
			part, err := fromGEOS(c)
			if err != nil {
				return nil, err
			}
			for _, poly := range part {
				for _, ring := range poly {
					for k := range ring {
						ring[k][0] = max(-180, min(180, ring[k][0]+shift))
					}
				}
			}
			cut = append(cut, part...)
		}
		if back, err = toGEOS(cut); err != nil {
			return nil, err
		}
		if !back.IsValid() {
			back = back.MakeValid()
		}
	}
	return fromGEOS(back)
}

func toGEOS(mp orb.MultiPolygon) (*geos.Geom, error) {
	b, err := wkb.Marshal(mp)
	if err != nil {
		return nil, fmt.Errorf("isochrone: polygons: %w", err)
	}
	g, err := geos.NewGeomFromWKB(b)
	if err != nil {
		return nil, fmt.Errorf("isochrone: polygons: %w", err)
	}
	return g, nil
}

// fromGEOS returns the polygons of g, dropping any lower-dimensional
// pieces a repair or a cut left.
func fromGEOS(g *geos.Geom) (orb.MultiPolygon, error) {
	gm, err := wkb.Unmarshal(g.ToWKB())
	if err != nil {
		return nil, fmt.Errorf("isochrone: polygons: %w", err)
	}
	switch v := gm.(type) {
	case orb.Polygon:
		return orb.MultiPolygon{v}, nil
	case orb.MultiPolygon:
		return v, nil
	case orb.Collection:
		var mp orb.MultiPolygon
		for _, x := range v {
			switch y := x.(type) {
			case orb.Polygon:
				mp = append(mp, y)
			case orb.MultiPolygon:
				mp = append(mp, y...)
			}
		}
		if len(mp) > 0 {
			return mp, nil
		}
	}
	return nil, fmt.Errorf("isochrone: polygons: repaired union is a %T, want polygons", gm)
}
