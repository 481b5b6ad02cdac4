package coverage

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/table"
)

// Config is a run as the user writes it, in a TOML file or as flags: the
// same keys, the same values. Parameters (Parameters, the table) are kept
// as the text written and parsed once, by Job.
type Config struct {
	GTFS []string `toml:"gtfs"`
	// Date is the analysis date (YYYY-MM-DD). Dates, instead, lists the
	// dates a rule designates (say, every Tuesday outside school
	// holidays): the run takes the first one on or after Today.
	Date  string   `toml:"date"`
	Dates []string `toml:"dates"`
	// Today is the reference day for Dates (default: the current date).
	Today string `toml:"today"`

	Grid       string `toml:"grid"`
	GridFormat string `toml:"grid_format"`
	// OSM is an OpenStreetMap extract (.osm.pbf): walking then follows its
	// streets instead of crow-fly × detour.
	OSM string `toml:"osm"`
	// Services are CATEGORY=PATH[#column][@hours] entries; in a TOML file also a
	// table category = "path[#column][@hours]", in the order written.
	Services []string `toml:"-"`
	// Basket is a basket file, or "default" for DefaultBasket, whose
	// categories are BPE codes read from the BPE file.
	Basket string `toml:"basket"`
	BPE    string `toml:"bpe"`
	// SchoolHolidays is a school-holiday calendar for opening hours' SH.
	SchoolHolidays string `toml:"school_holidays"`
	// Territories are LEVEL=PATH entries, finest level first; in a TOML
	// file also a table level = "path".
	Territories []string `toml:"-"`

	// Params maps the config key of a parameter of the table to its
	// value as written ("20m", "1.3", "50,90").
	Params map[string]string `toml:"-"`

	// AllowEmptyFeed lets a run go on when no trip of a feed runs on
	// the date.
	AllowEmptyFeed bool `toml:"allow_empty_feed"`

	Workers int    `toml:"workers"`
	Format  string `toml:"format"`
	// Impact also writes points.parquet (measure 16).
	Impact bool `toml:"impact"`
	// Remove lists service points left out (ID or CATEGORY:ID).
	Remove []string `toml:"remove"`
	Out    string   `toml:"out"`
	// Shard, INDEX/COUNT or auto/COUNT, routes only that part of the
	// cells and writes a shard folder for merge (see ParseShard).
	Shard string `toml:"shard"`
	// Partition, a territory level, writes cells/ as a Hive-partitioned
	// GeoParquet dataset by that level's territories.
	Partition string `toml:"partition"`
}

// LoadConfig reads a TOML config file. Relative paths in it are resolved
// against the file's folder.
func LoadConfig(path string) (*Config, error) {
	var raw struct {
		Config
		Services    any `toml:"services"`
		Territories any `toml:"territories"`
	}
	md, err := toml.DecodeFile(path, &raw)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			return nil, fmt.Errorf("coverage: config %s:%d: %s", path, perr.Position.Line, perr.Message)
		}
		return nil, fmt.Errorf("coverage: config %s: %w", path, err)
	}
	var all map[string]any
	if _, err := toml.DecodeFile(path, &all); err != nil {
		return nil, fmt.Errorf("coverage: config %s: %w", path, err)
	}
	c := raw.Config
	c.Params = map[string]string{}
	for _, k := range md.Undecoded() {
		// services and territories are decoded by hand below.
		if k[0] == "services" || k[0] == "territories" {
			continue
		}
		p, ok := ParamByKey(k[0])
		if !ok || len(k) != 1 {
			return nil, fmt.Errorf("coverage: config %s: unknown key %q", path, k.String())
		}
		text, err := paramText(p, all[k[0]])
		if err != nil {
			return nil, fmt.Errorf("coverage: config %s: %s %w", path, p.Key, err)
		}
		c.Params[p.Key] = text
	}
	c.Services, err = specList(path, "services", raw.Services, md)
	if err != nil {
		return nil, err
	}
	c.Territories, err = specList(path, "territories", raw.Territories, md)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(path)
	rel := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	for i := range c.GTFS {
		c.GTFS[i] = rel(c.GTFS[i])
	}
	// Inputs are relative to the file; the output folder, like any
	// output, to the current directory.
	c.Grid, c.BPE, c.SchoolHolidays = rel(c.Grid), rel(c.BPE), rel(c.SchoolHolidays)
	if c.Basket != DefaultBasketName {
		c.Basket = rel(c.Basket)
	}
	c.OSM = rel(c.OSM)
	for _, list := range [][]string{c.Services, c.Territories} {
		for i, s := range list {
			k, v, _ := strings.Cut(s, "=")
			list[i] = k + "=" + rel(v)
		}
	}
	return &c, nil
}

