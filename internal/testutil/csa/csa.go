// Package csa is the oracle the router is checked against: a deliberately
// simple earliest-arrival search, written from the GTFS tables without any
// of the router's structures, that the router must agree with exactly.
//
// It is a connection scan repeated once per ride: in round k every
// connection (one hop of one trip) is scanned in order of departure; a
// trip is boarded at the first stop where the person is ready (reached
// with at most k−1 rides, plus the board slack) and every later stop where
// it may drop off gets its arrival. Footpaths are then walked from the
// stops reached by vehicle in round k. No pruning, no label reuse, no
// pattern, no index: quadratic and obvious. Trips of the day before that
// run past midnight count, shifted by a day; transfers.txt forbids a
// transfer or sets its time.
//
// Stops are numbered across the feeds in the order given, each feed's
// stops in its own order, as the router numbers them.
package csa

import (
	"math"
	"slices"

	"github.com/vingt/vingt/gtfs"
)

// Unreached is the arrival at a stop that no journey reaches.
const Unreached int32 = math.MaxInt32

// Params are the routing parameters the oracle honours.
type Params struct {
	// BoardSlack is the least time in seconds between reaching a stop
	// and boarding there, first boarding included.
	BoardSlack int32
	// MaxTransfers bounds the rides of a journey to MaxTransfers+1.
	MaxTransfers int
	// MaxDuration bounds the arrival to the departure plus this many
	// seconds.
	MaxDuration int32
	// MaxTransferWalk bounds, in metres, the walk between two stops of a
	// transfer (stops of one parent station are always linked). Zero
	// allows same-stop transfers only, and ignores the transfers.txt
	// times between distinct stops.
	MaxTransferWalk float64
	// MaxWalk bounds, in seconds, the walk after the last ride when it
	// starts with a footpath (Egress): footpath and walk to the point
	// together.
	MaxWalk int32
	// Walk returns the walk between two stops with coordinates, in
	// seconds and in metres. It may be nil when MaxTransferWalk is zero.
	Walk func(a, b *gtfs.Stop) (seconds int32, metres float64)
}

// Start is a stop where a journey may begin, and the walk to it in
// seconds.
type Start struct {
	Stop    int32
	Seconds int32
}

type connection struct {
	trip      int // instance index
	from, to  int // global stops
	dep, arr  int32
	seq       int // position of the hop in the trip
	canBoard  bool
	canAlight bool
}

// Oracle is the connection scan of a set of feeds on one date.
type Oracle struct {
	p         Params
	stops     []gtfs.Stop
	conns     []connection
	walk      map[[2]int]int32 // footpath seconds between distinct stops
	selfExtra []int32          // Unreached: forbidden
}

// New prepares the connections of feeds that run on date, and the
// footpaths between their stops.
func New(feeds []*gtfs.Feed, date gtfs.Date, p Params) *Oracle {
	o := &Oracle{p: p, walk: map[[2]int]int32{}}
	offset := []int{}
	for _, f := range feeds {
		offset = append(offset, len(o.stops))
		o.stops = append(o.stops, f.Stops...)
	}
	o.selfExtra = make([]int32, len(o.stops))
	trip := 0
	for fi, f := range feeds {
		for ti := range f.Trips {
			t := &f.Trips[ti]
			for _, shift := range []int32{0, -86400} {
				day := date
				if shift != 0 {
					day = date.AddDays(-1)
				}
				if !f.Services[t.Service].Active(day) || t.N < 2 {
					continue
				}
				if shift != 0 && f.Arrival(t, int(t.N)-1) < 86400 {
					continue
				}
				for k := 0; k+1 < int(t.N); k++ {
					a, b := int(t.First)+k, int(t.First)+k+1
					o.conns = append(o.conns, connection{
						trip: trip, seq: k,
						from: offset[fi] + int(f.StopTimes.Stop[a]), to: offset[fi] + int(f.StopTimes.Stop[b]),
						dep: f.Departure(t, k) + shift, arr: f.Arrival(t, k+1) + shift,
						canBoard:  f.StopTimes.Pickup[a] != gtfs.NoService,
						canAlight: f.StopTimes.DropOff[b] != gtfs.NoService,
					})
				}
				trip++
			}
		}
	}
	slices.SortStableFunc(o.conns, func(a, b connection) int {
		if a.dep != b.dep {
			return int(a.dep - b.dep)
		}
		if a.trip != b.trip {
			return a.trip - b.trip
		}
		return a.seq - b.seq
	})
	if p.MaxTransferWalk > 0 {
		for a := range o.stops {
			for b := range o.stops {
				sa, sb := &o.stops[a], &o.stops[b]
				if a == b || !sa.HasCoords || !sb.HasCoords {
					continue
				}
				sec, d := p.Walk(sa, sb)
				sameParent := sa.Parent != gtfs.None && sa.Parent == sb.Parent && feedOf(offset, a) == feedOf(offset, b)
				if d <= p.MaxTransferWalk || sameParent {
					o.walk[[2]int{a, b}] = sec
				}
			}
		}
	}
	for fi, f := range feeds {
		for _, x := range f.Transfers {
			a, b := offset[fi]+int(x.From), offset[fi]+int(x.To)
			switch {
			case x.Type == gtfs.TransferForbidden && a == b:
				o.selfExtra[a] = Unreached
			case x.Type == gtfs.TransferForbidden:
				delete(o.walk, [2]int{a, b})
			case x.Type == gtfs.TransferMinTime && a == b:
				o.selfExtra[a] = x.MinTime
			case x.Type == gtfs.TransferMinTime && p.MaxTransferWalk > 0:
				o.walk[[2]int{a, b}] = x.MinTime
			}
		}
	}
	return o
}

