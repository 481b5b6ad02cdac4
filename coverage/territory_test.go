package coverage

import (
	"fmt"
	"math"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/twpayne/go-geos"

	"github.com/vingt/vingt/internal/testutil"
)

func TestReadLevelReal(t *testing.T) {
	tests := []struct {
		rel      string
		n        int
		code     string
		name     string
		warnings int
	}{
		{"dordogne/territories/communes-24-dordogne.geojson", 520, "24322", "Périgueux", -1},
		{"dordogne/territories/epci-2022-dordogne.geojson", 22, "200040392", "CA Le Grand Périgueux", -1},
		{"dordogne/territories/departement-24-dordogne.geojson", 1, "24", "Dordogne", -1},
	}
	for _, tc := range tests {
		t.Run(tc.code, func(t *testing.T) {
			lv, err := ReadLevel("x", testutil.SharedData(t, tc.rel), "", "")
			if err != nil {
				t.Fatal(err)
			}
			if len(lv.Territories) != tc.n {
				t.Errorf("%d territories, want %d", len(lv.Territories), tc.n)
			}
			found := false
			for _, tr := range lv.Territories {
				if tr.Code == tc.code {
					found = true
					if tr.Name != tc.name {
						t.Errorf("territory %s named %q, want %q", tc.code, tr.Name, tc.name)
					}
				}
			}
			if !found {
				t.Errorf("no territory %s", tc.code)
			}
			for _, w := range lv.Warnings.List {
				t.Logf("warning: %s × %d, e.g. %v", w.Kind, w.Count, w.Examples)
			}
		})
	}
}

// TestLocateDordogne checks Locate against the grid file's in_dep24
// column (used here only): border cells may differ, as in_dep24 comes
// from another polygon of the département.
func TestLocateDordogne(t *testing.T) {
	grid := testutil.SharedData(t, "dordogne/population/census2021_1km_dordogne_bbox.csv")
	dep, err := ReadLevel("departement", testutil.SharedData(t, "dordogne/territories/departement-24-dordogne.geojson"), "", "")
	if err != nil {
		t.Fatal(err)
	}
	g, err := ReadGrid(grid, "")
	if err != nil {
		t.Fatal(err)
	}
	tab, err := readTable(grid)
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]bool{}
	for r := range tab.rows {
		in[tab.get(r, tab.col("grd_id"))] = tab.get(r, tab.col("in_dep24")) == "1"
	}
	var agree, inBoth, onlyFile, onlyLocate int
	pop := 0.0
	for _, c := range g.Cells {
		got := dep.Locate(c.Lon, c.Lat) == 0
		switch {
		case got && in[c.ID]:
			inBoth++
			agree++
			pop += c.Population
		case !got && !in[c.ID]:
			agree++
		case got:
			onlyLocate++
			pop += c.Population
		default:
			onlyFile++
		}
	}
	share := float64(agree) / float64(len(g.Cells))
	t.Logf("%d cells: %d in both, %d only in_dep24=1, %d only located; agreement %.4f; population located %v (file: 413,539)",
		len(g.Cells), inBoth, onlyFile, onlyLocate, share, pop)
	// Measured: every one of the 8,342 cells agrees, population exact.
	if share < 0.99 || inBoth != 8342 {
		t.Errorf("agreement %.4f, in both %d: want ≥ 0.99 and 8,342", share, inBoth)
	}
	if pop != 413539 {
		t.Errorf("population located in the département %v, want 413,539", pop)
	}
}

// TestLocateMatchesPlanar checks Locate on the communes against orb's
// independent planar point-in-polygon at every cell centre.
func TestLocateMatchesPlanar(t *testing.T) {
	lv, err := ReadLevel("commune", testutil.SharedData(t, "dordogne/territories/communes-24-dordogne.geojson"), "", "")
	if err != nil {
		t.Fatal(err)
	}
	g, err := ReadGrid(testutil.SharedData(t, "dordogne/population/census2021_1km_dordogne_bbox.csv"), "")
	if err != nil {
		t.Fatal(err)
	}
	outside, diff := 0, 0
	for _, c := range g.Cells {
		i := lv.Locate(c.Lon, c.Lat)
		want := -1
		for j, tr := range lv.Territories {
			if lv.bounds[j].Contains(orb.Point{c.Lon, c.Lat}) && planar.MultiPolygonContains(tr.Geometry, orb.Point{c.Lon, c.Lat}) {
				want = j
				break
			}
		}
		if i != want {
			diff++
			if diff < 5 {
				t.Errorf("cell %s: Locate %d, planar %d", c.ID, i, want)
			}
		}
		if i < 0 {
			outside++
		}
	}
	t.Logf("%d cells, %d outside every commune, %d differences", len(g.Cells), outside, diff)
	// The grid covers the département's bounding box: measured 9,361 of
	// its 17,701 populated cells outside every commune.
	if outside != 9361 {
		t.Errorf("%d cells outside every commune, want 9,361", outside)
	}
}

