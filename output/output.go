// Package output is the output schema of vingt, in one place: the names
// of the files a run writes, the names of their columns, and the typed
// manifest (run.json). The engine writes through it; vingt diff, the
// summary and the report read through it. It imports nothing of the
// engine.
package output

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// File names (without extension: .parquet or .arrow follows the format).
const (
	Cells       = "cells"
	Territories = "territories"
	// Points is the per-point impact table (vingt run --impact).
	Points = "points"
	// ManifestFile is the manifest's file name.
	ManifestFile = "run.json"
)

// Columns of cells.parquet. Per-category columns are built by the
// functions below.
const (
	CellID     = "cell_id"
	Population = "population"
	ServedAll  = "served"
	Routed     = "routed"
	Geometry   = "geometry"
	// Lon and Lat are the cell's centre, the origin of its routing.
	Lon = "lon"
	Lat = "lat"
)

// Columns of territories.parquet.
const (
	Level            = "level"
	Code             = "code"
	Name             = "name"
	CellCount        = "cells"
	PopulationServed = "population_served"
	Coverage         = "coverage"
	GapPopulation    = "gap_population"
	Gap              = "gap"
)

// Columns of points.parquet (besides name, the level codes and geometry).
const (
	Category             = "category"
	PointID              = "point_id"
	PopulationNearest    = "population_nearest"
	PopulationSole       = "population_sole"
	PopulationBasketLost = "population_basket_lost"
	// With opening hours and without --impact, points.parquet lists the
	// points of the categories with hours: their weekly open minutes
	// (10080 when always open) and whether a traveller arriving within
	// the window could be served at once (min_open included).
	OpenMinutesWeek = "open_minutes_week"
	OpenInWindow    = "open_in_window"
)

// CoverageAt names the column of points.parquet holding the coverage of a
// point's territory at a level.
func CoverageAt(level string) string { return "coverage_" + level }

// CoverageWithout names the column of points.parquet holding the coverage
// of a point's territory at a level without the point.
func CoverageWithout(level string) string { return "coverage_without_" + level }

// TravelTime names the travel time column of a category (minutes at the
// first percentile).
func TravelTime(category string) string { return "travel_time_" + category }

// TravelTimeAt names the travel time column of a category at one of
// several percentiles: travel_time_<category>_p50, _p12_5.
func TravelTimeAt(category string, q float64) string {
	return TravelTime(category) + "_" + PercentileLabel(q)
}

// Share names the share column of a category.
func Share(category string) string { return "share_" + category }

// Nearest names the column of cells.parquet holding the id of the point
// of a category that decides the cell's travel time (null when none is
// within the cap, or when points at two places tie).
func Nearest(category string) string { return "nearest_" + category }

// Served names the served flag of a category.
func Served(category string) string { return "served_" + category }

// ServedBy names the territories' served population of a category.
func ServedBy(category string) string { return "population_served_" + category }

// IsServedColumn tells whether a cells column is the basket's served flag
// or a category's.
func IsServedColumn(name string) bool {
	return name == ServedAll || strings.HasPrefix(name, "served_")
}

// PercentileLabel returns the column suffix of a percentile: p50, p12_5.
func PercentileLabel(q float64) string {
	return "p" + strings.ReplaceAll(strconv.FormatFloat(q, 'f', -1, 64), ".", "_")
}

// nameRE is what a category or level name must look like: it becomes part
// of column names.
var nameRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// reserved are the names a level may not take: they are columns of
// cells.parquet already.
var reserved = map[string]bool{CellID: true, Population: true, ServedAll: true, Routed: true, Geometry: true, Lon: true, Lat: true}

// CheckName reports whether name can name a category or a level (kind
// says which): lower-case letters, digits and underscores, starting with
// a letter, and for a level no column of cells.parquet.
func CheckName(kind, name string) error {
	if !nameRE.MatchString(name) {
		return fmt.Errorf("output: %s name %q: use lower-case letters, digits and _ (it names output columns)", kind, name)
	}
	if kind == "level" && (reserved[name] || strings.HasPrefix(name, "travel_time_") || strings.HasPrefix(name, "share_") || strings.HasPrefix(name, "served_") || strings.HasPrefix(name, "nearest_")) {
		return fmt.Errorf("output: level name %q: a column of cells.parquet is named so already", name)
	}
	return nil
}

// Manifest is run.json: what was run, on what, with which parameters,
// what was odd about the inputs, and how long each stage took.
type Manifest struct {
	Tool    string `json:"tool"`
	Version string `json:"version"`
	Started string `json:"started"`
	Date    string `json:"date"`
	// Categories are the basket's categories and Levels the territory
	// levels, finest first, in the order of the columns.
	Categories []string `json:"categories,omitempty"`
	Levels     []string `json:"levels,omitempty"`
	Inputs     []Input  `json:"inputs"`
	// Parameters are keyed as the parameter table says (units in the
	// keys: _seconds, _metres, _m_s).
	Parameters map[string]any `json:"parameters"`
	Counts     map[string]any `json:"counts"`
	Warnings   []Warning      `json:"warnings"`
	Timings    []Timing       `json:"timings"`
	Outputs    []string       `json:"outputs"`
	Machine    map[string]any `json:"machine"`
	// Shard, in a shard's manifest, says which part of the cells it
	// routed; Shards, in a merged manifest, lists the merged shards.
	Shard  *ShardInfo  `json:"shard,omitempty"`
	Shards []ShardInfo `json:"shards,omitempty"`
	// Config, in the manifest of a run with the impact, is the run's
	// resolved configuration: what vingt impact runs again without the
	// points it closes.
	Config json.RawMessage `json:"config,omitempty"`
}

// ShardInfo describes one shard of a sharded run.
type ShardInfo struct {
	Index int `json:"index"`
	Count int `json:"count"`
	// Cells is the number of cells the shard routed.
	Cells int `json:"cells"`
	// Results is the file holding the shard's per-cell results and
	// ResultsSHA256 its hash.
	Results       string `json:"results"`
	ResultsSHA256 string `json:"results_sha256"`
	// Dir is, in a merged manifest, the shard's folder.
	Dir string `json:"dir,omitempty"`
	// Config is the run's resolved configuration, for merge.
	Config json.RawMessage `json:"config,omitempty"`
}

// Input describes one input file.
type Input struct {
	Role   string         `json:"role"`
	Path   string         `json:"path"`
	SHA256 string         `json:"sha256"`
	Bytes  int64          `json:"bytes"`
	Counts map[string]int `json:"counts,omitempty"`
}

// Warning is a kind of recoverable oddity met in one input, how often,
// and a few examples.
type Warning struct {
	Input    string   `json:"input"`
	Kind     string   `json:"kind"`
	Count    int      `json:"count"`
	Examples []string `json:"examples,omitempty"`
}

// Timing is the wall time of one stage.
type Timing struct {
	Stage   string  `json:"stage"`
	Seconds float64 `json:"seconds"`
}

// ParseManifest parses run.json. Unknown fields are kept out, missing
// ones left zero: manifests of other versions still parse.
func ParseManifest(b []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("output: %s: %w", ManifestFile, err)
	}
	return &m, nil
}

// Parameter returns a manifest parameter as text, "" when absent.
func (m *Manifest) Parameter(key string) string {
	v, ok := m.Parameters[key]
	if !ok {
		return ""
	}
	return fmt.Sprint(v)
}
