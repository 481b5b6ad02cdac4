package report

import (
	"fmt"
	"html"
	"math"
	"sort"
	"strconv"
	"strings"
)

// curveStep is the resolution, in minutes, of the cumulative curves.
const curveStep = 0.1

// curveMax is the right end of the cumulative curves, in minutes.
const curveMax = 60.0

// curve is the cumulative population by travel time for one category.
type curve struct {
	category string
	// ys[j] is the population of the cells whose travel time is at most
	// j·curveStep minutes.
	ys []float64
	// total is the population of all cells; reached the population
	// within curveMax (ys' last value); atThreshold within the threshold.
	total, reached, atThreshold float64
}

// cumulative computes the curve of one category from the cells'
// populations and travel times (NaN: unreachable), binned exactly: a cell
// counts in every bin from the first edge at or after its time.
func cumulative(category string, pop, tt []float64, threshold float64) curve {
	n := int(math.Round(curveMax/curveStep)) + 1
	c := curve{category: category, ys: make([]float64, n)}
	add := make([]float64, n)
	for i, p := range pop {
		c.total += p
		t := tt[i]
		if math.IsNaN(t) || t > curveMax {
			continue
		}
		j := int(math.Ceil(t/curveStep - 1e-9))
		if j < 0 {
			j = 0
		}
		if j >= n {
			j = n - 1
		}
		add[j] += p
		if t <= threshold {
			c.atThreshold += p
		}
	}
	sum := 0.0
	for j := range add {
		sum += add[j]
		c.ys[j] = sum
	}
	c.reached = c.ys[n-1]
	return c
}

// niceStep returns a round step (1, 2 or 5 × 10^k) giving about n ticks
// up to max.
func niceStep(max float64, n int) float64 {
	if max <= 0 || math.IsNaN(max) {
		return 1
	}
	raw := max / float64(n)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}

func f1(x float64) string { return strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64) }

// raw writes a number for a data- attribute: the shortest exact form.
func raw(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// curveSVG draws one cumulative curve, the threshold marked, the total
// population as a dashed line.
func curveSVG(l Lang, c curve, threshold float64, label string) string {
	const W, H, ml, mr, mt, mb = 640.0, 300.0, 78.0, 16.0, 16.0, 44.0
	pw, ph := W-ml-mr, H-mt-mb
	ymax := c.total
	if ymax <= 0 {
		ymax = 1
	}
	step := niceStep(ymax, 5)
	ytop := math.Ceil(ymax/step) * step
	X := func(m float64) float64 { return ml + pw*m/curveMax }
	Y := func(p float64) float64 { return mt + ph*(1-p/ytop) }
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart curve" viewBox="0 0 %g %g" role="img" aria-label="%s" data-category="%s" data-total="%s" data-reached="%s" data-unreached="%s" data-threshold-population="%s">`,
		W, H, html.EscapeString(l.tr("cumTitle", label)), html.EscapeString(c.category), raw(c.total), raw(c.reached), raw(c.total-c.reached), raw(c.atThreshold))
	// Axes and grid.
	for v := 0.0; v <= ytop+step/2; v += step {
		y := Y(v)
		fmt.Fprintf(&sb, `<line class="grid" x1="%s" x2="%s" y1="%s" y2="%s"/><text class="tick" x="%s" y="%s" text-anchor="end">%s</text>`,
			f1(ml), f1(ml+pw), f1(y), f1(y), f1(ml-6), f1(y+4), l.Number(v, 0))
	}
	for m := 0.0; m <= curveMax; m += 10 {
		x := X(m)
		fmt.Fprintf(&sb, `<line class="axis" x1="%s" x2="%s" y1="%s" y2="%s"/><text class="tick" x="%s" y="%s" text-anchor="middle">%s</text>`,
			f1(x), f1(x), f1(mt+ph), f1(mt+ph+5), f1(x), f1(mt+ph+18), l.Number(m, 0))
	}
	fmt.Fprintf(&sb, `<text class="label" x="%s" y="%s" text-anchor="middle">%s</text>`, f1(ml+pw/2), f1(H-6), html.EscapeString(l.tr("cumX")))
	// Total population.
	fmt.Fprintf(&sb, `<line class="total" x1="%s" x2="%s" y1="%s" y2="%s"/>`, f1(ml), f1(ml+pw), f1(Y(c.total)), f1(Y(c.total)))
	// Threshold.
	if threshold > 0 && threshold <= curveMax {
		x := X(threshold)
		fmt.Fprintf(&sb, `<line class="threshold" x1="%s" x2="%s" y1="%s" y2="%s"/><text class="thlabel" x="%s" y="%s">%s</text>`,
			f1(x), f1(x), f1(mt), f1(mt+ph), f1(x+4), f1(mt+12), html.EscapeString(l.tr("threshold", l.Number(threshold, 0), l.Number(c.atThreshold, 0))))
	}
	// The curve: a staircase through the bins where the population grows.
	fmt.Fprintf(&sb, `<path class="cum" data-last="%s" d="M%s %s`, raw(c.ys[len(c.ys)-1]), f1(X(0)), f1(Y(c.ys[0])))
	for j := 1; j < len(c.ys); j++ {
		if c.ys[j] != c.ys[j-1] {
			fmt.Fprintf(&sb, "H%sV%s", f1(X(float64(j)*curveStep)), f1(Y(c.ys[j])))
		}
	}
	fmt.Fprintf(&sb, `H%s"/>`, f1(X(curveMax)))
	sb.WriteString(`</svg>`)
	return sb.String()
}

