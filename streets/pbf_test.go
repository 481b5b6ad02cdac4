package streets

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/vingt/vingt/gtfs"
)

// This file writes small synthetic .osm.pbf files (OSMHeader, then blocks
// of DenseNodes, then blocks of ways, zlib-compressed) so that the PBF path
// can be tested and benchmarked beyond the sizes of the real extracts.

type pbfNode struct {
	id       int64
	lat, lon float64
}

type pbfWay struct {
	id   int64
	refs []int64
	tags [][2]string
}

func pvarint(b []byte, v uint64) []byte { return binary.AppendUvarint(b, v) }
func pkey(b []byte, field, wire int) []byte {
	return pvarint(b, uint64(field)<<3|uint64(wire))
}
func pbytes(b []byte, field int, data []byte) []byte {
	b = pkey(b, field, 2)
	b = pvarint(b, uint64(len(data)))
	return append(b, data...)
}
func puint(b []byte, field int, v uint64) []byte { return pvarint(pkey(b, field, 0), v) }
func zigzag(v int64) uint64                      { return uint64(v<<1) ^ uint64(v>>63) }

// writeBlock appends one file block of the given type holding data.
func writeBlock(w io.Writer, typ string, data []byte) error {
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(data)
	zw.Close()
	blob := puint(nil, 2, uint64(len(data)))
	blob = pbytes(blob, 3, z.Bytes())
	head := pbytes(nil, 1, []byte(typ))
	head = puint(head, 3, uint64(len(blob)))
	var size [4]byte
	binary.BigEndian.PutUint32(size[:], uint32(len(head)))
	for _, p := range [][]byte{size[:], head, blob} {
		if _, err := w.Write(p); err != nil {
			return err
		}
	}
	return nil
}

// writePBF writes nodes (sorted by id) and ways as an .osm.pbf file.
func writePBF(path string, nodes []pbfNode, ways []pbfWay) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	hb := pbytes(nil, 4, []byte("OsmSchema-V0.6"))
	hb = pbytes(hb, 4, []byte("DenseNodes"))
	hb = pbytes(hb, 16, []byte("vingt streets test"))
	if err := writeBlock(f, "OSMHeader", hb); err != nil {
		return err
	}
	const per = 8000
	for i := 0; i < len(nodes); i += per {
		part := nodes[i:min(i+per, len(nodes))]
		var ids, lats, lons []byte
		var pid, plat, plon int64
		for _, n := range part {
			lat, lon := int64(math.Round(n.lat*1e7)), int64(math.Round(n.lon*1e7))
			ids = pvarint(ids, zigzag(n.id-pid))
			lats = pvarint(lats, zigzag(lat-plat))
			lons = pvarint(lons, zigzag(lon-plon))
			pid, plat, plon = n.id, lat, lon
		}
		dense := pbytes(nil, 1, ids)
		dense = pbytes(dense, 8, lats)
		dense = pbytes(dense, 9, lons)
		group := pbytes(nil, 2, dense)
		block := pbytes(nil, 1, pbytes(nil, 1, nil)) // string table: [""]
		block = pbytes(block, 2, group)
		if err := writeBlock(f, "OSMData", block); err != nil {
			return err
		}
	}
	for i := 0; i < len(ways); i += per {
		part := ways[i:min(i+per, len(ways))]
		strs := []string{""}
		index := map[string]int{"": 0}
		str := func(s string) uint64 {
			k, ok := index[s]
			if !ok {
				k = len(strs)
				index[s] = k
				strs = append(strs, s)
			}
			return uint64(k)
		}
		var group []byte
		for _, w := range part {
			var keys, vals, refs []byte
			for _, kv := range w.tags {
				keys = pvarint(keys, str(kv[0]))
				vals = pvarint(vals, str(kv[1]))
			}
			var prev int64
			for _, r := range w.refs {
				refs = pvarint(refs, zigzag(r-prev))
				prev = r
			}
			way := puint(nil, 1, uint64(w.id))
			way = pbytes(way, 2, keys)
			way = pbytes(way, 3, vals)
			way = pbytes(way, 8, refs)
			group = pbytes(group, 3, way)
		}
		var st []byte
		for _, s := range strs {
			st = pbytes(st, 1, []byte(s))
		}
		block := pbytes(nil, 1, st)
		block = pbytes(block, 2, group)
		if err := writeBlock(f, "OSMData", block); err != nil {
			return err
		}
	}
	return f.Close()
}

