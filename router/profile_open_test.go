package router

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/hours"
	"github.com/vingt/vingt/internal/testutil/csa"
)

// randomOpen returns random arrival windows around the departures of the
// random timetables: always open, never open, or one to three spans.
func randomOpen(rng *rand.Rand, date gtfs.Date, minOpen int32) hours.Windows {
	var text string
	switch rng.IntN(7) {
	case 0:
		return hours.AlwaysWindows()
	case 1:
		text = "off"
	default:
		a := rng.IntN(20 * 60)
		for k := range 1 + rng.IntN(3) {
			b := a + 1 + rng.IntN(180)
			if b >= 24*60 {
				break
			}
			if k > 0 {
				text += ","
			}
			text += fmt.Sprintf("%02d:%02d-%02d:%02d", a/60, a%60, b/60, b%60)
			a = b + 1 + rng.IntN(120)
			if a >= 24*60-1 {
				break
			}
		}
	}
	s, err := hours.Parse(text)
	if err != nil {
		panic(fmt.Sprintf("%q: %v", text, err))
	}
	d := hours.Date{Year: int(date) / 10000, Month: 1, Day: int(date) % 100}
	return s.Windows(d, minOpen, nil)
}

// openBest is the brute force of SearchOpen: per departure (decreasing),
// the least over the stops alighted at (forward router, or the oracle's
// arrivals by vehicle when orc is set), the targets' walks (from the
// stop, or after one footpath, within MaxWalk together) and the points'
// windows of Arrive(alighting + walk), the travel time capped.
func openBest(r *Router, orc *oracle, access []Access, targets []Target, open []hours.Windows, deps []int32) []int32 {
	tt := r.tt
	p := tt.params
	out := make([]int32, len(deps))
	serve := func(veh func(int32) int32, dep int32) int32 {
		best := Unreached
		try := func(pt, at int32) {
			if v, ok := open[pt].Arrive(at); ok && v < best {
				best = v
			}
		}
		for _, tg := range targets {
			if tg.Seconds > p.MaxDuration {
				continue
			}
			if a := veh(tg.Stop); a != Unreached {
				try(tg.Point, a+tg.Seconds)
			}
			for s := range int32(tt.NumStops()) {
				for _, fp := range tt.Footpaths(s, nil) {
					if fp.Stop == tg.Stop && fp.Seconds+tg.Seconds <= p.MaxWalk {
						if a := veh(s); a != Unreached {
							try(tg.Point, a+fp.Seconds+tg.Seconds)
						}
					}
				}
			}
		}
		return capped(best, dep, p.MaxDuration)
	}
	if orc != nil {
		starts := make([]csa.Start, len(access))
		for i, a := range access {
			starts[i] = csa.Start{Stop: a.Stop, Seconds: a.Seconds}
		}
		for i, dep := range deps {
			veh := orc.ByVehicle(starts, dep)
			out[i] = serve(func(s int32) int32 { return veh[s] }, dep)
		}
		return out
	}
	i := 0
	r.RangeAt(access, deps, func(dep int32, _ []int32) {
		out[i] = serve(r.RideArrival, dep)
		i++
	})
	return out
}

// openNetwork draws a random one-feed timetable and the parameters of the
// opening-hours tests (slack, transfer walk and count, walks, cap).
func openNetwork(t *testing.T, rng *rand.Rand, date gtfs.Date) ([]*gtfs.Feed, Params, *Timetable) {
	t.Helper()
	feeds := []*gtfs.Feed{randomFeed(t, rng, "a")}
	p := DefaultParams()
	p.BoardSlack = []int32{0, 60}[rng.IntN(2)]
	p.MaxTransferWalk = []float64{0, 300, 800, 2000}[rng.IntN(4)]
	p.MaxTransfers = rng.IntN(4)
	p.MaxWalk = []int32{300, 900}[rng.IntN(2)]
	p.MaxDuration = []int32{1800, 3600, 7200}[rng.IntN(3)]
	tt, err := Compile(feeds, date, p)
	if err != nil {
		t.Fatal(err)
	}
	return feeds, p, tt
}

