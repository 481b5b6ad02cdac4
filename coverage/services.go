package coverage

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/hours"
	"github.com/vingt/vingt/output"
)

// Point is a service point.
type Point struct {
	ID, Name string
	Lon, Lat float64
	// Hours are the point's opening hours; nil means always open (no
	// hours given, or hours that could not be read).
	Hours *hours.Schedule
}

// Category is one category of the basket and its service points.
type Category struct {
	Name, Path string
	Points     []Point
	Warnings   gtfs.Warnings
	// HoursColumn, when set, names the column (OpenStreetMap
	// opening_hours) or the prefix of the per-day columns (France
	// Services, "h_") holding the points' opening hours.
	HoursColumn string
}

// WithHours returns the number of points that have opening hours.
func (c *Category) WithHours() int {
	n := 0
	for i := range c.Points {
		if c.Points[i].Hours != nil {
			n++
		}
	}
	return n
}

// hoursReader returns the reader of the category's hours, nil without an
// hours column.
func (c *Category) hoursReader() *hoursReader {
	if c.HoursColumn == "" {
		return nil
	}
	return &hoursReader{column: c.HoursColumn}
}

// checkHours reports an hours column that no point of path has.
func (c *Category) checkHours(h *hoursReader, path string, n int) error {
	if h != nil && !h.found && n > 0 {
		return &InputError{Path: path, Line: 1, Field: c.HoursColumn, Err: errors.New("no such column (nor its per-day columns " + c.HoursColumn + "lundi … " + c.HoursColumn + "dimanche)")}
	}
	return nil
}

// ReadServices reads the points of a category from a specification
// CATEGORY=PATH[#COUNT][@HOURS]: #COUNT takes a CSV count column (a row
// counts where its value is > 0; a path that holds '#' is taken whole when
// such a file exists), @HOURS the opening hours column (an OpenStreetMap
// opening_hours column, or the prefix of the France Services per-day
// columns: "@h_" reads h_lundi … h_dimanche). CSV files name their coordinates with
// any usual column name (lat/lon, Latitude/Longitude, …); GeoJSON files
// hold points.
func ReadServices(spec string) (*Category, error) {
	name, path, ok := strings.Cut(spec, "=")
	if !ok || name == "" || path == "" {
		return nil, fmt.Errorf("coverage: services %q: want CATEGORY=PATH[#column][@hours_column]", spec)
	}
	if err := output.CheckName("category", name); err != nil {
		return nil, err
	}
	var hoursCol string
	if i := strings.LastIndexByte(path, '@'); i >= 0 {
		if _, err := os.Stat(path); err != nil {
			path, hoursCol = path[:i], path[i+1:]
			if hoursCol == "" {
				return nil, fmt.Errorf("coverage: services %q: an empty @hours column", spec)
			}
		}
	}
	path, column := splitColumn(path)
	c := &Category{Name: name, Path: path, HoursColumn: hoursCol}
	var err error
	if isFeatureFile(path) {
		if column != "" {
			return nil, fmt.Errorf("coverage: services %q: a #column applies to CSV files only", spec)
		}
		err = c.readGeoJSON(path, nil)
	} else {
		err = c.readCSV(path, column, "", nil)
	}
	if err != nil {
		return nil, err
	}
	if len(c.Points) == 0 {
		c.Warnings.Add("category without any point", name)
	}
	return c, nil
}

// rowFilter keeps a CSV row or not.
type rowFilter func(t *csvTable, r int) bool

