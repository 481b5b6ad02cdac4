package walk

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/vingt/vingt/gtfs"
)

// TestSeconds checks the crow-fly semantics: by default one second per
// crow-fly metre, rounded up, saturated rather than wrapped.
func TestSeconds(t *testing.T) {
	c := CrowFly{Speed: 1.3, Detour: 1.3}
	for _, x := range []struct {
		m    float64
		want int32
	}{{0, 0}, {1, 1}, {333.5848, 334}, {900, 900}, {900.01, 901}, {1e300, Unreached}, {math.Inf(1), Unreached}, {math.NaN(), Unreached}} {
		if got := c.Seconds(x.m); got != x.want {
			t.Errorf("%v m: %d s, want %d", x.m, got, x.want)
		}
	}
	if got := (CrowFly{Speed: 1e-300, Detour: 1}).Seconds(10); got != Unreached {
		t.Errorf("a crawl: %d s, want Unreached", got)
	}
	// 0.01° of longitude on the equator.
	if d := gtfs.Distance(0, 0, 0, 0.01); d < 1111.94 || d > 1111.96 {
		t.Errorf("0.01° on the equator: %v m", d)
	}
}

func TestNewCrowFly(t *testing.T) {
	for _, c := range []struct {
		speed, detour float64
		ok            bool
	}{{1.3, 1.3, true}, {0, 1.3, false}, {-1, 1.3, false}, {math.Inf(1), 1.3, false}, {math.NaN(), 1.3, false}, {1.3, 0.9, false}, {1.3, math.NaN(), false}} {
		if _, err := NewCrowFly(c.speed, c.detour); (err == nil) != c.ok {
			t.Errorf("speed %v detour %v: %v", c.speed, c.detour, err)
		}
	}
}

// TestIndexMatchesScan compares the bucket index with a scan of every
// place, for Within, WithinMetres and Nearest, at radii from 0 to beyond
// the Earth.
func TestIndexMatchesScan(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	c := CrowFly{Speed: 1.3, Detour: 1.3}
	places := make([]Place, 500)
	for i := range places {
		places[i] = Place{Lat: 45 + rng.Float64()*0.2, Lon: 0.6 + rng.Float64()*0.3}
	}
	places[7] = Place{Lat: math.NaN(), Lon: math.NaN()}
	ix := c.Index(places)
	for q := range 300 {
		p := Place{Lat: 45 + rng.Float64()*0.2, Lon: 0.6 + rng.Float64()*0.3}
		max := int32(rng.IntN(3000))
		if q%50 == 0 {
			max = int32(rng.IntN(1 << 30))
		}
		var want, wantM []Hit
		nearest := Unreached
		metres := float64(rng.IntN(2000))
		for i, x := range places {
			if !x.Valid() {
				continue
			}
			d := gtfs.Distance(p.Lat, p.Lon, x.Lat, x.Lon)
			if w := c.Seconds(d); w <= max {
				want = append(want, Hit{int32(i), w})
				nearest = min(nearest, w)
			}
			if d <= metres {
				wantM = append(wantM, Hit{int32(i), c.Seconds(d)})
			}
		}
		if got := ix.Within(p, max, nil); !slices.Equal(got, want) {
			t.Fatalf("within %d s of %v: %d hits, want %d", max, p, len(got), len(want))
		}
		checkAnyOrder(t, ix, p, max, want)
		if got := ix.WithinMetres(p, metres, nil); !slices.Equal(got, wantM) {
			t.Fatalf("within %v m of %v: %d hits, want %d", metres, p, len(got), len(wantM))
		}
		if got := ix.Nearest(p, max); got != nearest {
			t.Fatalf("nearest within %d s of %v: %d, want %d", max, p, got, nearest)
		}
	}
	if got := ix.Within(Place{Lat: math.NaN()}, 100, nil); len(got) != 0 {
		t.Errorf("from NaN: %v", got)
	}
}

// checkAnyOrder checks that WithinAnyOrder gives the hits want (sorted)
// in some order, after what dst held.
func checkAnyOrder(t *testing.T, ix Index, p Place, max int32, want []Hit) {
	t.Helper()
	got := WithinAnyOrder(ix, p, max, []Hit{{-1, -1}})
	if got[0] != (Hit{-1, -1}) {
		t.Fatalf("WithinAnyOrder changed what dst held")
	}
	got = got[1:]
	slices.SortFunc(got, func(a, b Hit) int { return int(a.Place - b.Place) })
	if !slices.Equal(got, want) {
		t.Fatalf("within %d s of %v in any order: %d hits, want %d", max, p, len(got), len(want))
	}
}

