package coverage

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/hours"
	"github.com/vingt/vingt/output"
	"github.com/vingt/vingt/table"
)

// TestHoursClosedIsRemoved checks the law "a point closed all day is the
// point removed" on the Dordogne run of README, on Saturday 2026-01-17 at
// 09:00–11:00 with the France Services hours: territories.parquet is
// byte-identical to, and every served_* column of cells.parquet equals,
// those of the run where the desks closed that Saturday are removed from
// the input (the other desks keep their hours).
func TestHoursClosedIsRemoved(t *testing.T) {
	if testing.Short() {
		t.Skip("two Dordogne runs: not in -short")
	}
	job := dordogneJob(t)
	fsPath := job.Services[1]
	fsPath = fsPath[strings.IndexByte(fsPath, '=')+1:]
	job.Date, _ = gtfs.ParseDate("2026-01-17")
	job.Indicator.From, job.Indicator.To = 9*3600, 11*3600

	// The input without the desks closed that Saturday.
	raw, err := os.ReadFile(fsPath)
	if err != nil {
		t.Fatal(err)
	}
	var fc map[string]any
	if err := json.Unmarshal(raw, &fc); err != nil {
		t.Fatal(err)
	}
	date := HoursDate(job.Date)
	var kept []any
	closed := 0
	for _, f := range fc["features"].([]any) {
		props, _ := f.(map[string]any)["properties"].(map[string]any)
		var days [7]string
		for i, d := range frenchDays {
			days[i], _ = props["h_"+d].(string)
		}
		if s, err := hours.ParseDays(days); err == nil && !s.Windows(date, job.Indicator.MinOpen, nil).OpenDuring(0, 86400) {
			closed++
			continue
		}
		kept = append(kept, f)
	}
	if closed == 0 || len(kept) == 0 {
		t.Fatalf("%d desks closed that Saturday, %d kept: the law is not exercised", closed, len(kept))
	}
	t.Logf("%d desks closed on Saturday 2026-01-17, %d kept", closed, len(kept))
	fc["features"] = kept
	dir := t.TempDir()
	reduced := filepath.Join(dir, "france_services_saturday.geojson")
	b, _ := json.Marshal(fc)
	if err := os.WriteFile(reduced, b, 0o644); err != nil {
		t.Fatal(err)
	}

	run := func(name, path string) string {
		j := job
		j.Services = []string{job.Services[0], "france_services=" + path + "@h_"}
		j.Out = filepath.Join(dir, name)
		if _, err := Run(context.Background(), j, Hooks{}); err != nil {
			t.Fatal(err)
		}
		return j.Out
	}
	all, removed := run("all", fsPath), run("removed", reduced)

	ta, _ := os.ReadFile(filepath.Join(all, output.Territories+".parquet"))
	tr, _ := os.ReadFile(filepath.Join(removed, output.Territories+".parquet"))
	if len(ta) == 0 || !bytes.Equal(ta, tr) {
		t.Errorf("territories.parquet differ (%d and %d bytes)", len(ta), len(tr))
	}
	ca, err := table.Read(filepath.Join(all, output.Cells+".parquet"))
	if err != nil {
		t.Fatal(err)
	}
	cr, err := table.Read(filepath.Join(removed, output.Cells+".parquet"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range ca.Columns {
		if !output.IsServedColumn(c.Name) {
			continue
		}
		n++
		d := cr.Column(c.Name)
		if d == nil || !slices.Equal(c.Bool, d.Bool) {
			t.Errorf("column %s differs", c.Name)
		}
	}
	if n < 3 {
		t.Errorf("%d served columns compared", n)
	}

	// And the hours matter: without them, more cells are served.
	j := job
	j.Services = []string{job.Services[0], "france_services=" + fsPath}
	j.Out = filepath.Join(dir, "nohours")
	if _, err := Run(context.Background(), j, Hooks{}); err != nil {
		t.Fatal(err)
	}
	cn, err := table.Read(filepath.Join(j.Out, output.Cells+".parquet"))
	if err != nil {
		t.Fatal(err)
	}
	with, without := count(ca.Column("served_france_services").Bool), count(cn.Column("served_france_services").Bool)
	t.Logf("cells served for france_services: %d with hours, %d without", with, without)
	if with >= without {
		t.Errorf("cells served for france_services: %d with hours, %d without: hours change nothing", with, without)
	}
}

func count(b []bool) int {
	n := 0
	for _, v := range b {
		if v {
			n++
		}
	}
	return n
}
