package coverage

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/vingt/vingt/gtfs"
)

// Cell is a populated cell of the grid, routed from its centre.
type Cell struct {
	ID         string
	Lon, Lat   float64
	Population float64
	// Geometry is the cell in WGS84: a square derived from the id through
	// PROJ when the id encodes one, else a point (or the input polygon).
	// It is nil for a square of an aligned grid (sq set): that square is
	// derived again from the cell's place on the grid when it is needed
	// (Shape, cellShapes), rather than held for every cell of the grid.
	Geometry orb.Geometry

	// sq places a square cell on its grid, for tracing gap geometry.
	sq gridRef
}

// Shape returns the cell's geometry: Geometry, or the square of a cell of
// an aligned grid.
func (c *Cell) Shape() (orb.Geometry, error) {
	g, err := cellShapes([]Cell{*c})
	if err != nil {
		return nil, err
	}
	return g[0], nil
}

// hasShape tells whether the cell has a geometry (Shape is not nil).
func (c *Cell) hasShape() bool { return c.Geometry != nil || c.sq.grid != nil }

// cellShapes returns the geometries of cells (Shape of each): the squares
// of aligned grid cells are made again from their corners on the grid, one
// PROJ call per grid, the same points that reading the grid transformed,
// so they are the squares it made.
func cellShapes(cells []Cell) ([]orb.Geometry, error) {
	geom := make([]orb.Geometry, len(cells))
	var grids []*gridSpec // usually one
	for i := range cells {
		geom[i] = cells[i].Geometry
		if g := cells[i].sq.grid; g != nil && !slices.Contains(grids, g) {
			grids = append(grids, g)
		}
	}
	for _, g := range grids {
		n := 0
		for i := range cells {
			if cells[i].sq.grid == g {
				n++
			}
		}
		// Neighbouring squares share corners: each distinct corner goes
		// through PROJ once (the same floats as corners makes, so the
		// same transformed points), and the centres, which a ring does
		// not use, not at all.
		seen := make(map[orb.Point]int32, 2*n)
		var pts []orb.Point
		ref := make([]int32, 0, 4*n)
		for i := range cells {
			if sq := cells[i].sq; sq.grid == g {
				// col·size and row·size are the corner read from the
				// id exactly (whole numbers, see gridRefs.ref).
				gc := gridCell{crs: g.crs, size: g.size, east: float64(sq.col) * g.size, north: float64(sq.row) * g.size}
				var five [5]orb.Point
				for _, p := range gc.corners(five[:0])[:4] {
					k, ok := seen[p]
					if !ok {
						k = int32(len(pts))
						seen[p] = k
						pts = append(pts, p)
					}
					ref = append(ref, k)
				}
			}
		}
		if err := toLonLat(g.crs, pts); err != nil {
			return nil, fmt.Errorf("coverage: cell squares: %w", err)
		}
		ring := make([]orb.Point, 5*n)
		k := 0
		for i := range cells {
			if cells[i].sq.grid != g {
				continue
			}
			r := orb.Ring(ring[5*k : 5*k+5 : 5*k+5])
			for j := range 4 {
				r[j] = pts[ref[4*k+j]]
			}
			r[4] = r[0]
			geom[i] = orb.Polygon{r}
			k++
		}
	}
	return geom, nil
}

// Grid is a population grid.
type Grid struct {
	Path, Format string
	Cells        []Cell
	// SkippedEmpty counts the cells of population 0, which are skipped.
	SkippedEmpty int
	Warnings     gtfs.Warnings
}

// Grid formats.
const (
	FormatFilosofi = "filosofi"
	FormatEurostat = "eurostat"
	FormatCSV      = "csv"
	FormatGeoJSON  = "geojson"
	// FormatGeoParquet is GeoParquet (or Arrow IPC with a WKB geometry
	// column), read as GeoJSON features are.
	FormatGeoParquet = "geoparquet"
)

