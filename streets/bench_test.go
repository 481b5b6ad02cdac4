package streets

import (
	"context"
	"math/rand/v2"
	"os"
	"runtime"
	"testing"
)

// BenchmarkLoad measures building the graph from the real extracts, per MB
// of .pbf and per million nodes read.
func BenchmarkLoad(b *testing.B) {
	for _, c := range []struct{ name, path string }{
		{"poa", "porto-alegre/poa_osm.pbf"},
		{"spo", "sao-paulo/spo_osm.pbf"},
	} {
		b.Run(c.name, func(b *testing.B) {
			p := realData(b, c.path)
			fi, err := os.Stat(p)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			var st Stats
			for b.Loop() {
				g, err := Load(context.Background(), p, Options{})
				if err != nil {
					b.Fatal(err)
				}
				st = g.Stats()
			}
			sec := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(sec/(float64(fi.Size())/1e6), "s/MB")
			b.ReportMetric(sec/(float64(st.Nodes)/1e6), "s/Mnode")
			b.ReportMetric(float64(st.GraphBytes)/float64(st.Vertices), "B/vertex")
			b.ReportMetric(float64(st.GraphBytes)/float64(st.Edges), "B/edge")
		})
	}
}

// BenchmarkLoadMemory reports the heap held by a loaded graph and the peak
// allocations of one load (from runtime.MemStats).
func BenchmarkLoadMemory(b *testing.B) {
	p := realData(b, "porto-alegre/poa_osm.pbf")
	var before, after runtime.MemStats
	for b.Loop() {
		runtime.GC()
		runtime.ReadMemStats(&before)
		g, err := Load(context.Background(), p, Options{})
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		st := g.Stats()
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(st.Vertices), "heapB/vertex")
		b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(st.Nodes), "allocB/node")
		runtime.KeepAlive(g)
	}
}

// BenchmarkAccessSearch measures one access search from a random hexagon
// centre of Porto Alegre, bounded at 15 min at 1.3 m/s (1,170 m), then the
// walk to 50 other linked centres.
func BenchmarkAccessSearch(b *testing.B) {
	g, err := Load(context.Background(), realData(b, "porto-alegre/poa_osm.pbf"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	var links []Link
	for _, p := range hexCentres(b, realData(b, "porto-alegre/poa_hexgrid.csv")) {
		if l, ok := g.Link(p.Lat, p.Lon, 0); ok {
			links = append(links, l)
		}
	}
	s := g.NewSearch()
	rng := rand.New(rand.NewPCG(1, 2))
	settled := 0
	b.ReportAllocs()
	for b.Loop() {
		s.FromLinks(links[rng.IntN(len(links)):][:1], nil, 1170)
		settled += len(s.Reached())
		for j := range 50 {
			_ = s.To(links[j])
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "searches/s")
	b.ReportMetric(float64(settled)/float64(b.N), "vertices/search")
}

// BenchmarkCategorySearch measures one multi-source search from every
// healthcare-like point (here: 141 hexagon centres) bounded at 60 min, and
// To for every linked centre: the per-category egress/walk-only pattern.
func BenchmarkCategorySearch(b *testing.B) {
	g, err := Load(context.Background(), realData(b, "porto-alegre/poa_osm.pbf"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	var links []Link
	for _, p := range hexCentres(b, realData(b, "porto-alegre/poa_hexgrid.csv")) {
		if l, ok := g.Link(p.Lat, p.Lon, 0); ok {
			links = append(links, l)
		}
	}
	src := links[:141]
	s := g.NewSearch()
	b.ReportAllocs()
	for b.Loop() {
		s.FromLinks(src, nil, 60*60*1.3)
		for _, l := range links {
			_ = s.To(l)
		}
	}
}

// BenchmarkLink measures linking a hexagon centre through the grid: to its
// nearest street (Link), and also to the other side (LinkAll).
func BenchmarkLink(b *testing.B) {
	g, err := Load(context.Background(), realData(b, "porto-alegre/poa_osm.pbf"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	pts := hexCentres(b, realData(b, "porto-alegre/poa_hexgrid.csv"))
	for _, c := range []struct {
		name string
		link func(lat, lon float64)
	}{
		{"nearest", func(lat, lon float64) { g.Link(lat, lon, 0) }},
		{"all", func(lat, lon float64) { g.LinkAll(lat, lon, 0) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				p := pts[i%len(pts)]
				c.link(p.Lat, p.Lon)
				i++
			}
		})
	}
}
