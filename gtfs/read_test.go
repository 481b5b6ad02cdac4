package gtfs

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vingt/vingt/internal/testutil"
)

func TestPeribus(t *testing.T) {
	f, err := Open(testutil.SharedData(t, "perigueux/peribus-gtfs.zip"))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Stops) != 1329 || len(f.Routes) != 80 || len(f.Trips) != 2374 || f.StopTimes.Len() != 33408 {
		t.Errorf("stops %d routes %d trips %d stop_times %d; want 1329 80 2374 33408",
			len(f.Stops), len(f.Routes), len(f.Trips), f.StopTimes.Len())
	}
	d, _ := ParseDate("2026-01-13")
	active := f.ActiveServices(d)
	n := 0
	for _, t := range f.Trips {
		if active[t.Service] {
			n++
		}
	}
	if n != 853 {
		t.Errorf("%d trips active on 2026-01-13, want 853", n)
	}
	types := map[int32]int{}
	for _, r := range f.Routes {
		types[r.Type]++
	}
	if types[3] != 36 || types[712] != 43 || types[713] != 1 {
		t.Errorf("route types %v: want 36 bus, 43 of type 712, 1 of type 713", types)
	}
	if _, last := f.TimeRange(); last != 21*3600+18*60 {
		t.Errorf("last time %d, want 21:18", last)
	}
}

// feedSummary is what TestEveryFeedLoads keeps of each real feed in
// testdata/feeds.json.
type feedSummary struct {
	Stops     int            `json:"stops"`
	Routes    int            `json:"routes"`
	Trips     int            `json:"trips"`
	StopTimes int            `json:"stop_times"`
	First     int32          `json:"first"`
	Last      int32          `json:"last"`
	Warnings  map[string]int `json:"warnings,omitempty"`
	Error     string         `json:"error,omitempty"`
}

// TestEveryFeedLoads reads every feed under ../shared/data (zip files and
// folders holding stops.txt) and compares its counts, time range and
// warnings with testdata/feeds.json (rewritten with -update).
func TestEveryFeedLoads(t *testing.T) {
	root := testutil.SharedData(t, ".")
	var paths []string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case strings.HasSuffix(p, ".zip"):
			paths = append(paths, p)
		case d.Name() == "stops.txt":
			paths = append(paths, filepath.Dir(p))
		}
		return nil
	})
	if len(paths) < 14 {
		t.Fatalf("only %d feeds found under %s", len(paths), root)
	}
	got := map[string]feedSummary{}
	for _, p := range paths {
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		f, err := Open(p)
		if err != nil {
			got[rel] = feedSummary{Error: err.Error()}
			continue
		}
		checkTrips(t, f)
		s := feedSummary{Stops: len(f.Stops), Routes: len(f.Routes), Trips: len(f.Trips), StopTimes: f.StopTimes.Len(), Warnings: map[string]int{}}
		s.First, s.Last = f.TimeRange()
		for _, w := range f.Warnings.List {
			s.Warnings[w.Kind] = w.Count
		}
		got[rel] = s
	}
	golden := filepath.Join("testdata", "feeds.json")
	if testutil.Update() {
		b, _ := json.MarshalIndent(got, "", " ")
		if err := os.WriteFile(golden, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]feedSummary
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	for rel, g := range got {
		w, ok := want[rel]
		if !ok {
			t.Errorf("%s: not in %s (run with -update)", rel, golden)
			continue
		}
		gb, _ := json.Marshal(g)
		wb, _ := json.Marshal(w)
		if !bytes.Equal(gb, wb) {
			t.Errorf("%s:\n got %s\nwant %s", rel, gb, wb)
		}
		switch {
		case rel == "gtfs-fixtures/partridge/empty":
			if g.Error != "gtfs: empty: stop_times.txt has no rows: the feed has no trip" {
				t.Errorf("empty feed: %q, want a clear message", g.Error)
			}
		case g.Error != "":
			t.Errorf("%s: %s", rel, g.Error)
		case g.Trips == 0 && rel != "gtfs-fixtures/gtfstools/ggl_gtfs.zip":
			// ggl_gtfs's stop_times name stops that stops.txt lacks.
			t.Errorf("%s: no trip", rel)
		}
	}
}

