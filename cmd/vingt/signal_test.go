package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRunSignalled sends SIGINT and SIGTERM to real runs at several
// moments (reading, compiling, routing, aggregating): each ends with 130
// or 143, or 0 when it had finished, leaves no staging folder, and keeps
// the previous outputs byte for byte unless it finished.
func TestRunSignalled(t *testing.T) {
	if testing.Short() {
		t.Skip("whole Dordogne runs: not in -short")
	}
	root := t.TempDir()
	out := filepath.Join(root, "out")
	r := runVingt(t, "", append(dordogneArgs(t), "--out", out)...)
	if r.code != 0 {
		t.Fatalf("first run: exit %d\n%s", r.code, r.stderr)
	}
	files := []string{"cells.parquet", "territories.parquet", "run.json"}
	before := map[string][]byte{}
	for _, f := range files {
		before[f], _ = os.ReadFile(filepath.Join(out, f))
	}
	interrupted := 0
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		for _, delay := range []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 600 * time.Millisecond, 1500 * time.Millisecond} {
			cmd := exec.Command(vingtBin, append(dordogneArgs(t), "--out", out, "--percentile", "50,90")...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(delay)
			_ = cmd.Process.Signal(sig)
			err := cmd.Wait()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			}
			want := 128 + int(sig)
			switch code {
			case -1:
				// Killed before the runtime installed its handlers: the
				// previous outputs must still be there.
				t.Logf("%v at %v: killed before the handlers were set", sig, delay)
				for _, f := range files {
					if now, err := os.ReadFile(filepath.Join(out, f)); err != nil || !bytes.Equal(now, before[f]) {
						t.Errorf("%v at %v: %s changed or lost (%v)", sig, delay, f, err)
					}
				}
			case want:
				interrupted++
				if !strings.Contains(stderr.String(), "interrupted") {
					t.Errorf("%v at %v: stderr %q does not say it was interrupted", sig, delay, stderr.String())
				}
				for _, f := range files {
					now, err := os.ReadFile(filepath.Join(out, f))
					if err != nil || !bytes.Equal(now, before[f]) {
						t.Errorf("%v at %v: %s changed or lost (%v)", sig, delay, f, err)
					}
				}
			case 0:
				for _, f := range files {
					before[f], _ = os.ReadFile(filepath.Join(out, f))
				}
			default:
				t.Errorf("%v at %v: exit %d, want %d or 0\n%s", sig, delay, code, want, stderr.String())
			}
			left, _ := filepath.Glob(filepath.Join(root, ".out.vingt-staging-*"))
			if len(left) > 0 {
				t.Errorf("%v at %v: staging folder left: %v", sig, delay, left)
			}
		}
	}
	if interrupted == 0 {
		t.Errorf("no run was interrupted: every one finished before its signal")
	}
}
