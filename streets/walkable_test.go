package streets

import (
	"strings"
	"testing"

	"github.com/paulmach/osm"
)

func TestWalkable(t *testing.T) {
	for _, c := range []struct {
		tags string // k=v,k=v
		want bool
	}{
		{"highway=footway", true},
		{"highway=residential", true},
		{"highway=primary_link", true},
		{"highway=steps", true},
		{"highway=track", true},
		{"highway=cycleway", true},
		{"highway=cycleway,foot=no", false},
		{"highway=path,foot=no", false},
		{"highway=path,foot=private", false},
		{"highway=secondary,foot=use_sidepath", false},
		{"highway=pedestrian,area=yes", true},
		{"highway=motorway", false},
		{"highway=motorway_link", false},
		{"highway=trunk", false},
		{"highway=trunk_link", false},
		{"highway=motorway,foot=yes", true},
		{"highway=trunk,foot=designated", true},
		{"highway=trunk,sidewalk=right", true},
		{"highway=trunk_link,sidewalk=both", true},
		{"highway=motorway,sidewalk=yes", true},
		{"highway=trunk,sidewalk=left,foot=no", false},
		{"highway=trunk,sidewalk=right,access=no", false},
		{"highway=trunk,sidewalk=no", false},
		{"highway=trunk,sidewalk=separate", false},
		{"highway=trunk,sidewalk=none", false},
		{"highway=trunk,sidewalk:right=yes", true},
		{"highway=trunk,sidewalk:both=yes", true},
		{"highway=trunk,sidewalk:left=no,sidewalk:right=separate", false},
		{"highway=primary,motorroad=yes,sidewalk=both", true},
		{"highway=bridleway,sidewalk=both", false},
		{"highway=construction,sidewalk=both", false},
		{"highway=residential,sidewalk=no", true},
		{"highway=service,access=emergency", false},
		{"highway=service,access=permit", false},
		{"highway=service,access=restricted", false},
		{"highway=bridleway", false},
		{"highway=bridleway,foot=permissive", true},
		{"highway=service,access=private", false},
		{"highway=service,access=no", false},
		{"highway=service,access=no,foot=yes", true},
		{"highway=track,access=agricultural", false},
		{"highway=service,access=destination", true},
		{"highway=service,access=customers", true},
		{"highway=primary,motorroad=yes", false},
		{"highway=primary,motorroad=yes,foot=yes", true},
		{"highway=construction", false},
		{"highway=proposed,foot=designated", false},
		{"highway=bus_stop", false},
		{"highway=platform", true},
		{"railway=platform", true},
		{"public_transport=platform", true},
		{"public_transport=platform,railway=platform,bridge=yes", true},
		{"railway=platform,access=no", false},
		{"public_transport=platform,foot=no", false},
		{"public_transport=stop_position", false},
		{"public_transport=station,building=train_station", false},
		{"waterway=river", false},
		{"railway=rail,foot=yes", false},
		{"", false},
	} {
		var tags osm.Tags
		for _, kv := range strings.Split(c.tags, ",") {
			if k, v, ok := strings.Cut(kv, "="); ok {
				tags = append(tags, osm.Tag{Key: k, Value: v})
			}
		}
		if got := Walkable(tags); got != c.want {
			t.Errorf("Walkable(%s) = %v, want %v", c.tags, got, c.want)
		}
	}
}
