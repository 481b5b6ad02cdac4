package router

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/internal/testutil/csa"
	"github.com/vingt/vingt/walk"
)

// oracle is the connection scan of internal/testutil/csa, written from
// the GTFS tables without any of the router's structures, given the
// router's parameters and walk between stops.
type oracle struct {
	*csa.Oracle
}

func newOracle(feeds []*gtfs.Feed, date gtfs.Date, p Params) oracle {
	return oracle{csa.New(feeds, date, csa.Params{
		BoardSlack:      p.BoardSlack,
		MaxTransfers:    p.MaxTransfers,
		MaxDuration:     p.MaxDuration,
		MaxTransferWalk: p.MaxTransferWalk,
		MaxWalk:         p.MaxWalk,
		Walk: func(a, b *gtfs.Stop) (int32, float64) {
			d := gtfs.Distance(a.Lat, a.Lon, b.Lat, b.Lon)
			return walk.CrowFly{Speed: p.WalkSpeed, Detour: p.Detour}.Seconds(d), d
		},
	})}
}

// query returns the earliest arrival at every stop by a journey with at
// least one ride, leaving at dep from the access stops.
func (o oracle) query(access []Access, dep int32) []int32 {
	starts := make([]csa.Start, len(access))
	for i, a := range access {
		starts[i] = csa.Start{Stop: a.Stop, Seconds: a.Seconds}
	}
	return o.Query(starts, dep)
}

// egress returns the oracle's earliest arrival at a point (egress walks
// as targets, the walk after the last ride within MaxWalk).
func (o oracle) egress(access, egress []Access, dep int32) int32 {
	starts := make([]csa.Start, len(access))
	for i, a := range access {
		starts[i] = csa.Start{Stop: a.Stop, Seconds: a.Seconds}
	}
	targets := make([]csa.Start, len(egress))
	for i, e := range egress {
		targets[i] = csa.Start{Stop: e.Stop, Seconds: e.Seconds}
	}
	return o.Egress(starts, dep, targets)
}

