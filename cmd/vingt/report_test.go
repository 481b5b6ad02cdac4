package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/vingt/vingt/report"
	"github.com/vingt/vingt/table"
)

// outputs runs vingt once per test binary for each key and returns the
// output folder; later calls reuse it.
var outputs = struct {
	sync.Mutex
	dirs map[string]string
}{dirs: map[string]string{}}

func runOutputs(t *testing.T, key string, args ...string) string {
	t.Helper()
	outputs.Lock()
	defer outputs.Unlock()
	if d, ok := outputs.dirs[key]; ok {
		return d
	}
	dir := filepath.Join(filepath.Dir(vingtBin), "out-"+key)
	if r := runVingt(t, "", append(args, "--quiet", "--out", dir)...); r.code != 0 {
		t.Fatalf("vingt %v: exit %d\n%s", args, r.code, r.stderr)
	}
	outputs.dirs[key] = dir
	return dir
}

// exampleOutputs runs the embedded example (vingt run with no input).
func exampleOutputs(t *testing.T) string { return runOutputs(t, "example", "run") }

// dordogneOutputs runs the Dordogne command of README.
func dordogneOutputs(t *testing.T) string { return runOutputs(t, "dordogne", dordogneArgs(t)...) }

func TestReportCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the embedded example: not in -short")
	}
	out := exampleOutputs(t)
	r := runVingt(t, "", "report", out)
	if r.code != 0 || strings.TrimSpace(r.stdout) != filepath.Join(out, "report.html") {
		t.Fatalf("vingt report: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil || !bytes.Contains(b, []byte(`<html lang="fr">`)) {
		t.Fatalf("report.html: %v, French: %v", err, bytes.Contains(b, []byte(`lang="fr"`)))
	}
	en := filepath.Join(t.TempDir(), "en.html")
	if r := runVingt(t, "", "report", out, "--lang", "en", "--out", en); r.code != 0 {
		t.Fatalf("--lang en: exit %d: %s", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(en); !bytes.Contains(b, []byte(`<html lang="en">`)) {
		t.Error("--lang en: page not in English")
	}
	cmp := filepath.Join(t.TempDir(), "cmp.html")
	if r := runVingt(t, "", "report", out, out, "--out", cmp); r.code != 0 {
		t.Fatalf("report OLD NEW: exit %d: %s", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(cmp); !bytes.Contains(b, []byte(`id="s-diff"`)) || !bytes.Contains(b, []byte("Aucun changement.")) {
		t.Error("report OLD NEW of one run: no diff section saying no change")
	}
	empty := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"report", out, "--lang", "de"}, `language "de"`},
		{[]string{"report", filepath.Join(empty, "nowhere")}, "nowhere"},
		{[]string{"report", empty}, "no territories.parquet or territories.arrow"},
		{[]string{"report", out, out, "--compare", out}, "give the old run once"},
		{[]string{"report", out, "--simplify", "1e9"}, "simplification tolerance"},
	} {
		r := runVingt(t, "", c.args...)
		if r.code != 2 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("vingt %v: exit %d, stderr %q, want 2 and %q", c.args, r.code, r.stderr, c.want)
		}
	}
}

// chromium returns the path of a Chromium or Chrome, skipping the test
// when there is none.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium or Chrome on the PATH (make deps installs Debian's chromium): browser tests skipped")
	return ""
}

// page is what a browser saw while a report was open.
type page struct {
	mu       sync.Mutex
	console  []string // errors and exceptions
	requests []string // requests that were not for a file:// URL, or failed
}

func (p *page) add(list *[]string, s string) {
	p.mu.Lock()
	*list = append(*list, s)
	p.mu.Unlock()
}

// openReport opens the HTML file in a new headless browser from file://,
// with the network off: requests other than file:// are failed and
// recorded, and so are console errors. It returns the browser context,
// the page record and the time to first contentful paint.
func openReport(t *testing.T, path string) (context.Context, *page, float64) {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium(t)), chromedp.WindowSize(1200, 900), chromedp.DisableGPU)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	p := &page{}
	// Start the browser first, then subscribe (Console subscribes when it
	// returns), then read in another goroutine.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				p.add(&p.console, m.String())
			}
		}
	}()
	if err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			if u := e.Request.URL; !strings.HasPrefix(u, "file://") && !strings.HasPrefix(u, "about:") {
				p.add(&p.requests, "request "+u)
			}
		case *network.EventLoadingFailed:
			p.add(&p.requests, "failed "+e.ErrorText)
		}
	}); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	paused := chromedp.Events(ctx, fetch.RequestPaused)
	go func() {
		for e, err := range paused {
			if err != nil {
				return
			}
			p.add(&p.requests, "blocked "+e.Request.URL)
			chromedp.Call(ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: e.RequestID, ErrorReason: network.ErrorReasonInternetDisconnected})
		}
	}()
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "http*"}, {URLPattern: "ws*"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(path)
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+abs), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		t.Fatalf("opening %s: %v", path, err)
	}
	fcp, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`new Promise(r => { let n = 0; const f = () => { const e = performance.getEntriesByName('first-contentful-paint')[0]; if (e) r(e.startTime); else if (n++ > 100) r(-1); else requestAnimationFrame(f); }; f(); })`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	return ctx, p, fcp
}

