package coverage

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/output"
	"github.com/vingt/vingt/router"
	"github.com/vingt/vingt/table"
)

// TestPointsHours runs the hand fixture testdata/fixtures/hours (one desk,
// Mo-Fr 09:00-12:00, Tuesday 2026-01-13) and reads points.parquet back:
// 5 × 180 = 900 open minutes a week, open in the 08:00–10:00 window but
// not in 12:00–14:00 (closed from 12:00, and at 11:46 already with
// min_open 15 min); a run without hours writes no points.parquet.
func TestPointsHours(t *testing.T) {
	dir := filepath.Join("..", "testdata", "fixtures", "hours")
	date, _ := gtfs.ParseDate("2026-01-13")
	for _, c := range []struct {
		window   string
		hours    bool
		wantOpen bool
	}{
		{"08:00-10:00", true, true},
		{"12:00-14:00", true, false},
		{"08:00-10:00", false, false},
	} {
		ind := DefaultParams()
		var err error
		if ind.From, ind.To, err = ParseWindow(c.window); err != nil {
			t.Fatal(err)
		}
		svc := "desk=" + filepath.Join(dir, "services-desk.csv")
		if c.hours {
			svc += "@opening_hours"
		}
		job := Job{GTFS: []string{filepath.Join(dir, "gtfs")}, Date: date, Grid: filepath.Join(dir, "grid.csv"),
			Services:    []string{svc},
			Territories: []string{"zone=" + filepath.Join(dir, "territories.geojson")},
			Routing:     router.DefaultParams(), Indicator: ind, Format: table.Parquet, Out: t.TempDir()}
		if _, err := Run(context.Background(), job, Hooks{}); err != nil {
			t.Fatal(err)
		}
		tab, err := table.Read(filepath.Join(job.Out, output.Points+".parquet"))
		if !c.hours {
			if err == nil {
				t.Errorf("no hours: points.parquet written")
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if tab.Len() != 1 || tab.Column(output.PointID).String[0] != "D" || tab.Column(output.Category).String[0] != "desk" {
			t.Fatalf("window %s: points.parquet has %d rows", c.window, tab.Len())
		}
		if m := tab.Column(output.OpenMinutesWeek).Int[0]; m != 900 {
			t.Errorf("open_minutes_week %d, want 900", m)
		}
		if o := tab.Column(output.OpenInWindow).Bool[0]; o != c.wantOpen {
			t.Errorf("window %s: open_in_window %v, want %v", c.window, o, c.wantOpen)
		}
	}
}

// TestPointsHoursImpact runs the impact on the same fixture, with both
// engines: the desk is the only point, so closing it loses the cell
// (population 100, served at the median of 12 min), and its row carries
// its opening hours.
func TestPointsHoursImpact(t *testing.T) {
	dir := filepath.Join("..", "testdata", "fixtures", "hours")
	date, _ := gtfs.ParseDate("2026-01-13")
	for _, engine := range []string{EngineProfile, EngineForward} {
		ind := DefaultParams()
		ind.Engine = engine
		job := Job{GTFS: []string{filepath.Join(dir, "gtfs")}, Date: date, Grid: filepath.Join(dir, "grid.csv"),
			Services:    []string{"desk=" + filepath.Join(dir, "services-desk.csv") + "@opening_hours"},
			Territories: []string{"zone=" + filepath.Join(dir, "territories.geojson")},
			Routing:     router.DefaultParams(), Indicator: ind, Format: table.Parquet, Out: t.TempDir(), Impact: true}
		if _, err := Run(context.Background(), job, Hooks{}); err != nil {
			t.Fatal(err)
		}
		checkDeskImpact(t, engine, job.Out)
	}
}

// checkDeskImpact checks the row of desk D in dir's points.parquet.
func checkDeskImpact(t *testing.T, engine, dir string) {
	t.Helper()
	tab, err := table.Read(filepath.Join(dir, output.Points+".parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if tab.Len() != 1 || tab.Column(output.PointID).String[0] != "D" {
		t.Fatalf("%s: points.parquet has %d rows", engine, tab.Len())
	}
	for _, c := range []struct {
		col  string
		want any
	}{
		{output.PopulationSole, 100.0},
		{output.PopulationNearest, 100.0},
		{output.OpenMinutesWeek, int64(900)},
		{output.OpenInWindow, true},
	} {
		col := tab.Column(c.col)
		if col == nil {
			t.Errorf("%s: no column %s", engine, c.col)
			continue
		}
		var got any
		switch col.Kind {
		case table.Float64:
			got = col.Float[0]
		case table.Int64:
			got = col.Int[0]
		case table.Bool:
			got = col.Bool[0]
		}
		if got != c.want {
			t.Errorf("%s: %s = %v, want %v", engine, c.col, got, c.want)
		}
	}
}
