// Package testutil holds what the tests of several packages of vingt
// share: the path of the real data beside the project, which skips a test
// when it is absent, and the -update flag and comparison of golden files.
//
// It imports only the standard library, so that the tests of every
// package, the GTFS reader's included, may import it; the dependency test
// of the module forbids it outside tests.
package testutil

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// update is the -update flag of every test binary that imports testutil.
var update = flag.Bool("update", false, "rewrite the golden files of testdata from what the tests compute")

// Update reports whether the tests run with -update: golden files are then
// rewritten from what the tests compute, not compared.
func Update() bool {
	return *update
}

// ModuleRoot returns the folder holding the go.mod file of the module that
// dir belongs to: dir itself or the nearest of its parents.
func ModuleRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("testutil: %w", err)
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("testutil: %w", err)
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("testutil: no go.mod in %s or above", dir)
		}
	}
}

// SharedData returns the absolute path of rel (slash-separated) under
// shared/data beside the module root (../shared/data as seen from the
// folder of go.mod), and skips the test when it is absent, as it is for
// users of the project.
func SharedData(tb testing.TB, rel string) string {
	tb.Helper()
	root, err := ModuleRoot(".")
	if err != nil {
		tb.Fatal(err)
	}
	p := filepath.Join(filepath.Dir(root), "shared", "data", filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("shared data %s absent: %v", rel, err)
	}
	return p
}

// Golden compares got with the file at path; with -update it rewrites the
// file instead.
func Golden(tb testing.TB, path string, got []byte) {
	tb.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -update to write it)", err)
	}
	if string(want) != string(got) {
		tb.Errorf("%s differs from the outputs:\n--- golden\n%s\n--- got\n%s", path, want, got)
	}
}
