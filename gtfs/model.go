// Package gtfs reads GTFS feeds (zip files or directories) into compact,
// column-oriented tables: times as int32 seconds after the service day's
// midnight, references as int32 indices, strings kept once per entity.
//
// Reading follows these rules:
//
//   - Files are CSV as met in the wild: a UTF-8 byte-order mark, CRLF line
//     ends, quoted fields, any column order, unknown columns and blank
//     lines are accepted; values are trimmed of surrounding spaces. Times
//     are H:MM:SS or HH:MM:SS, past 24:00 for trips running after
//     midnight (25:43:00 is 92,580 s).
//   - stops.txt, routes.txt, trips.txt, stop_times.txt and one of
//     calendar.txt or calendar_dates.txt are required; the other files are
//     optional.
//   - A fatal problem is a *ParseError naming the feed, file, line, field
//     and value. A recoverable one (a stop time naming an unknown trip or
//     stop, a stop without coordinates, a trip whose times decrease, …) is
//     counted in Feed.Warnings with a few examples, and the row or trip
//     concerned is skipped: never kept silently wrong.
//   - Stop times are grouped by trip (in trips.txt order) and sorted by
//     stop_sequence. A blank arrival takes the departure and the other way
//     round; a stop with neither is interpolated between the surrounding
//     timed stops, in proportion to shape_dist_traveled when every stop
//     involved has it, else to the straight-line (haversine) distance
//     between consecutive stops, else evenly. A trip without a time at its
//     first or last stop, or whose times decrease, is dropped with a
//     warning.
//   - A trip named in frequencies.txt is replaced by its runs, one per
//     start time start, start+headway, … before end_time (exclusive):
//     each run shares the template's stop times, shifted by Trip.Offset so
//     that it leaves its first stop at that start time. exact_times=0
//     (frequency-based service) is expanded the same way, on purpose: the
//     result is deterministic and matches the published headway, where R5
//     instead draws random schedules; a headway-based service is then
//     neither better nor worse than its scheduled equivalent.
//   - Several feeds are several Feed values: ids are never merged across
//     feeds, and Feed.Namespaced gives an id that cannot collide.
package gtfs

import (
	"fmt"
	"time"
)

// None is the index used for an absent reference (no parent station, no
// shape, no agency, …).
const None int32 = -1

// Feed is one GTFS feed, read and validated. Every reference between its
// tables is an int32 index into the referenced slice; ids are kept once per
// entity, as in the feed. Ids are namespaced per feed by keeping feeds
// apart: two feeds are two Feed values, never merged by id.
type Feed struct {
	// Name identifies the feed in messages and namespaced ids (by default
	// the base name of its path without extension).
	Name string
	// Path is where the feed was read from.
	Path string
	// SHA256 (hex) and Bytes describe a zip file as it was read, hashed
	// while read; they are empty for a folder.
	SHA256 string
	Bytes  int64

	Agencies    []Agency
	Stops       []Stop
	Routes      []Route
	Trips       []Trip
	StopTimes   StopTimes
	Services    []Service
	Frequencies []Frequency
	Transfers   []Transfer
	Shapes      []Shape
	Info        *FeedInfo

	// Warnings lists the recoverable oddities met while reading, counted
	// by kind, with a few examples each.
	Warnings Warnings

	stopIndex    map[string]int32
	routeIndex   map[string]int32
	tripIndex    map[string]int32
	serviceIndex map[string]int32
}

// Agency is a row of agency.txt.
type Agency struct {
	ID, Name, URL, Timezone string
}

// Stop is a row of stops.txt.
type Stop struct {
	ID, Code, Name string
	Lat, Lon       float64
	// HasCoords is false when stop_lat/stop_lon are absent (allowed for
	// location_type 3 and 4); such a stop cannot be walked to.
	HasCoords bool
	// LocationType is 0 stop or platform, 1 station, 2 entrance/exit,
	// 3 generic node, 4 boarding area.
	LocationType uint8
	// Parent is the index of the parent station, or None.
	Parent int32
}

// Route is a row of routes.txt.
type Route struct {
	ID                  string
	Agency              int32
	ShortName, LongName string
	// Type is the route_type, basic (0–12) or extended (100–1702).
	Type int32
}

// Trip is a row of trips.txt, or one run of a frequency-based trip.
type Trip struct {
	ID       string
	Route    int32
	Service  int32
	Shape    int32
	Headsign string
	// Direction is direction_id (0 or 1), or -1 when absent.
	Direction int8
	// First and N locate the trip's stop times: StopTimes rows
	// First … First+N-1, in stop_sequence order.
	First, N int32
	// Offset is added to every stop time of the trip. It is 0 for a
	// scheduled trip; a run expanded from frequencies.txt shares the stop
	// times of its template trip and shifts them by Offset.
	Offset int32
	// Frequency is the index of the frequencies.txt row this run was
	// expanded from, or None for a scheduled trip.
	Frequency int32
}

