package coverage

import (
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int32
		ok   bool
	}{
		{"15m", 900, true}, {"60s", 60, true}, {"0s", 0, true}, {"1h30m", 5400, true}, {"24h", 86400, true},
		{"1.5s", 0, false}, {"-1m", 0, false}, {"15", 0, false}, {"", 0, false}, {"1000000h", 0, false},
		{"24h0m1s", 0, false}, {"1193047h", 0, false}, {"9999999999h", 0, false},
	} {
		got, err := ParseDuration(c.in, 0, 86400)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseDuration(%q) = %d, %v; want %d, ok %v", c.in, got, err, c.want, c.ok)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	for _, c := range []struct {
		s    int32
		want string
	}{{0, "0s"}, {90, "1m30s"}, {1200, "20m"}, {3600, "1h"}, {5400, "1h30m"}, {86400, "24h"}, {3661, "1h1m1s"}} {
		if got := FormatDuration(c.s); got != c.want {
			t.Errorf("FormatDuration(%d) = %q, want %q", c.s, got, c.want)
		}
		if back, err := ParseDuration(FormatDuration(c.s), 0, 86400); err != nil || back != c.s {
			t.Errorf("%q reads back as %d, %v", FormatDuration(c.s), back, err)
		}
	}
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"15m", "60s", "1.5s", "-1m", "1h30m", "1193047h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseDuration(s, 0, 86400)
		if err != nil {
			return
		}
		d, perr := time.ParseDuration(s)
		if perr != nil || got < 0 || got > 86400 || time.Duration(got)*time.Second != d {
			t.Fatalf("ParseDuration(%q) = %d, the duration is %v", s, got, d)
		}
	})
}
