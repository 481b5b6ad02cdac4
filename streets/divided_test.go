package streets

import (
	"context"
	"math"
	"testing"
)

// TestDivided checks the links and walks of testdata/divided.osm worked
// out by hand in testdata/README.md: a point between the two carriageways
// of an avenue links to both, a point on the kerb of one does not link
// across it, nor a point near a corner to both streets of the corner.
func TestDivided(t *testing.T) {
	g := loadDivided(t)
	if st := g.Stats(); st.Vertices != 6 || st.Edges != 7 || st.ShapePoints != 14 || st.Components != 1 {
		t.Errorf("stats %+v", st)
	}
	pts := map[string][2]float64{ // (x, y) in thousandths of a degree
		"a": {5, 0.08}, "b": {5, 0.25}, "c": {5.5, -0.05}, "d": {5, 0.45},
		"e": {5, 0.55}, "f": {5, 1.1}, "g": {0.12, 0.9},
	}
	offs := map[string][]float64{ // off-edge walks in u, nearest first
		"a": {0.08, 0.12}, "b": {0.05}, "c": {0.05}, "d": {0.25},
		"e": {0.35, 0.45}, "f": {0.1}, "g": {0.1},
	}
	links := map[string]Links{}
	for name, p := range pts {
		ls, ok := g.LinkAll(p[1]/1000, p[0]/1000, 0)
		if !ok {
			t.Fatalf("%s not linked", name)
		}
		links[name] = ls
		want := offs[name]
		if int(ls.N) != len(want) {
			t.Errorf("%s: %d links, want %d", name, ls.N, len(want))
			continue
		}
		for k, l := range ls.All() {
			if math.Abs(float64(l.Off)-want[k]*u) > 0.01 {
				t.Errorf("%s: link %d off-edge %.2f m, want %.2f m", name, k, l.Off, want[k]*u)
			}
		}
		if l, _ := g.Link(p[1]/1000, p[0]/1000, 0); l != ls.L[0] {
			t.Errorf("%s: Link %+v, LinkAll's nearest %+v", name, l, ls.L[0])
		}
	}
	s := g.NewSearch()
	for _, c := range []struct {
		from, to string
		units    float64
	}{
		{"b", "a", 0.17}, {"a", "b", 0.17}, {"c", "a", 0.63}, {"c", "b", 9.8},
		{"a", "a", 0.16}, {"e", "b", 0.40}, {"d", "e", 0.6}, {"a", "e", 0.47},
		{"e", "f", 0.55}, {"g", "f", 5.08}, {"d", "f", 11.15}, {"f", "d", 11.15},
	} {
		a, b := links[c.from], links[c.to]
		want := c.units * u
		s.FromPlace(&a, 1e5)
		if got := s.ToLinks(b); math.Abs(float64(got)-want) > 0.01 {
			t.Errorf("%s → %s: %.2f m, want %.2f m (%g u)", c.from, c.to, got, want, c.units)
		}
		if got := s.Between(a, b, 1e5); math.Abs(float64(got)-want) > 0.01 {
			t.Errorf("%s → %s: Between %.2f m, want %.2f m (%g u)", c.from, c.to, got, want, c.units)
		}
		if got := s.Between(a, b, float32(want-0.02)); got != Inf {
			t.Errorf("%s → %s within %.2f m: %.2f m, want not reached", c.from, c.to, want-0.02, got)
		}
	}
	// linked to their nearest street only, a and e walk around the block
	for _, c := range []struct {
		from, to string
		units    float64
	}{{"b", "a", 10.33}, {"f", "e", 11.25}} {
		a, b := links[c.from], One(links[c.to].L[0])
		if got := s.Between(a, b, 1e5); math.Abs(float64(got)-c.units*u) > 0.01 {
			t.Errorf("%s → %s nearest only: %.2f m, want %.2f m (%g u)", c.from, c.to, got, c.units*u, c.units)
		}
	}
}

func loadDivided(t testing.TB) *Graph {
	t.Helper()
	g, err := Load(context.Background(), "testdata/divided.osm", Options{})
	if err != nil {
		t.Fatal(err)
	}
	return g
}
