package streets

import (
	"math"
	"testing"
)

// TestSearchAllocs checks that a warm search allocates nothing.
func TestSearchAllocs(t *testing.T) {
	g := loadFixture(t, Options{})
	var links []Link
	for _, name := range []string{"home", "shop", "clinic", "nw", "ne", "deadend", "bakery"} {
		l, _ := fixtureLink(t, g, name)
		links = append(links, l)
	}
	s := g.NewSearch()
	s.FromLinks(links, nil, 1e6)
	d := loadDivided(t)
	sd := d.NewSearch()
	sd.FromLinks(links[:0], nil, 1e6)
	allocs := testing.AllocsPerRun(100, func() {
		s.FromLinks(links[:3], []float32{0, 10, 20}, 1e6)
		for _, l := range links {
			_ = s.To(l)
		}
		_, _ = g.Link(0.0005, 0.001, 0)
		// a place linked to both carriageways of an avenue
		a, _ := d.LinkAll(0.00008, 0.005, 0)
		b, _ := d.LinkAll(0.00055, 0.005, 0)
		sd.FromPlace(&a, 1e6)
		_ = sd.ToLinks(b)
		_ = sd.Between(a, b, 1e6)
	})
	if allocs != 0 {
		t.Errorf("%g allocations per warm search", allocs)
	}
}

// TestSearchMultiSource checks the multi-source search against the minimum
// of single-source searches plus their initial costs, on every ordered pair
// of fixture points, and Reached against Dist.
func TestSearchMultiSource(t *testing.T) {
	g := loadFixture(t, Options{})
	names := []string{"home", "shop", "clinic", "nw", "ne", "deadend", "bakery"}
	links := make([]Link, len(names))
	for i, n := range names {
		links[i], _ = fixtureLink(t, g, n)
	}
	init := []float32{30, 0, 500, 12, 0, 7, 250}
	s, one := g.NewSearch(), g.NewSearch()
	for _, max := range []float32{300, 1000, 1e6} {
		s.FromLinks(links, init, max)
		for _, target := range links {
			want := Inf
			for i, src := range links {
				one.FromLinks([]Link{src}, nil, 1e6)
				if d := one.To(target) + init[i]; d <= max && d < want {
					want = d
				}
			}
			if got := s.To(target); got != want && !(got-want < 1e-3 && want-got < 1e-3) {
				t.Errorf("max %g: got %g, want %g", max, got, want)
			}
		}
		prev := float32(0)
		for _, v := range s.Reached() {
			d := s.Dist(v)
			if d < prev || d > max {
				t.Errorf("reached %d at %g after %g (max %g)", v, d, prev, max)
			}
			prev = d
		}
	}
}

// TestAppendReached draws what home reaches within 2 u: its own street
// from A (x=0) to x=2.5 (1.5 u either side of its link at x=1, after 0.5 u
// off the street), and 0.5 u up North-West Street from A.
func TestAppendReached(t *testing.T) {
	g := loadFixture(t, Options{})
	home, _ := fixtureLink(t, g, "home")
	s := g.NewSearch()
	s.FromLinks([]Link{home}, nil, float32(3*u))
	mls := s.AppendReached(nil, float32(2*u))
	minX, maxX, maxY := 1.0, 1.0, 0.0
	for _, ls := range mls {
		for _, p := range ls {
			x, y := p[0]*1000, p[1]*1000
			if y == 0 {
				minX, maxX = math.Min(minX, x), math.Max(maxX, x)
			} else if x == 0 {
				maxY = math.Max(maxY, y)
			} else {
				t.Errorf("reached point (%g, %g) off West and North-West Streets", x, y)
			}
		}
	}
	if math.Abs(minX) > 1e-6 || math.Abs(maxX-2.5) > 1e-6 || math.Abs(maxY-0.5) > 1e-6 {
		t.Errorf("reached West Street x %g…%g and North-West Street to y %g, want 0…2.5 and 0.5", minX, maxX, maxY)
	}
}

// TestBetween checks that the early-stopping search between two points
// gives the same walk as a full search, for every pair of the fixture's
// points and bounds from none to below the walk, and settles fewer
// vertices: home → bakery (same edge, 2.5 u along it after 0.5 u off)
// settles only A (1.5 u), not B (3.5 u).
func TestBetween(t *testing.T) {
	g := loadFixture(t, Options{})
	full, early := g.NewSearch(), g.NewSearch()
	for a := range fixturePoints {
		la, ok := fixtureLink(t, g, a)
		if !ok {
			continue
		}
		full.FromLinks([]Link{la}, nil, 1e9)
		nFull := len(full.Reached())
		for b := range fixturePoints {
			lb, ok := fixtureLink(t, g, b)
			if !ok {
				continue
			}
			want := full.To(lb)
			for _, max := range []float32{1e9, want + 1, want - 1} {
				w := want
				if !(w <= max) {
					w = Inf
				}
				if got := early.Between(One(la), One(lb), max); got != w {
					t.Errorf("%s → %s bound %g: Between %g, full search %g", a, b, max, got, w)
				}
				if n := len(early.Reached()); n > nFull {
					t.Errorf("%s → %s: Between settled %d vertices, the full search %d", a, b, n, nFull)
				}
			}
		}
	}
	home, _ := fixtureLink(t, g, "home")
	bakery, _ := fixtureLink(t, g, "bakery")
	if d := early.Between(One(home), One(bakery), 1e9); math.Abs(float64(d)-2.7*u) > 0.01 || len(early.Reached()) != 1 {
		t.Errorf("home → bakery %g m (want %.2f), %d vertices settled (want 1)", d, 2.7*u, len(early.Reached()))
	}
}
