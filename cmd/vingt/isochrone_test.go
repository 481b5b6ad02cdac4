package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/paulmach/orb/geojson"
	"github.com/twpayne/go-geos"
	"gonum.org/v1/gonum/stat"

	"github.com/vingt/vingt/coverage"
	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/internal/testutil"
	"github.com/vingt/vingt/internal/testutil/csa"
	"github.com/vingt/vingt/router"
)

const (
	peribus     = "perigueux/peribus-gtfs.zip"
	peribusDate = "2026-01-13"
	// Place Bugeaud, in the centre of Périgueux.
	bugeaud = "45.1842,0.7214"
)

// csvRow is a parsed line of --stops-csv.
type csvRow struct {
	arrival, travel int32
	transfers       int
}

// readStopsCSV reads a --stops-csv file, failing the test on any
// malformed line, and checks the properties every such file has: the
// header, ids sorted and unique, arrival = dep + travel_seconds, travel
// within the 60-minute cap, transfers within 0–4.
func readStopsCSV(t *testing.T, path string, dep int32) map[string]csvRow {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(recs) == 0 || strings.Join(recs[0], ",") != "stop_id,arrival,travel_seconds,transfers" {
		t.Fatalf("%s: header %q", path, recs[:min(1, len(recs))])
	}
	rows := map[string]csvRow{}
	prev := ""
	for i, r := range recs[1:] {
		line := i + 2
		if len(r) != 4 {
			t.Fatalf("%s:%d: %d fields", path, line, len(r))
		}
		if r[0] <= prev {
			t.Errorf("%s:%d: stop id %q not after %q", path, line, r[0], prev)
		}
		prev = r[0]
		arr, err := coverage.ParseClock(r[1])
		if err != nil || len(r[1]) != 8 {
			t.Fatalf("%s:%d: arrival %q: want HH:MM:SS", path, line, r[1])
		}
		travel, err1 := strconv.Atoi(r[2])
		tr, err2 := strconv.Atoi(r[3])
		if err1 != nil || err2 != nil {
			t.Fatalf("%s:%d: %q", path, line, r)
		}
		if int32(travel) != arr-dep || travel < 0 || travel > 3600 {
			t.Errorf("%s:%d: travel %d s, arrival %s, leaving %s", path, line, travel, r[1], coverage.FormatClock(dep))
		}
		if tr < 0 || tr > 4 {
			t.Errorf("%s:%d: %d transfers", path, line, tr)
		}
		rows[r[0]] = csvRow{arr, int32(travel), tr}
	}
	return rows
}

func TestIsochroneStopsCSVFromPoint(t *testing.T) {
	feed := testutil.SharedData(t, peribus)
	dir := t.TempDir()
	out := filepath.Join(dir, "stops.csv")
	r := runVingt(t, dir, "isochrone", "--gtfs", feed, "--date", peribusDate, "--at", "08:00", "--from", bugeaud, "--stops-csv", out)
	if r.code != 0 {
		t.Fatalf("code %d: %s", r.code, r.stderr)
	}
	rows := readStopsCSV(t, out, 8*3600)
	if len(rows) < 100 {
		t.Fatalf("%d stops reached from the centre of Périgueux in an hour", len(rows))
	}
	// Every stop within the walk is there, no later than the walk, and
	// some stop beyond the walk is reached by a ride.
	f, err := gtfs.Open(feed)
	if err != nil {
		t.Fatal(err)
	}
	date, _ := gtfs.ParseDate(peribusDate)
	served := servedStops(f, date)
	lat, lon, _ := parseLatLon(bugeaud)
	walked, ridden := 0, 0
	for i, s := range f.Stops {
		row, ok := rows[s.ID]
		if !s.HasCoords || !served[int32(i)] {
			continue // access walks lead to stops served that day only
		}
		w := int32(math.Ceil(haversine(lat, lon, s.Lat, s.Lon)))
		switch {
		case w <= 900 && ok:
			walked++
			if row.travel > w {
				t.Errorf("stop %s: %d s, walking takes %d s", s.ID, row.travel, w)
			}
		case ok:
			ridden++
		}
	}
	if walked == 0 || ridden == 0 {
		t.Errorf("%d stops within the walk, %d beyond", walked, ridden)
	}
	if !strings.Contains(r.stdout, "stops reached") {
		t.Errorf("stdout: %q", r.stdout)
	}
}

