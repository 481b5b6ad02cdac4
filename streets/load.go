package streets

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/paulmach/osm"
	"github.com/paulmach/osm/osmpbf"
	"github.com/paulmach/osm/osmxml"
)

// DefaultLinkRadius is the link radius in metres when Options.LinkRadius is 0.
const DefaultLinkRadius = 300

// IslandVertices is the size under which a kept component other than the
// largest is an island: Link uses it only when no larger component lies
// within the link radius.
const IslandVertices = 50

// MaxLinkRadius bounds Options.LinkRadius and the radius given to Link.
const MaxLinkRadius = 5000

// Point is a position in WGS84 degrees.
type Point struct{ Lat, Lon float64 }

// Options tunes Load.
type Options struct {
	// Keep lists points (stops, service points) whose component is kept
	// even when it is not the largest, when they link within LinkRadius.
	Keep []Point
	// LinkRadius is the link radius in metres used for Keep and returned by
	// Graph.LinkRadius; 0 means DefaultLinkRadius, at most MaxLinkRadius.
	LinkRadius float64
	// Procs is the number of parallel PBF decoders; 0 means GOMAXPROCS.
	Procs int
	// Bounds, when not empty (Min.Lat < Max.Lat), clips the graph: nodes
	// outside are treated as absent (ways are split there) and counted in
	// Stats.NodesOutside. A shard of a national run loads the national
	// extract with its own bounds plus a margin and holds only that graph;
	// a PBF is then read nodes first, keeping only those inside, so that
	// the load's memory too is that of the box, not of the file.
	Bounds Bounds

	// waysFirst makes a clipped PBF load read the ways before the nodes
	// (the tests' oracle for the box-first path).
	waysFirst bool
}

// Bounds is a latitude/longitude box in degrees.
type Bounds struct{ Min, Max Point }

func (b Bounds) empty() bool { return !(b.Min.Lat < b.Max.Lat && b.Min.Lon < b.Max.Lon) }

func (b Bounds) contains(lat, lon float64) bool {
	return lat >= b.Min.Lat && lat <= b.Max.Lat && lon >= b.Min.Lon && lon <= b.Max.Lon
}

// Stats describes an extract and the graph built from it.
type Stats struct {
	Path      string `json:"path"`
	SHA256    string `json:"sha256"`
	FileBytes int64  `json:"file_bytes"`
	// Nodes is the number of nodes read, NodesUsed those referenced by a
	// kept way, and MissingNodes the references to nodes absent from the
	// file, with coordinates out of range or outside Options.Bounds (the way
	// is split there); NodesOutside counts the used nodes outside Bounds
	// (with a PBF, all the file's nodes outside Bounds: read first, they
	// are not known to be used).
	Nodes        int64 `json:"nodes"`
	NodesUsed    int64 `json:"nodes_used"`
	MissingNodes int64 `json:"missing_nodes"`
	NodesOutside int64 `json:"nodes_outside,omitempty"`
	Ways         int64 `json:"ways"`
	WaysKept     int64 `json:"ways_kept"`
	// Vertices and Edges (undirected) are those kept; ShapePoints counts
	// the coordinates of all edge shapes, ends included.
	Vertices    int   `json:"vertices"`
	Edges       int   `json:"edges"`
	ShapePoints int64 `json:"shape_points"`
	// Components is the number of connected components before dropping;
	// ComponentsDropped, VerticesDropped and EdgesDropped what was dropped.
	Components        int `json:"components"`
	ComponentsDropped int `json:"components_dropped"`
	VerticesDropped   int `json:"vertices_dropped"`
	EdgesDropped      int `json:"edges_dropped"`
	// IslandsKept counts the kept components of fewer than IslandVertices
	// vertices (not the largest): linked to only when nothing larger is
	// within the link radius.
	IslandsKept int `json:"islands_kept"`
	// KeepLinked and KeepUnlinked count the Options.Keep points that did and
	// did not link within the radius.
	KeepLinked   int `json:"keep_linked"`
	KeepUnlinked int `json:"keep_unlinked"`
	// GraphBytes is the memory held by the graph's arrays.
	GraphBytes int64 `json:"graph_bytes"`
}

const (
	fixScale   = 1e7 // OSM stores coordinates as 1e-7 degree integers
	missing    = math.MinInt32
	vertexMark = math.MinInt32 + 1 // builder.lat of a node made a vertex
	isMulti    = 1                 // builder.flags
	isVertex   = 2
	maxPBFBlob = 32 << 20 // PBF spec: a blob is at most 32 MiB
	maxPBFHead = 64 << 10 // and a blob header at most 64 KiB
)

