package main

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestRunSignalled sends SIGINT and SIGTERM to real runs paused in each
// stage (reading, compiling, routing, aggregating, writing: the hidden
// VINGT_TEST_PAUSE_AT makes vingt wait there for the signal): each ends
// with 130 or 143 and says it was interrupted, leaves no staging folder,
// and keeps the previous outputs byte for byte.
func TestRunSignalled(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "out")
	if r := runVingt(t, "", fixtureRunArgs("2026-01-13", out)...); r.code != 0 {
		t.Fatalf("first run: exit %d\n%s", r.code, r.stderr)
	}
	files := []string{"cells.parquet", "territories.parquet", "run.json"}
	before := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		before[f] = b
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		for _, stage := range []string{"reading", "compiling", "routing", "aggregating", "writing"} {
			t.Run(sig.String()+"/"+stage, func(t *testing.T) {
				// Another window, so that a run that went through would
				// change the outputs.
				cmd := exec.Command(vingtBin, append(fixtureRunArgs("2026-01-13", out), "--window", "08:00-08:20")...)
				cmd.Env = append(os.Environ(), envPauseAt+"="+stage)
				pipe, err := cmd.StderrPipe()
				if err != nil {
					t.Fatal(err)
				}
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				var stderr bytes.Buffer
				sc := bufio.NewScanner(pipe)
				paused := false
				for sc.Scan() {
					stderr.WriteString(sc.Text() + "\n")
					if !paused && strings.HasPrefix(sc.Text(), "vingt: paused at "+stage) {
						paused = true
						if err := cmd.Process.Signal(sig); err != nil {
							t.Error(err)
						}
					}
				}
				err = cmd.Wait()
				code := 0
				var ee *exec.ExitError
				if errors.As(err, &ee) {
					code = ee.ExitCode()
				}
				if !paused {
					t.Fatalf("never paused at %s (exit %d)\n%s", stage, code, stderr.String())
				}
				if want := 128 + int(sig); code != want {
					t.Errorf("exit %d, want %d\n%s", code, want, stderr.String())
				}
				if !strings.Contains(stderr.String(), "vingt: interrupted by "+sig.String()+": previous outputs kept") {
					t.Errorf("stderr %q does not say it was interrupted", stderr.String())
				}
				for _, f := range files {
					if now, err := os.ReadFile(filepath.Join(out, f)); err != nil || !bytes.Equal(now, before[f]) {
						t.Errorf("%s changed or lost (%v)", f, err)
					}
				}
				if left, _ := filepath.Glob(filepath.Join(root, ".out.vingt-staging-*")); len(left) > 0 {
					t.Errorf("left behind: %v", left)
				}
			})
		}
	}
}
