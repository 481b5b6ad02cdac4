package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// vingtBin is the vingt binary built once for the CLI tests, so that they
// run the real command as a user would.
var vingtBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "vingt-cli-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	vingtBin = filepath.Join(dir, "vingt")
	build := exec.Command("go", "build", "-o", vingtBin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building vingt:", err)
		os.RemoveAll(dir)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is what one run of the vingt command produced.
type result struct {
	stdout, stderr string
	code           int
}

// runVingt runs the vingt binary with args in dir (the package directory
// when dir is empty) and returns its output and exit code.
func runVingt(t *testing.T, dir string, args ...string) result {
	t.Helper()
	cmd := exec.Command(vingtBin, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		code = exitErr.ExitCode()
	case err != nil:
		t.Fatalf("running vingt %v: %v", args, err)
	}
	return result{stdout.String(), stderr.String(), code}
}

func TestVersion(t *testing.T) {
	r := runVingt(t, "", "--version")
	if r.code != 0 || !bytes.Contains([]byte(r.stdout), []byte(version)) {
		t.Fatalf("vingt --version: code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}
