package router

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/walk"
)

// TestJourneyLegs rebuilds the journey of the walking-transfer network:
//
//	origin ~~walk~~ A ──R1── B ~~walk~~ C ──R2── D
func TestJourneyLegs(t *testing.T) {
	c := tableCase{
		stops: "A 0.00\nB 0.01\nC 0.013\nD 0.03",
		trips: "R1 T1 D: A 08:00 B 08:10\nR2 T2 D: C 08:16 D 08:30\nR2 T3 D: C 08:17 D 08:35",
	}
	date, _ := gtfs.ParseDate("2026-01-13")
	tt, err := Compile([]*gtfs.Feed{tableFeed(t, c)}, date, DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	id := func(s int32) string {
		if s < 0 {
			return "origin"
		}
		return tt.Stop(s).ID
	}
	a, _ := tt.FindStop("A")
	d, _ := tt.FindStop("D")
	r := NewRouter(tt)
	r.Query([]Access{{Stop: a, Seconds: 120}}, 7*3600+55*60)
	j, ok := r.Journey(d)
	if !ok {
		t.Fatal("no journey to D")
	}
	var got []string
	for _, l := range j.Legs {
		got = append(got, strings.Join([]string{l.Kind.String(), id(l.From), id(l.To), hhmm(l.Depart), hhmm(l.Arrive), l.Route, l.Trip}, " "))
	}
	want := []string{
		"walk origin A 07:55:00 07:57:00  ",
		"ride A B 08:00:00 08:10:00 R1 T1",
		"transfer B C 08:10:00 08:15:34  ",
		"ride C D 08:17:00 08:35:00 R2 T3",
	}
	if !slices.Equal(got, want) {
		t.Errorf("legs:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if j.Transfers() != 1 || j.Arrival() != 8*3600+35*60 {
		t.Errorf("%d transfers, arrival %s", j.Transfers(), hhmm(j.Arrival()))
	}
	if _, ok := r.Journey(a); ok {
		t.Error("a journey to A, reached by the access walk only")
	}
}

// TestStopsNear compares the spatial index with a scan of every stop.
func TestStopsNear(t *testing.T) {
	feeds := openFeeds(t, "perigueux/peribus-gtfs.zip")
	date, _ := gtfs.ParseDate("2026-01-13")
	tt, err := Compile(feeds, date, DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	found := 0
	for range 300 {
		lat, lon := 45.15+rng.Float64()*0.08, 0.66+rng.Float64()*0.12
		limit := int32(rng.IntN(1200))
		var want []Access
		for s := range int32(tt.NumStops()) {
			st := tt.Stop(s)
			if !st.HasCoords || tt.stopPatOff[s] == tt.stopPatOff[s+1] {
				continue
			}
			cf := walk.CrowFly{Speed: tt.Params().WalkSpeed, Detour: tt.Params().Detour}
			if w := cf.Seconds(gtfs.Distance(lat, lon, st.Lat, st.Lon)); w <= limit {
				want = append(want, Access{Stop: s, Seconds: w})
			}
		}
		got := tt.StopsNear(lat, lon, limit, []Access{{Stop: -1}})
		if got[0].Stop != -1 || !slices.Equal(got[1:], want) {
			t.Fatalf("near %.5f,%.5f within %d s: %v, want %v", lat, lon, limit, got[1:], want)
		}
		any := tt.StopsNearAnyOrder(lat, lon, limit, nil)
		slices.SortFunc(any, func(a, b Access) int { return int(a.Stop - b.Stop) })
		if !slices.Equal(any, want) {
			t.Fatalf("near %.5f,%.5f within %d s in any order: %v, want %v", lat, lon, limit, any, want)
		}
		found += len(want)
	}
	if found == 0 {
		t.Fatal("no stop near any point")
	}
}

func TestParamsValidate(t *testing.T) {
	if err := DefaultParams().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		set  func(*Params)
		want string
	}{
		{func(p *Params) { p.WalkSpeed = 0 }, "walk: walk speed"},
		{func(p *Params) { p.Detour = 0.5 }, "walk: detour"},
		{func(p *Params) { p.MaxWalk = -1 }, "max walk"},
		{func(p *Params) { p.MaxTransferWalk = -1 }, "max transfer walk"},
		{func(p *Params) { p.BoardSlack = -1 }, "board slack"},
		{func(p *Params) { p.MaxTransfers = -1 }, "max transfers"},
		{func(p *Params) { p.MaxDuration = 0 }, "max duration"},
	} {
		p := DefaultParams()
		c.set(&p)
		err := p.Validate()
		if err == nil || !strings.HasPrefix(err.Error(), "router: "+c.want) {
			t.Errorf("%+v: %v, want %q", p, err, c.want)
		}
		if _, err := Compile([]*gtfs.Feed{{Name: "x"}}, 20260113, p); err == nil {
			t.Errorf("%+v: compiled", p)
		}
	}
	if _, err := Compile(nil, 20260113, DefaultParams()); err == nil {
		t.Error("compiled without feed")
	}
}

// TestMinTimeAbsent checks that a transfer_type 2 row without its time,
// which only a feed built by hand can hold, is taken as 0 with a warning.
func TestMinTimeAbsent(t *testing.T) {
	f := tableFeed(t, tableCase{
		stops: "A 0.00\nB 0.01\nD 0.03",
		trips: "R1 T1 D: A 08:00 B 08:10\nR2 T3 D: B 08:11 D 08:30",
	})
	b := int32(slices.IndexFunc(f.Stops, func(s gtfs.Stop) bool { return s.ID == "B" }))
	f.Transfers = append(f.Transfers, gtfs.Transfer{From: b, To: b, Type: gtfs.TransferMinTime, MinTime: -1,
		FromRoute: gtfs.None, ToRoute: gtfs.None, FromTrip: gtfs.None, ToTrip: gtfs.None})
	tt, err := Compile([]*gtfs.Feed{f}, 20260113, DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	if w := tt.Warnings(); len(w.List) != 1 || !strings.Contains(w.List[0].Kind, "min_transfer_time") {
		t.Errorf("warnings %+v", w.List)
	}
	a, _ := tt.FindStop("A")
	d, _ := tt.FindStop("D")
	if got := NewRouter(tt).Query([]Access{{Stop: a}}, 7*3600+55*60)[d]; got != 8*3600+30*60 {
		t.Errorf("D at %s, want 08:30:00", hhmm(got))
	}
}
