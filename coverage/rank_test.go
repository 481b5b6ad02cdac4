package coverage

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/vingt/vingt/router"
)

// TestPercentileRank checks that summarise's percentile, a rank selected
// among the seconds, is the value Percentile finds among the sorted
// floats: for every n up to 200, percentiles on and off whole ranks, and
// values with many equal ones and Unreached.
func TestPercentileRank(t *testing.T) {
	rng := rand.New(rand.NewPCG(51, 52))
	qs := []float64{0, 0.1, 1, 10, 12.5, 25, 33.3, 33.333333333333336, 50, 66.7, 75, 90, 95, 99.9, 100}
	for n := 1; n <= 200; n++ {
		for range 5 {
			v := make([]int32, n)
			for i := range v {
				switch rng.IntN(4) {
				case 0:
					v[i] = router.Unreached
				case 1:
					v[i] = int32(60 * rng.IntN(3))
				default:
					v[i] = int32(rng.IntN(3600))
				}
			}
			sorted := slices.Clone(v)
			slices.Sort(sorted)
			floats := make([]float64, n)
			for i, x := range sorted {
				floats[i] = seconds(x)
			}
			for _, q := range qs {
				j := percentileRank(q, n)
				if want := Percentile(floats, q); seconds(sorted[j]) != want {
					t.Fatalf("n %d, q %v: rank %d gives %v, Percentile %v", n, q, j, seconds(sorted[j]), want)
				}
				w := slices.Clone(v)
				selectRank(w, j)
				if w[j] != sorted[j] {
					t.Fatalf("n %d, q %v: selected %d at %d, sorted %d", n, q, w[j], j, sorted[j])
				}
				for i := range w {
					if i < j && w[i] > w[j] || i > j && w[i] < w[j] {
						t.Fatalf("n %d: %v not partitioned at %d", n, w, j)
					}
				}
			}
		}
	}
}
