package coverage

import (
	"strings"
	"testing"
)

// FuzzJob fuzzes the run configuration as a user writes it: one
// parameter of the table (a duration, a number, a list) with any text,
// the workers, the format, the shard and the paths. Job must never panic;
// what it accepts must pass both validations, with no negative or wrapped
// duration; what it refuses is said by a "coverage: " message.
func FuzzJob(f *testing.F) {
	f.Add(uint8(0), "08:00-10:00", 0, "parquet", "", "feed.zip", "out")
	f.Add(uint8(1), "1193046h48m16s", 4, "arrow", "1/2", "a,b.zip", "#out")
	f.Add(uint8(2), "1e-300", -3, "csv", "auto/0", "", "")
	f.Add(uint8(3), "50,90,50", 1<<20, "", "3/2", "/dev/zero", "out dir")
	f.Add(uint8(4), "-0", 0, "parquet", "0/0", "x", "y")
	f.Add(uint8(5), "9223372036854775807s", 0, "", "", "x", "y")
	f.Fuzz(func(t *testing.T, param uint8, value string, workers int, format, shard, path, out string) {
		p := Parameters[int(param)%len(Parameters)]
		c := &Config{
			GTFS: []string{path}, Grid: path, Date: "2026-01-13", Out: out,
			Services:    []string{"poste=" + path},
			Territories: []string{"commune=" + path},
			Params:      map[string]string{p.Key: value},
			Workers:     workers, Format: format, Shard: shard,
		}
		job, err := c.Job()
		if err != nil {
			if !strings.HasPrefix(err.Error(), "coverage: ") {
				t.Errorf("%s = %q: message %q without its package", p.Key, value, err)
			}
			return
		}
		if err := job.Routing.Validate(); err != nil {
			t.Errorf("%s = %q accepted, but the routing parameters are invalid: %v", p.Key, value, err)
		}
		if err := job.Indicator.Validate(); err != nil {
			t.Errorf("%s = %q accepted, but the indicator parameters are invalid: %v", p.Key, value, err)
		}
		ip := job.Indicator
		for name, d := range map[string]int32{"from": ip.From, "to": ip.To, "step": ip.Step, "threshold": ip.Threshold, "min_open": ip.MinOpen} {
			if d < 0 || d > 48*3600 {
				t.Errorf("%s = %q accepted: %s is %d s (wrapped or unbounded)", p.Key, value, name, d)
			}
		}
		if ip.From >= ip.To || ip.Step <= 0 {
			t.Errorf("%s = %q accepted: window %d–%d step %d", p.Key, value, ip.From, ip.To, ip.Step)
		}
		for _, q := range ip.Percentiles {
			if !(q >= 0 && q <= 100) {
				t.Errorf("%s = %q accepted: percentile %v", p.Key, value, q)
			}
		}
		if job.Indicator.Workers < 0 {
			t.Errorf("workers %d accepted", job.Indicator.Workers)
		}
		if len(job.GTFS) != 1 || job.GTFS[0] != path {
			t.Errorf("gtfs path %q became %q", path, job.GTFS)
		}
	})
}