// Load reads an OpenStreetMap extract (.osm.pbf, or .osm XML, told apart by
// their first bytes) and builds the pedestrian graph. Errors name the file.
// A PBF file is read three times: once to check its framing and hash it,
// once for the ways and once for the nodes they use (decoded in parallel).
// XML is read once into memory and is meant for small fixtures.
//
// Limits: the framing pass refuses truncated files, bad block sizes and
// compressions other than raw and zlib, and zlib's checksum catches corrupt
// block contents; but a crafted file whose blocks decompress cleanly into
// an invalid PrimitiveBlock (string indices out of range, non-dense nodes)
// makes github.com/paulmach/osm v0.9.0 panic inside its decoder goroutines,
// which no caller can recover.
//
// Memory: while it runs, Load sets the garbage collector's percentage to
// LoadGCPercent (unless the program's is lower), for the whole program.
func Load(ctx context.Context, path string, opt Options) (*Graph, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("streets: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("streets: %w", err)
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("streets: %s: is a directory", path)
	}
	if fi.Size() >= LowGCBytes {
		defer lowerGC()()
	}
	g, err := load(ctx, path, f, fi.Size(), opt)
	if err != nil {
		return nil, fmt.Errorf("streets: %s: %w", path, err)
	}
	return g, nil
}

// LoadGCPercent is the garbage collector's target percentage (GOGC) while
// Load runs, when the program's own is higher: the load's live memory is
// mostly flat arrays without pointers, cheap to collect often, and with
// the default of 100 its peak would be twice that live memory, as the PBF
// decoders' garbage piles up on top of it. At 10 the peak is about 1.1
// times the live memory, for about 6 % more CPU (BENCHMARKS.md).
const LoadGCPercent = 10

// LowGCBytes is the size of file from which Load lowers the GC percentage:
// below it the graph is small, and collecting often would only cost time
// (the Porto Alegre run, a 0.9 MB file, took 8 % more CPU).
const LowGCBytes = 64 << 20

var gcLoads struct {
	sync.Mutex
	n     int // loads running
	saved int // the percentage before the first of them
}

// lowerGC sets the GC percentage to LoadGCPercent unless it is lower or
// off, and returns the function that restores it once no load is running.
// A program that changes the percentage while a load runs sees its change
// undone at the end of the load.
func lowerGC() func() {
	gcLoads.Lock()
	defer gcLoads.Unlock()
	if gcLoads.n == 0 {
		gcLoads.saved = debug.SetGCPercent(LoadGCPercent)
		if gcLoads.saved < LoadGCPercent {
			debug.SetGCPercent(gcLoads.saved)
		}
	}
	gcLoads.n++
	return func() {
		gcLoads.Lock()
		defer gcLoads.Unlock()
		gcLoads.n--
		if gcLoads.n == 0 {
			debug.SetGCPercent(gcLoads.saved)
		}
	}
}

// load builds the graph from r, whose name is only for messages.
func load(ctx context.Context, name string, r io.ReadSeeker, size int64, opt Options) (*Graph, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if opt.LinkRadius == 0 {
		opt.LinkRadius = DefaultLinkRadius
	}
	if !(opt.LinkRadius > 0 && opt.LinkRadius <= MaxLinkRadius) {
		return nil, fmt.Errorf("link radius %g m: want a number of metres in (0, %d]", opt.LinkRadius, MaxLinkRadius)
	}
	if !opt.Bounds.empty() && !(opt.Bounds.Min.Lat >= -90 && opt.Bounds.Max.Lat <= 90 && opt.Bounds.Min.Lon >= -180 && opt.Bounds.Max.Lon <= 180) {
		return nil, fmt.Errorf("bounds %v: want latitudes in [-90, 90] and longitudes in [-180, 180]", opt.Bounds)
	}
	if opt.Procs <= 0 {
		opt.Procs = runtime.GOMAXPROCS(0)
	}
	opt.Procs = min(opt.Procs, 64)
	if size == 0 {
		return nil, errors.New("empty file")
	}
	head := make([]byte, 64)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, err
	}
	head = bytes.TrimLeft(head[:n], "\xef\xbb\xbf \t\r\n")
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	b := &builder{bounds: opt.Bounds, clip: !opt.Bounds.empty(), noClipFirst: opt.waysFirst}
	b.st.Path = name
	b.st.FileBytes = size
	if len(head) > 0 && head[0] == '<' {
		err = b.readXML(ctx, r)
	} else {
		if b.clip && !b.noClipFirst {
			err = b.readPBFClipped(ctx, r, opt.Procs)
		} else {
			err = b.readPBF(ctx, r, opt.Procs)
		}
	}
	if err != nil {
		return nil, err
	}
	phase("read")
	return b.build(opt)
}

