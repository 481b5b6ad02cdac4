package report

import "github.com/vingt/vingt/output"

// The names of the files and columns that the report reads, taken from the
// output schema. Prefixes are those of output's per-category column names.
const (
	fileTerritories = output.Territories // .parquet or .arrow
	fileCells       = output.Cells
	filePoints      = "points"
	fileManifest    = output.ManifestFile

	colLevel            = output.Level
	colCode             = output.Code
	colName             = output.Name
	colPopulation       = output.Population
	colPopulationServed = output.PopulationServed
	colCoverage         = output.Coverage
	colGapPopulation    = output.GapPopulation
	colServedPrefix     = "population_served_" // output.ServedBy(category)
	colGeometry         = output.Geometry
	colGap              = output.Gap

	colCellID            = output.CellID
	colTravelTimePrefix  = "travel_time_" // output.TravelTime(category), minutes, null beyond the cap
	colCategory          = "category"
	colPointID           = "point_id"
	colPopulationSole    = "population_sole"
	colPopulationNearest = "population_nearest"
)

// tableExts are the extensions tried, in order, for a table file.
var tableExts = []string{".parquet", ".arrow"}
