// Package duckread checks vingt's partitioned cells with a second
// reader: DuckDB reads cells/ (vingt run --partition) as one table, which
// its test compares with the unpartitioned cells.parquet; and DuckDB, a
// second writer, writes GeoParquet inputs in its own types, which vingt
// must read as the same features given as GeoJSON. The package itself
// only builds the query; DuckDB is a test dependency.
package duckread

import "fmt"

// Query returns the DuckDB SQL that reads the Hive-partitioned cells
// dataset under dir, partitioned by level, as one table: the partition
// column is text (territory codes such as 2A or 01 are not numbers), null
// for __HIVE_DEFAULT_PARTITION__.
func Query(dir, level string) string {
	return fmt.Sprintf("SELECT * FROM read_parquet('%s/*/*.parquet', hive_partitioning = true, hive_types = {'%s': VARCHAR})", dir, level)
}
