package report

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/vingt/vingt/table"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func square(x0, y0, side float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x0, y0}, {x0 + side, y0}, {x0 + side, y0 + side}, {x0, y0 + side}, {x0, y0}}}}
}

// fixture is a small run, worked out by hand (testdata/README.md): two
// communes A and B (squares of 0.1° in Dordogne) in one EPCI E, four
// cells, one category "poste", two service points.
type fixture struct {
	territories *table.Table
	cells       *table.Table
	points      *table.Table
	manifest    string
}

func newFixture() *fixture {
	f := &fixture{}
	geoms := []orb.Geometry{square(0.7, 45.1, 0.1), square(0.8, 45.1, 0.1), orb.MultiPolygon{{{{0.7, 45.1}, {0.9, 45.1}, {0.9, 45.2}, {0.7, 45.2}, {0.7, 45.1}}}}}
	f.territories = &table.Table{Columns: []table.Column{
		{Name: "level", Kind: table.String, String: []string{"commune", "commune", "epci"}},
		{Name: "code", Kind: table.String, String: []string{"24001", "24002", "200000001"}},
		{Name: "name", Kind: table.String, String: []string{"Abjat", "Bézenac & <Co>", "CC Test"}},
		{Name: "cells", Kind: table.Int64, Int: []int64{2, 2, 4}},
		{Name: "population", Kind: table.Float64, Float: []float64{30, 1234.5, 1264.5}},
		{Name: "population_served", Kind: table.Float64, Float: []float64{10, 1200, 1210}},
		{Name: "coverage", Kind: table.Float64, Float: []float64{10.0 / 30, 1200 / 1234.5, 1210 / 1264.5}},
		{Name: "gap_population", Kind: table.Float64, Float: []float64{20, 34.5, 54.5}},
		{Name: "population_served_poste", Kind: table.Float64, Float: []float64{10, 1200, 1210}},
		{Name: "geometry", Kind: table.Geometry, Geom: geoms},
		{Name: "gap", Kind: table.Geometry, Geom: []orb.Geometry{square(0.72, 45.12, 0.02), square(0.82, 45.12, 0.02), nil}, Valid: []bool{true, true, false}},
	}}
	f.cells = &table.Table{Columns: []table.Column{
		{Name: "cell_id", Kind: table.String, String: []string{"a", "b", "c", "d"}},
		{Name: "population", Kind: table.Float64, Float: []float64{10, 20, 1200, 34.5}},
		{Name: "travel_time_poste", Kind: table.Float64, Float: []float64{0, 5.05, 12, 61}, Valid: []bool{true, true, true, false}},
		{Name: "served", Kind: table.Bool, Bool: []bool{true, false, true, false}},
		{Name: "geometry", Kind: table.Geometry, Geom: []orb.Geometry{orb.Point{0.75, 45.15}, orb.Point{0.76, 45.15}, orb.Point{0.85, 45.15}, orb.Point{0.86, 45.15}}},
	}}
	f.points = &table.Table{Columns: []table.Column{
		{Name: "category", Kind: table.String, String: []string{"poste", "poste"}},
		{Name: "point_id", Kind: table.String, String: []string{"p1", "p2"}},
		{Name: "name", Kind: table.String, String: []string{"Poste d'Abjat", "Agence postale"}},
		{Name: "population_sole", Kind: table.Float64, Float: []float64{10, 1200}},
		{Name: "geometry", Kind: table.Geometry, Geom: []orb.Geometry{orb.Point{0.75, 45.16}, orb.Point{0.85, 45.16}}},
	}}
	f.manifest = `{"tool":"vingt","version":"test","date":"2026-01-13",
"inputs":[{"role":"grid","path":"/data/grid.csv","sha256":"00ff","bytes":1234567,"counts":{"cells":4}}],
"parameters":{"date":"2026-01-13","window":"08:00-10:00","threshold_seconds":1200,"percentiles":[50]},
"warnings":[{"input":"grid","kind":"blank population","count":2,"examples":["grid.csv:3","grid.csv:9"]}],
"outputs":["cells.parquet","territories.parquet","points.parquet","run.json"]}`
	return f
}

