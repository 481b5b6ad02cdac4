package coverage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
)

// MaxGeoJSON is the largest GeoJSON input accepted, in bytes.
const MaxGeoJSON = 1 << 30

// readFeatures reads a GeoJSON FeatureCollection (or a single Feature),
// or the rows of a GeoParquet file (told by its magic bytes) as features.
func readFeatures(path string) ([]*geojson.Feature, error) {
	fs, err := readFeatureSource(path)
	if err != nil {
		return nil, err
	}
	if r, ok := fs.(*tableRows); ok {
		return r.asGeoJSON(), nil
	}
	return fs.(geojsonFeatures), nil
}

// readFeatureSource reads the features of a GeoJSON file, or the rows of
// a GeoParquet file (told by its magic bytes), which it reads from the
// columns.
func readFeatureSource(path string) (features, error) {
	b, err := readInput(path)
	if err != nil {
		return nil, err
	}
	if isTable(b) {
		return readTableRows(path, b)
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".parquet", ".geoparquet", ".arrow":
		return nil, &InputError{Path: path, Err: errors.New("not a Parquet or Arrow IPC file (its first bytes are neither PAR1 nor ARROW1)")}
	}
	fs, err := parseGeoJSON(path, b)
	if err != nil {
		return nil, err
	}
	return geojsonFeatures(fs), nil
}

// parseGeoJSON parses the GeoJSON file path holding b.
func parseGeoJSON(path string, b []byte) ([]*geojson.Feature, error) {
	if len(b) > MaxGeoJSON {
		return nil, &InputError{Path: path, Err: fmt.Errorf("larger than %d bytes", MaxGeoJSON)}
	}
	if utf16(b[:min(len(b), 4096)]) {
		return nil, &InputError{Path: path, Line: 1, Err: errUTF16}
	}
	// encoding/json would silently replace bytes that are not UTF-8
	// (Latin-1 names) by U+FFFD: they are refused, located.
	if !utf8.Valid(b) {
		good := b
		for len(good) > 0 {
			r, n := utf8.DecodeRune(good)
			if r == utf8.RuneError && n == 1 {
				break
			}
			good = good[n:]
		}
		off := len(b) - len(good)
		line := 1 + bytes.Count(b[:off], []byte("\n"))
		start := max(bytes.LastIndexByte(b[:off], '\n')+1, off-20)
		return nil, &InputError{Path: path, Line: line, Field: "text", Value: strings.ToValidUTF8(string(b[start:min(len(b), off+20)]), "\uFFFD"), Err: errors.New("not UTF-8 text (Latin-1?): convert the file to UTF-8")}
	}
	b = []byte(strings.TrimPrefix(string(b), "\xef\xbb\xbf"))
	if len(strings.TrimSpace(string(b))) == 0 {
		return nil, &InputError{Path: path, Err: errors.New("empty file")}
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err == nil && fc.Type == "FeatureCollection" {
		return fc.Features, nil
	}
	if f, ferr := geojson.UnmarshalFeature(b); ferr == nil && f.Type == "Feature" {
		return []*geojson.Feature{f}, nil
	}
	if err == nil {
		err = fmt.Errorf("type %q: want a FeatureCollection", fc.Type)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line := 1 + strings.Count(string(b[:min(int(se.Offset), len(b))]), "\n")
		return nil, &InputError{Path: path, Line: line, Err: fmt.Errorf("invalid GeoJSON: %w", err)}
	}
	return nil, &InputError{Path: path, Err: fmt.Errorf("invalid GeoJSON: %w", err)}
}

// prop returns the first of the named properties (compared without case),
// a one-element array taken as its element, as a string. When several
// properties differ only by case, the exact spelling wins.
func prop(f *geojson.Feature, names ...string) (string, string, bool) {
	for _, n := range names {
		if v, ok := propString(f.Properties[n]); ok {
			return n, v, true
		}
		keys := make([]string, 0, len(f.Properties))
		for k := range f.Properties {
			if strings.EqualFold(k, n) {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys) // deterministic when several keys match
		for _, k := range keys {
			if v, ok := propString(f.Properties[k]); ok {
				return k, v, true
			}
		}
	}
	return "", "", false
}

// propValue returns the property name (compared without case) as a string.
func propValue(props map[string]any, name string) (string, bool) {
	_, v, ok := prop(&geojson.Feature{Properties: props}, name)
	return v, ok
}

// propString converts a property value to a string: strings (trimmed),
// finite numbers, or a one-element array of either.
func propString(v any) (string, bool) {
	if arr, ok := v.([]any); ok && len(arr) == 1 {
		v = arr[0]
	}
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v), true
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "", false
		}
		return strconv.FormatFloat(v, 'f', -1, 64), true
	}
	return "", false
}

// validLonLat reports whether a position is a finite WGS84 longitude and
// latitude.
func validLonLat(lon, lat float64) bool {
	return lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90
}

// checkCoords rejects NaN, infinite and out-of-range coordinates.
func checkCoords(g orb.Geometry) error {
	var bad error
	check := func(p orb.Point) {
		if bad == nil && (math.IsNaN(p[0]) || math.IsNaN(p[1]) || p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90) {
			bad = fmt.Errorf("coordinate %v out of range", p)
		}
	}
	switch g := g.(type) {
	case orb.Point:
		check(g)
	case orb.MultiPoint:
		for _, p := range g {
			check(p)
		}
	case orb.Polygon:
		for _, r := range g {
			for _, p := range r {
				check(p)
			}
		}
	case orb.MultiPolygon:
		for _, pg := range g {
			for _, r := range pg {
				for _, p := range r {
					check(p)
				}
			}
		}
	}
	return bad
}

