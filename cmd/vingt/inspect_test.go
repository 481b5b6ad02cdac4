package main

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/internal/testutil"
)

// inspectJSON is the part of vingt inspect --json the tests read.
type inspectJSON struct {
	Stops      int            `json:"stops"`
	StopsByLT  map[string]int `json:"stops_by_location_type"`
	Routes     int            `json:"routes"`
	RoutesByRT map[string]int `json:"routes_by_route_type"`
	Trips      int            `json:"trips"`
	StopTimes  int            `json:"stop_times"`
	LastTime   string         `json:"last_time"`
	Date       *struct {
		Services    int `json:"services"`
		Trips       int `json:"trips"`
		StopTimes   int `json:"stop_times"`
		PreviousDay struct {
			Trips     int `json:"trips"`
			StopTimes int `json:"stop_times"`
		} `json:"previous_day"`
	} `json:"date"`
	Feeds []struct {
		Name  string `json:"name"`
		Trips int    `json:"trips"`
	} `json:"feeds"`
}

func inspectRun(t *testing.T, args ...string) inspectJSON {
	t.Helper()
	r := runVingt(t, "", append([]string{"inspect", "--json"}, args...)...)
	if r.code != 0 {
		t.Fatalf("vingt inspect %v: code %d, stderr %s", args, r.code, r.stderr)
	}
	var got inspectJSON
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, r.stdout)
	}
	return got
}

// TestInspectPeribus checks the acceptance figures of issue 2.
func TestInspectPeribus(t *testing.T) {
	feed := testutil.SharedData(t, "perigueux/peribus-gtfs.zip")
	got := inspectRun(t, feed, "--date", "2026-01-13")
	if got.Stops != 1329 || got.Routes != 80 || got.Trips != 2374 || got.StopTimes != 33408 {
		t.Errorf("stops %d routes %d trips %d stop_times %d; want 1329 80 2374 33408",
			got.Stops, got.Routes, got.Trips, got.StopTimes)
	}
	if got.Date == nil || got.Date.Trips != 853 {
		t.Fatalf("date %+v: want 853 trips active on 2026-01-13", got.Date)
	}
	if got.StopsByLT["0"] != 809 || got.StopsByLT["1"] != 520 {
		t.Errorf("stops by location_type %v, want 809 quays and 520 stations", got.StopsByLT)
	}
	if got.RoutesByRT["3"] != 36 || got.RoutesByRT["712"] != 43 || got.RoutesByRT["713"] != 1 {
		t.Errorf("routes by route_type %v", got.RoutesByRT)
	}
	if got.LastTime != "21:18:00" {
		t.Errorf("last time %s, want 21:18:00", got.LastTime)
	}
	if got.Date.StopTimes <= 0 || got.Date.StopTimes >= got.StopTimes || got.Date.Services <= 0 {
		t.Errorf("date %+v: want some but not all stop times and services", *got.Date)
	}
}

// TestInspectSeveralFeeds checks that the totals add the feeds up and that
// the previous day's trips past midnight are counted apart.
func TestInspectSeveralFeeds(t *testing.T) {
	peribus := testutil.SharedData(t, "perigueux/peribus-gtfs.zip")
	caltrain := testutil.SharedData(t, "gtfs-fixtures/partridge/caltrain-2017-07-24")
	got := inspectRun(t, peribus, caltrain, "--date", "2017-07-25")
	if len(got.Feeds) != 2 || got.Feeds[0].Name != "peribus-gtfs" || got.Feeds[1].Name != "caltrain-2017-07-24" {
		t.Fatalf("feeds %+v", got.Feeds)
	}
	if got.Trips != got.Feeds[0].Trips+got.Feeds[1].Trips {
		t.Errorf("trips %d: not the sum of %+v", got.Trips, got.Feeds)
	}
	if got.LastTime != "25:43:00" {
		t.Errorf("last time %s, want Caltrain's 25:43:00", got.LastTime)
	}
	// Monday 2017-07-24's weekday trips past midnight still run on Tuesday.
	if got.Date.PreviousDay.Trips == 0 || got.Date.PreviousDay.StopTimes == 0 {
		t.Errorf("previous day %+v: want Monday's trips past midnight", got.Date.PreviousDay)
	}
	if got.Date.Trips == 0 {
		t.Error("no Caltrain trip on Tuesday 2017-07-25")
	}
}

