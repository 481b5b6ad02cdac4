package coverage

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"

	"github.com/vingt/vingt/internal/testutil"
)

func TestParseGridID(t *testing.T) {
	tests := []struct {
		id         string
		crs        string
		size, n, e float64
		wantErr    bool
	}{
		{"CRS3035RES200mN2029800E4252400", "EPSG:3035", 200, 2029800, 4252400, false},
		{"CRS3035RES1000mN2423000E3523000", "EPSG:3035", 1000, 2423000, 3523000, false},
		{"CRS3035RES1kmN2423000E3523000", "EPSG:3035", 1000, 2423000, 3523000, false},
		{"CRS3035RES0mN2423000E3523000", "", 0, 0, 0, true},
		{"CRS3035RES200N2029800E4252400", "", 0, 0, 0, true},
		{"CRS3035RES200mE4252400N2029800", "", 0, 0, 0, true},
		{"CRS3035RES200mN2029800E", "", 0, 0, 0, true},
		{"crs3035res200mn2029800e4252400", "", 0, 0, 0, true},
		{"CRS3035RES200mN20298000000000000E4252400", "", 0, 0, 0, true},
		{"", "", 0, 0, 0, true},
	}
	for _, tc := range tests {
		g, err := parseGridID(tc.id)
		if (err != nil) != tc.wantErr {
			t.Errorf("parseGridID(%q) error %v, want error %v", tc.id, err, tc.wantErr)
			continue
		}
		if err == nil && (g.crs != tc.crs || g.size != tc.size || g.north != tc.n || g.east != tc.e) {
			t.Errorf("parseGridID(%q) = %+v", tc.id, g)
		}
	}
}

// TestGridSquare checks a 200 m Filosofi cell against independent
// figures: its corners are 200 m apart on the ground, the centre is the
// middle of the square, and the square is counter-clockwise.
func TestGridSquare(t *testing.T) {
	g, err := parseGridID("CRS3035RES200mN2497000E3591600")
	if err != nil {
		t.Fatal(err)
	}
	sq, centre, err := g.square()
	if err != nil {
		t.Fatal(err)
	}
	ring := sq[0]
	if len(ring) != 5 || !ring.Closed() {
		t.Fatalf("ring %v: want 4 corners and the closing point", ring)
	}
	for i := 0; i < 4; i++ {
		d := geo.Distance(ring[i], ring[i+1])
		if math.Abs(d-200) > 1 {
			t.Errorf("side %d: %.2f m, want 200 m", i, d)
		}
	}
	if ring.Orientation() != orb.CCW {
		t.Errorf("ring orientation %v, want counter-clockwise", ring.Orientation())
	}
	// The data file gives the centre as 0.709782, 45.176506 (rounded).
	if math.Abs(centre[0]-0.709782) > 2e-6 || math.Abs(centre[1]-45.176506) > 2e-6 {
		t.Errorf("centre %v, want about (0.709782, 45.176506)", centre)
	}
	// Lon/lat order: longitude about 0.7 E, latitude about 45.2 N.
	if !(centre[0] > 0.6 && centre[0] < 0.8 && centre[1] > 45 && centre[1] < 45.3) {
		t.Errorf("centre %v: axis order wrong", centre)
	}
}

func TestReadGridReal(t *testing.T) {
	tests := []struct {
		rel    string
		format string
		cells  int
		pop    float64
		empty  int
	}{
		{"dordogne/population/census2021_1km_dordogne_bbox.csv", FormatEurostat, 17701, 1129993, 0},
		{"dordogne/population/filosofi2021_200m_perigueux_center_window.csv", FormatFilosofi, 135, 21864.5, 0},
		{"porto-alegre/poa_hexgrid.csv", FormatCSV, 1124, 812935, 103},
		{"sao-paulo/spo_hexgrid.csv", FormatCSV, 319, 517570, 4},
	}
	for _, tc := range tests {
		t.Run(filepath.Base(tc.rel), func(t *testing.T) {
			p := testutil.SharedData(t, tc.rel)
			g, err := ReadGrid(p, "")
			if err != nil {
				t.Fatal(err)
			}
			if g.Format != tc.format {
				t.Errorf("format %q, want %q", g.Format, tc.format)
			}
			if tc.cells >= 0 && len(g.Cells) != tc.cells {
				t.Errorf("%d cells, want %d", len(g.Cells), tc.cells)
			}
			sum := 0.0
			for _, c := range g.Cells {
				sum += c.Population
				if c.Population <= 0 {
					t.Fatalf("cell %s of population %v kept", c.ID, c.Population)
				}
			}
			if g.SkippedEmpty != tc.empty {
				t.Errorf("%d empty cells skipped, want %d", g.SkippedEmpty, tc.empty)
			}
			if tc.pop >= 0 && sum != tc.pop {
				t.Errorf("population %v, want %v", sum, tc.pop)
			}
			t.Logf("%s: %d cells, %d empty skipped, population %v, %d warnings", g.Format, len(g.Cells), g.SkippedEmpty, sum, g.Warnings.Total())
		})
	}
}

// TestReadGridCentres checks the centre derived from GRD_ID through PROJ
// against the file's own lon_center/lat_center convenience columns, read
// here only.
func TestReadGridCentres(t *testing.T) {
	for _, rel := range []string{
		"dordogne/population/census2021_1km_dordogne_bbox.csv",
		"dordogne/population/filosofi2021_200m_perigueux_center_window.csv",
	} {
		p := testutil.SharedData(t, rel)
		g, err := ReadGrid(p, "")
		if err != nil {
			t.Fatal(err)
		}
		tab, err := readTable(p)
		if err != nil {
			t.Fatal(err)
		}
		byID := map[string]orb.Point{}
		iID := tab.col("grd_id", "idcar_200m")
		for r := range tab.rows {
			lon, _ := strconv.ParseFloat(tab.get(r, tab.col("lon_center")), 64)
			lat, _ := strconv.ParseFloat(tab.get(r, tab.col("lat_center")), 64)
			byID[tab.get(r, iID)] = orb.Point{lon, lat}
		}
		worst := 0.0
		for _, c := range g.Cells {
			want, ok := byID[c.ID]
			if !ok {
				t.Fatalf("cell %s not in the file", c.ID)
			}
			worst = math.Max(worst, geo.Distance(want, orb.Point{c.Lon, c.Lat}))
		}
		// The file rounds to 6 decimals (≤ 0.1 m); allow 1 m.
		if worst > 1 {
			t.Errorf("%s: centre up to %.2f m from the file's lon/lat_center", rel, worst)
		}
		t.Logf("%s: worst centre difference %.3f m", filepath.Base(rel), worst)
	}
}

func BenchmarkReadGridEurostat(b *testing.B) {
	p := testutil.SharedData(b, "dordogne/population/census2021_1km_dordogne_bbox.csv")
	st, _ := os.Stat(p)
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadGrid(p, ""); err != nil {
			b.Fatal(err)
		}
	}
}
