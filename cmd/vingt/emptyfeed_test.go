package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixtureRunArgs returns a vingt run over the forbidden-transfer fixture
// (service 2026-01-01 to 2026-12-31, weekdays) on date, into out.
func fixtureRunArgs(date, out string) []string {
	dir := filepath.Join("..", "..", "testdata", "fixtures", "forbidden-transfer")
	return []string{"run", "--quiet", "--gtfs", filepath.Join(dir, "gtfs"), "--grid", filepath.Join(dir, "grid.csv"),
		"--services", "ecole=" + filepath.Join(dir, "services-ecole.csv"),
		"--territories", "zone=" + filepath.Join(dir, "territories.geojson"),
		"--date", date, "--window", "08:00-08:10", "--out", out}
}

// TestRunEmptyFeed checks that a date on which no trip of a feed runs
// fails, naming the feed and its service dates, unless allowed.
func TestRunEmptyFeed(t *testing.T) {
	cases := []struct {
		name string
		date string
		args []string
		code int
		want string
	}{
		{"after the calendar", "2027-03-02", nil, 2, "coverage: feed gtfs (../../testdata/fixtures/forbidden-transfer/gtfs): no trip runs on 2027-03-02 (its service dates run from 2026-01-01 to 2026-12-31)"},
		{"a Sunday", "2026-01-11", nil, 2, "no trip runs on 2026-01-11"},
		{"allowed", "2027-03-02", []string{"--allow-empty-feed"}, 0, ""},
		{"in service", "2026-01-13", nil, 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := t.TempDir()
			r := runVingt(t, "", append(fixtureRunArgs(c.date, out), c.args...)...)
			if r.code != c.code || !strings.Contains(r.stderr, c.want) {
				t.Fatalf("exit %d, stderr %q: want %d and %q", r.code, r.stderr, c.code, c.want)
			}
			if c.code != 0 {
				if _, err := os.Stat(filepath.Join(out, "run.json")); err == nil {
					t.Errorf("a failed run wrote run.json")
				}
				return
			}
			b, err := os.ReadFile(filepath.Join(out, "run.json"))
			if err != nil {
				t.Fatal(err)
			}
			allowed := strings.Contains(string(b), `"allow_empty_feed": true`)
			if allowed != (len(c.args) > 0) {
				t.Errorf("run.json records allow_empty_feed %v, want %v", allowed, len(c.args) > 0)
			}
		})
	}
}

// TestRunEmptyFeedConfig checks the config key allow_empty_feed.
func TestRunEmptyFeedConfig(t *testing.T) {
	dir := t.TempDir()
	fx, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "fixtures", "forbidden-transfer"))
	cfg := `gtfs = ["` + filepath.Join(fx, "gtfs") + `"]
date = "2027-03-02"
window = "08:00-08:10"
grid = "` + filepath.Join(fx, "grid.csv") + `"
services = ["ecole=` + filepath.Join(fx, "services-ecole.csv") + `"]
allow_empty_feed = true
out = "out"
`
	if err := os.WriteFile(filepath.Join(dir, "vingt.toml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runVingt(t, dir, "run", "--quiet", "--config", "vingt.toml")
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %s", r.code, r.stderr)
	}
}

// TestInspectServiceDates checks that inspect prints each feed's first and
// last service date, as text and JSON, and its shapes as text.
func TestInspectServiceDates(t *testing.T) {
	feed := filepath.Join("..", "..", "testdata", "fixtures", "after-midnight", "gtfs")
	r := runVingt(t, "", "inspect", "--json", feed)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var got struct {
		First string `json:"first_service_date"`
		Last  string `json:"last_service_date"`
		Feeds []struct {
			First string `json:"first_service_date"`
			Last  string `json:"last_service_date"`
		} `json:"feeds"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	if got.First != "2026-01-01" || got.Last != "2026-12-31" || len(got.Feeds) != 1 || got.Feeds[0].First != "2026-01-01" || got.Feeds[0].Last != "2026-12-31" {
		t.Errorf("service dates %+v: want 2026-01-01 to 2026-12-31", got)
	}
	r = runVingt(t, "", "inspect", feed)
	for _, want := range []string{"first service date", "2026-01-01", "last service date", "2026-12-31", "shapes"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("text output lacks %q:\n%s", want, r.stdout)
		}
	}
}
