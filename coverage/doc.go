// Package coverage computes the indicator of measure 3 of the Pacte du
// pouvoir de vivre — every everyday public service reachable within 20
// minutes by public transport — for every populated cell of a grid and
// every territory.
//
// Its inputs are read here: a population grid (ReadGrid: INSEE Filosofi,
// Eurostat census, generic CSV, GeoJSON), service points per category
// (ReadServices, or a basket file with ReadBasket), and territory
// polygons per level (ReadLevel); the GTFS feeds are compiled by package
// router into a timetable for the analysis date.
//
// The indicator is computed by Analyze: for each cell, routed from its
// centre, each category and each departure minute of the window, the
// least door-to-door time to a point of the category (walk only, or walk,
// transit and walk); then, over the window, its percentiles and the share
// of minutes within the threshold. A cell is served for a category when
// the first percentile is within the threshold, and for the basket when
// served for every category. Aggregate sums population, served population
// and gap population per territory.
//
// Run chains all of it from a Job (the resolved inputs and parameters)
// and writes the outputs: the cells table and the territories table as
// GeoParquet or Arrow IPC (package table) and the manifest run.json,
// replacing the previous outputs only once all are complete.
package coverage
