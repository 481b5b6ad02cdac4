package raster

import (
	"math/rand/v2"
	"testing"
)

// benchCells is a 1000×1000 window at density 0.6 (about 600,000 cells,
// many holes, islands and corner contacts), shuffled.
func benchCells() []Cell {
	rng := rand.New(rand.NewPCG(5, 6))
	cells := randomCells(rng, 1000, 1000, 0.6)
	rng.Shuffle(len(cells), func(i, j int) { cells[i], cells[j] = cells[j], cells[i] })
	return cells
}

func BenchmarkTrace(b *testing.B) {
	cells := benchCells()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Trace(cells)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(cells)), "ns/cell")
}

// BenchmarkGEOSUnion is the oracle's cost on a tenth of the workload.
func BenchmarkGEOSUnion(b *testing.B) {
	cells := benchCells()[:60000]
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		geosUnion(b, cells, grid)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(cells)), "ns/cell")
}
