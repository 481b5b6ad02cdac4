package vingt_test

import (
	"fmt"
	"io/fs"

	"github.com/vingt/vingt"
)

// ExampleExample lists the run file and the inputs of the embedded
// example, which vingt run uses when given no input.
func ExampleExample() {
	fsys := vingt.Example()
	names, err := fs.Glob(fsys, "*")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, name := range names {
		fmt.Println(name)
	}
	// Output:
	// LICENSE
	// README.md
	// municipio.geojson
	// poa_eptc.zip
	// poa_hexgrid.csv
	// poa_trensurb.zip
	// vingt.toml
	// zones.geojson
}
