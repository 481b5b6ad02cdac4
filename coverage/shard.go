package coverage

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Shard selects one part of a run's cells: part Index of Count. The zero
// Shard is the whole run.
type Shard struct{ Index, Count int }

// MaxShards bounds the number of parts a run may be cut into.
const MaxShards = 10000

// ShardIndexEnv is the environment variable from which ParseShard takes
// the index of "auto/N": the one a Kubernetes Indexed Job sets per pod.
const ShardIndexEnv = "JOB_COMPLETION_INDEX"

// ShardResultsFile is the file in which a shard keeps its per-cell
// results, exactly, for merge.
const ShardResultsFile = "shard-results.bin"

// IsSet tells whether the shard selects a part of the cells.
func (s Shard) IsSet() bool { return s.Count > 0 }

// String returns the shard as INDEX/COUNT.
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// ParseShard parses INDEX/COUNT, or auto/COUNT whose index is taken from
// the environment variable ShardIndexEnv through getenv.
func ParseShard(text string, getenv func(string) string) (Shard, error) {
	i, n, ok := strings.Cut(strings.TrimSpace(text), "/")
	if !ok {
		return Shard{}, fmt.Errorf("coverage: shard %q: want INDEX/COUNT (say 0/4) or auto/COUNT", text)
	}
	count, err := strconv.Atoi(n)
	if err != nil {
		return Shard{}, fmt.Errorf("coverage: shard %q: count %q is not a whole number", text, n)
	}
	if count < 1 || count > MaxShards {
		return Shard{}, fmt.Errorf("coverage: shard %q: count %d must be within 1–%d", text, count, MaxShards)
	}
	if i == "auto" {
		i = ""
		if getenv != nil {
			i = getenv(ShardIndexEnv)
		}
		if i == "" {
			return Shard{}, fmt.Errorf("coverage: shard %q: auto takes the index from %s, which is not set", text, ShardIndexEnv)
		}
	}
	index, err := strconv.Atoi(i)
	if err != nil {
		return Shard{}, fmt.Errorf("coverage: shard %q: index %q is not a whole number", text, i)
	}
	if index < 0 || index >= count {
		return Shard{}, fmt.Errorf("coverage: shard %q: index %d must be within 0–%d", text, index, count-1)
	}
	return Shard{Index: index, Count: count}, nil
}

// ShardCells returns, in increasing order, the indices of the cells that
// belong to shard s: the cells are ordered along a Hilbert curve through
// their centres (ties by index) and cut into s.Count runs of equal cell
// counts (to one), so that a shard is contiguous in space. The zero Shard
// selects every cell.
func ShardCells(cells []Cell, s Shard) []int {
	n := len(cells)
	if !s.IsSet() {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for i := range cells {
		minX, maxX = math.Min(minX, cells[i].Lon), math.Max(maxX, cells[i].Lon)
		minY, maxY = math.Min(minY, cells[i].Lat), math.Max(maxY, cells[i].Lat)
	}
	const order = 16
	q := func(v, lo, hi float64) uint32 {
		if !(hi > lo) {
			return 0
		}
		return uint32(math.Min(math.Max((v-lo)/(hi-lo), 0), 1) * (1<<order - 1))
	}
	type keyed struct {
		key uint64
		i   int
	}
	ks := make([]keyed, n)
	for i := range cells {
		ks[i] = keyed{hilbert(q(cells[i].Lon, minX, maxX), q(cells[i].Lat, minY, maxY), order), i}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		if a.key != b.key {
			if a.key < b.key {
				return -1
			}
			return 1
		}
		return a.i - b.i
	})
	lo, hi := s.Index*n/s.Count, (s.Index+1)*n/s.Count
	out := make([]int, 0, hi-lo)
	for _, k := range ks[lo:hi] {
		out = append(out, k.i)
	}
	slices.Sort(out)
	return out
}

