package coverage

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestLockOut(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	l, err := lockOut(out)
	if err != nil {
		t.Fatal(err)
	}
	// flock locks belong to the open file: a second open is refused even
	// in the same process, as another run's would be.
	_, err = lockOut(out)
	want := "coverage: another run is writing " + out + " (pid " + strconv.Itoa(os.Getpid()) + ")"
	if err == nil || err.Error() != want {
		t.Fatalf("second lock: %v, want %q", err, want)
	}
	l.release()
	if _, err := os.Stat(l.path); !os.IsNotExist(err) {
		t.Errorf("lock file left after release: %v", err)
	}
	l2, err := lockOut(out)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	// A lock file left by a killed run is taken over.
	l2.f.Close()
	l3, err := lockOut(out)
	if err != nil {
		t.Fatalf("lock over a killed run's file: %v", err)
	}
	l3.release()
	if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 0 {
		t.Errorf("left beside the output folder: %v", entries)
	}
}

func TestCheckOut(t *testing.T) {
	dir := t.TempDir()
	write := func(name string) {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := checkOut(filepath.Join(dir, "new")); err != nil {
		t.Errorf("new folder: %v", err)
	}
	for _, n := range []string{"cells.arrow", "territories.parquet", "points.parquet", "points.arrow", "shard-results.bin", "vingt.gpkg", "run.json", "report.html"} {
		write(n)
	}
	if err := checkOut(dir); err != nil {
		t.Errorf("previous run's folder: %v", err)
	}
	write("notes.txt")
	if err := checkOut(dir); err == nil || !strings.Contains(err.Error(), "(notes.txt)") {
		t.Errorf("folder with notes.txt: %v", err)
	}
	if err := checkOut(filepath.Join(dir, "run.json")); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("a file as output folder: %v", err)
	}
}

func TestReplaceDir(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "out")
	for i, files := range [][]string{{"cells.arrow", "territories.arrow", "run.json"}, {"cells.parquet", "territories.parquet", "run.json"}} {
		staging, err := newStaging(out)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Dir(staging) != root {
			t.Fatalf("staging %s is not beside %s", staging, out)
		}
		for _, f := range files {
			if err := os.WriteFile(filepath.Join(staging, f), []byte(strconv.Itoa(i)), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := replaceDir(staging, out); err != nil {
			t.Fatal(err)
		}
		var got []string
		entries, _ := os.ReadDir(out)
		for _, e := range entries {
			got = append(got, e.Name())
		}
		if want := slices.Sorted(slices.Values(files)); !slices.Equal(got, want) {
			t.Errorf("run %d: folder holds %v, want %v", i, got, want)
		}
		st, _ := os.Stat(out)
		if st.Mode().Perm() != 0o755 {
			t.Errorf("run %d: folder mode %v", i, st.Mode())
		}
		rest, _ := filepath.Glob(filepath.Join(root, ".out.vingt-staging-*"))
		if len(rest) > 0 {
			t.Errorf("run %d: staging left: %v", i, rest)
		}
	}
}
