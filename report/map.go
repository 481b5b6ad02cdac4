package report

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/paulmach/orb"
)

// mapData is the map, projected and simplified, ready to write.
type mapData struct {
	proj   *projection
	tol    float64 // simplification tolerance, metres
	levels []mapLevel
	gaps   []mapShape // gaps of the finest level
	points [][]mapPoint
	// changeMax is the half-width of the change colour scale, in
	// percentage points (compare mode).
	changeMax float64
	notes     []note
}

type mapLevel struct {
	name   string
	shapes []mapShape
}

type mapShape struct {
	row  int // index into run.terr, and within the level for data-i
	i    int
	d    string
	fill string
}

type mapPoint struct {
	x, y  int
	title string
}

// buildMap projects and simplifies the drawn levels, the gaps of the
// finest level and the service points.
func (d *doc) buildMap(ctx context.Context) error {
	levels := d.drawnLevels()
	var lonlat []orb.Geometry
	for _, lv := range levels {
		for _, i := range d.r.levelRows(lv) {
			lonlat = append(lonlat, d.r.terr[i].geom)
		}
	}
	for _, p := range d.r.points {
		if p.hasGeom {
			lonlat = append(lonlat, p.geom)
		}
	}
	b, ok := bound(lonlat)
	if !ok {
		return nil
	}
	pr, err := newProjection(b)
	if err != nil {
		return err
	}
	m := &mapData{proj: pr}
	// Project once; fit the frame to the projected extent.
	type projected struct {
		row    int
		i      int
		g, gap orb.Geometry
	}
	var all [][]projected
	var pb []orb.Geometry
	for li, lv := range levels {
		var ps []projected
		for j, i := range d.r.levelRows(lv) {
			t := &d.r.terr[i]
			if t.geom == nil {
				continue
			}
			g, err := pr.project(t.geom)
			if err != nil {
				return fmt.Errorf("report: territory %s %s: %w", t.level, t.code, err)
			}
			x := projected{row: i, i: j, g: g}
			if li == 0 && t.gapGeom != nil {
				if x.gap, err = pr.project(t.gapGeom); err != nil {
					return fmt.Errorf("report: gap of %s %s: %w", t.level, t.code, err)
				}
			}
			ps = append(ps, x)
			pb = append(pb, g)
		}
		all = append(all, ps)
	}
	var pts []orb.Geometry
	for _, p := range d.r.points {
		if !p.hasGeom {
			pts = append(pts, nil)
			continue
		}
		g, err := pr.project(p.geom)
		if err != nil {
			return fmt.Errorf("report: point %s: %w", p.id, err)
		}
		pts = append(pts, g)
		pb = append(pb, g)
	}
	pbound, _ := bound(pb)
	pr.fit(pbound)
	if d.opts.SimplifyPx > 0 {
		m.tol = pr.tolerance(d.opts.SimplifyPx)
	}
	if d.diff != nil {
		m.changeMax = 1
		for _, t := range d.diff.Territories {
			m.changeMax = math.Max(m.changeMax, math.Abs(t.CoverageChange))
		}
		m.changeMax = math.Ceil(m.changeMax/niceStep(m.changeMax, 2)) * niceStep(m.changeMax, 2)
	}
	lost := 0
	var lostCodes []string
	for li, lv := range levels {
		ml := mapLevel{name: lv}
		for _, x := range all[li] {
			if err := ctx.Err(); err != nil {
				return err
			}
			s, err := simplify(x.g, m.tol)
			if err != nil {
				return fmt.Errorf("report: territory %s %s: %w", lv, d.r.terr[x.row].code, err)
			}
			path := pr.path(s)
			if path == "" {
				// Too small to be seen at this scale: keep it as drawn
				// without simplification so that every territory has a
				// shape, and count it when even that is empty.
				path = pr.path(x.g)
			}
			if path == "" {
				lost++
				lostCodes = append(lostCodes, lv+" "+d.r.terr[x.row].code)
				continue
			}
			ml.shapes = append(ml.shapes, mapShape{row: x.row, i: x.i, d: path, fill: d.fill(x.row, m.changeMax)})
			if li == 0 && x.gap != nil {
				s, err := simplify(x.gap, m.tol)
				if err != nil {
					return fmt.Errorf("report: gap of %s %s: %w", lv, d.r.terr[x.row].code, err)
				}
				if p := pr.path(s); p != "" {
					m.gaps = append(m.gaps, mapShape{row: x.row, i: x.i, d: p})
				}
			}
		}
		m.levels = append(m.levels, ml)
	}
	if lost > 0 {
		m.notes = append(m.notes, note{key: "noGeometry", args: []any{lost, examples(lostCodes)}})
	}
	m.points = make([][]mapPoint, len(d.r.categories))
	for i, p := range d.r.points {
		if pts[i] == nil {
			continue
		}
		k := -1
		for j, c := range d.r.categories {
			if c == p.category {
				k = j
			}
		}
		if k < 0 {
			d.r.categories = append(d.r.categories, p.category)
			m.points = append(m.points, nil)
			k = len(d.r.categories) - 1
		}
		x, y := pr.xy(pts[i].(orb.Point))
		title := p.name
		if title == "" {
			title = p.id
		}
		if p.hasSole {
			title += " — " + d.l.tr("sole") + " : " + d.l.Number(p.sole, 0)
		}
		m.points[k] = append(m.points[k], mapPoint{x: x, y: y, title: title})
	}
	d.m = m
	return nil
}