// servedStops returns the stops where trips of the date (not of the day
// before) stop.
func servedStops(f *gtfs.Feed, date gtfs.Date) map[int32]bool {
	active := f.ActiveServices(date)
	served := map[int32]bool{}
	for i := range f.Trips {
		tr := &f.Trips[i]
		if active[tr.Service] {
			for j := range tr.N {
				served[f.StopTimes.Stop[tr.First+j]] = true
			}
		}
	}
	return served
}

// haversine is the distance of the shared semantics, written again here.
func haversine(lat1, lon1, lat2, lon2 float64) float64 {
	rad := math.Pi / 180
	dp, dl := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dp/2)*math.Sin(dp/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dl/2)*math.Sin(dl/2)
	return 2 * 6371000 * math.Asin(math.Min(1, math.Sqrt(a)))
}

// csaArrivals is the oracle of internal/testutil/csa, a connection scan
// over the feed's own stop times, one pass per number of rides: board
// slack 0, same-stop transfers only (--max-transfer-walk 0, a feed without
// transfers.txt), at most 5 rides, 60-minute cap. It returns, per stop id
// reached, the arrival and the fewest transfers that reach it as early.
func csaArrivals(t *testing.T, f *gtfs.Feed, date gtfs.Date, origin string, dep int32) map[string]csvRow {
	t.Helper()
	o := int32(-1)
	for i, s := range f.Stops {
		if s.ID == origin {
			o = int32(i)
		}
	}
	if o < 0 {
		t.Fatalf("no stop %s", origin)
	}
	oracle := csa.New([]*gtfs.Feed{f}, date, csa.Params{MaxTransfers: 4, MaxDuration: 3600})
	rounds := oracle.Rounds([]csa.Start{{Stop: o}}, dep)
	out := map[string]csvRow{origin: {dep, 0, 0}}
	for s, a := range rounds[len(rounds)-1] {
		if a == csa.Unreached || int32(s) == o {
			continue
		}
		k := 0 // rounds[k]: at most k+1 rides, k transfers
		for rounds[k][s] != a {
			k++
		}
		out[f.Stops[s].ID] = csvRow{a, a - dep, k}
	}
	return out
}

