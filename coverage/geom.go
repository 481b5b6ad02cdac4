package coverage

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/twpayne/go-geos"
	"github.com/twpayne/go-proj/v11"
)

// transformers holds one PROJ transformation per source CRS, made once
// (PROJ objects are not safe for concurrent use: calls are serialised).
var transformers = struct {
	sync.Mutex
	m map[string]*proj.PJ
}{m: map[string]*proj.PJ{}}

// toLonLat transforms points from crs (e.g. "EPSG:3035") to WGS84
// longitude/latitude, in place, in one PROJ call. Its errors are meant to
// be wrapped in an InputError; a *pointError names the first point that
// did not transform.
func toLonLat(crs string, pts []orb.Point) error {
	transformers.Lock()
	defer transformers.Unlock()
	pj, ok := transformers.m[crs]
	if !ok {
		p, err := proj.NewCRSToCRS(crs, "EPSG:4326", nil)
		if err != nil {
			return fmt.Errorf("PROJ: no transformation from %s to EPSG:4326 (unknown CRS?)", crs)
		}
		if pj, err = p.NormalizeForVisualization(); err != nil {
			return fmt.Errorf("PROJ %s: %w", crs, err)
		}
		transformers.m[crs] = pj
	}
	flat := make([]float64, 2*len(pts))
	for i, p := range pts {
		flat[2*i], flat[2*i+1] = p[0], p[1]
	}
	err := pj.ForwardFlatCoords(flat, 2, -1, -1)
	for i, p := range pts {
		x, y := flat[2*i], flat[2*i+1]
		if !validLonLat(x, y) {
			return &pointError{Index: i, Err: fmt.Errorf("PROJ %s (%v, %v): not a longitude and latitude", crs, p[0], p[1])}
		}
		pts[i] = orb.Point{x, y}
	}
	if err != nil {
		return fmt.Errorf("PROJ %s: %w", crs, err)
	}
	return nil
}

// pointError is a point that did not transform.
type pointError struct {
	Index int
	Err   error
}

func (e *pointError) Error() string { return e.Err.Error() }
func (e *pointError) Unwrap() error { return e.Err }

// gridIDRE matches INSEE and Eurostat grid cell ids: CRS3035RES200mN2029800E4252400.
var gridIDRE = regexp.MustCompile(`^CRS(\d+)RES(\d+)(m|km)N(\d+)E(\d+)$`)

// gridCell is a square cell of a projected grid.
type gridCell struct {
	crs         string
	size        float64
	north, east float64
}

// parseGridID decodes a grid cell id: the CRS, the size and the lower-left
// corner (northing, then easting).
func parseGridID(id string) (gridCell, error) {
	m := gridIDRE.FindStringSubmatch(id)
	if m == nil {
		return gridCell{}, errors.New("not a grid cell id like CRS3035RES200mN2029800E4252400")
	}
	if len(m[1]) > 6 || len(m[2]) > 6 || len(m[4]) > 9 || len(m[5]) > 9 {
		return gridCell{}, errors.New("number too long in grid cell id")
	}
	size, _ := strconv.ParseFloat(m[2], 64)
	if m[3] == "km" {
		size *= 1000
	}
	n, _ := strconv.ParseFloat(m[4], 64)
	e, _ := strconv.ParseFloat(m[5], 64)
	if size <= 0 || size > 100000 {
		return gridCell{}, fmt.Errorf("cell size %v m out of range (1 m to 100 km)", size)
	}
	// EPSG codes 4000–4999 are geographic or geocentric CRSs: their
	// units are degrees (or geocentric metres), and a "cell of 1000"
	// would be 1000 degrees wide.
	if code, _ := strconv.Atoi(m[1]); code >= 4000 && code <= 4999 {
		return gridCell{}, fmt.Errorf("CRS%s is geographic or geocentric (EPSG 4000–4999): a grid id wants a projected CRS in metres, such as CRS3035", m[1])
	}
	return gridCell{crs: "EPSG:" + m[1], size: size, north: n, east: e}, nil
}

