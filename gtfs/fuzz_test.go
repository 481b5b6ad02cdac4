package gtfs

import (
	"bytes"
	"testing"
	"testing/fstest"
)

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"08:00:00", "8:00:00", "25:43:00", "", "25:7x:00", "99:59:59", "1:2:3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, blank, ok := parseTime([]byte(s))
		if ok && !blank && (v < 0 || v%60 > 59) {
			t.Fatalf("%q: %d", s, v)
		}
	})
}

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
