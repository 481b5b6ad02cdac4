package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/twpayne/go-geos"
	"github.com/twpayne/go-proj/v11"
)

// france is the extent (longitude, latitude) within which the map is drawn
// in Lambert-93, the projection of French official maps.
var france = orb.Bound{Min: orb.Point{-5.5, 41}, Max: orb.Point{10, 51.5}}

// mapUnits is the size, in SVG user units, of the longer side of the map;
// coordinates are written as integers, so a map 1,000 pixels wide keeps a
// tenth of a pixel.
const mapUnits = 10000

// nominalPx is the width in CSS pixels at which the map is first shown:
// the simplification tolerance is given in these pixels.
const nominalPx = 1000

// projection projects WGS84 longitude/latitude geometries to a plane once,
// and writes them as SVG paths in a frame fitted to the data.
type projection struct {
	pj  *proj.PJ
	crs string // what the report says about the projection
	// frame: user unit = (x - minX) * scale, (maxY - y) * scale.
	minX, maxY, scale float64
	width, height     int
}

// newProjection chooses the projection from the extent b: Lambert-93
// (EPSG:2154) within metropolitan France, else a Lambert azimuthal
// equal-area projection centred on the extent (areas are compared on a
// choropleth).
func newProjection(b orb.Bound) (*projection, error) {
	crs := "EPSG:2154"
	if !france.Contains(b.Min) || !france.Contains(b.Max) {
		c := b.Center()
		crs = fmt.Sprintf("+proj=laea +lat_0=%.4f +lon_0=%.4f +datum=WGS84 +units=m +no_defs", c[1], c[0])
	}
	p, err := proj.NewCRSToCRS("EPSG:4326", crs, nil)
	if err != nil {
		return nil, fmt.Errorf("report: PROJ %s: %w", crs, err)
	}
	pj, err := p.NormalizeForVisualization()
	if err != nil {
		return nil, fmt.Errorf("report: PROJ %s: %w", crs, err)
	}
	return &projection{pj: pj, crs: crs}, nil
}

// project returns g's coordinates projected, as a new geometry
// (polygons, multipolygons and points; other types give nil).
func (p *projection) project(g orb.Geometry) (orb.Geometry, error) {
	var flat []float64
	collect := func(r orb.Ring) {
		for _, q := range r {
			flat = append(flat, q[0], q[1])
		}
	}
	switch g := g.(type) {
	case orb.Polygon:
		for _, r := range g {
			collect(r)
		}
	case orb.MultiPolygon:
		for _, pl := range g {
			for _, r := range pl {
				collect(r)
			}
		}
	case orb.Point:
		flat = append(flat, g[0], g[1])
	case orb.MultiPoint:
		collect(orb.Ring(g))
	default:
		return nil, nil
	}
	if err := p.pj.ForwardFlatCoords(flat, 2, -1, -1); err != nil {
		return nil, fmt.Errorf("report: PROJ %s: %w", p.crs, err)
	}
	k := 0
	ring := func(r orb.Ring) orb.Ring {
		out := make(orb.Ring, len(r))
		for i := range r {
			out[i] = orb.Point{flat[k], flat[k+1]}
			k += 2
		}
		return out
	}
	switch g := g.(type) {
	case orb.Polygon:
		out := make(orb.Polygon, len(g))
		for i, r := range g {
			out[i] = ring(r)
		}
		return out, nil
	case orb.MultiPolygon:
		out := make(orb.MultiPolygon, len(g))
		for i, pl := range g {
			out[i] = make(orb.Polygon, len(pl))
			for j, r := range pl {
				out[i][j] = ring(r)
			}
		}
		return out, nil
	case orb.MultiPoint:
		return orb.MultiPoint(ring(orb.Ring(g))), nil
	default:
		return orb.Point{flat[0], flat[1]}, nil
	}
}

// fit sets the frame so that the projected extent b fills mapUnits on its
// longer side, with a margin of 2 %.
func (p *projection) fit(b orb.Bound) {
	w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	side := math.Max(w, h)
	if side <= 0 || math.IsNaN(side) || math.IsInf(side, 0) {
		side = 1
	}
	m := 0.02 * side
	p.minX, p.maxY = b.Min[0]-m, b.Max[1]+m
	p.scale = mapUnits / (side + 2*m)
	p.width = int(math.Ceil((w + 2*m) * p.scale))
	p.height = int(math.Ceil((h + 2*m) * p.scale))
}

