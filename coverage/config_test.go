package coverage

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExampleConfig(t *testing.T) {
	c, err := LoadConfig(filepath.Join("..", "testdata", "example", "vingt.toml"))
	if err != nil {
		t.Fatal(err)
	}
	job, err := c.Job()
	if err != nil {
		t.Fatal(err)
	}
	if len(job.GTFS) != 2 || job.Date.String() != "2019-05-13" || job.Indicator.From != 14*3600 || job.Indicator.To != 16*3600 {
		t.Errorf("job %+v", job)
	}
	if len(job.Services) != 2 || !strings.HasPrefix(job.Services[0], "healthcare=") || !strings.HasSuffix(job.Services[0], "poa_hexgrid.csv#healthcare") {
		t.Errorf("services %v: want healthcare first, path relative to the file", job.Services)
	}
	if len(job.Territories) < 2 {
		t.Errorf("territories %v", job.Territories)
	}
	for _, p := range append(job.GTFS, job.Grid) {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}

func TestDates(t *testing.T) {
	cases := []struct {
		dates []string
		today string
		want  string
	}{
		{[]string{"2026-01-06", "2026-01-13", "2026-01-20"}, "2026-01-10", "2026-01-13"},
		{[]string{"2026-01-20", "2026-01-13"}, "2026-01-13", "2026-01-13"},
		{[]string{"2026-01-06"}, "2026-01-06", "2026-01-06"},
	}
	for _, c := range cases {
		cfg := Config{Dates: c.dates, Today: c.today}
		job, err := cfg.Job()
		if err != nil || job.Date.String() != c.want {
			t.Errorf("dates %v today %s: %v %v, want %s", c.dates, c.today, job.Date, err, c.want)
		}
	}
}

func TestConfigDefaults(t *testing.T) {
	job, err := (&Config{Date: "2026-01-13", Params: map[string]string{"max_transfer_walk": "0", "max_transfers": "0"}}).Job()
	if err != nil {
		t.Fatal(err)
	}
	if job.Routing.MaxTransferWalk != 0 || job.Routing.MaxTransfers != 0 {
		t.Errorf("explicit zeros lost: %+v", job.Routing)
	}
	job, _ = (&Config{Date: "2026-01-13"}).Job()
	if job.Routing.MaxTransferWalk != 500 || job.Indicator.Threshold != 1200 || job.Out != "vingt-out" {
		t.Errorf("defaults: %+v %+v %s", job.Routing, job.Indicator, job.Out)
	}
}

// TestBadConfigs reads every broken config of testdata/bad/config.
func TestBadConfigs(t *testing.T) {
	dir := filepath.Join("..", "testdata", "bad", "config")
	b, err := os.ReadFile(filepath.Join(dir, "expected.json"))
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
	for _, e := range entries {
		if _, ok := want[e.Name()]; !ok && filepath.Ext(e.Name()) == ".toml" {
			t.Errorf("%s: no message in expected.json", e.Name())
		}
	}
	for name, msg := range want {
		t.Run(name, func(t *testing.T) {
			c, err := LoadConfig(filepath.Join(dir, name))
			if err == nil {
				_, err = c.Job()
			}
			if err == nil || !strings.Contains(err.Error(), msg) {
				t.Errorf("error %v, want it to contain %q", err, msg)
			}
		})
	}
}

// TestParamBounds feeds every parameter of the table values beyond its
// bounds, overflowing ones included: each is refused with the user's text,
// never wrapped into another number.
func TestParamBounds(t *testing.T) {
	cases := []struct {
		key, text, want string
	}{
		{"threshold", "1193047h", `threshold "1193047h": must be at most 24h`},
		{"threshold", "596524h", `threshold "596524h": must be at most 24h`},
		{"threshold", "1200000h", `threshold "1200000h": must be at most 24h`},
		{"threshold", "0s", `threshold "0s": must be at least 1s`},
		{"threshold", "9999999999999h", `threshold "9999999999999h": want a duration`},
		{"max_duration", "1193046h48m16s", `max_duration "1193046h48m16s": must be at most 24h`},
		{"max_walk", "100h", `max_walk "100h": must be at most 2h`},
		{"max_walk", "-5m", `max_walk "-5m": must be at least 0s`},
		{"board_slack", "2h", `board_slack "2h": must be at most 1h`},
		{"step", "0s", `step "0s": must be at least 1s`},
		{"step", "90ms", `step "90ms": want whole seconds`},
		{"walk_speed", "1e-300", `walk_speed "1e-300": must be within 0.1–10 m/s`},
		{"walk_speed", "0", `walk_speed "0": must be within 0.1–10 m/s`},
		{"walk_speed", "NaN", `walk_speed "NaN": want a number`},
		{"detour", "1e9", `detour "1e9": must be within 1–5`},
		{"detour", "0", `detour "0": must be within 1–5`},
		{"max_transfer_walk", "1e12", `max_transfer_walk "1e12": must be within 0–10000 m`},
		{"max_transfers", "99999999999999999999", `max_transfers "99999999999999999999": must be within 0–20`},
		{"max_transfers", "-1", `max_transfers "-1": must be within 0–20`},
		{"percentiles", "50,50", `percentiles "50,50": 50 is given twice`},
		{"percentiles", "120", `percentiles "120": must be within 0–100`},
		{"window", "00:00-47:00", `window "00:00-47:00": at most 24 hours`},
		{"window", "10:00-08:00", `window "10:00-08:00": the end must be after the start`},
	}
	for _, c := range cases {
		t.Run(c.key+"="+c.text, func(t *testing.T) {
			_, err := (&Config{Date: "2026-01-13", Params: map[string]string{c.key: c.text}}).Job()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want it to contain %q", err, c.want)
			}
		})
	}
	// Every parameter's default parses, and the table has no duplicate.
	seen := map[string]bool{}
	for _, p := range Parameters {
		if err := p.Check(p.Default); err != nil {
			t.Errorf("%s: default %q: %v", p.Key, p.Default, err)
		}
		if seen[p.Key] || seen[p.Flag] {
			t.Errorf("%s: declared twice", p.Key)
		}
		seen[p.Key], seen[p.Flag] = true, true
	}
}