// readCSV adds the points of a CSV file: with a count column, the rows
// where it is > 0; with a filter column, the rows keep accepts.
func (c *Category) readCSV(path, column, filter string, keep rowFilter) error {
	t, err := readTable(path)
	if err != nil {
		return err
	}
	iLon, iLat := t.col(lonNames...), t.col(latNames...)
	if iLon < 0 || iLat < 0 {
		return &InputError{Path: path, Line: 1, Err: errors.New("no longitude/latitude columns (lon, lng, longitude, x / lat, latitude, y)")}
	}
	iCount := -1
	if column != "" {
		if iCount = t.col(column); iCount < 0 {
			return &InputError{Path: path, Line: 1, Field: column, Err: errors.New("no such column")}
		}
	}
	if filter != "" && t.col(filter) < 0 {
		return &InputError{Path: path, Line: 1, Field: filter, Err: errors.New("no such column")}
	}
	hr := c.hoursReader()
	if hr != nil && t.col(c.HoursColumn) < 0 && t.col(c.HoursColumn+frenchDays[0]) < 0 {
		hr.found = false
		return c.checkHours(hr, path, 1)
	}
	iID := t.col("id", "identifiant_du_site", "identifiant", "code", "matricule", "uid")
	iName := t.col("name", "nom", "libellé_du_site", "libelle", "libellé", "lib_france_services")
	for r := range t.rows {
		if keep != nil && !keep(t, r) {
			continue
		}
		if iCount >= 0 && t.get(r, iCount) == "" {
			c.Warnings.Add("blank count (taken as 0)", fmt.Sprintf("%s:%d", filepath.Base(path), t.lines[r]))
			continue
		}
		if iCount >= 0 {
			v, err := t.float(r, iCount)
			if err != nil {
				return err
			}
			if v <= 0 {
				continue
			}
		}
		if t.get(r, iLon) == "" && t.get(r, iLat) == "" {
			c.Warnings.Add("point without coordinates (skipped)", fmt.Sprintf("%s:%d", filepath.Base(path), t.lines[r]))
			continue
		}
		lon, lat, err := t.lonLat(r, iLon, iLat)
		if err != nil {
			return err
		}
		if lon == 0 && lat == 0 {
			c.Warnings.Add("point at 0,0 (skipped: missing coordinates written as 0?)", fmt.Sprintf("%s:%d", filepath.Base(path), t.lines[r]))
			continue
		}
		id := t.get(r, iID)
		if id == "" {
			id = strconv.Itoa(t.lines[r])
		}
		pt := Point{ID: id, Name: t.get(r, iName), Lon: lon, Lat: lat}
		if hr != nil {
			pt.Hours = hr.read(func(k string) (string, bool) {
				i := t.col(k)
				if i < 0 {
					return "", false
				}
				return t.get(r, i), true
			}, fmt.Sprintf("%s:%d", filepath.Base(path), t.lines[r]), &c.Warnings)
		}
		c.Points = append(c.Points, pt)
	}
	return nil
}

// readGeoJSON adds the points of a GeoJSON or GeoParquet file (those
// whose properties keep accepts, when keep is set).
func (c *Category) readGeoJSON(path string, keep func(map[string]any) bool) error {
	fs, err := readFeatures(path)
	if err != nil {
		return err
	}
	hr := c.hoursReader()
	for i, f := range fs {
		where := fmt.Sprintf("feature %d", i+1)
		if keep != nil && !keep(f.Properties) {
			continue
		}
		if f.Geometry == nil {
			c.Warnings.Add("point without geometry (skipped)", fmt.Sprintf("%s: %s", filepath.Base(path), where))
			continue
		}
		if err := checkCoords(f.Geometry); err != nil {
			return &InputError{Path: path, Field: where, Err: err}
		}
		var pts []orb.Point
		switch g := f.Geometry.(type) {
		case orb.Point:
			pts = []orb.Point{g}
		case orb.MultiPoint:
			pts = g
		default:
			return &InputError{Path: path, Field: where, Err: fmt.Errorf("geometry %s: want Point", f.Geometry.GeoJSONType())}
		}
		_, id, ok := prop(f, "id", "matricule", "code", "identifiant")
		if !ok {
			id = strconv.Itoa(i + 1)
		}
		_, name, _ := prop(f, "name", "nom", "lib_france_services", "libelle")
		var sched *hours.Schedule
		if hr != nil {
			sched = hr.read(func(k string) (string, bool) {
				v, ok := f.Properties[k]
				if !ok {
					return "", false
				}
				s, _ := propString(v)
				return s, true
			}, fmt.Sprintf("%s: %s", filepath.Base(path), where), &c.Warnings)
		}
		for _, p := range pts {
			if p[0] == 0 && p[1] == 0 {
				c.Warnings.Add("point at 0,0 (skipped: missing coordinates written as 0?)", fmt.Sprintf("%s: %s", filepath.Base(path), where))
				continue
			}
			c.Points = append(c.Points, Point{ID: id, Name: name, Lon: p[0], Lat: p[1], Hours: sched})
		}
	}
	return c.checkHours(hr, path, len(fs))
}

// splitColumn splits PATH#COLUMN at its last '#', unless the whole text
// names an existing file (a path may hold '#').
func splitColumn(spec string) (path, column string) {
	if _, err := os.Stat(spec); err == nil {
		return spec, ""
	}
	i := strings.LastIndexByte(spec, '#')
	if i < 0 {
		return spec, ""
	}
	return spec[:i], spec[i+1:]
}
