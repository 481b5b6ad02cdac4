// Package router compiles GTFS feeds into a timetable for one date and
// routes over it with range-RAPTOR: earliest arrivals at every stop for
// every departure minute of a window, walking access, egress and
// transfers, and journeys leg by leg. It imports neither GEOS nor the
// coverage engine: the polygons of package isochrone and the indicator
// of package coverage are built on it.
package router

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/walk"
)

// Unreached is the arrival time of a stop that no journey reaches.
const Unreached int32 = math.MaxInt32

// Params are the routing parameters.
type Params struct {
	// WalkSpeed is in metres per second.
	WalkSpeed float64
	// Detour multiplies crow-fly distances into walking distances.
	Detour float64
	// MaxWalk is the longest access or egress leg, in seconds; a walk-only
	// trip is bounded by MaxDuration, like any trip.
	MaxWalk int32
	// MaxTransferWalk is the longest crow-fly distance between two stops
	// of a transfer, in metres; 0 allows same-stop transfers only.
	MaxTransferWalk float64
	// BoardSlack is the least time between reaching a stop and boarding
	// there, in seconds.
	BoardSlack int32
	// MaxTransfers is the most transfers of a journey (rides − 1).
	MaxTransfers int
	// MaxDuration caps the travel time, in seconds.
	MaxDuration int32
	// Walker computes every walk; nil walks crow-fly at WalkSpeed with
	// Detour (walk.CrowFly).
	Walker walk.Walker
	// Routes, when set, tells which routes' trips are compiled (nil: all).
	Routes *RouteFilter
}

// DefaultParams returns the defaults of measure 3.
func DefaultParams() Params {
	return Params{WalkSpeed: 1.3, Detour: 1.3, MaxWalk: 900, MaxTransferWalk: 500, BoardSlack: 60, MaxTransfers: 4, MaxDuration: 3600}
}

// Validate reports whether the parameters are usable.
func (p Params) Validate() error {
	switch {
	case p.MaxWalk < 0:
		return fmt.Errorf("router: max walk %d s: must not be negative", p.MaxWalk)
	case !(p.MaxTransferWalk >= 0) || p.MaxTransferWalk > 10000:
		return fmt.Errorf("router: max transfer walk %v m: must be within 0–10000", p.MaxTransferWalk)
	case p.BoardSlack < 0:
		return fmt.Errorf("router: board slack %d s: must not be negative", p.BoardSlack)
	case p.MaxTransfers < 0 || p.MaxTransfers > 20:
		return fmt.Errorf("router: max transfers %d: must be within 0–20", p.MaxTransfers)
	case p.MaxDuration <= 0 || p.MaxDuration > 24*3600:
		return fmt.Errorf("router: max duration %d s: must be within 1 s–24 h", p.MaxDuration)
	}
	if p.Walker == nil {
		if _, err := walk.NewCrowFly(p.WalkSpeed, p.Detour); err != nil {
			return fmt.Errorf("router: %w", err)
		}
	}
	return nil
}

// Walk returns the walker of every walk: p.Walker, or crow-fly at
// WalkSpeed with Detour.
func (p Params) Walk() walk.Walker {
	if p.Walker != nil {
		return p.Walker
	}
	return walk.CrowFly{Speed: p.WalkSpeed, Detour: p.Detour}
}

// Access is a stop and the walk to or from it, in seconds.
type Access struct {
	Stop    int32
	Seconds int32
}

// StopInfo describes a stop of the timetable.
type StopInfo struct {
	ID, Name  string
	Lat, Lon  float64
	Feed      int
	HasCoords bool
}

// Stats counts what a timetable holds.
type Stats struct {
	Stops            int `json:"stops"`
	Patterns         int `json:"patterns"`
	Trips            int `json:"trips"`
	PreviousDayTrips int `json:"previous_day_trips"`
	// TripsFilteredOut counts the trips left out by Params.Routes.
	TripsFilteredOut int `json:"trips_filtered_out"`
	StopTimes        int `json:"stop_times"`
	Footpaths        int `json:"footpaths"`
}

// tripRef names the GTFS trip behind a pattern's trip.
type tripRef struct {
	feed, trip int32
	shift      int32
}