func TestWalk(t *testing.T) {
	c := CrowFly{Speed: 1.3, Detour: 1.3}
	a, b := Place{Lat: 0, Lon: 0}, Place{Lat: 0, Lon: 0.01}
	if s, m := c.Walk(a, b, 2000); s != 1112 || math.Abs(m-1111.95*1.3) > 0.1 {
		t.Errorf("walk: %d s, %v m", s, m)
	}
	if s, _ := c.Walk(a, b, 1000); s != Unreached {
		t.Errorf("beyond the limit: %d s", s)
	}
	if r := c.Reach(900); r != 900 {
		t.Errorf("reach of 900 s: %v m", r)
	}
}

// TestIndexWorld compares the band index with a scan of every place over
// the whole sphere: near the poles, across the antimeridian and with
// clusters of places at one point.
func TestIndexWorld(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	c := CrowFly{Speed: 1.3, Detour: 1.3}
	centres := []Place{{0, 0}, {89.99, 10}, {-89.995, -170}, {10, 179.999}, {-30, -179.998}, {60, 179.5}, {45.2, 0.7}}
	var places []Place
	for _, ctr := range centres {
		for range 150 {
			lat := math.Max(-90, math.Min(90, ctr.Lat+(rng.Float64()-0.5)*0.05))
			lon := ctr.Lon + (rng.Float64()-0.5)*0.1
			if lon > 180 {
				lon -= 360
			} else if lon < -180 {
				lon += 360
			}
			places = append(places, Place{lat, lon})
		}
		for range 30 {
			places = append(places, ctr) // many at one point
		}
	}
	ix := c.Index(places)
	for q := range 2000 {
		ctr := centres[q%len(centres)]
		p := Place{Lat: math.Max(-90, math.Min(90, ctr.Lat+(rng.Float64()-0.5)*0.06)), Lon: ctr.Lon + (rng.Float64()-0.5)*0.12}
		if p.Lon > 180 {
			p.Lon -= 360
		} else if p.Lon < -180 {
			p.Lon += 360
		}
		max := int32(rng.IntN(6000))
		if q%97 == 0 {
			max = int32(rng.IntN(1 << 30))
		}
		metres := float64(rng.IntN(8000))
		var want, wantM []Hit
		nearest := Unreached
		for i, x := range places {
			d := gtfs.Distance(p.Lat, p.Lon, x.Lat, x.Lon)
			if w := c.Seconds(d); w <= max && d <= c.Reach(max)+1 {
				want = append(want, Hit{int32(i), w})
				nearest = min(nearest, w)
			}
			if d <= metres {
				wantM = append(wantM, Hit{int32(i), c.Seconds(d)})
			}
		}
		if got := ix.Within(p, max, nil); !slices.Equal(got, want) {
			t.Fatalf("within %d s of %v: %d hits, want %d", max, p, len(got), len(want))
		}
		checkAnyOrder(t, ix, p, max, want)
		if got := ix.WithinMetres(p, metres, nil); !slices.Equal(got, wantM) {
			t.Fatalf("within %v m of %v: %d hits, want %d", metres, p, len(got), len(wantM))
		}
		if got := ix.Nearest(p, max); got != nearest {
			t.Fatalf("nearest within %d s of %v: %d, want %d", max, p, got, nearest)
		}
	}
	if got := c.Index(nil).Within(Place{1, 1}, 100, nil); len(got) != 0 {
		t.Errorf("empty index: %v", got)
	}
}

// TestIndexAllocs checks that a query allocates nothing once dst is large
// enough.
func TestIndexAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	c := CrowFly{Speed: 1.3, Detour: 1.3}
	places := make([]Place, 2000)
	for i := range places {
		places[i] = Place{Lat: 45 + rng.Float64()*0.1, Lon: 0.6 + rng.Float64()*0.1}
	}
	ix := c.Index(places)
	dst := make([]Hit, 0, len(places))
	p := Place{45.05, 0.65}
	if n := testing.AllocsPerRun(20, func() {
		dst = ix.Within(p, 900, dst[:0])
		dst = ix.WithinMetres(p, 500, dst[:0])
		_ = ix.Nearest(p, 900)
	}); n != 0 || len(dst) == 0 {
		t.Errorf("%v allocations per query (%d hits)", n, len(dst))
	}
}

