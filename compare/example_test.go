package compare_test

import (
	"fmt"

	"github.com/vingt/vingt/compare"
	"github.com/vingt/vingt/table"
)

// territories builds a territories table as vingt run writes it, for the
// two territories of the forbidden-transfer fixture.
func territories(coverage, gap []float64) *table.Table {
	return &table.Table{Columns: []table.Column{
		{Name: "level", Kind: table.String, String: []string{"zone", "zone"}},
		{Name: "code", Kind: table.String, String: []string{"T1", "T2"}},
		{Name: "name", Kind: table.String, String: []string{"Ouest", "Est"}},
		{Name: "population", Kind: table.Float64, Float: []float64{150, 60}},
		{Name: "coverage", Kind: table.Float64, Float: coverage},
		{Name: "gap_population", Kind: table.Float64, Float: gap},
	}}
}

// ExampleTerritories compares the run of the forbidden-transfer fixture
// with a run where transfers.txt allows the transfer from S2a to S2b:
// cell F (150 inhabitants) is then served in 17 minutes, so territory
// Ouest goes from no coverage to full coverage, beyond a tolerance of one
// percentage point; Est does not change, so it is not listed.
func ExampleTerritories() {
	forbidden := territories([]float64{0, 1}, []float64{150, 0})
	allowed := territories([]float64{1, 1}, []float64{0, 0})
	r, err := compare.Territories(forbidden, allowed, compare.Options{Tolerance: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range r.Territories {
		fmt.Printf("%s %s (%s): coverage %+.0f pp, gap population %+.0f\n", t.Level, t.Code, t.Name, t.CoverageChange, t.GapChange)
	}
	fmt.Println("exceeds the tolerance:", r.Exceeds)
	// Output:
	// zone T1 (Ouest): coverage +100 pp, gap population -150
	// exceeds the tolerance: true
}
