package duckread_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/vingt/vingt/coverage"
	"github.com/vingt/vingt/internal/duckread"
	"github.com/vingt/vingt/internal/testutil"
)

// TestDuckDBReadsPartitions: DuckDB reads the partitioned cells of the
// Dordogne run as one table equal, row for row, to the unpartitioned
// cells.parquet (EXCEPT ALL both ways is empty), with the cells outside
// every EPCI in the null partition.
func TestDuckDBReadsPartitions(t *testing.T) {
	if testing.Short() {
		t.Skip("two Dordogne runs: not under -short")
	}
	testutil.SharedData(t, "perigueux/peribus-gtfs.zip")
	testutil.SharedData(t, "dordogne/population/census2021_1km_dordogne_bbox.csv")
	cfg, err := coverage.LoadConfig(filepath.Join("..", "..", "testdata", "configs", "dordogne.toml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, part := range []string{"", "epci"} {
		cfg.Out, cfg.Partition = filepath.Join(dir, "run-"+part), part
		job, err := cfg.Job()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := coverage.Run(context.Background(), job, coverage.Hooks{}); err != nil {
			t.Fatal(err)
		}
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	whole := fmt.Sprintf("SELECT * FROM read_parquet('%s')", filepath.Join(dir, "run-", "cells.parquet"))
	rows, err := db.Query("SELECT column_name FROM (DESCRIBE " + whole + ")")
	if err != nil {
		t.Fatal(err)
	}
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, `"`+c+`"`)
	}
	rows.Close()
	if len(cols) < 5 {
		t.Fatalf("columns %v", cols)
	}
	parts := "SELECT " + strings.Join(cols, ", ") + " FROM (" + duckread.Query(filepath.Join(dir, "run-epci", "cells"), "epci") + ")"
	count := func(q string) int {
		t.Helper()
		var n int
		if err := db.QueryRow("SELECT count(*) FROM (" + q + ")").Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	n, m := count(whole), count(parts)
	if n == 0 || n != m {
		t.Fatalf("DuckDB reads %d cells from the dataset, %d from cells.parquet", m, n)
	}
	if d := count(whole + " EXCEPT ALL " + parts); d != 0 {
		t.Errorf("%d rows of cells.parquet are not in the dataset", d)
	}
	if d := count(parts + " EXCEPT ALL " + whole); d != 0 {
		t.Errorf("%d rows of the dataset are not in cells.parquet", d)
	}
	if nulls := count(parts + " WHERE epci IS NULL"); nulls == 0 || nulls != count(whole+" WHERE epci IS NULL") {
		t.Errorf("%d cells in the null partition", nulls)
	}
}
