package router

import (
	"slices"
	"testing"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/internal/testutil"
)

func openFeeds(t testing.TB, rels ...string) []*gtfs.Feed {
	t.Helper()
	var feeds []*gtfs.Feed
	for _, rel := range rels {
		f, err := gtfs.Open(testutil.SharedData(t, rel))
		if err != nil {
			t.Fatal(err)
		}
		feeds = append(feeds, f)
	}
	return feeds
}

// TestPeribusOracle leaves every stop of Péribus at 08:00:00 on
// 2026-01-13 with no board slack and same-stop transfers only (the
// acceptance setting of vingt isochrone --stops-csv), and with the
// defaults from a sample of stops: the router and the oracle agree on
// every stop.
func TestPeribusOracle(t *testing.T) {
	feeds := openFeeds(t, "perigueux/peribus-gtfs.zip")
	date, _ := gtfs.ParseDate("2026-01-13")
	acceptance := DefaultParams()
	acceptance.BoardSlack, acceptance.MaxTransferWalk = 0, 0
	for _, c := range []struct {
		name  string
		p     Params
		every int
	}{{"acceptance", acceptance, 1}, {"defaults", DefaultParams(), 7}} {
		t.Run(c.name, func(t *testing.T) {
			tt, err := Compile(feeds, date, c.p)
			if err != nil {
				t.Fatal(err)
			}
			o := newOracle(feeds, date, c.p)
			r := NewRouter(tt)
			reached := 0
			for s := 0; s < tt.NumStops(); s += c.every {
				acc := []Access{{Stop: int32(s)}}
				got := r.Query(acc, 8*3600)
				want := o.query(acc, 8*3600)
				if !slices.Equal(got, want) {
					for x := range got {
						if got[x] != want[x] {
							t.Fatalf("from %s: at %s router %d, oracle %d", tt.Stop(int32(s)).ID, tt.Stop(int32(x)).ID, got[x], want[x])
						}
					}
				}
				for _, a := range got {
					if a != Unreached {
						reached++
					}
				}
			}
			if reached == 0 {
				t.Fatal("no stop reached from any stop")
			}
			t.Logf("%d stop arrivals compared", reached)
		})
	}
}

// TestRangeAllocs checks that a range search allocates nothing once the
// router is warm.
func TestRangeAllocs(t *testing.T) {
	feeds := openFeeds(t, "perigueux/peribus-gtfs.zip")
	date, _ := gtfs.ParseDate("2026-01-13")
	tt, err := Compile(feeds, date, DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	r := NewRouter(tt)
	acc := tt.StopsNear(45.1846, 0.7214, 900, nil)
	sum := int32(0)
	fn := func(dep int32, arr []int32) { sum += arr[0] }
	r.Range(acc, 8*3600, 10*3600, 60, fn)
	if n := testing.AllocsPerRun(5, func() { r.Range(acc, 8*3600, 10*3600, 60, fn) }); n != 0 {
		t.Errorf("%v allocations per range search, want 0", n)
	}
	if n := testing.AllocsPerRun(5, func() { r.Query(acc, 8*3600) }); n != 0 {
		t.Errorf("%v allocations per query, want 0", n)
	}
}

// TestPreviousDay checks on Caltrain that a trip of the day before
// running at 25:43 is routed at 01:43 of the date.
func TestPreviousDay(t *testing.T) {
	feeds := openFeeds(t, "gtfs-fixtures/partridge/caltrain-2017-07-24")
	f := feeds[0]
	// The service of the trip that arrives at 25:43, and a day it runs.
	var svc *gtfs.Service
	for i := range f.Trips {
		tr := &f.Trips[i]
		if f.Arrival(tr, int(tr.N)-1) == 25*3600+43*60 {
			svc = &f.Services[tr.Service]
		}
	}
	if svc == nil {
		t.Fatal("no trip arrives at 25:43")
	}
	day := svc.Start
	for !svc.Active(day) {
		day = day.AddDays(1)
	}
	tt, err := Compile(feeds, day.AddDays(1), DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if tt.Stats().PreviousDayTrips == 0 {
		t.Fatal("no trip of the previous day past midnight")
	}
	found := false
	for _, a := range tt.arr {
		found = found || a == 25*3600+43*60-86400
	}
	if !found {
		t.Errorf("the 25:43 arrival of %s is not at 01:43 of the next day", day)
	}
}

// TestRangeEqualsQueriesReal checks on Péribus and Porto Alegre that a
// range search gives, minute by minute, what single searches give.
func TestRangeEqualsQueriesReal(t *testing.T) {
	for _, c := range benchCases {
		t.Run(c.name, func(t *testing.T) {
			feeds := openFeeds(t, c.feeds...)
			date, _ := gtfs.ParseDate(c.date)
			tt, err := Compile(feeds, date, DefaultParams())
			if err != nil {
				t.Fatal(err)
			}
			r, single := NewRouter(tt), NewRouter(tt)
			acc := tt.StopsNear(c.lat, c.lon, 900, nil)
			if len(acc) == 0 {
				t.Fatal("no access stop")
			}
			window := int32(120 * 60)
			if testing.Short() {
				window = 30 * 60
			}
			count, reached := 0, 0
			r.Range(acc, c.at, c.at+window, 60, func(dep int32, got []int32) {
				count++
				want := single.Query(acc, dep)
				for s := range got {
					if got[s] != want[s] {
						t.Fatalf("departure %s: stop %s: range %d, single %d", hhmm(dep), tt.Stop(int32(s)).ID, got[s], want[s])
					}
					if got[s] != Unreached {
						reached++
					}
				}
			})
			if count != int(window/60) || reached == 0 {
				t.Fatalf("%d departures, %d arrivals", count, reached)
			}
			t.Logf("%d departures, %d stop arrivals compared", count, reached)
		})
	}
}

// TestPortoAlegreOracle compares the router with the oracle on the two
// feeds of Porto Alegre (bus and train, namespaced stops, footpaths across
// feeds) with the default parameters, from a sample of stops and from a
// point, at 14:00 on 2019-05-13.
func TestPortoAlegreOracle(t *testing.T) {
	if testing.Short() {
		t.Skip("slow oracle on 4,000 stops")
	}
	c := benchCases[1]
	feeds := openFeeds(t, c.feeds...)
	date, _ := gtfs.ParseDate(c.date)
	p := DefaultParams()
	tt, err := Compile(feeds, date, p)
	if err != nil {
		t.Fatal(err)
	}
	o := newOracle(feeds, date, p)
	r := NewRouter(tt)
	queries := [][]Access{tt.StopsNear(c.lat, c.lon, p.MaxWalk, nil)}
	for s := 0; s < tt.NumStops(); s += 97 {
		queries = append(queries, []Access{{Stop: int32(s)}})
	}
	reached := 0
	for _, acc := range queries {
		got := r.Query(acc, c.at)
		want := o.query(acc, c.at)
		for x := range got {
			if got[x] != want[x] {
				t.Fatalf("from %v: at %s router %d, oracle %d", acc, tt.Stop(int32(x)).ID, got[x], want[x])
			}
			if got[x] != Unreached {
				reached++
			}
		}
	}
	if reached == 0 {
		t.Fatal("no stop reached")
	}
	t.Logf("%d queries, %d stop arrivals compared", len(queries), reached)
}
