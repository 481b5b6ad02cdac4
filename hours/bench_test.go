package hours

import (
	"testing"
	"time"
)

// BenchmarkArrive measures one Arrive on the windows of a desk with two
// spans a day (about 12 pairs): a binary search, no allocation.
func BenchmarkArrive(b *testing.B) {
	s := mustParse(b, "Mo-Fr 08:30-12:00,13:30-17:00; Sa 09:00-12:00")
	w := s.Windows(Date{2026, time.January, 13}, 900, nil)
	b.ReportAllocs()
	b.ResetTimer()
	var sink int32
	t := SpanStart
	for i := 0; i < b.N; i++ {
		a, _ := w.Arrive(t)
		sink += a
		t += 997
		if t >= SpanEnd {
			t = SpanStart
		}
	}
	_ = sink
}

// BenchmarkWindows measures building the windows of one point for a date.
func BenchmarkWindows(b *testing.B) {
	s := mustParse(b, "Mo 14:00-19:00, Tu-Fr 09:00-12:15 / 14:15-19:00, We 09:00-12:15 / 14:15-19:15, Sa 09:00-12:00; PH off")
	d := Date{2026, time.January, 13}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = s.Windows(d, 900, nil)
	}
}

// BenchmarkParse measures parsing a typical pharmacy value.
func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_, _ = Parse("Mo 09:00-12:30 / 14:00-19:30, Tu-Fr 08:30-12:30 / 14:00-19:30, Sa 09:00-12:30 / 14:00-17:00")
	}
}

func TestArriveAllocs(t *testing.T) {
	w := mustParse(t, "Mo-Fr 08:30-12:00,13:30-17:00").Windows(Date{2026, time.January, 13}, 900, nil)
	if n := testing.AllocsPerRun(100, func() { w.Arrive(40000) }); n != 0 {
		t.Errorf("Arrive allocates %v times", n)
	}
}
