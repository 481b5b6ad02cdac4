package csa_test

import (
	"fmt"
	"math"
	"path/filepath"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/internal/testutil/csa"
)

// Example runs the oracle on the forbidden-transfer fixture, leaving stop
// S1 at 08:00 with no board slack and transfers of up to 500 m walked at
// 1 m/s: R1 leaves at 08:02 and reaches S2a at 08:07, but transfers.txt
// forbids the 222 m walk from S2a to S2b, so neither S2b nor S3 is
// reached. Leaving S2b itself, R2 reaches S3 at 08:06.
func Example() {
	feed, err := gtfs.Open(filepath.Join("..", "..", "..", "testdata", "fixtures", "forbidden-transfer", "gtfs"))
	if err != nil {
		fmt.Println(err)
		return
	}
	date, _ := gtfs.ParseDate("2026-01-13")
	o := csa.New([]*gtfs.Feed{feed}, date, csa.Params{
		MaxTransfers: 4, MaxDuration: 3600, MaxTransferWalk: 500,
		Walk: func(a, b *gtfs.Stop) (int32, float64) {
			d := gtfs.Distance(a.Lat, a.Lon, b.Lat, b.Lon)
			return int32(math.Ceil(d)), d
		},
	})
	show := func(from string) {
		s, _ := feed.FindStop(from)
		arrivals := o.Query([]csa.Start{{Stop: s}}, 8*3600)
		fmt.Printf("from %s:", from)
		for i, a := range arrivals {
			if a != csa.Unreached {
				fmt.Printf(" %s %02d:%02d", o.Stop(int32(i)).ID, a/3600, a/60%60)
			}
		}
		fmt.Println()
	}
	show("S1")
	show("S2b")
	// Output:
	// from S1: S2a 08:07
	// from S2b: S3 08:06
}