// fill returns the colour of a territory: its coverage on viridis, or in
// compare mode its change on PuOr.
func (d *doc) fill(row int, changeMax float64) string {
	t := &d.r.terr[row]
	if d.diff != nil {
		old, change, _ := d.oldValues(t)
		if math.IsNaN(change) || (math.IsNaN(old) && !t.covOK) {
			return noDataColour
		}
		return ramp(puOr, 0.5+change/(2*changeMax))
	}
	if !t.covOK {
		return noDataColour
	}
	return ramp(viridis, t.cov)
}

func (d *doc) writeMap(w *bufio.Writer) {
	l, m := d.l, d.m
	fmt.Fprintf(w, `<section id="s-map"><h2>%s</h2>`, esc(l.tr("map")))
	if m == nil {
		w.WriteString("</section>")
		return
	}
	// Layer switches.
	fmt.Fprintf(w, `<fieldset class="layers"><legend>%s</legend>`, esc(l.tr("layers")))
	for _, lv := range m.levels {
		fmt.Fprintf(w, `<label><input type="checkbox" data-toggle="level:%s" checked> %s (%d)</label>`, esc(lv.name), esc(lv.name), len(lv.shapes))
	}
	if len(m.gaps) > 0 {
		fmt.Fprintf(w, `<label><input type="checkbox" data-toggle="gaps" checked> <span class="swatch hatch"></span>%s</label>`, esc(l.tr("gaps")))
	}
	for k, ps := range m.points {
		if len(ps) == 0 {
			continue
		}
		fmt.Fprintf(w, `<label><input type="checkbox" data-toggle="points:%s" checked> <span class="swatch dot" style="background:%s"></span>%s (%d)</label>`,
			esc(d.r.categories[k]), categoryColour(k), esc(l.tr("points", d.r.categories[k])), len(ps))
	}
	w.WriteString("</fieldset>")
	pr := m.proj
	fmt.Fprintf(w, `<div class="mapwrap"><svg id="map" viewBox="0 0 %d %d" data-crs="%s" preserveAspectRatio="xMidYMid meet" role="img" aria-label="%s">`,
		pr.width, pr.height, esc(pr.crs), esc(l.tr("map")))
	fmt.Fprintf(w, `<defs><pattern id="hatch" patternUnits="userSpaceOnUse" width="60" height="60" patternTransform="rotate(45)"><rect width="14" height="60" fill="#fff" fill-opacity=".75"/><rect x="30" width="8" height="60" fill="#000" fill-opacity=".35"/></pattern></defs>`)
	w.WriteString(`<g id="viewport">`)
	for li, lv := range m.levels {
		cls := "fine"
		if li > 0 {
			cls = "coarse"
		}
		fmt.Fprintf(w, `<g class="layer level %s" data-layer="level:%s" data-shapes="%d">`, cls, esc(lv.name), len(lv.shapes))
		for _, s := range lv.shapes {
			fmt.Fprintf(w, `<path data-level="%s" data-i="%d" data-code="%s" fill="%s" d="%s"/>`, esc(lv.name), s.i, esc(d.r.terr[s.row].code), s.fill, s.d)
		}
		w.WriteString("</g>")
		if li == 0 && len(m.gaps) > 0 {
			fmt.Fprintf(w, `<g class="layer gaps" data-layer="gaps" data-shapes="%d">`, len(m.gaps))
			for _, s := range m.gaps {
				fmt.Fprintf(w, `<path data-code="%s" d="%s"/>`, esc(d.r.terr[s.row].code), s.d)
			}
			w.WriteString("</g>")
		}
	}
	for k, ps := range m.points {
		if len(ps) == 0 {
			continue
		}
		fmt.Fprintf(w, `<g class="layer points" data-layer="points:%s" data-shapes="%d" fill="%s">`, esc(d.r.categories[k]), len(ps), categoryColour(k))
		for _, p := range ps {
			fmt.Fprintf(w, `<circle cx="%d" cy="%d" r="40"><title>%s</title></circle>`, p.x, p.y, esc(p.title))
		}
		w.WriteString("</g>")
	}
	w.WriteString(`</g></svg>`)
	fmt.Fprintf(w, `<div class="zoom"><button type="button" data-zoom="in" title="%s" aria-label="%s">+</button><button type="button" data-zoom="out" title="%s" aria-label="%s">−</button><button type="button" data-zoom="reset" title="%s" aria-label="%s">⤢</button></div>`,
		esc(l.tr("zoomIn")), esc(l.tr("zoomIn")), esc(l.tr("zoomOut")), esc(l.tr("zoomOut")), esc(l.tr("zoomReset")), esc(l.tr("zoomReset")))
	w.WriteString(`<div id="tip" class="tip" role="status" hidden></div></div>`)
	fmt.Fprintf(w, `<p class="small">%s</p>`, esc(l.tr("mapHelp")))
	d.writeLegend(w)
	fmt.Fprintf(w, `<p class="small">%s</p></section>`, esc(l.tr("projection", pr.crs, l.Number(m.tol, 0))))
}

