package raster

import (
	"testing"
)

// FuzzTrace decodes cells from bytes (two bytes a cell, in a 16×16 window)
// and checks the trace against the GEOS union, in grid units and warped.
func FuzzTrace(f *testing.F) {
	f.Add([]byte{0, 0, 1, 1})
	f.Add([]byte{0, 0, 1, 0, 2, 0, 0, 1, 2, 1, 0, 2, 1, 2, 2, 2})
	f.Add([]byte{0, 0, 2, 0, 1, 1, 0, 2, 2, 2})
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 512 {
			b = b[:512]
		}
		var cells []Cell
		for i := 0; i+1 < len(b); i += 2 {
			cells = append(cells, Cell{int32(b[i] % 16), int32(b[i+1] % 16)})
		}
		checkAgainstGEOS(t, cells, grid)
		checkAgainstGEOS(t, cells, warp)
	})
}
