package output_test

import (
	"fmt"

	"github.com/vingt/vingt/output"
)

// Example names the columns a run writes for a category, and reads the
// parameters back from a manifest.
func Example() {
	fmt.Println(output.TravelTime("poste"), output.TravelTimeAt("poste", 12.5), output.Served("poste"))
	fmt.Println(output.CheckName("level", "population"))
	m, err := output.ParseManifest([]byte(`{"version":"1","parameters":{"threshold_seconds":1200},"outputs":["cells.parquet"]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Parameter("threshold_seconds"), m.Outputs)
	// Output:
	// travel_time_poste travel_time_poste_p12_5 served_poste
	// output: level name "population": a column of cells.parquet is named so already
	// 1200 [cells.parquet]
}
