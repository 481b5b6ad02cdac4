package streets

import (
	"context"
	"fmt"
	"math"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/paulmach/osm"
	"github.com/paulmach/osm/osmpbf"
	"github.com/vingt/vingt/gtfs"
)

func TestZZDiag(t *testing.T) {
	for _, c := range [][2]string{{"porto-alegre/poa_eptc.zip", "porto-alegre/poa_osm.pbf"}, {"sao-paulo/spo.zip", "sao-paulo/spo_osm.pbf"}} {
		f, _ := gtfs.Open(realData(t, c[0]))
		var pts []Point
		for _, s := range f.Stops {
			if s.HasCoords {
				pts = append(pts, Point{s.Lat, s.Lon})
			}
		}
		g, _ := Load(context.Background(), realData(t, c[1]), Options{Keep: pts})
		links := make([]Link, len(pts))
		linked := make([]bool, len(pts))
		for i, p := range pts {
			links[i], linked[i] = g.Link(p.Lat, p.Lon, 0)
		}
		type pair struct{ a, b int; d, w float64 }
		var bad []pair
		s := g.NewSearch()
		offBig := 0
		for i := range pts {
			if !linked[i] { continue }
			type nb struct{ j int; d float64 }
			var near []nb
			for j := range pts {
				if j == i || !linked[j] { continue }
				d := gtfs.Distance(pts[i].Lat, pts[i].Lon, pts[j].Lat, pts[j].Lon)
				if len(near) < 5 || d < near[4].d {
					near = append(near, nb{j, d})
					slices.SortFunc(near, func(a, b nb) int { return cmpF(a.d, b.d) })
					near = near[:min(5, len(near))]
				}
			}
			s.FromLinks(links[i:i+1], nil, float32(3*near[len(near)-1].d)+1)
			for _, n := range near {
				if n.d < 1 { continue }
				w := float64(s.To(links[n.j]))
				if w > 3*n.d {
					bad = append(bad, pair{i, n.j, n.d, w})
					if links[i].Off > 100 || links[n.j].Off > 100 { offBig++ }
				}
			}
		}
		t.Logf("%s: %d bad pairs, %d with a link > 100 m", c[0], len(bad), offBig)
		// ways near the bad pairs' segments
		fh, _ := os.Open(realData(t, c[1]))
		sc := osmpbf.New(context.Background(), fh, 2)
		nodes := map[osm.NodeID][2]float64{}
		var ways []*osm.Way
		for sc.Scan() {
			switch o := sc.Object().(type) {
			case *osm.Node:
				nodes[o.ID] = [2]float64{o.Lat, o.Lon}
			case *osm.Way:
				ways = append(ways, o)
			}
		}
		fh.Close()
		count := map[string]int{}
		for _, w := range ways {
			if Walkable(w.Tags) { continue }
			key := []string{}
			for _, tg := range w.Tags {
				switch tg.Key {
				case "highway", "railway", "public_transport", "footway", "access", "foot", "area", "amenity", "landuse", "building", "man_made", "place", "leisure", "barrier", "bridge", "waterway", "natural":
					key = append(key, tg.Key+"="+tg.Value)
				}
			}
			sort.Strings(key)
			hits := 0
			for _, p := range bad {
				a, b := pts[p.a], pts[p.b]
				for _, n := range w.Nodes {
					q, ok := nodes[n.ID]
					if !ok { continue }
					// distance to segment (equirectangular)
					kx := math.Cos(a.Lat*math.Pi/180) * degM
					ax, ay := (a.Lon-q[1])*kx, (a.Lat-q[0])*degM
					bx, by := (b.Lon-q[1])*kx, (b.Lat-q[0])*degM
					_, d2 := project(ax, ay, bx, by)
					if d2 < 30*30 { hits++; break }
				}
			}
			if hits > 0 { count[strings.Join(key, ",")] += hits
				if (w.Tags.Find("access") == "no" && w.Tags.Find("highway") == "service") || len(key) == 0 { fmt.Println("TAGS", w.ID, w.Tags) }
			}
		}
		type kv struct{ k string; n int }
		var kvs []kv
		for k, n := range count { kvs = append(kvs, kv{k, n}) }
		slices.SortFunc(kvs, func(a, b kv) int { return b.n - a.n })
		for _, x := range kvs[:min(40, len(kvs))] { t.Logf("%5d %s", x.n, x.k) }
		for _, p := range bad[:min(15, len(bad))] {
			fmt.Printf("%.6f,%.6f -> %.6f,%.6f straight %.0f street %.0f off %.0f %.0f\n", pts[p.a].Lat, pts[p.a].Lon, pts[p.b].Lat, pts[p.b].Lon, p.d, p.w, links[p.a].Off, links[p.b].Off)
		}
	}
}
