package streets

import (
	"math"
	"slices"

	"github.com/vingt/vingt/gtfs"
)

const (
	earthR       = 6371000.0
	degM         = earthR * math.Pi / 180 // metres per degree of latitude
	gridCellM    = 100.0                  // target cell side in metres
	maxGridCells = 1 << 26                // bound on the grid's cell count
)

// Link is a point attached to the graph: the nearest point of edge Edge's
// shape, ToU and ToV metres along the shape from the edge's ends U and V,
// and Off crow-fly metres from the point itself.
type Link struct {
	Edge     int32
	U, V     int32
	ToU, ToV float32
	Off      float32
}

// grid is a uniform lat/lon grid over the shapes' bounding box; cell c
// lists in seg[off[c]:off[c+1]] the edges, in order, with a segment whose
// bounding box touches it (each edge once; a link scans all of its
// segments).
type grid struct {
	lat0, lon0 float64 // south-west corner, degrees
	dlat, dlon float64 // cell size, degrees
	cellM      float64 // the smaller side of a cell, metres
	nx, ny     int
	off        []int32
	seg        []int32
}

func newGrid(g *Graph) grid {
	var gr grid
	if len(g.edge) == 0 {
		return gr
	}
	minLat, maxLat := int32(math.MaxInt32), int32(math.MinInt32)
	minLon, maxLon := int32(math.MaxInt32), int32(math.MinInt32)
	for _, lat := range [2][]int32{g.vlat, g.slat} {
		for _, x := range lat {
			minLat, maxLat = min(minLat, x), max(maxLat, x)
		}
	}
	for _, lon := range [2][]int32{g.vlon, g.slon} {
		for _, x := range lon {
			minLon, maxLon = min(minLon, x), max(maxLon, x)
		}
	}
	gr.lat0, gr.lon0 = float64(minLat)/fixScale, float64(minLon)/fixScale
	h := float64(maxLat-minLat)/fixScale + 1e-9
	w := float64(maxLon-minLon)/fixScale + 1e-9
	midLat := gr.lat0 + h/2
	coslat := max(math.Cos(midLat*math.Pi/180), 0.01)
	cell := gridCellM
	nseg := g.shapePoints() - len(g.edge)
	limit := float64(min(maxGridCells, max(1024, nseg)))
	for (h*degM/cell+1)*(w*degM*coslat/cell+1) > limit {
		cell *= 1.5
	}
	gr.dlat = cell / degM
	gr.dlon = cell / (degM * coslat)
	// the cell is cell metres tall, and at least cell·cos(maxLat)/cos(mid) wide
	far := max(math.Abs(gr.lat0), math.Abs(gr.lat0+h))
	gr.cellM = cell * min(1, max(math.Cos(far*math.Pi/180), 0.01)/coslat)
	gr.ny = int(h/gr.dlat) + 1
	gr.nx = int(w/gr.dlon) + 1
	gr.off = make([]int32, gr.nx*gr.ny+1)
	var cells []int // the cells of one edge (no array per cell)
	for round := range 2 {
		if round == 1 {
			for c := 0; c < len(gr.off)-1; c++ {
				gr.off[c+1] += gr.off[c]
			}
			gr.seg = make([]int32, gr.off[len(gr.off)-1])
		}
		for e := range g.edge {
			e := int32(e)
			cells = cells[:0]
			for i := g.shapeOff[e]; i+1 < g.shapeOff[e+1]; i++ {
				x0, y0 := gr.cell(g.point(e, i))
				x1, y1 := gr.cell(g.point(e, i+1))
				for y := min(y0, y1); y <= max(y0, y1); y++ {
					for x := min(x0, x1); x <= max(x0, x1); x++ {
						cells = append(cells, y*gr.nx+x)
					}
				}
			}
			slices.Sort(cells)
			for _, c := range slices.Compact(cells) {
				if round == 0 {
					gr.off[c+1]++
				} else {
					gr.seg[gr.off[c]] = e
					gr.off[c]++
				}
			}
		}
	}
	// off[c] now holds the end of cell c: shift back.
	copy(gr.off[1:], gr.off[:len(gr.off)-1])
	gr.off[0] = 0
	return gr
}

