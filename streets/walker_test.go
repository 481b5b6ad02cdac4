package streets

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"testing"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/walk"
)

// walkerFixture returns a street walker on the fixture at 1.3 m/s, falling
// back to crow-fly × 1.3, and the fixture's named points as places (the
// island's component is dropped: it does not link).
func walkerFixture(t testing.TB) (*Walker, []string, []walk.Place) {
	t.Helper()
	w, err := NewWalker(loadFixture(t, Options{}), 1.3, 1.3)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for n := range fixturePoints {
		names = append(names, n)
	}
	slices.Sort(names)
	places := make([]walk.Place, len(names))
	for i, n := range names {
		p := fixturePoints[n]
		places[i] = walk.Place{Lat: p[1] / 1000, Lon: p[0] / 1000}
	}
	return w, names, places
}

// bruteWalk is the oracle: one fresh search per pair, from the links of b
// to those of a (streets are undirected), or crow-fly × 1.3 when either end does not
// link; Unreached beyond max seconds.
func bruteWalk(g *Graph, a, b walk.Place, max int32) int32 {
	la, oka := g.LinkAll(a.Lat, a.Lon, 0)
	lb, okb := g.LinkAll(b.Lat, b.Lon, 0)
	var sec float64
	if oka && okb {
		s := g.NewSearch()
		s.FromLinks(lb.All(), nil, float32(math.Inf(1)))
		sec = math.Ceil(float64(s.ToLinks(la)) / 1.3)
	} else {
		sec = math.Ceil(gtfs.Distance(a.Lat, a.Lon, b.Lat, b.Lon) * 1.3 / 1.3)
	}
	if sec > float64(max) {
		return walk.Unreached
	}
	return int32(sec)
}

// queryPoints is a grid over the fixture, every 0.0005°, plus the named
// points themselves.
func queryPoints(places []walk.Place) []walk.Place {
	q := slices.Clone(places)
	for y := -0.004; y <= 0.0045; y += 0.0005 {
		for x := -0.0005; x <= 0.011; x += 0.0005 {
			q = append(q, walk.Place{Lat: y, Lon: x})
		}
	}
	return q
}

func TestWalkerMatchesBruteForce(t *testing.T) {
	w, _, places := walkerFixture(t)
	ix := w.Index(places)
	for _, max := range []int32{0, 60, 300, 900, 3600} {
		for _, p := range queryPoints(places) {
			var want []walk.Hit
			nearest := walk.Unreached
			for i, q := range places {
				if s := bruteWalk(w.g, p, q, max); s != walk.Unreached {
					want = append(want, walk.Hit{Place: int32(i), Seconds: s})
					nearest = min(nearest, s)
				}
			}
			if got := ix.Within(p, max, nil); !slices.Equal(got, want) {
				t.Errorf("Within(%v, %d)\n got %v\nwant %v", p, max, got, want)
			}
			if got := ix.Nearest(p, max); got != nearest {
				t.Errorf("Nearest(%v, %d) = %d, want %d", p, max, got, nearest)
			}
			for i, q := range places {
				s, m := w.Walk(p, q, max)
				if want := bruteWalk(w.g, p, q, max); s != want {
					t.Errorf("Walk(%v, %v, %d) = %d, want %d", p, q, max, s, want)
				}
				_ = i
				if s != walk.Unreached && !(m >= gtfs.Distance(p.Lat, p.Lon, q.Lat, q.Lon)-0.01) {
					t.Errorf("Walk(%v, %v): %v street metres, under the crow-fly distance", p, q, m)
				}
			}
		}
	}
}

// TestWalkerHand checks walks worked out by hand in testdata/README.md:
// seconds = ceil(street metres / 1.3).
func TestWalkerHand(t *testing.T) {
	w, names, places := walkerFixture(t)
	at := func(n string) walk.Place { return places[slices.Index(names, n)] }
	for _, c := range []struct {
		to     string
		metres float64
		sec    int32
	}{
		{"shop", 889.56, 685},     // 889.56 / 1.3 = 684.28
		{"clinic", 1745.76, 1343}, // 1,342.89: the foot=no path is not taken
		{"nw", 622.69, 479},       // 478.99
		{"deadend", 711.65, 548},  // 547.42
		{"bakery", 300.23, 231},   // 230.95, along the same edge
	} {
		s, m := w.Walk(at("home"), at(c.to), 3600)
		if s != c.sec || math.Abs(m-c.metres) > 0.05 {
			t.Errorf("home → %s: %d s, %.2f m; want %d s, %.2f m", c.to, s, m, c.sec, c.metres)
		}
	}
	if s, _ := w.Walk(at("home"), at("clinic"), 1342); s != walk.Unreached {
		t.Errorf("home → clinic within 1,342 s: %d s, want unreached", s)
	}
}