// TestContainsXYStub records why Locate builds a point: with GEOS before
// 3.12, PrepGeom.ContainsXY answers false even for a point inside.
func TestContainsXYStub(t *testing.T) {
	sq := orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}
	g, err := toGEOS(sq)
	if err != nil {
		t.Fatal(err)
	}
	pg := g.Prepare()
	if !pg.Contains(geos.NewPointFromXY(0.5, 0.5)) {
		t.Fatal("Contains(point inside) = false")
	}
	xy := pg.ContainsXY(0.5, 0.5)
	if geos.VersionCompare(3, 12, 0) < 0 && xy {
		t.Errorf("GEOS %d.%d: ContainsXY answered true: the stub is gone, Locate could use it", geos.VersionMajor, geos.VersionMinor)
	}
	t.Logf("GEOS %d.%d.%d: ContainsXY(inside) = %v", geos.VersionMajor, geos.VersionMinor, geos.VersionPatch, xy)
	lv := &Level{Name: "t", Path: "mem", Territories: []Territory{{Code: "a", Geometry: orb.MultiPolygon{sq}}}}
	if err := lv.prepare(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		p    orb.Point
		want int
	}{{orb.Point{0.5, 0.5}, 0}, {orb.Point{1.5, 0.5}, -1}, {orb.Point{1, 0.5}, 0}, {orb.Point{-0.0001, 0.5}, -1}} {
		if got := lv.Locate(tc.p[0], tc.p[1]); got != tc.want {
			t.Errorf("Locate(%v) = %d, want %d", tc.p, got, tc.want)
		}
	}
}

// TestLocateBoundary checks that a point on the border of two territories
// goes to the first in file order, and one in a hole to none.
func TestLocateBoundary(t *testing.T) {
	a := orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}, {{0.2, 0.2}, {0.2, 0.4}, {0.4, 0.4}, {0.4, 0.2}, {0.2, 0.2}}}
	b := orb.Polygon{{{1, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 0}}}
	lv := &Level{Name: "t", Path: "mem", Territories: []Territory{{Code: "a", Geometry: orb.MultiPolygon{a}}, {Code: "b", Geometry: orb.MultiPolygon{b}}}}
	if err := lv.prepare(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		p    orb.Point
		want int
	}{{orb.Point{1, 0.5}, 0}, {orb.Point{1.5, 0.5}, 1}, {orb.Point{0.3, 0.3}, -1}, {orb.Point{0.1, 0.1}, 0}, {orb.Point{math.NaN(), 0.5}, -1}} {
		if got := lv.Locate(tc.p[0], tc.p[1]); got != tc.want {
			t.Errorf("Locate(%v) = %d, want %d", tc.p, got, tc.want)
		}
	}
}

