package coverage

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vingt/vingt/hours"
	"github.com/vingt/vingt/internal/testutil"
)

func TestReadServicesHours(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "p.csv")
	os.WriteFile(csv, []byte("id,lat,lon,n,opening_hours\n"+
		"a,45,1,1,Mo-Fr 09:00-12:00\n"+
		"b,45,1,1,\n"+
		"c,45,1,1,Mo-Fx 09:00-12:00\n"+
		"d,45,1,0,Mo-Fr 09:00-12:00\n"+
		"e,45,1,1,sunrise-sunset\n"), 0o644)
	c, err := ReadServices("post=" + csv + "#n@opening_hours")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Points) != 4 || c.WithHours() != 1 || c.Points[0].Hours == nil {
		t.Fatalf("points %d, with hours %d", len(c.Points), c.WithHours())
	}
	if c.Warnings.Total() != 2 {
		t.Fatalf("warnings %+v, want 2 (malformed c, unsupported e)", c.Warnings.List)
	}
	for _, w := range c.Warnings.List {
		if !strings.Contains(w.Examples[0], "p.csv:") {
			t.Errorf("warning %q does not name the line", w.Examples[0])
		}
	}
	if !strings.Contains(c.Warnings.List[0].Examples[0], "Mo-Fx") {
		t.Errorf("warning %q does not quote the text", c.Warnings.List[0].Examples[0])
	}
	if _, err := ReadServices("post=" + csv + "@nope"); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("missing hours column: %v", err)
	}
	if _, err := ReadServices("post=" + csv + "@"); err == nil {
		t.Errorf("empty hours column accepted")
	}

	gj := filepath.Join(dir, "p.geojson")
	os.WriteFile(gj, []byte(`{"type":"FeatureCollection","features":[
{"type":"Feature","geometry":{"type":"Point","coordinates":[1,45]},"properties":{"h_lundi":"9:00 - 12:00","h_mardi":"-","h_mercredi":"","h_jeudi":"","h_vendredi":"","h_samedi":"","h_dimanche":""}},
{"type":"Feature","geometry":{"type":"Point","coordinates":[1,45]},"properties":{"h_lundi":"Horaires non communiqués"}},
{"type":"Feature","geometry":{"type":"Point","coordinates":[1,45]},"properties":{}}]}`), 0o644)
	c, err = ReadServices("fs=" + gj + "@h_")
	if err != nil {
		t.Fatal(err)
	}
	if c.WithHours() != 1 || c.Warnings.Total() != 1 || !strings.Contains(c.Warnings.List[0].Examples[0], "feature 2") {
		t.Fatalf("with hours %d, warnings %+v", c.WithHours(), c.Warnings.List)
	}
	w := c.Points[0].Hours.Windows(hours.Date{Year: 2026, Month: 1, Day: 12}, 0, nil) // a Monday
	if a, ok := w.Arrive(8 * 3600); !ok || a != 9*3600 {
		t.Errorf("Monday 08:00 served at %d %v, want 09:00", a, ok)
	}
}

// TestReadServicesHoursDordogne reads the France Services hours of the real
// file: every desk has hours or a counted warning.
func TestReadServicesHoursDordogne(t *testing.T) {
	path := testutil.SharedData(t, "dordogne/services/france_services_2020_dordogne.geojson")
	c, err := ReadServices("france_services=" + path + "@h_")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d points, %d with hours, %d warnings", len(c.Points), c.WithHours(), c.Warnings.Total())
	if c.WithHours() == 0 || c.WithHours()+c.Warnings.Total() < len(c.Points)/2 {
		t.Errorf("%d points, %d with hours, %d warnings", len(c.Points), c.WithHours(), c.Warnings.Total())
	}
}

func TestBasketHours(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "p.csv"), []byte("id,lat,lon,oh\na,45,1,Mo-Fr 09:00-12:00\nb,45,1,\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.toml"), []byte("[[category]]\nname = \"post\"\n[[category.source]]\npath = \"p.csv\"\nhours = \"oh\"\n"), 0o644)
	b, err := ReadBasket(filepath.Join(dir, "b.toml"))
	if err != nil {
		t.Fatal(err)
	}
	cats, err := b.Load()
	if err != nil {
		t.Fatal(err)
	}
	if cats[0].WithHours() != 1 || cats[0].HoursColumn != "oh" {
		t.Fatalf("with hours %d, column %q", cats[0].WithHours(), cats[0].HoursColumn)
	}
}
