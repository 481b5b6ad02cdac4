package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestMemoryBounded runs the real binary on the inputs that exhausted
// memory (a zip bomb, a 1.6 kB feed expanding to 9,999,000 frequency
// runs, /dev/zero as territories) under GOMEMLIMIT=1GiB, from which the
// limits are derived: each is refused with a message naming its limit,
// and the process's peak RSS stays under 1 GB.
func TestMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("inflates 400 MB: not in -short")
	}
	dir := t.TempDir()
	base := map[string]string{
		"stops.txt":          "stop_id,stop_lat,stop_lon\nA,45.18,0.72\nB,45.19,0.73\n",
		"routes.txt":         "route_id,route_type\nR,3\n",
		"calendar_dates.txt": "service_id,date,exception_type\nS,20260113,1\n",
	}
	writeZip := func(name string, files map[string]string, big int64) string {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for n, c := range files {
			w, _ := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate})
			io.WriteString(w, c)
			if n == "stop_times.txt" && big > 0 {
				line := []byte("T,07:00:00,07:00:00,A,3\n")
				chunk := bytes.Repeat(line, 1<<16)
				for written := int64(0); written < big; written += int64(len(chunk)) {
					w.Write(chunk)
				}
			}
		}
		zw.Close()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// 400 MB of stop times: past ¼ of 1 GiB.
	bomb := writeZip("bomb.zip", merge(base, map[string]string{
		"trips.txt":      "route_id,service_id,trip_id\nR,S,T\n",
		"stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT,07:00:00,07:00:00,A,1\nT,07:06:00,07:06:00,B,2\n",
	}), 400<<20)
	var fq, trips, times strings.Builder
	fq.WriteString("trip_id,start_time,end_time,headway_secs\n")
	trips.WriteString("route_id,service_id,trip_id\n")
	times.WriteString("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n")
	for i := range 111 {
		fmt.Fprintf(&fq, "F%d,00:00:00,25:00:00,1\n", i)
		fmt.Fprintf(&trips, "R,S,F%d\n", i)
		fmt.Fprintf(&times, "F%d,07:00:00,07:00:00,A,1\nF%d,07:06:00,07:06:00,B,2\n", i, i)
	}
	freq := writeZip("freq.zip", merge(base, map[string]string{"frequencies.txt": fq.String(), "trips.txt": trips.String(), "stop_times.txt": times.String()}), 0)

	run := fixtureRunArgs("2026-01-13", filepath.Join(dir, "out"))
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"zip bomb", []string{"inspect", bomb}, "the zip's headers claim more than 268435456 bytes (the limit, ¼ of GOMEMLIMIT, at most 8 GiB): refused; if the feed is genuine, raise it with VINGT_MAX_INFLATED=N"},
		{"frequency runs", []string{"inspect", freq}, "frequencies.txt expands to 19980000 stop events, more than 4194304 stop events (the limit, ¼ of GOMEMLIMIT / 64 bytes): refused; if the feed is genuine, raise it with VINGT_MAX_STOP_EVENTS=N"},
		{"territories /dev/zero", append(run, "--territories", "x=/dev/zero"), "coverage: /dev/zero: more than 67108864 bytes read (the limit, ¼ of the input limit for a pipe or device, read into memory; the input limit is ¼ of GOMEMLIMIT, at most 4 GiB): refused; if the input is genuine, raise it with VINGT_MAX_INPUT=N"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(vingtBin, c.args...)
			cmd.Env = append(os.Environ(), "GOMEMLIMIT=1GiB")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			if err == nil || !strings.Contains(stderr.String(), c.want) {
				t.Errorf("%v\n%s\nwant %s", err, stderr.String(), c.want)
			}
			ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
			if !ok {
				t.Skip("no rusage here")
			}
			if rss := ru.Maxrss << 10; rss >= 1<<30 {
				t.Errorf("peak RSS %d MB: want under 1 GB", rss>>20)
			} else {
				t.Logf("peak RSS %d MB", rss>>20)
			}
		})
	}
}

func merge(a, b map[string]string) map[string]string {
	m := map[string]string{}
	for k, v := range a {
		m[k] = v
	}
	for k, v := range b {
		m[k] = v
	}
	return m
}