// TestIsochroneStopsCSVAgainstOracle is the acceptance check of issue 3:
// leaving stops of Périgueux at 08:00:00 with --board-slack 0
// --max-transfer-walk 0, --stops-csv holds exactly the true earliest
// arrivals, and the fewest transfers that reach them.
func TestIsochroneStopsCSVAgainstOracle(t *testing.T) {
	path := testutil.SharedData(t, peribus)
	f, err := gtfs.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Transfers) > 0 {
		t.Fatal("the oracle ignores transfers.txt, which the feed now has")
	}
	date, _ := gtfs.ParseDate(peribusDate)
	// Sixteen stops spread over those with a departure between 08:00 and
	// 08:30 that day (the others reach only themselves).
	active := f.ActiveServices(date)
	busy := map[string]bool{}
	for i := range f.Trips {
		tr := &f.Trips[i]
		if !active[tr.Service] {
			continue
		}
		for j := range int(tr.N) {
			k := int(tr.First) + j
			if d := f.Departure(tr, j); d >= 8*3600 && d <= 8*3600+1800 && f.StopTimes.Pickup[k] != gtfs.NoService && j+1 < int(tr.N) {
				busy[f.Stops[f.StopTimes.Stop[k]].ID] = true
			}
		}
	}
	origins := slices.Sorted(maps.Keys(busy))
	var picked []string
	for i := range 16 {
		picked = append(picked, origins[i*len(origins)/16])
	}
	dir := t.TempDir()
	const dep = 8 * 3600
	for _, origin := range picked {
		t.Run(origin, func(t *testing.T) {
			out := filepath.Join(dir, strings.NewReplacer(":", "_").Replace(origin)+".csv")
			r := runVingt(t, dir, "isochrone", "--gtfs", path, "--date", peribusDate, "--at", "08:00:00",
				"--from-stop", origin, "--board-slack", "0", "--max-transfer-walk", "0", "--stops-csv", out)
			if r.code != 0 {
				t.Fatalf("code %d: %s", r.code, r.stderr)
			}
			got := readStopsCSV(t, out, dep)
			want := csaArrivals(t, f, date, origin, dep)
			if got[origin] != (csvRow{dep, 0, 0}) {
				t.Errorf("origin row %+v, want 08:00:00, 0 s, 0 transfers", got[origin])
			}
			bad := 0
			for id, w := range want {
				if g, ok := got[id]; !ok || g != w {
					if bad++; bad <= 10 {
						t.Errorf("stop %s: got %s (ok %v, %d transfers), oracle %s (%d transfers)", id, coverage.FormatClock(g.arrival), ok, g.transfers, coverage.FormatClock(w.arrival), w.transfers)
					}
				}
			}
			for id, g := range got {
				if _, ok := want[id]; !ok {
					if bad++; bad <= 10 {
						t.Errorf("stop %s: reached at %s, unreached by the oracle", id, coverage.FormatClock(g.arrival))
					}
				}
			}
			if bad > 0 {
				t.Errorf("%d of %d stops differ", bad, len(want))
			}
			t.Logf("%d stops reached", len(want))
		})
	}
}

// polygonOf converts a GeoJSON geometry to GEOS.
func polygonOf(t *testing.T, g orb.Geometry) *geos.Geom {
	t.Helper()
	switch g.(type) {
	case orb.Polygon, orb.MultiPolygon:
	default:
		t.Fatalf("geometry is a %T, want a polygon", g)
	}
	b, err := wkb.Marshal(g)
	if err != nil {
		t.Fatal(err)
	}
	x, err := geos.NewGeomFromWKB(b)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func TestIsochroneGeoJSON(t *testing.T) {
	feed := testutil.SharedData(t, peribus)
	for _, c := range []struct {
		name   string
		origin []string
		lat    float64
		lon    float64
	}{
		{"from a point", []string{"--from", bugeaud}, 45.1842, 0.7214},
		{"from a stop", []string{"--from-stop", "MOBIITI:Quay:115495"}, 45.132294, 0.702277},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "iso.geojson")
			args := append([]string{"isochrone", "--gtfs", feed, "--date", peribusDate, "--at", "08:00",
				"--window", "30m", "--cutoffs", "10m,20m,45m", "--out", out}, c.origin...)
			r := runVingt(t, dir, args...)
			if r.code != 0 {
				t.Fatalf("code %d: %s", r.code, r.stderr)
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			fc, err := geojson.UnmarshalFeatureCollection(b)
			if err != nil {
				t.Fatalf("%s: %v", out, err)
			}
			if len(fc.Features) != 3 {
				t.Fatalf("%d features, want 3", len(fc.Features))
			}
			origin := geos.NewPointFromXY(c.lon, c.lat)
			prev := 0.0
			for i, f := range fc.Features {
				want := []float64{10, 20, 45}[i]
				if got, ok := f.Properties["cutoff_minutes"].(float64); !ok || got != want {
					t.Errorf("feature %d: cutoff_minutes %v, want %v", i, f.Properties["cutoff_minutes"], want)
				}
				g := polygonOf(t, f.Geometry)
				if !g.IsValid() {
					t.Errorf("feature %d: invalid: %s", i, g.IsValidReason())
				}
				if !g.Contains(origin) {
					t.Errorf("feature %d: origin outside", i)
				}
				a := g.Area()
				if a <= prev {
					t.Errorf("feature %d: area %g deg², not above %g", i, a, prev)
				}
				prev = a
			}
			// No temporary file is left behind.
			ents, _ := os.ReadDir(dir)
			if len(ents) != 1 {
				t.Errorf("files left in the output folder: %v", ents)
			}
		})
	}
}

