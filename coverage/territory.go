package coverage

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
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

	// gctx is the level's own GEOS context: each context serialises its
	// calls under one lock, so levels are located in parallel.
	gctx     *geos.Context
	prepared []*geos.PrepGeom
	bounds   []orb.Bound
	// loc locates points in each territory as prepared does, without
	// GEOS (locate.go); nil where the repaired geometry is not polygonal.
	loc []*areaLocator
	// overlaps are the pairs of territories sharing cells, found by
	// Assign: the first (in file order) takes the cell.
	overlaps map[[2]int]*overlap
}

// overlap is what two territories of a level share.
type overlap struct {
	cells      int
	population float64
}

func (l *Level) addOverlap(i, j int, pop float64) {
	if l.overlaps == nil {
		l.overlaps = map[[2]int]*overlap{}
	}
	o := l.overlaps[[2]int{i, j}]
	if o == nil {
		o = &overlap{}
		l.overlaps[[2]int{i, j}] = o
	}
	o.cells++
	o.population += pop
}

// OverlapWarnings returns, once Assign has run, one warning per pair of
// territories sharing populated cells: the codes, the cells and the
// population concerned, which count in the first territory only.
func (l *Level) OverlapWarnings() gtfs.Warnings {
	var w gtfs.Warnings
	keys := make([][2]int, 0, len(l.overlaps))
	for k := range l.overlaps {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]int) int {
		if a[0] != b[0] {
			return a[0] - b[0]
		}
		return a[1] - b[1]
	})
	for _, k := range keys {
		o := l.overlaps[k]
		w.Add("overlapping territories (a shared cell counts in the first, in file order)",
			fmt.Sprintf("%s and %s share %d cells, population %.0f (counted in %s)", l.Territories[k[0]].Code, l.Territories[k[1]].Code, o.cells, o.population, l.Territories[k[0]].Code))
	}
	return w
}

// locate2 is Locate, also returning another territory whose interior
// holds the point (an overlap), or -1.
func (l *Level) locate2(lon, lat float64) (int, int) {
	p := orb.Point{lon, lat}
	var pt *geos.Geom
	first, covers, other := -1, -1, -1
	for i, b := range l.bounds {
		if !b.Contains(p) {
			continue
		}
		where := l.where(i, lon, lat, &pt)
		if where == interior {
			if first < 0 {
				first = i
				continue
			}
			other = i
			break
		}
		if first < 0 && covers < 0 && where == boundary {
			covers = i
		}
	}
	if first < 0 {
		return covers, -1
	}
	return first, other
}

// where locates (lon, lat) in territory i: with its areaLocator, else with
// GEOS through the point *pt, made on first use.
func (l *Level) where(i int, lon, lat float64, pt **geos.Geom) location {
	if i < len(l.loc) && l.loc[i] != nil {
		return l.loc[i].locate(lon, lat)
	}
	if *pt == nil {
		*pt = l.gctx.NewPointFromXY(lon, lat)
	}
	switch {
	case l.prepared[i].Contains(*pt):
		return interior
	case l.prepared[i].Covers(*pt):
		return boundary
	}
	return exterior
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
	// The code and name properties are found on the first feature, then
	// required of every feature.
	codeKey, nameKey := "", ""
	if len(fs) > 0 {
		if k, _, ok := prop(fs[0], codes...); ok {
			codeKey = k
		}
		if k, _, ok := prop(fs[0], names...); ok {
			nameKey = k
		}
	}
	index := map[string]int{}
	for i, f := range fs {
		where := fmt.Sprintf("feature %d", i+1)
		if codeKey == "" {
			for _, c := range codes {
				for k, v := range f.Properties {
					if strings.EqualFold(k, c) {
						return nil, &InputError{Path: path, Field: where + " " + k, Value: fmt.Sprint(v), Err: errors.New("want a string, a number or a one-element array of either")}
					}
				}
			}
			return nil, &InputError{Path: path, Field: where, Err: fmt.Errorf("no code property among %s (set it explicitly)", strings.Join(codes, ", "))}
		}
		_, code, ok := prop(f, codeKey)
		if !ok || code == "" {
			return nil, &InputError{Path: path, Field: where + " " + codeKey, Err: errors.New("no code (want a string, a number or a one-element array of either)")}
		}
		tname := code
		if nameKey != "" {
			if _, v, ok := prop(f, nameKey); ok {
				tname = v
			}
		}
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
		if err := checkRings(mp); err != nil {
			return nil, &InputError{Path: path, Field: where + " " + code, Err: err}
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
	if err := lv.prepare(); err != nil {
		return nil, err
	}
	return lv, nil
}

// prepare builds the GEOS prepared geometries and the bounding boxes.
func (l *Level) prepare() (err error) {
	code := ""
	defer func() {
		// go-geos panics on a GEOS exception.
		if r := recover(); r != nil {
			err = &InputError{Path: l.Path, Field: "territory " + code, Err: fmt.Errorf("GEOS: %v", r)}
		}
	}()
	l.gctx = geos.NewContext()
	for _, t := range l.Territories {
		code = t.Code
		g, err := toGEOSIn(l.gctx, t.Geometry)
		if err != nil {
			return &InputError{Path: l.Path, Field: "territory " + t.Code, Err: err}
		}
		if !g.IsValid() {
			l.Warnings.Add("invalid polygon (repaired by GEOS MakeValid)", fmt.Sprintf("%s %s: %s", filepath.Base(l.Path), t.Code, g.IsValidReason()))
			g = g.MakeValid()
		}
		l.prepared = append(l.prepared, g.Prepare())
		l.bounds = append(l.bounds, t.Geometry.Bound())
		l.loc = append(l.loc, locatorOf(g))
	}
	return nil
}

// Locate returns the index of the territory whose polygon contains the
// point (lon, lat), or -1 when none does. A point on the boundary of
// territories (and so in none's interior) goes to the first of them, in
// file order, whose polygon covers it. Candidates are found by bounding
// box first.
//
// Locate is safe for concurrent use. A polygonal territory is located
// without GEOS, as its prepared geometry would (areaLocator); any other
// (a repair that left lines) through the level's own go-geos context,
// whose mutex serialises the calls, with a point geometry (GEOS 3.11's
// PrepGeom.ContainsXY is a stub that always answers false).
func (l *Level) Locate(lon, lat float64) int {
	p := orb.Point{lon, lat}
	var pt *geos.Geom
	first := -1
	for i, b := range l.bounds {
		if !b.Contains(p) {
			continue
		}
		switch l.where(i, lon, lat, &pt) {
		case interior:
			return i
		case boundary:
			if first < 0 {
				first = i
			}
		}
	}
	return first
}