// check fails the test on any console error or any request.
func (p *page) check(t *testing.T) {
	t.Helper()
	time.Sleep(200 * time.Millisecond) // let the last events arrive
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, m := range p.console {
		t.Errorf("console: %s", m)
	}
	for _, r := range p.requests {
		t.Errorf("network: %s", r)
	}
}

func evaluate[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluating %.80s…: %v", js, err)
	}
	return v
}

// levelsOf returns the levels of a territories table in order, with the
// rows of each.
func levelsOf(tb *table.Table) ([]string, map[string][]int) {
	var order []string
	rows := map[string][]int{}
	lv := tb.Column("level")
	for i := 0; i < tb.Len(); i++ {
		if _, ok := rows[lv.String[i]]; !ok {
			order = append(order, lv.String[i])
		}
		rows[lv.String[i]] = append(rows[lv.String[i]], i)
	}
	return order, rows
}

// checkReport runs the browser checks on the report of the run in out.
func checkReport(t *testing.T, out string, compare bool) {
	path := filepath.Join(t.TempDir(), "report.html")
	start := time.Now()
	args := []string{"report", out, "--out", path}
	if compare {
		args = append(args, "--compare", out+"-old")
	}
	if r := runVingt(t, "", args...); r.code != 0 {
		t.Fatalf("vingt report: exit %d: %s", r.code, r.stderr)
	}
	st, _ := os.Stat(path)
	t.Logf("vingt report (whole command): %v, %d bytes", time.Since(start).Round(time.Millisecond), st.Size())
	ctx, p, fcp := openReport(t, path)
	t.Logf("first contentful paint in headless Chromium: %.0f ms", fcp)
	if fcp < 0 {
		t.Log("no first-contentful-paint entry (headless frame timing): no figure")
	}
	terr := readTable(t, filepath.Join(out, "territories.parquet"))
	levels, rows := levelsOf(terr)
	drawn := []string{levels[0], levels[len(levels)-1]}
	if len(levels) == 1 {
		drawn = drawn[:1]
	}

	// One shape per territory of each drawn level.
	shapes := evaluate[map[string][]int](t, ctx, `Object.fromEntries([...document.querySelectorAll('#map g.layer')].map(g => [g.dataset.layer, [+g.dataset.shapes, g.querySelectorAll('path,circle').length]]))`)
	for _, lv := range drawn {
		got := shapes["level:"+lv]
		if len(got) != 2 || got[0] != len(rows[lv]) || got[1] != len(rows[lv]) {
			t.Errorf("level %s: shapes %v (data-shapes, DOM), want %d territories", lv, got, len(rows[lv]))
		}
	}

	// Hover the most populated territory of the finest level: the
	// tooltip shows its row of territories.parquet.
	fine := drawn[0]
	pop := terr.Column("population")
	best := rows[fine][0]
	for _, i := range rows[fine] {
		if pop.Float[i] > pop.Float[best] {
			best = i
		}
	}
	code := terr.Column("code").String[best]
	xy := evaluate[[]float64](t, ctx, fmt.Sprintf(`(() => {
		const p = document.querySelector('#map path[data-level=%q][data-code=%q]');
		p.scrollIntoView({block: 'center'});
		const b = p.getBoundingClientRect();
		for (let i = 1; i < 30; i++) for (let j = 1; j < 30; j++) {
			const x = b.left + b.width * i / 30, y = b.top + b.height * j / 30;
			if (document.elementFromPoint(x, y) === p) return [x, y];
		}
		return [];
	})()`, fine, code))
	if len(xy) != 2 {
		t.Fatalf("no point of %s %s under the mouse", fine, code)
	}
	if err := chromedp.Do(ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, xy[0], xy[1])); err != nil {
		t.Fatal(err)
	}
	tip := evaluate[[][]string](t, ctx, `document.getElementById('tip').hidden ? [] : [...document.querySelectorAll('#tip [data-field]')].map(e => [e.dataset.field, e.dataset.value || '', e.textContent])`)
	if len(tip) == 0 {
		t.Fatalf("hovering %s %s shows no tooltip", fine, code)
	}
	seen := map[string]bool{}
	for _, f := range tip {
		field, value, text := f[0], f[1], f[2]
		seen[field] = true
		if field == "code" {
			if text != code {
				t.Errorf("tooltip code %q, want %q", text, code)
			}
			continue
		}
		col := terr.Column(field)
		if col == nil {
			if !compare {
				t.Errorf("tooltip field %s is no column of territories.parquet", field)
			}
			continue
		}
		want := col.Float[best]
		wantText := report.French.Number(want, 0)
		if field == "coverage" {
			wantText = report.French.Percent(want)
		}
		got, err := strconv.ParseFloat(value, 64)
		if err != nil || got != want || text != wantText {
			t.Errorf("tooltip %s = %q (%q), want %v (%q)", field, value, text, want, wantText)
		}
	}
	for _, c := range terr.Columns {
		if c.Kind == table.Float64 && c.Name != "population_served" && !seen[c.Name] {
			t.Errorf("tooltip lacks %s", c.Name)
		}
	}
	if compare && !seen["coverage_change_pp"] {
		t.Error("compare tooltip lacks the change in coverage")
	}

	// Toggling a layer hides it, and toggling it again shows it.
	layer := "level:" + drawn[len(drawn)-1]
	if shapes["gaps"] != nil {
		layer = "gaps"
	}
	visible := func() bool {
		return evaluate[bool](t, ctx, fmt.Sprintf(`(() => { const g = document.querySelector('[data-layer=%q]'); return getComputedStyle(g).display !== 'none' && g.getBoundingClientRect().width > 0; })()`, layer))
	}
	toggle := chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[data-toggle=%q]`, layer)))
	if !visible() {
		t.Fatalf("layer %s hidden at first", layer)
	}
	if err := chromedp.Do(ctx, toggle); err != nil {
		t.Fatal(err)
	}
	if visible() {
		t.Errorf("layer %s still visible after its switch", layer)
	}
	if err := chromedp.Do(ctx, toggle); err != nil {
		t.Fatal(err)
	}
	if !visible() {
		t.Errorf("layer %s not back after its switch", layer)
	}

	// Zoom in narrows the viewBox.
	w0 := evaluate[float64](t, ctx, `document.getElementById('map').viewBox.baseVal.width`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-zoom="in"]`))); err != nil {
		t.Fatal(err)
	}
	if w1 := evaluate[float64](t, ctx, `document.getElementById('map').viewBox.baseVal.width`); !(w1 < w0) {
		t.Errorf("zoom in: viewBox width %v → %v", w0, w1)
	}
	chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-zoom="reset"]`)))

	// The cumulative curves: the drawn last point, read back through the
	// axis, is the population within 60 min; with the unreachable it is
	// the total population of cells.parquet.
	cells := readTable(t, filepath.Join(out, "cells.parquet"))
	curves := evaluate[[]map[string]any](t, ctx, `[...document.querySelectorAll('svg.curve')].map(s => {
		const p = s.querySelector('path.cum'), end = p.getPointAtLength(p.getTotalLength());
		const y0 = +s.querySelector('line.grid').getAttribute('y1'), yt = +s.querySelector('line.total').getAttribute('y1');
		return {cat: s.dataset.category, last: +p.dataset.last, total: +s.dataset.total, unreached: +s.dataset.unreached, drawn: (y0 - end.y) / (y0 - yt) * +s.dataset.total, x: end.x};
	})`)
	if len(curves) == 0 {
		t.Fatal("no cumulative curve")
	}
	cpop := cells.Column("population")
	for _, c := range curves {
		cat := c["cat"].(string)
		tt := cells.Column("travel_time_" + cat)
		var total, reached float64
		for i := 0; i < cells.Len(); i++ {
			total += cpop.Float[i]
			if tt.IsValid(i) && tt.Float[i] <= 60 {
				reached += cpop.Float[i]
			}
		}
		last, ctotal, unreached, drawnLast := c["last"].(float64), c["total"].(float64), c["unreached"].(float64), c["drawn"].(float64)
		if math.Abs(last-reached) > 1e-6*total || math.Abs(ctotal-total) > 1e-6*total || math.Abs(last+unreached-total) > 1e-6*total {
			t.Errorf("curve %s: last %v, total %v, unreached %v; cells.parquet: within 60 min %v, total %v", cat, last, ctotal, unreached, reached, total)
		}
		if math.Abs(drawnLast-reached) > 0.005*total {
			t.Errorf("curve %s: the drawn last point reads %v, want %v", cat, drawnLast, reached)
		}
	}

	// The map is not blank.
	shot, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS("#map")))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	if n := colours(img); n < 16 {
		t.Errorf("map screenshot has %d distinct colours, want at least 16", n)
	}
	p.check(t)
}

func colours(img image.Image) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r >> 8, g >> 8, bl >> 8, a >> 8}] = true
		}
	}
	return len(seen)
}

func TestReportInBrowserExample(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the embedded example and a browser: not in -short")
	}
	chromium(t)
	checkReport(t, exampleOutputs(t), false)
}

func TestReportInBrowserDordogne(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Dordogne and a browser: not in -short")
	}
	chromium(t)
	checkReport(t, dordogneOutputs(t), false)
}

// TestReportInBrowserCompare opens the report of the Dordogne run against
// one with a 15-minute threshold: the map is coloured by the change, and
// the tooltip gives it.
func TestReportInBrowserCompare(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Dordogne twice and a browser: not in -short")
	}
	chromium(t)
	out := dordogneOutputs(t)
	old := out + "-old"
	if _, err := os.Stat(old); err != nil {
		if r := runVingt(t, "", append(dordogneArgs(t), "--threshold", "15m", "--out", old)...); r.code != 0 {
			t.Fatalf("vingt run: exit %d: %s", r.code, r.stderr)
		}
	}
	checkReport(t, out, true)
}
