package coverage

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/vingt/vingt/router"
)

// Settings are the parameters of a run: the router's and the indicator's.
type Settings struct {
	Routing   router.Params
	Indicator Params
	// LinkRadius is how far, in metres, a place may lie from the street
	// network (when one is given) to be linked to it.
	LinkRadius float64
}

// DefaultSettings returns the defaults of measure 3, as the parameter
// table declares them.
func DefaultSettings() Settings {
	s := Settings{Routing: router.DefaultParams(), Indicator: DefaultParams()}
	for _, p := range Parameters {
		if err := p.set(&s, p.Default); err != nil {
			panic(fmt.Sprintf("coverage: default of %s: %v", p.Key, err))
		}
	}
	return s
}

// Param is one parameter of a run, declared once: the command line's
// flags, the TOML config and run.json all come from its fields.
type Param struct {
	// Flag is the command-line flag, without dashes ("max-walk").
	Flag string
	// Key is the config file's key ("max_walk").
	Key string
	// Default is the default as a user writes it ("15m").
	Default string
	// Unit names the unit of the value ("duration", "m/s", "metres").
	Unit string
	// Help is the flag's usage line.
	Help string
	// Routing tells that the parameter is the router's: one-origin
	// commands (route, isochrone) take it too.
	Routing bool
	// List tells that the parameter takes several values (repeated flags,
	// comma-separated text, a TOML array).
	List bool

	set      func(s *Settings, text string) error
	manifest func(s *Settings, m map[string]any)
}

// Set parses text as the parameter's value into s. The error names the
// key and quotes the text.
func (p *Param) Set(s *Settings, text string) error {
	if err := p.set(s, text); err != nil {
		return fmt.Errorf("coverage: %s %w", p.Key, err)
	}
	return nil
}

// Check parses text as the parameter's value, without keeping it: the
// command line checks each flag as it is given.
func (p *Param) Check(text string) error {
	s := DefaultSettings()
	return p.set(&s, text)
}

// Param bounds, documented in README: a user's number outside them is
// refused, so that no time wraps around and no search runs away.
const (
	maxWindow       = 24 * 3600
	maxStep         = 3600
	maxThreshold    = 24 * 3600
	maxPercentiles  = 16
	minWalkSpeed    = 0.1
	maxWalkSpeed    = 10.0
	maxDetour       = 5.0
	maxWalkSeconds  = 2 * 3600
	maxTransferWalk = 10000.0
	maxBoardSlack   = 3600
	maxTransfers    = 20
	maxDuration     = 24 * 3600
	maxMinOpen      = 4 * 3600
)