// Timetable is the compiled timetable of one date: dense int32 indices,
// trips grouped into patterns whose trips never overtake, times in flat
// stop-major columns. It is read-only and shared by all routers.
type Timetable struct {
	params Params
	feeds  []*gtfs.Feed
	stops  []StopInfo
	ids    map[string]int32

	// Pattern p visits patStops[patStopOff[p]:patStopOff[p+1]] and runs
	// patTrips[p] trips; the departure of trip j at its i-th stop is
	// dep[patTimeOff[p]+i*patTrips[p]+j], and likewise arr.
	patStopOff []int32
	patStops   []int32
	patFlags   []uint8 // per pattern stop: canBoard | canAlight<<1
	patTrips   []int32
	patTimeOff []int32
	patTripOff []int32 // trips of pattern p: refs[patTripOff[p]:…]
	dep, arr   []int32
	refs       []tripRef

	// Stop s is served by the (pattern, position) pairs
	// stopPP[stopPatOff[s]:stopPatOff[s+1]].
	stopPatOff []int32
	stopPP     []patPos

	// Footpaths of stop s: fps[fpOff[s]:fpOff[s+1]].
	fpOff []int32
	fps   []hop
	// selfExtra is the extra time needed to board at a stop after
	// alighting there (transfers.txt); Unreached forbids it.
	selfExtra []int32

	walker    walk.Walker
	stopIndex walk.Index // every stop; those without coordinates are never reached
	stats     Stats
	warnings  gtfs.Warnings
	// feedOff is, per feed, the index of its first stop.
	feedOff []int32
}

// patPos is a pattern and a position along it.
type patPos struct{ pat, pos int32 }

// hop is a footpath to a stop, in seconds.
type hop struct{ to, sec int32 }

const (
	canBoard  uint8 = 1
	canAlight uint8 = 2
)

// Compile builds the timetable of date: the trips running that day, and
// the previous day's trips still running after midnight, shifted by −24 h.
// It is CompileContext with a context that is never cancelled.
func Compile(feeds []*gtfs.Feed, date gtfs.Date, p Params) (*Timetable, error) {
	return CompileContext(context.Background(), feeds, date, p)
}

// cancelEvery is how many trips or stop sequences the compilation
// handles between two looks at its context.
const cancelEvery = 1024

// CompileContext is Compile, stopping when ctx is done: it looks at ctx
// every cancelEvery trips and stop sequences and at every stop it links by
// footpaths, and returns an error wrapping context.Cause(ctx) (context.Canceled
// for a plain cancel).
func CompileContext(ctx context.Context, feeds []*gtfs.Feed, date gtfs.Date, p Params) (*Timetable, error) {
	if err := ctxErr(ctx, "starting"); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if len(feeds) == 0 {
		return nil, errors.New("router: no feed")
	}
	tt := &Timetable{params: p, feeds: feeds, ids: map[string]int32{}, walker: p.Walk()}
	names := map[string]bool{}
	for _, f := range feeds {
		if names[f.Name] {
			return nil, fmt.Errorf("router: two feeds named %q: ids would collide", f.Name)
		}
		names[f.Name] = true
	}
	offsets := make([]int32, len(feeds))
	for fi, f := range feeds {
		offsets[fi] = int32(len(tt.stops))
		for _, s := range f.Stops {
			id := s.ID
			if len(feeds) > 1 {
				id = f.Name + ":" + s.ID
			}
			tt.ids[id] = int32(len(tt.stops))
			tt.stops = append(tt.stops, StopInfo{ID: id, Name: s.Name, Lat: s.Lat, Lon: s.Lon, Feed: fi, HasCoords: s.HasCoords})
		}
	}
	places := make([]walk.Place, len(tt.stops))
	for i, st := range tt.stops {
		places[i] = walk.Place{Lat: st.Lat, Lon: st.Lon}
		if !st.HasCoords {
			places[i] = walk.Place{Lat: math.NaN(), Lon: math.NaN()}
		}
	}
	tt.stopIndex = tt.walker.Index(places)
	tt.feedOff = offsets
	if err := tt.buildPatterns(ctx, feeds, offsets, date); err != nil {
		return nil, err
	}
	if err := tt.buildFootpaths(ctx, feeds, offsets); err != nil {
		return nil, err
	}
	tt.stats.Stops = len(tt.stops)
	tt.stats.Patterns = len(tt.patTrips)
	tt.stats.Trips = len(tt.refs)
	tt.stats.StopTimes = len(tt.dep)
	tt.stats.Footpaths = len(tt.fps)
	if len(tt.refs) == 0 {
		tt.warnings.Add("no trip runs on the date", date.String())
	}
	return tt, nil
}

