package coverage

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/router"
	"github.com/vingt/vingt/table"
)

// loadJob reads every input of a config for the tests that route it
// themselves; it skips when the shared data is absent.
func loadJob(t testing.TB, config string) (Job, *router.Timetable, []Cell, []*Category, []*Level) {
	t.Helper()
	cfg, err := LoadConfig(config)
	if err != nil {
		t.Fatal(err)
	}
	job, err := cfg.Job()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(job.Grid); err != nil {
		t.Skipf("shared data absent: %v", err)
	}
	return loadJobInputs(t, job)
}

// loadJobInputs reads every input of a job.
func loadJobInputs(t testing.TB, job Job) (Job, *router.Timetable, []Cell, []*Category, []*Level) {
	t.Helper()
	var feeds []*gtfs.Feed
	for _, p := range job.GTFS {
		f, err := gtfs.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		feeds = append(feeds, f)
	}
	tt, err := router.Compile(feeds, job.Date, job.Routing)
	if err != nil {
		t.Fatal(err)
	}
	grid, err := ReadGrid(job.Grid, job.GridFormat)
	if err != nil {
		t.Fatal(err)
	}
	cats, err := readCategories(job, &Manifest{Counts: map[string]any{}})
	if err != nil {
		t.Fatal(err)
	}
	var levels []*Level
	for _, spec := range job.Territories {
		name, path, _ := strings.Cut(spec, "=")
		lv, err := ReadLevel(name, path, "", "")
		if err != nil {
			t.Fatal(err)
		}
		levels = append(levels, lv)
	}
	return job, tt, grid.Cells, cats, levels
}

// TestImpactEqualsRemovalRuns checks the single-closure answer of
// AnalyzeImpact against real runs without the point, on the Dordogne
// command: every France Services desk and 20 La Poste points drawn with a
// fixed seed.
func TestImpactEqualsRemovalRuns(t *testing.T) {
	job, tt, cells, cats, levels := loadJob(t, "../testdata/configs/dordogne.toml")
	var picks [][2]int
	for k, c := range cats {
		switch c.Name {
		case "france_services":
			for i := range c.Points {
				picks = append(picks, [2]int{k, i})
			}
		case "poste":
			r := rand.New(rand.NewPCG(16, 2026))
			for _, i := range r.Perm(len(c.Points))[:min(20, len(c.Points))] {
				picks = append(picks, [2]int{k, i})
			}
		}
	}
	if len(picks) < 30 {
		t.Fatalf("%d points picked, want 30 (10 desks + 20 post offices)", len(picks))
	}
	if testing.Short() {
		// The race pass: a third of the removals (the plain pass checks
		// all 30; each is a whole analysis, ten times slower under -race).
		picks = append(picks[:5], picks[len(picks)-5:]...)
	}
	nonzero := checkRemovals(t, job, tt, cells, cats, levels, picks)
	t.Logf("%d points checked against removal runs, %d with a sole population", len(picks), nonzero)
	if nonzero == 0 {
		t.Errorf("no checked point has a sole population: the test proves little")
	}
}