// Parameters is the table of every parameter of a run, in the order of
// the help text and of run.json.
var Parameters = []*Param{
	{
		Flag: "window", Key: "window", Default: "08:00-10:00", Unit: "HH:MM-HH:MM",
		Help: "departure window, end excluded (at most 24h, hours up to 47)",
		set: func(s *Settings, v string) (err error) {
			s.Indicator.From, s.Indicator.To, err = ParseWindow(v)
			return err
		},
		manifest: func(s *Settings, m map[string]any) {
			m["window"] = formatWindow(s.Indicator.From, s.Indicator.To)
			m["window_from_seconds"] = s.Indicator.From
			m["window_to_seconds"] = s.Indicator.To
			m["departures"] = s.Indicator.Minutes()
		},
	},
	{
		Flag: "step", Key: "step", Default: "1m", Unit: "duration",
		Help: "step between departures (1s–1h)",
		set:  durationSetter(func(s *Settings) *int32 { return &s.Indicator.Step }, 1, maxStep),
		manifest: func(s *Settings, m map[string]any) {
			m["step_seconds"] = s.Indicator.Step
		},
	},
	{
		Flag: "threshold", Key: "threshold", Default: "20m", Unit: "duration",
		Help: "travel time within which a service counts as reached (1s–24h)",
		set:  durationSetter(func(s *Settings) *int32 { return &s.Indicator.Threshold }, 1, maxThreshold),
		manifest: func(s *Settings, m map[string]any) {
			m["threshold_seconds"] = s.Indicator.Threshold
		},
	},
	{
		Flag: "percentile", Key: "percentiles", Default: "50", Unit: "percent", List: true,
		Help: "percentiles of travel time over the window, 0–100 (repeatable; the first decides served)",
		set: func(s *Settings, v string) error {
			var ps []float64
			for _, f := range strings.Split(v, ",") {
				q, err := parseFloat(f, 0, 100, "")
				if err != nil {
					return err
				}
				if slices.Contains(ps, q) {
					return fmt.Errorf("%q: %g is given twice", v, q)
				}
				ps = append(ps, q)
			}
			if len(ps) > maxPercentiles {
				return fmt.Errorf("%q: at most %d percentiles", v, maxPercentiles)
			}
			s.Indicator.Percentiles = ps
			return nil
		},
		manifest: func(s *Settings, m map[string]any) {
			m["percentiles"] = s.Indicator.Percentiles
		},
	},
	{
		Flag: "min-open", Key: "min_open", Default: "15m", Unit: "duration",
		Help: "with opening hours: least time a point must stay open after the traveller is served there (0–4h)",
		set:  durationSetter(func(s *Settings) *int32 { return &s.Indicator.MinOpen }, 0, maxMinOpen),
		manifest: func(s *Settings, m map[string]any) {
			m["min_open_seconds"] = s.Indicator.MinOpen
		},
	},
	{
		Flag: "engine", Key: "engine", Default: EngineProfile, Unit: "name",
		Help: "routing engine: profile (one backward search per category) or forward (one search per cell, the oracle); same results",
		set: func(s *Settings, v string) error {
			if err := validEngine(v); err != nil {
				return fmt.Errorf("%q: want %s or %s", v, EngineProfile, EngineForward)
			}
			s.Indicator.Engine = v
			return nil
		},
		manifest: func(s *Settings, m map[string]any) {
			m["engine"] = s.Indicator.Engine
		},
	},
	{
		Flag: "walk-speed", Key: "walk_speed", Default: "1.3", Unit: "m/s", Routing: true,
		Help: "walking speed, m/s (0.1–10)",
		set:  floatSetter(func(s *Settings) *float64 { return &s.Routing.WalkSpeed }, minWalkSpeed, maxWalkSpeed, " m/s"),
		manifest: func(s *Settings, m map[string]any) {
			m["walk_speed_m_s"] = s.Routing.WalkSpeed
		},
	},
	{
		Flag: "detour", Key: "detour", Default: "1.3", Unit: "factor", Routing: true,
		Help: "walking distance as a multiple of the crow-fly distance (1–5)",
		set:  floatSetter(func(s *Settings) *float64 { return &s.Routing.Detour }, 1, maxDetour, ""),
		manifest: func(s *Settings, m map[string]any) {
			m["detour"] = s.Routing.Detour
		},
	},
	{
		Flag: "max-walk", Key: "max_walk", Default: "15m", Unit: "duration", Routing: true,
		Help: "longest walk to transit, and from it, each in total (a walk-only trip is bounded by max-duration) (0–2h)",
		set:  durationSetter(func(s *Settings) *int32 { return &s.Routing.MaxWalk }, 0, maxWalkSeconds),
		manifest: func(s *Settings, m map[string]any) {
			m["max_walk_seconds"] = s.Routing.MaxWalk
		},
	},
	{
		Flag: "link-radius", Key: "link_radius", Default: "300", Unit: "metres", Routing: true,
		Help: "farthest a place may lie from the street network (--osm) to be linked to it; farther, it walks crow-fly (1–5000)",
		set:  floatSetter(func(s *Settings) *float64 { return &s.LinkRadius }, 1, 5000, " m"),
		manifest: func(s *Settings, m map[string]any) {
			m["link_radius_metres"] = s.LinkRadius
		},
	},
	{
		Flag: "max-transfer-walk", Key: "max_transfer_walk", Default: "500", Unit: "metres", Routing: true,
		Help: "longest walk between stops in a transfer, metres (0: same stop only; at most 10000)",
		set:  floatSetter(func(s *Settings) *float64 { return &s.Routing.MaxTransferWalk }, 0, maxTransferWalk, " m"),
		manifest: func(s *Settings, m map[string]any) {
			m["max_transfer_walk_metres"] = s.Routing.MaxTransferWalk
		},
	},
	{
		Flag: "board-slack", Key: "board_slack", Default: "60s", Unit: "duration", Routing: true,
		Help: "least time between reaching a stop and boarding, first boarding included (0–1h)",
		set:  durationSetter(func(s *Settings) *int32 { return &s.Routing.BoardSlack }, 0, maxBoardSlack),
		manifest: func(s *Settings, m map[string]any) {
			m["board_slack_seconds"] = s.Routing.BoardSlack
		},
	},
	{
		Flag: "max-transfers", Key: "max_transfers", Default: "4", Unit: "count", Routing: true,
		Help: "most transfers in a journey (0–20)",
		set: func(s *Settings, v string) (err error) {
			s.Routing.MaxTransfers, err = parseInt(v, 0, maxTransfers)
			return err
		},
		manifest: func(s *Settings, m map[string]any) {
			m["max_transfers"] = s.Routing.MaxTransfers
		},
	},
	{
		Flag: "max-duration", Key: "max_duration", Default: "60m", Unit: "duration", Routing: true,
		Help: "travel time cap: beyond it, unreachable (1s–24h)",
		set:  durationSetter(func(s *Settings) *int32 { return &s.Routing.MaxDuration }, 1, maxDuration),
		manifest: func(s *Settings, m map[string]any) {
			m["max_duration_seconds"] = s.Routing.MaxDuration
		},
	},
	{
		Flag: "route-types", Key: "route_types", Default: "", Unit: "route types", Routing: true, List: true,
		Help: "keep only routes of these GTFS route_type values or ranges, e.g. 3,700-799 (default: all)",
		set: routeFilterSetter(func(f *router.RouteFilter, v string) (err error) {
			f.Types, err = router.ParseTypeRanges(v)
			return err
		}),
		manifest: func(s *Settings, m map[string]any) {
			m["route_types"] = router.FormatTypeRanges(s.routes().Types)
		},
	},
	{
		Flag: "exclude-route-types", Key: "exclude_route_types", Default: "", Unit: "route types", Routing: true, List: true,
		Help: "leave out routes of these GTFS route_type values or ranges, e.g. 712 (school buses)",
		set: routeFilterSetter(func(f *router.RouteFilter, v string) (err error) {
			f.ExcludeTypes, err = router.ParseTypeRanges(v)
			return err
		}),
		manifest: func(s *Settings, m map[string]any) {
			m["exclude_route_types"] = router.FormatTypeRanges(s.routes().ExcludeTypes)
		},
	},
	{
		Flag: "exclude-routes", Key: "exclude_routes", Default: "", Unit: "route ids", Routing: true, List: true,
		Help: "leave out these routes, by route_id (or FEED:route_id)",
		set: routeFilterSetter(func(f *router.RouteFilter, v string) error {
			f.ExcludeRoutes = nil
			for _, id := range strings.Split(v, ",") {
				if id = strings.TrimSpace(id); id != "" {
					f.ExcludeRoutes = append(f.ExcludeRoutes, id)
				}
			}
			if len(f.ExcludeRoutes) > maxExcludedRoutes {
				return fmt.Errorf("%d routes: at most %d", len(f.ExcludeRoutes), maxExcludedRoutes)
			}
			return nil
		}),
		manifest: func(s *Settings, m map[string]any) {
			m["exclude_routes"] = strings.Join(s.routes().ExcludeRoutes, ",")
		},
	},
}