// randomFeed writes a random feed as GTFS text and reads it: overtaking
// trips, trips of the previous day past midnight, parent stations,
// pick-up and drop-off bans, frequencies and transfers of every type.
func randomFeed(t testing.TB, rng *rand.Rand, name string) *gtfs.Feed {
	t.Helper()
	var stops, routes, trips, st, freq, tr strings.Builder
	stops.WriteString("stop_id,stop_lat,stop_lon,location_type,parent_station\n")
	ns := 6 + rng.IntN(20)
	nParents := rng.IntN(3)
	for p := range nParents {
		fmt.Fprintf(&stops, "P%d,%.6f,%.6f,1,\n", p, 45+rng.Float64()*0.02, 0.7+rng.Float64()*0.02)
	}
	for s := range ns {
		parent := ""
		if nParents > 0 && rng.IntN(3) == 0 {
			parent = fmt.Sprintf("P%d", rng.IntN(nParents))
		}
		fmt.Fprintf(&stops, "S%d,%.6f,%.6f,0,%s\n", s, 45+rng.Float64()*0.02, 0.7+rng.Float64()*0.02, parent)
	}
	routes.WriteString("route_id,route_type\n")
	trips.WriteString("route_id,service_id,trip_id\n")
	st.WriteString("trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type,drop_off_type\n")
	freq.WriteString("trip_id,start_time,end_time,headway_secs,exact_times\n")
	clock := func(s int32) string { return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60) }
	nr := 2 + rng.IntN(6)
	tripN := 0
	for r := range nr {
		fmt.Fprintf(&routes, "R%d,3\n", r)
		length := 2 + rng.IntN(6)
		seq := make([]int, length)
		for i := range seq {
			seq[i] = rng.IntN(ns)
			for i > 0 && seq[i] == seq[i-1] {
				seq[i] = rng.IntN(ns)
			}
		}
		hops := make([]int32, length)
		for i := range hops {
			hops[i] = int32(60 + rng.IntN(600))
		}
		flags := make([][2]int, length)
		for i := range flags {
			if rng.IntN(10) == 0 {
				flags[i][rng.IntN(2)] = 1
			}
		}
		for range 1 + rng.IntN(8) {
			service, start := "D", int32(7*3600+rng.IntN(3*3600))
			switch rng.IntN(5) {
			case 0:
				service, start = "Y", int32(23*3600+rng.IntN(2*3600)) // the day before, past midnight
			case 1:
				service, start = "D", int32(rng.IntN(2*3600)) // early morning
			case 2:
				if rng.IntN(3) == 0 {
					service = "N" // never runs on the date
				}
			}
			speed := 0.5 + rng.Float64() // trips of one route overtake
			id := fmt.Sprintf("T%d", tripN)
			tripN++
			fmt.Fprintf(&trips, "R%d,%s,%s\n", r, service, id)
			at := start
			for i, s := range seq {
				if i > 0 {
					at += int32(float64(hops[i]) * speed)
				}
				dwell := int32(rng.IntN(3) * 30)
				fmt.Fprintf(&st, "%s,%s,%s,S%d,%d,%d,%d\n", id, clock(at), clock(at+dwell), s, i+1, flags[i][0], flags[i][1])
				at += dwell
			}
			if rng.IntN(8) == 0 {
				from := start - int32(rng.IntN(1800))
				fmt.Fprintf(&freq, "%s,%s,%s,%d,%d\n", id, clock(max(from, 0)), clock(max(from, 0)+int32(600+rng.IntN(3600))), 300+rng.IntN(900), rng.IntN(2))
			}
		}
	}
	tr.WriteString("from_stop_id,to_stop_id,transfer_type,min_transfer_time\n")
	seen := map[[2]int]bool{}
	for range rng.IntN(6) {
		a, b := rng.IntN(ns), rng.IntN(ns)
		if rng.IntN(3) == 0 {
			b = a
		}
		if seen[[2]int{a, b}] {
			continue
		}
		seen[[2]int{a, b}] = true
		switch typ := rng.IntN(4); typ {
		case 2:
			fmt.Fprintf(&tr, "S%d,S%d,2,%d\n", a, b, rng.IntN(600))
		default:
			fmt.Fprintf(&tr, "S%d,S%d,%d,\n", a, b, typ)
		}
	}
	fsys := fstest.MapFS{
		"stops.txt":          {Data: []byte(stops.String())},
		"routes.txt":         {Data: []byte(routes.String())},
		"trips.txt":          {Data: []byte(trips.String())},
		"stop_times.txt":     {Data: []byte(st.String())},
		"frequencies.txt":    {Data: []byte(freq.String())},
		"transfers.txt":      {Data: []byte(tr.String())},
		"calendar_dates.txt": {Data: []byte("service_id,date,exception_type\nD,20260113,1\nY,20260112,1\nN,20260114,1\n")},
	}
	f, err := gtfs.Read(fsys, name)
	if err != nil {
		t.Fatalf("random feed: %v", err)
	}
	return f
}

func randomParams(rng *rand.Rand) Params {
	p := DefaultParams()
	p.BoardSlack = []int32{0, 60, 120}[rng.IntN(3)]
	p.MaxTransferWalk = []float64{0, 300, 800, 2000}[rng.IntN(4)]
	p.MaxTransfers = []int{0, 1, 2, 4}[rng.IntN(4)]
	p.MaxDuration = []int32{1800, 3600, 7200}[rng.IntN(3)]
	return p
}

func randomAccess(rng *rand.Rand, n int) []Access {
	var acc []Access
	for range 1 + rng.IntN(3) {
		acc = append(acc, Access{Stop: int32(rng.IntN(n)), Seconds: int32(rng.IntN(600))})
	}
	return acc
}

func randomDeparture(rng *rand.Rand) int32 {
	if rng.IntN(3) == 0 {
		return int32(rng.IntN(2 * 3600))
	}
	return int32(7*3600 + rng.IntN(3*3600))
}