func TestIsochroneErrors(t *testing.T) {
	feed := testutil.SharedData(t, peribus)
	dir := t.TempDir()
	base := []string{"isochrone", "--gtfs", feed, "--date", peribusDate, "--stops-csv", filepath.Join(dir, "s.csv")}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"bad --at", []string{"--at", "25:7x", "--from", bugeaud}, `--at "25:7x": want HH:MM or HH:MM:SS`},
		{"--at out of range", []string{"--at", "08:61", "--from", bugeaud}, `--at "08:61"`},
		{"no --at", []string{"--from", bugeaud}, "no departure time"},
		{"unknown stop", []string{"--at", "08:00", "--from-stop", "NOPE:42"}, `--from-stop "NOPE:42": no such stop`},
		{"latitude out of range", []string{"--at", "08:00", "--from", "91,0.72"}, `--from "91,0.72": latitude must be within`},
		{"not a point", []string{"--at", "08:00", "--from", "Périgueux"}, `--from "Périgueux": want LAT,LON`},
		{"one number", []string{"--at", "08:00", "--from", "45.18"}, `want LAT,LON`},
		{"two origins", []string{"--at", "08:00", "--from", bugeaud, "--from-stop", "X"}, "give one origin"},
		{"no origin", []string{"--at", "08:00"}, "no origin"},
		{"window too long", []string{"--at", "08:00", "--from", bugeaud, "--window", "25h"}, `"25h": must be at most 24h`},
		{"empty window", []string{"--at", "08:00", "--from", bugeaud, "--window", "0s"}, `"0s": must be at least 1m`},
		{"zero cutoff", []string{"--at", "08:00", "--from", bugeaud, "--cutoffs", "0m"}, `--cutoffs "0m": must be at least 1s`},
		{"bad cutoff", []string{"--at", "08:00", "--from", bugeaud, "--cutoffs", "10m,twenty"}, `--cutoffs "twenty"`},
		{"bad duration flag", []string{"--at", "08:00", "--from", bugeaud, "--max-walk", "15"}, `"15": want a duration`},
		{"bad params", []string{"--at", "08:00", "--from", bugeaud, "--walk-speed", "0"}, `"0": must be within 0.1–10 m/s`},
		{"bad date", []string{"--at", "08:00", "--from", bugeaud, "--date", "13/01/2026"}, "--date"},
		{"missing feed", []string{"--at", "08:00", "--from", bugeaud, "--gtfs", filepath.Join(dir, "none.zip")}, "none.zip"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := runVingt(t, dir, append(slices.Clone(base), c.args...)...)
			if r.code != 2 || !strings.Contains(r.stderr, c.want) {
				t.Errorf("code %d, stderr %q; want code 2 and %q", r.code, r.stderr, c.want)
			}
			if _, err := os.Stat(filepath.Join(dir, "s.csv")); err == nil {
				t.Error("a CSV was written")
			}
		})
	}
	r := runVingt(t, dir, "isochrone", "--gtfs", feed, "--date", peribusDate, "--at", "08:00", "--from", bugeaud)
	if r.code != 2 || !strings.Contains(r.stderr, "nothing to write") {
		t.Errorf("no output: code %d, stderr %q", r.code, r.stderr)
	}
}

