package coverage

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
)

// portoAlegreHoursJob is the Porto Alegre run with realistic opening hours
// written on the healthcare rows (the copy of the hexagon file gains an
// opening_hours column): most clinics on weekdays 07:00–19:00, some with a
// lunch break, a few 24/7 or with Saturday mornings.
func portoAlegreHoursJob(tb testing.TB) Job {
	job := portoAlegreJob(tb)
	f, err := os.Open(job.Grid)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	hoursOf := []string{"Mo-Fr 07:00-19:00", "Mo-Fr 07:00-19:00", "Mo-Fr 07:00-19:00",
		"Mo-Fr 08:00-12:00,13:00-17:00", "Mo-Fr 08:00-12:00,13:30-17:30", "24/7", "Mo-Fr 07:00-22:00; Sa 08:00-12:00", "Mo-Fr 13:00-18:00"}
	for i := range rows {
		v := "opening_hours"
		if i > 0 {
			v = hoursOf[i%len(hoursOf)]
		}
		rows[i] = append(rows[i], v)
	}
	path := filepath.Join(tb.TempDir(), "poa_hexgrid_hours.csv")
	out, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := csv.NewWriter(out)
	w.WriteAll(rows)
	if err := out.Close(); err != nil {
		tb.Fatal(err)
	}
	job.Services[0] = "healthcare=" + path + "#healthcare@opening_hours"
	return job
}

// BenchmarkRunHours compares the Porto Alegre run with and without opening
// hours on healthcare points: with the forward engine (the cost of the
// time-dependent egress alone) and with the profile engine (whose
// nearest-site search is seeded with the points' windows:
// SearchNearestOpen); and the impact (measure 16) with and without hours.
func BenchmarkRunHours(b *testing.B) {
	for _, c := range []struct {
		name   string
		engine string
		job    func(testing.TB) Job
		impact bool
	}{
		{"forward/no-hours", EngineForward, portoAlegreJob, false},
		{"forward/hours", EngineForward, portoAlegreHoursJob, false},
		{"profile/no-hours", EngineProfile, portoAlegreJob, false},
		{"profile/hours", EngineProfile, portoAlegreHoursJob, false},
		// The impact (the top-two search, with hours seeded with the
		// points' windows).
		{"impact/profile/no-hours", EngineProfile, portoAlegreJob, true},
		{"impact/profile/hours", EngineProfile, portoAlegreHoursJob, true},
		{"impact/forward/hours", EngineForward, portoAlegreHoursJob, true},
	} {
		b.Run(c.name, func(b *testing.B) {
			job := c.job(b)
			job.Indicator.Engine = c.engine
			job.Impact = c.impact
			job.Out = b.TempDir()
			b.ReportAllocs()
			var rep *Report
			for b.Loop() {
				var err error
				if rep, err = Run(context.Background(), job, Hooks{}); err != nil {
					b.Fatal(err)
				}
			}
			for _, t := range rep.Manifest.Timings {
				if t.Stage == "route" || t.Stage == "routing" || t.Stage == "analyze" {
					b.ReportMetric(t.Seconds, t.Stage+"_s")
				}
			}
		})
	}
}