// write writes the fixture's files into a new folder; nil tables and an
// empty manifest are left out.
func (f *fixture) write(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := f.writeTo(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

func (f *fixture) writeTo(dir string) error {
	for name, tb := range map[string]*table.Table{"territories": f.territories, "cells": f.cells, "points": f.points} {
		if tb == nil {
			continue
		}
		if err := table.Write(filepath.Join(dir, name+".parquet"), table.Parquet, tb); err != nil {
			return err
		}
	}
	if f.manifest != "" {
		return os.WriteFile(filepath.Join(dir, "run.json"), []byte(f.manifest), 0o644)
	}
	return nil
}

func render(t *testing.T, dir string, opts Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(context.Background(), dir, &buf, opts); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return buf.String()
}

func attr(t *testing.T, html, re string) string {
	t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(html)
	if m == nil {
		t.Fatalf("no match for %s", re)
	}
	return m[1]
}

func TestReportFixture(t *testing.T) {
	dir := newFixture().write(t)
	for _, lang := range []Lang{French, English} {
		t.Run(string(lang), func(t *testing.T) {
			h := render(t, dir, Options{Lang: lang})
			golden := filepath.Join("testdata", "fixture-"+string(lang)+".html")
			if *update {
				if err := os.WriteFile(golden, []byte(h), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (go test ./report -update writes it)", err)
			}
			if h != string(want) {
				t.Errorf("report differs from %s (go test ./report -update, then review the diff)", golden)
			}
			// One shape per territory of each drawn level, one gap per
			// commune with a gap, one circle per point.
			for _, c := range []struct{ re, want string }{
				{`data-layer="level:commune" data-shapes="(\d+)"`, "2"},
				{`data-layer="level:epci" data-shapes="(\d+)"`, "1"},
				{`data-layer="gaps" data-shapes="(\d+)"`, "2"},
				{`data-layer="points:poste" data-shapes="(\d+)"`, "2"},
				// The curve, worked by hand: 10 at 0 min, +20 at 5.05
				// (the 5.1 bin), +1200 at 12; 34.5 unreachable.
				{`class="cum" data-last="([^"]+)"`, "1230"},
				{`data-total="([^"]+)"`, "1264.5"},
				{`data-unreached="([^"]+)"`, "34.5"},
				{`data-threshold-population="([^"]+)"`, "1230"},
				{`class="chart closures"[^>]*data-points="(\d+)"`, "2"},
			} {
				if got := attr(t, h, c.re); got != c.want {
					t.Errorf("%s = %s, want %s", c.re, got, c.want)
				}
			}
			if strings.Count(h, `<path data-level="commune"`) != 2 {
				t.Errorf("want 2 commune paths")
			}
			// Numbers in the language's style, names escaped.
			pop := "1\u00a0234,5"
			if lang == English {
				pop = "1,234.5"
			}
			if !strings.Contains(h, "Bézenac &amp; &lt;Co&gt;") || strings.Contains(h, "<Co>") {
				t.Error("territory name not escaped")
			}
			if !strings.Contains(h, `data-v="1234.5">`+Lang(lang).Number(1234.5, 0)) || !strings.Contains(h, Lang(lang).Number(1234567, 0)) {
				t.Errorf("numbers not formatted for %s (want e.g. %s)", lang, pop)
			}
			assertOffline(t, h)
		})
	}
}

// assertOffline fails when the page could reach the network: no external
// URL in an attribute, a style or a script.
func assertOffline(t *testing.T, h string) {
	t.Helper()
	for _, bad := range []string{"http://", "https://", "//cdn", "src=", "@import", "url(http", "<link"} {
		if strings.Contains(h, bad) {
			t.Errorf("report holds %q: it must need no network", bad)
		}
	}
}

func TestReportBadInput(t *testing.T) {
	truncate := func(t *testing.T, dir, name string) {
		p := filepath.Join(dir, name)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(p, b[:len(b)/2], 0o644)
	}
	cases := []struct {
		name    string
		mutate  func(f *fixture)
		after   func(t *testing.T, dir string)
		wantErr string // "" : a report is written
		notes   []string
		shapes  string // commune shapes, when a report is written
	}{
		{name: "no territories", mutate: func(f *fixture) { f.territories = nil }, wantErr: "no territories.parquet or territories.arrow"},
		{name: "truncated territories", after: func(t *testing.T, dir string) { truncate(t, dir, "territories.parquet") }, wantErr: "territories.parquet"},
		{name: "truncated cells", after: func(t *testing.T, dir string) { truncate(t, dir, "cells.parquet") }, wantErr: "cells.parquet"},
		{name: "bad run.json", after: func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "run.json"), []byte(`{"inputs": 3`), 0o644)
		}, wantErr: "run.json"},
		{name: "no level", mutate: func(f *fixture) {
			for i := range f.territories.Columns {
				c := &f.territories.Columns[i]
				c.String, c.Int, c.Float, c.Geom, c.Valid = c.String[:0], c.Int[:0], c.Float[:0], c.Geom[:0], nil
			}
		}, notes: []string{"noLevel"}},
		{name: "empty geometry", mutate: func(f *fixture) {
			f.territories.Columns[9].Geom[1] = orb.MultiPolygon{}
		}, notes: []string{"noGeometry"}, shapes: "1"},
		{name: "no cells, no points, no run.json", mutate: func(f *fixture) { f.cells, f.points, f.manifest = nil, nil, "" },
			notes: []string{"noCells", "noManifest", "noPoints"}, shapes: "2"},
		{name: "missing column", mutate: func(f *fixture) { f.territories.Columns = f.territories.Columns[1:] }, wantErr: "no column level"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture()
			if c.mutate != nil {
				c.mutate(f)
			}
			dir := f.write(t)
			if c.after != nil {
				c.after(t, dir)
			}
			var buf bytes.Buffer
			err := Write(context.Background(), dir, &buf, Options{})
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) || !strings.HasPrefix(err.Error(), "report: ") {
					t.Fatalf("error %v, want one holding %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			h := buf.String()
			for _, n := range c.notes {
				if !strings.Contains(h, `data-note="`+n+`"`) {
					t.Errorf("report does not say %s", n)
				}
			}
			if c.shapes != "" {
				if got := attr(t, h, `data-layer="level:commune" data-shapes="(\d+)"`); got != c.shapes {
					t.Errorf("commune shapes %s, want %s", got, c.shapes)
				}
			}
			if !strings.HasSuffix(h, "</html>\n") {
				t.Error("page not complete")
			}
		})
	}
	if err := Write(context.Background(), filepath.Join(t.TempDir(), "nowhere"), &bytes.Buffer{}, Options{}); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing folder: %v", err)
	}
	dir := newFixture().write(t)
	for _, o := range []Options{{Lang: "de"}, {SimplifyPx: 1e9}, {Tolerance: -1}} {
		if err := Write(context.Background(), dir, &bytes.Buffer{}, o); err == nil {
			t.Errorf("options %+v: no error", o)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Write(ctx, dir, &bytes.Buffer{}, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestReportCompare(t *testing.T) {
	old := newFixture()
	old.territories.Columns[6].Float[0] = 20.0 / 30 // A: 66.7 % → 33.3 %
	oldDir := old.write(t)
	newDir := newFixture().write(t)
	h := render(t, newDir, Options{Compare: oldDir, Tolerance: 0.5, Lang: English})
	if !strings.Contains(h, `id="s-diff"`) || !strings.Contains(h, `<tr class="exceeds" data-level="commune" data-code="24001">`) {
		t.Fatal("no diff table with commune 24001 beyond the tolerance")
	}
	if got := attr(t, h, `data-code="24001" fill="(#[0-9a-f]+)"`); got != ramp(puOr, 0.5-33.33333333333333/(2*40)) {
		t.Errorf("24001 filled %s, want the PuOr colour of −33.3 pp on ±40 (33.3 rounded up to a step of 20)", got)
	}
	if !strings.Contains(h, `"coverage_change_pp"`) {
		t.Error("tooltip data has no change")
	}
	if _, err := os.Stat(oldDir); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(context.Background(), newDir, &buf, Options{Compare: filepath.Join(oldDir, "nowhere")}); err == nil {
		t.Error("compare with a missing run: no error")
	}
}

func TestNumber(t *testing.T) {
	cases := []struct {
		x      float64
		d      int
		fr, en string
	}{
		{0, 0, "0", "0"},
		{1234.5, 1, "1\u00a0234,5", "1,234.5"},
		{1234567.891, 2, "1\u00a0234\u00a0567,89", "1,234,567.89"},
		{-1234.5, 1, "−1\u00a0234,5", "−1,234.5"},
		{-0.01, 1, "0,0", "0.0"},
		{999, 0, "999", "999"},
		{999.6, 0, "1\u00a0000", "1,000"},
		{1234.5, 0, "1\u00a0235", "1,235"},
		{2.5, 0, "3", "3"},
		{100000, 0, "100\u00a0000", "100,000"},
	}
	for _, c := range cases {
		if got := French.Number(c.x, c.d); got != c.fr {
			t.Errorf("fr %v, %d = %q, want %q", c.x, c.d, got, c.fr)
		}
		if got := English.Number(c.x, c.d); got != c.en {
			t.Errorf("en %v, %d = %q, want %q", c.x, c.d, got, c.en)
		}
	}
	if got := French.Percent(0.989); got != "98,9\u00a0%" {
		t.Errorf("fr percent %q", got)
	}
	if got := English.Signed(1.25, 1); got != "+1.3" {
		t.Errorf("en signed %q", got)
	}
	if got := English.Signed(-0.04, 1); got != "0.0" {
		t.Errorf("signed rounding to zero %q, want no sign", got)
	}
}

func TestCumulative(t *testing.T) {
	c := cumulative("k", []float64{10, 20, 1200, 34.5, 7}, []float64{0, 5.05, 12, nanF(), 60}, 20)
	for _, x := range []struct {
		j    int
		want float64
	}{{0, 10}, {50, 10}, {51, 30}, {119, 30}, {120, 1230}, {599, 1230}, {600, 1237}} {
		if c.ys[x.j] != x.want {
			t.Errorf("ys[%d] = %v, want %v", x.j, c.ys[x.j], x.want)
		}
	}
	if c.total != 1271.5 || c.reached != 1237 || c.atThreshold != 1230 {
		t.Errorf("total %v reached %v threshold %v", c.total, c.reached, c.atThreshold)
	}
}

func nanF() float64 { return math.NaN() }

func newBufWriter(sb *strings.Builder) *bufio.Writer { return bufio.NewWriter(sb) }