// checkTrips checks that every kept trip has times that never decrease.
func checkTrips(t *testing.T, f *Feed) {
	t.Helper()
	for i := range f.Trips {
		tr := &f.Trips[i]
		for k := 0; k < int(tr.N); k++ {
			a, d := f.Arrival(tr, k), f.Departure(tr, k)
			if a < 0 || d < a || (k > 0 && a < f.Departure(tr, k-1)) {
				t.Fatalf("trip %s stop %d: arrival %d departure %d", tr.ID, k, a, d)
			}
		}
	}
}

func TestCaltrainAfterMidnight(t *testing.T) {
	f, err := Open(testutil.SharedData(t, "gtfs-fixtures/partridge/caltrain-2017-07-24"))
	if err != nil {
		t.Fatal(err)
	}
	if _, last := f.TimeRange(); last != 25*3600+43*60 {
		t.Errorf("last time %d, want 25:43:00 = %d", last, 25*3600+43*60)
	}
}

func TestEPTCInterpolated(t *testing.T) {
	p := testutil.SharedData(t, "porto-alegre/poa_eptc.zip")
	f, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	if f.StopTimes.Len() != 130019 {
		t.Errorf("%d stop times, want 130019", f.StopTimes.Len())
	}
	for i := range f.StopTimes.Arrival {
		if f.StopTimes.Arrival[i] < 0 || f.StopTimes.Departure[i] < 0 {
			t.Fatalf("stop time %d still blank", i)
		}
	}
	checkTrips(t, f)
	// Interpolated times lie strictly between their timed neighbours when
	// the distances are positive: spot-check that not all blanks collapsed
	// onto one neighbour.
	equal := 0
	for i := range f.Trips {
		tr := &f.Trips[i]
		for k := 1; k < int(tr.N); k++ {
			if f.Arrival(tr, k) == f.Departure(tr, k-1) {
				equal++
			}
		}
	}
	if equal > f.StopTimes.Len()/2 {
		t.Errorf("%d of %d hops take no time: interpolation collapsed", equal, f.StopTimes.Len())
	}
}

