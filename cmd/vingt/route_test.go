package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vingt/vingt/coverage"
	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/internal/testutil"
)

// Créavallée, a business park south of Périgueux, and Mensignac, a
// village 15 km away.
const (
	creavallee = "45.132294,0.702277"
	mensignac  = "45.225239,0.560949"
)

// routeJSON runs vingt route --json and decodes its answer.
func routeJSON(t *testing.T, args ...string) routeResult {
	t.Helper()
	feed := testutil.SharedData(t, peribus)
	r := runVingt(t, "", append([]string{"route", "--gtfs", feed, "--date", peribusDate, "--json"}, args...)...)
	if r.code != 0 {
		t.Fatalf("code %d: %s", r.code, r.stderr)
	}
	var res routeResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	return res
}

func walkSeconds(lat1, lon1, lat2, lon2 float64) int32 {
	return int32(math.Ceil(haversine(lat1, lon1, lat2, lon2))) // 1.3 m/s, detour 1.3
}

func TestRouteJourney(t *testing.T) {
	res := routeJSON(t, "--at", "08:00", "--from", bugeaud, "--to", creavallee)
	if !res.Reachable || res.Rides < 1 {
		t.Fatalf("reachable %v with %d rides: %+v", res.Reachable, res.Rides, res)
	}
	fromLat, fromLon, _ := parseLatLon(bugeaud)
	toLat, toLon, _ := parseLatLon(creavallee)
	legs := res.Legs
	first, last := legs[0], legs[len(legs)-1]
	if first.Kind != "walk" || first.From != nil || first.To == nil || first.Depart != "08:00:00" {
		t.Errorf("first leg %+v: want a walk from the origin to a stop at 08:00:00", first)
	} else if w := walkSeconds(fromLat, fromLon, first.To.Lat, first.To.Lon); first.Seconds != w || w > 900 {
		t.Errorf("first walk %d s, the distance gives %d s", first.Seconds, w)
	} else {
		checkMetres(t, "first walk", first, 1.3*haversine(fromLat, fromLon, first.To.Lat, first.To.Lon))
	}
	if last.Kind != "walk" || last.From == nil || last.To != nil || last.Arrive != res.Arrival {
		t.Errorf("last leg %+v: want a walk from a stop to the destination, arriving %s", last, res.Arrival)
	} else if w := walkSeconds(last.From.Lat, last.From.Lon, toLat, toLon); last.Seconds != w || w > 900 {
		t.Errorf("last walk %d s, the distance gives %d s", last.Seconds, w)
	} else {
		checkMetres(t, "last walk", last, 1.3*haversine(last.From.Lat, last.From.Lon, toLat, toLon))
	}
	rides := 0
	prevArrive := int32(8 * 3600)
	var prevTo *routeStop
	for i, l := range legs {
		dep, err1 := coverage.ParseClock(l.Depart)
		arr, err2 := coverage.ParseClock(l.Arrive)
		if err1 != nil || err2 != nil || arr-dep != l.Seconds || l.Seconds < 0 {
			t.Errorf("leg %d %+v: times inconsistent", i, l)
		}
		if i > 0 && (l.From == nil || prevTo == nil || l.From.ID != prevTo.ID) {
			t.Errorf("leg %d starts at %+v, the previous ended at %+v", i, l.From, prevTo)
		}
		switch l.Kind {
		case "ride":
			rides++
			if dep < prevArrive+60 {
				t.Errorf("leg %d boards at %s, %d s after reaching the stop (board slack 60 s)", i, l.Depart, dep-prevArrive)
			}
			if l.Trip == "" || l.Route == "" || l.To.ID == l.From.ID {
				t.Errorf("leg %d: ride %+v", i, l)
			}
		case "walk", "transfer":
			if dep != prevArrive {
				t.Errorf("leg %d walks from %s, arrived %s", i, l.Depart, coverage.FormatClock(prevArrive))
			}
			if l.Kind == "transfer" && l.From != nil && l.To != nil {
				checkMetres(t, fmt.Sprintf("transfer leg %d", i), l, 1.3*haversine(l.From.Lat, l.From.Lon, l.To.Lat, l.To.Lon))
			}
		default:
			t.Errorf("leg %d: kind %q", i, l.Kind)
		}
		prevArrive, prevTo = arr, l.To
	}
	if rides != res.Rides || res.Transfers != rides-1 {
		t.Errorf("%d ride legs, rides %d, transfers %d", rides, res.Rides, res.Transfers)
	}
	if arr, _ := coverage.ParseClock(res.Arrival); arr-8*3600 != res.TotalSeconds || res.TotalSeconds > 3600 {
		t.Errorf("arrival %s, total %d s", res.Arrival, res.TotalSeconds)
	}

	// No stop reached by a ride in the stops CSV offers an earlier
	// arrival at the destination than the route found.
	feed := testutil.SharedData(t, peribus)
	dir := t.TempDir()
	out := filepath.Join(dir, "stops.csv")
	r := runVingt(t, dir, "isochrone", "--gtfs", feed, "--date", peribusDate, "--at", "08:00", "--from", bugeaud, "--stops-csv", out)
	if r.code != 0 {
		t.Fatalf("isochrone: code %d: %s", r.code, r.stderr)
	}
	rows := readStopsCSV(t, out, 8*3600)
	f, err := gtfs.Open(feed)
	if err != nil {
		t.Fatal(err)
	}
	total, _ := coverage.ParseClock(res.Arrival)
	checked := 0
	for _, s := range f.Stops {
		row, ok := rows[s.ID]
		if !ok || !s.HasCoords || row.travel >= walkSeconds(fromLat, fromLon, s.Lat, s.Lon) {
			continue // not reached, or maybe on foot alone
		}
		if e := walkSeconds(s.Lat, s.Lon, toLat, toLon); e <= 900 {
			checked++
			if row.arrival+e < total {
				t.Errorf("stop %s reached at %s, %d s from the destination: earlier than %s", s.ID, coverage.FormatClock(row.arrival), e, res.Arrival)
			}
			if last.From.ID == s.ID && row.arrival+e != total {
				t.Errorf("last stop %s reached at %s in the CSV, arrival %s in the route", s.ID, coverage.FormatClock(row.arrival), res.Arrival)
			}
		}
	}
	if checked == 0 {
		t.Error("no stop near the destination reached by a ride in the CSV")
	}
}

