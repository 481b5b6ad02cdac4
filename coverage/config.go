package coverage

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/router"
	"github.com/vingt/vingt/table"
)

// Config is a run as the user writes it, in a TOML file or as flags: the
// same keys, the same values. Durations are Go durations ("20m", "60s"),
// the window is "HH:MM-HH:MM". Zero values mean the default.
type Config struct {
	GTFS []string `toml:"gtfs"`
	// Date is the analysis date (YYYY-MM-DD). Dates, instead, lists the
	// dates a rule designates (say, every Tuesday outside school
	// holidays): the run takes the first one on or after Today.
	Date  string   `toml:"date"`
	Dates []string `toml:"dates"`
	// Today is the reference day for Dates (default: the current date).
	Today string `toml:"today"`

	Window string `toml:"window"`
	Step   string `toml:"step"`

	Grid       string `toml:"grid"`
	GridFormat string `toml:"grid_format"`
	// Services are CATEGORY=PATH[#column] entries; in a TOML file also a
	// table category = "path[#column]", in the order written.
	Services []string `toml:"-"`
	Basket   string   `toml:"basket"`
	// Territories are LEVEL=PATH entries, finest level first; in a TOML
	// file also a table level = "path".
	Territories []string `toml:"-"`

	Threshold   string    `toml:"threshold"`
	Percentiles []float64 `toml:"percentiles"`

	WalkSpeed       float64 `toml:"walk_speed"`
	Detour          float64 `toml:"detour"`
	MaxWalk         string  `toml:"max_walk"`
	MaxTransferWalk float64 `toml:"max_transfer_walk"`
	// MaxTransferWalkSet tells that MaxTransferWalk was given (0 is a
	// meaningful value: same-stop transfers only).
	MaxTransferWalkSet bool   `toml:"-"`
	BoardSlack         string `toml:"board_slack"`
	MaxTransfers       int    `toml:"max_transfers"`
	MaxTransfersSet    bool   `toml:"-"`
	MaxDuration        string `toml:"max_duration"`

	Workers int    `toml:"workers"`
	Format  string `toml:"format"`
	Out     string `toml:"out"`
}

// LoadConfig reads a TOML config file. Relative paths in it are resolved
// against the file's folder.
func LoadConfig(path string) (*Config, error) {
	var raw struct {
		Config
		Services    any `toml:"services"`
		Territories any `toml:"territories"`
	}
	md, err := toml.DecodeFile(path, &raw)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			return nil, fmt.Errorf("coverage: config %s:%d: %s", path, perr.Position.Line, perr.Message)
		}
		return nil, fmt.Errorf("coverage: config %s: %w", path, err)
	}
	for _, k := range md.Undecoded() {
		// services and territories are decoded by hand below.
		if k[0] != "services" && k[0] != "territories" {
			return nil, fmt.Errorf("coverage: config %s: unknown key %q", path, k.String())
		}
	}
	c := raw.Config
	c.Services, err = specList(path, "services", raw.Services, md)
	if err != nil {
		return nil, err
	}
	c.Territories, err = specList(path, "territories", raw.Territories, md)
	if err != nil {
		return nil, err
	}
	c.MaxTransferWalkSet = md.IsDefined("max_transfer_walk")
	c.MaxTransfersSet = md.IsDefined("max_transfers")
	dir := filepath.Dir(path)
	rel := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	for i := range c.GTFS {
		c.GTFS[i] = rel(c.GTFS[i])
	}
	// Inputs are relative to the file; the output folder, like any
	// output, to the current directory.
	c.Grid, c.Basket = rel(c.Grid), rel(c.Basket)
	for _, list := range [][]string{c.Services, c.Territories} {
		for i, s := range list {
			k, v, _ := strings.Cut(s, "=")
			list[i] = k + "=" + rel(v)
		}
	}
	return &c, nil
}

// specList reads services or territories written as an array of
// "NAME=PATH" strings or as a table name = "path", keeping the order.
func specList(path, key string, v any, md toml.MetaData) ([]string, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case []any:
		var out []string
		for i, x := range v {
			s, ok := x.(string)
			if !ok || !strings.Contains(s, "=") {
				return nil, fmt.Errorf("coverage: config %s: %s[%d]: want \"NAME=PATH\"", path, key, i)
			}
			out = append(out, s)
		}
		return out, nil
	case map[string]any:
		var out []string
		for _, k := range md.Keys() {
			if len(k) != 2 || k[0] != key {
				continue
			}
			s, ok := v[k[1]].(string)
			if !ok {
				return nil, fmt.Errorf("coverage: config %s: %s.%s: want a path string", path, key, k[1])
			}
			out = append(out, k[1]+"="+s)
		}
		return out, nil
	default:
		return nil, fmt.Errorf("coverage: config %s: %s: want an array of \"NAME=PATH\" or a table", path, key)
	}
}

