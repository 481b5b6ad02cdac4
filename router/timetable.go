// Package router compiles GTFS feeds into a timetable for one date and
// routes over it with range-RAPTOR: earliest arrivals at every stop for
// every departure minute of a window, walking access, egress and
// transfers, and journeys leg by leg. It imports neither GEOS nor the
// coverage engine: the polygons of package isochrone and the indicator
// of package coverage are built on it.
package router

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/vingt/vingt/gtfs"
)

// Unreached is the arrival time of a stop that no journey reaches.
const Unreached int32 = math.MaxInt32

// Params are the routing parameters.
type Params struct {
	// WalkSpeed is in metres per second.
	WalkSpeed float64
	// Detour multiplies crow-fly distances into walking distances.
	Detour float64
	// MaxWalk is the longest access, egress or walk-only leg, in seconds.
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
}

// DefaultParams returns the defaults of measure 3.
func DefaultParams() Params {
	return Params{WalkSpeed: 1.3, Detour: 1.3, MaxWalk: 900, MaxTransferWalk: 500, BoardSlack: 60, MaxTransfers: 4, MaxDuration: 3600}
}

// Validate reports whether the parameters are usable.
func (p Params) Validate() error {
	switch {
	case !(p.WalkSpeed > 0) || math.IsInf(p.WalkSpeed, 0):
		return fmt.Errorf("isochrone: walk speed %v: must be positive", p.WalkSpeed)
	case !(p.Detour >= 1) || math.IsInf(p.Detour, 0):
		return fmt.Errorf("isochrone: detour %v: must be at least 1", p.Detour)
	case p.MaxWalk < 0:
		return fmt.Errorf("isochrone: max walk %d s: must not be negative", p.MaxWalk)
	case !(p.MaxTransferWalk >= 0) || p.MaxTransferWalk > 10000:
		return fmt.Errorf("isochrone: max transfer walk %v m: must be within 0–10000", p.MaxTransferWalk)
	case p.BoardSlack < 0:
		return fmt.Errorf("isochrone: board slack %d s: must not be negative", p.BoardSlack)
	case p.MaxTransfers < 0 || p.MaxTransfers > 20:
		return fmt.Errorf("isochrone: max transfers %d: must be within 0–20", p.MaxTransfers)
	case p.MaxDuration <= 0 || p.MaxDuration > 24*3600:
		return fmt.Errorf("isochrone: max duration %d s: must be within 1 s–24 h", p.MaxDuration)
	}
	return nil
}

// WalkSeconds returns the time to walk a crow-fly distance in metres.
func (p Params) WalkSeconds(metres float64) int32 {
	return int32(math.Ceil(metres * p.Detour / p.WalkSpeed))
}

// Distance returns the great-circle distance in metres (sphere of radius
// 6,371,000 m), the one the GTFS reader interpolates blank times with.
func Distance(lat1, lon1, lat2, lon2 float64) float64 {
	return gtfs.Distance(lat1, lon1, lat2, lon2)
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
	// stopPat[stopPatOff[s]:stopPatOff[s+1]].
	stopPatOff []int32
	stopPat    []int32
	stopPos    []int32
	// stopPP holds the same pairs side by side, for the router.
	stopPP []patPos

	// Footpaths of stop s: fpTo/fpSec[fpOff[s]:fpOff[s+1]], and the
	// same side by side in fps, for the router.
	fpOff []int32
	fpTo  []int32
	fpSec []int32
	fps   []walk
	// selfExtra is the extra time needed to board at a stop after
	// alighting there (transfers.txt); Unreached forbids it.
	selfExtra []int32

	grid     map[[2]int32][]int32
	gridDeg  float64
	stats    Stats
	warnings gtfs.Warnings
}

// patPos is a pattern and a position along it.
type patPos struct{ pat, pos int32 }

// walk is a footpath to a stop, in seconds.
type walk struct{ to, sec int32 }

const (
	canBoard  uint8 = 1
	canAlight uint8 = 2
)