// TestOracleRandom compares the router with the oracle on 12,000 random
// queries over 600 random timetables (one or two feeds each).
func TestOracleRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	date, _ := gtfs.ParseDate("2026-01-13")
	timetables, queries := 600, 20
	if testing.Short() {
		timetables = 100
	}
	total, reached := 0, 0
	// What the random timetables exercised: each must be met, else the
	// comparison proves less than it claims.
	seen := map[string]int{}
	for n := range timetables {
		feeds := []*gtfs.Feed{randomFeed(t, rng, "a")}
		if rng.IntN(4) == 0 {
			feeds = append(feeds, randomFeed(t, rng, "b"))
		}
		p := randomParams(rng)
		tt, err := Compile(feeds, date, p)
		if err != nil {
			t.Fatal(err)
		}
		seen["previous-day trips"] += tt.Stats().PreviousDayTrips
		seen[fmt.Sprintf("board slack %d", p.BoardSlack)]++
		seen[fmt.Sprintf("max transfers %d", p.MaxTransfers)]++
		for _, f := range feeds {
			seen["frequencies.txt rows"] += len(f.Frequencies)
			for _, x := range f.Transfers {
				seen[fmt.Sprintf("transfer type %d same stop %t", x.Type, x.From == x.To)]++
			}
			for i := range f.StopTimes.Pickup {
				seen["pickup or drop-off 1"] += int(f.StopTimes.Pickup[i] | f.StopTimes.DropOff[i])
			}
		}
		if tt.Stats().Patterns > 0 {
			// Patterns split by overtaking: more patterns than stop sequences.
			seqs := map[string]bool{}
			for _, f := range feeds {
				for i := range f.Trips {
					tr := &f.Trips[i]
					seqs[fmt.Sprint(f.Name, f.StopTimes.Stop[tr.First:tr.First+tr.N])] = true
				}
			}
			if tt.Stats().Patterns > len(seqs) {
				seen["overtaking split"]++
			}
		}
		o := newOracle(feeds, date, p)
		r := NewRouter(tt)
		for q := range queries {
			acc := randomAccess(rng, tt.NumStops())
			dep := randomDeparture(rng)
			got := slices.Clone(r.Query(acc, dep))
			want := o.query(acc, dep)
			total++
			if !slices.Equal(got, want) {
				for s := range got {
					if got[s] != want[s] {
						t.Fatalf("timetable %d query %d (%+v, dep %d, access %v): stop %s: router %d, oracle %d",
							n, q, p, dep, acc, tt.Stop(int32(s)).ID, got[s], want[s])
					}
				}
			}
			// A journey to every reached stop arrives when the router says.
			for s, a := range got {
				if a == Unreached {
					continue
				}
				reached++
				j, ok := r.Journey(int32(s))
				if !ok || j.Arrival() != a || j.Transfers() > p.MaxTransfers {
					t.Fatalf("timetable %d query %d: journey to %s: %+v, arrival %d", n, q, tt.Stop(int32(s)).ID, j, a)
				}
				seen[fmt.Sprintf("journeys with %d transfers", min(j.Transfers(), 2))]++
				if j.Legs[len(j.Legs)-1].Kind == Transfer {
					seen["journeys ending on foot"]++
				}
			}
		}
	}
	if !testing.Short() && total < 10000 {
		t.Fatalf("only %d queries", total)
	}
	// The comparison means something only when journeys are found.
	if reached < total {
		t.Fatalf("only %d stops reached over %d queries", reached, total)
	}
	for _, k := range []string{"previous-day trips", "frequencies.txt rows", "pickup or drop-off 1", "overtaking split",
		"board slack 0", "board slack 60", "max transfers 0", "max transfers 4",
		"transfer type 0 same stop false", "transfer type 1 same stop true", "transfer type 2 same stop false",
		"transfer type 2 same stop true", "transfer type 3 same stop false", "transfer type 3 same stop true",
		"journeys with 0 transfers", "journeys with 1 transfers", "journeys with 2 transfers", "journeys ending on foot"} {
		if seen[k] == 0 {
			t.Errorf("the random timetables never exercised %s", k)
		}
	}
	t.Logf("%d queries, %d stops reached; exercised: %v", total, reached, seen)
}

// TestRangeEqualsQueries checks that range-RAPTOR, which reuses labels
// from one departure to the next, gives minute by minute what single
// searches give.
func TestRangeEqualsQueries(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	date, _ := gtfs.ParseDate("2026-01-13")
	for n := range 150 {
		feeds := []*gtfs.Feed{randomFeed(t, rng, "a")}
		p := randomParams(rng)
		tt, err := Compile(feeds, date, p)
		if err != nil {
			t.Fatal(err)
		}
		r, single := NewRouter(tt), NewRouter(tt)
		acc := randomAccess(rng, tt.NumStops())
		from := randomDeparture(rng)
		step := int32([]int{60, 60, 37, 300}[rng.IntN(4)])
		to := from + int32(rng.IntN(7200))
		count := 0
		r.Range(acc, from, to, step, func(dep int32, got []int32) {
			count++
			want := single.Query(acc, dep)
			if !slices.Equal(got, want) {
				t.Fatalf("timetable %d, departure %d: range and single search differ", n, dep)
			}
		})
		if want := int((to - from + step - 1) / step); to > from && count != want {
			t.Fatalf("%d departures, want %d", count, want)
		}
	}
}
