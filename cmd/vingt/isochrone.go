package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/spf13/cobra"

	"github.com/vingt/vingt/coverage"
	"github.com/vingt/vingt/isochrone"
	"github.com/vingt/vingt/router"
	"github.com/vingt/vingt/streets"
	"github.com/vingt/vingt/table"
	"github.com/vingt/vingt/walk"
)

// isochroneOptions are the flags of vingt isochrone.
type isochroneOptions struct {
	feeds    feedFlags
	params   paramFlags
	at       string
	from     string
	fromStop string
	window   int32
	cutoffs  []string
	stopsCSV string
	out      string
}

func newIsochroneCommand() *cobra.Command {
	opts := &isochroneOptions{window: 3600}
	cmd := &cobra.Command{
		Use:   "isochrone --gtfs FEED... --date D --at HH:MM[:SS] (--from LAT,LON | --from-stop STOP_ID) [--stops-csv FILE] [--out FILE.geojson]",
		Short: "Travel times from one origin to every stop, and isochrone polygons",
		Long: `isochrone routes from one origin, a point (--from LAT,LON, walking to the
stops within --max-walk) or a stop (--from-stop STOP_ID, left at once).

--stops-csv FILE writes stop_id,arrival,travel_seconds,transfers for every
stop reached leaving at --at (arrival as HH:MM:SS; stops reached on foot
alone have 0 transfers), sorted by stop id. Stop ids are as in the feed with
one feed, "<feed>:<id>" with several.

--out FILE.geojson writes one polygon feature per cutoff (property
cutoff_minutes): the union of the disks still walkable, within the cutoff,
around the origin and every stop, using each stop's median travel time over
the departures of [--at, --at + --window) at 1-minute steps. With --osm the
polygons follow the streets instead: the union of 50 m wide bands along the
parts of the streets walkable in the time left (places farther than the link
radius from every street keep their crow-fly disk).

Files are written whole or not at all. A summary goes to standard output.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runIsochrone(cmd.Context(), opts, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	addFeedFlags(f, &opts.feeds)
	f.StringVar(&opts.at, "at", "", "departure time, HH:MM or HH:MM:SS")
	f.StringVar(&opts.from, "from", "", "origin point, LAT,LON")
	f.StringVar(&opts.fromStop, "from-stop", "", "origin stop id (FEED:ID with several feeds, FEED the feed file name without extension)")
	f.Var(durationValue{&opts.window, 60, 24 * 3600}, "window", "departure window for the polygons' median travel times (1m–24h)")
	f.StringSliceVar(&opts.cutoffs, "cutoffs", []string{"10m", "20m", "30m"}, "travel times of the polygons")
	f.StringVar(&opts.stopsCSV, "stops-csv", "", "write the travel time to every stop reached to this CSV file")
	f.StringVar(&opts.out, "out", "", "write the isochrone polygons to this GeoJSON file")
	opts.params = addParamFlags(f, true)
	return cmd
}

// origin is where a search starts: its access stops, and a point for the
// polygons (ok false when a stop origin has no coordinates).
type origin struct {
	access   []router.Access
	lat, lon float64
	ok       bool
	name     string
}

// resolveOrigin turns --from or --from-stop into access stops.
func resolveOrigin(tt *router.Timetable, from, fromStop string) (origin, error) {
	if fromStop != "" {
		s, ok := tt.FindStop(fromStop)
		if !ok {
			hint := ""
			if n := tt.NumStops(); n > 0 && tt.Stop(int32(n-1)).Feed > 0 {
				hint = " (with several feeds, write FEED:ID, FEED the feed's file name without extension)"
			}
			return origin{}, fmt.Errorf("--from-stop %q: no such stop in the feeds%s", fromStop, hint)
		}
		st := tt.Stop(s)
		o := origin{access: []router.Access{{Stop: s, Seconds: 0}}, lat: st.Lat, lon: st.Lon, ok: st.HasCoords,
			name: fmt.Sprintf("stop %s (%s)", st.ID, st.Name)}
		// A station means all its quays: the traveller is at each of them
		// at the departure time.
		if quays := tt.Quays(s); len(quays) > 0 {
			o.name = fmt.Sprintf("station %s (%s, %d quays)", st.ID, st.Name, len(quays))
			o.access = o.access[:0]
			for _, q := range quays {
				o.access = append(o.access, router.Access{Stop: q, Seconds: 0})
			}
			if !o.ok {
				for _, q := range quays {
					if qs := tt.Stop(q); qs.HasCoords {
						o.lat, o.lon, o.ok = qs.Lat, qs.Lon, true
						break
					}
				}
			}
		}
		return o, nil
	}
	lat, lon, err := parseLatLon(from)
	if err != nil {
		return origin{}, fmt.Errorf("--from %w", err)
	}
	if err := checkPlace(tt, "--from", walk.Place{Lat: lat, Lon: lon}); err != nil {
		return origin{}, err
	}
	p := tt.Params()
	return origin{access: tt.StopsNear(lat, lon, p.MaxWalk, nil), lat: lat, lon: lon, ok: true,
		name: fmt.Sprintf("%g,%g", lat, lon)}, nil
}

func runIsochrone(ctx context.Context, opts *isochroneOptions, stdout io.Writer) error {
	// Check what needs no timetable first.
	if opts.at == "" {
		return errors.New("no departure time: give --at HH:MM")
	}
	at, err := coverage.ParseClock(opts.at)
	if err != nil {
		return fmt.Errorf("--at %w", err)
	}
	switch {
	case opts.from == "" && opts.fromStop == "":
		return errors.New("no origin: give --from LAT,LON or --from-stop STOP_ID")
	case opts.from != "" && opts.fromStop != "":
		return errors.New("--from and --from-stop: give one origin, not both")
	case opts.from != "":
		if _, _, err := parseLatLon(opts.from); err != nil {
			return fmt.Errorf("--from %w", err)
		}
	}
	cutoffs := make([]int32, len(opts.cutoffs))
	for i, c := range opts.cutoffs {
		s, err := coverage.ParseDuration(c, 1, 24*3600)
		if err != nil {
			return fmt.Errorf("--cutoffs %w", err)
		}
		cutoffs[i] = s
	}
	if opts.stopsCSV == "" && opts.out == "" {
		return errors.New("nothing to write: give --stops-csv FILE or --out FILE.geojson (or both)")
	}
	set, err := opts.params.settings()
	if err != nil {
		return err
	}
	tt, err := loadTimetable(ctx, opts.feeds, set)
	if err != nil {
		return err
	}
	o, err := resolveOrigin(tt, opts.from, opts.fromStop)
	if err != nil {
		return err
	}
	if opts.out != "" && !o.ok {
		return fmt.Errorf("--out: origin %s has no coordinates to draw polygons from", o.name)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	r := router.NewRouter(tt)
	fmt.Fprintf(stdout, "isochrone from %s: %d access stops, leaving %s on %s\n", o.name, len(o.access), coverage.FormatClock(at), opts.feeds.date)
	if opts.stopsCSV != "" {
		rows := stopRows(tt, r, o.access, at)
		if err := table.WriteFileAtomic(opts.stopsCSV, func(w io.Writer) error { return writeStopsCSV(w, rows) }); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%d stops reached, written to %s\n", len(rows), opts.stopsCSV)
	}
	if opts.out != "" {
		med := coverage.StopPercentiles(tt, r, o.access, at, at+opts.window, 60, 50)
		var reached []isochrone.Reached
		for s, t := range med {
			if st := tt.Stop(int32(s)); t != router.Unreached && st.HasCoords {
				reached = append(reached, isochrone.Reached{Lat: st.Lat, Lon: st.Lon, Seconds: t})
			}
		}
		var polys []orb.MultiPolygon
		if sw, ok := tt.Walker().(*streets.Walker); ok {
			polys, err = isochrone.StreetPolygons(o.lat, o.lon, reached, cutoffs, tt.Params().MaxWalk, sw)
		} else {
			polys, err = isochrone.Polygons(o.lat, o.lon, reached, cutoffs, tt.Params().MaxWalk, tt.Walker())
		}
		if err != nil {
			return err
		}
		fc := geojson.NewFeatureCollection()
		for i, mp := range polys {
			f := geojson.NewFeature(mp)
			f.Properties["cutoff_minutes"] = float64(cutoffs[i]) / 60
			f.Properties["departure"] = coverage.FormatClock(at)
			f.Properties["window_minutes"] = float64(opts.window) / 60
			f.Properties["statistic"] = "median"
			fc.Append(f)
		}
		b, err := json.Marshal(fc)
		if err != nil {
			return fmt.Errorf("--out: %w", err)
		}
		if err := table.WriteFileAtomic(opts.out, func(w io.Writer) error { _, err := w.Write(append(b, '\n')); return err }); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%d stops reached at the median over %s–%s, %d polygons written to %s\n",
			len(reached), coverage.FormatClock(at), coverage.FormatClock(at+opts.window), len(polys), opts.out)
	}
	return nil
}

// stopRow is one line of --stops-csv.
type stopRow struct {
	id        string
	arrival   int32
	travel    int32
	transfers int
}

// stopRows returns every stop reached leaving at dep, by a ride or by the
// access walk alone, sorted by stop id.
func stopRows(tt *router.Timetable, r *router.Router, access []router.Access, dep int32) []stopRow {
	var rows []stopRow
	for _, x := range coverage.StopTravels(tt, r, access, dep) {
		rows = append(rows, stopRow{id: tt.Stop(x.Stop).ID, arrival: dep + x.Seconds, travel: x.Seconds, transfers: x.Transfers})
	}
	slices.SortFunc(rows, func(a, b stopRow) int { return strings.Compare(a.id, b.id) })
	return rows
}

func writeStopsCSV(w io.Writer, rows []stopRow) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("stop_id,arrival,travel_seconds,transfers\n")
	for _, r := range rows {
		fmt.Fprintf(bw, "%s,%s,%d,%d\n", csvField(r.id), coverage.FormatClock(r.arrival), r.travel, r.transfers)
	}
	return bw.Flush()
}

// csvField quotes a field when CSV needs it.
func csvField(s string) string {
	if !strings.ContainsAny(s, ",\"\r\n") {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
