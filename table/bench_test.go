package table

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
)

// cellsLike returns a table shaped like a run's cells.parquet: n rows of
// ids, territory codes, travel times, shares, flags, nearest points,
// coordinates and point geometries.
func cellsLike(n int) *Table {
	rng := rand.New(rand.NewPCG(5, 6))
	ids, codes, near := make([]string, n), make([]string, n), make([]string, n)
	lon, lat, pop := make([]float64, n), make([]float64, n), make([]float64, n)
	tt1, tt2, sh1, sh2 := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	ok1, ok2, all := make([]bool, n), make([]bool, n), make([]bool, n)
	geom := make([]orb.Geometry, n)
	for i := range n {
		ids[i] = fmt.Sprintf("89a9012%04xffff-%d", i/10, i%10)
		codes[i] = []string{"N", "S", "L", "C", "SE"}[i/2000%5]
		near[i] = fmt.Sprintf("89a9012%04xffff", rng.IntN(300))
		lon[i], lat[i] = -51.2+rng.Float64()*0.2, -30.1+rng.Float64()*0.2
		pop[i] = float64(rng.IntN(200)) / 10
		tt1[i], tt2[i] = float64(rng.IntN(60)), float64(rng.IntN(60))
		sh1[i], sh2[i] = float64(rng.IntN(121))/120, float64(rng.IntN(121))/120
		ok1[i], ok2[i] = sh1[i] > 0.5, sh2[i] > 0.5
		all[i] = ok1[i] && ok2[i]
		geom[i] = orb.Point{lon[i], lat[i]}
	}
	return &Table{Metadata: map[string]string{"vingt": "bench"}, Columns: []Column{
		{Name: "cell_id", Kind: String, String: ids},
		{Name: "population", Kind: Float64, Float: pop},
		{Name: "zone", Kind: String, String: codes},
		{Name: "tt_a", Kind: Float64, Float: tt1},
		{Name: "share_a", Kind: Float64, Float: sh1},
		{Name: "served_a", Kind: Bool, Bool: ok1},
		{Name: "nearest_a", Kind: String, String: near},
		{Name: "tt_b", Kind: Float64, Float: tt2},
		{Name: "share_b", Kind: Float64, Float: sh2},
		{Name: "served_b", Kind: Bool, Bool: ok2},
		{Name: "nearest_b", Kind: String, String: near},
		{Name: "served_all", Kind: Bool, Bool: all},
		{Name: "lon", Kind: Float64, Float: lon},
		{Name: "lat", Kind: Float64, Float: lat},
		{Name: "geometry", Kind: Geometry, Geom: geom},
	}}
}

// BenchmarkWriteParquet writes a cells-like table of 1,227 and 12,270 rows
// (the embedded example's grid, and ten times finer).
func BenchmarkWriteParquet(b *testing.B) {
	for _, n := range []int{1227, 12270} {
		t := cellsLike(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			p := filepath.Join(b.TempDir(), "cells.parquet")
			b.ReportAllocs()
			for b.Loop() {
				if err := Write(p, Parquet, t); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
