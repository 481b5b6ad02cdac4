package gtfs

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
)

// smallFeed is a valid two-stop feed; extra files are added to or
// replace its own.
func smallFeed(extra map[string]string) map[string]string {
	files := map[string]string{
		"stops.txt":          "stop_id,stop_lat,stop_lon\nA,1,0\nB,1,0.01\n",
		"routes.txt":         "route_id,route_type\nR,3\n",
		"trips.txt":          "route_id,service_id,trip_id\nR,S,T\n",
		"calendar_dates.txt": "service_id,date,exception_type\nS,20260113,1\n",
		"stop_times.txt":     "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT,07:00:00,07:00:00,A,1\nT,07:06:00,07:06:00,B,2\n",
	}
	for n, c := range extra {
		files[n] = c
	}
	return files
}

// writeZip writes files as a deflated zip, in name order.
func writeZip(t *testing.T, p string, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range sortedKeys(files) {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, files[n])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sortedKeys(m map[string]string) []string {
	var k []string
	for n := range m {
		k = append(k, n)
	}
	for i := range k {
		for j := i + 1; j < len(k); j++ {
			if k[j] < k[i] {
				k[i], k[j] = k[j], k[i]
			}
		}
	}
	return k
}

// setUncompressed makes the headers of entry name claim size bytes
// inflated: the central directory's, the local header's and the data
// descriptor's.
func setUncompressed(t *testing.T, b []byte, name string, size uint32) []byte {
	t.Helper()
	b = bytes.Clone(b)
	n := 0
	for i := 0; i+46 <= len(b); i++ {
		switch binary.LittleEndian.Uint32(b[i:]) {
		case 0x02014b50: // central directory header
			nl := int(binary.LittleEndian.Uint16(b[i+28:]))
			if string(b[i+46:i+46+nl]) == name {
				binary.LittleEndian.PutUint32(b[i+24:], size)
				n++
			}
		case 0x04034b50: // local header
			nl := int(binary.LittleEndian.Uint16(b[i+26:]))
			if string(b[i+30:i+30+nl]) == name {
				binary.LittleEndian.PutUint32(b[i+22:], size)
				// The data descriptor follows the compressed data.
				csize := int(binary.LittleEndian.Uint32(b[i+18:]))
				if csize == 0 {
					for j := i + 30 + nl; j+16 <= len(b); j++ {
						if binary.LittleEndian.Uint32(b[j:]) == 0x08074b50 {
							binary.LittleEndian.PutUint32(b[j+12:], size)
							break
						}
					}
				}
				n++
			}
		}
	}
	if n == 0 {
		t.Fatalf("no header of %s", name)
	}
	return b
}

// allocated returns the bytes fn allocated.
func allocated(fn func()) uint64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	fn()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// TestFeedLimits checks the bounds on what a feed makes the process hold,
// on generated feeds: each is refused with a message naming the limit and
// how to raise it, having allocated little.
func TestFeedLimits(t *testing.T) {
	dir := t.TempDir()
	// 2 MB of stop times, deflated to a few kB.
	var st strings.Builder
	st.WriteString("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n")
	for st.Len() < 2<<20 {
		st.WriteString("T,07:00:00,07:00:00,A,3\n")
	}
	bomb := filepath.Join(dir, "bomb.zip")
	zb := writeZip(t, bomb, smallFeed(map[string]string{"stop_times.txt": st.String()}))
	if len(zb) > 64<<10 {
		t.Fatalf("bomb.zip %d bytes: want a small zip", len(zb))
	}
	// The same, its header claiming 100 bytes of stop times.
	liar := filepath.Join(dir, "liar.zip")
	os.WriteFile(liar, setUncompressed(t, zb, "stop_times.txt", 100), 0o644)
	// A small feed whose header claims 3.9 GB of stop times.
	boast := filepath.Join(dir, "boast.zip")
	var many strings.Builder // past the 1024 rows after which buffers are sized
	many.WriteString("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n")
	for i := range 2000 {
		fmt.Fprintf(&many, "T,07:00:00,07:00:00,A,%d\n", i)
	}
	zs := writeZip(t, boast, smallFeed(map[string]string{"stop_times.txt": many.String()}))
	os.WriteFile(boast, setUncompressed(t, zs, "stop_times.txt", 3_900_000_000), 0o644)
	// 1.6 kB of frequencies expanding to 9,999,000 runs.
	var fq strings.Builder
	fq.WriteString("trip_id,start_time,end_time,headway_secs\n")
	trips := "route_id,service_id,trip_id\n"
	times := "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
	for i := range 111 {
		fmt.Fprintf(&fq, "F%d,00:00:00,25:00:00,1\n", i)
		trips += fmt.Sprintf("R,S,F%d\n", i)
		times += fmt.Sprintf("F%d,07:00:00,07:00:00,A,1\nF%d,07:06:00,07:06:00,B,2\n", i, i)
	}
	fmt.Fprintf(&fq, "G,00:00:00,2:30:00,1\n") // 111 × 90,000 + 9,000 = 9,999,000 runs
	trips += "R,S,G\n"
	times += "G,07:00:00,07:00:00,A,1\nG,07:06:00,07:06:00,B,2\n"
	freq := filepath.Join(dir, "freq.zip")
	zf := writeZip(t, freq, smallFeed(map[string]string{"frequencies.txt": fq.String(), "trips.txt": trips, "stop_times.txt": times}))

	cases := []struct {
		name, path string
		env        map[string]string
		want       string
	}{
		{"inflated", bomb, map[string]string{EnvMaxInflated: "1Mi"},
			"gtfs: bomb: the zip's headers claim more than 1048576 bytes (the limit, set by VINGT_MAX_INFLATED): refused; if the feed is genuine, raise it with VINGT_MAX_INFLATED=N"},
		{"lying header, small", liar, map[string]string{EnvMaxInflated: "1Mi"},
			"gtfs: liar: stop_times.txt: the entry inflates to other than its header's size, or is corrupt (a damaged or hostile zip): zip: not a valid zip file"},
		{"lying header, big", boast, map[string]string{EnvMaxInflated: "8Gi"},
			"gtfs: boast: stop_times.txt: the entry inflates to other than its header's size, or is corrupt (a damaged or hostile zip): unexpected EOF"},
		{"lying header, past the limit", boast, map[string]string{EnvMaxInflated: "1Gi"},
			"gtfs: boast: the zip's headers claim more than 1073741824 bytes (the limit, set by VINGT_MAX_INFLATED): refused"},
		{"stop events", freq, map[string]string{EnvMaxStopEvents: "1M"},
			"gtfs: freq: frequencies.txt expands to 19998000 stop events, more than 1000000 stop events (the limit, set by VINGT_MAX_STOP_EVENTS): refused; if the feed is genuine, raise it with VINGT_MAX_STOP_EVENTS=N"},
		{"bad setting", freq, map[string]string{EnvMaxStopEvents: "lots"},
			`gtfs: VINGT_MAX_STOP_EVENTS "lots": want a positive number, such as 4Gi or 200M`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			var err error
			n := allocated(func() { _, err = Open(c.path) })
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Fatalf("error %v\nwant      %s", err, c.want)
			}
			if n > 64<<20 {
				t.Errorf("allocated %d MB before refusing: want < 64 MB", n>>20)
			}
		})
	}
	if len(zf) > 4<<10 {
		t.Errorf("freq.zip %d bytes: want a few kB", len(zf))
	}
	// Under the default limits (¼ of the memory / 64 B is at least
	// 4 M stop events with 1 GiB), the 1.6 kB feed is refused with 1 GiB.
}

