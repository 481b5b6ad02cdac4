package gtfs

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/vingt/vingt/internal/testutil"
)

// TestFeedWarnings reads every feed of testdata/bad/gtfs-warnings, each
// accepted with warnings, and checks them against its expected.json
// (rewritten with -update): kind, count and first example.
func TestFeedWarnings(t *testing.T) {
	dir := filepath.Join("..", "testdata", "bad", "gtfs-warnings")
	golden := filepath.Join(dir, "expected.json")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		f, err := Open(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Errorf("%s: %v", e.Name(), err)
			continue
		}
		got[e.Name()] = []string{}
		for _, w := range f.Warnings.List {
			got[e.Name()] = append(got[e.Name()], w.Kind+": "+w.Examples[0])
		}
		// A name read as Latin-1 reaches the outputs as UTF-8.
		for _, s := range f.Stops {
			if e.Name() == "latin1-names" && s.ID == "S1" && s.Name != "Gare de Périgueux" {
				t.Errorf("latin1-names: stop name %q, want Gare de Périgueux", s.Name)
			}
		}
	}
	if testutil.Update() {
		b, _ := json.MarshalIndent(got, "", " ")
		if err := os.WriteFile(golden, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	var want map[string][]string
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if len(want) != len(got) {
		t.Errorf("%d feeds, %d in expected.json", len(got), len(want))
	}
	for name, w := range want {
		g := got[name]
		if len(g) == 0 {
			t.Errorf("%s: no warning, want %q", name, w)
			continue
		}
		if b1, _ := json.Marshal(g); string(b1) != func() string { b2, _ := json.Marshal(w); return string(b2) }() {
			t.Errorf("%s: warnings %q\nwant %q", name, g, w)
		}
	}
}