// Compile builds the timetable of date: the trips running that day, and
// the previous day's trips still running after midnight, shifted by −24 h.
func Compile(feeds []*gtfs.Feed, date gtfs.Date, p Params) (*Timetable, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if len(feeds) == 0 {
		return nil, errors.New("isochrone: no feed")
	}
	tt := &Timetable{params: p, feeds: feeds, ids: map[string]int32{}}
	names := map[string]bool{}
	for _, f := range feeds {
		if names[f.Name] {
			return nil, fmt.Errorf("isochrone: two feeds named %q: ids would collide", f.Name)
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
	tt.buildPatterns(feeds, offsets, date)
	tt.buildFootpaths(feeds, offsets)
	tt.buildGrid()
	tt.stats.Stops = len(tt.stops)
	tt.stats.Patterns = len(tt.patTrips)
	tt.stats.Trips = len(tt.refs)
	tt.stats.StopTimes = len(tt.dep)
	tt.stats.Footpaths = len(tt.fpTo)
	if len(tt.refs) == 0 {
		tt.warnings.Add("no trip runs on the date", date.String())
	}
	return tt, nil
}

// instance is one trip running on the compiled date.
type instance struct {
	feed, trip int32
	shift      int32
	key        string
	first      int32 // departure at the first stop, shifted
}

func (tt *Timetable) buildPatterns(feeds []*gtfs.Feed, offsets []int32, date gtfs.Date) {
	var insts []instance
	var key strings.Builder
	for fi, f := range feeds {
		today, yesterday := f.ActiveServices(date), f.ActiveServices(date.AddDays(-1))
		for ti := range f.Trips {
			t := &f.Trips[ti]
			if t.N < 2 {
				continue
			}
			for _, shift := range []int32{0, -86400} {
				if shift == 0 && !today[t.Service] || shift != 0 && (!yesterday[t.Service] || f.Arrival(t, int(t.N)-1) < 86400) {
					continue
				}
				if shift != 0 {
					tt.stats.PreviousDayTrips++
				}
				key.Reset()
				for k := range int(t.N) {
					st := int(t.First) + k
					fmt.Fprintf(&key, "%d/%t/%t,", offsets[fi]+f.StopTimes.Stop[st], f.StopTimes.Pickup[st] == gtfs.NoService, f.StopTimes.DropOff[st] == gtfs.NoService)
				}
				insts = append(insts, instance{feed: int32(fi), trip: int32(ti), shift: shift, key: key.String(), first: f.Departure(t, 0) + shift})
			}
		}
	}
	slices.SortStableFunc(insts, func(a, b instance) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.first, b.first)
	})
	tt.patStopOff = []int32{0}
	tt.patTimeOff = []int32{0}
	tt.patTripOff = []int32{0}
	for lo := 0; lo < len(insts); {
		hi := lo + 1
		for hi < len(insts) && insts[hi].key == insts[lo].key {
			hi++
		}
		tt.addPatterns(feeds, offsets, insts[lo:hi])
		lo = hi
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
	tt.stopPat = make([]int32, counts[len(tt.stops)])
	tt.stopPos = make([]int32, counts[len(tt.stops)])
	tt.stopPP = make([]patPos, counts[len(tt.stops)])
	fill := slices.Clone(counts[:len(tt.stops)])
	for p := range tt.patTrips {
		for i := tt.patStopOff[p]; i < tt.patStopOff[p+1]; i++ {
			s := tt.patStops[i]
			tt.stopPat[fill[s]], tt.stopPos[fill[s]] = int32(p), i-tt.patStopOff[p]
			tt.stopPP[fill[s]] = patPos{int32(p), i - tt.patStopOff[p]}
			fill[s]++
		}
	}
}

// addPatterns splits trips of one stop sequence (sorted by first
// departure) into patterns whose trips never overtake one another, and
// appends them.
func (tt *Timetable) addPatterns(feeds []*gtfs.Feed, offsets []int32, insts []instance) {
	f0 := feeds[insts[0].feed]
	t0 := &f0.Trips[insts[0].trip]
	n := int(t0.N)
	times := func(in instance, k int) (int32, int32) {
		f := feeds[in.feed]
		t := &f.Trips[in.trip]
		return f.Arrival(t, k) + in.shift, f.Departure(t, k) + in.shift
	}
	// Greedy: each trip goes into the first group whose last trip it
	// never overtakes (nor is overtaken by).
	var groups [][]instance
	for _, in := range insts {
		placed := false
		for g := range groups {
			last := groups[g][len(groups[g])-1]
			ok := true
			for k := 0; k < n && ok; k++ {
				la, ld := times(last, k)
				a, d := times(in, k)
				ok = a >= la && d >= ld
			}
			if ok {
				groups[g] = append(groups[g], in)
				placed = true
				break
			}
		}
		if !placed {
			groups = append(groups, []instance{in})
		}
	}
	for _, g := range groups {
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
		for k := range n {
			for _, in := range g {
				a, d := times(in, k)
				tt.arr = append(tt.arr, a)
				tt.dep = append(tt.dep, d)
			}
		}
		for _, in := range g {
			tt.refs = append(tt.refs, tripRef{feed: in.feed, trip: in.trip, shift: in.shift})
		}
		tt.patTrips = append(tt.patTrips, int32(len(g)))
		tt.patStopOff = append(tt.patStopOff, int32(len(tt.patStops)))
		tt.patTimeOff = append(tt.patTimeOff, int32(len(tt.dep)))
		tt.patTripOff = append(tt.patTripOff, int32(len(tt.refs)))
	}
}

// footpath is a walk between two stops.
type footpath struct{ from, to, sec int32 }

func (tt *Timetable) buildFootpaths(feeds []*gtfs.Feed, offsets []int32) {
	p := tt.params
	tt.selfExtra = make([]int32, len(tt.stops))
	best := map[[2]int32]int32{}
	add := func(a, b, sec int32) {
		if a == b {
			return
		}
		k := [2]int32{a, b}
		if old, ok := best[k]; !ok || sec < old {
			best[k] = sec
		}
	}
	if p.MaxTransferWalk > 0 {
		tt.buildGrid()
		var near []Access
		limit := p.WalkSeconds(p.MaxTransferWalk)
		for s := range tt.stops {
			st := &tt.stops[s]
			if !st.HasCoords || tt.stopPatOff[s] == tt.stopPatOff[s+1] {
				continue
			}
			near = tt.near(st.Lat, st.Lon, p.MaxTransferWalk, limit, near[:0])
			for _, x := range near {
				add(int32(s), x.Stop, x.Seconds)
			}
		}
		// Quays of one parent station are linked whatever their distance.
		for fi, f := range feeds {
			children := map[int32][]int32{}
			for i, s := range f.Stops {
				if s.Parent != gtfs.None {
					children[s.Parent] = append(children[s.Parent], offsets[fi]+int32(i))
				}
			}
			for _, kids := range children {
				for _, a := range kids {
					for _, b := range kids {
						sa, sb := &tt.stops[a], &tt.stops[b]
						if a != b && sa.HasCoords && sb.HasCoords {
							add(a, b, p.WalkSeconds(Distance(sa.Lat, sa.Lon, sb.Lat, sb.Lon)))
						}
					}
				}
			}
		}
	}
	// transfers.txt: min_transfer_time replaces the walk; type 3 forbids.
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
				delete(best, [2]int32{a, b})
			case x.Type == gtfs.TransferMinTime && a == b:
				if tt.selfExtra[a] != Unreached {
					tt.selfExtra[a] = x.MinTime
				}
			case x.Type == gtfs.TransferMinTime && p.MaxTransferWalk > 0:
				best[[2]int32{a, b}] = x.MinTime
			}
		}
	}
	fps := make([]footpath, 0, len(best))
	for k, sec := range best {
		fps = append(fps, footpath{k[0], k[1], sec})
	}
	slices.SortFunc(fps, func(x, y footpath) int {
		if c := cmp.Compare(x.from, y.from); c != 0 {
			return c
		}
		return cmp.Compare(x.to, y.to)
	})
	tt.fpOff = make([]int32, len(tt.stops)+1)
	for _, fp := range fps {
		tt.fpOff[fp.from+1]++
		tt.fpTo = append(tt.fpTo, fp.to)
		tt.fpSec = append(tt.fpSec, fp.sec)
		tt.fps = append(tt.fps, walk{fp.to, fp.sec})
	}
	for s := range tt.stops {
		tt.fpOff[s+1] += tt.fpOff[s]
	}
}