// ctxErr returns nil while ctx runs, and an error saying which stage of
// the compilation it stopped, wrapping the cause, once it is done.
func ctxErr(ctx context.Context, stage string) error {
	if ctx.Err() == nil {
		return nil
	}
	return fmt.Errorf("router: compile: stopped while %s: %w", stage, context.Cause(ctx))
}

// instance is one trip running on the compiled date.
type instance struct {
	feed, trip int32
	shift      int32
	seq        int32 // its stop sequence (tripsBySequence's seqs)
	first      int32 // departure at the first stop, shifted
}

// seqTrip is a trip whose stop sequence stands for every trip with the
// same one.
type seqTrip struct{ feed, trip int32 }

// findSeq returns the sequence of seqs that trip ti of feed fi has (the
// same stops, pickup and drop-off refusals), or len(seqs) when it has a
// new one, then recorded under its hash in byHash.
func findSeq(feeds []*gtfs.Feed, offsets []int32, seqs []seqTrip, byHash map[uint64][]int32, fi, ti int32) int32 {
	f := feeds[fi]
	t := &f.Trips[ti]
	// FNV-1a over the length and five rows spread over the sequence:
	// enough to tell most sequences apart (those it does not are told
	// apart by the comparison below) without reading every row twice.
	h := (uint64(14695981039346656037) ^ uint64(t.N)) * 1099511628211
	for _, k := range [5]int{0, int(t.N) / 4, int(t.N) / 2, 3 * int(t.N) / 4, int(t.N) - 1} {
		st := int(t.First) + k
		v := uint64(uint32(offsets[fi]+f.StopTimes.Stop[st]))<<2 | b2u(f.StopTimes.Pickup[st] == gtfs.NoService)<<1 | b2u(f.StopTimes.DropOff[st] == gtfs.NoService)
		h = (h ^ v) * 1099511628211
	}
	for _, q := range byHash[h] {
		g := feeds[seqs[q].feed]
		u := &g.Trips[seqs[q].trip]
		if u.N != t.N {
			continue
		}
		// Most trips of a sequence have the very same rows: compared as
		// blocks of memory, then value by value when they differ.
		a0, b0, n := int(t.First), int(u.First), int(t.N)
		if seqs[q].feed == fi && slices.Equal(f.StopTimes.Stop[a0:a0+n], g.StopTimes.Stop[b0:b0+n]) &&
			slices.Equal(f.StopTimes.Pickup[a0:a0+n], g.StopTimes.Pickup[b0:b0+n]) &&
			slices.Equal(f.StopTimes.DropOff[a0:a0+n], g.StopTimes.DropOff[b0:b0+n]) {
			return q
		}
		same := true
		for k := 0; k < int(t.N) && same; k++ {
			a, b := int(t.First)+k, int(u.First)+k
			same = offsets[fi]+f.StopTimes.Stop[a] == offsets[seqs[q].feed]+g.StopTimes.Stop[b] &&
				(f.StopTimes.Pickup[a] == gtfs.NoService) == (g.StopTimes.Pickup[b] == gtfs.NoService) &&
				(f.StopTimes.DropOff[a] == gtfs.NoService) == (g.StopTimes.DropOff[b] == gtfs.NoService)
		}
		if same {
			return q
		}
	}
	byHash[h] = append(byHash[h], int32(len(seqs)))
	return int32(len(seqs))
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// buildPatterns splits the trips of the date into patterns (one stop
// sequence, no overtaking) and indexes them by stop.
func (tt *Timetable) buildPatterns(ctx context.Context, feeds []*gtfs.Feed, offsets []int32, date gtfs.Date) error {
	insts, start, stopTimes, err := tt.tripsBySequence(ctx, feeds, offsets, date)
	if err != nil {
		return err
	}
	tt.patStopOff = []int32{0}
	tt.patTimeOff = []int32{0}
	tt.patTripOff = []int32{0}
	// Every trip's times land in arr and dep, and every trip in refs:
	// their room at once.
	tt.arr = make([]int32, 0, stopTimes)
	tt.dep = make([]int32, 0, stopTimes)
	tt.refs = make([]tripRef, 0, len(insts))
	for r := range len(start) - 1 {
		if r%cancelEvery == cancelEvery-1 {
			if err := ctxErr(ctx, "splitting patterns"); err != nil {
				return err
			}
		}
		tt.addPatterns(feeds, offsets, insts[start[r]:start[r+1]])
	}
	// stop → (pattern, position)
	counts := make([]int32, len(tt.stops)+1)
	for p := range tt.patTrips {
		for i := tt.patStopOff[p]; i < tt.patStopOff[p+1]; i++ {
			counts[tt.patStops[i]+1]++
		}
	}
	for s := range tt.stops {
		counts[s+1] += counts[s]
	}
	tt.stopPatOff = counts
	tt.stopPP = make([]patPos, counts[len(tt.stops)])
	fill := slices.Clone(counts[:len(tt.stops)])
	for p := range tt.patTrips {
		for i := tt.patStopOff[p]; i < tt.patStopOff[p+1]; i++ {
			s := tt.patStops[i]
			tt.stopPP[fill[s]] = patPos{int32(p), i - tt.patStopOff[p]}
			fill[s]++
		}
	}
	return nil
}

func (tt *Timetable) tripsBySequence(ctx context.Context, feeds []*gtfs.Feed, offsets []int32, date gtfs.Date) (insts []instance, start []int32, stopTimes int, err error) {
	// Trips are grouped by stop sequence (stops and pickup/drop-off
	// refusals): seqs holds one trip of each, found again through a hash
	// of the sequence (equal sequences checked stop by stop).
	var seqs []seqTrip
	byHash := map[uint64][]int32{}
	for fi, f := range feeds {
		today, yesterday := f.ActiveServices(date), f.ActiveServices(date.AddDays(-1))
		keep := make([]bool, len(f.Routes))
		for ri := range f.Routes {
			keep[ri] = tt.params.Routes.Keeps(f.Name, &f.Routes[ri])
		}
		for ti := range f.Trips {
			if ti%cancelEvery == cancelEvery-1 {
				if err := ctxErr(ctx, "reading trips"); err != nil {
					return nil, nil, 0, err
				}
			}
			t := &f.Trips[ti]
			if t.N < 2 {
				continue
			}
			if r := int(t.Route); r >= 0 && r < len(keep) && !keep[r] {
				tt.stats.TripsFilteredOut++
				continue
			}
			seq := int32(-1)
			for _, shift := range []int32{0, -86400} {
				if shift == 0 && !today[t.Service] || shift != 0 && (!yesterday[t.Service] || f.Arrival(t, int(t.N)-1) < 86400) {
					continue
				}
				if shift != 0 {
					tt.stats.PreviousDayTrips++
				}
				if seq < 0 {
					seq = findSeq(feeds, offsets, seqs, byHash, int32(fi), int32(ti))
					if int(seq) == len(seqs) {
						seqs = append(seqs, seqTrip{feed: int32(fi), trip: int32(ti)})
					}
				}
				insts = append(insts, instance{feed: int32(fi), trip: int32(ti), shift: shift, seq: seq, first: f.Departure(t, 0) + shift})
				stopTimes += int(t.N)
			}
		}
	}
	// The sequences in the order of their text, "stop/noPickup/noDropOff,"
	// per stop (the order of the patterns of before), then the trips by
	// first departure, stably (a counting sort by sequence keeps the
	// trips' order, the stable sort by departure within each keeps it
	// between equal departures): the order a stable sort of the trips by
	// (text, first departure) gives.
	var key []byte
	keys := make([]string, len(seqs))
	for q, sq := range seqs {
		f := feeds[sq.feed]
		t := &f.Trips[sq.trip]
		key = key[:0]
		for k := range int(t.N) {
			st := int(t.First) + k
			key = strconv.AppendInt(key, int64(offsets[sq.feed]+f.StopTimes.Stop[st]), 10)
			key = append(key, '/')
			key = strconv.AppendBool(key, f.StopTimes.Pickup[st] == gtfs.NoService)
			key = append(key, '/')
			key = strconv.AppendBool(key, f.StopTimes.DropOff[st] == gtfs.NoService)
			key = append(key, ',')
		}
		keys[q] = string(key)
	}
	order := make([]int32, len(seqs))
	for q := range order {
		order[q] = int32(q)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(keys[a], keys[b]) })
	rank := make([]int32, len(seqs))
	for r, q := range order {
		rank[q] = int32(r)
	}
	start = make([]int32, len(seqs)+1)
	for i := range insts {
		start[rank[insts[i].seq]+1]++
	}
	for r := range seqs {
		start[r+1] += start[r]
	}
	sorted := make([]instance, len(insts))
	fill := slices.Clone(start[:len(seqs)])
	for _, in := range insts {
		r := rank[in.seq]
		sorted[fill[r]] = in
		fill[r]++
	}
	insts = sorted
	for r := range seqs {
		group := insts[start[r]:start[r+1]]
		slices.SortStableFunc(group, func(a, b instance) int { return cmp.Compare(a.first, b.first) })
	}
	return insts, start, stopTimes, nil
}