func TestWalkerMetres(t *testing.T) {
	w, _, places := walkerFixture(t)
	ix := w.Index(places)
	for _, metres := range []float64{0, 100, 500, 1500} {
		for _, p := range queryPoints(places) {
			var want []walk.Hit
			for i, q := range places {
				s, m := w.Walk(p, q, walk.Unreached-1)
				if s != walk.Unreached && m <= metres {
					want = append(want, walk.Hit{Place: int32(i), Seconds: s})
				}
			}
			if got := ix.WithinMetres(p, metres, nil); !slices.Equal(got, want) {
				t.Errorf("WithinMetres(%v, %v)\n got %v\nwant %v", p, metres, got, want)
			}
		}
	}
}

// TestWalkerVersusCrowFly checks the street walk against crow-fly
// semantics: never shorter than the straight line, and exactly crow-fly ×
// detour for a place that does not link (the island).
func TestWalkerVersusCrowFly(t *testing.T) {
	w, names, places := walkerFixture(t)
	crow := walk.CrowFly{Speed: 1.3, Detour: 1}
	detour := walk.CrowFly{Speed: 1.3, Detour: 1.3}
	for i, a := range places {
		for j, b := range places {
			s, _ := w.Walk(a, b, walk.Unreached-1)
			c, _ := crow.Walk(a, b, walk.Unreached-1)
			if s < c {
				t.Errorf("%s → %s: %d s on streets, under %d s crow-fly", names[i], names[j], s, c)
			}
			if names[i] == "island" || names[j] == "island" {
				if d, _ := detour.Walk(a, b, walk.Unreached-1); s != d {
					t.Errorf("%s → %s: %d s, want the crow-fly × 1.3 fallback %d s", names[i], names[j], s, d)
				}
			}
		}
	}
	if w.Reach(100) != 130 {
		t.Errorf("Reach(100) = %v, want 130 m", w.Reach(100))
	}
	before := w.Unlinked()
	w.Index(places)
	if got := w.Unlinked() - before; got != 1 {
		t.Errorf("%d places unlinked, want 1 (the island)", got)
	}
}

func TestWalkerConcurrent(t *testing.T) {
	w, _, places := walkerFixture(t)
	ix := w.Index(places)
	q := queryPoints(places)
	want := make([]int32, len(q))
	for i, p := range q {
		want[i] = ix.Nearest(p, 900)
	}
	ix = w.Index(places) // a fresh index: its search runs under contention
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, p := range q {
				if got := ix.Nearest(p, 900); got != want[i] {
					t.Errorf("goroutine %d: Nearest(%v) = %d, want %d", g, p, got, want[i])
				}
				ix.Within(p, 600, nil)
			}
		}()
	}
	wg.Wait()
}

func TestNewWalkerErrors(t *testing.T) {
	g := loadFixture(t, Options{})
	for _, c := range []struct {
		g             *Graph
		speed, detour float64
	}{{nil, 1.3, 1.3}, {g, 0, 1.3}, {g, 1.3, 0.5}, {g, math.NaN(), 1.3}} {
		if _, err := NewWalker(c.g, c.speed, c.detour); err == nil {
			t.Errorf("NewWalker(%v, %v): no error", c.speed, c.detour)
		}
	}
}

func ExampleWalker() {
	g, err := Load(context.Background(), "testdata/fixture.osm", Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	w, err := NewWalker(g, 1.3, 1.3)
	if err != nil {
		fmt.Println(err)
		return
	}
	home := walk.Place{Lat: 0.0005, Lon: 0.001}
	shop := walk.Place{Lat: -0.0005, Lon: 0.008}
	s, m := w.Walk(home, shop, 3600)
	c, _ := walk.CrowFly{Speed: 1.3, Detour: 1}.Walk(home, shop, 3600)
	fmt.Printf("home → shop: %d s over %.0f m of streets (%d s as the crow flies)\n", s, m, c)
	// Output: home → shop: 685 s over 890 m of streets (605 s as the crow flies)
}