// cell returns the grid column and row of a fixed-point position, clamped.
func (gr *grid) cell(lat, lon int32) (x, y int) {
	return gr.cellf(float64(lat)/fixScale, float64(lon)/fixScale)
}

func (gr *grid) cellf(lat, lon float64) (x, y int) {
	fx := (lon - gr.lon0) / gr.dlon
	fy := (lat - gr.lat0) / gr.dlat
	x = int(min(max(fx, 0), float64(gr.nx-1)))
	y = int(min(max(fy, 0), float64(gr.ny-1)))
	return x, y
}

// OppositeExtra is how much farther (metres) than a point's nearest edge
// the nearest edge on its other side may lie for the point to link to both
// (LinkAll).
const OppositeExtra = 15

// Links are the attachments of a point to the graph (LinkAll): its nearest
// edge, and the nearest edge on its other side when there is one within
// OppositeExtra metres more. L[:N] hold them, nearest first.
type Links struct {
	L [2]Link
	N int32
}

// One returns the Links of a point attached to l only.
func One(l Link) Links { return Links{L: [2]Link{l}, N: 1} }

// All returns the links, nearest first. The slice aliases ls.
func (ls *Links) All() []Link { return ls.L[:ls.N] }

// Link attaches the point (lat, lon) to the nearest point of any edge's
// shape within radius metres (0 means the graph's LinkRadius, at most
// MaxLinkRadius). Nearness is measured in a local equirectangular projection
// at the point; Off and the along distances are then great-circle metres. It
// reports false when no edge is that close or the position is invalid.
//
// Islands: a segment of a kept component with fewer than IslandVertices
// vertices (not the largest) is linked to only when no segment of a larger
// component lies within the radius, however much nearer the island is: a
// stop beside a park path or a station footway not joined to the streets
// would otherwise walk nowhere.
func (g *Graph) Link(lat, lon, radius float64) (Link, bool) {
	ls, ok := g.link(lat, lon, radius, nil, false)
	return ls.L[0], ok
}

// LinkAll is Link, and also attaches the point to the nearest point on its
// other side, when the point lies between two streets: the nearest segment
// whose nearest point q is more than 120° away from p, the nearest point
// of Link (cos(q, p) < −1/2, both as vectors from the point in the
// projection of Link), of the same kind (island or not) as Link's, within
// the radius and at most OppositeExtra metres farther than p. A stop in the
// median of a divided avenue, or on the centre line between its
// carriageways, walks to both; a stop on the kerb of one carriageway does
// not link across it (the farther carriageway lies on the same side), nor
// does a point near the corner of a block link to both streets of the
// corner (90°). Walks from such a point start from both links, each with
// its own off-edge walk; no edge is added to the graph, so the two links
// are no shortcut for anyone else.
//
// OpenTripPlanner's VertexLinker links to every edge within 1 mm of the
// nearest (back edges and duplicate ways); R5 links to the nearest only.
// In Porto Alegre 26 % of the linked stops link to both sides, against 14 %
// of the hexagon centres (points placed regardless of the streets): the
// stops' excess lies below 15 m farther, the carriageways of divided
// avenues (BENCHMARKS.md).
func (g *Graph) LinkAll(lat, lon, radius float64) (Links, bool) {
	return g.link(lat, lon, radius, nil, true)
}

