package coverage

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/paulmach/orb"

	"github.com/vingt/vingt/output"
)

// Basket is a basket of everyday services: its categories and how to
// recognise the points of each in the inputs. It is read from a small TOML
// file:
//
//	bpe = "bpe21_ensemble_xy.csv"   # optional: INSEE BPE, for bpe codes
//
//	[[category]]
//	name = "poste"
//	bpe = ["A206", "A207", "A208"]
//	[[category.source]]
//	path = "laposte_points_contact_dordogne.csv"
//	filter = "Caractéristique_du_site"
//	values = ["Bureau de poste", "Agence postale communale"]
//
//	[[category]]
//	name = "france_services"
//	[[category.source]]
//	path = "france_services_2020_dordogne.geojson"
//
// Relative paths are taken from the basket file's folder. A category's
// points are the union of its sources' points and of the BPE rows whose
// TYPEQU is one of its codes.
type Basket struct {
	// BPE is the path of an INSEE BPE CSV ("fichier détail" with
	// coordinates: TYPEQU, LAMBERT_X, LAMBERT_Y, optional EPSG), needed
	// when a category lists BPE codes.
	BPE        string           `toml:"bpe"`
	Categories []BasketCategory `toml:"category"`
	// Path is where the basket was read from ("" for DefaultBasket).
	Path string `toml:"-"`
}

// BasketCategory is one category of a basket.
type BasketCategory struct {
	Name    string   `toml:"name"`
	Sources []Source `toml:"source"`
	// BPE lists INSEE BPE TYPEQU codes (say A206 for a post office).
	BPE []string `toml:"bpe"`
}

// Source is a point file of a basket category: CSV or GeoJSON.
type Source struct {
	Path string `toml:"path"`
	// Count names a CSV count column: a row counts where its value is > 0.
	Count string `toml:"count"`
	// Filter names a column (CSV) or property (GeoJSON); when set, a row
	// is kept when its value is one of Values (compared trimmed, without
	// case).
	Filter string   `toml:"filter"`
	Values []string `toml:"values"`
	// Hours names the opening hours column: an OpenStreetMap
	// opening_hours column, or the prefix of the France Services per-day
	// columns ("h_" for h_lundi … h_dimanche). Without it, always open.
	Hours string `toml:"hours"`
}

// DefaultBasketName is the name that designates DefaultBasket where a
// basket file is expected.
const DefaultBasketName = "default"

// DefaultBasket returns the built-in everyday basket of measure 5, as
// INSEE BPE codes (table BPECodes, with the edition of each): post office
// (A206 bureau de poste and A208 agence postale communale; A207, relais
// poste commerçant, a counter in a shop, is left out), pharmacy, general
// practitioner and France Services desk. Set its BPE field to a BPE file
// before Load.
func DefaultBasket() *Basket {
	return &Basket{Categories: []BasketCategory{
		{Name: "poste", BPE: []string{"A206", "A208"}},
		{Name: "pharmacie", BPE: []string{"D307", "D301"}},
		{Name: "medecin", BPE: []string{"D265", "D201"}},
		{Name: "france_services", BPE: []string{"A128"}},
	}}
}

// BPECode is an INSEE BPE TYPEQU code and the editions (the file's AN
// year column) in which it means what the default basket takes it for.
type BPECode struct {
	Code, Meaning string
	// From and To bound the editions (0: no bound).
	From, To int
	// Checked tells whether the code was checked against INSEE's
	// nomenclature of that edition.
	Checked bool
}

// BPECodes is the table of the default basket's codes. Sources: INSEE,
// "Base permanente des équipements — nomenclature" (insee.fr, BPE 2021
// and BPE 2023 editions), as given in issue 15 of this project; the codes
// not marked Checked are still to be checked against the nomenclature.
var BPECodes = []BPECode{
	{Code: "A206", Meaning: "bureau de poste", Checked: true},
	{Code: "A207", Meaning: "relais poste commerçant (not in the default basket)", Checked: true},
	{Code: "A208", Meaning: "agence postale communale", Checked: true},
	{Code: "D307", Meaning: "pharmacie", Checked: true},
	{Code: "D301", Meaning: "pharmacie (former code, kept in case an older edition uses it)"},
	{Code: "D265", Meaning: "médecin généraliste", From: 2023, Checked: true},
	{Code: "D201", Meaning: "médecin généraliste (older editions)", To: 2022, Checked: true},
	{Code: "A128", Meaning: "France Services", Checked: true},
}

// bpeCodeIn reports whether code means, in edition year (0: unknown),
// what BPECodes says; codes outside the table are taken in every edition.
func bpeCodeIn(code string, year int) bool {
	for _, c := range BPECodes {
		if c.Code == code {
			return year == 0 || (c.From == 0 || year >= c.From) && (c.To == 0 || year <= c.To)
		}
	}
	return true
}