func TestParseClock(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int32
		ok   bool
	}{
		{"08:00", 28800, true}, {"8:00", 28800, true}, {"08:00:30", 28830, true}, {"00:00", 0, true},
		{"25:10", 90600, true}, {"47:59:59", 172799, true},
		{"48:00", 0, false}, {"08:60", 0, false}, {"08:00:60", 0, false}, {"08", 0, false},
		{"08:00:00:00", 0, false}, {"08:0x", 0, false}, {"-1:00", 0, false}, {"+8:00", 0, false},
		{"", 0, false}, {"08:", 0, false}, {"123:00", 0, false},
	} {
		got, err := coverage.ParseClock(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("coverage.ParseClock(%q) = %d, %v; want %d, ok %v", c.in, got, err, c.want, c.ok)
		}
		if c.ok {
			if back, _ := coverage.ParseClock(coverage.FormatClock(got)); back != got {
				t.Errorf("coverage.FormatClock(%d) = %q does not parse back", got, coverage.FormatClock(got))
			}
		}
	}
}

func TestParseLatLon(t *testing.T) {
	for _, c := range []struct {
		in       string
		lat, lon float64
		ok       bool
	}{
		{"45.18,0.72", 45.18, 0.72, true}, {" 45.18 , 0.72 ", 45.18, 0.72, true}, {"-90,180", -90, 180, true},
		{"91,0", 0, 0, false}, {"0,181", 0, 0, false}, {"NaN,0", 0, 0, false}, {"45", 0, 0, false},
		{"a,b", 0, 0, false}, {"", 0, 0, false}, {"1,2,3", 0, 0, false},
	} {
		lat, lon, err := parseLatLon(c.in)
		if (err == nil) != c.ok || lat != c.lat || lon != c.lon {
			t.Errorf("parseLatLon(%q) = %v, %v, %v; want %v, %v, ok %v", c.in, lat, lon, err, c.lat, c.lon, c.ok)
		}
	}
}

func FuzzParseClock(f *testing.F) {
	for _, s := range []string{"08:00", "8:00:00", "47:59:59", "25:7x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := coverage.ParseClock(s)
		if err != nil {
			return
		}
		if got < 0 || got >= 48*3600 {
			t.Fatalf("coverage.ParseClock(%q) = %d", s, got)
		}
		if back, err := coverage.ParseClock(coverage.FormatClock(got)); err != nil || back != got {
			t.Fatalf("coverage.ParseClock(%q) = %d, formatted %q, read back %d, %v", s, got, coverage.FormatClock(got), back, err)
		}
	})
}

func FuzzParseLatLon(f *testing.F) {
	for _, s := range []string{"45.18,0.72", "91,0", "a,b", "1e2,3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lat, lon, err := parseLatLon(s)
		if err == nil && (!(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180)) {
			t.Fatalf("parseLatLon(%q) = %v, %v", s, lat, lon)
		}
		if err != nil && !strings.Contains(err.Error(), fmt.Sprintf("%q", s)) {
			t.Fatalf("error %q does not name the input", err)
		}
	})
}

