package gtfs

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestZipHashedWhileRead checks that a zip feed records the SHA-256 and
// size of the file it was read from, for a file and for a pipe (read
// once), and that a pipe past its limit is refused naming the limit.
func TestZipHashedWhileRead(t *testing.T) {
	zips, _ := filepath.Glob("../testdata/example/*.zip")
	zips = append(zips, "../testdata/bad/gtfs/zip-two-feeds.zip")
	if len(zips) < 3 {
		t.Fatalf("embedded example zips not found: %v", zips)
	}
	for _, p := range zips[:2] {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		want := hex.EncodeToString(sum[:])
		f, err := Open(p)
		if err != nil {
			t.Fatal(err)
		}
		if f.SHA256 != want || f.Bytes != int64(len(data)) {
			t.Errorf("%s: sha256 %s, %d bytes; want %s, %d", p, f.SHA256, f.Bytes, want, len(data))
		}
		f, err = Open(pipe(t, data))
		if err != nil {
			t.Fatalf("%s through a pipe: %v", p, err)
		}
		if f.SHA256 != want || f.Bytes != int64(len(data)) {
			t.Errorf("%s through a pipe: sha256 %s, %d bytes; want %s, %d", p, f.SHA256, f.Bytes, want, len(data))
		}
		if len(f.Stops) == 0 {
			t.Errorf("%s through a pipe: no stop read", p)
		}
		t.Setenv(EnvMaxInflated, fmt.Sprint(4*len(data)-4))
		_, err = Open(pipe(t, data))
		var le *LimitError
		if !errors.As(err, &le) || !strings.Contains(err.Error(), "a zip read from a pipe or device holds more than") {
			t.Errorf("%s through a pipe past its limit: %v", p, err)
		}
		os.Unsetenv(EnvMaxInflated)
	}
	// A folder has no zip hash: the caller hashes its files.
	dir := t.TempDir()
	for name, text := range map[string]string{
		"agency.txt":     "agency_name,agency_url,agency_timezone\nA,http://a,Europe/Paris\n",
		"stops.txt":      "stop_id,stop_name,stop_lat,stop_lon\nS,S,45,0\n",
		"routes.txt":     "route_id,route_type\nR,3\n",
		"trips.txt":      "route_id,service_id,trip_id\nR,W,T\n",
		"stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT,08:00:00,08:00:00,S,1\n",
		"calendar.txt":   "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nW,1,1,1,1,1,0,0,20250101,20251231\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := Open(dir)
	if err != nil {
		t.Fatalf("folder: %v", err)
	}
	if f.SHA256 != "" || f.Bytes != 0 {
		t.Errorf("folder: sha256 %q, %d bytes; want no zip hash", f.SHA256, f.Bytes)
	}
}

// pipe returns a path that reads data once, through an OS pipe.
func pipe(t *testing.T, data []byte) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	go func() {
		w.Write(data)
		w.Close()
	}()
	return fmt.Sprintf("/proc/self/fd/%d", r.Fd())
}