// ReadBasket reads a basket file and checks it.
func ReadBasket(path string) (*Basket, error) {
	b := &Basket{}
	md, err := toml.DecodeFile(path, b)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &InputError{Path: path, Line: pe.Position.Line, Err: errors.New(pe.Message)}
		}
		return nil, &InputError{Path: path, Err: err}
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, &InputError{Path: path, Field: und[0].String(), Err: errors.New("unknown key (want bpe, category.name, category.bpe, category.source.path/count/filter/values)")}
	}
	b.Path = path
	dir := filepath.Dir(path)
	rel := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	b.BPE = rel(b.BPE)
	for i := range b.Categories {
		for j := range b.Categories[i].Sources {
			b.Categories[i].Sources[j].Path = rel(b.Categories[i].Sources[j].Path)
		}
	}
	if err := b.check(); err != nil {
		return nil, err
	}
	return b, nil
}

// check validates the basket's structure.
func (b *Basket) check() error {
	where := b.Path
	if where == "" {
		where = "basket"
	}
	fail := func(field, value, msg string) error {
		return &InputError{Path: where, Field: field, Value: value, Err: errors.New(msg)}
	}
	if len(b.Categories) == 0 {
		return fail("", "", "no [[category]]")
	}
	seen := map[string]bool{}
	codes := map[string]string{}
	for i, c := range b.Categories {
		field := fmt.Sprintf("category %d", i+1)
		if c.Name == "" {
			return fail(field, "", "no name")
		}
		if err := output.CheckName("category", c.Name); err != nil {
			return fail(field+" name", c.Name, "use lower-case letters, digits and _ (it names output columns)")
		}
		field = "category " + c.Name
		if seen[c.Name] {
			return fail(field, "", "category given twice")
		}
		seen[c.Name] = true
		if len(c.Sources) == 0 && len(c.BPE) == 0 {
			return fail(field, "", "no source and no bpe code")
		}
		if len(c.BPE) > 0 && b.BPE == "" {
			return fail(field+" bpe", "", "BPE codes but the basket names no bpe file")
		}
		for _, code := range c.BPE {
			code = strings.ToUpper(strings.TrimSpace(code))
			if other, dup := codes[code]; dup && other != c.Name {
				return fail(field+" bpe", code, fmt.Sprintf("code already in category %s", other))
			}
			codes[code] = c.Name
		}
		for j, s := range c.Sources {
			sf := fmt.Sprintf("%s source %d", field, j+1)
			if s.Path == "" {
				return fail(sf, "", "no path")
			}
			if (s.Filter == "") != (len(s.Values) == 0) {
				return fail(sf, s.Filter, "filter and values go together")
			}
		}
	}
	return nil
}

// Load reads the points of every category of the basket, in the basket's
// order. The BPE file, when one is needed, is read once.
func (b *Basket) Load() ([]*Category, error) {
	if err := b.check(); err != nil {
		return nil, err
	}
	cats := make([]*Category, len(b.Categories))
	byCode := map[string]int{}
	for i, bc := range b.Categories {
		c := &Category{Name: bc.Name}
		var paths, hcols []string
		for _, s := range bc.Sources {
			if err := c.readSource(s); err != nil {
				return nil, err
			}
			paths = append(paths, s.Path)
			if s.Hours != "" && !slices.Contains(hcols, s.Hours) {
				hcols = append(hcols, s.Hours)
			}
		}
		c.HoursColumn = strings.Join(hcols, ",")
		for _, code := range bc.BPE {
			byCode[strings.ToUpper(strings.TrimSpace(code))] = i // check: no code in two categories
		}
		if len(bc.BPE) > 0 {
			paths = append(paths, b.BPE)
		}
		c.Path = strings.Join(paths, ",")
		cats[i] = c
	}
	if len(byCode) > 0 {
		if err := readBPE(b.BPE, byCode, cats); err != nil {
			return nil, err
		}
	}
	for _, c := range cats {
		if len(c.Points) == 0 {
			c.Warnings.Add("category without any point", c.Name)
		}
	}
	return cats, nil
}

// readSource adds the points of one source to c.
func (c *Category) readSource(s Source) error {
	c.HoursColumn = s.Hours
	values := map[string]bool{}
	for _, v := range s.Values {
		values[strings.ToLower(strings.TrimSpace(v))] = true
	}
	if isFeatureFile(s.Path) {
		if s.Count != "" {
			return &InputError{Path: s.Path, Field: s.Count, Err: errors.New("a count column applies to CSV files only")}
		}
		var keep func(map[string]any) bool
		if s.Filter != "" {
			keep = func(props map[string]any) bool {
				v, ok := propValue(props, s.Filter)
				return ok && values[strings.ToLower(v)]
			}
		}
		return c.readGeoJSON(s.Path, keep)
	}
	var keep rowFilter
	if s.Filter != "" {
		keep = func(t *csvTable, r int) bool { return values[strings.ToLower(t.get(r, t.col(s.Filter)))] }
	}
	return c.readCSV(s.Path, s.Count, s.Filter, keep)
}