// TestDistMatchesGTFS checks that the index's distance is gtfs.Distance
// to the bit wherever it computes one (it finishes gtfs.Distance's own
// haversine term): places near and far, at all latitudes, across the
// antimeridian, and at the same point.
func TestDistMatchesGTFS(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	places := make([]Place, 2000)
	for i := range places {
		switch i % 4 {
		case 0: // anywhere
			places[i] = Place{Lat: rng.Float64()*180 - 90, Lon: rng.Float64()*360 - 180}
		case 1: // a city
			places[i] = Place{Lat: -30.1 + rng.Float64()*0.2, Lon: -51.3 + rng.Float64()*0.2}
		case 2: // the antimeridian
			places[i] = Place{Lat: rng.Float64()*2 - 1, Lon: 179.9 + rng.Float64()*0.2}
			if places[i].Lon > 180 {
				places[i].Lon -= 360
			}
		default: // on top of another place
			places[i] = places[i-1]
		}
	}
	ix := CrowFly{Speed: 1.3, Detour: 1}.Index(places).(*crowIndex)
	computed := 0
	for qi := range 400 {
		p := places[rng.IntN(len(places))]
		if qi%2 == 0 {
			p.Lat += (rng.Float64() - 0.5) * 0.01
			p.Lon += (rng.Float64() - 0.5) * 0.01
			p.Lat = math.Max(-90, math.Min(90, p.Lat))
			if p.Lon > 180 {
				p.Lon -= 360
			} else if p.Lon < -180 {
				p.Lon += 360
			}
		}
		q, _, _, _, ok := ix.span(p, math.Pi*earthR)
		if !ok {
			t.Fatalf("no query from %v", p)
		}
		for k := range ix.id {
			d := ix.dist(&q, k)
			if math.IsInf(d, 1) {
				continue
			}
			computed++
			if want := gtfs.Distance(p.Lat, p.Lon, ix.lat[k], ix.lon[k]); math.Float64bits(d) != math.Float64bits(want) {
				t.Fatalf("from %v to %v,%v: %v m, gtfs.Distance %v m", p, ix.lat[k], ix.lon[k], d, want)
			}
		}
	}
	if computed < 100000 {
		t.Errorf("%d distances computed: too few to tell", computed)
	}
}

// TestSortHits checks sortHits against slices.SortFunc on distinct places
// in random, sorted, reversed and organ-pipe orders, of every length up
// to 300.
func TestSortHits(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for n := range 300 {
		for order := range 4 {
			h := make([]Hit, n)
			for i := range h {
				h[i] = Hit{Place: int32(i * 3), Seconds: int32(rng.IntN(1000))}
			}
			switch order {
			case 0:
				rng.Shuffle(n, func(i, j int) { h[i], h[j] = h[j], h[i] })
			case 2:
				slices.Reverse(h)
			case 3:
				slices.Reverse(h[n/2:])
			}
			want := slices.Clone(h)
			slices.SortFunc(want, func(a, b Hit) int { return int(a.Place - b.Place) })
			sortHits(h)
			if !slices.Equal(h, want) {
				t.Fatalf("%d hits, order %d: %v, want %v", n, order, h, want)
			}
		}
	}
}