func TestParseWindow(t *testing.T) {
	for _, c := range []struct {
		in       string
		from, to int32
		ok       bool
	}{
		{"08:00-10:00", 8 * 3600, 10 * 3600, true},
		{"23:30-25:00", 23*3600 + 1800, 25 * 3600, true},
		{"08:00:30-08:10", 8*3600 + 30, 8*3600 + 600, true},
		{"10:00-08:00", 0, 0, false},
		{"8-10", 0, 0, false},
		{"08:61-09:00", 0, 0, false},
		{"+8:00-10:00", 0, 0, false},
		{"08:5-09:00", 0, 0, false},
	} {
		from, to, err := ParseWindow(c.in)
		if (err == nil) != c.ok || c.ok && (from != c.from || to != c.to) {
			t.Errorf("%s: %d %d %v", c.in, from, to, err)
		}
	}
}

func FuzzLoadConfig(f *testing.F) {
	b, _ := os.ReadFile(filepath.Join("..", "testdata", "example", "vingt.toml"))
	f.Add(b)
	f.Add([]byte("date = \"2026-01-13\"\nservices = [\"a=b\"]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "c.toml")
		os.WriteFile(p, data, 0o644)
		if c, err := LoadConfig(p); err == nil {
			c.Job()
		}
	})
}

// TestConfigImpact reads the impact key of a TOML config into the job.
func TestConfigImpact(t *testing.T) {
	for _, want := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "vingt.toml")
		body := "date = \"2026-01-13\"\n"
		if want {
			body += "impact = true\n"
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		c, err := LoadConfig(path)
		if err != nil {
			t.Fatal(err)
		}
		job, err := c.Job()
		if err != nil {
			t.Fatal(err)
		}
		if job.Impact != want {
			t.Errorf("impact = %v in the file: job.Impact %v", want, job.Impact)
		}
	}
}
