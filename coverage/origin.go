package coverage

// One-origin questions — the best trip between two points, the travel time
// to every stop, their percentile over a window — answered with the
// indicator's own definition (TravelTime, Percentile), for the route and
// isochrone commands.

import (
	"math"
	"slices"

	"github.com/vingt/vingt/router"
	"github.com/vingt/vingt/walk"
)

// Trip is the best trip between two points leaving at a given time.
type Trip struct {
	// Seconds is TT, the door-to-door time, or router.Unreached.
	Seconds int32
	// Journey holds the rides, when transit wins; EgressStop is where the
	// last walk starts (-1 for a walk-only trip) and EgressSeconds that
	// walk.
	Journey       router.Journey
	EgressStop    int32
	EgressSeconds int32
	// WalkMetres is the distance walked on a walk-only trip.
	WalkMetres float64
	// AccessStops and EgressStops count the stops within walking distance
	// of the origin and of the destination.
	AccessStops, EgressStops int
}

// BestTrip returns the trip with the least travel time from one point to
// another leaving at dep: walk only, or walk → transit → walk, as TT
// defines it; among trips arriving as early, walking wins, then the
// fewest rides.
func BestTrip(tt *router.Timetable, r *router.Router, from, to walk.Place, dep int32) Trip {
	p := tt.Params()
	access := tt.StopsNear(from.Lat, from.Lon, p.MaxWalk, nil)
	egress := tt.StopsNear(to.Lat, to.Lon, p.MaxWalk, nil)
	trip := Trip{EgressStop: -1, AccessStops: len(access), EgressStops: len(egress)}
	// A walk-only trip is bounded by the cap, like any trip; MaxWalk bounds
	// only the access and egress legs.
	walkOnly, metres := tt.Walker().Walk(from, to, p.MaxDuration)
	// After the last ride: walk from the stop alighted at, or one footpath
	// to an egress stop first, the two within MaxWalk.
	r.Query(access, dep)
	type leg struct{ alight, stop, fp, walk int32 }
	var legs []leg
	isEgress := make(map[int32]int32, len(egress))
	for _, e := range egress {
		legs = append(legs, leg{e.Stop, e.Stop, 0, e.Seconds})
		isEgress[e.Stop] = e.Seconds
	}
	var fps []router.Access
	for s := range int32(tt.NumStops()) {
		if r.RideArrival(s) == router.Unreached {
			continue
		}
		fps = tt.Footpaths(s, fps[:0])
		for _, f := range fps {
			if w, ok := isEgress[f.Stop]; ok && f.Seconds+w <= p.MaxWalk {
				legs = append(legs, leg{s, f.Stop, f.Seconds, w})
			}
		}
	}
	transit := router.Unreached
	for _, l := range legs {
		if a := r.RideArrival(l.alight); a != router.Unreached {
			transit = min(transit, a+l.fp+l.walk)
		}
	}
	trip.Seconds = TravelTime(walkOnly, transit, dep, p.MaxDuration)
	switch {
	case trip.Seconds == router.Unreached:
	case trip.Seconds == walkOnly:
		trip.WalkMetres = metres
	default:
		rides, bestFp := math.MaxInt, int32(0)
		for _, l := range legs {
			a := r.RideArrival(l.alight)
			if a == router.Unreached || a+l.fp+l.walk != dep+trip.Seconds {
				continue
			}
			j, ok := r.RideJourney(l.alight)
			if !ok || j.Transfers()+1 > rides || j.Transfers()+1 == rides && l.fp >= bestFp {
				continue
			}
			if l.fp > 0 {
				j.Legs = append(j.Legs, router.Leg{Kind: router.Transfer, From: l.alight, To: l.stop, Depart: a, Arrive: a + l.fp})
			}
			trip.Journey, trip.EgressStop, trip.EgressSeconds, rides, bestFp = j, l.stop, l.walk, j.Transfers()+1, l.fp
		}
	}
	return trip
}

// StopTravel is the travel time to one stop leaving at a given time.
type StopTravel struct {
	Stop      int32
	Seconds   int32
	Transfers int
}

// StopTravels returns every stop reached leaving at dep from the access
// stops, by a ride or by the access walk alone (TT with the stop as the
// destination and no egress walk), in stop order.
func StopTravels(tt *router.Timetable, r *router.Router, access []router.Access, dep int32) []StopTravel {
	cap := tt.Params().MaxDuration
	walks := accessWalks(tt, access)
	arr := r.Query(access, dep)
	var out []StopTravel
	for s := range int32(tt.NumStops()) {
		v := TravelTime(walks[s], arr[s], dep, cap)
		if v == router.Unreached {
			continue
		}
		x := StopTravel{Stop: s, Seconds: v}
		if v != walks[s] {
			if j, ok := r.Journey(s); ok {
				x.Transfers = j.Transfers()
			}
		}
		out = append(out, x)
	}
	return out
}

// StopPercentiles returns, per stop, the q-th percentile (nearest rank)
// of the travel time over the departures from, from+step, … < to, by a
// ride (alighting there: router.RideArrival) or by the access walk alone,
// as the indicator reduces a cell's times; router.Unreached when beyond
// the cap. A stop reached by a footpath after the last ride is left out:
// an isochrone walks at most MaxWalk from the stops it is given, and the
// walk after the last ride is bounded by MaxWalk in total, footpath
// included (a walk from the alighting stop covers the footpath's stop and
// beyond, as far as the bound allows).
func StopPercentiles(tt *router.Timetable, r *router.Router, access []router.Access, from, to, step int32, q float64) []int32 {
	n := tt.NumStops()
	m := int((to - from + step - 1) / step)
	cap := tt.Params().MaxDuration
	walks := accessWalks(tt, access)
	// times[s*m+i] is the travel time to s leaving at the i-th departure.
	times := make([]float64, n*m)
	r.Range(access, from, to, step, func(dep int32, arr []int32) {
		i := int((dep - from) / step)
		for s := range arr {
			times[s*m+i] = seconds(TravelTime(walks[s], r.RideArrival(int32(s)), dep, cap))
		}
	})
	out := make([]int32, n)
	for s := range n {
		col := times[s*m : (s+1)*m]
		slices.Sort(col)
		if v := Percentile(col, q); math.IsInf(v, 1) {
			out[s] = router.Unreached
		} else {
			out[s] = int32(v)
		}
	}
	return out
}

// accessWalks returns, per stop, the access walk to it, or Unreached.
func accessWalks(tt *router.Timetable, access []router.Access) []int32 {
	w := make([]int32, tt.NumStops())
	for i := range w {
		w[i] = router.Unreached
	}
	for _, a := range access {
		w[a.Stop] = min(w[a.Stop], a.Seconds)
	}
	return w
}