// lattice is a synthetic town at 45° N: rows × cols nodes 0.0001° apart;
// every 5th row and column is a residential street (ways of at most 40
// segments), and each block's interior ring is a building. With rows-1 and
// cols-1 multiples of 40, the streets' junctions are the only vertices.
func lattice(rows, cols int, streets bool) ([]pbfNode, []pbfWay) {
	id := func(r, c int) int64 { return int64(r*cols+c) + 1 }
	var nodes []pbfNode
	for r := range rows {
		for c := range cols {
			nodes = append(nodes, pbfNode{id(r, c), 45 + float64(r)*1e-4, 2 + float64(c)*1e-4})
		}
	}
	var ways []pbfWay
	wid := int64(1)
	add := func(refs []int64, tags ...[2]string) {
		ways = append(ways, pbfWay{wid, refs, tags})
		wid++
	}
	street := [2]string{"highway", "residential"}
	if !streets {
		street = [2]string{"highway", "motorway"}
	}
	for r := 0; r < rows; r += 5 {
		for c0 := 0; c0+1 < cols; c0 += 40 {
			var refs []int64
			for c := c0; c <= min(c0+40, cols-1); c++ {
				refs = append(refs, id(r, c))
			}
			add(refs, street, [2]string{"name", "Row"})
		}
	}
	for c := 0; c < cols; c += 5 {
		for r0 := 0; r0+1 < rows; r0 += 40 {
			var refs []int64
			for r := r0; r <= min(r0+40, rows-1); r++ {
				refs = append(refs, id(r, c))
			}
			add(refs, street)
		}
	}
	for r := 0; r+5 < rows; r += 5 {
		for c := 0; c+5 < cols; c += 5 {
			ring := []int64{id(r+1, c+1), id(r+1, c+2), id(r+1, c+3), id(r+1, c+4), id(r+2, c+4), id(r+3, c+4),
				id(r+4, c+4), id(r+4, c+3), id(r+4, c+2), id(r+4, c+1), id(r+3, c+1), id(r+2, c+1), id(r+1, c+1)}
			add(ring, [2]string{"building", "yes"})
		}
	}
	return nodes, ways
}

// TestSyntheticPBF loads a synthetic town written as PBF: counts, and the
// walk between two opposite corners along the streets.
func TestSyntheticPBF(t *testing.T) {
	const rows, cols = 81, 121
	nodes, ways := lattice(rows, cols, true)
	p := filepath.Join(t.TempDir(), "town.osm.pbf")
	if err := writePBF(p, nodes, ways); err != nil {
		t.Fatal(err)
	}
	g, err := Load(context.Background(), p, Options{Procs: 2})
	if err != nil {
		t.Fatal(err)
	}
	st := g.Stats()
	sr, sc := (rows-1)/5+1, (cols-1)/5+1
	want := Stats{Nodes: rows * cols, NodesUsed: int64(sr*cols + sc*rows - sr*sc),
		Ways: int64(len(ways)), WaysKept: int64(sr*((cols-1)/40) + sc*((rows-1)/40)),
		Vertices: sr * sc, Edges: sr*(sc-1) + sc*(sr-1), Components: 1}
	want.ShapePoints = int64(want.Edges * 6)
	got := st
	got.Path, got.SHA256, got.FileBytes, got.GraphBytes = "", "", 0, 0
	if got != want {
		t.Errorf("stats\n got %+v\nwant %+v", got, want)
	}
	a, _ := g.Link(45, 2, 0)
	b, _ := g.Link(45+float64(rows-1)*1e-4, 2+float64(cols-1)*1e-4, 0)
	s := g.NewSearch()
	s.FromLinks([]Link{a}, nil, 1e6)
	// north along the meridian at 2° E, then east along the parallel at the
	// top row (any staircase of the grid is as long, up to the parallels'
	// slightly different lengths: the search takes the shortest).
	north := float64(rows-1) * 1e-4 * degM
	east := gtfs.Distance(45+float64(rows-1)*1e-4, 2, 45+float64(rows-1)*1e-4, 2+float64(cols-1)*1e-4)
	if d := float64(s.To(b)); math.Abs(d-(north+east)) > 0.05 {
		t.Errorf("corner to corner %.3f m, want %.3f m", d, north+east)
	}

	// the same town with motorways only: no walkable way
	nodes, ways = lattice(rows, cols, false)
	p = filepath.Join(t.TempDir(), "motorways.osm.pbf")
	if err := writePBF(p, nodes, ways); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(context.Background(), p, Options{}); err == nil || !strings.Contains(err.Error(), "no walkable way") || !strings.Contains(err.Error(), p) {
		t.Errorf("motorways only: %v", err)
	}
}