// TestNearMatchesDist checks the fast distance against the exact one
// (dist, gtfs.Distance's figure): √a within a hundredth of nearErr and
// the metres within a hundredth of nearTol, for places within nearMax of
// queries in a city, at all latitudes, near the poles and across the
// antimeridian; and secondsNear against Seconds(dist) for every place,
// with queries placed where the exact walk is within a hair of a whole
// second (where near cannot tell and must ask dist). The test fails
// unless both of secondsNear's paths were taken.
func TestNearMatchesDist(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	centres := []Place{{-30.05, -51.2}, {45.2, 0.7}, {0, 0}, {89.95, 10}, {-89.97, -170}, {10, 179.99}, {-30, -179.99}, {60, 180}}
	var places []Place
	for _, ctr := range centres {
		for range 400 {
			lat := math.Max(-90, math.Min(90, ctr.Lat+(rng.Float64()-0.5)*0.4))
			lon := ctr.Lon + (rng.Float64()-0.5)*0.4
			if lon > 180 {
				lon -= 360
			} else if lon < -180 {
				lon += 360
			}
			places = append(places, Place{lat, lon})
		}
	}
	for _, c := range []CrowFly{{Speed: 1.3, Detour: 1.3}, {Speed: 1.1, Detour: 1}, {Speed: 5.0 / 3.6, Detour: 1.21}} {
		ix := c.Index(places).(*crowIndex)
		var worstX, worstD float64
		sure, exact, boundary := 0, 0, 0
		check := func(p Place, metres float64) {
			q, _, _, _, ok := ix.span(p, metres)
			if !ok {
				t.Fatalf("no query from %v", p)
			}
			for k := range ix.id {
				a := ix.nearA(&q, k)
				dp, dl := (ix.rad[k]-q.rad)/2, (ix.lon[k]-q.lon)*math.Pi/180/2
				sp, sl := math.Sin(dp), math.Sin(dl)
				aExact := sp*sp + q.cos*ix.cos[k]*sl*sl
				dExact := gtfs.HaversineMetres(aExact)
				if math.Sqrt(aExact) < nearMax {
					worstX = math.Max(worstX, math.Abs(math.Sqrt(a)-math.Sqrt(aExact)))
					if d := nearMetres(a); d >= 0 {
						worstD = math.Max(worstD, math.Abs(d-dExact))
					}
				}
				w, in := ix.secondsNear(&q, k)
				wantIn := dExact <= q.metres
				if in != wantIn || (in && w != c.Seconds(dExact)) {
					t.Fatalf("%v: from %v to %v,%v within %v m: %d s %v, want %d s %v", c, p, ix.lat[k], ix.lon[k], q.metres, w, in, c.Seconds(dExact), wantIn)
				}
				if in {
					if d := nearMetres(a); d >= 0 && d+nearTol <= q.metres && c.Seconds(d-nearTol) == c.Seconds(d+nearTol) {
						sure++
					} else {
						exact++
					}
				}
			}
		}
		for qi := range 300 {
			p := places[rng.IntN(len(places))]
			p.Lat = math.Max(-90, math.Min(90, p.Lat+(rng.Float64()-0.5)*0.01))
			check(p, float64(rng.IntN(30000)))
			// A query due north of place k at a distance whose walk is
			// a whole second, or within 1e-9 m of one: near cannot
			// tell which second it is, and dist must decide.
			k := rng.IntN(len(ix.id))
			secs := float64(1 + rng.IntN(3000))
			d := secs*c.Speed/c.Detour + float64(rng.IntN(3)-1)*1e-9
			if q := (Place{Lat: ix.lat[k] + d/earthR*180/math.Pi, Lon: ix.lon[k]}); q.Valid() {
				before := exact
				check(q, 4000)
				if qi%3 == 0 {
					check(q, gtfs.Distance(q.Lat, q.Lon, ix.lat[k], ix.lon[k])) // the place at the very edge
				}
				boundary += exact - before
			}
		}
		if worstX > nearErr/100 || worstD > nearTol/100 {
			t.Errorf("%v: near is %g from dist in √a (bound %g), %g m (bound %g m)", c, worstX, nearErr, worstD, nearTol)
		}
		t.Logf("%v: largest gaps %g in √a, %g m; %d walks sure, %d asked of dist (%d near a whole second)", c, worstX, worstD, sure, exact, boundary)
		if sure == 0 || boundary == 0 {
			t.Errorf("%v: %d walks sure, %d asked of dist near a whole second: both paths must be taken", c, sure, boundary)
		}
	}
}

// TestRadixHits checks radixHits against slices.SortFunc: distinct places
// in random orders, of every length from radixMin to 400, spread over a
// few hundred places, over 65,535 (two full bytes), and beyond (where it
// hands over to sortHits), negative places included.
func TestRadixHits(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for n := radixMin; n <= 400; n++ {
		for _, spread := range []int{n, 3 * n, 1<<16 - 1, 1 << 16, 1 << 30} {
			base := int32(rng.IntN(1<<20)) - 1<<19
			seen := map[int32]bool{}
			h := make([]Hit, 0, n)
			for len(h) < n {
				p := base + int32(rng.IntN(spread))
				if len(h) == 0 {
					p = base
				} else if len(h) == 1 {
					p = base + int32(spread-1) // the whole spread
				}
				if !seen[p] {
					seen[p] = true
					h = append(h, Hit{Place: p, Seconds: int32(rng.IntN(1000))})
				}
			}
			rng.Shuffle(n, func(i, j int) { h[i], h[j] = h[j], h[i] })
			want := slices.Clone(h)
			slices.SortFunc(want, func(a, b Hit) int { return cmp.Compare(a.Place, b.Place) })
			radixHits(h, make([]Hit, n))
			if !slices.Equal(h, want) {
				t.Fatalf("%d hits over %d places: %v, want %v", n, spread, h, want)
			}
		}
	}
}