func TestInspectText(t *testing.T) {
	feed := testutil.SharedData(t, "perigueux/peribus-gtfs.zip")
	r := runVingt(t, "", "inspect", feed, "--date", "2026-01-13")
	if r.code != 0 {
		t.Fatalf("code %d, stderr %s", r.code, r.stderr)
	}
	for _, want := range []string{"peribus-gtfs", "1329", "route_type 712", "33408", "on 2026-01-13", "853"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestInspectErrors(t *testing.T) {
	bad := func(name string) string { return filepath.Join("..", "..", "testdata", "bad", "gtfs", name) }
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no feed", []string{"inspect"}, "requires at least 1 arg"},
		{"bad date", []string{"inspect", bad("arrival-time-letters"), "--date", "2026-13-45"}, `inspect: --date: gtfs: date "2026-13-45"`},
		{"absent feed", []string{"inspect", "no-such-feed.zip"}, "no such file"},
		{"bad time", []string{"inspect", bad("arrival-time-letters")},
			`vingt: gtfs: arrival-time-letters: stop_times.txt:3: arrival_time "25:7x:00": invalid time`},
		{"header only", []string{"inspect", bad("stop-times-header-only")}, "stop_times.txt has no rows"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runVingt(t, "", c.args...)
			if r.code != 2 || !strings.Contains(r.stderr, c.want) {
				t.Errorf("code %d, stderr %q; want 2 and %q", r.code, r.stderr, c.want)
			}
		})
	}
}

func TestInspectEmptyFixture(t *testing.T) {
	feed := testutil.SharedData(t, "gtfs-fixtures/partridge/empty")
	r := runVingt(t, "", "inspect", feed)
	if r.code != 2 || !strings.Contains(r.stderr, "gtfs: empty: stop_times.txt has no rows") {
		t.Errorf("code %d, stderr %q: want a clear message", r.code, r.stderr)
	}
}

// TestInspectFrequencies checks that frequency-based runs are counted as
// trips and stop events while stop_times counts the rows kept.
func TestInspectFrequencies(t *testing.T) {
	feed := testutil.SharedData(t, "sao-paulo/spo.zip")
	r := runVingt(t, "", "inspect", "--json", feed)
	if r.code != 0 {
		t.Fatalf("code %d, stderr %s", r.code, r.stderr)
	}
	var got struct {
		Trips       int `json:"trips"`
		StopTimes   int `json:"stop_times"`
		StopEvents  int `json:"stop_events"`
		Frequencies int `json:"frequencies"`
		Warnings    []struct {
			Kind  string `json:"kind"`
			Count int    `json:"count"`
		} `json:"warnings"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	if got.Frequencies != 704 || got.StopEvents <= got.StopTimes || got.Trips <= 36 {
		t.Errorf("%+v: want 704 frequencies expanded into more trips and stop events than rows", got)
	}
	if len(got.Warnings) == 0 || !strings.HasPrefix(got.Warnings[0].Kind, "spo: ") {
		t.Errorf("warnings %+v: want spo's, named after the feed", got.Warnings)
	}
}

// TestInspectSwappedStation reads the SNCF TER 2019 zip, whose files lie in
// a sub-folder beside a __MACOSX folder, and flags its station with
// latitude and longitude swapped (Audun-le-Roman, its StopArea and its
// StopPoint).
func TestInspectSwappedStation(t *testing.T) {
	zip := testutil.SharedData(t, "gtfs-fixtures/sncf-ter-2019-09-macosx-subfolder.zip")
	r := runVingt(t, "", "inspect", "--json", zip)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var rep struct {
		Stops    int `json:"stops"`
		Warnings []gtfs.Warning
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Stops != 9043 {
		t.Errorf("%d stops read, want 9043", rep.Stops)
	}
	i := slices.IndexFunc(rep.Warnings, func(w gtfs.Warning) bool { return strings.HasSuffix(w.Kind, gtfs.SwappedStopsKind) })
	if i < 0 || rep.Warnings[i].Count != 2 || !strings.Contains(rep.Warnings[i].Examples[0], "StopArea:OCE87686378") {
		t.Fatalf("warnings %+v: want the 2 swapped stops of Audun-le-Roman", rep.Warnings)
	}
	text := runVingt(t, "", "inspect", zip)
	if !strings.Contains(text.stdout, "stop_lat and stop_lon swapped") || !strings.Contains(text.stdout, "49.368986,5.901062") {
		t.Errorf("text does not flag the swapped station:\n%s", text.stdout)
	}
}