// readFeatureGrid reads a grid of features: GeoJSON, or GeoParquet read
// from its columns.
func (g *Grid) readFeatureGrid(path string) error {
	fs, err := readFeatureSource(path)
	if err != nil {
		return err
	}
	// Polygons whose id names a grid square (INSPIRE ids, as the CSV
	// grids'): candidates to be read as that square.
	byCRS := map[string][]squareCell{}
	for i := range fs.Len() {
		where := func() string { return fmt.Sprintf("feature %d", i+1) }
		geom := fs.Geometry(i)
		if geom == nil {
			return &InputError{Path: path, Field: where(), Err: errors.New("no geometry")}
		}
		if err := checkCoords(geom); err != nil {
			return &InputError{Path: path, Field: where(), Err: err}
		}
		if err := checkRings(geom); err != nil {
			return &InputError{Path: path, Field: where(), Err: err}
		}
		name, v, ok := fs.Prop(i, popNames...)
		if !ok {
			return &InputError{Path: path, Field: where(), Err: errors.New("no population property (population, pop, T, ind)")}
		}
		pop, err := strconv.ParseFloat(v, 64)
		if err != nil || pop < 0 || math.IsNaN(pop) || math.IsInf(pop, 0) {
			return &InputError{Path: path, Field: where() + " " + name, Value: v, Err: errors.New("want a non-negative number")}
		}
		if pop == 0 {
			g.SkippedEmpty++
			continue
		}
		_, id, ok := fs.Prop(i, idNames...)
		if !ok {
			id = strconv.Itoa(i + 1)
		}
		c := Cell{ID: id, Population: pop, Geometry: geom}
		switch geom := geom.(type) {
		case orb.Point:
			c.Lon, c.Lat = geom[0], geom[1]
		case orb.Polygon, orb.MultiPolygon:
			ctr, _ := centroid(geom)
			c.Lon, c.Lat = ctr[0], ctr[1]
			if gc, err := parseGridID(id); err == nil {
				if _, known := byCRS[gc.crs]; known || len(byCRS) < maxGridCRS {
					byCRS[gc.crs] = append(byCRS[gc.crs], squareCell{len(g.Cells), i + 1, gc})
				}
			}
		default:
			return &InputError{Path: path, Field: where(), Err: fmt.Errorf("geometry %s: want Point, Polygon or MultiPolygon", geom.GeoJSONType())}
		}
		g.Cells = append(g.Cells, c)
	}
	g.placeGridSquares(byCRS)
	return nil
}

// maxGridCRS bounds the CRSs of the grid ids of a feature grid that are
// read as squares (PROJ builds a transformation for each).
const maxGridCRS = 8

// placeGridSquares reads the polygon cells byCRS, whose ids name grid
// squares, as those squares when their polygons are the squares (corners
// within squareTolerance, in any order): such a cell is routed from its
// square's centre and its gaps are traced on the grid, as the same cell
// read from a CSV grid. A cell whose polygon is another shape, or whose
// square PROJ cannot place, keeps its polygon and its centroid.
func (g *Grid) placeGridSquares(byCRS map[string][]squareCell) {
	if len(byCRS) == 0 {
		return
	}
	refs := gridRefs{}
	// The candidates as read, to restore those that are not their
	// squares; cand[i] is 1 + the index in read of cell i, 0 for others.
	var read []Cell
	cand := make([]int32, len(g.Cells))
	for _, cells := range byCRS {
		for _, sc := range cells {
			c := &g.Cells[sc.cell]
			read = append(read, *c)
			cand[sc.cell] = int32(len(read))
			c.sq, c.Geometry = refs.ref(sc.gc), nil
		}
	}
	square := make([]bool, len(read))
	err := g.projectSquares(byCRS, func(_ squareCell, err error) error { return err }, func(sc squareCell, corners []orb.Point) {
		k := cand[sc.cell] - 1
		square[k] = sameSquare(read[k].Geometry, corners)
	})
	for i, k := range cand {
		if k > 0 && (err != nil || !square[k-1]) {
			g.Cells[i] = read[k-1]
		}
	}
}

// squareTolerance is how far, in degrees (about a centimetre), a corner
// of a polygon cell may lie from the corner of the square its id names.
const squareTolerance = 1e-7

// sameSquare tells whether polygon a is the square of the four corners:
// one closed ring of four corners, each within squareTolerance of a
// distinct one of corners.
func sameSquare(a orb.Geometry, corners []orb.Point) bool {
	pa, ok := a.(orb.Polygon)
	if !ok || len(pa) != 1 || len(pa[0]) != 5 || len(corners) != 4 {
		return false
	}
	var used [4]bool
	for _, p := range pa[0][:4] {
		found := false
		for j, q := range corners {
			if !used[j] && math.Abs(p[0]-q[0]) <= squareTolerance && math.Abs(p[1]-q[1]) <= squareTolerance {
				used[j], found = true, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// centroid returns the area centroid of a polygon in degrees (fine for
// cells and territories a few kilometres wide).
func centroid(g orb.Geometry) (orb.Point, float64) {
	return planar.CentroidArea(g)
}

// checkRings rejects polygon rings that do not close or have fewer than 4
// points.
func checkRings(g orb.Geometry) error {
	var mp orb.MultiPolygon
	switch g := g.(type) {
	case orb.Polygon:
		mp = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		mp = g
	}
	for _, pg := range mp {
		if len(pg) == 0 {
			return errors.New("a polygon without rings")
		}
		for _, r := range pg {
			if len(r) < 4 || !r.Closed() {
				return errors.New("a polygon ring does not close (its last point must repeat the first, 4 points at least)")
			}
		}
	}
	return nil
}