// buildGrid indexes the stops with coordinates in buckets of about 500 m.
func (tt *Timetable) buildGrid() {
	if tt.grid != nil {
		return
	}
	tt.gridDeg = 0.005
	tt.grid = map[[2]int32][]int32{}
	for s, st := range tt.stops {
		if st.HasCoords {
			k := tt.gridKey(st.Lat, st.Lon)
			tt.grid[k] = append(tt.grid[k], int32(s))
		}
	}
}

func (tt *Timetable) gridKey(lat, lon float64) [2]int32 {
	return [2]int32{int32(math.Floor(lon / tt.gridDeg)), int32(math.Floor(lat / tt.gridDeg))}
}

// near appends the stops within metres crow-fly and limit walk seconds.
func (tt *Timetable) near(lat, lon, metres float64, limit int32, dst []Access) []Access {
	start := len(dst)
	dy := int32(math.Ceil(metres/111000/tt.gridDeg)) + 1
	cos := math.Max(math.Cos(lat*math.Pi/180), 0.01)
	dx := int32(math.Ceil(metres/111000/cos/tt.gridDeg)) + 1
	k := tt.gridKey(lat, lon)
	for x := k[0] - dx; x <= k[0]+dx; x++ {
		for y := k[1] - dy; y <= k[1]+dy; y++ {
			for _, s := range tt.grid[[2]int32{x, y}] {
				st := &tt.stops[s]
				d := Distance(lat, lon, st.Lat, st.Lon)
				if d > metres {
					continue
				}
				if w := tt.params.WalkSeconds(d); w <= limit {
					dst = append(dst, Access{Stop: s, Seconds: w})
				}
			}
		}
	}
	slices.SortFunc(dst[start:], func(a, b Access) int { return cmp.Compare(a.Stop, b.Stop) })
	return dst
}

