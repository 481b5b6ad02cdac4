package coverage

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vingt/vingt/internal/testutil"
)

func TestReadServicesReal(t *testing.T) {
	tests := []struct {
		spec     string // CATEGORY=REL[#column], REL under shared/data
		points   int
		warnings int
	}{
		{"poste=dordogne/services/laposte_points_contact_dordogne.csv", 243, 0},
		{"france_services=dordogne/services/france_services_2020_dordogne.geojson", 10, 0},
		// 17,716 rows (';', BOM, CRLF), 13 without coordinates.
		{"poste=france/laposte_points_contact_2020.csv", 17703, 13},
		{"fs=france/france_services_2020.geojson", 908, 0},
		// Rows of count > 0; blank counts are taken as 0 with a warning.
		{"schools=porto-alegre/poa_hexgrid.csv#schools", 177, -1},
		{"healthcare=porto-alegre/poa_hexgrid.csv#healthcare", 117, 5},
		{"poi=porto-alegre/poa_points_of_interest.csv", 15, 0},
	}
	for _, tc := range tests {
		t.Run(tc.spec, func(t *testing.T) {
			name, rel, _ := strings.Cut(tc.spec, "=")
			rel, col, hasCol := strings.Cut(rel, "#")
			spec := name + "=" + testutil.SharedData(t, rel)
			if hasCol {
				spec += "#" + col
			}
			c, err := ReadServices(spec)
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Points) != tc.points {
				t.Errorf("%d points, want %d", len(c.Points), tc.points)
			}
			if tc.warnings >= 0 && c.Warnings.Total() != tc.warnings {
				t.Errorf("%d warnings, want %d: %v", c.Warnings.Total(), tc.warnings, c.Warnings.List)
			}
			for _, p := range c.Points {
				if !validLonLat(p.Lon, p.Lat) || p.ID == "" {
					t.Fatalf("bad point %+v", p)
				}
			}
			t.Logf("%s: %d points, warnings %v", name, len(c.Points), c.Warnings.List)
		})
	}
}

// TestReadServicesCount checks a count column: rows with a value > 0
// only.
func TestReadServicesCount(t *testing.T) {
	c, err := ReadServices("ecole=testdata/hex_counts.csv#schools")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Points) != 2 || c.Points[0].ID != "h2" || c.Points[1].ID != "h3" {
		t.Errorf("points %+v, want h2 and h3", c.Points)
	}
	if _, err := ReadServices("ecole=testdata/hex_counts.csv#nope"); err == nil {
		t.Error("missing count column: no error")
	}
	for _, spec := range []string{"", "=x.csv", "poste=", "Poste=x.csv", "a b=x.csv", "fs=x.geojson#count"} {
		if _, err := ReadServices(spec); err == nil {
			t.Errorf("ReadServices(%q): no error", spec)
		}
	}
}

func TestBasket(t *testing.T) {
	b, err := ReadBasket("testdata/basket.toml")
	if err != nil {
		t.Fatal(err)
	}
	if b.BPE != filepath.Join("testdata", "bpe21_sample.csv") {
		t.Errorf("BPE path %q not taken relative to the basket", b.BPE)
	}
	cats, err := b.Load()
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, c := range cats {
		count[c.Name] = len(c.Points)
	}
	// poste: 2 filtered CSV rows (values compared trimmed, without case)
	// + A206, A208, A207; pharmacie: D307; medecin: D201 (the file is of
	// the 2021 edition: its D265 row, of 2023+ editions, is skipped with a
	// warning); ecole: 2 rows of count > 0. B101 belongs to no category.
	want := map[string]int{"poste": 5, "pharmacie": 1, "medecin": 1, "ecole": 2}
	for k, v := range want {
		if count[k] != v {
			t.Errorf("category %s: %d points, want %d", k, count[k], v)
		}
	}
	if len(cats) != 4 || cats[0].Name != "poste" || cats[3].Name != "ecole" {
		t.Errorf("categories not in the basket's order")
	}
	if cats[2].Warnings.Total() != 1 {
		t.Errorf("medecin warnings %v, want the D265 row of another edition", cats[2].Warnings.List)
	}
	// Independent checks of PROJ: the Lambert-93 origin (700000, 6600000)
	// is 3°E 46.5°N; in EPSG:5490 (UTM 20N) easting 500000 is the central
	// meridian 63°W.
	byID := map[string]Point{}
	for _, c := range cats {
		for _, p := range c.Points {
			byID[c.Name+":"+p.ID] = p
		}
	}
	origin := cats[0].Points[len(cats[0].Points)-2] // BPE rows in file order per CRS: A206, A208, then A207 (EPSG:5490)
	if math.Abs(origin.Lon-3) > 1e-9 || math.Abs(origin.Lat-46.5) > 1e-9 {
		t.Errorf("Lambert-93 origin at %v %v, want 3 46.5", origin.Lon, origin.Lat)
	}
	paris := cats[0].Points[2]
	if math.Abs(paris.Lon-2.35) > 0.01 || math.Abs(paris.Lat-48.853) > 0.01 {
		t.Errorf("Paris post office at %v %v, want about 2.35 48.85", paris.Lon, paris.Lat)
	}
	gp := cats[0].Points[4]
	if math.Abs(gp.Lon+63) > 1e-9 || math.Abs(gp.Lat-16.25) > 0.01 {
		t.Errorf("Guadeloupe point at %v %v, want -63 and about 16.25", gp.Lon, gp.Lat)
	}
}

func TestDefaultBasket(t *testing.T) {
	b := DefaultBasket()
	if _, err := b.Load(); err == nil {
		t.Error("default basket without a BPE file: no error")
	}
	b.BPE = "testdata/bpe21_sample.csv"
	cats, err := b.Load()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, c := range cats {
		got[c.Name] = len(c.Points)
	}
	// 2021 edition: A207 (a relay in a shop) is not a post office; the
	// general practitioner is D201, D265 being of 2023+ editions.
	want := map[string]int{"poste": 2, "pharmacie": 1, "medecin": 1, "france_services": 0}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %d points, want %d", k, got[k], v)
		}
	}
	if w := cats[2].Warnings; w.Total() != 1 || !strings.Contains(w.List[0].Examples[0], "D265 in 2021") {
		t.Errorf("medecin warnings %+v: want D265 skipped in 2021", w.List)
	}
	// 2023 edition: D265 is the general practitioner, D201 is not.
	b.BPE = "testdata/bpe23_sample.csv"
	if cats, err = b.Load(); err != nil {
		t.Fatal(err)
	}
	if n := len(cats[2].Points); n != 1 || cats[2].Warnings.Total() != 1 {
		t.Errorf("2023 edition: %d general practitioners, warnings %+v; want 1 (D265) and D201 skipped", n, cats[2].Warnings.List)
	}
}

// TestLaPosteFilter reads the real La Poste file through a basket filter
// on Caractéristique_du_site.
func TestLaPosteFilter(t *testing.T) {
	p := testutil.SharedData(t, "dordogne/services/laposte_points_contact_dordogne.csv")
	abs, _ := filepath.Abs(p)
	c := &Category{Name: "bureau"}
	if err := c.readSource(Source{Path: abs, Filter: "Caractéristique_du_site", Values: []string{"Bureau de poste"}}); err != nil {
		t.Fatal(err)
	}
	if len(c.Points) != 82 {
		t.Errorf("%d post offices, want 82", len(c.Points))
	}
}

func BenchmarkReadServicesFrance(b *testing.B) {
	p := testutil.SharedData(b, "france/laposte_points_contact_2020.csv")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadServices("poste=" + p); err != nil {
			b.Fatal(err)
		}
	}
}
