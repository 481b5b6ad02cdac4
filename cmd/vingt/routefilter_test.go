package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunRouteFilter checks that a route filter is applied (leaving out
// every route leaves cell G, served by bus in 7 min, unserved) and
// recorded in run.json.
func TestRunRouteFilter(t *testing.T) {
	cases := []struct {
		args   []string
		served bool
		key    string
		want   string
	}{
		{nil, true, "exclude_route_types", ""},
		{[]string{"--exclude-route-types", "0-1702"}, false, "exclude_route_types", "0-1702"},
		{[]string{"--route-types", "0-12"}, true, "route_types", "0-12"},
		{[]string{"--route-types", "700-799"}, false, "route_types", "700-799"},
		{[]string{"--exclude-routes", "NOPE,ALSO"}, true, "exclude_routes", "NOPE,ALSO"},
	}
	for _, c := range cases {
		out := t.TempDir()
		r := runVingt(t, "", append(fixtureRunArgs("2026-01-13", out), c.args...)...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d: %s", c.args, r.code, r.stderr)
		}
		cells := readTable(t, filepath.Join(out, "cells.parquet"))
		served := false
		for i, id := range cells.Column("cell_id").String {
			if id == "G" {
				served = cells.Column("served").Bool[i]
			}
		}
		if served != c.served {
			t.Errorf("%v: cell G served %v, want %v", c.args, served, c.served)
		}
		b, _ := os.ReadFile(filepath.Join(out, "run.json"))
		var m struct {
			Parameters map[string]any `json:"parameters"`
		}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		if got, _ := m.Parameters[c.key].(string); got != c.want {
			t.Errorf("%v: run.json %s = %q, want %q", c.args, c.key, got, c.want)
		}
	}
	r := runVingt(t, "", append(fixtureRunArgs("2026-01-13", t.TempDir()), "--route-types", "bus")...)
	if r.code != 2 || !containsAll(r.stderr, "route-types", `"bus"`, "0–1702") {
		t.Errorf("--route-types bus: exit %d, %s", r.code, r.stderr)
	}
}

// containsAll reports whether s holds every one of subs.
func containsAll(s string, subs ...string) bool {
	for _, x := range subs {
		if !strings.Contains(s, x) {
			return false
		}
	}
	return true
}

// TestRunDefaultBasket checks --basket default: the built-in categories,
// read from --bpe, and a clear error without a BPE file.
func TestRunDefaultBasket(t *testing.T) {
	bpe, _ := filepath.Abs(filepath.Join("..", "..", "coverage", "testdata", "bpe21_sample.csv"))
	dir := filepath.Join("..", "..", "testdata", "fixtures", "forbidden-transfer")
	out := t.TempDir()
	args := []string{"run", "--quiet", "--gtfs", filepath.Join(dir, "gtfs"), "--grid", filepath.Join(dir, "grid.csv"),
		"--date", "2026-01-13", "--window", "08:00-08:10", "--out", out, "--basket", "default"}
	r := runVingt(t, "", append(args, "--bpe", bpe)...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	b, _ := os.ReadFile(filepath.Join(out, "run.json"))
	var m struct {
		Categories []string `json:"categories"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if strings.Join(m.Categories, ",") != "poste,pharmacie,medecin,france_services" {
		t.Errorf("categories %v", m.Categories)
	}
	r = runVingt(t, "", append(args[:len(args):len(args)], "--out", t.TempDir())...)
	if r.code != 2 || !strings.Contains(r.stderr, "default basket is read from an INSEE BPE file") {
		t.Errorf("without --bpe: exit %d, %s", r.code, r.stderr)
	}
}
