package gtfs

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
)

// blank marks a stop time without a time, until interpolation.
const blank int32 = -1

// rawStopTimes holds stop_times.txt as read, before grouping by trip.
type rawStopTimes struct {
	trip, seq []int32
	line      []int32
	StopTimes
}

func (r *reader) stopTimes(c *csvReader) error {
	var idx [9]int
	var err error
	for i, n := range []string{"trip_id", "stop_id", "stop_sequence"} {
		if idx[i], err = need(c, n); err != nil {
			return err
		}
	}
	if c.col("arrival_time") < 0 && c.col("departure_time") < 0 {
		return c.errorf("", "", errors.New("required columns arrival_time and departure_time are missing"))
	}
	for i, n := range []string{"arrival_time", "departure_time", "pickup_type", "drop_off_type", "shape_dist_traveled"} {
		idx[3+i] = c.col(n)
	}
	f := r.f
	raw := &rawStopTimes{}
	r.raw = raw
	read := 0
	err = rows(c, func(rec [][]byte) error {
		read++
		if int64(read) > r.maxEvents {
			return r.eventsError("stop_times.txt holds")
		}
		if read == 1024 {
			raw.grow(c.estimate() - len(raw.trip))
		}
		tid := field(rec, idx[0])
		trip, ok := f.tripIndex[str(tid)]
		if !ok {
			f.Warnings.Add("stop time of an unknown trip (row skipped)", fmt.Sprintf("stop_times.txt:%d: %s", c.line, tid))
			return nil
		}
		sid := field(rec, idx[1])
		stop, ok := f.stopIndex[str(sid)]
		if !ok {
			f.Warnings.Add("stop time at an unknown stop (row skipped)", fmt.Sprintf("stop_times.txt:%d: %s", c.line, sid))
			return nil
		}
		sq := field(rec, idx[2])
		seq, err := strconv.ParseUint(str(sq), 10, 31)
		if err != nil {
			return c.errorf("stop_sequence", string(sq), errors.New("want a non-negative integer"))
		}
		arr, bl, ok := parseTime(field(rec, idx[3]))
		if !ok {
			return c.errorf("arrival_time", string(field(rec, idx[3])), ErrInvalidTime)
		}
		if bl {
			arr = blank
		}
		dep, bl, ok := parseTime(field(rec, idx[4]))
		if !ok {
			return c.errorf("departure_time", string(field(rec, idx[4])), ErrInvalidTime)
		}
		if bl {
			dep = blank
		}
		var pd [2]uint8
		for k := range 2 {
			switch v := field(rec, idx[5+k]); str(v) {
			case "", "0":
			case "1", "2", "3":
				pd[k] = v[0] - '0'
			default:
				return c.errorf([]string{"pickup_type", "drop_off_type"}[k], string(v), errors.New("want 0 to 3"))
			}
		}
		dist := float32(math.NaN())
		if v := field(rec, idx[7]); len(v) > 0 {
			x, err := strconv.ParseFloat(str(v), 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
				return c.errorf("shape_dist_traveled", string(v), errors.New("want a non-negative number"))
			}
			dist = float32(x)
		}
		raw.trip = append(raw.trip, trip)
		raw.seq = append(raw.seq, int32(seq))
		raw.line = append(raw.line, int32(c.line))
		raw.Stop = append(raw.Stop, stop)
		raw.Arrival = append(raw.Arrival, arr)
		raw.Departure = append(raw.Departure, dep)
		raw.Pickup = append(raw.Pickup, pd[0])
		raw.DropOff = append(raw.DropOff, pd[1])
		raw.Dist = append(raw.Dist, dist)
		return nil
	})
	if err != nil {
		return err
	}
	if read == 0 {
		return fmt.Errorf("gtfs: %s: stop_times.txt has no rows: the feed has no trip", f.Name)
	}
	return nil
}

