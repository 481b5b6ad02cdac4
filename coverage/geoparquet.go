package coverage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/vingt/vingt/table"
)

// isTable tells whether b is a Parquet or Arrow IPC file (by its magic
// bytes): a GeoParquet or GeoArrow input.
func isTable(b []byte) bool {
	return bytes.HasPrefix(b, []byte("PAR1")) || bytes.HasPrefix(b, []byte("ARROW1"))
}

// features is what a reader of features reads: GeoJSON features, or the
// rows of a GeoParquet file.
type features interface {
	// Len is the number of features.
	Len() int
	// Geometry is feature i's geometry, nil when it has none.
	Geometry(i int) orb.Geometry
	// Prop is prop of feature i.
	Prop(i int, names ...string) (key, value string, ok bool)
}

// geojsonFeatures are the features of a GeoJSON file.
type geojsonFeatures []*geojson.Feature

func (fs geojsonFeatures) Len() int                    { return len(fs) }
func (fs geojsonFeatures) Geometry(i int) orb.Geometry { return fs[i].Geometry }
func (fs geojsonFeatures) Prop(i int, names ...string) (string, string, bool) {
	return prop(fs[i], names...)
}

// tableRows are the rows of a GeoParquet (or Arrow IPC) file as features:
// the geometry is the primary geometry column's (nil where null), the
// properties the other columns' non-null values (strings; integers as
// their decimal text, exact; floats as numbers; booleans, which no
// reader takes). They are read from the columns, with no map per row.
type tableRows struct {
	t    *table.Table
	geom int
	// keys are the property columns' names, sorted, and col their
	// indices in t.
	keys []string
	col  map[string]int
}

// readTableRows reads a GeoParquet (or Arrow IPC) file held in b.
func readTableRows(path string, b []byte) (*tableRows, error) {
	t, _, err := table.ReadInput(path, b)
	if err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	var meta struct {
		PrimaryColumn string `json:"primary_column"`
	}
	if g, ok := t.Metadata["geo"]; ok {
		if err := json.Unmarshal([]byte(g), &meta); err != nil {
			return nil, &InputError{Path: path, Field: "geo metadata", Err: err}
		}
	}
	r := &tableRows{t: t, geom: -1, col: map[string]int{}}
	for i := range t.Columns {
		c := &t.Columns[i]
		if c.Kind == table.Geometry && (r.geom < 0 || c.Name == meta.PrimaryColumn) {
			r.geom = i
		}
	}
	if r.geom < 0 {
		return nil, &InputError{Path: path, Err: errors.New("no geometry column (want GeoParquet: WKB named in the \"geo\" metadata)")}
	}
	for i := range t.Columns {
		if c := &t.Columns[i]; c.Kind != table.Geometry {
			r.keys, r.col[c.Name] = append(r.keys, c.Name), i
		}
	}
	slices.Sort(r.keys)
	return r, nil
}

func (r *tableRows) Len() int                    { return r.t.Columns[r.geom].Len() }
func (r *tableRows) Geometry(i int) orb.Geometry { return r.t.Columns[r.geom].Geom[i] }

// value is column k's value at row i as a GeoJSON property (nil when
// null).
func (r *tableRows) value(k string, i int) any {
	c := &r.t.Columns[r.col[k]]
	if !c.IsValid(i) {
		return nil
	}
	switch c.Kind {
	case table.String:
		return c.String[i]
	case table.Int64:
		return strconv.FormatInt(c.Int[i], 10)
	case table.Float64:
		return c.Float[i]
	case table.Bool:
		return c.Bool[i]
	}
	return nil
}

// Prop is prop over the columns: the exact name first, then the names
// equal but for case, in sorted order; a null or unreadable value is no
// value.
func (r *tableRows) Prop(i int, names ...string) (string, string, bool) {
	for _, n := range names {
		if _, ok := r.col[n]; ok {
			if v, ok := propString(r.value(n, i)); ok {
				return n, v, true
			}
		}
		for _, k := range r.keys {
			if strings.EqualFold(k, n) {
				if v, ok := propString(r.value(k, i)); ok {
					return k, v, true
				}
			}
		}
	}
	return "", "", false
}

// asGeoJSON returns the rows as GeoJSON features, properties in maps.
func (r *tableRows) asGeoJSON() []*geojson.Feature {
	fs := make([]*geojson.Feature, r.Len())
	for i := range fs {
		f := &geojson.Feature{Type: "Feature", Geometry: r.Geometry(i), Properties: geojson.Properties{}}
		for _, k := range r.keys {
			if v := r.value(k, i); v != nil {
				f.Properties[k] = v
			}
		}
		fs[i] = f
	}
	return fs
}