// fifoWindow is how many of the latest patterns of a stop sequence a trip
// is tried against before it opens a pattern of its own. Feeds whose
// trips overtake a little need a handful; a feed of thousands of trips
// overtaking one another would otherwise compare every trip with every
// pattern (quadratic: 100,000 trips took minutes).
const fifoWindow = 64

// addPatterns splits trips of one stop sequence (sorted by first
// departure) into patterns whose trips never overtake one another, and
// appends them.
func (tt *Timetable) addPatterns(feeds []*gtfs.Feed, offsets []int32, insts []instance) {
	f0 := feeds[insts[0].feed]
	t0 := &f0.Trips[insts[0].trip]
	n := int(t0.N)
	// The times of every trip, trip-major, read once.
	ta := make([]int32, len(insts)*n)
	td := make([]int32, len(insts)*n)
	for x, in := range insts {
		f := feeds[in.feed]
		t := &f.Trips[in.trip]
		for k := range n {
			ta[x*n+k], td[x*n+k] = f.Arrival(t, k)+in.shift, f.Departure(t, k)+in.shift
		}
	}
	// Greedy: each trip goes into the first of the latest fifoWindow
	// patterns whose last trip it never overtakes (nor is overtaken by);
	// members are linked in order (next, −1 ends).
	var head, tail []int32
	next := make([]int32, len(insts))
	for x := range insts {
		next[x] = -1
		a, d := ta[x*n:(x+1)*n], td[x*n:(x+1)*n]
		placed := false
		for g := max(0, len(tail)-fifoWindow); g < len(tail) && !placed; g++ {
			l := int(tail[g])
			la, ld := ta[l*n:(l+1)*n], td[l*n:(l+1)*n]
			ok := true
			for k := 0; k < n && ok; k++ {
				ok = a[k] >= la[k] && d[k] >= ld[k]
			}
			if ok {
				next[l] = int32(x)
				tail[g] = int32(x)
				placed = true
			}
		}
		if !placed {
			head = append(head, int32(x))
			tail = append(tail, int32(x))
		}
	}
	for _, h := range head {
		for k := range n {
			st := int(t0.First) + k
			tt.patStops = append(tt.patStops, offsets[insts[0].feed]+f0.StopTimes.Stop[st])
			var flags uint8
			if f0.StopTimes.Pickup[st] != gtfs.NoService && k < n-1 {
				flags |= canBoard
			}
			if f0.StopTimes.DropOff[st] != gtfs.NoService && k > 0 {
				flags |= canAlight
			}
			tt.patFlags = append(tt.patFlags, flags)
		}
		nt := int32(0)
		for k := range n {
			nt = 0
			for x := h; x >= 0; x = next[x] {
				tt.arr = append(tt.arr, ta[int(x)*n+k])
				tt.dep = append(tt.dep, td[int(x)*n+k])
				nt++
			}
		}
		for x := h; x >= 0; x = next[x] {
			in := insts[x]
			tt.refs = append(tt.refs, tripRef{feed: in.feed, trip: in.trip, shift: in.shift})
		}
		tt.patTrips = append(tt.patTrips, nt)
		tt.patStopOff = append(tt.patStopOff, int32(len(tt.patStops)))
		tt.patTimeOff = append(tt.patTimeOff, int32(len(tt.dep)))
		tt.patTripOff = append(tt.patTripOff, int32(len(tt.refs)))
	}
}

