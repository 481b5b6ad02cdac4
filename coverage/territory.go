package coverage

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/paulmach/orb"
	"github.com/twpayne/go-geos"

	"github.com/vingt/vingt/gtfs"
)

// Territory is one polygon of a level.
type Territory struct {
	Code, Name string
	Geometry   orb.MultiPolygon
}

// Level is a level of territories (communes, EPCI, départements, …).
type Level struct {
	Name, Path  string
	Territories []Territory
	Warnings    gtfs.Warnings

	prepared []*geos.PrepGeom
	bounds   []orb.Bound
}

// Usual property names of territory codes and names.
var (
	codeNames = []string{"code", "insee", "insee_com", "code_insee", "inseecom", "epci_code", "siren", "siren_epci", "code_epci", "code_siren", "code_dept", "code_dep", "dep", "id"}
	nameNames = []string{"nom", "name", "nom_com", "libelle", "libellé", "epci_name", "nom_epci", "lib_epci", "nom_dept", "nom_dep", "raison_sociale"}
)

// ReadLevel reads the territories of a level from GeoJSON polygons.
// codeProp and nameProp name the properties holding the code and the name
// ("" finds them among the usual names; a one-element array is taken as
// its element). Two features with one code are merged into one territory.
func ReadLevel(name, path, codeProp, nameProp string) (*Level, error) {
	fs, err := readFeatures(path)
	if err != nil {
		return nil, err
	}
	lv := &Level{Name: name, Path: path}
	codes := codeNames
	if codeProp != "" {
		codes = []string{codeProp}
	}
	names := nameNames
	if nameProp != "" {
		names = []string{nameProp}
	}
	index := map[string]int{}
	for i, f := range fs {
		where := fmt.Sprintf("feature %d", i+1)
		_, code, ok := prop(f, codes...)
		if !ok || code == "" {
			return nil, &InputError{Path: path, Field: where, Err: fmt.Errorf("no code property among %s", strings.Join(codes, ", "))}
		}
		_, tname, _ := prop(f, names...)
		var mp orb.MultiPolygon
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			mp = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			mp = g
		case nil:
			return nil, &InputError{Path: path, Field: where + " " + code, Err: errors.New("no geometry")}
		default:
			return nil, &InputError{Path: path, Field: where + " " + code, Err: fmt.Errorf("geometry %s: want Polygon or MultiPolygon", g.GeoJSONType())}
		}
		if err := checkCoords(mp); err != nil {
			return nil, &InputError{Path: path, Field: where + " " + code, Err: err}
		}
		for _, pg := range mp {
			for _, r := range pg {
				if len(r) < 4 || !r.Closed() {
					return nil, &InputError{Path: path, Field: where + " " + code, Err: errors.New("a polygon ring does not close (its last point must repeat the first, 4 points at least)")}
				}
			}
		}
		if j, dup := index[code]; dup {
			lv.Territories[j].Geometry = append(lv.Territories[j].Geometry, mp...)
			lv.Warnings.Add("code on several features (merged)", fmt.Sprintf("%s: %s", filepath.Base(path), code))
			continue
		}
		index[code] = len(lv.Territories)
		lv.Territories = append(lv.Territories, Territory{Code: code, Name: tname, Geometry: mp})
	}
	if len(lv.Territories) == 0 {
		return nil, &InputError{Path: path, Err: errors.New("no territory")}
	}
	for _, t := range lv.Territories {
		g, err := toGEOS(t.Geometry)
		if err != nil {
			return nil, &InputError{Path: path, Field: t.Code, Err: err}
		}
		if !g.IsValid() {
			lv.Warnings.Add("invalid polygon (repaired)", fmt.Sprintf("%s: %s", t.Code, g.IsValidReason()))
			g = g.MakeValid()
		}
		lv.prepared = append(lv.prepared, g.Prepare())
		lv.bounds = append(lv.bounds, t.Geometry.Bound())
	}
	return lv, nil
}

// Locate returns the index of the first territory whose polygon contains
// the point, or -1. (GEOS 3.11's PrepGeom.ContainsXY is a stub that
// always answers false: a point geometry is built instead.)
func (l *Level) Locate(lon, lat float64) int {
	var pt *geos.Geom
	for i, b := range l.bounds {
		if !b.Contains(orb.Point{lon, lat}) {
			continue
		}
		if pt == nil {
			pt = geos.NewPointFromXY(lon, lat)
		}
		if l.prepared[i].Contains(pt) {
			return i
		}
	}
	return -1
}
