package coverage

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/hours"
	"github.com/vingt/vingt/router"
	"github.com/vingt/vingt/walk"
)

// smallFeed writes a small random one-day feed (2026-01-13, a Tuesday)
// over a 2 km square.
func smallFeed(t *testing.T, rng *rand.Rand) *gtfs.Feed {
	t.Helper()
	var stops, trips, st strings.Builder
	stops.WriteString("stop_id,stop_lat,stop_lon\n")
	ns := 4 + rng.IntN(10)
	for s := range ns {
		fmt.Fprintf(&stops, "S%d,%.6f,%.6f\n", s, 45+rng.Float64()*0.02, 0.7+rng.Float64()*0.02)
	}
	trips.WriteString("route_id,service_id,trip_id\n")
	st.WriteString("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n")
	clock := func(s int32) string { return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60) }
	n := 0
	for r := range 1 + rng.IntN(4) {
		seq := make([]int, 2+rng.IntN(4))
		for i := range seq {
			seq[i] = rng.IntN(ns)
		}
		for range 1 + rng.IntN(6) {
			id := fmt.Sprintf("T%d", n)
			n++
			fmt.Fprintf(&trips, "R%d,D,%s\n", r, id)
			at := int32(7*3600 + rng.IntN(4*3600))
			for i, s := range seq {
				at += int32(60 + rng.IntN(400))
				fmt.Fprintf(&st, "%s,%s,%s,S%d,%d\n", id, clock(at), clock(at), s, i+1)
			}
		}
	}
	fsys := fstest.MapFS{
		"stops.txt":          {Data: []byte(stops.String())},
		"routes.txt":         {Data: []byte("route_id,route_type\nR0,3\nR1,3\nR2,3\nR3,3\n")},
		"trips.txt":          {Data: []byte(trips.String())},
		"stop_times.txt":     {Data: []byte(st.String())},
		"calendar_dates.txt": {Data: []byte("service_id,date,exception_type\nD,20260113,1\n")},
	}
	f, err := gtfs.Read(fsys, "small")
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// randomHours returns random opening hours around the morning: always
// open, closed that Tuesday, or one or two spans.
func randomHours(rng *rand.Rand) *hours.Schedule {
	var text string
	switch rng.IntN(6) {
	case 0:
		return nil
	case 1:
		text = "We-Mo 08:00-18:00" // closed on Tuesdays
	default:
		a := 7*60 + rng.IntN(240)
		b := a + 1 + rng.IntN(120)
		text = fmt.Sprintf("%02d:%02d-%02d:%02d", a/60, a%60, b/60, b%60)
		if rng.IntN(2) == 0 {
			c := b + 1 + rng.IntN(60)
			d := c + 1 + rng.IntN(60)
			text += fmt.Sprintf(",%02d:%02d-%02d:%02d", c/60, c%60, d/60, d%60)
		}
	}
	s, err := hours.Parse(text)
	if err != nil {
		panic(err)
	}
	return &s
}

// randomScene draws, in a square of about 2 km, cells cells of population
// 1 and 1 to maxPoints points of two categories, "timed" with random
// opening hours (at least one point with hours) and "plain" without.
func randomScene(rng *rand.Rand, cells, maxPoints int) ([]Cell, *Category, *Category) {
	place := func() (float64, float64) { return 0.7 + rng.Float64()*0.02, 45 + rng.Float64()*0.02 }
	var cs []Cell
	for range cells {
		lon, lat := place()
		cs = append(cs, Cell{Lon: lon, Lat: lat, Population: 1})
	}
	timed := &Category{Name: "timed"}
	plain := &Category{Name: "plain"}
	for i := range 1 + rng.IntN(maxPoints) {
		lon, lat := place()
		timed.Points = append(timed.Points, Point{ID: fmt.Sprint(i), Lon: lon, Lat: lat, Hours: randomHours(rng)})
		lon, lat = place()
		plain.Points = append(plain.Points, Point{ID: fmt.Sprint(i), Lon: lon, Lat: lat})
	}
	if timed.WithHours() == 0 {
		timed.Points[0].Hours = randomHours(rand.New(rand.NewPCG(1, 1)))
	}
	return cs, timed, plain
}

