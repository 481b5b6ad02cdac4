package coverage

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseShard(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == ShardIndexEnv {
				return v
			}
			return ""
		}
	}
	for _, c := range []struct {
		text, env string
		want      Shard
		err       string
	}{
		{"0/1", "", Shard{0, 1}, ""},
		{"6/7", "", Shard{6, 7}, ""},
		{" 2/3 ", "", Shard{2, 3}, ""},
		{"auto/7", "4", Shard{4, 7}, ""},
		{"3/2", "", Shard{}, "index 3 must be within 0–1"},
		{"0/0", "", Shard{}, "count 0 must be within 1–10000"},
		{"0/10001", "", Shard{}, "count 10001 must be within"},
		{"-1/3", "", Shard{}, "index -1 must be within 0–2"},
		{"a/b", "", Shard{}, `count "b" is not a whole number`},
		{"a/3", "", Shard{}, `index "a" is not a whole number`},
		{"3", "", Shard{}, "want INDEX/COUNT"},
		{"auto/3", "", Shard{}, "not set"},
		{"auto/3", "3", Shard{}, "index 3 must be within 0–2"},
	} {
		got, err := ParseShard(c.text, env(c.env))
		if c.err == "" {
			if err != nil || got != c.want {
				t.Errorf("ParseShard(%q) = %v, %v; want %v", c.text, got, err, c.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.err) || !strings.HasPrefix(err.Error(), "coverage: ") {
			t.Errorf("ParseShard(%q): error %v, want %q", c.text, err, c.err)
		}
	}
}

// gridCells returns a w×h grid of point cells, in row order.
func gridCells(w, h int) []Cell {
	var cells []Cell
	for y := range h {
		for x := range w {
			cells = append(cells, Cell{ID: fmt.Sprint(x, y), Lon: float64(x), Lat: float64(y), Population: 1})
		}
	}
	return cells
}

func TestShardCellsPartition(t *testing.T) {
	cells := gridCells(37, 23)
	for _, n := range []int{1, 2, 3, 7, 64, 1000, len(cells) + 5} {
		seen := make([]int, len(cells))
		for i := range n {
			idx := ShardCells(cells, Shard{i, n})
			if !slices.IsSorted(idx) {
				t.Fatalf("n=%d shard %d: indices not increasing", n, i)
			}
			if lo, hi := len(cells)/n, (len(cells)+n-1)/n; len(idx) < lo || len(idx) > hi {
				t.Errorf("n=%d shard %d: %d cells, want %d–%d", n, i, len(idx), lo, hi)
			}
			if !slices.Equal(idx, ShardCells(cells, Shard{i, n})) {
				t.Errorf("n=%d shard %d: not deterministic", n, i)
			}
			for _, c := range idx {
				seen[c]++
			}
		}
		for c, k := range seen {
			if k != 1 {
				t.Fatalf("n=%d: cell %d in %d shards", n, c, k)
			}
		}
	}
	if got := ShardCells(cells, Shard{}); len(got) != len(cells) {
		t.Errorf("zero shard: %d cells, want all %d", len(got), len(cells))
	}
}

// TestShardCellsContiguous checks that shards along a Hilbert curve are
// compact: on a 64×64 grid cut in 4, each shard is one quadrant.
func TestShardCellsContiguous(t *testing.T) {
	cells := gridCells(64, 64)
	for i := range 4 {
		idx := ShardCells(cells, Shard{i, 4})
		minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, c := range idx {
			minX, maxX = math.Min(minX, cells[c].Lon), math.Max(maxX, cells[c].Lon)
			minY, maxY = math.Min(minY, cells[c].Lat), math.Max(maxY, cells[c].Lat)
		}
		if maxX-minX != 31 || maxY-minY != 31 {
			t.Errorf("shard %d/4 spans %v×%v cells, want a 32×32 quadrant", i, maxX-minX+1, maxY-minY+1)
		}
	}
}

func TestHilbertBijective(t *testing.T) {
	const order = 4
	seen := map[uint64]bool{}
	for x := range uint32(1 << order) {
		for y := range uint32(1 << order) {
			d := hilbert(x, y, order)
			if d >= 1<<(2*order) || seen[d] {
				t.Fatalf("hilbert(%d,%d) = %d: out of range or repeated", x, y, d)
			}
			seen[d] = true
		}
	}
}

func testResults() (*Results, []int) {
	res := &Results{Params: Params{Percentiles: []float64{50, 90}}, Categories: []string{"a", "b"},
		TravelTime: []float64{60, math.Inf(1), 0.1, 1e9, 3, 4, 5, 6},
		Share:      []float64{0.5, 1, 0, 1.0 / 3}, Served: []bool{true, false, false, true},
		ServedAll: []bool{false, true}, Routed: []bool{true, false},
		Impact: &Impact{AtPercentile: []int32{3, -1, 0, 1 << 20}}}
	return res, []int{4, 9}
}

// testImpactResults are testResults with the impact of closures: a cell
// with two sole points, one with none.
func testImpactResults() (*Results, []int) {
	res, idx := testResults()
	res.Impact.Nearest = []int32{3, -1, 0, 7}
	res.Impact.Sole = [][]int32{{3, 5}, nil, nil, {7}}
	return res, idx
}

func TestShardResultsImpact(t *testing.T) {
	res, idx := testImpactResults()
	path := filepath.Join(t.TempDir(), ShardResultsFile)
	if _, err := WriteShardResults(path, idx, res); err != nil {
		t.Fatal(err)
	}
	r, err := ReadShardResults(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Nearest, res.Impact.Nearest) || len(r.Sole) != len(res.Impact.Sole) ||
		!slices.EqualFunc(r.Sole, res.Impact.Sole, slices.Equal[[]int32]) || !slices.Equal(r.AtPercentile, res.Impact.AtPercentile) {
		t.Errorf("round trip: got nearest %v sole %v, want %v %v", r.Nearest, r.Sole, res.Impact.Nearest, res.Impact.Sole)
	}
	b, _ := os.ReadFile(path)
	// The impact section: a flag byte, 4 nearest points, 4 counts and 3
	// sole points, 11 words.
	flag := len(b) - 11*4 - 1
	counts := flag + 1 + 4*4
	huge := slices.Clone(b)
	huge[counts], huge[counts+1], huge[counts+2], huge[counts+3] = 0xff, 0xff, 0xff, 0xff
	for _, c := range []struct {
		name string
		b    []byte
		want string
	}{
		{"flag", append(append(slices.Clone(b[:flag]), 2), b[flag+1:]...), "not a boolean"},
		{"no nearest", b[:flag+1+8], "truncated or corrupt"},
		{"truncated", b[:len(b)-1], "truncated or corrupt"},
		{"padded", append(slices.Clone(b), 0, 0, 0, 0), "truncated or corrupt"},
		{"huge count", huge, "truncated or corrupt"},
		{"no flag", b[:flag], "truncated or corrupt"},
	} {
		if _, err := parseShardResults("x", c.b); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}

func TestMergeImpactBounds(t *testing.T) {
	cats := []*Category{{Name: "a", Points: make([]Point, 8)}, {Name: "b", Points: make([]Point, 8)}}
	for _, c := range []struct {
		name    string
		nearest []int32
		sole    [][]int32
		want    string
	}{
		{"nearest", []int32{8, -1}, [][]int32{nil, nil}, "nearest point 8 of category a is out of its 8 points"},
		{"below", []int32{0, -2}, [][]int32{nil, nil}, "nearest point -2 of category b"},
		{"sole", []int32{0, 1}, [][]int32{nil, {1, -1}}, "sole point -1 of category b"},
		{"fine", []int32{7, -1}, [][]int32{{7}, nil}, ""},
	} {
		imp := &Impact{Nearest: make([]int32, 4), Sole: make([][]int32, 4)}
		err := mergeImpact(imp, &ShardResults{Nearest: c.nearest, Sole: c.sole}, 0, 1, cats)
		if c.want == "" {
			if err != nil || !slices.Equal(imp.Nearest, []int32{0, 0, 7, -1}) || !slices.Equal(imp.Sole[2], []int32{7}) {
				t.Errorf("%s: error %v, impact %v %v", c.name, err, imp.Nearest, imp.Sole)
			}
		} else if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}

func TestShardResultsRoundTrip(t *testing.T) {
	res, idx := testResults()
	path := filepath.Join(t.TempDir(), ShardResultsFile)
	sum, err := WriteShardResults(path, idx, res)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum) != 64 {
		t.Errorf("sha256 %q", sum)
	}
	r, err := ReadShardResults(path)
	if err != nil {
		t.Fatal(err)
	}
	if r.Categories != 2 || r.Percentiles != 2 || !slices.Equal(r.Indices, []int32{4, 9}) ||
		!slices.Equal(r.TravelTime, res.TravelTime) || !slices.Equal(r.Share, res.Share) ||
		!slices.Equal(r.Served, res.Served) || !slices.Equal(r.ServedAll, res.ServedAll) || !slices.Equal(r.Routed, res.Routed) ||
		!slices.Equal(r.AtPercentile, res.Impact.AtPercentile) || r.Nearest != nil || r.Sole != nil {
		t.Errorf("round trip: got %+v, want %+v", r, res)
	}
	b, _ := os.ReadFile(path)
	for _, c := range []struct {
		name string
		b    []byte
		want string
	}{
		{"empty", nil, "not a shard results file"},
		{"format 2", append([]byte("VINGTSR2"), b[8:]...), "format 2, this vingt reads format 3: run the shards again"},
		{"truncated", b[:len(b)-1], "truncated or corrupt"},
		{"padded", append(slices.Clone(b), 0), "truncated or corrupt"},
		{"bool", append(append(slices.Clone(b[:len(b)-4*4-2]), 7), b[len(b)-4*4-1:]...), "not a boolean"},
		{"flag", append(slices.Clone(b[:len(b)-1]), 2), "not a boolean"},
		{"huge", append(append(slices.Clone(b[:8]), 0xff, 0xff, 0xff, 0xff), b[12:]...), "out of bounds"},
	} {
		if _, err := parseShardResults("x", c.b); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}

func FuzzParseShardResults(f *testing.F) {
	res, idx := testResults()
	path := filepath.Join(f.TempDir(), ShardResultsFile)
	if _, err := WriteShardResults(path, idx, res); err != nil {
		f.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	f.Add(b)
	res, idx = testImpactResults()
	if _, err := WriteShardResults(path, idx, res); err != nil {
		f.Fatal(err)
	}
	b, _ = os.ReadFile(path)
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := parseShardResults("fuzz", b)
		if err == nil && len(r.Routed) != len(r.Indices) {
			t.Fatalf("%d cells but %d routed flags", len(r.Indices), len(r.Routed))
		}
		if err == nil && r.Nearest != nil && (len(r.Nearest) != len(r.Indices)*r.Categories || len(r.Sole) != len(r.Nearest)) {
			t.Fatalf("%d cells × %d categories but %d nearest and %d sole lists", len(r.Indices), r.Categories, len(r.Nearest), len(r.Sole))
		}
	})
}

func FuzzParseShard(f *testing.F) {
	for _, s := range []string{"0/1", "3/2", "auto/7", "-1/3", "a/b"} {
		f.Add(s, "2")
	}
	f.Fuzz(func(t *testing.T, text, env string) {
		s, err := ParseShard(text, func(string) string { return env })
		if err == nil && (s.Count < 1 || s.Count > MaxShards || s.Index < 0 || s.Index >= s.Count) {
			t.Fatalf("ParseShard(%q) = %v: out of bounds", text, s)
		}
	})
}

func ExampleParseShard() {
	env := func(string) string { return "2" } // as a Kubernetes Indexed Job sets it
	for _, text := range []string{"1/4", "auto/4", "4/4"} {
		s, err := ParseShard(text, env)
		fmt.Println(s, err)
	}
	// Output:
	// 1/4 <nil>
	// 2/4 <nil>
	// 0/0 coverage: shard "4/4": index 4 must be within 0–3
}

func TestConfigShardKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vingt.toml")
	if err := os.WriteFile(path, []byte("gtfs = [\"feed.zip\"]\ndate = \"2026-01-13\"\ngrid = \"grid.csv\"\nshard = \"2/5\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	job, err := c.Job()
	if err != nil {
		t.Fatal(err)
	}
	if job.Shard != (Shard{2, 5}) {
		t.Errorf("shard = %v, want 2/5", job.Shard)
	}
	// What a shard records for merge: absolute paths, no shard, no output.
	if r := job.Config; r.Shard != "" || r.Out != "" || !filepath.IsAbs(r.Grid) || !filepath.IsAbs(r.GTFS[0]) || r.Date != "2026-01-13" {
		t.Errorf("resolved config %+v", r)
	}
	c.Shard = "5/5"
	if _, err := c.Job(); err == nil || !strings.Contains(err.Error(), "index 5 must be within 0–4") {
		t.Errorf("shard 5/5: %v", err)
	}
}
