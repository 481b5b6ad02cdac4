package coverage

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/router"
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
	ctx := context.Background()
	res, err := AnalyzeImpact(ctx, tt, cells, cats, job.Indicator, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The impact's bookkeeping must not change the indicator itself.
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
	index := map[string]int{} // category/point index → row
	row := 0
	for k, c := range cats {
		for i := range c.Points {
			index[key(k, i)] = row
			row++
		}
	}
	type pick struct{ k, i int }
	var picks []pick
	nk := len(cats)
	for k, c := range cats {
		switch c.Name {
		case "france_services":
			for i := range c.Points {
				picks = append(picks, pick{k, i})
			}
		case "poste":
			r := rand.New(rand.NewPCG(16, 2026))
			for _, i := range r.Perm(len(c.Points))[:min(20, len(c.Points))] {
				picks = append(picks, pick{k, i})
			}
		}
	}
	if len(picks) < 30 {
		t.Fatalf("%d points picked, want 30 (10 desks + 20 post offices)", len(picks))
	}
	nonzero := 0
	for _, pk := range picks {
		c := cats[pk.k]
		without := *c
		without.Points = append(append([]Point(nil), c.Points[:pk.i]...), c.Points[pk.i+1:]...)
		cats2 := append([]*Category(nil), cats...)
		cats2[pk.k] = &without
		res2, err := Analyze(ctx, tt, cells, cats2, job.Indicator, nil)
		if err != nil {
			t.Fatal(err)
		}
		var sole, lost float64
		for ci := range cells {
			pop := cells[ci].Population
			if res.Served[ci*nk+pk.k] && !res2.Served[ci*nk+pk.k] {
				sole += pop
			}
			if res.ServedAll[ci] && !res2.ServedAll[ci] {
				lost += pop
			}
			if res2.ServedAll[ci] && !res.ServedAll[ci] {
				t.Fatalf("cell %s served only without a point", cells[ci].ID)
			}
		}
		p := pts[index[key(pk.k, pk.i)]]
		name := c.Name + " " + c.Points[pk.i].ID
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
	t.Logf("%d points checked against removal runs, %d with a sole population", len(picks), nonzero)
	if nonzero == 0 {
		t.Errorf("no checked point has a sole population: the test proves little")
	}
}

func key(k, i int) string { return string(rune('a'+k)) + "/" + itoa(i) }

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	s := ""
	for ; i > 0; i /= 10 {
		s = string(rune('0'+i%10)) + s
	}
	return s
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b)) }