// hilbert returns the distance of (x, y) along the Hilbert curve filling
// a 2^order square.
func hilbert(x, y uint32, order uint) uint64 {
	n := uint32(1) << order
	var d uint64
	for s := n / 2; s > 0; s /= 2 {
		var rx, ry uint32
		if x&s != 0 {
			rx = 1
		}
		if y&s != 0 {
			ry = 1
		}
		d += uint64(s) * uint64(s) * uint64((3*rx)^ry)
		if ry == 0 {
			if rx == 1 {
				x, y = n-1-x, n-1-y
			}
			x, y = y, x
		}
	}
	return d
}

// ShardResults are a shard's per-cell results, with the cells' indices in
// the whole grid.
type ShardResults struct {
	// Categories and Percentiles are the sizes of the per-cell blocks.
	Categories, Percentiles int
	Indices                 []int32
	TravelTime, Share       []float64
	Served, ServedAll       []bool
	Routed                  []bool
	// AtPercentile is, per cell and category, the index of the point that
	// decides the cell's time (Impact.AtPercentile), or -1.
	AtPercentile []int32
	// Nearest and Sole are, per cell and category, Impact.Nearest and
	// Impact.Sole of a run with the impact of closures; nil otherwise.
	Nearest []int32
	Sole    [][]int32
}

// shardMagic names the format: 2 added AtPercentile, 3 the impact of
// closures (Nearest and Sole, after a flag byte).
var shardMagic = [8]byte{'V', 'I', 'N', 'G', 'T', 'S', 'R', '3'}