// footpath is a walk between two stops.
type footpath struct{ from, to, sec int32 }

// MaxFootpathsPerStop bounds the footpaths from one stop: the nearest are
// kept (by walk, then stop index), the others dropped with a counted
// warning, so that thousands of stops at one point, or of quays of one
// station, keep the timetable linear in the stops.
const MaxFootpathsPerStop = 256

// MaxQuayWalk bounds, in seconds, the walk asked of the walker between two
// quays of one station, which are linked whatever the transfer radius:
// no walk of the compilation runs unbounded (a street walker would
// otherwise search its whole graph for a platform it cannot reach). When
// the walker finds no walk within it, the crow-fly walk at the
// parameters' speed and detour links the quays.
const MaxQuayWalk int32 = 1800

func (tt *Timetable) buildFootpaths(ctx context.Context, feeds []*gtfs.Feed, offsets []int32) error {
	p := tt.params
	tt.selfExtra = make([]int32, len(tt.stops))
	tt.fpOff = make([]int32, len(tt.stops)+1)
	if p.MaxTransferWalk > 0 {
		if err := tt.walkFootpaths(ctx, feeds, offsets); err != nil {
			return err
		}
	}
	// transfers.txt: min_transfer_time replaces the walk; type 3 forbids;
	// of several rows for one pair, the last one decides.
	type override struct {
		from, to, sec int32 // sec: Unreached forbids
		row           int
	}
	var over []override
	for fi, f := range feeds {
		for _, x := range f.Transfers {
			if x.FromRoute != gtfs.None || x.ToRoute != gtfs.None || x.FromTrip != gtfs.None || x.ToTrip != gtfs.None {
				tt.warnings.Add("route- or trip-specific transfer (ignored)", fmt.Sprintf("%s: %s → %s", f.Name, f.Stops[x.From].ID, f.Stops[x.To].ID))
				continue
			}
			a, b := offsets[fi]+x.From, offsets[fi]+x.To
			if x.Type == gtfs.TransferMinTime && x.MinTime < 0 {
				// The reader refuses it; a feed built by hand may not.
				tt.warnings.Add("transfer_type 2 without min_transfer_time (taken as 0)", fmt.Sprintf("%s: %s → %s", f.Name, f.Stops[x.From].ID, f.Stops[x.To].ID))
				x.MinTime = 0
			}
			switch {
			case x.Type == gtfs.TransferForbidden && a == b:
				tt.selfExtra[a] = Unreached
			case x.Type == gtfs.TransferForbidden:
				over = append(over, override{a, b, Unreached, len(over)})
			case x.Type == gtfs.TransferMinTime && a == b:
				if tt.selfExtra[a] != Unreached {
					tt.selfExtra[a] = x.MinTime
				}
			case x.Type == gtfs.TransferMinTime && p.MaxTransferWalk > 0:
				over = append(over, override{a, b, x.MinTime, len(over)})
			}
		}
	}
	if len(over) == 0 {
		return nil
	}
	slices.SortFunc(over, func(x, y override) int {
		if c := cmp.Compare(x.from, y.from); c != 0 {
			return c
		}
		if c := cmp.Compare(x.to, y.to); c != 0 {
			return c
		}
		return cmp.Compare(x.row, y.row)
	})
	// Merge the last override of each pair into the walks, stop by stop.
	fps := make([]hop, 0, len(tt.fps)+len(over))
	off := make([]int32, len(tt.stops)+1)
	k := 0
	for s := range int32(len(tt.stops)) {
		walks := tt.fps[tt.fpOff[s]:tt.fpOff[s+1]]
		i := 0
		for i < len(walks) || k < len(over) && over[k].from == s {
			if k < len(over) && over[k].from == s && (i == len(walks) || over[k].to <= walks[i].to) {
				for k+1 < len(over) && over[k+1].from == s && over[k+1].to == over[k].to {
					k++
				}
				if i < len(walks) && walks[i].to == over[k].to {
					i++
				}
				if over[k].sec != Unreached {
					fps = append(fps, hop{over[k].to, over[k].sec})
				}
				k++
				continue
			}
			fps = append(fps, walks[i])
			i++
		}
		off[s+1] = int32(len(fps))
	}
	tt.fps, tt.fpOff = fps, off
	return nil
}