func TestCalendarDatesOnly(t *testing.T) {
	f, err := Open(testutil.SharedData(t, "gtfs-fixtures/partridge/region-nord-v2"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range f.Services {
		if s.HasCalendar {
			t.Fatalf("service %s has a calendar row: the fixture has calendar_dates only", s.ID)
		}
	}
	any := false
	for _, s := range f.Services {
		for _, d := range s.Added {
			any = any || s.Active(d)
		}
	}
	if !any {
		t.Error("no service active on any of its added dates")
	}
}

func TestServiceActive(t *testing.T) {
	d := func(s string) Date {
		x, err := ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	s := Service{HasCalendar: true, Start: d("2026-01-01"), End: d("2026-01-31"),
		Weekdays: [7]bool{false, true, true, true, true, true, false},
		Added:    []Date{d("2026-01-10")}, Removed: []Date{d("2026-01-13")}}
	cases := []struct {
		date string
		want bool
	}{
		{"2026-01-12", true},  // Monday in range
		{"2026-01-13", false}, // removed
		{"2026-01-10", true},  // Saturday added
		{"2026-01-11", false}, // Sunday
		{"2026-02-02", false}, // Monday after the end
		{"2025-12-29", false}, // Monday before the start
	}
	for _, c := range cases {
		if got := s.Active(d(c.date)); got != c.want {
			t.Errorf("%s: active %v, want %v", c.date, got, c.want)
		}
	}
}

func TestFrequencies(t *testing.T) {
	f, err := Open(testutil.SharedData(t, "sao-paulo/spo.zip"))
	if err != nil {
		t.Fatal(err)
	}
	runs := 0
	for _, tr := range f.Trips {
		if tr.Frequency == None {
			continue
		}
		runs++
		fr := f.Frequencies[tr.Frequency]
		start := f.Departure(&tr, 0)
		if start < fr.Start || start >= fr.End || (start-fr.Start)%fr.Headway != 0 {
			t.Fatalf("run %s leaves at %d, outside %d..%d every %d", tr.ID, start, fr.Start, fr.End, fr.Headway)
		}
	}
	if runs == 0 || len(f.Frequencies) != 704 {
		t.Errorf("%d runs from %d frequency rows, want runs from 704 rows", runs, len(f.Frequencies))
	}
}

func TestInterpolation(t *testing.T) {
	feed := fstest.MapFS{
		"stops.txt":          {Data: []byte("stop_id,stop_lat,stop_lon\nA,1,0\nB,1,0.001\nC,1,0.003\nD,1,0.004\nE,,\n")},
		"routes.txt":         {Data: []byte("route_id,route_type\nR,3\n")},
		"trips.txt":          {Data: []byte("route_id,service_id,trip_id\nR,S,T1\nR,S,T2\nR,S,T3\nR,S,T4\nR,S,T5\nR,S,T6\n")},
		"calendar_dates.txt": {Data: []byte("service_id,date,exception_type\nS,20260113,1\n")},
		"stop_times.txt": {Data: []byte("trip_id,arrival_time,departure_time,stop_id,stop_sequence,shape_dist_traveled\n" +
			// T1: by shape distance, B at 10 of 40 → 08:01:00 + 1/4 of 4 min.
			"T1,08:00:00,08:00:00,A,1,0\nT1,,,B,2,10\nT1,,,C,3,30\nT1,08:04:00,08:04:00,D,4,40\n" +
			// T2: no distances: by straight line, B at 1/4, C at 3/4.
			"T2,09:00:00,09:00:00,A,1,\nT2,,,B,2,\nT2,,,C,3,\nT2,09:08:00,09:08:00,D,4,\n" +
			// T3: no time at the last stop: dropped.
			"T3,10:00:00,10:00:00,A,1,\nT3,,,B,2,\n" +
			// T4: E has no coordinates: evenly between A and D; a blank
			// arrival takes the departure and the other way round.
			"T4,,11:00:00,A,1,\nT4,,,E,2,\nT4,,,B,3,\nT4,11:09:00,,D,4,\n" +
			// T5: times decrease: dropped.
			"T5,12:00:00,12:00:00,A,1,\nT5,11:59:00,11:59:00,B,2,\n" +
			// T6: departure before arrival: dropped.
			"T6,12:00:00,12:00:00,A,1,\nT6,12:05:00,12:04:00,B,2,\nT6,12:09:00,12:09:00,C,3,\n")},
	}
	f, err := Read(feed, "interp")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]int32{
		"T1": {8 * 3600, 8*3600 + 60, 8*3600 + 180, 8*3600 + 240},
		"T2": {9 * 3600, 9*3600 + 120, 9*3600 + 360, 9*3600 + 480},
		"T4": {11 * 3600, 11*3600 + 180, 11*3600 + 360, 11*3600 + 540},
	}
	if len(f.Trips) != 3 {
		t.Fatalf("%d trips, want 3 (T3, T5, T6 dropped)", len(f.Trips))
	}
	for _, tr := range f.Trips {
		if len(want[tr.ID]) != int(tr.N) {
			t.Errorf("%s: %d stop times, want %d", tr.ID, tr.N, len(want[tr.ID]))
		}
		for k := range int(tr.N) {
			if f.Arrival(&tr, k) != f.Departure(&tr, k) {
				t.Errorf("%s stop %d: arrival %d, departure %d", tr.ID, k, f.Arrival(&tr, k), f.Departure(&tr, k))
			}
		}
	}
	for _, w := range f.Warnings.List {
		if w.Kind == "times decrease along the trip (trip dropped)" && w.Count != 2 {
			t.Errorf("warning %+v: want T5 and T6", w)
		}
	}
	for _, tr := range f.Trips {
		for k, w := range want[tr.ID] {
			if got := f.Arrival(&tr, k); math.Abs(float64(got-w)) > 1 {
				t.Errorf("%s stop %d: %d, want %d", tr.ID, k, got, w)
			}
		}
	}
	if k := warningKinds(f); !strings.Contains(k, "no time at the first or last stop") || !strings.Contains(k, "times decrease") {
		t.Errorf("warnings %v: want T3 counted as dropped", f.Warnings.List)
	}
}

func warningKinds(f *Feed) string {
	var b strings.Builder
	for _, w := range f.Warnings.List {
		b.WriteString(w.Kind + ";")
	}
	return b.String()
}

func TestQuirks(t *testing.T) {
	// BOM, CRLF, quoted fields with commas and quotes, any column order,
	// unknown columns, spaces, H:MM:SS.
	feed := fstest.MapFS{
		"stops.txt":          {Data: []byte("\xef\xbb\xbfstop_lon,extra,stop_id,stop_name,stop_lat\r\n0.72,x,S1,\"Place \"\"A\"\", nord\",45.18\r\n0.73,y, S2 ,Two,45.19\r\n")},
		"routes.txt":         {Data: []byte("route_type,route_id\r\n712,R\r\n")},
		"trips.txt":          {Data: []byte("trip_id,route_id,service_id\nT,R,S\n")},
		"calendar_dates.txt": {Data: []byte("service_id,date,exception_type\nS,20260113,1\n")},
		"stop_times.txt":     {Data: []byte("stop_sequence,stop_id,trip_id,departure_time,arrival_time\n2,S2,T,25:43:00,25:43:00\n1,S1,T,7:05:00,7:05:00\n")},
	}
	f, err := Read(feed, "quirks")
	if err != nil {
		t.Fatal(err)
	}
	if f.Stops[0].Name != `Place "A", nord` || f.Stops[1].ID != "S2" {
		t.Errorf("stops %+v", f.Stops)
	}
	tr := &f.Trips[0]
	if f.Departure(tr, 0) != 7*3600+5*60 || f.Arrival(tr, 1) != 25*3600+43*60 {
		t.Errorf("times %d %d", f.Departure(tr, 0), f.Arrival(tr, 1))
	}
	if f.Routes[0].Type != 712 || strings.Contains(warningKinds(f), "route_type") {
		t.Errorf("extended route type 712: %+v, warnings %v", f.Routes[0], f.Warnings.List)
	}
}

func TestWarnings(t *testing.T) {
	feed := fstest.MapFS{
		"stops.txt":          {Data: []byte("stop_id,stop_lat,stop_lon,location_type\nS1,45.18,0.72,0\nS2,,,0\nS3,45.2,0.74,0\n")},
		"routes.txt":         {Data: []byte("route_id,route_type\nR,3\nQ,99\n")},
		"trips.txt":          {Data: []byte("route_id,service_id,trip_id\nR,S,T\nR,Z,V\n")},
		"calendar_dates.txt": {Data: []byte("service_id,date,exception_type\nS,20260113,1\n")},
		"stop_times.txt":     {Data: []byte("trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT,08:00:00,08:00:00,S1,1\nT,08:05:00,08:05:00,NOPE,2\nT,08:10:00,08:10:00,S3,3\nX,08:00:00,08:00:00,S1,1\nV,08:00:00,08:00:00,S1,1\nV,08:10:00,08:10:00,S3,2\n")},
	}
	f, err := Read(feed, "w")
	if err != nil {
		t.Fatal(err)
	}
	k := warningKinds(f)
	for _, want := range []string{"stop without coordinates", "unknown route_type", "stop time at an unknown stop", "stop time of an unknown trip", "service in neither calendar.txt nor calendar_dates.txt (never active)"} {
		if !strings.Contains(k, want) {
			t.Errorf("warnings %q: want %q", k, want)
		}
	}
	if f.Trips[0].N != 2 {
		t.Errorf("trip kept %d stop times, want 2", f.Trips[0].N)
	}
}

// TestBadFeeds reads every broken feed of testdata/bad/gtfs and checks its
// exact message, which names the feed, the file, the line and the field.
// Every folder must have its message in expected.json, and every message
// its folder.
func TestBadFeeds(t *testing.T) {
	dir := filepath.Join("..", "testdata", "bad", "gtfs")
	golden := filepath.Join(dir, "expected.json")
	b, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]string
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range entries {
		// Folders, and zips for what only a zip can hold.
		if !e.IsDir() && filepath.Ext(e.Name()) != ".zip" {
			continue
		}
		name := e.Name()
		_, err := Open(filepath.Join(dir, name))
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		got[name] = err.Error()
	}
	if testutil.Update() {
		b, _ := json.MarshalIndent(got, "", " ")
		if err := os.WriteFile(golden, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if len(got) < 20 {
		t.Fatalf("%d broken feeds, want at least 20", len(got))
	}
	for name := range want {
		if _, ok := got[name]; !ok {
			t.Errorf("%s: in expected.json but no such folder", name)
		}
	}
	for name, msg := range got {
		t.Run(name, func(t *testing.T) {
			w, ok := want[name]
			if !ok {
				t.Fatalf("no message in expected.json; got %q", msg)
			}
			if msg != w {
				t.Errorf("error %q\nwant       %q", msg, w)
			}
		})
	}
}

func TestBadZips(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, entries map[string]string) string {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for n, c := range entries {
			w, err := zw.Create(n)
			if err != nil {
				t.Fatal(err)
			}
			w.Write([]byte(c))
		}
		zw.Close()
		p := filepath.Join(dir, name)
		os.WriteFile(p, buf.Bytes(), 0o644)
		return p
	}
	corrupt := filepath.Join(dir, "corrupt.zip")
	os.WriteFile(corrupt, []byte("PK\x03\x04 this is not a zip"), 0o644)
	escape := write("escape.zip", map[string]string{"../stops.txt": "stop_id\n"})
	big := write("big.zip", map[string]string{"stops.txt": strings.Repeat("x", 4096)})
	cases := []struct {
		path, want string
		limit      int64
	}{
		{corrupt, "not a readable zip file", 0},
		{escape, `zip entry "../stops.txt": unsafe path`, 0},
		{big, "gtfs: big: the zip's headers claim more than 1000 bytes (the limit, set by VINGT_MAX_INFLATED): refused; if the feed is genuine, raise it with VINGT_MAX_INFLATED=N", 1000},
		{filepath.Join(dir, "absent.zip"), "no such file", 0},
	}
	for _, c := range cases {
		if c.limit > 0 {
			t.Setenv(EnvMaxInflated, strconv.FormatInt(c.limit, 10))
		}
		_, err := Open(c.path)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", filepath.Base(c.path), err, c.want)
		}
	}
}

func TestParseErrorUnwrap(t *testing.T) {
	_, err := Open(filepath.Join("..", "testdata", "bad", "gtfs", "arrival-time-letters"))
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 3 || pe.Field != "arrival_time" || !errors.Is(err, ErrInvalidTime) {
		t.Errorf("%#v", err)
	}
}

func TestFrequencyExpansion(t *testing.T) {
	feed := fstest.MapFS{
		"stops.txt":          {Data: []byte("stop_id,stop_lat,stop_lon\nA,1,0\nB,1,0.01\n")},
		"routes.txt":         {Data: []byte("route_id,route_type\nR,3\n")},
		"trips.txt":          {Data: []byte("route_id,service_id,trip_id\nR,S,F\nR,S,P\nR,S,Z\n")},
		"calendar_dates.txt": {Data: []byte("service_id,date,exception_type\nS,20260113,1\n")},
		"stop_times.txt": {Data: []byte("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n" +
			"F,00:00:00,00:00:30,A,1\nF,00:05:00,00:05:00,B,2\n" +
			"P,07:00:00,07:00:00,A,1\nP,07:06:00,07:06:00,B,2\n" +
			"Z,07:00:00,07:00:00,A,1\nZ,07:06:00,07:06:00,B,2\n")},
		// F: 06:00, 06:20, 06:40 (07:00 excluded), then 24:00 and 24:30
		// from an exact_times=0 row; Z: an empty window.
		"frequencies.txt": {Data: []byte("trip_id,start_time,end_time,headway_secs,exact_times\n" +
			"F,06:00:00,07:00:00,1200,1\nF,24:00:00,24:59:00,1800,0\nZ,08:00:00,08:00:00,600,1\n")},
	}
	f, err := Read(feed, "freq")
	if err != nil {
		t.Fatal(err)
	}
	var starts []int32
	var ids []string
	for i := range f.Trips {
		tr := &f.Trips[i]
		ids = append(ids, tr.ID)
		if tr.Frequency == None {
			if tr.ID != "P" || tr.Offset != 0 {
				t.Errorf("scheduled trip %+v", *tr)
			}
			continue
		}
		starts = append(starts, f.Departure(tr, 0))
		if f.Arrival(tr, 1)-f.Departure(tr, 0) != 270 {
			t.Errorf("run %s: the template's running time is not kept", tr.ID)
		}
		if want := f.Frequencies[tr.Frequency].ExactTimes; want != (f.Departure(tr, 0) < 24*3600) {
			t.Errorf("run %s: from the wrong frequency row %d", tr.ID, tr.Frequency)
		}
	}
	want := []int32{6 * 3600, 6*3600 + 1200, 6*3600 + 2400, 24 * 3600, 24*3600 + 1800}
	if !slices.Equal(starts, want) {
		t.Errorf("runs leave at %v, want %v (trips %v)", starts, want, ids)
	}
	if i, ok := f.FindTrip("F"); !ok || f.Departure(&f.Trips[i], 0) != 6*3600 {
		t.Errorf("FindTrip(F) = %d, %v: want its first run", i, ok)
	}
	if _, ok := f.FindTrip("Z"); ok {
		t.Error("Z has no run but is still found")
	}
	if !strings.Contains(warningKinds(f), "frequency-based trip with no run") {
		t.Errorf("warnings %v: want Z counted", f.Warnings.List)
	}
	if i, ok := f.FindTrip("P"); !ok || f.Trips[i].ID != "P" {
		t.Errorf("FindTrip(P) = %d, %v", i, ok)
	}

	old := MaxRuns
	MaxRuns = 4
	defer func() { MaxRuns = old }()
	if _, err := Read(feed, "freq"); err == nil || !strings.Contains(err.Error(), "gtfs: freq: frequencies.txt expands to 5 trips, more than 4") {
		t.Errorf("%v, want the expansion refused", err)
	}
}

func TestFind(t *testing.T) {
	feed := fstest.MapFS{
		"stops.txt":          {Data: []byte("stop_id,stop_lat,stop_lon,location_type,parent_station\nST,1,0,1,\nA,1,0,0,ST\nB,1,0.01,0,\n")},
		"routes.txt":         {Data: []byte("route_id,route_type\nR,3\nQ,712\n")},
		"trips.txt":          {Data: []byte("route_id,service_id,trip_id\nQ,S,T\nR,W,U\n")},
		"calendar.txt":       {Data: []byte("service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nW,1,1,1,1,1,0,0,20260101,20260331\n")},
		"calendar_dates.txt": {Data: []byte("service_id,date,exception_type\nS,20260113,1\nW,20260113,2\n")},
		"stop_times.txt": {Data: []byte("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n" +
			"T,07:00:00,07:00:00,A,1\nT,07:06:00,07:06:00,B,2\nU,07:00:00,07:00:00,B,1\nU,07:06:00,07:06:00,A,2\n")},
	}
	f, err := Read(feed, "find")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		find func(string) (int32, bool)
		id   string
		want int32
	}{
		{f.FindStop, "ST", 0}, {f.FindStop, "B", 2}, {f.FindStop, "X", -1},
		{f.FindRoute, "Q", 1}, {f.FindRoute, "T", -1},
		{f.FindTrip, "U", 1}, {f.FindTrip, "R", -1},
		{f.FindService, "S", 1}, {f.FindService, "W", 0}, {f.FindService, "T", -1},
	} {
		i, ok := c.find(c.id)
		if ok != (c.want >= 0) || ok && i != c.want {
			t.Errorf("find %q = %d, %v; want %d", c.id, i, ok, c.want)
		}
	}
	if f.Stops[1].Parent != 0 || f.Stops[2].Parent != None || f.Stops[0].LocationType != 1 {
		t.Errorf("stops %+v", f.Stops)
	}
	// Tuesday 2026-01-13: S added, W removed; Wednesday: W only.
	for _, c := range []struct {
		date string
		want []bool
	}{{"2026-01-13", []bool{false, true}}, {"2026-01-14", []bool{true, false}}, {"2026-01-17", []bool{false, false}}} {
		d, _ := ParseDate(c.date)
		if got := f.ActiveServices(d); !slices.Equal(got, c.want) {
			t.Errorf("%s: active %v, want %v", c.date, got, c.want)
		}
	}
	if got := f.Namespaced("A"); got != "find:A" {
		t.Errorf("Namespaced(A) = %q", got)
	}
}