// checkMetres checks that a walk leg reports want metres (rounded) and
// that its seconds are those metres at 1.3 m/s.
func checkMetres(t *testing.T, what string, l routeLeg, want float64) {
	t.Helper()
	if l.Metres == nil {
		t.Errorf("%s %+v: no metres", what, l)
		return
	}
	m := float64(*l.Metres)
	if math.Abs(m-want) > 0.5+1e-6 {
		t.Errorf("%s: %d m walked, want %.2f", what, *l.Metres, want)
	}
	if s := int32(math.Ceil(want / 1.3)); l.Seconds != s {
		t.Errorf("%s: %d s for %.2f m, want %d s", what, l.Seconds, want, s)
	}
}

func TestRouteText(t *testing.T) {
	feed := testutil.SharedData(t, peribus)
	r := runVingt(t, "", "route", "--gtfs", feed, "--date", peribusDate, "--at", "08:00", "--from", bugeaud, "--to", creavallee)
	if r.code != 0 {
		t.Fatalf("code %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"leaving 08:00:00 on 2026-01-13", "walk ", "from the origin", "board route ", "alight at ", "to the destination", "total ", "rides: "} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("no %q in:\n%s", want, r.stdout)
		}
	}
	t.Logf("\n%s", r.stdout)
}

func TestRouteWalkOnly(t *testing.T) {
	// 100 m apart: walking beats any bus.
	res := routeJSON(t, "--at", "08:00", "--from", bugeaud, "--to", "45.1851,0.7214")
	if !res.Reachable || res.Rides != 0 || len(res.Legs) != 1 || res.Legs[0].Kind != "walk" {
		t.Fatalf("%+v", res)
	}
	if w := walkSeconds(45.1842, 0.7214, 45.1851, 0.7214); res.TotalSeconds != w {
		t.Errorf("total %d s, walking takes %d s", res.TotalSeconds, w)
	}
}