// link is LinkAll (Link when both is false); island, when not nil, tells
// whether the segment starting at shape point i lies on an island (Load
// uses it before the graph's edges are ordered), else the segments from
// g.islandFrom on are.
func (g *Graph) link(lat, lon, radius float64, island func(i int32) bool, both bool) (Links, bool) {
	if radius == 0 {
		radius = g.radius
	}
	radius = min(radius, MaxLinkRadius)
	if !(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180) || !(radius > 0) || len(g.grid.off) == 0 {
		return Links{}, false
	}
	r2 := radius * radius * 1.01 // projected distance may differ a little from haversine
	// the nearest segment on the main components, else on islands
	sc := linkScan{lat: lat, lon: lon, kx: math.Cos(lat*math.Pi/180) * degM, island: island}
	sc.scan(g, r2)
	n, isle := sc.main, false
	if n.seg < 0 || n.d2 > r2 {
		n, isle = sc.isle, true
	}
	if n.seg < 0 || n.d2 > r2 {
		return Links{}, false
	}
	var ls Links
	ls.L[0] = g.linkAt(n.seg, n.t, lat, lon)
	if float64(ls.L[0].Off) > radius {
		return Links{}, false
	}
	ls.N = 1
	if !both || n.d2 == 0 {
		return ls, true
	}
	// the nearest segment of the same kind on the other side
	lim := math.Sqrt(n.d2) + OppositeExtra
	sc.opp, sc.px, sc.py, sc.pd2, sc.oppIsle = true, n.px, n.py, n.d2, isle
	sc.main, sc.isle = linkBest{seg: -1, d2: math.Inf(1)}, linkBest{seg: -1, d2: math.Inf(1)}
	sc.scan(g, min(lim*lim, r2))
	if o := sc.main; o.seg >= 0 && o.d2 <= min(lim*lim, r2) {
		if l := g.linkAt(o.seg, o.t, lat, lon); float64(l.Off) <= radius {
			ls.L[1], ls.N = l, 2
		}
	}
	return ls, true
}

// linkBest is the nearest segment found by a linkScan: its first shape
// point, the parameter of its nearest point, the squared projected distance
// and the vector from the point to it (metres).
type linkBest struct {
	seg    int32
	t, d2  float64
	px, py float64
}

// linkScan looks for the nearest segments of the grid around a point.
type linkScan struct {
	lat, lon, kx float64
	island       func(i int32) bool
	// main and isle are the nearest segments on the main components and
	// on islands; with opp, main is the nearest segment on islands
	// (oppIsle) or not whose nearest point q makes an angle of more than
	// 120° with (px, py) as seen from the point.
	main, isle linkBest
	opp        bool
	oppIsle    bool
	px, py     float64
	pd2        float64 // px² + py²
	// seen holds edges already compared in this scan (an edge is listed
	// in every cell it touches), by e mod len, plus one: a hint only (a
	// collision compares an edge again, to the same effect)
	seen [128]int32
}

// scan visits the grid's cells ring by ring around the point until no
// segment within r2 (squared metres) is left unseen.
func (sc *linkScan) scan(g *Graph, r2 float64) {
	if !sc.opp {
		sc.main, sc.isle = linkBest{seg: -1, d2: math.Inf(1)}, linkBest{seg: -1, d2: math.Inf(1)}
	}
	clear(sc.seen[:])
	gr := &g.grid
	lat, lon := sc.lat, sc.lon
	// the point's cell, possibly outside the grid: rings around it
	fx := math.Floor((lon - gr.lon0) / gr.dlon)
	fy := math.Floor((lat - gr.lat0) / gr.dlat)
	maxRing := int(math.Sqrt(r2)/gr.cellM) + 2
	for ring := 0; ring <= maxRing; ring++ {
		// every segment not yet seen is at least (ring-1) cells away
		if d := float64(ring-1) * gr.cellM; ring > 0 && d*d > min(sc.main.d2, r2) {
			break
		}
		for dy := -ring; dy <= ring; dy++ {
			y := fy + float64(dy)
			if y < 0 || y >= float64(gr.ny) {
				continue
			}
			step := 1
			if dy != -ring && dy != ring {
				step = 2 * ring // only the ring's left and right cells
			}
			for dx := -ring; dx <= ring; dx += max(step, 1) {
				x := fx + float64(dx)
				if x < 0 || x >= float64(gr.nx) {
					continue
				}
				c := int(y)*gr.nx + int(x)
				for _, e := range gr.seg[gr.off[c]:gr.off[c+1]] {
					if h := &sc.seen[e%int32(len(sc.seen))]; *h != e+1 {
						*h = e + 1
						sc.edge(g, e)
					}
				}
			}
		}
	}
}

