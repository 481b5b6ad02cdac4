package coverage

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestInputsCappedByWhatIsRead checks that inputs are bounded by the
// bytes read, not by what stat says: /dev/zero and a large file are
// refused with a message naming the limit, and a FIFO is read once, its
// digest taken while it was read.
func TestInputsCappedByWhatIsRead(t *testing.T) {
	t.Setenv(EnvMaxInput, "1Mi")
	dir := t.TempDir()
	big := filepath.Join(dir, "big.csv")
	os.WriteFile(big, []byte("lon,lat,population\n"+strings.Repeat("0.7,45.1,3\n", 200_000)), 0o644)
	want := "more than 1048576 bytes read (the limit, set by VINGT_MAX_INPUT): refused; if the input is genuine, raise it with VINGT_MAX_INPUT=N"
	for _, c := range []struct {
		name string
		read func() error
		path string
	}{
		{"territories /dev/zero", func() error { _, err := ReadLevel("commune", "/dev/zero", "", ""); return err }, "/dev/zero"},
		{"grid /dev/zero", func() error { _, err := ReadGrid("/dev/zero", ""); return err }, "/dev/zero"},
		{"grid /dev/zero as csv", func() error { _, err := ReadGrid("/dev/zero", FormatCSV); return err }, "/dev/zero"},
		{"services too big", func() error { _, err := ReadServices("poste=" + big); return err }, big},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.read()
			w := "coverage: " + c.path + ": " + want
			if c.path == "/dev/zero" {
				w = "coverage: /dev/zero: more than 262144 bytes read (the limit, ¼ of the input limit for a pipe or device, read into memory; the input limit is set by VINGT_MAX_INPUT): refused; if the input is genuine, raise it with VINGT_MAX_INPUT=N"
			}
			if err == nil || err.Error() != w {
				t.Errorf("error %v\nwant      %s", err, w)
			}
		})
	}

	// A FIFO: the grid is detected and read from it, and its digest is
	// that of what was written into it, though it cannot be read again.
	fifo := filepath.Join(dir, "grid.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFO here:", err)
	}
	text := "lon,lat,population\n0.72,45.18,10\n0.73,45.19,20\n"
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		f.WriteString(text)
		f.Close()
	}()
	g, err := ReadGrid(fifo, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Cells) != 2 {
		t.Errorf("%d cells from the FIFO, want 2", len(g.Cells))
	}
	in, err := describe("grid", fifo)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(text))
	if in.Bytes != int64(len(text)) || in.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("FIFO recorded as %d bytes %s, want %d bytes %x", in.Bytes, in.SHA256, len(text), sum)
	}
}