func TestRouteUnreachable(t *testing.T) {
	res := routeJSON(t, "--at", "08:00", "--from", mensignac, "--to", creavallee)
	if res.Reachable || len(res.Legs) != 0 || !strings.Contains(res.Reason, "nothing arrives within 1h") {
		t.Fatalf("%+v", res)
	}
	// Far from any stop (but among the feed's stops: 44.0,0.7 is now an
	// error, outside them), the reason says so.
	res = routeJSON(t, "--at", "08:00", "--from", "44.90,0.50", "--to", creavallee, "--max-duration", "30m")
	if res.Reachable || !strings.Contains(res.Reason, "no stop served that day within 15min walk of the origin") ||
		!strings.Contains(res.Reason, "within 30min") {
		t.Fatalf("%+v", res)
	}
	feed := testutil.SharedData(t, peribus)
	r := runVingt(t, "", "route", "--gtfs", feed, "--date", peribusDate, "--at", "08:00", "--from", mensignac, "--to", creavallee)
	if r.code != 0 || !strings.Contains(r.stdout, "nothing arrives") {
		t.Errorf("code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestRouteErrors(t *testing.T) {
	feed := testutil.SharedData(t, peribus)
	base := []string{"route", "--gtfs", feed, "--date", peribusDate}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"bad --at", []string{"--at", "8h", "--from", bugeaud, "--to", creavallee}, `--at "8h": want HH:MM`},
		{"no --at", []string{"--from", bugeaud, "--to", creavallee}, "no departure time"},
		{"no --to", []string{"--at", "08:00", "--from", bugeaud}, "give both --from"},
		{"bad --to", []string{"--at", "08:00", "--from", bugeaud, "--to", "0.70,200"}, `--to "0.70,200": latitude must be within`},
		{"bad --from", []string{"--at", "08:00", "--from", "x,y", "--to", creavallee}, `--from "x,y": want LAT,LON`},
		{"bad params", []string{"--at", "08:00", "--from", bugeaud, "--to", creavallee, "--max-transfers", "-1"}, `"-1": must be within 0–20`},
		{"stray argument", []string{"--at", "08:00", "--from", bugeaud, "--to", creavallee, "extra"}, `unexpected argument "extra"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := runVingt(t, "", append(append([]string{}, base...), c.args...)...)
			if r.code != 2 || !strings.Contains(r.stderr, c.want) {
				t.Errorf("code %d, stderr %q; want code 2 and %q", r.code, r.stderr, c.want)
			}
		})
	}
}

// TestRouteLongWalk checks that a walk longer than --max-walk (15 min) but
// within the cap is a trip: cell B of the walk-threshold-outside fixture
// to its only service P2, 1,000.754 m crow-fly, 1,001 s at 1.3 m/s over a
// 1.3 detour (see that fixture's README). With a cap under the walk,
// nothing arrives.
func TestRouteLongWalk(t *testing.T) {
	feed := filepath.Join("..", "..", "testdata", "fixtures", "walk-threshold-outside", "gtfs")
	base := []string{"route", "--gtfs", feed, "--date", "2026-01-13", "--at", "08:00", "--from", "0,1.1", "--to", "0,1.109"}
	for _, c := range []struct {
		name      string
		args      []string
		reachable bool
	}{
		{"17-minute walk within the 1h cap", nil, true},
		{"17-minute walk within a 20-minute cap", []string{"--max-duration", "20m"}, true},
		{"cap under the walk", []string{"--max-duration", "16m"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := runVingt(t, "", append(append(append([]string{}, base...), c.args...), "--json")...)
			if r.code != 0 {
				t.Fatalf("code %d: %s", r.code, r.stderr)
			}
			var res routeResult
			if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
				t.Fatalf("%v: %s", err, r.stdout)
			}
			if res.Reachable != c.reachable {
				t.Fatalf("reachable %v, want %v: %+v", res.Reachable, c.reachable, res)
			}
			if !c.reachable {
				if !strings.Contains(res.Reason, "walking the 1001 m crow-fly takes over 16min") {
					t.Errorf("reason %q", res.Reason)
				}
				return
			}
			if res.TotalSeconds != 1001 || res.Rides != 0 || len(res.Legs) != 1 || res.Legs[0].Kind != "walk" || res.Legs[0].Seconds != 1001 {
				t.Errorf("%+v, want one walk of 1001 s", res)
			}
		})
	}
	// The text output shows the walk.
	r := runVingt(t, "", base...)
	if r.code != 0 || !strings.Contains(r.stdout, "walk ") || !strings.Contains(r.stdout, "16min41s") {
		t.Errorf("code %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	t.Logf("\n%s", r.stdout)
}

// TestRouteOSM walks on Porto Alegre's streets: 33 m apart as the crow
// flies (34 s at 1.3 m/s × 1.3), in the grounds of the Santa Casa. The
// nearest paths of the two points (a footway end 12.1 m north of the first,
// a service road 25.1 m south of the second) meet only round the block
// (233 m); but both points also link to the end of the footway between
// them, on their other side (streets.LinkAll: 23.1 m and 25.5 m away), so
// the walk is 48.7 m, 38 s: never shorter than the straight line.
func TestRouteOSM(t *testing.T) {
	feed := testutil.SharedData(t, "porto-alegre/poa_eptc.zip")
	osm := testutil.SharedData(t, "porto-alegre/poa_osm.pbf")
	base := []string{"route", "--gtfs", feed, "--date", "2019-05-13", "--at", "14:00", "--json", "--from=-30.0300,-51.2200", "--to=-30.0303,-51.2200"}
	decode := func(args ...string) routeResult {
		r := runVingt(t, "", append(append([]string{}, base...), args...)...)
		if r.code != 0 {
			t.Fatalf("code %d: %s", r.code, r.stderr)
		}
		var res routeResult
		if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
			t.Fatalf("%v: %s", err, r.stdout)
		}
		return res
	}
	crow, street := decode(), decode("--osm", osm)
	if !crow.Reachable || crow.Rides != 0 || crow.TotalSeconds != 34 {
		t.Errorf("crow-fly: %+v, want a walk of 34 s", crow)
	}
	if !street.Reachable || street.Rides != 0 || street.TotalSeconds != 38 {
		t.Errorf("streets: %+v, want a walk of 38 s", street)
	}
	for _, c := range []struct {
		name string
		res  routeResult
	}{{"crow-fly", crow}, {"streets", street}} {
		if len(c.res.Legs) != 1 || c.res.Legs[0].Metres == nil || *c.res.Legs[0].Metres != c.res.WalkMetres {
			t.Errorf("%s: legs %+v, want one walk of walk_metres %d", c.name, c.res.Legs, c.res.WalkMetres)
		} else if m, s := float64(c.res.WalkMetres), c.res.TotalSeconds; float64(s) < (m-0.5)/1.3 || float64(s) > (m+0.5)/1.3+1 {
			t.Errorf("%s: %d s for %d m at 1.3 m/s", c.name, s, c.res.WalkMetres)
		}
	}
	// A journey by bus: its access and egress walks follow the streets,
	// each reporting its metres, never shorter than the straight line.
	bus := decode("--osm", osm, "--to=-30.0200,-51.1800", "--at", "14:30", "--max-duration", "90m")
	if !bus.Reachable || bus.Rides == 0 {
		t.Fatalf("by bus: %+v", bus)
	}
	for i, l := range bus.Legs {
		if l.Kind == "ride" {
			if l.Metres != nil {
				t.Errorf("leg %d: a ride with metres %d", i, *l.Metres)
			}
			continue
		}
		if l.Metres == nil {
			t.Errorf("leg %d %+v: no metres", i, l)
			continue
		}
		a, b := [2]float64{bus.From[0], bus.From[1]}, [2]float64{bus.To[0], bus.To[1]}
		if l.From != nil {
			a = [2]float64{l.From.Lat, l.From.Lon}
		}
		if l.To != nil {
			b = [2]float64{l.To.Lat, l.To.Lon}
		}
		m := float64(*l.Metres)
		if straight := haversine(a[0], a[1], b[0], b[1]); m < straight-0.5 {
			t.Errorf("leg %d: %d m walked, straight %.1f m", i, *l.Metres, straight)
		}
		if s := float64(l.Seconds); s < (m-0.5)/1.3 || s > (m+0.5)/1.3+1 {
			t.Errorf("leg %d: %d s for %d m at 1.3 m/s", i, l.Seconds, *l.Metres)
		}
	}
}

// TestRouteCell runs vingt route --config --cell --category --window on a
// Dordogne cell reached by transit and checks that it agrees with the
// run's cells.parquet row (coverage.TestExplainAgreesWithRun checks 100
// cells in-process), in JSON and in text.
func TestRouteCell(t *testing.T) {
	if testing.Short() {
		t.Skip("a Dordogne run: not in -short")
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "run.toml")
	toml := fmt.Sprintf(`gtfs = [%q]
date = %q
grid = %q
window = "08:00-09:00"
[services]
france_services = %q
`, testutil.SharedData(t, peribus), peribusDate,
		testutil.SharedData(t, "dordogne/population/census2021_1km_dordogne_bbox.csv"),
		testutil.SharedData(t, "dordogne/services/france_services_2020_dordogne.geojson"))
	if err := os.WriteFile(cfg, []byte(toml), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if r := runVingt(t, "", "run", "-q", "--config", cfg, "--out", out); r.code != 0 {
		t.Fatalf("vingt run: exit %d: %s", r.code, r.stderr)
	}
	cells := readTable(t, filepath.Join(out, "cells.parquet"))
	tt, share, served := cells.Column("travel_time_france_services"), cells.Column("share_france_services"), cells.Column("served_france_services")
	row := -1
	for i := range tt.Float {
		if tt.IsValid(i) && cells.Column("routed").Bool[i] && tt.Float[i] > 5 {
			row = i
			break
		}
	}
	if row < 0 {
		t.Fatal("no routed cell reaching France Services")
	}
	id := cells.Column("cell_id").String[row]
	r := runVingt(t, "", "route", "--config", cfg, "--cell", id, "--category", "france_services", "--window", "--json")
	if r.code != 0 {
		t.Fatalf("vingt route: exit %d: %s", r.code, r.stderr)
	}
	var res routeResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	w := res.Window
	if w == nil || w.TravelTime == nil || *w.TravelTime != tt.Float[row] || w.Share != share.Float[row] || w.Served != served.Bool[row] {
		t.Fatalf("window %+v: cells.parquet has %v min, share %v, served %v", w, tt.Float[row], share.Float[row], served.Bool[row])
	}
	if w.Departures != 60 || w.From != "08:00:00" || len(w.Seconds) != 60 {
		t.Errorf("window %s-%s, %d departures: the config's window is 08:00-09:00 at 1 minute", w.From, w.To, w.Departures)
	}
	if res.Cell != id || res.Point == nil || res.Point.ID == "" || !res.Reachable {
		t.Fatalf("cell %q point %+v reachable %v", res.Cell, res.Point, res.Reachable)
	}
	if near := cells.Column("nearest_france_services"); !near.IsValid(row) || near.String[row] != res.Point.ID || res.Point.Tie {
		t.Errorf("the itinerary reaches %s (tie %v); cells.parquet's nearest_france_services is %q", res.Point.ID, res.Point.Tie, near.String[row])
	}
	// The itinerary leaves at a departure whose travel time is the median.
	dep, _ := coverage.ParseClock(res.Departure)
	i := (dep - 8*3600) / 60
	if float64(res.TotalSeconds) != tt.Float[row]*60 || w.Seconds[i] == nil || *w.Seconds[i] != res.TotalSeconds {
		t.Errorf("itinerary at %s takes %d s; the median is %v min", res.Departure, res.TotalSeconds, tt.Float[row])
	}
	text := runVingt(t, "", "route", "--config", cfg, "--cell", id, "--category", "france_services", "--window")
	if text.code != 0 || !strings.Contains(text.stdout, "itinerary at the departure of the p50 travel time") || !strings.Contains(text.stdout, "from cell "+id) {
		t.Errorf("text answer (exit %d):\n%s%s", text.code, text.stdout, text.stderr)
	}
}

// TestRouteArgs checks the answers to the usual mistakes: a second feed
// without its own --gtfs, --cell without --config.
func TestRouteArgs(t *testing.T) {
	feed := testutil.SharedData(t, peribus)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--gtfs", feed, "other.zip", "--date", peribusDate, "--at", "08:00", "--from", bugeaud, "--to", creavallee}, "several feeds are given as --gtfs A --gtfs B or --gtfs A,B"},
		{[]string{"--gtfs", feed, "--date", peribusDate, "--window", "--cell", "X", "--category", "poste"}, "--cell: give --config RUN.toml"},
		{[]string{"--gtfs", feed, "--date", peribusDate, "--window", "--cell", "X"}, "give both --cell CELL_ID and --category CAT"},
		// Lon,lat (GeoJSON order): far from every stop, and among them swapped.
		{[]string{"--gtfs", feed, "--date", peribusDate, "--at", "08:00", "--from", "0.708650,45.187008", "--to", creavallee}, "latitude and longitude swapped? 45.187008,0.70865 lies among the stops: give --from 45.187008,0.70865"},
		{[]string{"--gtfs", feed, "--date", peribusDate, "--at", "08:00", "--from", bugeaud, "--to", "0.702277,45.132294"}, "give --to 45.132294,0.702277"},
		{[]string{"--gtfs", feed, "--date", peribusDate, "--at", "08:00", "--from", "48.85,2.35", "--to", creavallee}, "--from 48.85,2.35: no stop within 1h walk, and outside the feeds' stops"},
	} {
		r := runVingt(t, "", append([]string{"route"}, c.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, r.code, r.stderr, c.want)
		}
	}
	iso := runVingt(t, "", "isochrone", "--gtfs", feed, "--date", peribusDate, "--at", "08:00", "--from", "0.708650,45.187008", "--out", filepath.Join(t.TempDir(), "i.geojson"))
	if iso.code != 2 || !strings.Contains(iso.stderr, "give --from 45.187008,0.70865") {
		t.Errorf("isochrone from lon,lat: exit %d, %s", iso.code, iso.stderr)
	}
	r := runVingt(t, "", "route", "--help")
	if !strings.Contains(r.stdout, "--gtfs A --gtfs B, or --gtfs A,B") {
		t.Errorf("route --help does not say how to give several feeds:\n%s", r.stdout)
	}
}
