package router

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vingt/vingt/gtfs"
)

// TestTripsBySequence checks tripsBySequence against the plain order it
// replaces: a text per trip, "stop/noPickup/noDropOff," per stop, and a
// stable sort of all trips by (text, first departure). Péribus, Porto
// Alegre (two feeds), Caltrain at a date with trips of the day before
// past midnight, and the generated overtaking feed; the same trips in the
// same order, one group per distinct text.
func TestTripsBySequence(t *testing.T) {
	cases := []struct {
		feeds []*gtfs.Feed
		date  string
	}{
		{openFeeds(t, "perigueux/peribus-gtfs.zip"), "2026-01-13"},
		{openFeeds(t, "porto-alegre/poa_eptc.zip", "porto-alegre/poa_trensurb.zip"), "2019-05-13"},
		{openFeeds(t, "gtfs-fixtures/partridge/caltrain-2017-07-24"), "2017-07-25"},
	}
	shifted := 0
	for _, c := range cases {
		date, err := gtfs.ParseDate(c.date)
		if err != nil {
			t.Fatal(err)
		}
		tt := &Timetable{params: DefaultParams()}
		offsets := make([]int32, len(c.feeds))
		n := int32(0)
		for fi, f := range c.feeds {
			offsets[fi] = n
			n += int32(len(f.Stops))
		}
		insts, start, stopTimes, err := tt.tripsBySequence(context.Background(), c.feeds, offsets, date)
		if err != nil {
			t.Fatal(err)
		}
		// The plain order.
		type plain struct {
			instance
			key string
		}
		var want []plain
		wantStopTimes := 0
		for fi, f := range c.feeds {
			today, yesterday := f.ActiveServices(date), f.ActiveServices(date.AddDays(-1))
			for ti := range f.Trips {
				tr := &f.Trips[ti]
				if tr.N < 2 {
					continue
				}
				for _, shift := range []int32{0, -86400} {
					if shift == 0 && !today[tr.Service] || shift != 0 && (!yesterday[tr.Service] || f.Arrival(tr, int(tr.N)-1) < 86400) {
						continue
					}
					var key []byte
					for k := range int(tr.N) {
						st := int(tr.First) + k
						key = strconv.AppendInt(key, int64(offsets[fi]+f.StopTimes.Stop[st]), 10)
						key = append(key, '/')
						key = strconv.AppendBool(key, f.StopTimes.Pickup[st] == gtfs.NoService)
						key = append(key, '/')
						key = strconv.AppendBool(key, f.StopTimes.DropOff[st] == gtfs.NoService)
						key = append(key, ',')
					}
					want = append(want, plain{instance{feed: int32(fi), trip: int32(ti), shift: shift, first: f.Departure(tr, 0) + shift}, string(key)})
					wantStopTimes += int(tr.N)
				}
			}
		}
		slices.SortStableFunc(want, func(a, b plain) int {
			if c := strings.Compare(a.key, b.key); c != 0 {
				return c
			}
			return cmp.Compare(a.first, b.first)
		})
		if len(insts) != len(want) || stopTimes != wantStopTimes {
			t.Fatalf("%s: %d trips, %d stop times; want %d, %d", c.feeds[0].Name, len(insts), stopTimes, len(want), wantStopTimes)
		}
		groups := 0
		for i, w := range want {
			g := insts[i]
			if g.feed != w.feed || g.trip != w.trip || g.shift != w.shift || g.first != w.first {
				t.Fatalf("%s: trip %d: %+v, want %+v", c.feeds[0].Name, i, g, w.instance)
			}
			if i == 0 || w.key != want[i-1].key {
				if int(start[groups]) != i {
					t.Fatalf("%s: group %d starts at %d, want %d", c.feeds[0].Name, groups, start[groups], i)
				}
				groups++
			}
			if w.shift != 0 {
				shifted++
			}
		}
		if len(start) != groups+1 || int(start[groups]) != len(want) {
			t.Fatalf("%s: %d groups, want %d", c.feeds[0].Name, len(start)-1, groups)
		}
	}
	if shifted == 0 {
		t.Error("no trip of the day before: the shift is not exercised")
	}
}

// TestFindSeq checks findSeq where the hash cannot tell sequences apart:
// trips that agree on the five rows it hashes but not on the others (a
// middle stop, a pickup refusal), trips that differ only in pickup types
// that are both served (the same sequence), and the same rows in two
// feeds (other stops once offset).
func TestFindSeq(t *testing.T) {
	// Seven stops a trip; rows 0, 1, 3, 5, 6 are hashed (n/4 = 1, n/2 =
	// 3, 3n/4 = 5).
	base := []int32{10, 11, 12, 13, 14, 15, 16}
	trips := [][]int32{base, {10, 11, 99, 13, 14, 15, 16}, base, base, {10, 11, 12, 13, 98, 15, 16}}
	f := &gtfs.Feed{}
	for i, stops := range trips {
		f.Trips = append(f.Trips, gtfs.Trip{First: int32(len(f.StopTimes.Stop)), N: int32(len(stops))})
		for k, s := range stops {
			f.StopTimes.Stop = append(f.StopTimes.Stop, s)
			pickup := gtfs.Regular
			if i == 2 && k == 2 {
				pickup = gtfs.NoService // an unhashed row refuses pickup
			}
			if i == 3 && k == 4 {
				pickup = gtfs.PhoneAgency // served: the same sequence as trip 0
			}
			f.StopTimes.Pickup = append(f.StopTimes.Pickup, pickup)
			f.StopTimes.DropOff = append(f.StopTimes.DropOff, gtfs.Regular)
		}
	}
	g := &gtfs.Feed{Trips: f.Trips[:1], StopTimes: f.StopTimes}
	feeds := []*gtfs.Feed{f, g}
	offsets := []int32{0, 100}
	var seqs []seqTrip
	byHash := map[uint64][]int32{}
	add := func(fi, ti int32) int32 {
		q := findSeq(feeds, offsets, seqs, byHash, fi, ti)
		if int(q) == len(seqs) {
			seqs = append(seqs, seqTrip{feed: fi, trip: ti})
		}
		return q
	}
	got := []int32{add(0, 0), add(0, 1), add(0, 2), add(0, 3), add(0, 4), add(1, 0), add(0, 0)}
	if want := []int32{0, 1, 2, 0, 3, 4, 0}; !slices.Equal(got, want) {
		t.Errorf("sequences %v, want %v", got, want)
	}
	collided := false
	for _, qs := range byHash {
		collided = collided || len(qs) > 1
	}
	if !collided {
		t.Error("no two sequences share a hash: the comparison is not exercised")
	}
}
