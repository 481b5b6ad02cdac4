package coverage

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestSeveralSources checks that a category may have several sources,
// repeated or comma-separated, each recorded as an input, and that a
// path holding a comma is read whole.
func TestSeveralSources(t *testing.T) {
	dir := filepath.Join("..", "testdata", "bad", "sources")
	a, b, cd := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv"), filepath.Join(dir, "c,d.csv")
	cases := []struct {
		name     string
		services []string
		points   int
		inputs   int
		err      string
	}{
		{"repeated", []string{"poste=" + a, "poste=" + b}, 3, 2, ""},
		{"comma-separated", []string{"poste=" + a + "," + b}, 3, 2, ""},
		{"a comma in the path", []string{"poste=" + cd}, 1, 1, ""},
		{"a part missing", []string{"poste=" + a + ",nowhere.csv"}, 0, 0, "coverage: " + a + ",nowhere.csv: no such file or directory"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := &Manifest{}
			cats, err := readCategories(Job{Services: c.services}, m)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(cats) != 1 || len(cats[0].Points) != c.points || len(m.Inputs) != c.inputs {
				t.Errorf("%d categories, %d points, %d inputs; want 1, %d, %d", len(cats), len(cats[0].Points), len(m.Inputs), c.points, c.inputs)
			}
		})
	}
}
