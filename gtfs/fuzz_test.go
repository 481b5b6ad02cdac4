package gtfs

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// FuzzParseTime checks parseTime against a plain reference: H:MM:SS
// with 1 to 4 hour digits (at most 1000 hours), two-digit minutes and
// seconds below 60.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"08:00:00", "8:00:00", "25:43:00", "", "25:7x:00", "99:59:59", "1:2:3", "0100:00:00", "+1:00:00", "08:00:00 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, blank, ok := parseTime([]byte(s))
		want, wantOK := int32(0), false
		if p := strings.Split(s, ":"); len(p) == 3 && len(p[0]) >= 1 && len(p[0]) <= 4 && len(p[1]) == 2 && len(p[2]) == 2 && digits(p[0]+p[1]+p[2]) {
			h, _ := strconv.Atoi(p[0])
			m, _ := strconv.Atoi(p[1])
			sec, _ := strconv.Atoi(p[2])
			want, wantOK = int32(h*3600+m*60+sec), h <= 1000 && m < 60 && sec < 60
		}
		switch {
		case s == "":
			if !blank || !ok {
				t.Fatalf("%q: blank %v ok %v, want blank", s, blank, ok)
			}
		case blank || ok != wantOK || ok && v != want:
			t.Fatalf("%q: %d blank %v ok %v; want %d ok %v", s, v, blank, ok, want, wantOK)
		}
	})
}

func digits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// FuzzCSV reads arbitrary bytes: records or an error, never a panic nor
// a record with no field.
func FuzzCSV(f *testing.F) {
	f.Add([]byte("a,b,c\n1,2,3\n"))
	f.Add([]byte("\xef\xbb\xbfa,b\r\n\"x,\"\"y\"\"\",z\r\n"))
	f.Add([]byte("a\n\"unterminated\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c := newCSVReader(bytes.NewReader(data), "fuzz", "f.txt")
		if err := c.readHeader(); err != nil {
			return
		}
		for range 10000 {
			rec, err := c.read()
			if err != nil || rec == nil {
				return
			}
			if len(rec) == 0 {
				t.Fatal("a record with no field")
			}
		}
	})
}

// FuzzCSVRoundTrip writes records with encoding/csv and reads them back:
// every field must come back as written (a CRLF inside a quoted field
// reads as LF, as in encoding/csv; with UseCRLF, encoding/csv drops a
// lone CR).
func FuzzCSVRoundTrip(f *testing.F) {
	f.Add("a|b c|\"q\"|x,y", 3, false)
	f.Add("\xef\xbb\xbfid| lead|multi\r\nline|", 2, true)
	f.Fuzz(func(t *testing.T, s string, width int, crlf bool) {
		if width < 1 || width > 8 || len(s) > 4096 {
			return
		}
		fields := strings.Split(s, "|")
		var recs [][]string
		for len(fields) > 0 {
			n := min(width, len(fields))
			// A fixed first column keeps records from being blank lines
			// and the first field from starting with a byte-order mark.
			recs = append(recs, append([]string{"k"}, fields[:n]...))
			fields = fields[n:]
		}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.UseCRLF = crlf
		for _, r := range recs {
			full := make([]string, width+1)
			copy(full, r)
			if err := w.Write(full); err != nil {
				t.Fatal(err)
			}
		}
		w.Flush()
		c := newCSVReader(bytes.NewReader(buf.Bytes()), "fuzz", "f.txt")
		for i, r := range recs {
			got, err := c.read()
			if err != nil || got == nil {
				t.Fatalf("record %d: %v (nil %v)\n%q", i, err, got == nil, buf.String())
			}
			if len(got) != width+1 {
				t.Fatalf("record %d: %d fields, want %d\n%q", i, len(got), width+1, buf.String())
			}
			for j, want := range r {
				want = strings.ReplaceAll(want, "\r\n", "\n")
				if crlf { // encoding/csv drops a lone CR then
					want = strings.ReplaceAll(want, "\r", "")
				}
				if string(got[j]) != want {
					t.Fatalf("record %d field %d: %q, want %q\n%q", i, j, got[j], want, buf.String())
				}
			}
		}
		if got, err := c.read(); got != nil || err != nil {
			t.Fatalf("extra record %q, %v", got, err)
		}
	})
}

// FuzzRead reads a feed whose stop_times.txt and stops.txt are fuzzed:
// an error or a feed, never a panic, and a feed's trips never go back in
// time.
func FuzzRead(f *testing.F) {
	f.Add([]byte("stop_id,stop_lat,stop_lon\nA,0,0\nB,0,0.01\n"),
		[]byte("trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT,08:00:00,08:00:00,A,1\nT,,,B,2\nT,08:10:00,08:10:00,A,3\n"))
	f.Add([]byte("stop_id,stop_lat,stop_lon\nA,91,0\n"), []byte("trip_id,stop_id,stop_sequence,arrival_time\nT,A,x,1\n"))
	f.Fuzz(func(t *testing.T, stops, stopTimes []byte) {
		feed := fstest.MapFS{
			"stops.txt":          {Data: stops},
			"routes.txt":         {Data: []byte("route_id,route_type\nR,3\n")},
			"trips.txt":          {Data: []byte("route_id,service_id,trip_id\nR,S,T\nR,S,U\n")},
			"calendar_dates.txt": {Data: []byte("service_id,date,exception_type\nS,20260113,1\n")},
			"frequencies.txt":    {Data: []byte("trip_id,start_time,end_time,headway_secs\nU,06:00:00,07:00:00,600\n")},
			"stop_times.txt":     {Data: stopTimes},
		}
		fd, err := Read(feed, "fuzz")
		if err != nil {
			return
		}
		for i := range fd.Trips {
			tr := &fd.Trips[i]
			for k := 1; k < int(tr.N); k++ {
				if fd.Arrival(tr, k) < fd.Departure(tr, k-1) {
					t.Fatalf("trip %s goes back in time", tr.ID)
				}
			}
		}
	})
}
