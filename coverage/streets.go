package coverage

import (
	"context"
	"fmt"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/output"
	"github.com/vingt/vingt/streets"
	"github.com/vingt/vingt/walk"
)

// loadStreets reads the job's OpenStreetMap extract, keeping the components
// that the feeds' stops and the service points link to, and returns the
// walker on its streets. It records the extract in the manifest: the input
// (path, hash), the graph's counts under counts["osm"], the stops and
// points linked to both sides (streets.Graph.LinkAll) under
// counts["osm_links"], and as warnings the stops and points that do not
// link (they walk crow-fly × detour).
func loadStreets(ctx context.Context, job Job, feeds []*gtfs.Feed, cats []*Category, m *Manifest) (walk.Walker, error) {
	radius := job.LinkRadius
	if radius == 0 {
		radius = streets.DefaultLinkRadius
	}
	var keep []streets.Point
	for _, f := range feeds {
		for _, st := range f.Stops {
			if st.HasCoords {
				keep = append(keep, streets.Point{Lat: st.Lat, Lon: st.Lon})
			}
		}
	}
	stops := len(keep)
	for _, c := range cats {
		for _, p := range c.Points {
			keep = append(keep, streets.Point{Lat: p.Lat, Lon: p.Lon})
		}
	}
	g, err := streets.Load(ctx, job.OSM, streets.Options{Keep: keep, LinkRadius: radius})
	if err != nil {
		return nil, fmt.Errorf("coverage: osm: %w", err)
	}
	w, err := streets.NewWalker(g, job.Routing.WalkSpeed, job.Routing.Detour)
	if err != nil {
		return nil, fmt.Errorf("coverage: osm %s: %w", job.OSM, err)
	}
	in, err := describe("osm", job.OSM)
	if err != nil {
		return nil, err
	}
	st := g.Stats()
	in.Counts = map[string]int{"nodes": int(st.Nodes), "ways": int(st.Ways), "vertices": g.Vertices(), "edges": g.Edges()}
	m.Inputs = append(m.Inputs, in)
	m.Counts["osm"] = st
	// Which stops and points link, and which walk crow-fly.
	var unStops, unPoints, bothStops, bothPoints int
	var exStops, exPoints []string
	for i, p := range keep {
		if ls, ok := g.LinkAll(p.Lat, p.Lon, 0); ok {
			// linked to both sides of the place: the carriageways of a
			// divided avenue
			if ls.N == 2 && i < stops {
				bothStops++
			} else if ls.N == 2 {
				bothPoints++
			}
			continue
		}
		ex := fmt.Sprintf("%.6f,%.6f", p.Lat, p.Lon)
		if i < stops {
			unStops++
			if len(exStops) < 5 {
				exStops = append(exStops, "stop at "+ex)
			}
		} else {
			unPoints++
			if len(exPoints) < 5 {
				exPoints = append(exPoints, "point at "+ex)
			}
		}
	}
	m.Counts["osm_links"] = map[string]int{"stops": stops, "stops_unlinked": unStops, "stops_both_sides": bothStops,
		"points": len(keep) - stops, "points_unlinked": unPoints, "points_both_sides": bothPoints}
	if unStops > 0 {
		m.Warnings = append(m.Warnings, output.Warning{Input: "osm", Kind: fmt.Sprintf("stops farther than %g m from any street (walk crow-fly)", radius), Count: unStops, Examples: exStops})
	}
	if unPoints > 0 {
		m.Warnings = append(m.Warnings, output.Warning{Input: "osm", Kind: fmt.Sprintf("service points farther than %g m from any street (walk crow-fly)", radius), Count: unPoints, Examples: exPoints})
	}
	if st.ComponentsDropped > 0 {
		m.Warnings = append(m.Warnings, output.Warning{Input: "osm", Kind: "street components dropped (not the largest, no stop or point on them)", Count: int(st.ComponentsDropped)})
	}
	if stops > 0 && unStops*2 > stops {
		m.Warnings = append(m.Warnings, output.Warning{Input: "osm", Kind: "the extract does not cover the feed: most stops are unlinked", Count: unStops})
	}
	return w, nil
}