// walkFootpaths links every served stop to the stops within the transfer
// radius, and the quays of one station to one another whatever their
// distance, keeping the MaxFootpathsPerStop nearest of each stop, into
// the flat arrays fpOff/fps (by stop, then target).
func (tt *Timetable) walkFootpaths(ctx context.Context, feeds []*gtfs.Feed, offsets []int32) error {
	p := tt.params
	// Quays of one parent station: siblings[sibOff[g]:sibOff[g+1]] is
	// group g; group[s] is the group of stop s, or -1.
	group := make([]int32, len(tt.stops))
	fill(group, -1)
	var sibOff, siblings []int32
	for fi, f := range feeds {
		parentGroup := map[int32]int32{}
		for i, st := range f.Stops {
			if st.Parent == gtfs.None {
				continue
			}
			g, ok := parentGroup[st.Parent]
			if !ok {
				g = int32(len(parentGroup)) + int32(len(sibOff))
				parentGroup[st.Parent] = g
			}
			group[offsets[fi]+int32(i)] = g
		}
		sibOff = append(sibOff, make([]int32, len(parentGroup))...)
	}
	sibOff = append(sibOff, 0)
	// Counting sort of the quays by group, in stop order.
	counts := make([]int32, len(sibOff))
	for _, g := range group {
		if g >= 0 {
			counts[g+1]++
		}
	}
	for g := 1; g < len(counts); g++ {
		counts[g] += counts[g-1]
	}
	copy(sibOff, counts)
	siblings = make([]int32, counts[len(counts)-1])
	for s, g := range group {
		if g >= 0 {
			siblings[counts[g]] = int32(s)
			counts[g]++
		}
	}
	crow := walk.CrowFly{Speed: p.WalkSpeed, Detour: p.Detour}
	if _, err := walk.NewCrowFly(p.WalkSpeed, p.Detour); err != nil {
		crow = walk.CrowFly{Speed: 1.3, Detour: 1.3}
	}
	var near []walk.Hit
	var cand []hop
	var quay []hop
	for s := range int32(len(tt.stops)) {
		// Every stop: a street walker may take milliseconds per stop.
		if err := ctxErr(ctx, "linking stops by footpaths"); err != nil {
			return err
		}
		tt.fpOff[s] = int32(len(tt.fps))
		st := &tt.stops[s]
		if !st.HasCoords {
			continue
		}
		cand = cand[:0]
		here := walk.Place{Lat: st.Lat, Lon: st.Lon}
		if tt.Served(s) {
			near = tt.stopIndex.WithinMetres(here, p.MaxTransferWalk, near[:0])
			for _, x := range near {
				if x.Place != s {
					cand = append(cand, hop{x.Place, x.Seconds})
				}
			}
		}
		if g := group[s]; g >= 0 {
			// The nearest siblings as the crow flies (all of them in a
			// station of up to MaxFootpathsPerStop quays), then walked.
			quay = quay[:0]
			for _, b := range siblings[sibOff[g]:sibOff[g+1]] {
				if sb := &tt.stops[b]; b != s && sb.HasCoords {
					quay = append(quay, hop{b, crow.Seconds(gtfs.Distance(st.Lat, st.Lon, sb.Lat, sb.Lon))})
				}
			}
			if len(quay) > MaxFootpathsPerStop {
				selectNearest(quay, MaxFootpathsPerStop)
				quay = quay[:MaxFootpathsPerStop]
			}
			for _, q := range quay {
				sb := &tt.stops[q.to]
				there := walk.Place{Lat: sb.Lat, Lon: sb.Lon}
				w, _ := tt.walker.Walk(here, there, MaxQuayWalk)
				if w == walk.Unreached {
					w = q.sec // the crow-fly walk, whatever its length
				}
				cand = append(cand, hop{q.to, w})
			}
		}
		if len(cand) == 0 {
			continue
		}
		// One footpath per target, the shortest. The walker's hits alone
		// are that already (distinct places, sorted by place): only the
		// quays' walks need sorting in.
		if group[s] >= 0 {
			slices.SortFunc(cand, func(x, y hop) int {
				if c := cmp.Compare(x.to, y.to); c != 0 {
					return c
				}
				return cmp.Compare(x.sec, y.sec)
			})
			n := 0
			for i, h := range cand {
				if i == 0 || h.to != cand[n-1].to {
					cand[n] = h
					n++
				}
			}
			cand = cand[:n]
		}
		if len(cand) > MaxFootpathsPerStop {
			tt.warnings.Add(fmt.Sprintf("stop with more than %d footpaths (the nearest kept)", MaxFootpathsPerStop),
				fmt.Sprintf("%s: %d within reach", st.ID, len(cand)))
			selectNearest(cand, MaxFootpathsPerStop)
			cand = cand[:MaxFootpathsPerStop]
			slices.SortFunc(cand, func(x, y hop) int { return cmp.Compare(x.to, y.to) })
		}
		tt.fps = append(tt.fps, cand...)
	}
	tt.fpOff[len(tt.stops)] = int32(len(tt.fps))
	return nil
}