// TestInflatedCounted checks that what is read is counted, whatever the
// headers say: files of a limitFS together may not yield more than max.
func TestInflatedCounted(t *testing.T) {
	l := &limitFS{FS: fstest.MapFS{"a.txt": {Data: make([]byte, 600)}, "b.txt": {Data: make([]byte, 600)}}, max: 1000, why: "test", feed: "f"}
	var err error
	for _, n := range []string{"a.txt", "b.txt"} {
		f, oerr := l.Open(n)
		if oerr != nil {
			t.Fatal(oerr)
		}
		if _, err = io.Copy(io.Discard, f); err != nil {
			break
		}
	}
	if err == nil || !strings.Contains(err.Error(), "the zip inflates to more than 1000 bytes") {
		t.Errorf("%v: want the second file refused", err)
	}
}

func TestParseSize(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
	}{{"1000", 1000}, {"4Gi", 4 << 30}, {"200M", 200e6}, {"2GiB", 2 << 30}, {"0", -1}, {"-5", -1}, {"x", -1}, {"9999999999Gi", -1}} {
		got, err := parseSize(c.in)
		if c.want < 0 {
			if err == nil {
				t.Errorf("%q: %d, want an error", c.in, got)
			}
		} else if err != nil || got != c.want {
			t.Errorf("%q: %d %v, want %d", c.in, got, err, c.want)
		}
	}
}