// writeLegend writes the colour scale: coverage 0–100 % on viridis, or the
// change on PuOr, with the no-data swatch.
func (d *doc) writeLegend(w *bufio.Writer) {
	l, m := d.l, d.m
	stops, title := viridis, l.tr("coverageOf")
	lo, hi := 0.0, 1.0
	label := func(v float64) string { return l.percent(v, 0) }
	if d.diff != nil {
		stops, title = puOr, l.tr("change")
		lo, hi = -m.changeMax, m.changeMax
		label = func(v float64) string { return l.Signed(v, 0) }
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, `<figure class="legend"><figcaption>%s</figcaption><svg viewBox="0 0 480 46" class="legend-scale" role="img" aria-label="%s"><defs><linearGradient id="scale">`, esc(title), esc(title))
	for i, c := range stops {
		fmt.Fprintf(&sb, `<stop offset="%s" stop-color="rgb(%d,%d,%d)"/>`, f1(float64(i)/float64(len(stops)-1)), c[0], c[1], c[2])
	}
	sb.WriteString(`</linearGradient></defs><rect x="24" y="4" width="300" height="16" fill="url(#scale)"/>`)
	for i := 0; i <= 4; i++ {
		v := lo + (hi-lo)*float64(i)/4
		x := 24 + 300*float64(i)/4
		fmt.Fprintf(&sb, `<line class="axis" x1="%s" x2="%s" y1="20" y2="25"/><text class="tick" x="%s" y="38" text-anchor="middle">%s</text>`, f1(x), f1(x), f1(x), esc(label(v)))
	}
	fmt.Fprintf(&sb, `<rect x="352" y="4" width="16" height="16" fill="%s"/><text class="tick" x="372" y="16">%s</text></svg></figure>`, noDataColour, esc(l.tr("noPopulation")))
	w.WriteString(sb.String())
}
