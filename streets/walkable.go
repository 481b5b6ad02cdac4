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
//   - access=no, private, agricultural, forestry, military or delivery, or
//     motorroad=yes, drops it unless foot allows walking explicitly;
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
	if footOnly[hw] {
		return footYes
	}
	if !walkHighway[hw] {
		return false
	}
	if footYes {
		return true
	}
	if tags.Find("motorroad") == "yes" {
		return false
	}
	switch tags.Find("access") {
	case "no", "private", "agricultural", "forestry", "military", "delivery":
		return false
	}
	return true
}
