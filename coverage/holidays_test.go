package coverage

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vingt/vingt/gtfs"
	"github.com/vingt/vingt/hours"
	"github.com/vingt/vingt/router"
)

// TestSchoolHolidays checks --school-holidays: a point closed on school
// holidays ("SH off") serves nobody on a date of the calendar, with both
// engines, and serves as usual without the calendar or on a date outside
// it; a calendar that cannot be read is an error naming the file.
func TestSchoolHolidays(t *testing.T) {
	date, _ := gtfs.ParseDate("2026-01-13")
	rng := rand.New(rand.NewPCG(3, 17))
	f := smallFeed(t, rng)
	tt, err := router.Compile([]*gtfs.Feed{f}, date, router.DefaultParams())
	if err != nil {
		t.Fatal(err)
	}
	sched, err := hours.Parse("Mo-Su 06:00-20:00; SH off")
	if err != nil {
		t.Fatal(err)
	}
	var cells []Cell
	for range 8 {
		cells = append(cells, Cell{Lon: 0.7 + rng.Float64()*0.02, Lat: 45 + rng.Float64()*0.02, Population: 1})
	}
	cat := &Category{Name: "desk", Points: []Point{{ID: "d", Lon: 0.71, Lat: 45.01, Hours: &sched}}}
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	during, err := readSchoolHolidays(write("during.csv", "start,end\n2026-01-10,2026-01-18\n"))
	if err != nil {
		t.Fatal(err)
	}
	outside, err := readSchoolHolidays(write("outside.csv", "2026-02-07,2026-02-22\n"))
	if err != nil {
		t.Fatal(err)
	}
	reached := func(cal *hours.Calendar, engine string) int {
		p := DefaultParams()
		p.Date, p.Holidays, p.Engine = HoursDate(date), cal, engine
		a := &analysis{tt: tt, rp: tt.Params(), p: p, cells: cells, cats: []*Category{cat}, minutes: p.Minutes()}
		n := 0
		a.minuteHook = func(_ int, v [][]int32) {
			for _, x := range v[0] {
				if x != router.Unreached {
					n++
				}
			}
		}
		if _, err := a.run(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, engine := range []string{EngineForward, EngineProfile} {
		none, in, out := reached(nil, engine), reached(during, engine), reached(outside, engine)
		if none == 0 || in != 0 || out != none {
			t.Errorf("%s: departures reaching the desk: %d without a calendar, %d in the holidays (want 0), %d outside them (want %d)", engine, none, in, out, none)
		}
	}
	bad := write("bad.csv", "2026-01-10;2026-01-18\n")
	if _, err := readSchoolHolidays(bad); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("bad calendar: error %v, want one naming %s", err, bad)
	}
}
