package streets

import "github.com/paulmach/osm"

// walkHighway lists the highway values a pedestrian may use unless foot or
// access says otherwise (OSM wiki, "OSM tags for routing/Access
// restrictions", worldwide defaults).
var walkHighway = map[string]bool{
	"footway": true, "path": true, "pedestrian": true, "steps": true,
	"living_street": true, "residential": true, "service": true,
	"unclassified": true, "road": true, "track": true, "cycleway": true,
	"tertiary": true, "tertiary_link": true, "secondary": true,
	"secondary_link": true, "primary": true, "primary_link": true,
	"corridor": true, "platform": true,
}

// footOnly lists the highway values walkable only with an explicit foot
// permission: motorways and trunk roads forbid pedestrians, and bridleways
// are for horses by the worldwide default.
var footOnly = map[string]bool{
	"motorway": true, "motorway_link": true, "trunk": true, "trunk_link": true,
	"bridleway": true,
}

// Walkable reports whether a way with these tags may be walked:
//
//   - highway is one of footway, path, pedestrian, steps, living_street,
//     residential, service, unclassified, road, track, cycleway,
//     tertiary…primary (and their _link), corridor, platform; or
//     motorway, motorway_link, trunk, trunk_link, bridleway with foot
//     yes, designated, permissive or official;
//   - foot=no, private or use_sidepath drops the way;
//   - access=no, private, agricultural, forestry, military, delivery,
//     emergency, permit or restricted drops it unless foot allows walking
//     explicitly;
//   - a mapped sidewalk (sidewalk=yes, both, left or right, or
//     sidewalk:both, :left or :right=yes) makes a
//     motorway, trunk or motorroad=yes way walkable, as in GraphHopper's
//     foot profile: São Paulo's trunk avenues carry their sidewalks as
//     such tags, and a pedestrian walks there (sidewalk=no or separate
//     says nothing, and a way mapped separately is walked on its own);
//   - motorroad=yes drops the way unless foot or a sidewalk allows it;
//   - area=yes (a pedestrian square) is walked along its outline like any
//     closed way;
//   - a way tagged railway=platform or public_transport=platform without a
//     highway tag is a platform: passengers walk on it to their stop, and a
//     stop on it would otherwise link to a street far away.
//
// Ways under construction, proposed or abandoned have other highway values
// and are not walkable.
func Walkable(tags osm.Tags) bool {
	hw := tags.Find("highway")
	if hw == "" && (tags.Find("railway") == "platform" || tags.Find("public_transport") == "platform") {
		hw = "platform" // a platform mapped without highway=platform
	}
	if hw == "" {
		return false
	}
	foot := tags.Find("foot")
	switch foot {
	case "no", "private", "use_sidepath":
		return false
	}
	footYes := false
	switch foot {
	case "yes", "designated", "permissive", "official":
		footYes = true
	}
	if footYes {
		return footOnly[hw] || walkHighway[hw]
	}
	if !footOnly[hw] && !walkHighway[hw] {
		return false
	}
	switch tags.Find("access") {
	case "no", "private", "agricultural", "forestry", "military", "delivery",
		"emergency", "permit", "restricted":
		return false
	}
	if hw != "bridleway" && hasSidewalk(tags) {
		return true
	}
	return !footOnly[hw] && tags.Find("motorroad") != "yes"
}

// hasSidewalk reports whether the tags map a sidewalk along the way, in the
// combined form (sidewalk=yes, both, left, right) or per side
// (sidewalk:both, sidewalk:left, sidewalk:right=yes).
func hasSidewalk(tags osm.Tags) bool {
	switch tags.Find("sidewalk") {
	case "yes", "both", "left", "right":
		return true
	}
	return tags.Find("sidewalk:both") == "yes" || tags.Find("sidewalk:left") == "yes" || tags.Find("sidewalk:right") == "yes"
}