// checkRemovals compares the impact of each picked point (category, point
// index) with a run of Analyze without that point, and returns how many
// picked points have a sole population.
func checkRemovals(t *testing.T, job Job, tt *router.Timetable, cells []Cell, cats []*Category, levels []*Level, picks [][2]int) int {
	t.Helper()
	ctx := context.Background()
	res, err := AnalyzeImpact(ctx, tt, cells, cats, job.Indicator, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The impact's bookkeeping must not change the indicator itself (the
	// plain run uses the engine asked, the profile one by default).
	plain, err := Analyze(ctx, tt, cells, cats, job.Indicator, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range plain.Served {
		if plain.Served[i] != res.Served[i] {
			t.Fatalf("served[%d]: impact run %v, plain run %v", i, res.Served[i], plain.Served[i])
		}
	}
	Assign(res, cells, levels)
	stats, err := Aggregate(res, cells, levels)
	if err != nil {
		t.Fatal(err)
	}
	pts := PointImpacts(res, cells, cats, levels, stats)
	row := map[[2]int]int{}
	for k, c := range cats {
		for i := range c.Points {
			row[[2]int{k, i}] = len(row)
		}
	}
	nk := len(cats)
	nonzero := 0
	for _, pk := range picks {
		k, pi := pk[0], pk[1]
		c := cats[k]
		without := *c
		without.Points = append(append([]Point(nil), c.Points[:pi]...), c.Points[pi+1:]...)
		cats2 := append([]*Category(nil), cats...)
		cats2[k] = &without
		res2, err := Analyze(ctx, tt, cells, cats2, job.Indicator, nil)
		if err != nil {
			t.Fatal(err)
		}
		var sole, lost float64
		for ci := range cells {
			pop := cells[ci].Population
			if res.Served[ci*nk+k] && !res2.Served[ci*nk+k] {
				sole += pop
			}
			if res.ServedAll[ci] && !res2.ServedAll[ci] {
				lost += pop
			}
			if res2.ServedAll[ci] && !res.ServedAll[ci] {
				t.Fatalf("cell %s served only without a point", cells[ci].ID)
			}
		}
		p := pts[row[pk]]
		name := c.Name + " " + c.Points[pi].ID
		if sole > 0 {
			nonzero++
		}
		if !near(p.Sole, sole) || !near(p.BasketLost, lost) {
			t.Errorf("%s: sole %v basket lost %v, removal run %v and %v", name, p.Sole, p.BasketLost, sole, lost)
		}
		for l := range levels {
			tr := p.Territory[l]
			if tr < 0 {
				continue
			}
			var pop, served float64
			for ci := range cells {
				if int(res.Territory[l][ci]) == tr {
					pop += cells[ci].Population
					if res2.ServedAll[ci] {
						served += cells[ci].Population
					}
				}
			}
			if want := served / pop; pop > 0 && !near(p.Without[l], want) {
				t.Errorf("%s: coverage without at %s: %v, removal run %v", name, levels[l].Name, p.Without[l], want)
			}
		}
	}
	return nonzero
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b)) }

