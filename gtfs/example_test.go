package gtfs_test

import (
	"fmt"
	"path/filepath"

	"github.com/vingt/vingt/gtfs"
)

// ExampleOpen reads the feed of the forbidden-transfer fixture (a folder;
// a zip file reads the same) and prints what it holds and what runs on a
// Tuesday.
func ExampleOpen() {
	f, err := gtfs.Open(filepath.Join("..", "testdata", "fixtures", "forbidden-transfer", "gtfs"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: %d stops, %d routes, %d trips, %d stop times, %d transfer\n",
		f.Name, len(f.Stops), len(f.Routes), len(f.Trips), f.StopTimes.Len(), len(f.Transfers))
	first, last := f.TimeRange()
	fmt.Printf("first departure %d s, last arrival %d s after midnight\n", first, last) // 08:01, 08:26

	tuesday, _ := gtfs.ParseDate("2026-01-13")
	sunday, _ := gtfs.ParseDate("2026-01-18")
	week, _ := f.FindService("WEEK")
	fmt.Println("WEEK runs on Tuesday:", f.ActiveServices(tuesday)[week], "on Sunday:", f.ActiveServices(sunday)[week])

	s2a, _ := f.FindStop("S2a")
	fmt.Printf("stop %s %q at %.3f, %.3f\n", f.Stops[s2a].ID, f.Stops[s2a].Name, f.Stops[s2a].Lat, f.Stops[s2a].Lon)
	// Output:
	// gtfs: 4 stops, 2 routes, 31 trips, 62 stop times, 1 transfer
	// first departure 28860 s, last arrival 30360 s after midnight
	// WEEK runs on Tuesday: true on Sunday: false
	// stop S2a "Change A" at 0.000, 1.050
}