// finishStopTimes groups stop times by trip in stop_sequence order,
// interpolates blank times, and drops the trips that cannot be used, each
// with a counted warning.
func (r *reader) finishStopTimes() error {
	f, raw := r.f, r.raw
	n := len(raw.trip)
	order := make([]int32, n)
	sorted := true
	for i := range order {
		order[i] = int32(i)
		if i > 0 && (raw.trip[i] < raw.trip[i-1] || raw.trip[i] == raw.trip[i-1] && raw.seq[i] <= raw.seq[i-1]) {
			sorted = false
		}
	}
	if !sorted {
		slices.SortStableFunc(order, func(a, b int32) int {
			if raw.trip[a] != raw.trip[b] {
				return int(raw.trip[a] - raw.trip[b])
			}
			return int(raw.seq[a] - raw.seq[b])
		})
	}
	st := StopTimes{
		Stop: make([]int32, 0, n), Arrival: make([]int32, 0, n), Departure: make([]int32, 0, n),
		Pickup: make([]uint8, 0, n), DropOff: make([]uint8, 0, n), Dist: make([]float32, 0, n),
	}
	var cum []float64
	keep := make([]bool, len(f.Trips))
	seen := make([]bool, len(f.Trips))
	for lo := 0; lo < n; {
		trip := raw.trip[order[lo]]
		hi := lo + 1
		for hi < n && raw.trip[order[hi]] == trip {
			hi++
		}
		rows := order[lo:hi]
		lo = hi
		t := &f.Trips[trip]
		seen[trip] = true
		if why := checkTrip(raw, rows); why != "" {
			f.Warnings.Add(why, fmt.Sprintf("trip %s (stop_times.txt:%d)", t.ID, raw.line[rows[0]]))
			continue
		}
		t.First, t.N = int32(len(st.Stop)), int32(len(rows))
		for _, i := range rows {
			st.Stop = append(st.Stop, raw.Stop[i])
			st.Arrival = append(st.Arrival, raw.Arrival[i])
			st.Departure = append(st.Departure, raw.Departure[i])
			st.Pickup = append(st.Pickup, raw.Pickup[i])
			st.DropOff = append(st.DropOff, raw.DropOff[i])
			st.Dist = append(st.Dist, raw.Dist[i])
		}
		if why := interpolate(f, &st, int(t.First), int(t.N), &cum); why != "" {
			f.Warnings.Add(why, fmt.Sprintf("trip %s (stop_times.txt:%d)", t.ID, raw.line[rows[0]]))
			st.truncate(int(t.First))
			t.First, t.N = 0, 0
			continue
		}
		keep[trip] = true
	}
	r.raw = nil
	f.StopTimes = st
	// Drop trips without usable stop times, keeping indices dense.
	var trips []Trip
	remap := make([]int32, len(f.Trips))
	for i, t := range f.Trips {
		remap[i] = None
		if !keep[i] {
			if !seen[i] {
				f.Warnings.Add("trip without stop times (trip dropped)", t.ID)
			}
			continue
		}
		remap[i] = int32(len(trips))
		trips = append(trips, t)
	}
	f.Trips = trips
	for id, i := range f.tripIndex {
		if remap[i] == None {
			delete(f.tripIndex, id)
		} else {
			f.tripIndex[id] = remap[i]
		}
	}
	fr := f.Frequencies[:0]
	for _, x := range f.Frequencies {
		if x.Trip = remap[x.Trip]; x.Trip != None {
			fr = append(fr, x)
		}
	}
	f.Frequencies = fr
	f.remapTransfers(remap)
	if len(f.Trips) == 0 {
		f.Warnings.Add("no usable trip", "every trip was dropped")
	}
	return nil
}

// grow makes room for n more rows, at most 1<<25 (a zip entry's size is
// only what its header claims).
func (raw *rawStopTimes) grow(n int) {
	if n <= 0 {
		return
	}
	n = min(n, 1<<25)
	raw.trip, raw.seq, raw.line = slices.Grow(raw.trip, n), slices.Grow(raw.seq, n), slices.Grow(raw.line, n)
	raw.Stop, raw.Arrival, raw.Departure = slices.Grow(raw.Stop, n), slices.Grow(raw.Arrival, n), slices.Grow(raw.Departure, n)
	raw.Pickup, raw.DropOff, raw.Dist = slices.Grow(raw.Pickup, n), slices.Grow(raw.DropOff, n), slices.Grow(raw.Dist, n)
}

