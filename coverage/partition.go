package coverage

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"github.com/vingt/vingt/table"
)

// HiveDefaultPartition names the partition of the cells outside every
// territory of the partition level, as Hive, Spark, DuckDB and pyarrow
// name a null partition value.
const HiveDefaultPartition = "__HIVE_DEFAULT_PARTITION__"

// PartFile is the name of the one file of each partition folder.
const PartFile = "part-0.parquet"

// checkPartition checks that a run can write its cells partitioned by
// level: GeoParquet, a whole run (a shard's cells are merged first), and
// level one of the territory levels.
func checkPartition(job Job) error {
	if job.Partition == "" {
		return nil
	}
	if job.Format != table.Parquet {
		return fmt.Errorf("coverage: partition %s: a partitioned dataset is GeoParquet, not format %s", job.Partition, job.Format)
	}
	if job.Shard.IsSet() {
		return fmt.Errorf("coverage: partition %s with shard %s: %w", job.Partition, job.Shard, ErrPartitionShard)
	}
	for _, spec := range job.Territories {
		if name, _, _ := strings.Cut(spec, "="); name == job.Partition {
			return nil
		}
	}
	return fmt.Errorf("coverage: partition %s: not a territory level of the run (territories %s=PATH)", job.Partition, job.Partition)
}

// partitionValue returns the folder value of a territory code, refusing
// codes that cannot name a Hive partition folder.
func partitionValue(level, code string) (string, error) {
	if code == "" || code == "." || code == ".." || code == HiveDefaultPartition || strings.ContainsFunc(code, func(r rune) bool {
		return r == '/' || r == '\\' || r == '=' || r == '%' || r == ':' || unicode.IsControl(r)
	}) {
		return "", fmt.Errorf("coverage: partition %s: territory code %q cannot name a partition folder (empty, a dot, or with / \\ = %% : or a control character)", level, code)
	}
	return code, nil
}

// writePartitioned writes the cells into folder dir (the dataset cells/)
// as a Hive-partitioned GeoParquet dataset by the territories of level l:
// dir/LEVEL=CODE/part-0.parquet for each territory holding cells, in the
// order of the territories, then dir/LEVEL=__HIVE_DEFAULT_PARTITION__ for
// the cells outside every territory. Each file holds its cells in the
// grid's order, with every column of the cells table but the partition
// column, which readers take from the folder name. It returns the files'
// paths relative to dir's parent, in the order written.
func writePartitioned(dir string, res *Results, cells []Cell, levels []*Level, l int) ([]string, error) {
	lv := levels[l]
	groups := make([][]int, len(lv.Territories)+1) // the last: outside
	for c := range cells {
		i := int(res.Territory[l][c])
		if i < 0 {
			i = len(lv.Territories)
		}
		groups[i] = append(groups[i], c)
	}
	var names []string
	for i, g := range groups {
		if len(g) == 0 {
			continue
		}
		value := HiveDefaultPartition
		if i < len(lv.Territories) {
			var err error
			if value, err = partitionValue(lv.Name, lv.Territories[i].Code); err != nil {
				return nil, err
			}
		}
		rel := filepath.Join(lv.Name+"="+value, PartFile)
		if slices.Contains(names, rel) {
			return nil, fmt.Errorf("coverage: partition %s: territory code %q given twice in %s", lv.Name, value, lv.Path)
		}
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(rel)), 0o755); err != nil {
			return nil, fmt.Errorf("coverage: partition %s: %w", lv.Name, err)
		}
		err := table.WriteChunks(filepath.Join(dir, rel), table.Parquet, len(g), func(lo, hi int) (*table.Table, error) {
			idx := g[lo:hi]
			sub := make([]Cell, len(idx))
			for j, c := range idx {
				sub[j] = cells[c]
			}
			t, err := CellsTable(res.Pick(idx), sub, levels)
			if err != nil {
				return nil, err
			}
			t.Columns = slices.DeleteFunc(t.Columns, func(c table.Column) bool { return c.Name == lv.Name })
			return t, nil
		})
		if err != nil {
			return nil, err
		}
		names = append(names, rel)
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = filepath.ToSlash(filepath.Join(filepath.Base(dir), n))
	}
	return out, nil
}

// Pick returns the results of the cells idx (indices into res's cells),
// in that order, as Results of their own (a copy). Any per-cell field
// added to Results must be picked here, as in Rows.
func (res *Results) Pick(idx []int) *Results {
	nk, np := len(res.Categories), len(res.Params.Percentiles)
	out := &Results{Params: res.Params, Categories: res.Categories,
		TravelTime: make([]float64, 0, len(idx)*nk*np),
		Share:      make([]float64, 0, len(idx)*nk),
		Served:     make([]bool, 0, len(idx)*nk),
		ServedAll:  make([]bool, 0, len(idx)),
		Routed:     make([]bool, 0, len(idx)),
	}
	if res.Territory != nil {
		out.Territory = make([][]int32, len(res.Territory))
		for l := range out.Territory {
			out.Territory[l] = make([]int32, 0, len(idx))
		}
	}
	if res.Impact != nil {
		out.Impact = &Impact{IDs: res.Impact.IDs}
		if res.Impact.Nearest != nil {
			out.Impact.Nearest = make([]int32, 0, len(idx)*nk)
		}
		if res.Impact.Sole != nil {
			out.Impact.Sole = make([][]int32, 0, len(idx)*nk)
		}
		if res.Impact.AtPercentile != nil {
			out.Impact.AtPercentile = make([]int32, 0, len(idx)*nk)
		}
	}
	for _, c := range idx {
		out.TravelTime = append(out.TravelTime, res.TravelTime[c*nk*np:(c+1)*nk*np]...)
		out.Share = append(out.Share, res.Share[c*nk:(c+1)*nk]...)
		out.Served = append(out.Served, res.Served[c*nk:(c+1)*nk]...)
		out.ServedAll = append(out.ServedAll, res.ServedAll[c])
		out.Routed = append(out.Routed, res.Routed[c])
		for l := range out.Territory {
			out.Territory[l] = append(out.Territory[l], res.Territory[l][c])
		}
		if out.Impact != nil {
			if out.Impact.Nearest != nil {
				out.Impact.Nearest = append(out.Impact.Nearest, res.Impact.Nearest[c*nk:(c+1)*nk]...)
			}
			if out.Impact.AtPercentile != nil {
				out.Impact.AtPercentile = append(out.Impact.AtPercentile, res.Impact.AtPercentile[c*nk:(c+1)*nk]...)
			}
			if out.Impact.Sole != nil {
				out.Impact.Sole = append(out.Impact.Sole, res.Impact.Sole[c*nk:(c+1)*nk]...)
			}
		}
	}
	return out
}
