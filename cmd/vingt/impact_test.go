package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestImpactCommand runs the impact fixture with --impact, then vingt
// impact with two closures at once: its files must equal, byte for byte
// (run.json aside), those of vingt run --impact --remove with both; and
// it refuses a run without --impact, no point, its own folder, and an
// unknown point.
func TestImpactCommand(t *testing.T) {
	fx, err := filepath.Abs(filepath.Join("..", "..", "testdata", "fixtures", "impact"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	base := []string{"run", "-q", "--gtfs", filepath.Join(fx, "gtfs"), "--date", "2026-01-13", "--window", "08:00-08:10",
		"--max-duration", "16m", "--grid", filepath.Join(fx, "grid.csv"),
		"--services", "poste=" + filepath.Join(fx, "services-poste.csv"),
		"--services", "france_services=" + filepath.Join(fx, "services-france_services.csv"),
		"--territories", "commune=" + filepath.Join(fx, "territories.geojson")}
	run := func(args ...string) string {
		t.Helper()
		out, err := vingtRun(t, nil, args...)
		if err != nil {
			t.Fatalf("vingt %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	first, plain, both, scenario := filepath.Join(dir, "first"), filepath.Join(dir, "plain"), filepath.Join(dir, "both"), filepath.Join(dir, "scenario")
	// The summary names the costly closures of the fixture's README:
	// P2 500, F 300, P1 100; P3 costs nothing.
	sum := run(append(base, "--impact", "--out", first)...)
	var rows []string
	for _, l := range strings.Split(sum, "\n") {
		if f := strings.Fields(l); len(f) > 2 && (f[0] == "poste" || f[0] == "france_services") {
			rows = append(rows, strings.Join(f, " "))
		}
	}
	if !strings.Contains(sum, "closures: 3 of the 4 points would each, closed alone, leave people unserved\n") ||
		strings.Join(rows, "; ") != "poste P2 Poste Est 500 200; france_services F France Services 300 300; poste P1 Poste Ouest 100 100" {
		t.Errorf("summary's closures %q in\n%s", rows, sum)
	}
	run(append(base, "--out", plain)...)
	run(append(base, "--impact", "--remove", "P1,poste:P2", "--out", both)...)
	out := run("impact", "-q", first, "--remove", "P1", "--point", "poste:P2", "--out", scenario)
	if !strings.Contains(out, "without P1, poste:P2") {
		t.Errorf("output does not name the closures:\n%s", out)
	}
	names, err := os.ReadDir(both)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range names {
		if e.Name() == "run.json" {
			continue
		}
		sameFile(t, filepath.Join(both, e.Name()), filepath.Join(scenario, e.Name()))
		n++
	}
	if n != 3 { // cells, territories, points
		t.Errorf("%d files compared, want 3", n)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"impact", "-q", plain, "--remove", "P1", "--out", filepath.Join(dir, "x")}, "no recorded configuration: the folder holds a run without the impact of closures, or of an older version (run vingt run --impact first)"},
		{[]string{"impact", "-q", first, "--out", filepath.Join(dir, "x")}, "no point to close (give --remove ID,… or --point ID)"},
		{[]string{"impact", "-q", first, "--remove", "P1", "--out", first}, "the run's own folder"},
		{[]string{"impact", "-q", first, "--remove", "P9", "--out", filepath.Join(dir, "x")}, `remove "P9": no such service point`},
		// What a run lacks: the library names the setting, the command
		// its flag.
		{slices.Concat(base[:12], base[16:], []string{"--out", filepath.Join(dir, "x")}), "no service category: set services (CATEGORY=PATH) or a basket (give --services CATEGORY=PATH, or --basket)"},
		{slices.Concat(base[:4], base[6:], []string{"--out", filepath.Join(dir, "x")}), "no analysis date: set date (YYYY-MM-DD) or dates (give --date YYYY-MM-DD)"},
	} {
		out, err := vingtRun(t, nil, c.args...)
		if err == nil || !strings.Contains(out, c.want) {
			t.Errorf("vingt %s: error %v, output %q; want one saying %q", strings.Join(c.args, " "), err, out, c.want)
		}
	}
}
