package coverage

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDescribeHashesWhatIsRead checks that a feed folder's linked file is
// hashed like a copied one, and that a path holding '#' is hashed whole.
func TestDescribeHashesWhatIsRead(t *testing.T) {
	root := t.TempDir()
	write := func(p, text string) {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const st = "trip_id,arrival_time\nT1,08:00:00\n"
	write(filepath.Join(root, "copied", "stops.txt"), "stop_id\nS1\n")
	write(filepath.Join(root, "copied", "stop_times.txt"), st)
	write(filepath.Join(root, "linked", "stops.txt"), "stop_id\nS1\n")
	write(filepath.Join(root, "elsewhere", "stop_times.txt"), st)
	if err := os.Symlink(filepath.Join(root, "elsewhere", "stop_times.txt"), filepath.Join(root, "linked", "stop_times.txt")); err != nil {
		t.Fatal(err)
	}
	copied, err := describe("gtfs", filepath.Join(root, "copied"))
	if err != nil {
		t.Fatal(err)
	}
	linked, err := describe("gtfs", filepath.Join(root, "linked"))
	if err != nil {
		t.Fatal(err)
	}
	if linked.SHA256 != copied.SHA256 || linked.Bytes != copied.Bytes {
		t.Errorf("linked feed: %d bytes %s; copied: %d bytes %s", linked.Bytes, linked.SHA256, copied.Bytes, copied.SHA256)
	}

	hashed := filepath.Join(root, "run#2", "points.csv")
	write(hashed, "id,lon,lat\nA,0.7,45.1\n")
	in, err := describe("services:a", hashed)
	if err != nil {
		t.Fatalf("path with '#': %v", err)
	}
	if in.Path != hashed || in.Bytes != 22 {
		t.Errorf("path with '#': %q, %d bytes; want %q, 22", in.Path, in.Bytes, hashed)
	}
	c, err := ReadServices("a=" + hashed)
	if err != nil || c.Path != hashed || len(c.Points) != 1 {
		t.Errorf("ReadServices with '#' in the path: %v, %+v", err, c)
	}
	write(filepath.Join(root, "run#3", "count.csv"), "id,lon,lat,n\nA,0.7,45.1,2\nB,0.8,45.2,0\n")
	c, err = ReadServices("a=" + filepath.Join(root, "run#3", "count.csv") + "#n")
	if err != nil || len(c.Points) != 1 {
		t.Errorf("ReadServices PATH#column with '#' in the path: %v, %+v", err, c)
	}
}
