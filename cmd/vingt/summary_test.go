package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/vingt/vingt/coverage"
)

// TestPrintLevels checks the summary's levels: every level, coarsest
// first and finest last, at most 10 territories by largest gap then the
// rest in one line, and the total over the coarsest level.
func TestPrintLevels(t *testing.T) {
	var terr []coverage.TerritoryStats
	// 13 communes, gap 10·i for commune i (served 100 − 10·i of 100), and
	// one without population; 2 EPCI.
	for i := range 13 {
		terr = append(terr, coverage.TerritoryStats{Level: "commune", Code: fmt.Sprintf("c%02d", i), Name: "C", Population: 200, Served: float64(200 - 10*i)})
	}
	terr = append(terr, coverage.TerritoryStats{Level: "commune", Code: "empty", Name: "E"},
		coverage.TerritoryStats{Level: "epci", Code: "e1", Name: "A", Population: 1000, Served: 900},
		coverage.TerritoryStats{Level: "epci", Code: "e2", Name: "B", Population: 1600, Served: 320})
	var b bytes.Buffer
	printLevels(&b, []string{"commune", "epci"}, terr)
	got := b.String()
	lines := strings.Split(strings.TrimSpace(got), "\n")
	fields := func(l string) []string { return strings.Fields(l) }
	want := []struct {
		line   int
		fields string
	}{
		{0, "epci: 2 populated territories"},
		{2, "e2 B 1600 20.0 % 1280"},
		{3, "e1 A 1000 90.0 % 100"},
		{4, "total (every epci) 2600 46.9 % 1380"},
		{6, "commune: 13 populated territories, the 10 with the largest gap"},
		{8, "c12 C 200 40.0 % 120"},
		{17, "c03 C 200 85.0 % 30"},
		// c00, c01, c02: 600 people, gaps 0 + 10 + 20.
		{18, "… 3 more 600 95.0 % 30"},
	}
	for _, w := range want {
		if w.line >= len(lines) || strings.Join(fields(lines[w.line]), " ") != w.fields {
			t.Errorf("line %d: want %q in\n%s", w.line, w.fields, got)
		}
	}
	if len(lines) != 19 || strings.Contains(got, "empty") || strings.Count(got, "total") != 1 {
		t.Errorf("%d lines (want 19), without the empty commune, one total:\n%s", len(lines), got)
	}
}

// TestPrintClosures checks the summary's closures: nothing without the
// impact, a line when no closure costs anyone, else the points with a
// population_sole, the largest first (ties in category and input order),
// at most 10.
func TestPrintClosures(t *testing.T) {
	pt := func(cat, id string, sole, lost float64) coverage.PointImpact {
		return coverage.PointImpact{Category: cat, Point: coverage.Point{ID: id, Name: "N" + id}, Sole: sole, BasketLost: lost}
	}
	var many []coverage.PointImpact
	for i := range 14 {
		many = append(many, pt("poste", fmt.Sprintf("p%02d", i), float64(10*(i%7)), float64(i)))
	}
	many = append(many, coverage.PointImpact{Category: "fs", Point: coverage.Point{ID: "anon"}, Sole: 55, BasketLost: 5})
	for _, c := range []struct {
		name string
		pts  []coverage.PointImpact
		want []string
	}{
		{"no impact", nil, nil},
		{"free", []coverage.PointImpact{pt("poste", "a", 0, 0), pt("fs", "b", 0, 0)},
			[]string{"", "closures: no single closure of the 2 points leaves anyone unserved"}},
		{"costly", many, []string{"",
			"closures: 13 of the 15 points would each, closed alone, leave people unserved, the 10 costliest",
			"category point_id name population_sole population_basket_lost",
			"poste p06 Np06 60 6", "poste p13 Np13 60 13", "fs anon - 55 5",
			"poste p05 Np05 50 5", "poste p12 Np12 50 12", "poste p04 Np04 40 4", "poste p11 Np11 40 11",
			"poste p03 Np03 30 3", "poste p10 Np10 30 10", "poste p02 Np02 20 2"}},
	} {
		var b bytes.Buffer
		printClosures(&b, c.pts)
		var got []string
		if b.Len() > 0 {
			for _, l := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
				got = append(got, strings.Join(strings.Fields(l), " "))
			}
		}
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s: got\n%s\nwant\n%s", c.name, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
		}
	}
}
