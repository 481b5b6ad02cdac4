package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestRunReplacesFolder checks that a Parquet run into a folder holding
// an Arrow run leaves exactly the files its run.json lists, and that a
// folder holding other files is refused before any work.
func TestRunReplacesFolder(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	for _, format := range []string{"arrow", "parquet"} {
		r := runVingt(t, "", append(fixtureRunArgs("2026-01-13", out), "--format", format)...)
		if r.code != 0 {
			t.Fatalf("%s: exit %d: %s", format, r.code, r.stderr)
		}
		var m struct {
			Outputs []string `json:"outputs"`
		}
		b, err := os.ReadFile(filepath.Join(out, "run.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		var got []string
		entries, _ := os.ReadDir(out)
		for _, e := range entries {
			got = append(got, e.Name())
		}
		if want := slices.Sorted(slices.Values(m.Outputs)); !slices.Equal(got, want) {
			t.Errorf("%s: folder holds %v, run.json lists %v", format, got, want)
		}
	}
	if err := os.WriteFile(filepath.Join(out, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runVingt(t, "", fixtureRunArgs("2026-01-13", out)...)
	if r.code != 2 || !strings.Contains(r.stderr, "holds files that are not outputs of a run (notes.txt)") {
		t.Errorf("folder with notes.txt: exit %d, stderr %q", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "notes.txt")); err != nil {
		t.Errorf("notes.txt lost: %v", err)
	}
}
