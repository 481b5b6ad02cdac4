package walk

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkWithin is a city's access query: 9,000 places over 20 × 20 km
// (as dense as Porto Alegre's 4,010 stops where the cells are), 15 minutes of walk at 1.3 m/s with a detour of
// 1.3 (~60 places found), from random points.
func BenchmarkWithin(b *testing.B) {
	rng := rand.New(rand.NewPCG(11, 12))
	places := make([]Place, 9000)
	for i := range places {
		places[i] = Place{Lat: -30.2 + rng.Float64()*0.18, Lon: -51.3 + rng.Float64()*0.2}
	}
	ix := CrowFly{Speed: 1.3, Detour: 1.3}.Index(places)
	qs := make([]Place, 1024)
	for i := range qs {
		qs[i] = Place{Lat: -30.17 + rng.Float64()*0.12, Lon: -51.27 + rng.Float64()*0.14}
	}
	var dst []Hit
	n := 0
	for i := 0; b.Loop(); i++ {
		dst = ix.Within(qs[i%len(qs)], 900, dst[:0])
		n += len(dst)
	}
	b.ReportMetric(float64(n)/float64(b.N), "hits/op")
}