// selectNearest moves the k nearest hops (by seconds, then stop) to the
// front of hs, in no particular order: a quickselect, linear on average.
func selectNearest(hs []hop, k int) {
	less := func(a, b hop) bool { return a.sec < b.sec || a.sec == b.sec && a.to < b.to }
	lo, hi := 0, len(hs)-1
	for lo < hi {
		// Median of three as the pivot.
		m := int(uint(lo+hi) >> 1)
		if less(hs[m], hs[lo]) {
			hs[m], hs[lo] = hs[lo], hs[m]
		}
		if less(hs[hi], hs[lo]) {
			hs[hi], hs[lo] = hs[lo], hs[hi]
		}
		if less(hs[hi], hs[m]) {
			hs[hi], hs[m] = hs[m], hs[hi]
		}
		pivot := hs[m]
		i, j := lo, hi
		for i <= j {
			for less(hs[i], pivot) {
				i++
			}
			for less(pivot, hs[j]) {
				j--
			}
			if i <= j {
				hs[i], hs[j] = hs[j], hs[i]
				i++
				j--
			}
		}
		switch {
		case k-1 <= j:
			hi = j
		case k-1 >= i:
			lo = i
		default:
			return
		}
	}
}

// StopsNear appends to dst the stops within maxSeconds of walking from the
// point, sorted by stop index. Only stops served by some trip of the date
// are returned.
// Once its buffers have grown it allocates nothing.
func (tt *Timetable) StopsNear(lat, lon float64, maxSeconds int32, dst []Access) []Access {
	return tt.stopsNear(lat, lon, maxSeconds, dst, true)
}

