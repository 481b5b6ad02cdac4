package gtfs

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
)

// Limits on what a feed may make the process hold. Each is derived from
// the memory the process may use (the machine's, or less under a cgroup
// limit or GOMEMLIMIT) and can be set with an environment variable; a
// feed past one is refused with a message naming the limit and the way to
// raise it.
const (
	// EnvMaxInflated sets the most bytes a zipped feed may inflate to
	// (all its files together). Default: ¼ of the memory, at most 8 GiB.
	EnvMaxInflated = "VINGT_MAX_INFLATED"
	// EnvMaxStopEvents sets the most stop events (stop times, frequency
	// runs expanded) a feed may hold. Default: ¼ of the memory divided
	// by BytesPerStopEvent.
	EnvMaxStopEvents = "VINGT_MAX_STOP_EVENTS"
)

// MaxUncompressed is the hard cap on what a zipped feed may inflate to,
// whatever the memory.
const MaxUncompressed int64 = 8 << 30

// BytesPerStopEvent is what one stop event costs, read and compiled into
// a timetable: the bound on stop events is the memory budget divided by it.
const BytesPerStopEvent = 64

// deflateRatio is the most one deflated byte can inflate to: a zip
// header claiming more lies, and is not trusted to size buffers.
const deflateRatio = 1032

// memory returns the memory the process may use, in bytes, and where that
// figure comes from: the least of the machine's memory (/proc/meminfo), a
// cgroup limit and GOMEMLIMIT.
var memory = sync.OnceValues(func() (int64, string) {
	mem, from := int64(0), ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		s := bufio.NewScanner(bytes.NewReader(b))
		for s.Scan() {
			if f := strings.Fields(s.Text()); len(f) >= 2 && f[0] == "MemTotal:" {
				if kb, err := strconv.ParseInt(f[1], 10, 64); err == nil {
					mem, from = kb<<10, "this machine's memory"
				}
			}
		}
	}
	for _, p := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		if b, err := os.ReadFile(p); err == nil {
			if v, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && v > 0 && (mem == 0 || v < mem) {
				mem, from = v, "the cgroup memory limit"
			}
		}
	}
	if v := debug.SetMemoryLimit(-1); v > 0 && v < 1<<62 && (mem == 0 || v < mem) {
		mem, from = v, "GOMEMLIMIT"
	}
	if mem == 0 {
		mem, from = 4<<30, "4 GiB (the memory could not be read)"
	}
	return mem, from
})

// Memory returns the memory the process may use, in bytes, and where
// that figure comes from: the least of the machine's memory, a cgroup
// limit and GOMEMLIMIT. Limits on inputs are derived from it.
func Memory() (int64, string) { return memory() }

// EnvLimit returns the value of a limit: env when set (a number of bytes
// or events, with an optional K, M, G, Ki, Mi or Gi suffix), else def,
// and how it was set, for messages (defWhy for the default).
func EnvLimit(env string, def int64, defWhy string) (int64, string, error) {
	v, ok := os.LookupEnv(env)
	if !ok || v == "" {
		return def, defWhy, nil
	}
	n, err := parseSize(v)
	if err != nil || n <= 0 {
		return 0, "", fmt.Errorf("%s %q: want a positive number, such as 4Gi or 200M", env, v)
	}
	return n, "set by " + env, nil
}

// limit is EnvLimit, its error prefixed by the package.
func limit(env string, def int64, defWhy string) (int64, string, error) {
	n, why, err := EnvLimit(env, def, defWhy)
	if err != nil {
		return 0, "", fmt.Errorf("gtfs: %w", err)
	}
	return n, why, nil
}

// parseSize parses a positive integer with an optional decimal (K, M, G)
// or binary (Ki, Mi, Gi) suffix, a trailing B allowed.
func parseSize(s string) (int64, error) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "B")
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"Ki", 1 << 10}, {"Mi", 1 << 20}, {"Gi", 1 << 30}, {"K", 1e3}, {"M", 1e6}, {"G", 1e9}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("not a size")
	}
	return n * mult, nil
}

// inflatedLimit is the most bytes a zipped feed may inflate to.
func inflatedLimit() (int64, string, error) {
	mem, from := memory()
	return limit(EnvMaxInflated, min(mem/4, MaxUncompressed), "¼ of "+from+", at most 8 GiB")
}

// stopEventLimit is the most stop events a feed may hold once its
// frequencies are expanded.
func stopEventLimit() (int64, string, error) {
	mem, from := memory()
	return limit(EnvMaxStopEvents, mem/4/BytesPerStopEvent, fmt.Sprintf("¼ of %s / %d bytes", from, BytesPerStopEvent))
}

// LimitError is a feed refused for going past one of the limits.
type LimitError struct {
	Feed string
	// What went past the limit, such as "the zip inflates to".
	What  string
	Limit int64
	Unit  string // "bytes" or "stop events"
	// Why says how the limit was set; Env is the variable that raises it.
	Why, Env string
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("gtfs: %s: %s more than %d %s (the limit, %s): refused; if the feed is genuine, raise it with %s=N",
		e.Feed, e.What, e.Limit, e.Unit, e.Why, e.Env)
}
