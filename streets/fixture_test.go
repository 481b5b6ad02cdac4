package streets

import (
	"context"
	"math"
	"testing"
)

// u is the great-circle length of 0.001° along the equator or a meridian.
const u = 6371000 * math.Pi / 180 * 0.001

// fixturePoints are the named points of testdata/README.md, in thousandths
// of a degree (x = lon, y = lat).
var fixturePoints = map[string][2]float64{
	"home":    {1, 0.5},
	"shop":    {8, -0.5},
	"clinic":  {6.3, 1.5},
	"nw":      {0.4, 3.7},
	"ne":      {9.5, 3.5},
	"deadend": {4.4, -2.5},
	"bakery":  {3, -0.2},
	"island":  {21, 20.5},
}

func loadFixture(t testing.TB, opt Options) *Graph {
	t.Helper()
	g, err := Load(context.Background(), "testdata/fixture.osm", opt)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func fixtureLink(t testing.TB, g *Graph, name string) (Link, bool) {
	t.Helper()
	p, ok := fixturePoints[name]
	if !ok {
		t.Fatalf("no point %q", name)
	}
	return g.Link(p[1]/1000, p[0]/1000, 0)
}

func TestFixtureStats(t *testing.T) {
	g := loadFixture(t, Options{})
	st := g.Stats()
	want := Stats{Nodes: 14, NodesUsed: 12, Ways: 11, WaysKept: 8, Vertices: 9, Edges: 8,
		ShapePoints: 17, Components: 2, ComponentsDropped: 1, VerticesDropped: 2, EdgesDropped: 1}
	got := st
	got.Path, got.SHA256, got.FileBytes, got.GraphBytes = "", "", 0, 0
	if got != want {
		t.Errorf("stats\n got %+v\nwant %+v", got, want)
	}
	if st.Path != "testdata/fixture.osm" || len(st.SHA256) != 64 || st.FileBytes == 0 || st.GraphBytes == 0 {
		t.Errorf("stats path/hash/bytes: %+v", st)
	}
	if _, ok := fixtureLink(t, g, "island"); ok {
		t.Error("island linked although its component was dropped")
	}
	kept := loadFixture(t, Options{Keep: []Point{{0.0205, 0.021}, {1, 1}}})
	ks := kept.Stats()
	if ks.ComponentsDropped != 0 || ks.Vertices != 11 || ks.Edges != 9 || ks.KeepLinked != 1 || ks.KeepUnlinked != 1 {
		t.Errorf("with the island kept: %+v", ks)
	}
	if _, ok := fixtureLink(t, kept, "island"); !ok {
		t.Error("island not linked although kept")
	}
}

// TestFixtureDistances checks the walking distances worked out by hand in
// testdata/README.md, to the centimetre.
func TestFixtureDistances(t *testing.T) {
	g := loadFixture(t, Options{})
	s := g.NewSearch()
	for _, c := range []struct {
		from, to string
		units    float64 // walked distance in u; 0 = not reached
		max      float32
	}{
		{"home", "shop", 8, 1e5},
		{"shop", "home", 8, 1e5},
		{"home", "clinic", 15.7, 1e5},
		{"shop", "clinic", 8.7, 1e5},
		{"home", "nw", 5.6, 1e5},
		{"nw", "ne", 18.1, 1e5},
		{"home", "deadend", 6.4, 1e5},
		{"shop", "deadend", 7.4, 1e5},
		{"home", "bakery", 2.7, 1e5},
		{"bakery", "home", 2.7, 1e5},
		{"clinic", "ne", 6.2, 1e5},
		{"home", "home", 1, 1e5}, // there and back to the street: 2 × 0.5
		{"home", "clinic", 0, 1000},
		{"home", "shop", 8, float32(8*u + 0.01)},
	} {
		a, ok := fixtureLink(t, g, c.from)
		b, ok2 := fixtureLink(t, g, c.to)
		if !ok || !ok2 {
			t.Fatalf("%s or %s not linked", c.from, c.to)
		}
		s.FromLinks([]Link{a}, nil, c.max)
		got := s.To(b)
		want := c.units * u
		if c.units == 0 {
			if got != Inf {
				t.Errorf("%s → %s within %g m: got %.2f m, want not reached", c.from, c.to, c.max, got)
			}
			continue
		}
		if math.Abs(float64(got)-want) > 0.01 {
			t.Errorf("%s → %s: got %.2f m, want %.2f m (%g u)", c.from, c.to, got, want, c.units)
		}
	}
}

// TestFixtureBounds clips the fixture west of the river: the bridge loses
// its east end, so only the west bank's streets remain: 7 used nodes
// outside (C, D, L, E1, K and the island's two), 10 references to them.
func TestFixtureBounds(t *testing.T) {
	g := loadFixture(t, Options{Bounds: Bounds{Point{-1, -1}, Point{1, 0.005}}})
	st := g.Stats()
	if st.Vertices != 4 || st.Edges != 3 || st.NodesOutside != 7 || st.MissingNodes != 10 || st.Components != 1 {
		t.Errorf("clipped stats %+v", st)
	}
	if _, ok := fixtureLink(t, g, "shop"); ok {
		t.Error("shop, east of the river, linked although clipped")
	}
	a, _ := fixtureLink(t, g, "home")
	b, _ := fixtureLink(t, g, "deadend")
	s := g.NewSearch()
	s.FromLinks([]Link{a}, nil, 1e5)
	if d := s.To(b); math.Abs(float64(d)-6.4*u) > 0.01 {
		t.Errorf("home → deadend %.2f m, want %.2f", d, 6.4*u)
	}
	if _, err := Load(context.Background(), "testdata/fixture.osm", Options{Bounds: Bounds{Point{-100, 0}, Point{1, 1}}}); err == nil {
		t.Error("bounds beyond the poles accepted")
	}
}
