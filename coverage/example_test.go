package coverage_test

import (
	"context"
	"fmt"
	"math"
	"path/filepath"

	"github.com/vingt/vingt/coverage"
	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/router"
)

// ExampleAnalyze computes the indicator on the forbidden-transfer fixture
// (testdata/fixtures/forbidden-transfer, worked out by hand in its
// README): two cells, one category with one school K1 at stop S3, the
// window 08:00–08:10 of a Tuesday. Cell G rides R2 straight to the school
// in 7 minutes at every departure; cell F would need the transfer from
// S2a to S2b that transfers.txt forbids, so nothing reaches the school
// within the cap.
func ExampleAnalyze() {
	feed, err := gtfs.Open(filepath.Join("..", "testdata", "fixtures", "forbidden-transfer", "gtfs"))
	if err != nil {
		fmt.Println(err)
		return
	}
	date, _ := gtfs.ParseDate("2026-01-13")
	tt, err := router.Compile([]*gtfs.Feed{feed}, date, router.DefaultParams())
	if err != nil {
		fmt.Println(err)
		return
	}
	cells := []coverage.Cell{
		{ID: "F", Lon: 1.0, Lat: 0.00027, Population: 150},
		{ID: "G", Lon: 1.052, Lat: 0.00027, Population: 60},
	}
	school := &coverage.Category{Name: "ecole", Points: []coverage.Point{{ID: "K1", Lon: 1.1, Lat: 0}}}
	p := coverage.DefaultParams()
	p.From, p.To, err = coverage.ParseWindow("08:00-08:10")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := coverage.Analyze(context.Background(), tt, cells, []*coverage.Category{school}, p, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for c, cell := range cells {
		median := res.TravelTime[c] // one category, one percentile
		tt := "no value"
		if !math.IsInf(median, 1) {
			tt = fmt.Sprintf("%.0f min", median/60)
		}
		fmt.Printf("cell %s: median %s, share %.2f, served %t\n", cell.ID, tt, res.Share[c], res.Served[c])
	}
	// Output:
	// cell F: median no value, share 0.00, served false
	// cell G: median 7 min, share 1.00, served true
}

// ExampleParseWindow parses the analysis window: half-open, in seconds
// after midnight of the analysis date.
func ExampleParseWindow() {
	from, to, err := coverage.ParseWindow("08:00-10:00")
	fmt.Println(from, to, err)
	from, to, err = coverage.ParseWindow("23:30-24:30:30")
	fmt.Println(from, to, err)
	// Output:
	// 28800 36000 <nil>
	// 84600 88230 <nil>
}
