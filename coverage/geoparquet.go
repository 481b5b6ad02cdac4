package coverage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/paulmach/orb/geojson"

	"github.com/vingt/vingt/table"
)

// isTable tells whether b is a Parquet or Arrow IPC file (by its magic
// bytes): a GeoParquet or GeoArrow input.
func isTable(b []byte) bool {
	return bytes.HasPrefix(b, []byte("PAR1")) || bytes.HasPrefix(b, []byte("ARROW1"))
}

// tableFeatures returns the rows of a GeoParquet (or Arrow IPC) file as
// features, so that every reader of GeoJSON reads it too: the geometry is
// the primary geometry column's (nil where null), the properties the
// other columns' non-null values (strings; integers as their decimal
// text, exact; floats as numbers). Columns of other types are left out.
func tableFeatures(path string, b []byte) ([]*geojson.Feature, error) {
	t, _, err := table.ReadInput(path, b)
	if err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	geom := -1
	var meta struct {
		PrimaryColumn string `json:"primary_column"`
	}
	if g, ok := t.Metadata["geo"]; ok {
		if err := json.Unmarshal([]byte(g), &meta); err != nil {
			return nil, &InputError{Path: path, Field: "geo metadata", Err: err}
		}
	}
	for i := range t.Columns {
		c := &t.Columns[i]
		if c.Kind == table.Geometry && (geom < 0 || c.Name == meta.PrimaryColumn) {
			geom = i
		}
	}
	if geom < 0 {
		return nil, &InputError{Path: path, Err: errors.New("no geometry column (want GeoParquet: WKB named in the \"geo\" metadata)")}
	}
	n := t.Columns[geom].Len()
	fs := make([]*geojson.Feature, n)
	for r := range n {
		fs[r] = &geojson.Feature{Type: "Feature", Geometry: t.Columns[geom].Geom[r], Properties: geojson.Properties{}}
	}
	for i := range t.Columns {
		c := &t.Columns[i]
		if i == geom || c.Kind == table.Geometry {
			continue
		}
		for r := range n {
			if !c.IsValid(r) {
				continue
			}
			var v any
			switch c.Kind {
			case table.String:
				v = c.String[r]
			case table.Int64:
				v = strconv.FormatInt(c.Int[r], 10)
			case table.Float64:
				v = c.Float[r]
			case table.Bool:
				v = c.Bool[r]
			default:
				return nil, &InputError{Path: path, Field: c.Name, Err: fmt.Errorf("column kind %v", c.Kind)}
			}
			fs[r].Properties[c.Name] = v
		}
	}
	return fs, nil
}
