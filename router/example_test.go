package router_test

import (
	"fmt"
	"path/filepath"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/router"
)

func clock(s int32) string {
	return fmt.Sprintf("%02d:%02d:%02d", s/3600, s/60%60, s%60)
}

// Example is the newcomer's path through the router on the feed of the
// forbidden-transfer fixture (testdata/fixtures/forbidden-transfer, whose
// README works the answers out by hand): open a feed, compile it for a
// date, find the stops within walking distance of a point, and ask for
// the earliest arrivals leaving at 08:00. From cell G, the walk to S2b
// takes 31 s; R2 leaves S2b every minute, so with the 60-second board
// slack the first ride is at 08:02, reaching S3 at 08:07.
func Example() {
	feed, err := gtfs.Open(filepath.Join("..", "testdata", "fixtures", "forbidden-transfer", "gtfs"))
	if err != nil {
		fmt.Println(err)
		return
	}
	date, _ := gtfs.ParseDate("2026-01-13")
	p := router.DefaultParams()
	tt, err := router.Compile([]*gtfs.Feed{feed}, date, p)
	if err != nil {
		fmt.Println(err)
		return
	}

	access := tt.StopsNear(0.00027, 1.052, p.MaxWalk, nil) // cell G
	for _, a := range access {
		fmt.Printf("walk to %s: %d s\n", tt.Stop(a.Stop).ID, a.Seconds)
	}

	r := router.NewRouter(tt)
	arrivals := r.Query(access, 8*3600)
	s3, _ := tt.FindStop("S3")
	fmt.Println("arrival at S3:", clock(arrivals[s3]))
	journey, _ := r.Journey(s3)
	for _, leg := range journey.Legs {
		if leg.Kind == router.Ride {
			fmt.Printf("ride %s from %s at %s to %s at %s\n", leg.RouteName,
				tt.Stop(leg.From).ID, clock(leg.Depart), tt.Stop(leg.To).ID, clock(leg.Arrive))
		}
	}
	// Output:
	// walk to S2a: 225 s
	// walk to S2b: 31 s
	// arrival at S3: 08:07:00
	// ride R2 from S2b at 08:02:00 to S3 at 08:07:00
}