// TestImpactFixture runs testdata/fixtures/impact (worked out by hand in
// its README) with --impact, reads points.parquet back and checks every
// row, then checks every point against a removal run.
func TestImpactFixture(t *testing.T) {
	dir := filepath.Join("..", "testdata", "fixtures", "impact")
	date, err := gtfs.ParseDate("20260113")
	if err != nil {
		t.Fatal(err)
	}
	p := DefaultParams()
	p.To = p.From + 600
	job := Job{
		GTFS: []string{filepath.Join(dir, "gtfs")}, Date: date, Grid: filepath.Join(dir, "grid.csv"),
		Services: []string{
			"poste=" + filepath.Join(dir, "services-poste.csv"),
			"france_services=" + filepath.Join(dir, "services-france_services.csv"),
		},
		Territories: []string{"commune=" + filepath.Join(dir, "territories.geojson")},
		Routing:     impactRouting(), Indicator: p, Format: table.Parquet, Impact: true, Out: t.TempDir(),
	}
	rep, err := Run(context.Background(), job, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(rep.Manifest.Outputs, "points.parquet") {
		t.Fatalf("outputs %v: no points.parquet", rep.Manifest.Outputs)
	}
	tab, err := table.Read(filepath.Join(job.Out, "points.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range tab.Columns {
		names = append(names, c.Name)
	}
	wantCols := "category point_id name commune population_nearest population_sole population_basket_lost coverage_commune coverage_without_commune geometry"
	if got := strings.Join(names, " "); got != wantCols {
		t.Fatalf("columns\n got %s\nwant %s", got, wantCols)
	}
	col := func(name string) *table.Column {
		for i := range tab.Columns {
			if tab.Columns[i].Name == name {
				return &tab.Columns[i]
			}
		}
		t.Fatalf("no column %s", name)
		return nil
	}
	nan := math.NaN()
	// Worked out in the fixture's README.
	want := []struct {
		cat, id, commune            string
		nearest, sole, lost, cov, w float64
	}{
		{"poste", "P1", "T1", 100, 100, 100, 1, 0},
		{"poste", "P2", "T2", 500, 500, 200, 0.4, 0},
		{"poste", "P3", "", 0, 0, 0, nan, nan},
		{"france_services", "F", "T2", 300, 300, 300, 0.4, 0},
	}
	if tab.Len() != len(want) {
		t.Fatalf("%d rows, want %d", tab.Len(), len(want))
	}
	same := func(c *table.Column, i int, v float64) bool {
		if c.Valid != nil && !c.Valid[i] {
			return math.IsNaN(v)
		}
		return near(c.Float[i], v)
	}
	for i, w := range want {
		code := ""
		if cc := col("commune"); cc.Valid == nil || cc.Valid[i] {
			code = cc.String[i]
		}
		if got := col("category").String[i] + " " + col("point_id").String[i] + " " + code; got != w.cat+" "+w.id+" "+w.commune {
			t.Errorf("row %d: %s, want %s %s %s", i, got, w.cat, w.id, w.commune)
		}
		for _, x := range []struct {
			name string
			v    float64
		}{{"population_nearest", w.nearest}, {"population_sole", w.sole}, {"population_basket_lost", w.lost},
			{"coverage_commune", w.cov}, {"coverage_without_commune", w.w}} {
			if c := col(x.name); !same(c, i, x.v) {
				t.Errorf("%s %s: %s = %v (valid %v), want %v", w.cat, w.id, x.name, c.Float[i], c.Valid == nil || c.Valid[i], x.v)
			}
		}
	}
	// cells.parquet: the point that decides each cell, and its centre.
	cellsTab, err := table.Read(filepath.Join(job.Out, "cells.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i := range cellsTab.Len() {
		row := cellsTab.Column("cell_id").String[i]
		for _, name := range []string{"nearest_poste", "nearest_france_services"} {
			c := cellsTab.Column(name)
			if c == nil {
				t.Fatalf("cells.parquet: no column %s", name)
			}
			v := "null"
			if c.IsValid(i) {
				v = c.String[i]
			}
			row += " " + v
		}
		row += fmt.Sprintf(" %g,%g", cellsTab.Column("lon").Float[i], cellsTab.Column("lat").Float[i])
		got = append(got, row)
	}
	if g, w := strings.Join(got, "; "), "A P1 F 1,0.00027; B P2 F 1.103,0; C P2 null 1.109,0"; g != w {
		t.Errorf("cells.parquet: cell nearest_poste nearest_france_services lon,lat:\n got %s\nwant %s", g, w)
	}
	// --format arrow writes the same table as points.arrow.
	job.Format, job.Out = table.Arrow, t.TempDir()
	if _, err := Run(context.Background(), job, Hooks{}); err != nil {
		t.Fatal(err)
	}
	arrow, err := table.Read(filepath.Join(job.Out, "points.arrow"))
	if err != nil {
		t.Fatal(err)
	}
	if arrow.Len() != tab.Len() || len(arrow.Columns) != len(tab.Columns) {
		t.Errorf("points.arrow: %d rows × %d columns, points.parquet %d × %d", arrow.Len(), len(arrow.Columns), tab.Len(), len(tab.Columns))
	}
	_, tt, cells, cats, levels := loadJobInputs(t, job)
	checkRemovals(t, job, tt, cells, cats, levels, [][2]int{{0, 0}, {0, 1}, {0, 2}, {1, 0}})
}

// TestImpactSamePlace checks two points at the same place (two counters in
// one building): each covers the other, so neither has a sole population,
// and both answers equal removal runs.
func TestImpactSamePlace(t *testing.T) {
	dir := filepath.Join("..", "testdata", "fixtures", "impact")
	date, _ := gtfs.ParseDate("20260113")
	p := DefaultParams()
	p.To = p.From + 600
	job := Job{
		GTFS: []string{filepath.Join(dir, "gtfs")}, Date: date, Grid: filepath.Join(dir, "grid.csv"),
		Services: []string{
			"poste=" + filepath.Join(dir, "services-poste.csv"),
			"france_services=" + filepath.Join(dir, "services-france_services.csv"),
		},
		Territories: []string{"commune=" + filepath.Join(dir, "territories.geojson")},
		Routing:     impactRouting(), Indicator: p,
	}
	_, tt, cells, cats, levels := loadJobInputs(t, job)
	dup := cats[0].Points[0] // P1
	dup.ID = "P1bis"
	cats[0].Points = append(cats[0].Points, dup)
	res, err := AnalyzeImpact(context.Background(), tt, cells, cats, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	Assign(res, cells, levels)
	stats, err := Aggregate(res, cells, levels)
	if err != nil {
		t.Fatal(err)
	}
	pts := PointImpacts(res, cells, cats, levels, stats)
	for _, i := range []int{0, 3} { // P1 and P1bis
		if pts[i].Sole != 0 || pts[i].BasketLost != 0 || pts[i].Without[0] != pts[i].Coverage[0] {
			t.Errorf("%s: sole %v, basket lost %v, coverage %v → %v; want no loss", pts[i].Point.ID, pts[i].Sole, pts[i].BasketLost, pts[i].Coverage[0], pts[i].Without[0])
		}
	}
	if pts[0].Nearest != 100 || pts[3].Nearest != 0 {
		t.Errorf("population_nearest P1 %v, P1bis %v: want 100 and 0 (ties: first point)", pts[0].Nearest, pts[3].Nearest)
	}
	checkRemovals(t, job, tt, cells, cats, levels, [][2]int{{0, 0}, {0, 3}})
}

// TestRemove runs testdata/fixtures/impact without one or several points
// (Job.Remove) and checks the territories' coverage worked out in its
// README; one closure gives the coverage_without of the point's row.
func TestRemove(t *testing.T) {
	dir := filepath.Join("..", "testdata", "fixtures", "impact")
	date, _ := gtfs.ParseDate("20260113")
	p := DefaultParams()
	p.To = p.From + 600
	cases := []struct {
		remove []string
		t1, t2 float64
		err    string
	}{
		{nil, 1, 0.4, ""},
		{[]string{"P1"}, 0, 0.4, ""},
		{[]string{"poste:P2"}, 1, 0, ""},
		{[]string{"F"}, 0, 0, ""},
		{[]string{"P3"}, 1, 0.4, ""},
		{[]string{"P1", "poste:P2"}, 0, 0, ""}, // two closures: A and B lose their post office
		{[]string{"P9"}, 0, 0, `coverage: remove "P9": no such service point`},
		{[]string{"france_services:P1"}, 0, 0, `coverage: remove "france_services:P1": no such service point`},
	}
	for _, c := range cases {
		job := Job{
			GTFS: []string{filepath.Join(dir, "gtfs")}, Date: date, Grid: filepath.Join(dir, "grid.csv"),
			Services: []string{
				"poste=" + filepath.Join(dir, "services-poste.csv"),
				"france_services=" + filepath.Join(dir, "services-france_services.csv"),
			},
			Territories: []string{"commune=" + filepath.Join(dir, "territories.geojson")},
			Routing:     impactRouting(), Indicator: p, Remove: c.remove, Out: t.TempDir(),
		}
		rep, err := Run(context.Background(), job, Hooks{})
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("remove %v: error %v, want %s", c.remove, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if got := rep.Territories; len(got) != 2 || !near(got[0].Coverage(), c.t1) || !near(got[1].Coverage(), c.t2) {
			t.Errorf("remove %v: coverage T1 %v T2 %v, want %v and %v", c.remove, got[0].Coverage(), got[1].Coverage(), c.t1, c.t2)
		}
	}
}

// impactRouting is the impact fixture's routing: the defaults with a
// 16-minute cap, so that C's 1,001 s walk to the desk (16.7 min) is beyond
// it (README of the fixture).
func impactRouting() router.Params {
	rp := router.DefaultParams()
	rp.MaxDuration = 16 * 60
	return rp
}
