package router

import (
	"testing"

	"github.com/vingt/vingt/gtfs"
)

type benchCase struct {
	name     string
	feeds    []string
	date     string
	at       int32
	lat, lon float64
}

var benchCases = []benchCase{
	{"peribus", []string{"perigueux/peribus-gtfs.zip"}, "2026-01-13", 8 * 3600, 45.1846, 0.7214},
	{"poa", []string{"porto-alegre/poa_eptc.zip", "porto-alegre/poa_trensurb.zip"}, "2019-05-13", 14 * 3600, -30.0277, -51.2287},
}

func BenchmarkCompile(b *testing.B) {
	for _, c := range benchCases {
		b.Run(c.name, func(b *testing.B) {
			feeds := openFeeds(b, c.feeds...)
			date, _ := gtfs.ParseDate(c.date)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Compile(feeds, date, DefaultParams()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func compiled(b *testing.B, c benchCase) *Timetable {
	feeds := openFeeds(b, c.feeds...)
	date, _ := gtfs.ParseDate(c.date)
	tt, err := Compile(feeds, date, DefaultParams())
	if err != nil {
		b.Fatal(err)
	}
	return tt
}

// BenchmarkQueryFromStop is a one-to-all search from every served stop in
// turn.
func BenchmarkQueryFromStop(b *testing.B) {
	for _, c := range benchCases {
		b.Run(c.name, func(b *testing.B) {
			tt := compiled(b, c)
			r := NewRouter(tt)
			// Only the stops some trip serves: a search from another
			// stop ends at once.
			var served []int32
			for s := range tt.NumStops() {
				if tt.stopPatOff[s] < tt.stopPatOff[s+1] {
					served = append(served, int32(s))
				}
			}
			acc := []Access{{}}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				acc[0].Stop = served[i%len(served)]
				r.Query(acc, c.at)
				i++
			}
			b.ReportMetric(float64(len(served)), "served_stops")
		})
	}
}

// BenchmarkQueryFromPoint is a one-to-all search from a point in the city
// centre (access walk to every stop within 15 minutes).
func BenchmarkQueryFromPoint(b *testing.B) {
	for _, c := range benchCases {
		b.Run(c.name, func(b *testing.B) {
			tt := compiled(b, c)
			r := NewRouter(tt)
			acc := tt.StopsNear(c.lat, c.lon, 900, nil)
			b.ReportAllocs()
			for b.Loop() {
				r.Query(acc, c.at)
			}
			b.ReportMetric(float64(len(acc)), "access_stops")
		})
	}
}

// BenchmarkRange120 is a 120-minute range search (one departure a minute)
// from the same point.
func BenchmarkRange120(b *testing.B) {
	for _, c := range benchCases {
		b.Run(c.name, func(b *testing.B) {
			tt := compiled(b, c)
			r := NewRouter(tt)
			acc := tt.StopsNear(c.lat, c.lon, 900, nil)
			fn := func(int32, []int32) {}
			b.ReportAllocs()
			for b.Loop() {
				r.Range(acc, c.at, c.at+7200, 60, fn)
			}
		})
	}
}

// BenchmarkCompileOvertaking compiles 100,000 trips along one sequence of
// stops that overtake one another (the feed is built outside the timer):
// the FIFO split into patterns must stay near-linear (it was quadratic:
// minutes for such a feed).
func BenchmarkCompileOvertaking(b *testing.B) {
	f := overtakingFeed(b, 100000)
	date, _ := gtfs.ParseDate("2026-01-13")
	b.ReportAllocs()
	var tt *Timetable
	for b.Loop() {
		var err error
		if tt, err = Compile([]*gtfs.Feed{f}, date, DefaultParams()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(tt.Stats().Patterns), "patterns")
}
