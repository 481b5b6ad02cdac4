package table_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/paulmach/orb"

	"github.com/vingt/vingt/table"
)

// ExampleWrite writes a table of two cells as GeoParquet and reads it
// back: a string, a nullable float (null where no time was found) and a
// geometry column, recorded in the "geo" metadata with its bbox.
func ExampleWrite() {
	dir, err := os.MkdirTemp("", "table-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)

	t := &table.Table{Columns: []table.Column{
		{Name: "cell_id", Kind: table.String, String: []string{"F", "G"}},
		{Name: "tt_p50", Kind: table.Float64, Float: []float64{0, 420}, Valid: []bool{false, true}},
		{Name: "geometry", Kind: table.Geometry, Geom: []orb.Geometry{orb.Point{1.0, 0.00027}, orb.Point{1.052, 0.00027}}},
	}}
	path := filepath.Join(dir, "cells.parquet")
	if err := table.Write(path, table.Parquet, t); err != nil {
		fmt.Println(err)
		return
	}

	back, err := table.Read(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	ids, tt := back.Column("cell_id"), back.Column("tt_p50")
	for i := range back.Len() {
		if tt.IsValid(i) {
			fmt.Printf("%s: %.0f s\n", ids.String[i], tt.Float[i])
		} else {
			fmt.Printf("%s: null\n", ids.String[i])
		}
	}
	fmt.Println(back.Metadata["geo"])
	// Output:
	// F: null
	// G: 420 s
	// {"version":"1.1.0","primary_column":"geometry","columns":{"geometry":{"encoding":"WKB","geometry_types":["Point"],"bbox":[1,0.00027,1.052,0.00027]}}}
}
