package gtfs

import (
	"archive/zip"
	"os"
	"runtime"
	"testing"

	"github.com/vingt/vingt/internal/testutil"
)

// BenchmarkLoad reads the largest real feeds; MB/s (of uncompressed
// text), stop_times/s and the bytes kept per stop time are reported beside
// ns/op.
func BenchmarkLoad(b *testing.B) {
	for _, c := range []struct{ name, path string }{
		{"seattle", "gtfs-fixtures/partridge/seattle-area-2017-11-16"},
		{"poa-eptc", "porto-alegre/poa_eptc.zip"},
		{"peribus", "perigueux/peribus-gtfs.zip"},
	} {
		b.Run(c.name, func(b *testing.B) {
			p := testutil.SharedData(b, c.path)
			b.ReportAllocs()
			b.SetBytes(feedBytes(b, p))
			var f *Feed
			var err error
			for b.Loop() {
				if f, err = Open(p); err != nil {
					b.Fatal(err)
				}
			}
			n := f.StopTimes.Len()
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "stop_times/s")
			b.ReportMetric(float64(residentBytes(p))/float64(n), "B/stop_time")
		})
	}
}

// residentBytes measures the heap a loaded feed keeps.
func residentBytes(p string) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f, _ := Open(p)
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(f)
	return after.HeapAlloc - before.HeapAlloc
}

// feedBytes returns the uncompressed size of the feed's files.
func feedBytes(b *testing.B, p string) int64 {
	var n int64
	if zr, err := zip.OpenReader(p); err == nil {
		defer zr.Close()
		for _, f := range zr.File {
			n += int64(f.UncompressedSize64)
		}
		return n
	}
	entries, err := os.ReadDir(p)
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range entries {
		if info, err := e.Info(); err == nil && !e.IsDir() {
			n += info.Size()
		}
	}
	return n
}
