package gtfs

import "strconv"

// Summary counts what a feed holds (or several feeds together) and, for
// a date, what runs that day: what vingt inspect prints.
type Summary struct {
	Name        string         `json:"name,omitempty"`
	Path        string         `json:"path,omitempty"`
	Agencies    int            `json:"agencies"`
	Stops       int            `json:"stops"`
	StopsByType map[string]int `json:"stops_by_location_type"`
	Routes      int            `json:"routes"`
	RoutesByTyp map[string]int `json:"routes_by_route_type"`
	Trips       int            `json:"trips"`
	// StopTimes is the number of stop_times.txt rows kept.
	StopTimes int `json:"stop_times"`
	// StopEvents counts each trip's stops, frequency-based runs included
	// (they share their template's stop_times rows).
	StopEvents  int    `json:"stop_events"`
	Services    int    `json:"services"`
	Frequencies int    `json:"frequencies"`
	Transfers   int    `json:"transfers"`
	Shapes      int    `json:"shapes"`
	FirstTime   string `json:"first_time,omitempty"`
	LastTime    string `json:"last_time,omitempty"`
	// FirstDate and LastDate are the first and last service dates
	// (YYYY-MM-DD) of the trips, as ServiceDates gives them; empty when
	// no trip has a date.
	FirstDate string      `json:"first_service_date,omitempty"`
	LastDate  string      `json:"last_service_date,omitempty"`
	Date      *DaySummary `json:"date,omitempty"`
	Warnings  []Warning   `json:"warnings"`
	// First and Last are the earliest and latest times, in seconds after
	// midnight (-1 without trip); FirstTime and LastTime are left for the
	// caller to format.
	First, Last int32 `json:"-"`
}

// DaySummary counts what runs on the --date day: StopTimes counts the
// stops of the trips that run, frequency-based runs included.
type DaySummary struct {
	Date      string `json:"date"`
	Services  int    `json:"services"`
	Trips     int    `json:"trips"`
	StopTimes int    `json:"stop_times"`
	// Trips of the previous service day whose times run past midnight
	// into the date, and their stop times at or after 24:00.
	PreviousDay struct {
		Services  int `json:"services"`
		Trips     int `json:"trips"`
		StopTimes int `json:"stop_times"`
	} `json:"previous_day"`
}

// NewSummary returns an empty summary, ready for Add.
func NewSummary() Summary {
	return Summary{StopsByType: map[string]int{}, RoutesByTyp: map[string]int{}, Warnings: []Warning{}}
}

// Summarize counts what feed f holds and, when date is set, what runs
// then.
func Summarize(f *Feed, date Date) Summary {
	c := NewSummary()
	c.Name, c.Path = f.Name, f.Path
	c.Agencies = len(f.Agencies)
	c.Stops = len(f.Stops)
	for _, s := range f.Stops {
		c.StopsByType[strconv.Itoa(int(s.LocationType))]++
	}
	c.Routes = len(f.Routes)
	for _, r := range f.Routes {
		c.RoutesByTyp[strconv.Itoa(int(r.Type))]++
	}
	c.Trips = len(f.Trips)
	c.StopTimes = f.StopTimes.Len()
	for i := range f.Trips {
		c.StopEvents += int(f.Trips[i].N)
	}
	c.Services = len(f.Services)
	c.Frequencies = len(f.Frequencies)
	c.Transfers = len(f.Transfers)
	c.Shapes = len(f.Shapes)
	c.First, c.Last = f.TimeRange()
	if lo, hi, ok := f.ServiceDates(); ok {
		c.FirstDate, c.LastDate = lo.String(), hi.String()
	}
	c.Warnings = append(c.Warnings, f.Warnings.List...)
	if date == 0 {
		return c
	}
	d := &DaySummary{Date: date.String()}
	today, yesterday := f.ActiveServices(date), f.ActiveServices(date.AddDays(-1))
	for i := range today {
		if today[i] {
			d.Services++
		}
		if yesterday[i] {
			d.PreviousDay.Services++
		}
	}
	const day = 24 * 3600
	for i := range f.Trips {
		t := &f.Trips[i]
		if today[t.Service] {
			d.Trips++
			d.StopTimes += int(t.N)
		}
		if yesterday[t.Service] && t.N > 0 && f.Arrival(t, int(t.N)-1) >= day {
			d.PreviousDay.Trips++
			for k := range int(t.N) {
				if f.Arrival(t, k) >= day || f.Departure(t, k) >= day {
					d.PreviousDay.StopTimes++
				}
			}
		}
	}
	c.Date = d
	return c
}

// Add adds the counts of one feed to the totals.
func (c *Summary) Add(o *Summary) {
	c.Agencies += o.Agencies
	c.Stops += o.Stops
	for k, v := range o.StopsByType {
		c.StopsByType[k] += v
	}
	c.Routes += o.Routes
	for k, v := range o.RoutesByTyp {
		c.RoutesByTyp[k] += v
	}
	c.Trips += o.Trips
	c.StopTimes += o.StopTimes
	c.StopEvents += o.StopEvents
	c.Services += o.Services
	c.Frequencies += o.Frequencies
	c.Transfers += o.Transfers
	c.Shapes += o.Shapes
	if o.First >= 0 && (c.First < 0 || o.First < c.First) {
		c.First = o.First
	}
	c.Last = max(c.Last, o.Last)
	// Dates as YYYY-MM-DD sort as text.
	if o.FirstDate != "" && (c.FirstDate == "" || o.FirstDate < c.FirstDate) {
		c.FirstDate = o.FirstDate
	}
	if o.LastDate > c.LastDate {
		c.LastDate = o.LastDate
	}
	if c.Date != nil && o.Date != nil {
		c.Date.Services += o.Date.Services
		c.Date.Trips += o.Date.Trips
		c.Date.StopTimes += o.Date.StopTimes
		c.Date.PreviousDay.Services += o.Date.PreviousDay.Services
		c.Date.PreviousDay.Trips += o.Date.PreviousDay.Trips
		c.Date.PreviousDay.StopTimes += o.Date.PreviousDay.StopTimes
	}
	for _, w := range o.Warnings {
		w.Kind = o.Name + ": " + w.Kind
		c.Warnings = append(c.Warnings, w)
	}
}