func (s *StopTimes) truncate(n int) {
	s.Stop, s.Arrival, s.Departure = s.Stop[:n], s.Arrival[:n], s.Departure[:n]
	s.Pickup, s.DropOff, s.Dist = s.Pickup[:n], s.DropOff[:n], s.Dist[:n]
}

// checkTrip returns why a trip's rows cannot be used, or "".
func checkTrip(raw *rawStopTimes, rows []int32) string {
	if len(rows) < 2 {
		return "trip with fewer than two stop times (trip dropped)"
	}
	for k := 1; k < len(rows); k++ {
		if raw.seq[rows[k]] == raw.seq[rows[k-1]] {
			return "duplicate stop_sequence (trip dropped)"
		}
	}
	first, last := rows[0], rows[len(rows)-1]
	if raw.Arrival[first] == blank && raw.Departure[first] == blank ||
		raw.Arrival[last] == blank && raw.Departure[last] == blank {
		return "no time at the first or last stop (trip dropped)"
	}
	return ""
}

// interpolate fills the blank times of the trip at st[first:first+n]: a
// blank arrival or departure takes the other; a stop with neither is
// placed between the surrounding timed stops in proportion to
// shape_dist_traveled when every stop involved has it, else to the
// straight-line distance between consecutive stops (evenly when a stop
// involved has no coordinates). It returns why the trip cannot be used
// when its times decrease. buf is scratch space reused between calls.
func interpolate(f *Feed, st *StopTimes, first, n int, buf *[]float64) string {
	arr, dep := st.Arrival[first:first+n], st.Departure[first:first+n]
	for i := range arr {
		switch {
		case arr[i] == blank && dep[i] != blank:
			arr[i] = dep[i]
		case dep[i] == blank && arr[i] != blank:
			dep[i] = arr[i]
		}
	}
	dist := st.Dist[first : first+n]
	stops := st.Stop[first : first+n]
	for i := 1; i < n; {
		if arr[i] != blank {
			i++
			continue
		}
		j := i
		for arr[j] == blank {
			j++
		}
		// Stops i..j-1 are blank between timed stops i-1 and j.
		cum := slices.Grow((*buf)[:0], j-i+2)[:j-i+2]
		*buf = cum
		cum[0] = 0
		useShape, useCoords := true, true
		for k := i - 1; k <= j; k++ {
			if math.IsNaN(float64(dist[k])) {
				useShape = false
			}
			if !f.Stops[stops[k]].HasCoords {
				useCoords = false
			}
		}
		for k := i; k <= j; k++ {
			var d float64
			switch {
			case useShape:
				d = float64(dist[k]) - float64(dist[k-1])
			case !useCoords:
				d = 1
			default:
				a, b := &f.Stops[stops[k-1]], &f.Stops[stops[k]]
				d = Distance(a.Lat, a.Lon, b.Lat, b.Lon)
			}
			cum[k-i+1] = cum[k-i] + max(d, 0)
		}
		t0, t1 := float64(dep[i-1]), float64(arr[j])
		total := cum[len(cum)-1]
		for k := i; k < j; k++ {
			frac := float64(k-i+1) / float64(j-i+1)
			if total > 0 {
				frac = cum[k-i+1] / total
			}
			v := int32(math.Round(t0 + frac*(t1-t0)))
			arr[k], dep[k] = v, v
		}
		i = j
	}
	for i := range arr {
		if dep[i] < arr[i] || i > 0 && arr[i] < dep[i-1] {
			return "times decrease along the trip (trip dropped)"
		}
	}
	return ""
}

// Distance returns the great-circle (haversine) distance in metres on a
// sphere of radius 6,371,000 m.
func Distance(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371000
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp, dl := p2-p1, (lon2-lon1)*math.Pi/180
	a := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(p1)*math.Cos(p2)*math.Sin(dl/2)*math.Sin(dl/2)
	return HaversineMetres(a)
}

// HaversineMetres is the last step of Distance: the distance in metres
// of the haversine term a = sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2). A
// caller that has the sines and cosines already (a spatial index) gets
// Distance's figure to the bit by computing a in the same order.
func HaversineMetres(a float64) float64 {
	const r = 6371000
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(a)))
}