// WriteShardResults writes the results of the cells idx (res is indexed
// as idx) to path and returns the file's SHA-256.
func WriteShardResults(path string, idx []int, res *Results) (string, error) {
	f, err := os.Create(path)
	if err != nil {
		return "", fmt.Errorf("coverage: shard results: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	w := bufio.NewWriter(io.MultiWriter(f, h))
	nk, np := len(res.Categories), len(res.Params.Percentiles)
	ix := make([]int32, len(idx))
	for i, c := range idx {
		ix[i] = int32(c)
	}
	at := make([]int32, len(idx)*nk)
	if res.Impact != nil && res.Impact.AtPercentile != nil {
		copy(at, res.Impact.AtPercentile)
	} else {
		fill32(at, -1)
	}
	parts := []any{shardMagic, [3]uint32{uint32(len(idx)), uint32(nk), uint32(np)},
		ix, res.TravelTime, res.Share, res.Served, res.ServedAll, res.Routed, at}
	// The impact of closures: a flag, then per cell and category the
	// nearest point and the number of sole points, then those points.
	if imp := res.Impact; imp != nil && imp.Nearest != nil {
		counts := make([]uint32, len(imp.Sole))
		var sole []int32
		for i, s := range imp.Sole {
			counts[i] = uint32(len(s))
			sole = append(sole, s...)
		}
		parts = append(parts, true, imp.Nearest, counts, sole)
	} else {
		parts = append(parts, false)
	}
	for _, v := range parts {
		if err := binary.Write(w, binary.LittleEndian, v); err != nil {
			return "", fmt.Errorf("coverage: shard results %s: %w", path, err)
		}
	}
	if err := w.Flush(); err != nil {
		return "", fmt.Errorf("coverage: shard results %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("coverage: shard results %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// maxShardCells bounds the cells of one shard results file.
const maxShardCells = 1 << 28

// ReadShardResults reads a file written by WriteShardResults. Its size
// must be exactly the one its header announces: a truncated or padded
// file is an error.
func ReadShardResults(path string) (*ShardResults, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("coverage: shard results: %w", err)
	}
	return parseShardResults(filepath.Base(path), b)
}

func parseShardResults(name string, b []byte) (*ShardResults, error) {
	const head = 8 + 12
	if len(b) >= 8 && string(b[:7]) == string(shardMagic[:7]) && b[7] != shardMagic[7] {
		return nil, fmt.Errorf("coverage: shard results %s: format %c, this vingt reads format %c: run the shards again with this version", name, b[7], shardMagic[7])
	}
	if len(b) < head || [8]byte(b[:8]) != shardMagic {
		return nil, fmt.Errorf("coverage: shard results %s: not a shard results file", name)
	}
	le := binary.LittleEndian
	n, nk, np := uint64(le.Uint32(b[8:])), uint64(le.Uint32(b[12:])), uint64(le.Uint32(b[16:]))
	if n > maxShardCells || nk > 1<<10 || np > 1<<10 {
		return nil, fmt.Errorf("coverage: shard results %s: header out of bounds (%d cells, %d categories, %d percentiles)", name, n, nk, np)
	}
	fixed := head + n*4 + n*nk*np*8 + n*nk*8 + n*nk + 2*n + n*nk*4
	if uint64(len(b)) < fixed+1 {
		return nil, fmt.Errorf("coverage: shard results %s: %d bytes, want at least %d: truncated or corrupt", name, len(b), fixed+1)
	}
	truncated := func(want uint64) error {
		return fmt.Errorf("coverage: shard results %s: %d bytes, want %d: truncated or corrupt", name, len(b), want)
	}
	switch b[fixed] {
	case 0:
		if uint64(len(b)) != fixed+1 {
			return nil, truncated(fixed + 1)
		}
	case 1:
		if uint64(len(b)) < fixed+1+n*nk*8 {
			return nil, truncated(fixed + 1 + n*nk*8)
		}
	default:
		return nil, fmt.Errorf("coverage: shard results %s: byte %d is not a boolean: corrupt", name, fixed)
	}
	r := &ShardResults{Categories: int(nk), Percentiles: int(np),
		Indices: make([]int32, n), TravelTime: make([]float64, n*nk*np), Share: make([]float64, n*nk),
		Served: make([]bool, n*nk), ServedAll: make([]bool, n), Routed: make([]bool, n), AtPercentile: make([]int32, n*nk)}
	p := b[head:]
	for i := range r.Indices {
		r.Indices[i] = int32(le.Uint32(p[4*i:]))
	}
	p = p[4*n:]
	for _, fs := range [][]float64{r.TravelTime, r.Share} {
		for i := range fs {
			fs[i] = math.Float64frombits(le.Uint64(p[8*i:]))
		}
		p = p[8*len(fs):]
	}
	for _, bs := range [][]bool{r.Served, r.ServedAll, r.Routed} {
		for i := range bs {
			if p[i] > 1 {
				return nil, fmt.Errorf("coverage: shard results %s: byte %d is not a boolean: corrupt", name, len(b)-len(p)+i)
			}
			bs[i] = p[i] == 1
		}
		p = p[len(bs):]
	}
	for i := range r.AtPercentile {
		r.AtPercentile[i] = int32(le.Uint32(p[4*i:]))
	}
	p = p[4*len(r.AtPercentile):]
	if p[0] == 0 {
		return r, nil
	}
	p = p[1:]
	r.Nearest = make([]int32, n*nk)
	for i := range r.Nearest {
		r.Nearest[i] = int32(le.Uint32(p[4*i:]))
	}
	counts, sole := p[4*n*nk:], p[8*n*nk:]
	// Each count is checked against the bytes left, so that the total
	// cannot overflow nor the slices reach past the file.
	var total uint64
	for i := range n * nk {
		total += uint64(le.Uint32(counts[4*i:]))
		if 4*total > uint64(len(sole)) {
			return nil, fmt.Errorf("coverage: shard results %s: the counts of sole points reach past the file's %d bytes: truncated or corrupt", name, len(b))
		}
	}
	if 4*total != uint64(len(sole)) {
		return nil, truncated(uint64(len(b)-len(sole)) + 4*total)
	}
	r.Sole = make([][]int32, n*nk)
	all := make([]int32, total)
	for i := range all {
		all[i] = int32(le.Uint32(sole[4*i:]))
	}
	for i := range r.Sole {
		c := le.Uint32(counts[4*i:])
		if c > 0 {
			r.Sole[i], all = all[:c:c], all[c:]
		}
	}
	return r, nil
}