// ReadGrid reads a population grid. format is one of filosofi (INSEE,
// idcar_200m and ind), eurostat (GRD_ID and T), csv (longitude, latitude,
// population and an optional id, whatever the columns' usual names),
// geojson or geoparquet (features: polygons or points with a population
// property); "" detects it from the file.
func ReadGrid(path, format string) (*Grid, error) {
	if format == "" {
		f, err := detectGrid(path)
		if err != nil {
			return nil, err
		}
		format = f
	}
	g := &Grid{Path: path, Format: format}
	var err error
	switch format {
	case FormatFilosofi, FormatEurostat, FormatCSV:
		err = g.readCSV(path, format)
	case FormatGeoJSON, FormatGeoParquet:
		err = g.readFeatureGrid(path)
	default:
		return nil, fmt.Errorf("coverage: grid format %q: want filosofi, eurostat, csv, geojson or geoparquet", format)
	}
	if err != nil {
		return nil, err
	}
	if len(g.Cells) == 0 {
		return nil, fmt.Errorf("coverage: %s: no populated cell (%d of population 0)", path, g.SkippedEmpty)
	}
	return g, nil
}

// detectGrid tells the format from the first bytes of the file.
func detectGrid(path string) (string, error) {
	f, err := openInput(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	head = bytes.TrimPrefix(head[:n], []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(head)
	if len(trimmed) == 0 {
		return "", &InputError{Path: path, Err: errors.New("empty file")}
	}
	if trimmed[0] == '{' {
		return FormatGeoJSON, nil
	}
	if isTable(head) {
		return FormatGeoParquet, nil
	}
	line := strings.ToLower(string(head))
	if i := strings.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	cols := strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ';' || r == '"' || r == ' ' || r == '\r' })
	has := func(name string) bool {
		for _, c := range cols {
			if c == name {
				return true
			}
		}
		return false
	}
	switch {
	case has("idcar_200m") || has("idcar_1km") || has("idcar_nat") || has("idinspire"):
		return FormatFilosofi, nil
	case has("grd_id"):
		return FormatEurostat, nil
	default:
		return FormatCSV, nil
	}
}

func (g *Grid) readCSV(path, format string) error {
	t, err := readTable(path)
	if err != nil {
		return err
	}
	var iID, iPop, iLon, iLat int
	switch format {
	case FormatFilosofi:
		iID, iPop = t.col("idcar_200m", "idcar_1km", "idcar_nat", "idinspire"), t.col("ind")
	case FormatEurostat:
		// Census 2021: T; GEOSTAT 2011 and 2018: TOT_P, TOT_P_2018.
		iID, iPop = t.col("grd_id"), t.col("t", "tot_p", "tot_p_2021", "tot_p_2018")
	default:
		iID, iPop = t.col(idNames...), t.col(popNames...)
		iLon, iLat = t.col(lonNames...), t.col(latNames...)
		if iLon < 0 || iLat < 0 {
			return &InputError{Path: path, Line: 1, Err: errors.New("no longitude/latitude columns (lon, lng, longitude, x / lat, latitude, y) and no grid id column (idcar_200m, GRD_ID)")}
		}
	}
	if format != FormatCSV && iID < 0 {
		return &InputError{Path: path, Line: 1, Err: fmt.Errorf("no grid id column for the %s format", format)}
	}
	if iPop < 0 {
		return &InputError{Path: path, Line: 1, Err: errors.New("no population column (population, pop, T, ind)")}
	}
	// Sized for every row at once, so that growing them leaves no garbage.
	seen := make(map[string]int, len(t.rows))
	g.Cells = make([]Cell, 0, len(t.rows))
	byCRS := map[string][]squareCell{}
	refs := gridRefs{}
	for r := range t.rows {
		pop, err := t.float(r, iPop)
		if err != nil {
			return err
		}
		if pop < 0 {
			return &InputError{Path: path, Line: t.lines[r], Field: t.header[iPop], Value: t.get(r, iPop), Err: errors.New("population must not be negative")}
		}
		id := t.get(r, iID)
		if id == "" {
			if format != FormatCSV {
				return &InputError{Path: path, Line: t.lines[r], Field: t.header[iID], Err: errors.New("empty grid id")}
			}
			id = "row" + strconv.Itoa(t.lines[r])
		}
		if l, dup := seen[id]; dup {
			return &InputError{Path: path, Line: t.lines[r], Field: "id", Value: id, Err: fmt.Errorf("cell id already on line %d", l)}
		}
		seen[id] = t.lines[r]
		if pop == 0 {
			g.SkippedEmpty++
			continue
		}
		// The id alone is kept: as read, it holds its whole CSV line
		// (every column of a Filosofi row) in memory.
		c := Cell{ID: strings.Clone(id), Population: pop}
		if format == FormatCSV {
			if c.Lon, c.Lat, err = t.lonLat(r, iLon, iLat); err != nil {
				return err
			}
			if c.Lon == 0 && c.Lat == 0 {
				return &InputError{Path: path, Line: t.lines[r], Field: t.header[iLon] + "," + t.header[iLat], Value: t.get(r, iLon) + "," + t.get(r, iLat),
					Err: errors.New("a populated cell at 0,0 (missing coordinates written as 0?)")}
			}
			c.Geometry = orb.Point{c.Lon, c.Lat}
		} else {
			gc, err := parseGridID(id)
			if err != nil {
				return &InputError{Path: path, Line: t.lines[r], Field: t.header[iID], Value: id, Err: err}
			}
			sc := byCRS[gc.crs]
			if sc == nil && len(byCRS) == 0 {
				sc = make([]squareCell, 0, len(t.rows)-r) // usually the only CRS
			}
			byCRS[gc.crs] = append(sc, squareCell{len(g.Cells), t.lines[r], gc})
			c.sq = refs.ref(gc)
		}
		g.Cells = append(g.Cells, c)
	}
	// The rows and the id map are done with: a large grid's are freed
	// before its squares are built, rather than piling up under them.
	big := len(t.rows) > 1<<16
	t.rows, seen = nil, nil
	if big {
		runtime.GC()
	}
	return g.projectSquares(byCRS, func(sc squareCell, err error) error {
		return &InputError{Path: path, Line: sc.line, Field: t.header[iID], Value: g.Cells[sc.cell].ID, Err: err}
	}, nil)
}