// Job resolves the config into a job: defaults for what is not set,
// durations, window and date parsed.
func (c *Config) Job() (Job, error) {
	job := Job{
		GTFS: c.GTFS, Grid: c.Grid, GridFormat: c.GridFormat, Services: c.Services,
		Basket: c.Basket, Territories: c.Territories, Routing: router.DefaultParams(),
		Indicator: DefaultParams(), Out: c.Out,
	}
	var err error
	if job.Date, err = c.date(); err != nil {
		return job, err
	}
	if c.Window != "" {
		if job.Indicator.From, job.Indicator.To, err = ParseWindow(c.Window); err != nil {
			return job, err
		}
	}
	secs := func(name, s string, dst *int32) error {
		if s == "" {
			return nil
		}
		d, err := time.ParseDuration(s)
		if err != nil || d < 0 || d%time.Second != 0 {
			return fmt.Errorf("coverage: %s %q: want a whole number of seconds as a duration such as 20m or 90s", name, s)
		}
		*dst = int32(d / time.Second)
		return nil
	}
	for _, x := range []struct {
		name, val string
		dst       *int32
	}{
		{"step", c.Step, &job.Indicator.Step},
		{"threshold", c.Threshold, &job.Indicator.Threshold},
		{"max_walk", c.MaxWalk, &job.Routing.MaxWalk},
		{"board_slack", c.BoardSlack, &job.Routing.BoardSlack},
		{"max_duration", c.MaxDuration, &job.Routing.MaxDuration},
	} {
		if err := secs(x.name, x.val, x.dst); err != nil {
			return job, err
		}
	}
	if len(c.Percentiles) > 0 {
		job.Indicator.Percentiles = slices.Clone(c.Percentiles)
	}
	if c.WalkSpeed != 0 {
		job.Routing.WalkSpeed = c.WalkSpeed
	}
	if c.Detour != 0 {
		job.Routing.Detour = c.Detour
	}
	if c.MaxTransferWalkSet || c.MaxTransferWalk != 0 {
		job.Routing.MaxTransferWalk = c.MaxTransferWalk
	}
	if c.MaxTransfersSet || c.MaxTransfers != 0 {
		job.Routing.MaxTransfers = c.MaxTransfers
	}
	job.Indicator.Workers = c.Workers
	job.Format = table.Parquet
	if c.Format != "" {
		if job.Format, err = table.ParseFormat(c.Format); err != nil {
			return job, err
		}
	}
	if job.Out == "" {
		job.Out = "vingt-out"
	}
	if err := job.Routing.Validate(); err != nil {
		return job, err
	}
	return job, job.Indicator.Validate()
}

// date resolves Date, or the first of Dates on or after Today.
func (c *Config) date() (gtfs.Date, error) {
	switch {
	case c.Date != "" && len(c.Dates) > 0:
		return 0, fmt.Errorf("coverage: give date or dates, not both")
	case c.Date != "":
		return gtfs.ParseDate(c.Date)
	case len(c.Dates) == 0:
		return 0, fmt.Errorf("coverage: no analysis date: give --date YYYY-MM-DD")
	}
	today := gtfs.DateOf(time.Now())
	if c.Today != "" {
		var err error
		if today, err = gtfs.ParseDate(c.Today); err != nil {
			return 0, err
		}
	}
	var best gtfs.Date
	for _, s := range c.Dates {
		d, err := gtfs.ParseDate(s)
		if err != nil {
			return 0, err
		}
		if d >= today && (best == 0 || d < best) {
			best = d
		}
	}
	if best == 0 {
		return 0, fmt.Errorf("coverage: every date of dates is before %s: extend the list", today)
	}
	return best, nil
}

// ParseWindow parses "HH:MM-HH:MM" (seconds allowed, hours past 24 too)
// into a half-open window in seconds after midnight.
func ParseWindow(s string) (from, to int32, err error) {
	a, b, ok := strings.Cut(s, "-")
	if ok {
		from, err = ParseClock(a)
		if err == nil {
			to, err = ParseClock(b)
		}
	}
	if !ok || err != nil || to <= from {
		return 0, 0, fmt.Errorf("coverage: window %q: want HH:MM-HH:MM with the end after the start", s)
	}
	return from, to, nil
}

// ParseClock parses H:MM or H:MM:SS (hours up to 47, for departures after
// midnight; minutes and seconds of two digits) into seconds after
// midnight.
func ParseClock(s string) (int32, error) {
	bad := fmt.Errorf("coverage: time %q: want HH:MM or HH:MM:SS, hours below 48", s)
	parts := strings.Split(strings.TrimSpace(s), ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, bad
	}
	var v [3]int
	for i, p := range parts {
		if len(p) == 0 || len(p) > 2 || i > 0 && len(p) != 2 || strings.Trim(p, "0123456789") != "" {
			return 0, bad
		}
		v[i], _ = strconv.Atoi(p)
	}
	if v[0] > 47 || v[1] > 59 || v[2] > 59 {
		return 0, bad
	}
	return int32(v[0]*3600 + v[1]*60 + v[2]), nil
}
