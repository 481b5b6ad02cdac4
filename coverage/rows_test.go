package coverage

import (
	"reflect"
	"testing"
)

// TestRowsAndPick: Rows(lo, hi) and Pick of the same cells give the same
// per-cell results, every per-cell field included (impact too), as the
// whole results at those cells: a field added to Results or Impact and
// left out of either fails here.
func TestRowsAndPick(t *testing.T) {
	const n, nk, np = 7, 2, 3
	res := &Results{Params: Params{Percentiles: []float64{10, 50, 90}}, Categories: []string{"a", "b"},
		TravelTime: make([]float64, n*nk*np), Share: make([]float64, n*nk), Served: make([]bool, n*nk),
		ServedAll: make([]bool, n), Routed: make([]bool, n), Territory: [][]int32{make([]int32, n)},
		Impact: &Impact{Nearest: make([]int32, n*nk), Sole: make([][]int32, n*nk), AtPercentile: make([]int32, n*nk), IDs: [][]string{{"p"}, {"q"}}}}
	for i := range res.TravelTime {
		res.TravelTime[i] = float64(i)
	}
	for i := range n * nk {
		res.Share[i], res.Served[i] = float64(i)/100, i%3 == 0
		res.Impact.Nearest[i], res.Impact.AtPercentile[i], res.Impact.Sole[i] = int32(i), int32(-i), []int32{int32(i)}
	}
	for c := range n {
		res.ServedAll[c], res.Routed[c], res.Territory[0][c] = c%2 == 0, c%3 == 0, int32(c)
	}
	// Every field of Results and Impact is set: a new one left at its
	// zero value is caught.
	for _, v := range []reflect.Value{reflect.ValueOf(*res), reflect.ValueOf(*res.Impact)} {
		for i := range v.NumField() {
			if v.Field(i).IsZero() {
				t.Fatalf("field %s not set by the test: set it, and slice it in Rows and Pick", v.Type().Field(i).Name)
			}
		}
	}
	lo, hi := 2, 5
	rows := res.Rows(lo, hi)
	pick := res.Pick([]int{2, 3, 4})
	if !reflect.DeepEqual(rows, pick) {
		t.Fatalf("Rows(2, 5) and Pick(2, 3, 4) differ:\n%+v\n%+v", rows, pick)
	}
	if rows.TravelTime[0] != float64(lo*nk*np) || rows.Impact.AtPercentile[0] != int32(-lo*nk) || rows.Territory[0][0] != int32(lo) || len(rows.Routed) != hi-lo {
		t.Errorf("Rows(2, 5) does not start at cell 2: %+v", rows)
	}
}
