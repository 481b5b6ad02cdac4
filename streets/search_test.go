package streets

import (
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
	allocs := testing.AllocsPerRun(100, func() {
		s.FromLinks(links[:3], []float32{0, 10, 20}, 1e6)
		for _, l := range links {
			_ = s.To(l)
		}
		_, _ = g.Link(0.0005, 0.001, 0)
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
