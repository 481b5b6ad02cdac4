package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGTFSPathWithComma checks that --gtfs takes a path holding a comma
// whole, still splits a list of existing paths, and names the part
// missing otherwise.
func TestGTFSPathWithComma(t *testing.T) {
	dir := t.TempDir()
	odd := filepath.Join(dir, "feed,v2")
	src := filepath.Join("..", "..", "testdata", "fixtures", "forbidden-transfer", "gtfs")
	os.MkdirAll(odd, 0o755)
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(src, e.Name()))
		os.WriteFile(filepath.Join(odd, e.Name()), b, 0o644)
	}
	for _, c := range []struct {
		value string
		want  []string
		err   string
	}{
		{odd, []string{odd}, ""},
		{src + "," + odd, nil, "no such file or folder"}, // odd holds a comma: ambiguous in a list
		{src + "," + src, []string{src, src}, ""},
		{src + ",nowhere", nil, `: nowhere: no such file or folder (neither is the whole text; a list of paths is comma-separated)`},
		{src + ",", nil, "an empty path"},
	} {
		var got []string
		err := (&pathList{&got}).Set(c.value)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: %v, want %q", c.value, err, c.err)
			}
			continue
		}
		if err != nil || strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%q: %q %v, want %q", c.value, got, err, c.want)
		}
	}
	// A whole run on the folder with a comma.
	args := fixtureRunArgs("2026-01-13", filepath.Join(dir, "out"))
	for i := range args {
		if args[i] == "--gtfs" {
			args[i+1] = odd
		}
	}
	if r := runVingt(t, "", args...); r.code != 0 {
		t.Errorf("run on %s: exit %d\n%s", odd, r.code, r.stderr)
	}
}