// TestLocateConcurrent runs Locate from several goroutines (go test -race).
func TestLocateConcurrent(t *testing.T) {
	lv, err := ReadLevel("epci", testutil.SharedData(t, "dordogne/territories/epci-2022-dordogne.geojson"), "", "")
	if err != nil {
		t.Fatal(err)
	}
	want := lv.Locate(0.7218, 45.1842) // Périgueux
	if want < 0 || lv.Territories[want].Code != "200040392" {
		t.Fatalf("Périgueux located in %d", want)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				if got := lv.Locate(0.7218, 45.1842); got != want {
					errs <- fmt.Sprintf("got %d, want %d", got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestUnionGeometries(t *testing.T) {
	sq := func(x, y float64) orb.Geometry {
		return orb.Polygon{{{x, y}, {x + 1, y}, {x + 1, y + 1}, {x, y + 1}, {x, y}}}
	}
	u, err := unionGeometries([]orb.Geometry{sq(0, 0), sq(1, 0), sq(5, 5)})
	if err != nil {
		t.Fatal(err)
	}
	if len(u) != 2 {
		t.Fatalf("union of two touching squares and a third apart: %d polygons, want 2", len(u))
	}
	if a := planar.Area(u); math.Abs(a-3) > 1e-12 {
		t.Errorf("area %v, want 3", a)
	}
	v, err := unionGeometries([]orb.Geometry{sq(5, 5), sq(1, 0), sq(0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if !orb.Equal(u, v) {
		t.Errorf("union depends on the input order:\n%v\n%v", u, v)
	}
	if u, err := unionGeometries(nil); err != nil || u != nil {
		t.Errorf("union of nothing = %v, %v; want nil, nil", u, err)
	}
	if _, err := unionGeometries([]orb.Geometry{orb.Point{0, 0}}); err == nil {
		t.Error("union of a point: no error")
	}
}

func BenchmarkLocateCommunes(b *testing.B) {
	lv, err := ReadLevel("commune", testutil.SharedData(b, "dordogne/territories/communes-24-dordogne.geojson"), "", "")
	if err != nil {
		b.Fatal(err)
	}
	g, err := ReadGrid(testutil.SharedData(b, "dordogne/population/census2021_1km_dordogne_bbox.csv"), "")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c := g.Cells[i%len(g.Cells)]
		lv.Locate(c.Lon, c.Lat)
		i++
	}
}

// TestPointsOutside counts the Dordogne service points outside every
// territory of each level, the figures the run manifest reports.
func TestPointsOutside(t *testing.T) {
	levels := map[string]string{
		"commune": "dordogne/territories/communes-24-dordogne.geojson",
		"epci":    "dordogne/territories/epci-2022-dordogne.geojson",
	}
	points := map[string]string{
		"poste":           "dordogne/services/laposte_points_contact_dordogne.csv",
		"france_services": "dordogne/services/france_services_2020_dordogne.geojson",
	}
	// Measured on the real files.
	want := map[string]int{"commune/poste": 0, "commune/france_services": 0, "epci/poste": 0, "epci/france_services": 0}
	for ln, lp := range levels {
		lv, err := ReadLevel(ln, testutil.SharedData(t, lp), "", "")
		if err != nil {
			t.Fatal(err)
		}
		for cn, cp := range points {
			c, err := ReadServices(cn + "=" + testutil.SharedData(t, cp))
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, p := range c.Points {
				if lv.Locate(p.Lon, p.Lat) < 0 {
					n++
				}
			}
			t.Logf("%s: %d of %d %s points outside every territory", ln, n, len(c.Points), cn)
			if w := want[ln+"/"+cn]; n != w {
				t.Errorf("%s/%s: %d points outside, want %d", ln, cn, n, w)
			}
		}
	}
}

// TestEPCIPopulation gives the figure the run must find for CA Le Grand
// Périgueux (200040392): the sum of T over the Eurostat cells whose centre
// lies in its polygon, checked against orb's planar point-in-polygon.
func TestEPCIPopulation(t *testing.T) {
	lv, err := ReadLevel("epci", testutil.SharedData(t, "dordogne/territories/epci-2022-dordogne.geojson"), "", "")
	if err != nil {
		t.Fatal(err)
	}
	g, err := ReadGrid(testutil.SharedData(t, "dordogne/population/census2021_1km_dordogne_bbox.csv"), "")
	if err != nil {
		t.Fatal(err)
	}
	k := -1
	for i, tr := range lv.Territories {
		if tr.Code == "200040392" {
			k = i
		}
	}
	var pop, planarPop float64
	cells := 0
	for _, c := range g.Cells {
		if lv.Locate(c.Lon, c.Lat) == k {
			pop += c.Population
			cells++
		}
		if planar.MultiPolygonContains(lv.Territories[k].Geometry, orb.Point{c.Lon, c.Lat}) {
			planarPop += c.Population
		}
	}
	t.Logf("EPCI 200040392: %d cells, population %v", cells, pop)
	// Measured: 965 cells, 103,931 inhabitants.
	if pop != planarPop || pop != 103931 || cells != 965 {
		t.Errorf("population %v by Locate, %v by planar", pop, planarPop)
	}
}