// TestMedianTravel checks the window's median travel times against one
// search per departure minute and gonum's empirical quantile, the
// percentile of the shared semantics.
func TestMedianTravel(t *testing.T) {
	feed := testutil.SharedData(t, peribus)
	tt, err := loadTimetable(context.Background(), feedFlags{gtfs: []string{feed}, date: peribusDate}, coverage.DefaultSettings())
	if err != nil {
		t.Fatal(err)
	}
	lat, lon, _ := parseLatLon(bugeaud)
	access := tt.StopsNear(lat, lon, 900, nil)
	const from, to = 8 * 3600, 8*3600 + 1800 // 30 departures, 08:00 … 08:29: an even count, where median conventions differ
	got := coverage.StopPercentiles(tt, router.NewRouter(tt), access, from, to, 60, 50)
	walk := map[int32]int32{}
	for _, a := range access {
		walk[a.Stop] = a.Seconds
	}
	r := router.NewRouter(tt)
	per := make([][]float64, tt.NumStops())
	// A stop is timed by the walk to it or by its last ride (a footpath
	// after the last ride is a walk the isochrone draws from the stop
	// itself), and a time past the cap is unreachable.
	limit := float64(tt.Params().MaxDuration)
	for dep := int32(from); dep < to; dep += 60 {
		arr := r.Query(access, dep)
		for s := range arr {
			v := math.Inf(1)
			if w, ok := walk[int32(s)]; ok {
				v = float64(w)
			}
			if a := r.RideArrival(int32(s)); a != router.Unreached {
				v = math.Min(v, float64(a-dep))
			}
			if v > limit {
				v = math.Inf(1)
			}
			per[s] = append(per[s], v)
		}
	}
	reached, varying := 0, 0
	for s, xs := range per {
		if len(xs) != 30 {
			t.Fatalf("%d departures", len(xs))
		}
		slices.Sort(xs)
		want := stat.Quantile(0.5, stat.Empirical, xs, nil)
		g := float64(got[s])
		if got[s] == router.Unreached {
			g = math.Inf(1)
		}
		if g != want {
			t.Errorf("stop %s: median %v, want %v", tt.Stop(int32(s)).ID, g, want)
		}
		if !math.IsInf(want, 1) {
			reached++
		}
		if xs[0] != xs[len(xs)-1] {
			varying++
		}
	}
	if reached < 100 || varying < 50 {
		t.Errorf("%d stops reached at the median, %d with varying times: too few to test", reached, varying)
	}
}

// TestIsochroneSeveralFeeds routes over Porto Alegre's buses and trains:
// stop ids are namespaced by feed, and --gtfs takes a list or repeats.
func TestIsochroneSeveralFeeds(t *testing.T) {
	eptc := testutil.SharedData(t, "porto-alegre/poa_eptc.zip")
	trensurb := testutil.SharedData(t, "porto-alegre/poa_trensurb.zip")
	dir := t.TempDir()
	common := []string{"isochrone", "--date", "2019-05-13", "--at", "14:00", "--from-stop", "poa_trensurb:MR"}
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	r := runVingt(t, dir, append(slices.Clone(common), "--gtfs", eptc+","+trensurb, "--stops-csv", a)...)
	if r.code != 0 {
		t.Fatalf("code %d: %s", r.code, r.stderr)
	}
	r = runVingt(t, dir, append(slices.Clone(common), "--gtfs", eptc, "--gtfs", trensurb, "--stops-csv", b)...)
	if r.code != 0 {
		t.Fatalf("code %d: %s", r.code, r.stderr)
	}
	ba, _ := os.ReadFile(a)
	bb, _ := os.ReadFile(b)
	if string(ba) != string(bb) {
		t.Error("--gtfs A,B and --gtfs A --gtfs B differ")
	}
	rows := readStopsCSV(t, a, 14*3600)
	feeds := map[string]int{}
	for id := range rows {
		feed, _, ok := strings.Cut(id, ":")
		if !ok {
			t.Fatalf("stop id %q not namespaced", id)
		}
		feeds[feed]++
	}
	if feeds["poa_eptc"] == 0 || feeds["poa_trensurb"] < 2 || len(feeds) != 2 {
		t.Errorf("stops reached per feed: %v", feeds)
	}
	if rows["poa_trensurb:MR"] != (csvRow{14 * 3600, 0, 0}) {
		t.Errorf("origin row %+v", rows["poa_trensurb:MR"])
	}
	r = runVingt(t, dir, "isochrone", "--date", "2019-05-13", "--at", "14:00", "--from-stop", "MR",
		"--gtfs", eptc+","+trensurb, "--stops-csv", a)
	if r.code != 2 || !strings.Contains(r.stderr, `--from-stop "MR": no such stop in the feeds (with several feeds, write FEED:ID`) {
		t.Errorf("unprefixed id with two feeds: code %d, stderr %q", r.code, r.stderr)
	}
}
