package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/internal/testutil"
)

// TestIsochroneFromStation checks that --from-stop with a parent station
// (Périgueux station, two quays) starts from all its quays, and reaches at
// least what each quay reaches alone.
func TestIsochroneFromStation(t *testing.T) {
	feed := testutil.SharedData(t, peribus)
	dir := t.TempDir()
	reached := func(stop string) (string, int) {
		out := filepath.Join(dir, strings.ReplaceAll(stop, ":", "_")+".csv")
		r := runVingt(t, dir, "isochrone", "--gtfs", feed, "--date", peribusDate, "--at", "08:00",
			"--from-stop", stop, "--stops-csv", out)
		if r.code != 0 {
			t.Fatalf("%s: exit %d: %s", stop, r.code, r.stderr)
		}
		return r.stdout, len(readStopsCSV(t, out, 8*3600))
	}
	out, station := reached("MOBIITI:StopPlace:77029")
	if !strings.Contains(out, "station MOBIITI:StopPlace:77029") || !strings.Contains(out, "2 quays") || !strings.Contains(out, ": 2 access stops") {
		t.Errorf("station origin not expanded to its quays:\n%s", out)
	}
	if station < 2 {
		t.Errorf("from the station: %d stops reached", station)
	}
	for _, q := range stationQuays(t) {
		if _, n := reached(q); n > station {
			t.Errorf("quay %s reaches %d stops, the station only %d", q, n, station)
		}
	}
}

// stationQuays lists the quays of Périgueux station in the Péribus feed.
func stationQuays(t *testing.T) []string {
	f, err := gtfs.Open(testutil.SharedData(t, peribus))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range f.Stops {
		if s.Parent != gtfs.None && f.Stops[s.Parent].ID == "MOBIITI:StopPlace:77029" {
			out = append(out, s.ID)
		}
	}
	if len(out) != 2 {
		t.Fatalf("Périgueux station has %d quays, want 2", len(out))
	}
	return out
}
