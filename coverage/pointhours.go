package coverage

import (
	"github.com/paulmach/orb"

	"github.com/vingt/vingt/output"
	"github.com/vingt/vingt/table"
)

// weekMinutes are the minutes of a week: a point always open.
const weekMinutes = 7 * 24 * 60

// PointsHoursTable returns, when some category has an hours column (and
// the run has no --impact, whose points.parquet comes first), the
// points.parquet of opening hours: per point of those categories its
// category, point_id, name, open_minutes_week (its schedule's open
// minutes in a week, 10080 for a point without hours or with hours that
// could not be read) and open_in_window (whether a traveller arriving
// within the departure window could be served at once, min_open and
// school holidays included), and the point. Nil when no category has an
// hours column.
func PointsHoursTable(cats []*Category, p Params) *table.Table {
	var cat, id, name []string
	var nameValid, open []bool
	var minutes []int64
	var geom []orb.Geometry
	for _, c := range cats {
		if c.HoursColumn == "" {
			continue
		}
		for i := range c.Points {
			pt := &c.Points[i]
			cat, id, name = append(cat, c.Name), append(id, pt.ID), append(name, pt.Name)
			nameValid = append(nameValid, pt.Name != "")
			h := pointHours(pt, p)
			minutes, open = append(minutes, h.OpenMinutesWeek), append(open, h.OpenInWindow)
			geom = append(geom, orb.Point{pt.Lon, pt.Lat})
		}
	}
	if cat == nil {
		return nil
	}
	return &table.Table{Columns: []table.Column{
		{Name: output.Category, Kind: table.String, String: cat},
		{Name: output.PointID, Kind: table.String, String: id},
		{Name: output.Name, Kind: table.String, String: name, Valid: nameValid},
		{Name: output.OpenMinutesWeek, Kind: table.Int64, Int: minutes},
		{Name: output.OpenInWindow, Kind: table.Bool, Bool: open},
		{Name: output.Geometry, Kind: table.Geometry, Geom: geom},
	}}
}

// PointHours is what points.parquet says of a point's opening hours.
type PointHours struct {
	// OpenMinutesWeek is its schedule's open minutes in a week (10080
	// without hours, or with hours that could not be read).
	OpenMinutesWeek int64
	// OpenInWindow tells whether a traveller arriving within the
	// departure window could be served at once (min_open and school
	// holidays included).
	OpenInWindow bool
}

// pointHours returns the opening hours of pt as points.parquet gives them.
func pointHours(pt *Point, p Params) PointHours {
	h := PointHours{OpenMinutesWeek: weekMinutes, OpenInWindow: true}
	if pt.Hours != nil {
		h.OpenMinutesWeek = int64(pt.Hours.WeeklyOpenMinutes())
		h.OpenInWindow = pt.Hours.Windows(p.Date, p.MinOpen, p.Holidays).OpenDuring(p.From, p.To)
	}
	return h
}

// SetPointHours sets the Hours of the points of pts whose category has an
// hours column (PointsTable then adds open_minutes_week and
// open_in_window, null for the other categories' points).
func SetPointHours(pts []PointImpact, cats []*Category, p Params) {
	timed := map[string]bool{}
	for _, c := range cats {
		timed[c.Name] = c.HoursColumn != ""
	}
	for i := range pts {
		if timed[pts[i].Category] {
			h := pointHours(&pts[i].Point, p)
			pts[i].Hours = &h
		}
	}
}