// square returns the cell as a WGS84 polygon (corners transformed through
// PROJ, counter-clockwise) and its centre.
func (g gridCell) square() (orb.Polygon, orb.Point, error) {
	pts := g.corners(nil)
	if err := toLonLat(g.crs, pts); err != nil {
		return nil, orb.Point{}, err
	}
	sq, c := squareOf(pts)
	return sq, c, nil
}

// corners appends the cell's four corners, counter-clockwise from the
// lower left, and its centre, in the grid's CRS.
func (g gridCell) corners(pts []orb.Point) []orb.Point {
	return append(pts,
		orb.Point{g.east, g.north}, orb.Point{g.east + g.size, g.north}, orb.Point{g.east + g.size, g.north + g.size},
		orb.Point{g.east, g.north + g.size}, orb.Point{g.east + g.size/2, g.north + g.size/2})
}

// squareOf makes the square and centre of five transformed points.
func squareOf(pts []orb.Point) (orb.Polygon, orb.Point) {
	return orb.Polygon{orb.Ring{pts[0], pts[1], pts[2], pts[3], pts[0]}}, pts[4]
}

// toGEOS converts an orb geometry to GEOS through WKB.
func toGEOS(g orb.Geometry) (*geos.Geom, error) { return toGEOSIn(geos.DefaultContext, g) }

// toGEOSIn is toGEOS in GEOS context c.
func toGEOSIn(c *geos.Context, g orb.Geometry) (*geos.Geom, error) {
	b, err := wkb.Marshal(g)
	if err != nil {
		return nil, err
	}
	return c.NewGeomFromWKB(b)
}

// fromGEOS converts a GEOS geometry to orb through WKB.
func fromGEOS(g *geos.Geom) (orb.Geometry, error) {
	return wkb.Unmarshal(g.ToWKB())
}

// unionGeometries returns the union of polygons (orb.Polygon or
// orb.MultiPolygon; other geometries are an error) through GEOS, as a
// multipolygon normalised by GEOS so that the same input always gives the
// same output, whatever its order. No input gives nil.
func unionGeometries(gs []orb.Geometry) (orb.MultiPolygon, error) {
	return unionIn(geos.DefaultContext, gs)
}

// unionIn is unionGeometries in a GEOS context of the caller's: calls in
// different contexts run in parallel.
func unionIn(c *geos.Context, gs []orb.Geometry) (u orb.MultiPolygon, err error) {
	if len(gs) == 0 {
		return nil, nil
	}
	defer func() {
		// go-geos panics on a GEOS exception (say a topology error).
		if r := recover(); r != nil {
			u, err = nil, fmt.Errorf("coverage: union: GEOS: %v", r)
		}
	}()
	parts := make([]*geos.Geom, 0, len(gs))
	for i, g := range gs {
		switch g.(type) {
		case orb.Polygon, orb.MultiPolygon:
		default:
			return nil, fmt.Errorf("coverage: union: geometry %d is a %T, want a polygon", i, g)
		}
		b, err := wkb.Marshal(g)
		if err != nil {
			return nil, fmt.Errorf("coverage: union: geometry %d: %w", i, err)
		}
		x, err := c.NewGeomFromWKB(b)
		if err != nil {
			return nil, fmt.Errorf("coverage: union: geometry %d: %w", i, err)
		}
		if !x.IsValid() {
			x = x.MakeValid()
		}
		parts = append(parts, x)
	}
	res := c.NewCollection(geos.TypeIDGeometryCollection, parts).UnaryUnion()
	if res == nil {
		return nil, errors.New("coverage: union failed")
	}
	og, err := fromGEOS(res.Normalize())
	if err != nil {
		return nil, fmt.Errorf("coverage: union: %w", err)
	}
	return polygonsOf(og), nil
}

// polygonsOf keeps the polygons of g, as a multipolygon.
func polygonsOf(g orb.Geometry) orb.MultiPolygon {
	switch g := g.(type) {
	case orb.Polygon:
		return orb.MultiPolygon{g}
	case orb.MultiPolygon:
		return g
	case orb.Collection:
		var mp orb.MultiPolygon
		for _, x := range g {
			mp = append(mp, polygonsOf(x)...)
		}
		return mp
	}
	return nil
}