// tracePhase, when not nil, is called at the load's phase boundaries
// (TestLoadExternal's memory trace).
var tracePhase func(name string)

func phase(name string) {
	if tracePhase != nil {
		tracePhase(name)
	}
}

// builder holds what the passes collect.
type builder struct {
	st Stats
	// wayOff[i]..wayOff[i+1] are kept way i's node references in refs
	// (OSM ids until resolve, then indices into ids in idx).
	wayOff []int32 // (resolve refuses more than 2^31 references)
	refs   chunks[int64]
	idx    []int32
	// ids are the sorted distinct node ids used by kept ways; flags mark
	// those referenced more than once (isMulti) and, while build counts,
	// the vertices (isVertex); lat, lon their fixed-point coordinates
	// (missing when absent; while build lays out the edges, vertexMark
	// and the vertex number).
	ids      []int64
	flags    []uint8
	lat, lon []int32
	nodes    stripes
	outside  stripes
	bounds   Bounds
	clip     bool
	// noClipFirst makes a clipped PBF load read the ways first, like an
	// unclipped one (the tests' oracle for readPBFClipped).
	noClipFirst bool
	// in are the nodes of the file inside bounds, sorted by id
	// (readPBFClipped).
	in  []inNode
	inc chunks[inNode] // in, while the nodes are read
}

// inNode is a node inside Options.Bounds.
type inNode struct {
	id       int64
	lat, lon int32
}

func (b *builder) addWay(w *osm.Way) {
	b.st.WaysKept++
	if len(b.wayOff) == 0 {
		b.wayOff = append(b.wayOff, 0)
	}
	for _, n := range w.Nodes {
		b.refs.append(int64(n.ID))
	}
	b.wayOff = append(b.wayOff, int32(b.refs.len()))
}

// resolve sorts the referenced ids, marks junctions and turns refs into
// indices, then frees refs.
func (b *builder) resolve() error {
	if b.st.WaysKept == 0 {
		return fmt.Errorf("no walkable way among %d ways (highway=footway, residential, …)", b.st.Ways)
	}
	if b.refs.len() > math.MaxInt32 {
		return fmt.Errorf("%d node references in walkable ways: more than this graph can index", b.refs.len())
	}
	// the chunks of refs are copied into sorted then turned into indices
	// one by one: the load holds one copy of the references at a time,
	// and the indices (half the size)
	nrefs := b.refs.len()
	sorted := make([]int64, 0, nrefs)
	for _, c := range b.refs.c {
		sorted = append(sorted, c...)
	}
	slices.Sort(sorted)
	n := 0
	for i := range sorted {
		if i == 0 || sorted[i] != sorted[i-1] {
			n++
		}
	}
	// exact-size arrays, so that the sorted copy is freed
	b.ids = make([]int64, 0, n)
	b.flags = make([]uint8, 0, n)
	for i := 0; i < len(sorted); {
		j := i + 1
		for j < len(sorted) && sorted[j] == sorted[i] {
			j++
		}
		b.ids = append(b.ids, sorted[i])
		f := uint8(0)
		if j-i > 1 {
			f = isMulti
		}
		b.flags = append(b.flags, f)
		i = j
	}
	phase("resolve ids")
	runtime.KeepAlive(sorted)
	sorted = nil
	b.idx = make([]int32, 0, nrefs)
	for i, c := range b.refs.c {
		for _, id := range c {
			k, _ := slices.BinarySearch(b.ids, id)
			b.idx = append(b.idx, int32(k))
		}
		b.refs.c[i] = nil
		if i == 0 {
			phase("resolve idx")
		}
	}
	b.refs = chunks[int64]{}
	b.lat = make([]int32, len(b.ids))
	b.lon = make([]int32, len(b.ids))
	for i := range b.lat {
		b.lat[i], b.lon[i] = missing, missing
	}
	b.st.NodesUsed = int64(len(b.ids))
	return nil
}