// BenchmarkLoadTown measures the PBF path on a synthetic town of 2 million
// nodes (a quarter of them on streets), where the scanners' fixed costs
// (two 32 MiB buffers) no longer dominate.
func BenchmarkLoadTown(b *testing.B) {
	nodes, ways := lattice(1001, 2001, true)
	p := filepath.Join(b.TempDir(), "town.osm.pbf")
	if err := writePBF(p, nodes, ways); err != nil {
		b.Fatal(err)
	}
	fi, _ := os.Stat(p)
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
	b.ReportMetric(float64(fi.Size())/1e6, "MB")
}

// TestLoadExternal loads the extract named by $STREETS_PBF (skipped when
// unset) and logs its Stats, the load time and the process's peak resident
// memory: the way to measure a national extract. $STREETS_WRITE_TOWN=R,C
// first writes a synthetic town of R×C nodes to that path.
// $STREETS_BOUNDS=minLat,minLon,maxLat,maxLon clips it (box first;
// $STREETS_WAYS_FIRST=1 reads the ways first, as before).
func TestLoadExternal(t *testing.T) {
	p := os.Getenv("STREETS_PBF")
	if p == "" {
		t.Skip("$STREETS_PBF not set")
	}
	if town := os.Getenv("STREETS_WRITE_TOWN"); town != "" {
		var r, c int
		if _, err := fmt.Sscanf(town, "%d,%d", &r, &c); err != nil {
			t.Fatal(err)
		}
		nodes, ways := lattice(r, c, true)
		if err := writePBF(p, nodes, ways); err != nil {
			t.Fatal(err)
		}
		return
	}
	var opt Options
	if b := os.Getenv("STREETS_BOUNDS"); b != "" { // minLat,minLon,maxLat,maxLon
		if _, err := fmt.Sscanf(b, "%g,%g,%g,%g", &opt.Bounds.Min.Lat, &opt.Bounds.Min.Lon, &opt.Bounds.Max.Lat, &opt.Bounds.Max.Lon); err != nil {
			t.Fatal(err)
		}
		opt.waysFirst = os.Getenv("STREETS_WAYS_FIRST") != ""
	}
	if os.Getenv("STREETS_TRACE") != "" {
		// the heap at each phase boundary, and what is live there above
		// the heap before the load (a GC first: slower)
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		base := m.HeapAlloc
		tracePhase = func(name string) {
			runtime.ReadMemStats(&m)
			before := m.HeapAlloc
			runtime.GC()
			runtime.ReadMemStats(&m)
			t.Logf("phase %-12s heap %8.3f MB, live %8.3f MB", name, float64(before)/1e6, (float64(m.HeapAlloc)-float64(base))/1e6)
		}
		defer func() { tracePhase = nil }()
	}
	t0 := time.Now()
	g, err := Load(context.Background(), p, opt)
	if err != nil {
		t.Fatal(err)
	}
	el := time.Since(t0)
	status, _ := os.ReadFile("/proc/self/status")
	var hwm string
	for _, l := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(l, "VmHWM") {
			hwm = strings.Join(strings.Fields(l)[1:], " ")
		}
	}
	st := g.Stats()
	t.Logf("%s: %v, peak RSS %s, graph %d bytes (%.0f B/vertex, %.0f B/edge); %+v",
		p, el, hwm, st.GraphBytes, float64(st.GraphBytes)/float64(st.Vertices), float64(st.GraphBytes)/float64(st.Edges), st)
}