// StopsNearAnyOrder is StopsNear in the walk index's own order (the same
// for the same place), where that is faster than sorted: for a caller
// whose result does not depend on the order, as a profile's evaluation.
func (tt *Timetable) StopsNearAnyOrder(lat, lon float64, maxSeconds int32, dst []Access) []Access {
	return tt.stopsNear(lat, lon, maxSeconds, dst, false)
}

// stopsNear is StopsNear, sorted or in the index's order.
func (tt *Timetable) stopsNear(lat, lon float64, maxSeconds int32, dst []Access, sorted bool) []Access {
	buf, _ := hitPool.Get().(*[]walk.Hit)
	if buf == nil {
		buf = new([]walk.Hit)
	}
	p := walk.Place{Lat: lat, Lon: lon}
	if sorted {
		*buf = tt.stopIndex.Within(p, maxSeconds, (*buf)[:0])
	} else {
		*buf = walk.WithinAnyOrder(tt.stopIndex, p, maxSeconds, (*buf)[:0])
	}
	for _, h := range *buf {
		if tt.Served(h.Place) {
			dst = append(dst, Access{Stop: h.Place, Seconds: h.Seconds})
		}
	}
	hitPool.Put(buf)
	return dst
}

// hitPool holds the scratch hits of StopsNear, which many goroutines call
// on one shared timetable.
var hitPool sync.Pool

// Served tells whether some trip of the date stops at s.
func (tt *Timetable) Served(s int32) bool { return tt.stopPatOff[s] < tt.stopPatOff[s+1] }

// Walker returns the walker the timetable was compiled with.
func (tt *Timetable) Walker() walk.Walker { return tt.walker }

// StopPlace returns where stop s is, NaN when the feed gives no
// coordinates.
func (tt *Timetable) StopPlace(s int32) walk.Place {
	if st := &tt.stops[s]; st.HasCoords {
		return walk.Place{Lat: st.Lat, Lon: st.Lon}
	}
	return walk.Place{Lat: math.NaN(), Lon: math.NaN()}
}

// Params returns the routing parameters the timetable was compiled with.
func (tt *Timetable) Params() Params { return tt.params }

// NumStops returns the number of stops.
func (tt *Timetable) NumStops() int { return len(tt.stops) }

// Stop describes stop s.
func (tt *Timetable) Stop(s int32) StopInfo { return tt.stops[s] }

// Quays returns the stops whose parent_station is stop s (a station's
// platforms), in the feed's order; nil when s is not a station or has
// none.
func (tt *Timetable) Quays(s int32) []int32 {
	if s < 0 || int(s) >= len(tt.stops) {
		return nil
	}
	fi := tt.stops[s].Feed
	f, off := tt.feeds[fi], tt.feedOff[fi]
	if f.Stops[s-off].LocationType != 1 {
		return nil
	}
	var out []int32
	for i := range f.Stops {
		if f.Stops[i].Parent == s-off {
			out = append(out, off+int32(i))
		}
	}
	return out
}

// FindStop returns the index of a stop id (prefixed "<feed>:" with
// several feeds).
func (tt *Timetable) FindStop(id string) (int32, bool) { s, ok := tt.ids[id]; return s, ok }

// Stats counts what the timetable holds.
func (tt *Timetable) Stats() Stats { return tt.stats }

// Warnings lists what was ignored while compiling.
func (tt *Timetable) Warnings() gtfs.Warnings { return tt.warnings }