// setNode records a node's coordinates when a kept way uses it. It is called
// concurrently from the PBF decoders: every id is written by one call only.
func (b *builder) setNode(id int64, lat, lon float64) {
	k, ok := slices.BinarySearch(b.ids, id)
	if !ok {
		return
	}
	if !(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180) {
		return // out of range or NaN: counted as missing
	}
	if b.clip && !b.bounds.contains(lat, lon) {
		b.outside.add(id)
		return
	}
	b.lat[k] = int32(math.Round(lat * fixScale))
	b.lon[k] = int32(math.Round(lon * fixScale))
}

// readXML reads an .osm XML file in one pass, keeping all nodes in memory.
func (b *builder) readXML(ctx context.Context, r io.Reader) error {
	h := sha256.New()
	tr := io.TeeReader(r, h)
	sc := osmxml.New(ctx, tr)
	defer sc.Close()
	type node struct {
		id       int64
		lat, lon float64
	}
	var nodes []node
	for sc.Scan() {
		switch o := sc.Object().(type) {
		case *osm.Node:
			nodes = append(nodes, node{int64(o.ID), o.Lat, o.Lon})
		case *osm.Way:
			b.st.Ways++
			if Walkable(o.Tags) {
				b.addWay(o)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("xml: %w", err)
	}
	if _, err := io.Copy(h, r); err != nil {
		return err
	}
	b.st.SHA256 = hex.EncodeToString(h.Sum(nil))
	b.st.Nodes = int64(len(nodes))
	if err := b.resolve(); err != nil {
		return err
	}
	for _, n := range nodes {
		b.setNode(n.id, n.lat, n.lon)
	}
	b.st.NodesOutside = b.outside.sum()
	return nil
}

// checkAndRewind checks and hashes the file (Stats.SHA256), then rewinds
// it for the scanner.
func (b *builder) checkAndRewind(r io.ReadSeeker) error {
	h := sha256.New()
	if err := checkPBF(r, h); err != nil {
		return err
	}
	b.st.SHA256 = hex.EncodeToString(h.Sum(nil))
	_, err := r.Seek(0, io.SeekStart)
	return err
}

// readPBF checks and hashes the file, then reads the walkable ways and the
// nodes they use with the parallel osmpbf scanner.
func (b *builder) readPBF(ctx context.Context, r io.ReadSeeker, procs int) error {
	if err := b.checkAndRewind(r); err != nil {
		return err
	}
	var ways atomic.Int64
	sc := osmpbf.New(ctx, r, procs)
	sc.SkipNodes, sc.SkipRelations = true, true
	sc.FilterWay = func(w *osm.Way) bool {
		ways.Add(1)
		return Walkable(w.Tags)
	}
	for sc.Scan() {
		if w, ok := sc.Object().(*osm.Way); ok {
			b.addWay(w)
		}
	}
	err := sc.Err()
	sc.Close()
	if err != nil {
		return fmt.Errorf("pbf ways: %w", err)
	}
	b.st.Ways = ways.Load()
	phase("ways")
	if err := b.resolve(); err != nil {
		return err
	}
	phase("resolve")

	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return err
	}
	sc = osmpbf.New(ctx, r, procs)
	sc.SkipWays, sc.SkipRelations = true, true
	sc.FilterNode = func(n *osm.Node) bool {
		b.nodes.add(int64(n.ID))
		b.setNode(int64(n.ID), n.Lat, n.Lon)
		return false
	}
	for sc.Scan() {
	}
	err = sc.Err()
	sc.Close()
	if err != nil {
		return fmt.Errorf("pbf nodes: %w", err)
	}
	b.st.Nodes = b.nodes.sum()
	b.st.NodesOutside = b.outside.sum()
	return nil
}

// readPBFClipped is readPBF with Options.Bounds: it reads the nodes first
// and keeps those inside the box, then keeps of the walkable ways only their
// runs of nodes inside it (a way is split where it leaves the box or a node
// is absent, as in readPBF). Its memory is that of the box, not of the
// file: a shard can read a national extract within its own budget. The
// nodes outside the box are counted in Stats.NodesOutside (all of the
// file's, not only those of walkable ways), and every reference to a node
// outside or absent in Stats.MissingNodes.
func (b *builder) readPBFClipped(ctx context.Context, r io.ReadSeeker, procs int) error {
	if err := b.checkAndRewind(r); err != nil {
		return err
	}
	var mu sync.Mutex
	sc := osmpbf.New(ctx, r, procs)
	sc.SkipWays, sc.SkipRelations = true, true
	sc.FilterNode = func(n *osm.Node) bool {
		b.nodes.add(int64(n.ID))
		if !(n.Lat >= -90 && n.Lat <= 90 && n.Lon >= -180 && n.Lon <= 180) {
			return false
		}
		if !b.bounds.contains(n.Lat, n.Lon) {
			b.outside.add(int64(n.ID))
			return false
		}
		x := inNode{int64(n.ID), int32(math.Round(n.Lat * fixScale)), int32(math.Round(n.Lon * fixScale))}
		mu.Lock()
		b.inc.append(x)
		mu.Unlock()
		return false
	}
	for sc.Scan() {
	}
	err := sc.Err()
	sc.Close()
	if err != nil {
		return fmt.Errorf("pbf nodes: %w", err)
	}
	b.st.Nodes = b.nodes.sum()
	b.st.NodesOutside = b.outside.sum()
	b.in = b.inc.slice()
	slices.SortFunc(b.in, func(x, y inNode) int { return cmp.Compare(x.id, y.id) })
	phase("nodes inside")
	inside := func(id int64) bool {
		_, ok := slices.BinarySearchFunc(b.in, id, func(x inNode, id int64) int { return cmp.Compare(x.id, id) })
		return ok
	}

	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return err
	}
	var ways atomic.Int64
	sc = osmpbf.New(ctx, r, procs)
	sc.SkipNodes, sc.SkipRelations = true, true
	sc.FilterWay = func(w *osm.Way) bool {
		ways.Add(1)
		return Walkable(w.Tags)
	}
	for sc.Scan() {
		w, ok := sc.Object().(*osm.Way)
		if !ok {
			continue
		}
		b.st.WaysKept++
		if len(b.wayOff) == 0 {
			b.wayOff = append(b.wayOff, 0)
		}
		run := b.refs.len() // start of the current run of inside nodes
		flush := func() {
			if b.refs.len()-run >= 2 {
				b.wayOff = append(b.wayOff, int32(b.refs.len()))
			} else {
				b.refs.truncate(run)
			}
			run = b.refs.len()
		}
		for _, n := range w.Nodes {
			if inside(int64(n.ID)) {
				b.refs.append(int64(n.ID))
				continue
			}
			b.st.MissingNodes++
			flush()
		}
		flush()
	}
	err = sc.Err()
	sc.Close()
	if err != nil {
		return fmt.Errorf("pbf ways: %w", err)
	}
	b.st.Ways = ways.Load()
	phase("ways inside")
	if b.refs.len() == 0 && b.st.WaysKept > 0 {
		return fmt.Errorf("no walkable way inside bounds %v among %d walkable ways", b.bounds, b.st.WaysKept)
	}
	if err := b.resolve(); err != nil {
		return err
	}
	// ids and in are both sorted: one merge sets the coordinates.
	j := 0
	for k, id := range b.ids {
		for j < len(b.in) && b.in[j].id < id {
			j++
		}
		if j < len(b.in) && b.in[j].id == id {
			b.lat[k], b.lon[k] = b.in[j].lat, b.in[j].lon
		}
	}
	b.in = nil
	return nil
}

