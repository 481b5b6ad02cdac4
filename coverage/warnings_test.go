package coverage

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/internal/testutil"
)

// TestInputWarnings reads every file of testdata/bad/warnings, accepted
// with warnings, and checks them against its expected.json (rewritten
// with -update). services-* are service points; territories-* are
// territories onto which a row of cells, from 0.71 to 0.89 east at
// 45.15 north (10 people each), is assigned.
func TestInputWarnings(t *testing.T) {
	dir := filepath.Join("..", "testdata", "bad", "warnings")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, e := range entries {
		name := e.Name()
		p := filepath.Join(dir, name)
		var w gtfs.Warnings
		switch {
		case strings.HasPrefix(name, "services-"):
			c, err := ReadServices("poste=" + p)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			w = c.Warnings
		case strings.HasPrefix(name, "territories-"):
			lv, err := ReadLevel("commune", p, "", "")
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			var cells []Cell
			for i := range 10 {
				cells = append(cells, Cell{ID: name, Lon: 0.71 + 0.02*float64(i), Lat: 45.15, Population: 10})
			}
			res := &Results{}
			Assign(res, cells, []*Level{lv})
			w = lv.OverlapWarnings()
			// The rule: a shared cell goes to the first territory.
			if res.Territory[0][3] != 0 {
				t.Errorf("%s: the cell at 0.77 (in 24001 and 24002) went to %d, want the first", name, res.Territory[0][3])
			}
		default:
			continue
		}
		for _, x := range w.List {
			got[name] = append(got[name], x.Kind+": "+strings.Join(x.Examples, "; "))
		}
	}
	golden := filepath.Join(dir, "expected.json")
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
	for name := range want {
		if _, ok := got[name]; !ok {
			t.Errorf("%s: no warning, want %q", name, want[name])
		}
	}
	for name, g := range got {
		gb, _ := json.Marshal(g)
		wb, _ := json.Marshal(want[name])
		if string(gb) != string(wb) {
			t.Errorf("%s: warnings %s\nwant %s", name, gb, wb)
		}
	}
}