// isFeatureFile tells a file of features, GeoJSON or GeoParquet (or
// GeoArrow IPC), from a CSV by its extension.
func isFeatureFile(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".geojson", ".json", ".parquet", ".geoparquet", ".arrow":
		return true
	}
	return false
}

// readBPE reads an INSEE BPE CSV (';'-separated, TYPEQU, LAMBERT_X and
// LAMBERT_Y in EPSG:2154, or in the row's EPSG column overseas) and adds
// the rows whose TYPEQU is in byCode to the category it maps to. Rows
// without coordinates are counted as warnings.
func readBPE(path string, byCode map[string]int, cats []*Category) error {
	t, err := readTable(path)
	if err != nil {
		return err
	}
	iType, iX, iY, iEPSG := t.col("typequ"), t.col("lambert_x"), t.col("lambert_y"), t.col("epsg")
	for _, x := range []struct {
		i    int
		name string
	}{{iType, "TYPEQU"}, {iX, "LAMBERT_X"}, {iY, "LAMBERT_Y"}} {
		if x.i < 0 {
			return &InputError{Path: path, Line: 1, Field: x.name, Err: errors.New("no such column (want the BPE layout: TYPEQU, LAMBERT_X, LAMBERT_Y)")}
		}
	}
	iID := t.col("siret", "id", "idbpe")
	iName := t.col("nomrs", "nom", "name")
	iCom := t.col("depcom")
	// The edition, from the AN column, decides what some codes mean.
	iYear := t.col("an")
	type pending struct {
		cat, row int
	}
	byCRS := map[string][]pending{}
	var order []string
	for r := range t.rows {
		code := strings.ToUpper(t.get(r, iType))
		ci, ok := byCode[code]
		if !ok {
			continue
		}
		if iYear >= 0 {
			year, err := strconv.Atoi(t.get(r, iYear))
			if err != nil || year < 1990 || year > 2100 {
				return &InputError{Path: path, Line: t.lines[r], Field: t.header[iYear], Value: t.get(r, iYear), Err: errors.New("want the BPE edition year")}
			}
			if !bpeCodeIn(code, year) {
				cats[ci].Warnings.Add("BPE code of another edition (skipped)", fmt.Sprintf("%s:%d %s in %d", filepath.Base(path), t.lines[r], code, year))
				continue
			}
		}
		if t.get(r, iX) == "" || t.get(r, iY) == "" {
			cats[ci].Warnings.Add("BPE row without coordinates (skipped)", fmt.Sprintf("%s:%d %s %s", filepath.Base(path), t.lines[r], t.get(r, iType), t.get(r, iCom)))
			continue
		}
		crs := "EPSG:2154"
		if e := t.get(r, iEPSG); e != "" {
			if !isDigits(e) {
				return &InputError{Path: path, Line: t.lines[r], Field: t.header[iEPSG], Value: e, Err: errors.New("want an EPSG code")}
			}
			crs = "EPSG:" + e
		}
		if _, seen := byCRS[crs]; !seen {
			order = append(order, crs)
		}
		byCRS[crs] = append(byCRS[crs], pending{ci, r})
	}
	for _, crs := range order {
		rows := byCRS[crs]
		pts := make([]orb.Point, len(rows))
		for k, p := range rows {
			x, err := t.float(p.row, iX)
			if err != nil {
				return err
			}
			y, err := t.float(p.row, iY)
			if err != nil {
				return err
			}
			pts[k] = orb.Point{x, y}
		}
		if err := toLonLat(crs, pts); err != nil {
			return &InputError{Path: path, Line: t.lines[rows[0].row], Field: "EPSG", Value: crs, Err: err}
		}
		for k, p := range rows {
			q := pts[k]
			if !validLonLat(q[0], q[1]) {
				return &InputError{Path: path, Line: t.lines[p.row], Field: "LAMBERT_X/LAMBERT_Y", Value: t.get(p.row, iX) + " " + t.get(p.row, iY), Err: fmt.Errorf("not a position in %s", crs)}
			}
			id := t.get(p.row, iID)
			if id == "" {
				id = fmt.Sprintf("bpe:%d", t.lines[p.row])
			}
			cats[p.cat].Points = append(cats[p.cat].Points, Point{ID: id, Name: t.get(p.row, iName), Lon: q[0], Lat: q[1]})
		}
	}
	return nil
}

// isDigits reports whether s is a non-empty run of ASCII digits.
func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