// checkPBF walks the PBF framing (size, BlobHeader, Blob) of the whole file
// into h, so that a truncated or corrupt file is refused with its byte offset
// before the scanner (whose decoders cannot report every corruption as an
// error) sees it.
func checkPBF(r io.Reader, h hash.Hash) error {
	br := bufio.NewReaderSize(io.TeeReader(r, h), 1<<20)
	var (
		off  int64
		size [4]byte
		buf  []byte
	)
	for blk := 0; ; blk++ {
		n, err := io.ReadFull(br, size[:])
		if err == io.EOF {
			if blk == 0 {
				return errors.New("pbf: no block")
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("pbf: block %d at byte %d: truncated (%d of 4 size bytes)", blk, off, n)
		}
		hs := binary.BigEndian.Uint32(size[:])
		if hs == 0 || hs >= maxPBFHead {
			return fmt.Errorf("pbf: block %d at byte %d: header size %d out of (0, %d): not an OSM PBF file or corrupt", blk, off, hs, maxPBFHead)
		}
		buf = grow(buf, int(hs))
		if _, err := io.ReadFull(br, buf); err != nil {
			return fmt.Errorf("pbf: block %d at byte %d: truncated header", blk, off)
		}
		typ, dsize, err := parseBlobHeader(buf)
		if err != nil {
			return fmt.Errorf("pbf: block %d at byte %d: header: %w", blk, off, err)
		}
		if (blk == 0 && typ != "OSMHeader") || (blk > 0 && typ != "OSMData") {
			return fmt.Errorf("pbf: block %d at byte %d: unexpected block type %.40q", blk, off, typ)
		}
		if dsize <= 0 || dsize >= maxPBFBlob {
			return fmt.Errorf("pbf: block %d at byte %d: blob size %d out of (0, %d)", blk, off, dsize, maxPBFBlob)
		}
		buf = grow(buf, int(dsize))
		if _, err := io.ReadFull(br, buf); err != nil {
			return fmt.Errorf("pbf: block %d at byte %d: truncated blob (%d bytes announced)", blk, off, dsize)
		}
		if err := checkBlob(buf); err != nil {
			return fmt.Errorf("pbf: block %d at byte %d: blob: %w", blk, off, err)
		}
		off += 4 + int64(hs) + int64(dsize)
	}
}

func grow(b []byte, n int) []byte {
	if cap(b) < n {
		return make([]byte, n)
	}
	return b[:n]
}

// parseBlobHeader reads BlobHeader{1: type string, 2: indexdata, 3: datasize}.
func parseBlobHeader(p []byte) (typ string, dsize int64, err error) {
	dsize = -1
	err = scanProto(p, func(field int, v uint64, data []byte) error {
		switch field {
		case 1:
			typ = string(data)
		case 3:
			dsize = int64(int32(v))
		}
		return nil
	})
	if err == nil && dsize < 0 {
		err = errors.New("no datasize")
	}
	return typ, dsize, err
}

// checkBlob reads Blob{1: raw, 2: raw_size, 3: zlib_data, 4…7: other
// compressions} and accepts raw or zlib data of a bounded size.
func checkBlob(p []byte) error {
	var rawSize int64 = -1
	kind := 0
	err := scanProto(p, func(field int, v uint64, data []byte) error {
		switch field {
		case 1, 3:
			kind = field
			if field == 1 {
				rawSize = int64(len(data))
			}
		case 2:
			rawSize = int64(int32(v))
		case 4, 5, 6, 7:
			return fmt.Errorf("compression field %d not supported (only raw and zlib)", field)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if kind == 0 {
		return errors.New("no data")
	}
	if rawSize < 0 || rawSize > maxPBFBlob {
		return fmt.Errorf("raw size %d out of [0, %d]", rawSize, maxPBFBlob)
	}
	return nil
}

// scanProto walks the fields of a protobuf message: varints give v,
// length-delimited fields data; fixed32/64 are skipped.
func scanProto(p []byte, fn func(field int, v uint64, data []byte) error) error {
	for len(p) > 0 {
		key, n := binary.Uvarint(p)
		if n <= 0 {
			return errors.New("bad protobuf key")
		}
		p = p[n:]
		field, wire := int(key>>3), key&7
		var (
			v    uint64
			data []byte
		)
		switch wire {
		case 0:
			v, n = binary.Uvarint(p)
			if n <= 0 {
				return errors.New("bad protobuf varint")
			}
			p = p[n:]
		case 1:
			if len(p) < 8 {
				return errors.New("short fixed64")
			}
			p = p[8:]
		case 2:
			l, n := binary.Uvarint(p)
			if n <= 0 || l > uint64(len(p)-n) {
				return errors.New("bad protobuf length")
			}
			data = p[n : n+int(l)]
			p = p[n+int(l):]
		case 5:
			if len(p) < 4 {
				return errors.New("short fixed32")
			}
			p = p[4:]
		default:
			return fmt.Errorf("protobuf wire type %d not supported", wire)
		}
		if err := fn(field, v, data); err != nil {
			return err
		}
	}
	return nil
}

// stripes is a counter for the concurrent PBF decoders: each adds to the
// stripe of the node id's 1024-block, so that decoders of different blocks
// (runs of consecutive ids) rarely share a cache line.
type stripes [64]struct {
	n atomic.Int64
	_ [56]byte
}

func (s *stripes) add(id int64) { s[(id>>10)&63].n.Add(1) }

func (s *stripes) sum() int64 {
	var t int64
	for i := range s {
		t += s[i].n.Load()
	}
	return t
}