// StopsNear appends to dst the stops within maxSeconds of walking from the
// point, sorted by stop index. Only stops served by some trip of the date
// are returned.
func (tt *Timetable) StopsNear(lat, lon float64, maxSeconds int32, dst []Access) []Access {
	if maxSeconds < 0 {
		return dst
	}
	metres := float64(maxSeconds) * tt.params.WalkSpeed / tt.params.Detour
	start := len(dst)
	dst = tt.near(lat, lon, metres+1, maxSeconds, dst)
	out := dst[:start]
	for _, a := range dst[start:] {
		if tt.stopPatOff[a.Stop] < tt.stopPatOff[a.Stop+1] {
			out = append(out, a)
		}
	}
	return out
}

// Params returns the routing parameters the timetable was compiled with.
func (tt *Timetable) Params() Params { return tt.params }

// NumStops returns the number of stops.
func (tt *Timetable) NumStops() int { return len(tt.stops) }

// Stop describes stop s.
func (tt *Timetable) Stop(s int32) StopInfo { return tt.stops[s] }

// FindStop returns the index of a stop id (prefixed "<feed>:" with
// several feeds).
func (tt *Timetable) FindStop(id string) (int32, bool) { s, ok := tt.ids[id]; return s, ok }

// Stats counts what the timetable holds.
func (tt *Timetable) Stats() Stats { return tt.stats }

// Warnings lists what was ignored while compiling.
func (tt *Timetable) Warnings() gtfs.Warnings { return tt.warnings }
