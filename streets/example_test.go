package streets_test

import (
	"context"
	"fmt"

	"github.com/vingt/vingt/streets"
)

// Walking from a home to the nearer of two shops across a river with one
// bridge: one multi-source search from both shops answers every point.
func Example() {
	g, err := streets.Load(context.Background(), "testdata/fixture.osm", streets.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	st := g.Stats()
	fmt.Printf("%d of %d ways kept, %d vertices, %d edges, %d component dropped\n",
		st.WaysKept, st.Ways, st.Vertices, st.Edges, st.ComponentsDropped)

	shop, _ := g.Link(-0.0005, 0.008, 0) // east of the river
	deadEnd, _ := g.Link(-0.0025, 0.0044, 0)
	home, _ := g.Link(0.0005, 0.001, 0) // west of the river

	s := g.NewSearch()
	s.FromLinks([]streets.Link{shop, deadEnd}, nil, 1170) // 15 min at 1.3 m/s
	m := s.To(home)
	fmt.Printf("home: %.0f m to the nearest shop, %.1f min at 1.3 m/s\n", m, m/1.3/60)
	// Output:
	// 8 of 11 ways kept, 9 vertices, 8 edges, 1 component dropped
	// home: 712 m to the nearest shop, 9.1 min at 1.3 m/s
}