// TestProfileOpenRandom checks the profile search towards points with
// opening hours (SearchOpen then Eval) against the brute force on random
// timetables with random hours and min_open: every departure of the
// window to the second, within the cap; one departure in eight against
// the connection-scan oracle too. With every point always open it must
// also equal Search.
func TestProfileOpenRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 2026))
	date, _ := gtfs.ParseDate("2026-01-13")
	networks := 200
	if testing.Short() {
		networks = 60
	}
	compared, reached, waited := 0, 0, 0
	var prof, plain Profile
	for n := range networks {
		feeds, p, tt := openNetwork(t, rng, date)
		orc := newOracle(feeds, date, p)
		ps := NewProfileSearcher(tt)
		r := NewRouter(tt)
		minOpen := int32(60 * rng.IntN(30))
		npts := 1 + rng.IntN(4)
		open := make([]hours.Windows, npts)
		always := make([]hours.Windows, npts)
		for i := range open {
			open[i] = randomOpen(rng, date, minOpen)
			always[i] = hours.AlwaysWindows()
		}
		var targets []Target
		for range 1 + rng.IntN(6) {
			targets = append(targets, Target{Stop: int32(rng.IntN(tt.NumStops())), Point: int32(rng.IntN(npts)), Seconds: int32(rng.IntN(int(p.MaxWalk) + 1))})
		}
		from := randomDeparture(rng)
		step := []int32{60, 60, 23}[rng.IntN(3)]
		count := 1 + rng.IntN(120)
		to := from + step*int32(count-1) + 1
		var deps []int32
		for d := from; d < to; d += step {
			deps = append(deps, d)
		}
		if err := ps.SearchOpen(targets, open, from, to, &prof); err != nil {
			t.Fatal(err)
		}
		got := make([]int32, len(deps))
		for origin := range 4 {
			acc := randomAccess(rng, tt.NumStops())
			prof.Eval(acc, deps, got)
			for i := range got {
				got[i] = capped(got[i], deps[i], p.MaxDuration)
			}
			want := reversed(openBest(r, nil, acc, targets, open, reversed(deps)))
			for i := range deps {
				compared++
				if got[i] != want[i] {
					t.Fatalf("timetable %d origin %d (%+v; targets %v, access %v, min_open %d): departure %d: profile %d, brute force %d",
						n, origin, p, targets, acc, minOpen, deps[i], got[i], want[i])
				}
				if want[i] != Unreached {
					reached++
				}
			}
			if origin == 0 {
				var od []int32
				for i := 0; i < len(deps); i += 8 {
					od = append(od, deps[i])
				}
				o := openBest(r, &orc, acc, targets, open, od)
				for i := range od {
					if o[i] != want[8*i] {
						t.Fatalf("timetable %d: departure %d: oracle %d, forward %d", n, od[i], o[i], want[8*i])
					}
				}
			}
			// The same walks with the points always open: Search.
			if origin == 1 {
				if err := ps.SearchOpen(targets, always, from, to, &plain); err != nil {
					t.Fatal(err)
				}
				var egress []Access
				for _, tg := range targets {
					egress = append(egress, Access{Stop: tg.Stop, Seconds: tg.Seconds})
				}
				open2 := make([]int32, len(deps))
				plainWant := reversed(forwardBest(r, acc, egress, reversed(deps), p.MaxDuration))
				plain.Eval(acc, deps, open2)
				for i := range deps {
					if g := capped(open2[i], deps[i], p.MaxDuration); g != plainWant[i] {
						t.Fatalf("timetable %d: always open: departure %d: SearchOpen %d, forward %d", n, deps[i], g, plainWant[i])
					}
					if got[i] != Unreached && plainWant[i] != Unreached && got[i] > plainWant[i] {
						waited++
					}
				}
				if err := ps.SearchOpen(targets, open, from, to, &prof); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if reached == 0 || reached == compared || waited == 0 {
		t.Fatalf("%d of %d departures reached, %d later for the hours: the comparison proves little", reached, compared, waited)
	}
	t.Logf("%d departures compared, %d reached, %d served later for the hours", compared, reached, waited)
}

// TestProfileNearestOpenRandom checks SearchNearestOpen against the brute
// force on random timetables with random hours, sites shared by points
// and always-open points among them: per departure, the least time
// served, its site, or a tie between two sites, within the cap.
func TestProfileNearestOpenRandom(t *testing.T) { openRandom(t, false) }

// TestProfileTop2OpenRandom checks Top2Searcher.SearchOpen (the impact's
// search with opening hours) the same way: per departure, the least time
// served, its site unless two sites tie, and the least time served
// through another site, within the cap.
func TestProfileTop2OpenRandom(t *testing.T) { openRandom(t, true) }

// openRandom compares SearchNearestOpen, or with top2 SearchOpen, with
// the brute force on random networks.
func openRandom(t *testing.T, top2 bool) {
	rng := rand.New(rand.NewPCG(19, 2026))
	date, _ := gtfs.ParseDate("2026-01-13")
	networks := 200
	if testing.Short() {
		networks = 60
	}
	compared, reached, ties, seconds := 0, 0, 0, 0
	var prof ProfileTop2
	for n := range networks {
		_, p, tt := openNetwork(t, rng, date)
		ts := NewTop2Searcher(tt)
		r := NewRouter(tt)
		minOpen := int32(60 * rng.IntN(30))
		npts := 1 + rng.IntN(5)
		nsites := 1 + rng.IntN(npts)
		open := make([]hours.Windows, npts)
		site := make([]int32, npts)
		for i := range open {
			open[i] = randomOpen(rng, date, minOpen)
			site[i] = int32(rng.IntN(nsites))
		}
		if rng.IntN(2) == 0 {
			// An always-open point beside timed ones at the same walk:
			// the timed ones must still tie with it.
			open[0] = hours.AlwaysWindows()
		}
		var targets []Target
		farther := rand.New(rand.NewPCG(uint64(n), 7))
		for range 1 + rng.IntN(8) {
			tg := Target{Stop: int32(rng.IntN(tt.NumStops())), Point: int32(rng.IntN(npts)), Seconds: 60 * int32(rng.IntN(int(p.MaxWalk)/60+1))}
			if len(targets) > 0 && rng.IntN(3) == 0 {
				// Another point as far from a stop as one before: ties.
				q := targets[rng.IntN(len(targets))]
				tg.Stop, tg.Seconds = q.Stop, q.Seconds
				if top2 && farther.IntN(2) == 0 {
					// Or farther: a second site behind the first
					// (its own generator: the nearest-site
					// search's networks stay as they were).
					tg.Seconds += 60 * int32(1+farther.IntN(5))
				}
			}
			targets = append(targets, tg)
		}
		if top2 && open[0].Always() && npts > 1 {
			// A timed point behind an always-open one at the same stop:
			// never the first site there, often the second.
			st, w := int32(farther.IntN(tt.NumStops())), 60*int32(farther.IntN(5))
			targets = append(targets, Target{Stop: st, Point: 0, Seconds: w},
				Target{Stop: st, Point: int32(1 + farther.IntN(npts-1)), Seconds: w + 60*int32(1+farther.IntN(5))})
		}
		from := randomDeparture(rng)
		step := []int32{60, 60, 23}[rng.IntN(3)]
		count := 1 + rng.IntN(120)
		to := from + step*int32(count-1) + 1
		var deps []int32
		for d := from; d < to; d += step {
			deps = append(deps, d)
		}
		search := ts.SearchNearestOpen
		if top2 {
			search = ts.SearchOpen
		}
		if err := search(targets, open, site, from, to, &prof); err != nil {
			t.Fatal(err)
		}
		got := make([]Top2, len(deps))
		for origin := range 4 {
			acc := randomAccess(rng, tt.NumStops())
			prof.Eval(acc, deps, got)
			i := len(deps) - 1
			r.RangeAt(acc, reversed(deps), func(dep int32, _ []int32) {
				per := make([]int32, nsites)
				fill(per, Unreached)
				try := func(pt, at int32) {
					if v, ok := open[pt].Arrive(at); ok && v < per[site[pt]] {
						per[site[pt]] = v
					}
				}
				for _, tg := range targets {
					if tg.Seconds > p.MaxDuration {
						continue
					}
					if a := r.RideArrival(tg.Stop); a != Unreached {
						try(tg.Point, a+tg.Seconds)
					}
					for s := range int32(tt.NumStops()) {
						for _, fp := range tt.Footpaths(s, nil) {
							if fp.Stop == tg.Stop && fp.Seconds+tg.Seconds <= p.MaxWalk {
								if a := r.RideArrival(s); a != Unreached {
									try(tg.Point, a+fp.Seconds+tg.Seconds)
								}
							}
						}
					}
				}
				w := NoTop2
				for q, v := range per {
					w = w.Combine(Top2{v, int32(q), Unreached}.within(Unreached - 1))
				}
				g := got[i]
				in := func(v int32) bool { return v != Unreached && v-dep <= p.MaxDuration }
				bad := false
				if top2 {
					// The second value within the cap, the site
					// unless two tie.
					bad = in(w.V2) != in(g.V2) || in(w.V2) && g.V2 != w.V2
					if in(w.V2) && w.V2 != w.V1 {
						seconds++
					}
				} else {
					w = w.tied()
				}
				compared++
				if bad || in(w.V1) != in(g.V1) || in(w.V1) && (g.V1 != w.V1 || (g.V2 == g.V1) != (w.V2 == w.V1) || w.V2 != w.V1 && g.S1 != w.S1) {
					t.Fatalf("timetable %d origin %d departure %d (%+v; targets %v, sites %v, min_open %d): brute force %+v (per site %v), profile %+v",
						n, origin, dep, p, targets, site, minOpen, w, per, g)
				}
				if in(w.V1) {
					reached++
					if w.V2 == w.V1 {
						ties++
					}
				}
				i--
			})
		}
	}
	t.Logf("%d departures compared, %d reached, %d ties, %d second sites", compared, reached, ties, seconds)
	if top2 && seconds == 0 {
		t.Fatal("no second site within the cap: the comparison proves little")
	}
	if reached == 0 || reached == compared || ties == 0 {
		t.Fatalf("%d of %d departures reached, %d ties: the comparison proves little", reached, compared, ties)
	}
}

// TestSearchOpenBadArguments checks the errors of the opening-hours
// searches for targets naming no stop, point or site, a negative walk, and
// sites not matching the points.
func TestSearchOpenBadArguments(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	date, _ := gtfs.ParseDate("2026-01-13")
	_, _, tt := openNetwork(t, rng, date)
	open := []hours.Windows{hours.AlwaysWindows(), hours.AlwaysWindows()}
	ps, ts := NewProfileSearcher(tt), NewTop2Searcher(tt)
	var prof Profile
	var prof2 ProfileTop2
	n := int32(tt.NumStops())
	for _, c := range []struct {
		name    string
		targets []Target
		site    []int32
		want    string
	}{
		{"stop", []Target{{Stop: n, Point: 0}}, []int32{0, 1}, "no such stop"},
		{"point", []Target{{Stop: 0, Point: 2}}, []int32{0, 1}, "no such stop"},
		{"walk", []Target{{Stop: 0, Point: 1, Seconds: -1}}, []int32{0, 1}, "negative walk"},
		{"site", []Target{{Stop: 0, Point: 1}}, []int32{0, -1}, "no such stop, point or site"},
		{"sites", []Target{{Stop: 0, Point: 0}}, []int32{0}, "a site per point is needed (sites: 1, points: 2)"},
	} {
		err := ts.SearchNearestOpen(c.targets, open, c.site, 8*3600, 9*3600, &prof2)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "router: ") {
			t.Errorf("%s: SearchNearestOpen: %v, want %q", c.name, err, c.want)
		}
		err = ts.SearchOpen(c.targets, open, c.site, 8*3600, 9*3600, &prof2)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "router: ") {
			t.Errorf("%s: Top2Searcher.SearchOpen: %v, want %q", c.name, err, c.want)
		}
		if c.name == "site" || c.name == "sites" {
			continue // ProfileSearcher.SearchOpen has no sites
		}
		if err := ps.SearchOpen(c.targets, open, 8*3600, 9*3600, &prof); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: SearchOpen: %v, want %q", c.name, err, c.want)
		}
	}
}
