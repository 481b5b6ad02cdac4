package isochrone

// This file draws isochrones on the street network: bands along the parts of
// the streets reached, not disks.

import (
	"errors"
	"fmt"

	"github.com/paulmach/orb"
	"github.com/twpayne/go-geos"

	"github.com/vingt/vingt/streets"
)

// StreetWidth is the width in metres of the band drawn along every reached
// piece of street by StreetPolygons: StreetWidth/2 on each side, enough to
// cover the street and the front of its buildings, not the blocks between
// streets.
const StreetWidth = 50

// bufferQuadSegs is the number of segments per quarter circle of the
// buffers' round ends and joins.
const bufferQuadSegs = 4

// StreetPolygons returns, for each cutoff (seconds), the area within that
// travel time of the origin point walking on the streets of w: the GEOS
// union of StreetWidth-wide bands around the parts of street edges reached.
// One multi-source search per cutoff starts from the origin (allowed the
// whole cutoff: walking alone is bounded by the cutoff, not by maxWalk) and
// from every reached place with travel time t below the cutoff (allowed
// min(cutoff − t, maxWalk)): a source allowed r seconds starts at cost
// cutoff·speed − r·speed, so that the search bounded by cutoff·speed
// metres reaches exactly the street points within each source's walk.
// Parts of edges are cut where the metres left run out
// (streets.Search.AppendReached), and the walk from each linked place to
// its street is drawn too. A place, or the origin, farther than the
// link radius from every street keeps the crow-fly disk of Polygons, with
// the walker's fallback (crow-fly × detour). Shapes are buffered and
// unioned in the azimuthal equidistant projection of Polygons, centred on
// the origin, and projected back to WGS84; each result is a valid
// multipolygon, empty when nothing is reached.
func StreetPolygons(lat, lon float64, reached []Reached, cutoffs []int32, maxWalk int32, w *streets.Walker) (out []orb.MultiPolygon, err error) {
	if w == nil {
		return nil, errors.New("isochrone: street polygons: no street walker")
	}
	if maxWalk < 0 {
		return nil, fmt.Errorf("isochrone: street polygons: max walk %d s: must not be negative", maxWalk)
	}
	if !validLatLon(lat, lon) {
		return nil, fmt.Errorf("isochrone: street polygons: origin %v,%v: not a latitude and longitude", lat, lon)
	}
	for i, r := range reached {
		if !validLatLon(r.Lat, r.Lon) {
			return nil, fmt.Errorf("isochrone: street polygons: place %d at %v,%v: not a latitude and longitude", i, r.Lat, r.Lon)
		}
	}
	defer func() {
		// go-geos panics on a GEOS exception.
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("isochrone: street polygons: GEOS: %v", r)
		}
	}()
	g, speed, crow := w.Graph(), w.Speed(), w.Fallback()
	proj := newAEQD(lat, lon)
	// Link the origin and the places once.
	type linked struct {
		l  streets.Links
		ok bool
	}
	origin := linked{}
	origin.l, origin.ok = g.LinkAll(lat, lon, 0)
	links := make([]linked, len(reached))
	for i, r := range reached {
		links[i].l, links[i].ok = g.LinkAll(r.Lat, r.Lon, 0)
	}
	s := g.NewSearch()
	var (
		src   []streets.Link
		init  []float32
		at    []orb.Point // the sources' places, lon, lat
		lines orb.MultiLineString
	)
	out = make([]orb.MultiPolygon, len(cutoffs))
	for i, c := range cutoffs {
		src, init, at, lines = src[:0], init[:0], at[:0], lines[:0]
		var parts []*geos.Geom
		total := float32(float64(max(c, 0)) * speed)
		// add starts a walk of left seconds (at most maxLeft) from a place.
		add := func(plat, plon float64, l linked, left, maxLeft int32) {
			left = min(left, maxLeft)
			if left <= 0 {
				return
			}
			if l.ok {
				for _, x := range l.l.All() {
					src = append(src, x)
					at = append(at, orb.Point{plon, plat})
					init = append(init, total-float32(float64(left)*speed))
				}
				return
			}
			x, y := proj.forward(plat, plon)
			parts = append(parts, geos.NewPolygon([][][]float64{disk(x, y, crow.Reach(left))}))
		}
		add(lat, lon, origin, c, c)
		for j, r := range reached {
			if r.Seconds < 0 || r.Seconds >= c {
				continue
			}
			add(r.Lat, r.Lon, links[j], c-r.Seconds, maxWalk)
		}
		if len(src) > 0 {
			s.FromLinks(src, init, total)
			lines = s.AppendReached(lines, total)
			// the walk from each linked place to its street, as far as
			// the metres left allow
			for k, l := range src {
				left := total - init[k]
				if l.Off <= 0 || left <= 0 {
					continue
				}
				elat, elon := g.LinkPoint(l)
				f := min(float64(left/l.Off), 1)
				p := at[k]
				// across the antimeridian, the short way
				if elon-p[0] > 180 {
					elon -= 360
				} else if p[0]-elon > 180 {
					elon += 360
				}
				lines = append(lines, orb.LineString{p, {p[0] + f*(elon-p[0]), p[1] + f*(elat-p[1])}})
			}
		}
		// Buffering each piece and unioning the bands in one cascaded
		// union is about 10 times faster than buffering the
		// multilinestring (Porto Alegre, 6,157 pieces: 2.3 s against 20 s).
		for _, ls := range lines {
			coords := make([][]float64, len(ls), max(len(ls), 2))
			for k, p := range ls {
				x, y := proj.forward(p[1], p[0])
				coords[k] = []float64{x, y}
			}
			if len(coords) == 1 {
				coords = append(coords, coords[0])
			}
			band := geos.NewLineString(coords).Buffer(StreetWidth/2, bufferQuadSegs)
			if band == nil {
				return nil, errors.New("isochrone: street polygons: buffer failed")
			}
			parts = append(parts, band)
		}
		if len(parts) == 0 {
			out[i] = orb.MultiPolygon{}
			continue
		}
		u := geos.NewCollection(geos.TypeIDGeometryCollection, parts).UnaryUnion()
		if u == nil {
			return nil, errors.New("isochrone: street polygons: union failed")
		}
		if u.IsEmpty() {
			out[i] = orb.MultiPolygon{}
			continue
		}
		mp, err := proj.inverseMulti(u)
		if err != nil {
			return nil, err
		}
		out[i] = mp
	}
	return out, nil
}
