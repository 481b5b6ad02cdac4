package report

import (
	"context"
	"io"
	"os"
	"testing"
)

type counter struct{ n int64 }

func (c *counter) Write(b []byte) (int, error) { c.n += int64(len(b)); return len(b), nil }

var _ io.Writer = (*counter)(nil)

// BenchmarkWrite times the report of the run folder named by
// VINGT_REPORT_BENCH_DIR (say, the Dordogne command's output) and reports
// its size; without it, the hand-made fixture.
func BenchmarkWrite(b *testing.B) {
	dir := os.Getenv("VINGT_REPORT_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
		f := newFixture()
		if err := f.writeTo(dir); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	var c counter
	for b.Loop() {
		c = counter{}
		if err := Write(context.Background(), dir, &c, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(c.n), "bytes/report")
}
