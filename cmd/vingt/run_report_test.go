package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunReport runs the embedded example with --report: report.html lies
// beside the outputs, is listed in the summary, and a bad --lang is
// refused before any routing.
func TestRunReport(t *testing.T) {
	if testing.Short() {
		t.Skip("whole runs: not in -short")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	r := runVingt(t, dir, "run", "--quiet", "--report", "--lang", "en", "--out", out)
	if r.code != 0 {
		t.Fatalf("code %d: %s", r.code, r.stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "<svg") || !strings.Contains(r.stdout, "report.html") {
		t.Errorf("report of %d bytes; summary %q", len(b), r.stdout)
	}
	r = runVingt(t, dir, "run", "--quiet", "--report", "--lang", "de", "--out", filepath.Join(dir, "de"))
	if r.code != 2 || !strings.Contains(r.stderr, "--lang") {
		t.Errorf("--lang de: code %d, %q", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "de")); err == nil {
		t.Error("a refused run wrote its folder")
	}
}
