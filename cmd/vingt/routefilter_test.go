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