// maxExcludedRoutes bounds the route ids a user may leave out.
const maxExcludedRoutes = 100000

// routes returns the route filter, empty when none is set.
func (s *Settings) routes() *router.RouteFilter {
	if s.Routing.Routes == nil {
		return &router.RouteFilter{}
	}
	return s.Routing.Routes
}

// routeFilterSetter sets one part of the route filter on a copy of it, so
// that settings copied before do not change; a filter that keeps every
// route is left nil.
func routeFilterSetter(set func(f *router.RouteFilter, v string) error) func(*Settings, string) error {
	return func(s *Settings, v string) error {
		f := *s.routes()
		if err := set(&f, v); err != nil {
			return err
		}
		if len(f.Types) == 0 && len(f.ExcludeTypes) == 0 && len(f.ExcludeRoutes) == 0 {
			s.Routing.Routes = nil
			return nil
		}
		s.Routing.Routes = &f
		return nil
	}
}

// durationSetter sets the seconds at field(s) from a duration within
// [min, max] seconds.
func durationSetter(field func(*Settings) *int32, min, max int32) func(*Settings, string) error {
	return func(s *Settings, v string) error {
		d, err := ParseDuration(v, min, max)
		if err != nil {
			return err
		}
		*field(s) = d
		return nil
	}
}

// floatSetter sets the number at field(s) from text within [min, max]
// (unit names the unit in messages).
func floatSetter(field func(*Settings) *float64, min, max float64, unit string) func(*Settings, string) error {
	return func(s *Settings, v string) error {
		x, err := parseFloat(v, min, max, unit)
		if err != nil {
			return err
		}
		*field(s) = x
		return nil
	}
}

// ParamByKey returns the parameter of a config key.
func ParamByKey(key string) (*Param, bool) {
	i := slices.IndexFunc(Parameters, func(p *Param) bool { return p.Key == key })
	if i < 0 {
		return nil, false
	}
	return Parameters[i], true
}

// Manifest writes every parameter's value into m under its manifest
// keys (seconds, metres, m/s: the unit is in the key).
func (s *Settings) Manifest(m map[string]any) {
	for _, p := range Parameters {
		p.manifest(s, m)
	}
}

// Resolve returns the settings from the defaults with values applied in
// order: each maps config keys to text (a config file, then the flags).
func Resolve(values ...map[string]string) (Settings, error) {
	s := DefaultSettings()
	for _, p := range Parameters {
		for _, vs := range values {
			if v, ok := vs[p.Key]; ok {
				if err := p.Set(&s, v); err != nil {
					return s, err
				}
			}
		}
	}
	if err := s.Routing.Validate(); err != nil {
		return s, err
	}
	return s, s.Indicator.Validate()
}

// paramText writes a TOML value as the text a flag would take.
func paramText(p *Param, v any) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case int64:
		return strconv.FormatInt(v, 10), nil
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64), nil
	case []any:
		if p.List {
			parts := make([]string, len(v))
			for i, x := range v {
				t, err := paramText(p, x)
				if err != nil {
					return "", err
				}
				parts[i] = t
			}
			if len(parts) == 0 {
				return "", fmt.Errorf("an empty list: give at least one value")
			}
			return strings.Join(parts, ","), nil
		}
	}
	return "", fmt.Errorf("%v: want %s", v, p.Unit)
}
