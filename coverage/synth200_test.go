package coverage

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/internal/testutil"
	"github.com/vingt/vingt/router"
	"github.com/vingt/vingt/table"
)

// writeSynthetic200m writes to out a Filosofi-like 200 m grid (columns
// idcar_200m and ind) made from the Eurostat 1 km grid at in: each 1 km
// cell of population P is split into its 25 sub-cells of 200 m, of which
// min(25, 1 + ⌊P/12⌋) are drawn (without replacement) to be populated,
// and P is spread over them in proportion to exponential weights. The draw
// is seeded, so the file depends only on in; sub-cells left empty are not
// written. It returns the number of cells and the total population.
func writeSynthetic200m(in, out string) (cells int, total float64, err error) {
	src, err := os.Open(in)
	if err != nil {
		return 0, 0, err
	}
	defer src.Close()
	dst, err := os.Create(out)
	if err != nil {
		return 0, 0, err
	}
	defer dst.Close()
	w := bufio.NewWriterSize(dst, 1<<20)
	fmt.Fprintln(w, "idcar_200m,ind")
	rng := rand.New(rand.NewPCG(2021, 200))
	sc := bufio.NewScanner(src)
	var order [25]int
	var weight [25]float64
	line := 0
	iID, iPop := -1, -1
	for sc.Scan() {
		line++
		f := strings.Split(sc.Text(), ",")
		if line == 1 {
			for i, h := range f {
				switch h {
				case "GRD_ID":
					iID = i
				case "T":
					iPop = i
				}
			}
			if iID < 0 || iPop < 0 {
				return 0, 0, fmt.Errorf("%s: no GRD_ID and T columns", in)
			}
			continue
		}
		if len(f) <= max(iID, iPop) {
			return 0, 0, fmt.Errorf("%s:%d: short line", in, line)
		}
		gc, err := parseGridID(f[iID])
		if err != nil || gc.size != 1000 {
			return 0, 0, fmt.Errorf("%s:%d: %q: not a 1 km cell id", in, line, f[iID])
		}
		pop, err := strconv.ParseFloat(f[iPop], 64)
		if err != nil {
			return 0, 0, fmt.Errorf("%s:%d: population %q: %w", in, line, f[iPop], err)
		}
		if pop <= 0 {
			continue
		}
		k := min(25, 1+int(pop/12))
		for i := range order {
			order[i] = i
		}
		sum := 0.0
		for i := range k {
			j := i + rng.IntN(25-i)
			order[i], order[j] = order[j], order[i]
			weight[i] = rng.ExpFloat64()
			sum += weight[i]
		}
		for i := range k {
			sub := order[i]
			e, n := int64(gc.east)+int64(sub%5)*200, int64(gc.north)+int64(sub/5)*200
			p := pop * weight[i] / sum
			fmt.Fprintf(w, "CRS3035RES200mN%dE%d,%s\n", n, e, strconv.FormatFloat(p, 'g', -1, 64))
			cells++
			total += p
		}
	}
	if err := sc.Err(); err != nil {
		return 0, 0, err
	}
	return cells, total, w.Flush()
}

// TestSynthetic200m checks the generator on the Dordogne 1 km grid: the
// reader takes the file as a Filosofi grid, every sub-cell lies in its
// 1 km cell, no 1 km cell loses population, and the same input gives the
// same file.
func TestSynthetic200m(t *testing.T) {
	in := testutil.SharedData(t, "dordogne/population/census2021_1km_dordogne_bbox.csv")
	src, err := ReadGrid(in, "")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	n, total, err := writeSynthetic200m(in, a)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := writeSynthetic200m(in, b); err != nil {
		t.Fatal(err)
	}
	ab, _ := os.ReadFile(a)
	bb, _ := os.ReadFile(b)
	if string(ab) != string(bb) {
		t.Error("two runs of the generator differ")
	}
	g, err := ReadGrid(a, "")
	if err != nil {
		t.Fatal(err)
	}
	if g.Format != FormatFilosofi || len(g.Cells) != n || g.SkippedEmpty != 0 {
		t.Errorf("read as %s, %d cells (%d empty), want filosofi, %d", g.Format, len(g.Cells), g.SkippedEmpty, n)
	}
	parent := map[string]float64{}
	want := 0.0
	for _, c := range src.Cells {
		parent[c.ID] = c.Population
		want += c.Population
	}
	got := map[string]float64{}
	for _, c := range g.Cells {
		if c.sq.grid == nil || c.sq.grid.size != 200 {
			t.Fatalf("%s: not on the 200 m grid", c.ID)
		}
		id := fmt.Sprintf("CRS3035RES1000mN%dE%d", int64(c.sq.row)/5*1000, int64(c.sq.col)/5*1000)
		if _, ok := parent[id]; !ok {
			t.Fatalf("%s: no 1 km cell %s", c.ID, id)
		}
		got[id] += c.Population
	}
	for id, p := range parent {
		if math.Abs(got[id]-p) > 1e-9*p {
			t.Errorf("%s: population %v in its sub-cells, want %v", id, got[id], p)
		}
	}
	if math.Abs(total-want) > 1e-9*want || n < 3*len(src.Cells) {
		t.Errorf("%d cells, population %v; want more than %d cells, population %v", n, total, 3*len(src.Cells), want)
	}
}

// BenchmarkNational200m runs the synthetic 200 m national workload (about
// 2.3 million cells; TER, La Poste, France Services, départements,
// régions) and reports each stage's seconds and the peak resident memory.
// The grid is generated in a temporary folder first, not timed.
func BenchmarkNational200m(b *testing.B) {
	dir := b.TempDir()
	grid := filepath.Join(dir, "synthetic_200m.csv")
	n, _, err := writeSynthetic200m(testutil.SharedData(b, "france/census2021_1km_france_metro.csv"), grid)
	if err != nil {
		b.Fatal(err)
	}
	d, _ := gtfs.ParseDate("2025-03-11")
	job := Job{
		GTFS: []string{testutil.SharedData(b, "france/sncf-ter-2025-01.zip")}, Date: d, Grid: grid,
		Services: []string{
			"poste=" + testutil.SharedData(b, "france/laposte_points_contact_2020.csv"),
			"france_services=" + testutil.SharedData(b, "france/france_services_2020.geojson"),
		},
		Territories: []string{
			"departement=" + testutil.SharedData(b, "france/departements.geojson"),
			"region=" + testutil.SharedData(b, "france/regions.geojson"),
		},
		Routing: router.DefaultParams(), Indicator: DefaultParams(), Format: table.Parquet,
		Out: filepath.Join(dir, "out"),
	}
	b.ReportAllocs()
	var rep *Report
	for b.Loop() {
		if rep, err = Run(context.Background(), job, Hooks{}); err != nil {
			b.Fatal(err)
		}
	}
	for _, t := range rep.Manifest.Timings {
		b.ReportMetric(t.Seconds, t.Stage+"_s")
	}
	b.ReportMetric(float64(n), "cells")
	b.ReportMetric(float64(peakRSS())/(1<<20), "peak_MiB")
}