// expandFrequencies replaces every trip named in frequencies.txt by its
// runs: one per start time start, start+headway, … < end, sharing the
// template's stop times shifted so that the run leaves its first stop at
// that start time. exact_times=0 rows are expanded the same way: a
// schedule-based answer that is deterministic and matches the published
// headway on average (R5 instead draws random offsets).
func (r *reader) expandFrequencies() error {
	f := r.f
	if len(f.Frequencies) == 0 {
		return nil
	}
	runs := 0
	for _, fr := range f.Frequencies {
		runs += int((int64(fr.End) - int64(fr.Start) + int64(fr.Headway) - 1) / int64(fr.Headway))
	}
	if runs > MaxRuns {
		return fmt.Errorf("gtfs: %s: frequencies.txt expands to %d trips, more than %d: refused", f.Name, runs, MaxRuns)
	}
	// The stop events once expanded: those of the scheduled trips, and
	// for each run those of its template.
	isTemplate := make([]bool, len(f.Trips))
	for _, fr := range f.Frequencies {
		isTemplate[fr.Trip] = true
	}
	var events int64
	for i, t := range f.Trips {
		if !isTemplate[i] {
			events += int64(t.N)
		}
	}
	for _, fr := range f.Frequencies {
		n := (int64(fr.End) - int64(fr.Start) + int64(fr.Headway) - 1) / int64(fr.Headway)
		events += n * int64(f.Trips[fr.Trip].N)
	}
	if events > r.maxEvents {
		return r.eventsError(fmt.Sprintf("frequencies.txt expands to %d stop events,", events))
	}
	byTrip := map[int32][]int32{}
	for i, fr := range f.Frequencies {
		byTrip[fr.Trip] = append(byTrip[fr.Trip], int32(i))
	}
	var trips []Trip
	remap := make([]int32, len(f.Trips))
	for i, t := range f.Trips {
		remap[i] = int32(len(trips))
		rows, ok := byTrip[int32(i)]
		if !ok {
			trips = append(trips, t)
			continue
		}
		base := f.StopTimes.Departure[t.First]
		for _, fi := range rows {
			fr := f.Frequencies[fi]
			for start := int64(fr.Start); start < int64(fr.End); start += int64(fr.Headway) {
				run := t
				run.ID = t.ID + "#" + strconv.Itoa(len(trips)-int(remap[i]))
				run.Offset = int32(start) - base
				run.Frequency = fi
				trips = append(trips, run)
			}
		}
		if int(remap[i]) == len(trips) {
			f.Warnings.Add("frequency-based trip with no run (empty window)", t.ID)
			remap[i] = None
		}
	}
	for id, i := range f.tripIndex {
		if remap[i] == None {
			delete(f.tripIndex, id)
		} else {
			f.tripIndex[id] = remap[i]
		}
	}
	for i := range f.Frequencies {
		f.Frequencies[i].Trip = remap[f.Frequencies[i].Trip]
	}
	f.remapTransfers(remap)
	f.Trips = trips
	return nil
}

// MaxRuns is the most trips frequencies.txt may expand to in one feed.
var MaxRuns = 10_000_000

// remapTransfers renumbers the trips named by transfers after trips were
// dropped or expanded; a transfer naming a dropped trip is dropped too,
// rather than widened to every trip.
func (f *Feed) remapTransfers(remap []int32) {
	tr := f.Transfers[:0]
	for _, x := range f.Transfers {
		from, to := x.FromTrip, x.ToTrip
		if from != None {
			x.FromTrip = remap[from]
		}
		if to != None {
			x.ToTrip = remap[to]
		}
		if from != None && x.FromTrip == None || to != None && x.ToTrip == None {
			f.Warnings.Add("transfer naming a dropped trip (row skipped)", fmt.Sprintf("transfer %s → %s", f.Stops[x.From].ID, f.Stops[x.To].ID))
			continue
		}
		tr = append(tr, x)
	}
	f.Transfers = tr
}

// eventsError refuses a feed past the stop-event limit.
func (r *reader) eventsError(what string) error {
	return &LimitError{Feed: r.f.Name, What: what, Limit: r.maxEvents, Unit: "stop events", Why: r.eventsWhy, Env: EnvMaxStopEvents}
}