// barsSVG draws the coverage of every territory of one level, sorted from
// highest to lowest, coloured like the map; territories without
// population are left out.
func barsSVG(l Lang, level string, rows []territory) string {
	type bar struct {
		label string
		cov   float64
	}
	var bars []bar
	for _, t := range rows {
		if t.covOK {
			bars = append(bars, bar{t.code + " " + t.name, t.cov})
		}
	}
	sort.SliceStable(bars, func(i, j int) bool { return bars[i].cov > bars[j].cov })
	const W, H, ml, mr, mt, mb = 640.0, 240.0, 48.0, 8.0, 10.0, 24.0
	pw, ph := W-ml-mr, H-mt-mb
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart bars" viewBox="0 0 %g %g" role="img" aria-label="%s" data-level="%s" data-bars="%d">`,
		W, H, html.EscapeString(l.tr("barsTitle", level)), html.EscapeString(level), len(bars))
	for v := 0; v <= 100; v += 25 {
		y := mt + ph*(1-float64(v)/100)
		fmt.Fprintf(&sb, `<line class="grid" x1="%s" x2="%s" y1="%s" y2="%s"/><text class="tick" x="%s" y="%s" text-anchor="end">%s</text>`,
			f1(ml), f1(ml+pw), f1(y), f1(y), f1(ml-6), f1(y+4), html.EscapeString(l.percent(float64(v)/100, 0)))
	}
	if len(bars) > 0 {
		bw := pw / float64(len(bars))
		for i, b := range bars {
			h := ph * b.cov
			fmt.Fprintf(&sb, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s : %s</title></rect>`,
				f1(ml+float64(i)*bw), f1(mt+ph-h), strconv.FormatFloat(math.Max(bw-0.2*bw, 0.3), 'f', 2, 64), f1(h), ramp(viridis, b.cov),
				html.EscapeString(b.label), html.EscapeString(l.Percent(b.cov)))
		}
	}
	fmt.Fprintf(&sb, `<line class="axis" x1="%s" x2="%s" y1="%s" y2="%s"/>`, f1(ml), f1(ml+pw), f1(mt+ph), f1(mt+ph))
	fmt.Fprintf(&sb, `<text class="label" x="%s" y="%s" text-anchor="middle">%s</text></svg>`, f1(ml+pw/2), f1(H-6), html.EscapeString(fmt.Sprintf("%d × %s", len(bars), level)))
	return sb.String()
}

// topClosures is how many points the closure chart shows.
const topClosures = 20

// closuresSVG draws the points whose closure would cost the most
// population served only through them, largest first.
func closuresSVG(l Lang, points []point, cats []string) string {
	var ps []point
	for _, p := range points {
		if p.hasSole && p.sole > 0 {
			ps = append(ps, p)
		}
	}
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].sole != ps[j].sole {
			return ps[i].sole > ps[j].sole
		}
		return ps[i].id < ps[j].id
	})
	if len(ps) > topClosures {
		ps = ps[:topClosures]
	}
	const W, row, ml, mr = 640.0, 20.0, 260.0, 80.0
	H := row*float64(len(ps)) + 8
	max := 1.0
	if len(ps) > 0 {
		max = ps[0].sole
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart closures" viewBox="0 0 %g %g" role="img" aria-label="%s" data-points="%d">`, W, H, html.EscapeString(l.tr("closures", topClosures)), len(ps))
	for i, p := range ps {
		y := 4 + row*float64(i)
		label := p.name
		if label == "" {
			label = p.id
		}
		label += " (" + p.category + ")"
		if r := []rune(label); len(r) > 40 {
			label = string(r[:39]) + "…"
		}
		w := (W - ml - mr) * p.sole / max
		k := 0
		for j, c := range cats {
			if c == p.category {
				k = j
			}
		}
		fmt.Fprintf(&sb, `<text class="tick" x="%s" y="%s" text-anchor="end">%s</text><rect x="%s" y="%s" width="%s" height="%s" fill="%s" data-id="%s" data-sole="%s"><title>%s</title></rect><text class="tick" x="%s" y="%s">%s</text>`,
			f1(ml-6), f1(y+row*0.7), html.EscapeString(label), f1(ml), f1(y+2), f1(w), f1(row-4), categoryColour(k),
			html.EscapeString(p.id), raw(p.sole), html.EscapeString(p.id), f1(ml+w+4), f1(y+row*0.7), l.Number(p.sole, 0))
	}
	sb.WriteString(`</svg>`)
	return sb.String()
}
