package streets

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestChunks checks chunks against a slice through random appends and
// truncations across chunk boundaries.
func TestChunks(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var l chunks[int64]
	var want []int64
	most := 0
	for step := range 2000 {
		switch r := rng.IntN(10); {
		case r < 8:
			for range rng.IntN(3 * chunkLen / 100) {
				x := rng.Int64()
				l.append(x)
				want = append(want, x)
			}
		default:
			n := len(want) - rng.IntN(min(len(want), chunkLen/20)+1)
			if rng.IntN(20) == 0 {
				n = n / chunkLen * chunkLen // on a boundary
			}
			l.truncate(n)
			want = want[:n]
		}
		most = max(most, len(want))
		if l.len() != len(want) {
			t.Fatalf("step %d: length %d, want %d", step, l.len(), len(want))
		}
	}
	if most < 2*chunkLen || len(want) < chunkLen {
		t.Fatalf("at most %d items, %d at the end: too few chunk boundaries crossed", most, len(want))
	}
	got := l.slice()
	if !slices.Equal(got, want) || cap(got) != len(want) || l.len() != 0 || l.c != nil {
		t.Fatalf("slice: %d items (cap %d), want %d; list left with %d", len(got), cap(got), len(want), l.len())
	}
}