// tolerance returns the simplification tolerance in projected metres for
// px pixels of the map at its nominal width.
func (p *projection) tolerance(px float64) float64 {
	return px * (mapUnits / nominalPx) / p.scale
}

// simplify simplifies a projected polygon or multipolygon with GEOS,
// preserving its topology (no ring collapses or crosses another), with
// tolerance tol in metres. Empty results give nil.
func simplify(g orb.Geometry, tol float64) (orb.Geometry, error) {
	switch g.(type) {
	case orb.Polygon, orb.MultiPolygon:
	default:
		return g, nil // points are drawn as they are
	}
	if tol <= 0 {
		return g, nil
	}
	b, err := wkb.Marshal(g)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	gg, err := geos.NewGeomFromWKB(b)
	if err != nil {
		return nil, fmt.Errorf("report: GEOS: %w", err)
	}
	s := gg.TopologyPreserveSimplify(tol)
	if s == nil || s.IsEmpty() {
		return nil, nil
	}
	out, err := wkb.Unmarshal(s.ToWKB())
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return out, nil
}

// xy returns the frame coordinates of a projected point, rounded.
func (p *projection) xy(q orb.Point) (int, int) {
	return int(math.Round((q[0] - p.minX) * p.scale)), int(math.Round((p.maxY - q[1]) * p.scale))
}

// pointRadius is the radius, in map units, of the discs that stand for
// points (cells given as points) in paths.
const pointRadius = 45

// path writes a projected polygon or multipolygon as SVG path data:
// each ring an absolute move then relative lines, repeated points
// dropped, rings that shrink below three points left out; points become
// discs of pointRadius. It returns "" when nothing is left.
func (p *projection) path(g orb.Geometry) string {
	var sb strings.Builder
	var ring func(r orb.Ring)
	var buf []int
	ring = func(r orb.Ring) {
		buf = buf[:0]
		for _, q := range r {
			x, y := p.xy(q)
			if n := len(buf); n >= 2 && buf[n-2] == x && buf[n-1] == y {
				continue
			}
			buf = append(buf, x, y)
		}
		if n := len(buf); n >= 4 && buf[0] == buf[n-2] && buf[1] == buf[n-1] {
			buf = buf[:n-2] // closed by z
		}
		if len(buf) < 6 {
			return
		}
		sb.WriteByte('M')
		sb.WriteString(strconv.Itoa(buf[0]))
		sb.WriteByte(' ')
		sb.WriteString(strconv.Itoa(buf[1]))
		sb.WriteByte('l')
		for i := 2; i < len(buf); i += 2 {
			dx, dy := buf[i]-buf[i-2], buf[i+1]-buf[i-1]
			if i > 2 && dx >= 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(strconv.Itoa(dx))
			if dy >= 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(strconv.Itoa(dy))
		}
		sb.WriteByte('z')
	}
	switch g := g.(type) {
	case orb.Polygon:
		for _, r := range g {
			ring(r)
		}
	case orb.MultiPolygon:
		for _, pl := range g {
			for _, r := range pl {
				ring(r)
			}
		}
	case orb.MultiPoint:
		for _, q := range g {
			disc(&sb, p, q)
		}
	case orb.Point:
		disc(&sb, p, g)
	case orb.Collection:
		for _, x := range g {
			sb.WriteString(p.path(x))
		}
	}
	return sb.String()
}

// bound returns the bound of geometries, ignoring nils; ok is false when
// there is none.
func bound(gs []orb.Geometry) (b orb.Bound, ok bool) {
	for _, g := range gs {
		if g == nil {
			continue
		}
		gb := g.Bound()
		if !ok {
			b, ok = gb, true
			continue
		}
		b = b.Union(gb)
	}
	return b, ok
}

// disc writes a disc of pointRadius around q as two arcs.
func disc(sb *strings.Builder, p *projection, q orb.Point) {
	x, y := p.xy(q)
	fmt.Fprintf(sb, "M%d %da%d %d 0 1 0 %d 0a%d %d 0 1 0 %d 0z", x-pointRadius, y, pointRadius, pointRadius, 2*pointRadius, pointRadius, pointRadius, -2*pointRadius)
}