// TestHoursBruteForce checks, on small random networks with random hours,
// every cell's travel time at every departure against a brute force: one
// single-departure search per departure, then every (stop, point) pair
// and every walk-only point served at Arrive(arrival + walk), the walk
// after the last ride (a footpath first included) within max_walk; with
// both engines (the profile one seeded with the points' windows), and a
// category without hours alongside.
func TestHoursBruteForce(t *testing.T) {
	date, _ := gtfs.ParseDate("2026-01-13")
	// Seed 213 is the first whose answer a footpath chained before the
	// egress walk beyond max_walk would change.
	named := 0
	for _, seed := range append(seq(40), 213) {
		rng := rand.New(rand.NewPCG(uint64(seed), 17))
		f := smallFeed(t, rng)
		rp := router.DefaultParams()
		rp.MaxWalk = int32(300 + rng.IntN(900))
		tt, err := router.Compile([]*gtfs.Feed{f}, date, rp)
		if err != nil {
			t.Fatal(err)
		}
		rp = tt.Params()
		cells, timed, plain := randomScene(rng, 6, 5)
		p := DefaultParams()
		p.From, p.To, p.Step = 8*3600, 10*3600, int32(60*(1+rng.IntN(3)))
		p.MinOpen = int32(60 * rng.IntN(30))
		p.Date = HoursDate(date)

		// The brute force.
		w := tt.Walker()
		want := make([][][]int32, len(cells)) // [cell][category][minute]
		// The point that serves first at each minute (-1: none or a tie;
		// the random points are at distinct places: one site each).
		wantPt := make([][][]int32, len(cells))
		r := router.NewRouter(tt)
		for c, cell := range cells {
			cp := walk.Place{Lat: cell.Lat, Lon: cell.Lon}
			access := tt.StopsNear(cell.Lat, cell.Lon, rp.MaxWalk, nil)
			for _, cat := range []*Category{timed, plain} {
				var row, rowPt []int32
				for m := range p.Minutes() {
					dep := p.From + int32(m)*p.Step
					best := int32(router.Unreached)
					per := make([]int32, len(cat.Points))
					fill32(per, router.Unreached)
					serve := func(i int, at int32) {
						pt := cat.Points[i]
						win := hours.AlwaysWindows()
						if pt.Hours != nil {
							win = pt.Hours.Windows(p.Date, p.MinOpen, nil)
						}
						if v, ok := win.Arrive(at); ok && v-dep < best {
							best = v - dep
						}
						if v, ok := win.Arrive(at); ok && v-dep < per[i] {
							per[i] = v - dep
						}
					}
					for i, pt := range cat.Points {
						if s, _ := w.Walk(cp, walk.Place{Lat: pt.Lat, Lon: pt.Lon}, rp.MaxDuration); s != walk.Unreached {
							serve(i, dep+s)
						}
					}
					if len(access) > 0 {
						// Alighting at s, walk from s, or take one
						// footpath to s2 and walk from there, within
						// max_walk in total.
						r.Query(access, dep)
						for s := range int32(tt.NumStops()) {
							a := r.RideArrival(s)
							if a == router.Unreached {
								continue
							}
							legs := append([]router.Access{{Stop: s}}, tt.Footpaths(s, nil)...)
							for _, l := range legs {
								if !tt.Served(l.Stop) {
									continue
								}
								for i, pt := range cat.Points {
									if ws, _ := w.Walk(tt.StopPlace(l.Stop), walk.Place{Lat: pt.Lat, Lon: pt.Lon}, rp.MaxWalk); ws != walk.Unreached && l.Seconds+ws <= rp.MaxWalk {
										serve(i, a+l.Seconds+ws)
									}
								}
							}
						}
					}
					if best > rp.MaxDuration {
						best = router.Unreached
					}
					row = append(row, best)
					first := int32(-1)
					for i, v := range per {
						if best != router.Unreached && v == best {
							if first >= 0 {
								first = -2 // a tie
							} else if first == -1 {
								first = int32(i)
							}
						}
					}
					rowPt = append(rowPt, max(first, -1))
				}
				want[c] = append(want[c], row)
				wantPt[c] = append(wantPt[c], rowPt)
			}
		}

		for _, engine := range []string{EngineForward, EngineProfile} {
			p.Engine = engine
			a := &analysis{tt: tt, rp: rp, p: p, cells: cells, cats: []*Category{timed, plain}, minutes: p.Minutes()}
			got := make([][][]int32, len(cells))
			a.minuteHook = func(c int, v [][]int32) {
				for _, row := range v {
					got[c] = append(got[c], append([]int32(nil), row...))
				}
			}
			res, err := a.run(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			for c := range cells {
				for k := range 2 {
					// The point named at the percentile: at the earliest
					// minute whose time is the percentile's with one
					// point first.
					q, at := res.TravelTime[(c*2+k)*len(p.Percentiles)], int32(-1)
					for m, v := range want[c][k] {
						if float64(v) == q && wantPt[c][k][m] >= 0 {
							at = wantPt[c][k][m]
							break
						}
					}
					if got := res.Impact.AtPercentile[c*2+k]; got != at {
						t.Fatalf("seed %d %s: cell %d category %d: point at the percentile %d, want %d", seed, engine, c, k, got, at)
					}
					if at >= 0 && k == 0 {
						named++
					}
					for m := range want[c][k] {
						if got[c][k][m] != want[c][k][m] {
							t.Fatalf("seed %d %s: cell %d category %d departure %s: got %d, want %d", seed, engine, c, k,
								FormatClock(p.From+int32(m)*p.Step), got[c][k][m], want[c][k][m])
						}
					}
				}
			}
		}
	}
	t.Logf("%d (cell, engine) pairs name a point with opening hours at their percentile", named)
	if named == 0 {
		t.Error("no cell names a point with opening hours at its percentile: the test proves little")
	}
}
