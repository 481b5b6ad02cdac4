package duckread_test

import (
	"fmt"

	"github.com/vingt/vingt/internal/duckread"
)

func ExampleQuery() {
	fmt.Println(duckread.Query("out/cells", "departement"))
	// Output: SELECT * FROM read_parquet('out/cells/*/*.parquet', hive_partitioning = true, hive_types = {'departement': VARCHAR})
}