// TestSeveralFeeds reads two feeds with the same ids: each keeps its own.
func TestSeveralFeeds(t *testing.T) {
	dir := t.TempDir()
	mk := func(name, lat string) string {
		p := filepath.Join(dir, name)
		os.MkdirAll(p, 0o755)
		files := map[string]string{
			"stops.txt":          "stop_id,stop_lat,stop_lon\nA," + lat + ",0\nB," + lat + ",0.01\n",
			"routes.txt":         "route_id,route_type\nR,3\n",
			"trips.txt":          "route_id,service_id,trip_id\nR,S,T\n",
			"calendar_dates.txt": "service_id,date,exception_type\nS,20260113,1\n",
			"stop_times.txt":     "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT,07:00:00,07:00:00,A,1\nT,07:06:00,07:06:00,B,2\n",
		}
		for n, c := range files {
			if err := os.WriteFile(filepath.Join(p, n), []byte(c), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return p
	}
	a, err := Open(mk("north.v2", "2"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Open(mk("south", "1"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Name != "north.v2" || b.Name != "south" || a.Namespaced("A") == b.Namespaced("A") {
		t.Errorf("names %q %q", a.Name, b.Name)
	}
	i, _ := a.FindStop("A")
	j, _ := b.FindStop("A")
	if a.Stops[i].Lat != 2 || b.Stops[j].Lat != 1 {
		t.Error("equal stop ids of two feeds collide")
	}
}

// TestTransfers checks that a transfer keeps its trips and routes, and that
// one naming an unknown or dropped trip is skipped, never widened to every
// trip.
func TestTransfers(t *testing.T) {
	feed := fstest.MapFS{
		"stops.txt":          {Data: []byte("stop_id,stop_lat,stop_lon\nA,1,0\nB,1,0.01\n")},
		"routes.txt":         {Data: []byte("route_id,route_type\nR,3\n")},
		"trips.txt":          {Data: []byte("route_id,service_id,trip_id\nR,S,T\nR,S,U\nR,S,D\n")},
		"calendar_dates.txt": {Data: []byte("service_id,date,exception_type\nS,20260113,1\n")},
		"stop_times.txt": {Data: []byte("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n" +
			"T,07:00:00,07:00:00,A,1\nT,07:06:00,07:06:00,B,2\nU,07:10:00,07:10:00,B,1\nU,07:16:00,07:16:00,A,2\n" +
			"D,08:00:00,08:00:00,A,1\nD,07:00:00,07:00:00,B,2\n")}, // D goes back in time: dropped
		"transfers.txt": {Data: []byte("from_stop_id,to_stop_id,transfer_type,min_transfer_time,from_trip_id,to_trip_id,from_route_id\n" +
			"A,B,2,120,,,\nB,B,3,,T,U,R\nB,B,3,,T,X,\nB,A,3,,D,U,\nA,A,1,,,,Q\n")},
	}
	f, err := Read(feed, "tr")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Transfers) != 2 {
		t.Fatalf("transfers %+v, want 2 kept", f.Transfers)
	}
	a, b := f.Transfers[0], f.Transfers[1]
	if a.Type != TransferMinTime || a.MinTime != 120 || a.FromTrip != None || a.FromRoute != None {
		t.Errorf("transfer %+v", a)
	}
	ti, _ := f.FindTrip("T")
	ui, _ := f.FindTrip("U")
	if b.Type != TransferForbidden || b.FromTrip != ti || b.ToTrip != ui || b.FromRoute != 0 || b.MinTime != -1 {
		t.Errorf("transfer %+v, want T → U forbidden", b)
	}
	for _, w := range f.Warnings.List {
		switch w.Kind {
		case "transfer naming an unknown route or trip (row skipped)":
			if w.Count != 2 {
				t.Errorf("%+v: want X and Q", w)
			}
		case "transfer naming a dropped trip (row skipped)":
			if w.Count != 1 {
				t.Errorf("%+v: want D", w)
			}
		}
	}
	if k := warningKinds(f); !strings.Contains(k, "transfer naming a dropped trip") || !strings.Contains(k, "unknown route or trip") {
		t.Errorf("warnings %s", k)
	}
}

// TestZipSubfolder reads a zip whose files lie in one folder, with CRLF
// and a BOM, and names the feed after the zip.
func TestZipSubfolder(t *testing.T) {
	files := map[string]string{
		"gtfs/stops.txt":          "\xef\xbb\xbfstop_id,stop_lat,stop_lon\r\nA,1,0\r\nB,1,0.01\r\n",
		"gtfs/routes.txt":         "route_id,route_type\r\nR,3\r\n",
		"gtfs/trips.txt":          "route_id,service_id,trip_id\r\nR,S,T\r\n",
		"gtfs/calendar_dates.txt": "service_id,date,exception_type\r\nS,20260113,1\r\n",
		"gtfs/stop_times.txt":     "trip_id,arrival_time,departure_time,stop_id,stop_sequence\r\nT,07:00:00,07:00:00,A,1\r\nT,07:06:00,07:06:00,B,2\r\n",
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for n, c := range files {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(c))
	}
	zw.Close()
	p := filepath.Join(t.TempDir(), "net.v3.zip")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "net.v3" || f.Path != p || len(f.Trips) != 1 || f.StopTimes.Len() != 2 || f.Arrival(&f.Trips[0], 1) != 7*3600+360 {
		t.Errorf("feed %q %q: %d trips, %d stop times", f.Name, f.Path, len(f.Trips), f.StopTimes.Len())
	}
}