// TestClippedPBF loads a synthetic town with Bounds cutting through its
// streets, by the box-first path (nodes inside the box, then the runs of
// ways inside it) and by the ways-first path of an unclipped load: the same
// graph, the same walks.
func TestClippedPBF(t *testing.T) {
	const rows, cols = 81, 121
	nodes, ways := lattice(rows, cols, true)
	p := filepath.Join(t.TempDir(), "town.osm.pbf")
	if err := writePBF(p, nodes, ways); err != nil {
		t.Fatal(err)
	}
	// rows 12…63 and columns 17…98 of the lattice (0.0001° apart from 45, 2)
	box := Bounds{Point{45 + 12.5e-4, 2 + 17.5e-4}, Point{45 + 63.5e-4, 2 + 98.5e-4}}
	first, err := Load(context.Background(), p, Options{Procs: 2, Bounds: box})
	if err != nil {
		t.Fatal(err)
	}
	oracle, err := Load(context.Background(), p, Options{Procs: 2, Bounds: box, waysFirst: true})
	if err != nil {
		t.Fatal(err)
	}
	fs, os := first.Stats(), oracle.Stats()
	if fs.Vertices != os.Vertices || fs.Edges != os.Edges || fs.ShapePoints != os.ShapePoints ||
		fs.Components != os.Components || fs.MissingNodes != os.MissingNodes || fs.Nodes != os.Nodes || fs.WaysKept != os.WaysKept {
		t.Errorf("box first %+v\nways first %+v", fs, os)
	}
	// box first counts every node of the file outside the box, ways first
	// only those of walkable ways
	outside := int64(0)
	for _, n := range nodes {
		if !box.contains(n.lat, n.lon) {
			outside++
		}
	}
	if fs.Vertices == 0 || fs.NodesOutside != outside || os.NodesOutside >= outside {
		t.Errorf("box first: %d vertices, %d nodes outside (want %d; ways first %d)", fs.Vertices, fs.NodesOutside, outside, os.NodesOutside)
	}
	sf, so := first.NewSearch(), oracle.NewSearch()
	for _, q := range [][4]float64{{45.0013, 2.0018, 45.0063, 2.0098}, {45.0030, 2.0050, 45.0020, 2.0090}, {45.0013, 2.0098, 45.0063, 2.0018}} {
		af, _ := first.LinkAll(q[0], q[1], 0)
		bf, _ := first.LinkAll(q[2], q[3], 0)
		ao, _ := oracle.LinkAll(q[0], q[1], 0)
		bo, _ := oracle.LinkAll(q[2], q[3], 0)
		df, do := sf.Between(af, bf, 1e6), so.Between(ao, bo, 1e6)
		if df != do || df == Inf {
			t.Errorf("%v: box first %g m, ways first %g m", q, df, do)
		}
	}
}

// TestClippedPBFReenters: a way that leaves the box and comes back is split
// there, not joined across the gap: A(0, 0)–X(0.001, 0.01)–B(0.002, 0) with
// X north of the box, plus C–A and B–D inside, gives two components of one
// edge each, whichever path reads it.
func TestClippedPBFReenters(t *testing.T) {
	nodes := []pbfNode{{1, 0, 0}, {2, 0.01, 0.001}, {3, 0, 0.002}, {4, 0, -0.001}, {5, 0, 0.003}}
	hw := [][2]string{{"highway", "residential"}}
	ways := []pbfWay{{10, []int64{1, 2, 3}, hw}, {11, []int64{4, 1}, hw}, {12, []int64{3, 5}, hw}}
	p := filepath.Join(t.TempDir(), "gap.osm.pbf")
	if err := writePBF(p, nodes, ways); err != nil {
		t.Fatal(err)
	}
	box := Bounds{Point{-0.005, -0.005}, Point{0.005, 0.005}}
	for _, waysFirst := range []bool{false, true} {
		g, err := Load(context.Background(), p, Options{Procs: 1, Bounds: box, waysFirst: waysFirst})
		if err != nil {
			t.Fatal(err)
		}
		if st := g.Stats(); st.Edges != 1 || st.Components != 2 || st.MissingNodes != 1 {
			t.Errorf("ways first %v: %+v, want 2 components of 1 edge (1 kept), 1 missing reference", waysFirst, st)
		}
	}
}