// specList reads services or territories written as an array of
// "NAME=PATH" strings or as a table name = "path", keeping the order.
func specList(path, key string, v any, md toml.MetaData) ([]string, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case []any:
		var out []string
		for i, x := range v {
			s, ok := x.(string)
			if !ok || !strings.Contains(s, "=") {
				return nil, fmt.Errorf("coverage: config %s: %s[%d]: want \"NAME=PATH\"", path, key, i)
			}
			out = append(out, s)
		}
		return out, nil
	case map[string]any:
		// An array followed by a table of the same name decodes as the
		// table alone: the array's entries would be dropped silently.
		n := 0
		for _, k := range md.Keys() {
			if len(k) == 1 && k[0] == key {
				n++
			}
		}
		if n > 1 {
			return nil, fmt.Errorf("coverage: config %s: %s given twice (an array, then a [%s] table): the table would replace the array; write every entry in one of them", path, key, key)
		}
		var out []string
		for _, k := range md.Keys() {
			if len(k) != 2 || k[0] != key {
				continue
			}
			s, ok := v[k[1]].(string)
			if !ok {
				return nil, fmt.Errorf("coverage: config %s: %s.%s: want a path string", path, key, k[1])
			}
			out = append(out, k[1]+"="+s)
		}
		return out, nil
	default:
		return nil, fmt.Errorf("coverage: config %s: %s: want an array of \"NAME=PATH\" or a table", path, key)
	}
}

// Job resolves the config into a job: defaults for what is not set,
// parameters parsed and bounded through the table, the date resolved.
func (c *Config) Job() (Job, error) {
	job := Job{
		GTFS: c.GTFS, Grid: c.Grid, GridFormat: c.GridFormat, OSM: c.OSM, Services: c.Services,
		Basket: c.Basket, Territories: c.Territories, Out: c.Out,
		AllowEmptyFeed: c.AllowEmptyFeed, BPE: c.BPE, SchoolHolidays: c.SchoolHolidays,
	}
	var err error
	if job.Date, err = c.date(); err != nil {
		return job, err
	}
	set, err := Resolve(c.Params)
	if err != nil {
		return job, err
	}
	job.Routing, job.Indicator, job.LinkRadius = set.Routing, set.Indicator, set.LinkRadius
	if c.Workers < 0 || c.Workers > maxWorkers {
		return job, fmt.Errorf("coverage: workers %d: must be within 0–%d (0: all CPUs)", c.Workers, maxWorkers)
	}
	job.Indicator.Workers = c.Workers
	job.Impact, job.Remove, job.Partition = c.Impact, c.Remove, c.Partition
	job.Format = table.Parquet
	if c.Format != "" {
		if job.Format, err = table.ParseFormat(c.Format); err != nil {
			return job, fmt.Errorf("coverage: format %q: want parquet or arrow", c.Format)
		}
	}
	if job.Out == "" {
		job.Out = "vingt-out"
	}
	if c.Shard != "" {
		if job.Shard, err = ParseShard(c.Shard, os.Getenv); err != nil {
			return job, err
		}
	}
	job.Config = c.resolved(job)
	return job, nil
}

// resolved returns a copy of the config with absolute input paths, the
// date resolved and no output or shard: what a shard records for merge.
func (c *Config) resolved(job Job) *Config {
	r := *c
	abs := func(p string) string {
		if p == "" {
			return p
		}
		if a, err := filepath.Abs(p); err == nil {
			return a
		}
		return p
	}
	r.GTFS = nil
	for _, g := range c.GTFS {
		r.GTFS = append(r.GTFS, abs(g))
	}
	r.Grid, r.Basket = abs(c.Grid), abs(c.Basket)
	r.Services, r.Territories = nil, nil
	for _, s := range c.Services {
		k, v, _ := strings.Cut(s, "=")
		r.Services = append(r.Services, k+"="+abs(v))
	}
	for _, s := range c.Territories {
		k, v, _ := strings.Cut(s, "=")
		r.Territories = append(r.Territories, k+"="+abs(v))
	}
	r.Params = maps.Clone(c.Params)
	r.Date, r.Dates, r.Today = job.Date.String(), nil, ""
	r.Out, r.Shard, r.Partition = "", "", ""
	return &r
}

// maxWorkers bounds the routing goroutines a user may ask for.
const maxWorkers = 1024

// date resolves Date, or the first of Dates on or after Today.
func (c *Config) date() (gtfs.Date, error) {
	switch {
	case c.Date != "" && len(c.Dates) > 0:
		return 0, fmt.Errorf("coverage: give date or dates, not both")
	case c.Date != "":
		return gtfs.ParseDate(c.Date)
	case len(c.Dates) == 0:
		return 0, fmt.Errorf("coverage: %w: set date (YYYY-MM-DD) or dates", ErrNoDate)
	}
	today := gtfs.DateOf(time.Now())
	if c.Today != "" {
		var err error
		if today, err = gtfs.ParseDate(c.Today); err != nil {
			return 0, err
		}
	}
	var best gtfs.Date
	for _, s := range c.Dates {
		d, err := gtfs.ParseDate(s)
		if err != nil {
			return 0, err
		}
		if d >= today && (best == 0 || d < best) {
			best = d
		}
	}
	if best == 0 {
		return 0, fmt.Errorf("coverage: every date of dates is before %s: extend the list", today)
	}
	return best, nil
}