func feedOf(offset []int, s int) int {
	f := 0
	for i, o := range offset {
		if s >= o {
			f = i
		}
	}
	return f
}

// NumStops returns the number of stops of all the feeds.
func (o *Oracle) NumStops() int {
	return len(o.stops)
}

// Stop returns stop s.
func (o *Oracle) Stop(s int32) *gtfs.Stop {
	return &o.stops[s]
}

// Query returns the earliest arrival at every stop by a journey with at
// least one ride, leaving at dep from the starts, or Unreached.
func (o *Oracle) Query(starts []Start, dep int32) []int32 {
	rounds := o.Rounds(starts, dep)
	return rounds[len(rounds)-1]
}

// Rounds returns, for k from 1 to MaxTransfers+1, the earliest arrival at
// every stop by a journey of at least one and at most k rides, leaving at
// dep from the starts, or Unreached: round k is element k−1.
func (o *Oracle) Rounds(starts []Start, dep int32) [][]int32 {
	rounds, _ := o.rounds(starts, dep)
	return rounds
}

// ByVehicle returns the earliest arrival at every stop by a journey of at
// least one ride whose last leg is a ride (alighting there), leaving at
// dep from the starts, or Unreached.
func (o *Oracle) ByVehicle(starts []Start, dep int32) []int32 {
	_, v := o.rounds(starts, dep)
	return v
}

// Footpath returns the walk of the transfer from stop a to a distinct
// stop b, in seconds, and whether there is one.
func (o *Oracle) Footpath(a, b int32) (int32, bool) {
	sec, ok := o.walk[[2]int{int(a), int(b)}]
	return sec, ok
}

// Egress returns the earliest arrival at a point by a journey of at least
// one ride leaving at dep from the starts, or Unreached: targets give
// stops and their walks to a point; after alighting at a stop, the
// traveller walks from it, or takes one footpath to a target stop and
// walks from there, footpath and walk together within MaxWalk. The
// travel time is within MaxDuration.
func (o *Oracle) Egress(starts []Start, dep int32, targets []Start) int32 {
	veh := o.ByVehicle(starts, dep)
	best := int64(Unreached)
	for _, t := range targets {
		if a := veh[t.Stop]; a != Unreached {
			best = min(best, int64(a)+int64(t.Seconds))
		}
		for s := range veh {
			if sec, ok := o.Footpath(int32(s), t.Stop); ok && veh[s] != Unreached && sec+t.Seconds <= o.p.MaxWalk {
				best = min(best, int64(veh[s])+int64(sec)+int64(t.Seconds))
			}
		}
	}
	if best-int64(dep) > int64(o.p.MaxDuration) {
		return Unreached
	}
	return int32(best)
}

func (o *Oracle) rounds(starts []Start, dep int32) ([][]int32, []int32) {
	n := len(o.stops)
	limit := int64(dep) + int64(o.p.MaxDuration)
	reach := make([]int32, n) // best arrival usable for boarding, ≤ k−1 rides
	for i := range reach {
		reach[i] = Unreached
	}
	for _, a := range starts {
		reach[a.Stop] = min(reach[a.Stop], dep+a.Seconds)
	}
	out := make([]int32, n)
	veh := make([]int32, n)
	for i := range out {
		out[i], veh[i] = Unreached, Unreached
	}
	var rounds [][]int32
	for k := 1; k <= o.p.MaxTransfers+1; k++ {
		byVehicle := make([]int32, n)
		for i := range byVehicle {
			byVehicle[i] = Unreached
		}
		boarded := map[int]bool{}
		for _, c := range o.conns {
			if !boarded[c.trip] && c.canBoard && reach[c.from] != Unreached && int64(reach[c.from])+int64(o.p.BoardSlack) <= int64(c.dep) {
				boarded[c.trip] = true
			}
			if boarded[c.trip] && c.canAlight && int64(c.arr) <= limit {
				byVehicle[c.to] = min(byVehicle[c.to], c.arr)
			}
		}
		onFoot := make([]int32, n)
		for i := range onFoot {
			onFoot[i] = Unreached
		}
		for pair, sec := range o.walk {
			if a := byVehicle[pair[0]]; a != Unreached && int64(a)+int64(sec) <= limit {
				onFoot[pair[1]] = min(onFoot[pair[1]], a+sec)
			}
		}
		for s := range n {
			out[s] = min(out[s], byVehicle[s], onFoot[s])
			veh[s] = min(veh[s], byVehicle[s])
			if x := o.selfExtra[s]; byVehicle[s] != Unreached && x != Unreached {
				reach[s] = min(reach[s], byVehicle[s]+x)
			}
			reach[s] = min(reach[s], onFoot[s])
		}
		rounds = append(rounds, slices.Clone(out))
	}
	return rounds, veh
}
