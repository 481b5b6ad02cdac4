package router

import "fmt"

// LegKind tells how a leg is travelled.
type LegKind uint8

// The kinds of leg.
const (
	Walk     LegKind = iota // from the origin point to a stop
	Ride                    // aboard a vehicle
	Transfer                // walking between two stops
)

func (k LegKind) String() string {
	switch k {
	case Walk:
		return "walk"
	case Ride:
		return "ride"
	default:
		return "transfer"
	}
}

// Leg is one part of a journey. From and To are stops; -1 is the origin.
type Leg struct {
	Kind           LegKind
	From, To       int32
	Depart, Arrive int32
	// Route is the route id, RouteName its short (or long) name, Trip the
	// trip id and Headsign its headsign; set for rides only.
	Route, RouteName, Trip, Headsign string
}

// Journey is a sequence of legs from the origin to a stop.
type Journey struct {
	Legs []Leg
}

// Transfers returns the number of transfers (rides − 1; 0 without ride).
func (j Journey) Transfers() int {
	n := 0
	for _, l := range j.Legs {
		if l.Kind == Ride {
			n++
		}
	}
	return max(n-1, 0)
}

// Arrival returns the arrival time of the journey's last leg.
func (j Journey) Arrival() int32 {
	if len(j.Legs) == 0 {
		return Unreached
	}
	return j.Legs[len(j.Legs)-1].Arrive
}

// Journey rebuilds, after Query, the journey of the best arrival at stop s
// (the fewest rides among the earliest); false when s is unreached.
func (r *Router) Journey(s int32) (Journey, bool) {
	return r.journey(s, false)
}

// RideJourney rebuilds, after Query, the journey of RideArrival(s): the
// earliest arrival at stop s whose last leg is a ride (the fewest rides
// among the earliest); false when none.
func (r *Router) RideJourney(s int32) (Journey, bool) {
	return r.journey(s, true)
}

func (r *Router) journey(s int32, rideOnly bool) (Journey, bool) {
	n := r.n
	top := (r.rounds - 1) * n
	best := min(r.tArr[top+s], r.wArr[top+s])
	if rideOnly {
		best = r.tArr[top+s]
	}
	if best == Unreached || best > r.dep+r.tt.params.MaxDuration {
		return Journey{}, false
	}
	// The fewest rides that reach s as early.
	bestK, walk := int32(-1), false
	for k := int32(1); k < r.rounds && bestK < 0; k++ {
		switch {
		case best == r.tArr[k*n+s]:
			bestK = k
		case !rideOnly && best == r.wArr[k*n+s]:
			bestK, walk = k, true
		}
	}
	var legs []Leg
	k, stop := bestK, s
	for guard := int32(0); guard < 4*r.rounds; guard++ {
		i := k*n + stop
		if walk {
			if k == 0 {
				legs = append(legs, Leg{Kind: Walk, From: -1, To: stop, Depart: r.dep, Arrive: r.wArr[i]})
				break
			}
			from := r.wFrom[i]
			legs = append(legs, Leg{Kind: Transfer, From: from, To: stop, Depart: r.tArr[i-stop+from], Arrive: r.wArr[i]})
			stop, walk = from, false
			continue
		}
		leg := r.rideLeg(r.tPat[i], r.tTrip[i], r.tBd[i], stop, r.tArr[i])
		legs = append(legs, leg)
		// How the boarding stop was reached in round k−1: on foot when that
		// label allows boarding in time, else by vehicle.
		b := leg.From
		prev := (k-1)*n + b
		slack := r.tt.params.BoardSlack
		walk = k == 1 || r.wArr[prev] != Unreached && r.wArr[prev]+slack <= leg.Depart
		k, stop = k-1, b
	}
	for i, j := 0, len(legs)-1; i < j; i, j = i+1, j-1 {
		legs[i], legs[j] = legs[j], legs[i]
	}
	return Journey{Legs: legs}, true
}

func (r *Router) rideLeg(pat, trip, board, alightStop, arrival int32) Leg {
	tt := r.tt
	stops := tt.patStops[tt.patStopOff[pat]:tt.patStopOff[pat+1]]
	nt := tt.patTrips[pat]
	off := tt.patTimeOff[pat]
	alight := int32(-1)
	for i := board + 1; i < int32(len(stops)); i++ {
		if stops[i] == alightStop && tt.arr[off+i*nt+trip] == arrival {
			alight = i
			break
		}
	}
	ref := tt.refs[tt.patTripOff[pat]+trip]
	f := tt.feeds[ref.feed]
	t := &f.Trips[ref.trip]
	route := &f.Routes[t.Route]
	name := route.ShortName
	if name == "" {
		name = route.LongName
	}
	leg := Leg{Kind: Ride, From: stops[board], To: alightStop, Depart: tt.dep[off+board*nt+trip],
		Route: route.ID, RouteName: name, Trip: t.ID, Headsign: t.Headsign}
	if alight >= 0 {
		leg.Arrive = tt.arr[off+alight*nt+trip]
	}
	if ref.shift != 0 {
		leg.Trip = fmt.Sprintf("%s (previous day)", t.ID)
	}
	return leg
}