// Arrival returns the arrival time at the trip's i-th stop, in seconds
// after midnight of its service day.
func (f *Feed) Arrival(t *Trip, i int) int32 {
	return f.StopTimes.Arrival[int(t.First)+i] + t.Offset
}

// Departure returns the departure time at the trip's i-th stop, in seconds
// after midnight of its service day.
func (f *Feed) Departure(t *Trip, i int) int32 {
	return f.StopTimes.Departure[int(t.First)+i] + t.Offset
}

// Pickup and drop-off types of stop_times.txt.
const (
	Regular     uint8 = 0
	NoService   uint8 = 1
	PhoneAgency uint8 = 2
	Coordinate  uint8 = 3
)

// StopTimes holds stop_times.txt as columns, grouped by trip and ordered by
// stop_sequence within each trip. Blank intermediate times are interpolated
// while reading, so every Arrival and Departure is set.
type StopTimes struct {
	Stop      []int32
	Arrival   []int32
	Departure []int32
	Pickup    []uint8
	DropOff   []uint8
	// Dist is shape_dist_traveled, NaN when absent.
	Dist []float32
}

// Len returns the number of stop times.
func (s *StopTimes) Len() int { return len(s.Stop) }

// Service is a service_id with its calendar.txt row (if any) and its
// calendar_dates.txt exceptions.
type Service struct {
	ID string
	// HasCalendar is true when calendar.txt defines the service.
	HasCalendar bool
	// Weekdays is indexed by time.Weekday (Sunday = 0).
	Weekdays   [7]bool
	Start, End Date
	// Added and Removed are calendar_dates.txt exceptions (types 1 and 2).
	Added, Removed []Date
}

// Frequency is a row of frequencies.txt.
type Frequency struct {
	Trip       int32
	Start, End int32
	Headway    int32
	ExactTimes bool
}

// Transfer types of transfers.txt.
const (
	TransferRecommended uint8 = 0
	TransferTimed       uint8 = 1
	TransferMinTime     uint8 = 2
	TransferForbidden   uint8 = 3
)

// Transfer is a row of transfers.txt between two stops (route- and
// trip-specific fields are kept as None when absent).
type Transfer struct {
	From, To int32
	Type     uint8
	// MinTime is min_transfer_time in seconds, or -1 when absent.
	MinTime            int32
	FromRoute, ToRoute int32
	FromTrip, ToTrip   int32
}

// Shape is a shape_id of shapes.txt with its point count.
type Shape struct {
	ID     string
	Points int32
}

// FeedInfo is the row of feed_info.txt.
type FeedInfo struct {
	PublisherName, PublisherURL, Lang, Version string
	Start, End                                 Date
}

// Date is a calendar date written as the integer YYYYMMDD, as in GTFS.
type Date int32

// ParseDate parses a date written YYYYMMDD or YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	layout := "20060102"
	if len(s) == 10 {
		layout = "2006-01-02"
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return 0, fmt.Errorf("gtfs: date %q: want YYYYMMDD or YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// DateOf returns the date of t.
func DateOf(t time.Time) Date {
	return Date(t.Year()*10000 + int(t.Month())*100 + t.Day())
}

// Time returns midnight UTC of the date.
func (d Date) Time() time.Time {
	return time.Date(int(d)/10000, time.Month(int(d)/100%100), int(d)%100, 0, 0, 0, 0, time.UTC)
}

// AddDays returns the date n days later (earlier when n < 0).
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// Weekday returns the day of the week of the date.
func (d Date) Weekday() time.Weekday { return d.Time().Weekday() }

// String formats the date as YYYY-MM-DD.
func (d Date) String() string { return d.Time().Format("2006-01-02") }

// Warnings counts recoverable oddities by kind, keeping a few examples of
// each, in the order the kinds were first met.
type Warnings struct {
	List []Warning
}

// Warning is one kind of recoverable oddity, how often it occurred, and up
// to MaxExamples examples.
type Warning struct {
	Kind     string   `json:"kind"`
	Count    int      `json:"count"`
	Examples []string `json:"examples,omitempty"`
}

// MaxExamples is the number of examples kept per kind of warning.
const MaxExamples = 5

// Add counts one occurrence of kind, keeping example when fewer than
// MaxExamples are kept.
func (w *Warnings) Add(kind, example string) {
	for i := range w.List {
		if w.List[i].Kind == kind {
			w.List[i].Count++
			if len(w.List[i].Examples) < MaxExamples {
				w.List[i].Examples = append(w.List[i].Examples, example)
			}
			return
		}
	}
	w.List = append(w.List, Warning{Kind: kind, Count: 1, Examples: []string{example}})
}

// Total returns the number of warnings of every kind.
func (w *Warnings) Total() int {
	n := 0
	for _, x := range w.List {
		n += x.Count
	}
	return n
}
