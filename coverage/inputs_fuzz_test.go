package coverage

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzFile writes data to a file named name in a temporary folder.
func fuzzFile(t *testing.T, name string, data []byte) string {
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// addSeeds adds every file of testdata/bad/<kind> with one of the
// extensions as a seed.
func addSeeds(f *testing.F, kind string, exts ...string) {
	dir := filepath.Join("..", "testdata", "bad", kind)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		for _, ext := range exts {
			if strings.HasSuffix(e.Name(), ext) {
				if b, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil {
					f.Add(b)
				}
			}
		}
	}
}

func FuzzParseGridID(f *testing.F) {
	for _, s := range []string{"CRS3035RES200mN2029800E4252400", "CRS3035RES1kmN2423000E3523000", "CRS3035RES0mN1E1", "CRS2154RES100mN6600000E700000", "CRS3035RES200mN2029800E"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		g, err := parseGridID(id)
		if err != nil {
			return
		}
		if g.size <= 0 || g.size > 100000 || math.IsInf(g.north, 0) || math.IsInf(g.east, 0) {
			t.Fatalf("%q: %+v accepted", id, g)
		}
		sq, c, err := g.square()
		if err != nil {
			return
		}
		if !validLonLat(c[0], c[1]) || len(sq[0]) != 5 || !sq[0].Closed() {
			t.Fatalf("%q: square %v centre %v", id, sq, c)
		}
	})
}

func FuzzReadGridCSV(f *testing.F) {
	f.Add([]byte("GRD_ID,T\nCRS3035RES1000mN2423000E3523000,8\n"))
	f.Add([]byte("idcar_200m;ind\r\nCRS3035RES200mN2497000E3591600;14.5\r\n"))
	f.Add([]byte("\xef\xbb\xbfid,lon,lat,population\na,0.7,45.1,3\n"))
	addSeeds(f, "grid", ".csv")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzGrid(t, "grid.csv", data) })
}

// fuzzGrid reads data as the grid file name (its format detected): an
// error must carry the package prefix, and every cell read be populated,
// placed and shaped.
func fuzzGrid(t *testing.T, name string, data []byte) {
	g, err := ReadGrid(fuzzFile(t, name, data), "")
	if err != nil {
		if !strings.HasPrefix(err.Error(), "coverage: ") {
			t.Fatalf("error without the package prefix: %v", err)
		}
		return
	}
	for _, c := range g.Cells {
		if !(c.Population > 0) || math.IsInf(c.Population, 0) || !validLonLat(c.Lon, c.Lat) || !c.hasShape() {
			t.Fatalf("bad cell %+v", c)
		}
	}
}

func FuzzReadGridGeoJSON(f *testing.F) {
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"pop":3},"geometry":{"type":"Point","coordinates":[0.7,45.1]}}]}`))
	addSeeds(f, "grid", ".geojson")
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := ReadGrid(fuzzFile(t, "grid.geojson", data), FormatGeoJSON)
		if err != nil {
			return
		}
		for _, c := range g.Cells {
			if !(c.Population > 0) || math.IsInf(c.Population, 0) || math.IsNaN(c.Lon) || math.IsNaN(c.Lat) {
				t.Fatalf("bad cell %+v", c)
			}
		}
	})
}

func FuzzReadServicesCSV(f *testing.F) {
	f.Add([]byte("\xef\xbb\xbf#Identifiant_du_site;Latitude;Longitude\r\n04063A;45.140034;0.74819\r\n"))
	f.Add([]byte("id,lon,lat,schools\na,-51.1,-30.0,1\n"))
	f.Add([]byte("id,lon,lat,schools,oh\na,-51.1,-30.0,1,Mo-Fr 09:00-12:00\nb,-51.1,-30.0,1,Mo-Fx\n"))
	addSeeds(f, "services", ".csv")
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, suffix := range []string{"", "#schools", "#schools@oh", "@h_"} {
			c, err := ReadServices("cat=" + fuzzFile(t, "points.csv", data) + suffix)
			if err != nil {
				continue
			}
			for _, p := range c.Points {
				if !validLonLat(p.Lon, p.Lat) {
					t.Fatalf("bad point %+v", p)
				}
			}
		}
	})
}

func FuzzReadServicesGeoJSON(f *testing.F) {
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"nom":"FS"},"geometry":{"type":"Point","coordinates":[0.7,45.1]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"h_lundi":"9:00 - 12:00","h_mardi":"Horaires non communiqués"},"geometry":{"type":"Point","coordinates":[0.7,45.1]}}]}`))
	addSeeds(f, "services", ".geojson")
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, suffix := range []string{"", "@h_", "@opening_hours"} {
			c, err := ReadServices("cat=" + fuzzFile(t, "points.geojson", data) + suffix)
			if err != nil {
				continue
			}
			for _, p := range c.Points {
				if !validLonLat(p.Lon, p.Lat) {
					t.Fatalf("bad point %+v", p)
				}
			}
		}
	})
}

func FuzzReadLevel(f *testing.F) {
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"24001","nom":"A"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}}]}`))
	f.Add([]byte(`{"type":"Feature","properties":{"epci_code":["200040392"]},"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[0,1],[0,0]]],[[[0,0],[1,1],[1,0],[0,1],[0,0]]]]}}`))
	addSeeds(f, "territories", ".geojson")
	f.Fuzz(func(t *testing.T, data []byte) {
		lv, err := ReadLevel("l", fuzzFile(t, "level.geojson", data), "", "")
		if err != nil {
			return
		}
		if len(lv.Territories) == 0 || len(lv.prepared) != len(lv.Territories) {
			t.Fatalf("%d territories, %d prepared", len(lv.Territories), len(lv.prepared))
		}
		for _, p := range [][2]float64{{0.5, 0.5}, {0, 0}, {200, 100}, {math.NaN(), 0}} {
			if i := lv.Locate(p[0], p[1]); i < -1 || i >= len(lv.Territories) {
				t.Fatalf("Locate(%v) = %d", p, i)
			}
		}
	})
}

func FuzzReadBasket(f *testing.F) {
	if b, err := os.ReadFile("testdata/basket.toml"); err == nil {
		f.Add(b)
	}
	addSeeds(f, "basket", ".toml")
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ReadBasket(fuzzFile(t, "basket.toml", data))
		if err != nil {
			return
		}
		if len(b.Categories) == 0 {
			t.Fatal("a basket without categories accepted")
		}
	})
}
