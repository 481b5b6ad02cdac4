package report

// The names of the files and columns that the report reads, kept in this one
// file so that they can be taken from the output schema package later.
const (
	fileTerritories = "territories" // .parquet or .arrow
	fileCells       = "cells"
	filePoints      = "points"
	fileManifest    = "run.json"

	colLevel            = "level"
	colCode             = "code"
	colName             = "name"
	colPopulation       = "population"
	colPopulationServed = "population_served"
	colCoverage         = "coverage"
	colGapPopulation    = "gap_population"
	colServedPrefix     = "population_served_" // + category
	colGeometry         = "geometry"
	colGap              = "gap"

	colCellID            = "cell_id"
	colTravelTimePrefix  = "travel_time_" // + category, minutes, null beyond the cap
	colCategory          = "category"
	colPointID           = "point_id"
	colPopulationSole    = "population_sole"
	colPopulationNearest = "population_nearest"
)

// tableExts are the extensions tried, in order, for a table file.
var tableExts = []string{".parquet", ".arrow"}