// edge compares the segments of edge e with the nearest found so far.
func (sc *linkScan) edge(g *Graph, e int32) {
	lat, lon, kx := sc.lat, sc.lon, sc.kx
	ed := &g.edge[e]
	first, end := g.shapeOff[e], g.shapeOff[e+1]-1 // the points at u and v
	ax := (float64(g.vlon[ed.u])/fixScale - lon) * kx
	ay := (float64(g.vlat[ed.u])/fixScale - lat) * degM
	for i := first; i < end; i++ {
		var blat, blon int32
		if i+1 == end {
			blat, blon = g.vlat[ed.v], g.vlon[ed.v]
		} else {
			blat, blon = g.slat[i-2*e], g.slon[i-2*e] // point i+1
		}
		bx := (float64(blon)/fixScale - lon) * kx
		by := (float64(blat)/fixScale - lat) * degM
		t, d2 := project(ax, ay, bx, by)
		onIsland := i >= g.islandFrom
		if sc.island != nil {
			onIsland = sc.island(i)
		}
		qx, qy := ax+t*(bx-ax), ay+t*(by-ay)
		ax, ay = bx, by
		b := &sc.main
		switch {
		case sc.opp:
			// cos(q, p) < -1/2, without a square root
			dot := qx*sc.px + qy*sc.py
			if onIsland != sc.oppIsle || !(dot < 0 && 4*dot*dot > d2*sc.pd2) {
				continue
			}
		case onIsland:
			b = &sc.isle
		}
		if d2 < b.d2 || (d2 == b.d2 && i < b.seg) {
			*b = linkBest{seg: i, t: t, d2: d2, px: qx, py: qy}
		}
	}
}

// project returns the parameter t in [0, 1] of the point of segment a→b
// nearest to the origin, and the squared distance to it.
func project(ax, ay, bx, by float64) (t, d2 float64) {
	dx, dy := bx-ax, by-ay
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = min(max(-(ax*dx+ay*dy)/l2, 0), 1)
	}
	px, py := ax+t*dx, ay+t*dy
	return t, px*px + py*py
}

// linkAt builds the Link of the point (lat, lon) projected at t on segment
// i→i+1.
func (g *Graph) linkAt(i int32, t float64, lat, lon float64) Link {
	// the edge holding shape point i: shapeOff[e] <= i < shapeOff[e+1]-1
	lo, hi := 0, len(g.edge)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if g.shapeOff[m+1] <= i {
			lo = m + 1
		} else {
			hi = m
		}
	}
	e := int32(lo)
	ilat, ilon := g.point(e, i)
	jlat, jlon := g.point(e, i+1)
	alat, alon := float64(ilat)/fixScale, float64(ilon)/fixScale
	blat, blon := float64(jlat)/fixScale, float64(jlon)/fixScale
	plat, plon := alat+t*(blat-alat), alon+t*(blon-alon)
	var along, total float64
	for j := g.shapeOff[e]; j+1 < g.shapeOff[e+1]; j++ {
		if j == i {
			along = total + gtfs.Distance(alat, alon, plat, plon)
		}
		lat0, lon0 := g.point(e, j)
		lat1, lon1 := g.point(e, j+1)
		total += fixDist(lat0, lon0, lat1, lon1)
	}
	return Link{
		Edge: e, U: g.edge[e].u, V: g.edge[e].v,
		ToU: float32(along), ToV: float32(max(total-along, 0)),
		Off: float32(gtfs.Distance(lat, lon, plat, plon)),
	}
}
