// Package streets is the OpenStreetMap pedestrian street network: a compact
// graph read from an .osm.pbf extract (or a small .osm XML file), the linking
// of arbitrary points to its nearest edge, and bounded walking searches.
//
// Only way ends and junctions become vertices; the nodes between them fold
// into the edge's length (great-circle metres, the same haversine on a sphere
// of radius 6,371,000 m as gtfs.Distance) and into its shape, which is kept
// for linking and drawing. Edges are undirected: pedestrians ignore oneway.
// The graph holds the largest connected component plus every component that
// one of Options.Keep links to; the others are dropped and counted in Stats.
//
// Distances are metres. Walking times are metres / walking speed, converted
// by the caller; no detour factor applies on streets (the network is the
// detour). A point is linked to the nearest point of any edge's shape
// (projection onto the segment); the walk from the point to the edge is
// counted crow-fly. LinkAll, which the Walker uses, also links it to the
// nearest point on its other side, more than 120° away and at most
// OppositeExtra (15 m) farther: the carriageways of a divided avenue; each
// link is then a source (or a target) of the searches, with its own
// crow-fly walk, and no edge is added. A kept component of fewer than IslandVertices vertices
// (an island: a station footway, a platform, a park path not joined to the
// streets) is linked to only when no larger component lies within the link
// radius.
//
// A Search is per goroutine scratch: after its first use it allocates
// nothing. One multi-source search from every point of a category gives every
// vertex its distance to the nearest point, and To then answers any number
// of linked points in constant time. Between answers one walk, stopping as
// soon as the destination is settled, so that even an unbounded walk costs
// only the streets within it.
package streets