// projectSquares sets the centres (and the squares of cells off an
// aligned grid) of the cells byCRS, CRS by CRS (in practice one); a cell
// PROJ cannot place is the error fail makes of it. When placed is set, it
// is given each cell and its square's four corners, as transformed.
func (g *Grid) projectSquares(byCRS map[string][]squareCell, fail func(squareCell, error) error, placed func(squareCell, []orb.Point)) error {
	crss := make([]string, 0, len(byCRS))
	for crs := range byCRS {
		crss = append(crss, crs)
	}
	slices.Sort(crss)
	// The corners go through PROJ squareChunk cells at a time, in one
	// buffer: the points of a whole national grid at once would be two
	// large allocations (points and PROJ's flat copy) on top of the cells.
	var pts []orb.Point
	for _, crs := range crss {
		all := byCRS[crs]
		for lo := 0; lo < len(all); lo += squareChunk {
			cells := all[lo:min(lo+squareChunk, len(all))]
			if pts == nil {
				pts = make([]orb.Point, 0, 5*min(len(all), squareChunk))
			}
			pts = pts[:0]
			for _, sc := range cells {
				pts = sc.gc.corners(pts)
			}
			if err := toLonLat(crs, pts); err != nil {
				sc := all[0]
				var pe *pointError
				if errors.As(err, &pe) {
					sc = cells[pe.Index/5]
				}
				return fail(sc, err)
			}
			g.placeSquares(cells, pts)
			if placed != nil {
				for k, sc := range cells {
					placed(sc, pts[5*k:5*k+4])
				}
			}
		}
	}
	return nil
}

// squareChunk is how many cells' corners readCSV projects at a time.
const squareChunk = 1 << 16

// placeSquares sets the centres of cells from their transformed corners
// pts (5 a cell), and the squares of those not on an aligned grid.
func (g *Grid) placeSquares(cells []squareCell, pts []orb.Point) {
	for k, sc := range cells {
		c := &g.Cells[sc.cell]
		if c.sq.grid != nil {
			// Its square is made again when written (cellShapes).
			c.Lon, c.Lat = pts[5*k+4][0], pts[5*k+4][1]
			continue
		}
		sq, centre := squareOf(pts[5*k : 5*k+5])
		c.Lon, c.Lat, c.Geometry = centre[0], centre[1], sq
	}
}

// squareCell is a cell whose square is still to be projected.
type squareCell struct {
	cell, line int
	gc         gridCell
}
