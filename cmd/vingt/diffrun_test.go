package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/vingt/vingt/compare"
	"github.com/vingt/vingt/internal/testutil"
)

// TestDiffAfterRemovingAPoint is the regression gate of the nightly
// issue: two runs of the same inputs differ in nothing (exit 0); removing
// a service point makes a territory's coverage drop (exit 1), and the
// manifests tell which input changed.
func TestDiffAfterRemovingAPoint(t *testing.T) {
	if testing.Short() {
		t.Skip("whole Dordogne runs: not in -short")
	}
	base := dordogneArgs(t)
	run := func(out string, args []string) {
		t.Helper()
		if r := runVingt(t, "", append(args, "--out", out)...); r.code != 0 {
			t.Fatalf("vingt run: exit %d\n%s", r.code, r.stderr)
		}
	}
	dir := t.TempDir()
	a, b, c := filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "c")
	run(a, base)
	run(b, base)
	if r := runVingt(t, "", "diff", a, b); r.code != 0 {
		t.Fatalf("diff of identical runs: exit %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
	}
	// Without the post offices of Périgueux (INSEE 24322), the commune
	// loses coverage.
	poste := testutil.SharedData(t, "dordogne/services/laposte_points_contact_dordogne.csv")
	lines, err := os.ReadFile(poste)
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	removed := 0
	for i, l := range strings.Split(strings.TrimRight(string(lines), "\n"), "\n") {
		if i > 0 && strings.Contains(l, ",24322,") {
			removed++
			continue
		}
		kept = append(kept, l)
	}
	if removed == 0 {
		t.Fatal("no La Poste point in Périgueux to remove")
	}
	fewer := filepath.Join(dir, "poste.csv")
	os.WriteFile(fewer, []byte(strings.Join(kept, "\n")+"\n"), 0o644)
	args := append([]string(nil), base...)
	for i, x := range args {
		if strings.HasPrefix(x, "poste=") {
			args[i] = "poste=" + fewer
		}
	}
	run(c, args)
	r := runVingt(t, "", "diff", a, c)
	if r.code != 1 {
		t.Fatalf("diff after removing %d points: exit %d, want 1\nstdout %s\nstderr %s", removed, r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "24322") || !strings.Contains(r.stdout, "poste") {
		t.Errorf("diff output names neither Périgueux (24322) nor the changed input:\n%s", r.stdout)
	}
	checkDiffCells(t, a, c)
	if r := runVingt(t, "", "diff", a, filepath.Join(dir, "nowhere")); r.code != 2 {
		t.Errorf("diff with a missing run: exit %d, want 2", r.code)
	}
}

// checkDiffCells checks vingt diff --json's cell lists against the two
// cells.parquet read here: the ids of the cells whose served_poste flag
// flipped, and the travel times to poste of the cells unserved in both
// that changed by more than the 1-minute tolerance.
func checkDiffCells(t *testing.T, a, c string) {
	t.Helper()
	r := runVingt(t, "", "diff", "--json", a, c)
	var rep compare.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || rep.Cells == nil {
		t.Fatalf("diff --json: %v\n%s", err, r.stdout)
	}
	old, new := readTable(t, filepath.Join(a, "cells.parquet")), readTable(t, filepath.Join(c, "cells.parquet"))
	row := map[string]int{}
	for i, id := range new.Column("cell_id").String {
		row[id] = i
	}
	var lost []string
	changed := map[string]bool{}
	so, ns := old.Column("served_poste"), new.Column("served_poste")
	ot, nt := old.Column("travel_time_poste"), new.Column("travel_time_poste")
	for i, id := range old.Column("cell_id").String {
		j := row[id]
		if so.Bool[i] && !ns.Bool[j] {
			lost = append(lost, id)
		}
		if !so.Bool[i] && !ns.Bool[j] {
			ov, nv := ot.IsValid(i), nt.IsValid(j)
			if ov != nv || (ov && math.Abs(nt.Float[j]-ot.Float[i]) > 1+1e-9) {
				changed[id] = true
			}
		}
	}
	sort.Strings(lost)
	got := rep.Cells.Categories["poste"]
	if len(lost) == 0 || !slices.Equal(got.LostIDs, lost) || got.Lost != len(lost) || len(got.GainedIDs) != 0 {
		t.Errorf("diff --json lost %v (gained %v), the tables %v", got.LostIDs, got.GainedIDs, lost)
	}
	n := 0
	for _, tc := range rep.Cells.TimeChanges {
		if tc.Category == "poste" {
			n++
			if !changed[tc.CellID] {
				t.Errorf("time change %+v: not beyond the tolerance in the tables", tc)
			}
		}
	}
	if n != len(changed) || n == 0 {
		t.Errorf("diff --json lists %d poste time changes of unserved cells, the tables %d", n, len(changed))
	}
}
