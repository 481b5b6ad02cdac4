// Package vingt holds what the vingt command embeds: the example run on
// r5r's Porto Alegre sample (MIT), with hand-drawn zones.
package vingt

import (
	"embed"
	"io/fs"
)

//go:embed testdata/example
var example embed.FS

// Example returns the embedded example: vingt.toml and the files it names.
func Example() fs.FS {
	sub, err := fs.Sub(example, "testdata/example")
	if err != nil {
		panic(err) // the path is a constant of this file
	}
	return sub
}
