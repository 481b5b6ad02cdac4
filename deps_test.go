package vingt_test

// This file checks that the packages of the module import only what their
// layer allows, in the manner of Go's own go/build/deps_test.go and of
// OpenTripPlanner's RaptorArchitectureTest. The rules are a statement of
// policy: do not relax one to make a build pass without a discussion.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// module is the path of this module.
const module = "github.com/vingt/vingt"

// Pseudo-names of an allow-list.
const (
	std = "STD" // any package of the standard library
	ext = "EXT" // any package outside this module and the standard library
)

// External modules named by the negative rules.
const (
	geos = "github.com/twpayne/go-geos"
	proj = "github.com/twpayne/go-proj"
)

// engine is every package that computes the indicator: the output side
// (schema, writers, diff, report) reads finished files and imports none
// of it.
var engine = []string{"gtfs", "hours", "walk", "router", "isochrone", "coverage"}

// depRule is the policy of one package of the module.
type depRule struct {
	// pkg is the package path relative to the module ("" is the root).
	pkg string
	// allow lists what pkg may import directly: packages of the module,
	// relative to it, and the pseudo-names std and ext.
	allow []string
	// deny lists what pkg must not depend on even indirectly: packages of
	// the module (a trailing "/..." names a tree) or external path
	// prefixes.
	deny []string
}

// depsRules is the allow-list of every package of the module, lowest layer
// first. A rule may name a package that does not exist yet.
var depsRules = []depRule{
	{pkg: "", allow: []string{std}}, // the embedded example
	{pkg: "gtfs", allow: []string{std}},
	{pkg: "hours", allow: []string{std}},
	{pkg: "walk", allow: []string{std, "gtfs"}, deny: []string{geos, proj, "router", "coverage"}},
	{pkg: "router", allow: []string{std, "gtfs", "walk", "hours"}, deny: []string{geos, proj, "isochrone", "coverage"}},
	{pkg: "isochrone", allow: []string{std, ext, "gtfs", "walk", "router", "streets"}, deny: []string{proj, "coverage"}},
	{pkg: "raster", allow: []string{std, ext}, deny: engine},
	{pkg: "streets", allow: []string{std, ext, "gtfs", "walk"}, deny: []string{geos, proj, "router", "coverage"}},
	{pkg: "output", allow: []string{std}, deny: engine},
	{pkg: "table", allow: []string{std, ext}, deny: engine},
	{pkg: "compare", allow: []string{std, ext, "table", "output"}, deny: engine},
	{pkg: "report", allow: []string{std, ext, "table", "output", "compare"}, deny: engine},
	{pkg: "coverage", allow: []string{std, ext, "gtfs", "hours", "walk", "streets", "raster", "router", "table", "output"},
		deny: []string{"isochrone", "compare", "report"}},
	{pkg: "cmd/vingt", allow: []string{std, ext, "", "gtfs", "hours", "walk", "streets", "raster", "router", "isochrone",
		"output", "table", "compare", "report", "coverage"}},
	{pkg: "deploy", allow: []string{std}, deny: engine},
	// The DuckDB reader of partitioned outputs lives in its test only.
	{pkg: "internal/duckread", allow: []string{std}},
	{pkg: "internal/testutil", allow: []string{std}},
	{pkg: "internal/testutil/csa", allow: []string{std, "gtfs"}},
}

// Every package of the module, whatever its rule, must not import a
// command or, outside its tests, the test helpers.
var (
	neverImported  = []string{"cmd/..."}
	onlyFromTests  = []string{"internal/testutil/..."}
	testNeverTakes = []string{"cmd/..."}
)

// goPackage is what go list says of a package.
type goPackage struct {
	ImportPath   string
	Imports      []string
	Deps         []string
	TestImports  []string
	XTestImports []string
	Error        *struct{ Err string }
}

// isStd tells whether path is of the standard library: its first element
// has no dot (as the go command decides).
func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// rel returns path relative to the module, and whether it is in it.
func rel(path string) (string, bool) {
	if path == module {
		return "", true
	}
	r, ok := strings.CutPrefix(path, module+"/")
	return r, ok
}

// name is how a violation names a package: relative to the module when in
// it.
func name(path string) string {
	if r, ok := rel(path); ok {
		if r == "" {
			return "(root)"
		}
		return r
	}
	return path
}

// matches tells whether path matches a pattern of a deny list: a package
// of the module, a tree of the module ("x/..."), or an external prefix.
func matches(path, pattern string) bool {
	if strings.Contains(pattern, ".") && !strings.HasSuffix(pattern, "/...") {
		return path == pattern || strings.HasPrefix(path, pattern+"/")
	}
	r, ok := rel(path)
	if !ok {
		return false
	}
	if tree, ok := strings.CutSuffix(pattern, "/..."); ok {
		return r == tree || strings.HasPrefix(r, tree+"/")
	}
	return r == pattern
}

// allowed tells whether a direct import of imp is in the allow-list.
func allowed(imp string, allow []string) bool {
	switch r, ok := rel(imp); {
	case ok:
		return slices.Contains(allow, r)
	case isStd(imp):
		return slices.Contains(allow, std)
	default:
		return slices.Contains(allow, ext)
	}
}

// checkDeps returns, sorted, every way pkgs break rules: a package of the
// module without a rule, a direct import outside its allow-list, a denied
// dependency even indirect, and the imports that no package may make.
func checkDeps(rules []depRule, pkgs []goPackage) []string {
	byPkg := map[string]depRule{}
	for _, r := range rules {
		byPkg[r.pkg] = r
	}
	var bad []string
	report := func(format string, args ...any) { bad = append(bad, fmt.Sprintf(format, args...)) }
	for _, p := range pkgs {
		r, ok := rel(p.ImportPath)
		if !ok {
			continue
		}
		self := name(p.ImportPath)
		if p.Error != nil {
			report("%s: go list: %s", self, p.Error.Err)
		}
		for _, imp := range p.Imports {
			for _, d := range neverImported {
				if matches(imp, d) && !matches(p.ImportPath, d) {
					report("%s imports the command %s", self, name(imp))
				}
			}
			for _, d := range onlyFromTests {
				if matches(imp, d) && !matches(p.ImportPath, d) {
					report("%s imports %s outside its tests", self, name(imp))
				}
			}
		}
		for _, imp := range slices.Concat(p.TestImports, p.XTestImports) {
			for _, d := range testNeverTakes {
				if matches(imp, d) {
					report("the tests of %s import the command %s", self, name(imp))
				}
			}
		}
		rule, ok := byPkg[r]
		if !ok {
			report("%s has no rule: add its row to depsRules", self)
			continue
		}
		for _, imp := range p.Imports {
			if !allowed(imp, rule.allow) {
				report("%s imports %s, outside its allow-list", self, name(imp))
			}
		}
		for _, dep := range p.Deps {
			for _, d := range rule.deny {
				if matches(dep, d) {
					report("%s depends on %s, which it must not even indirectly", self, name(dep))
				}
			}
		}
	}
	slices.Sort(bad)
	return slices.Compact(bad)
}

// listPackages runs go list on every package of the module.
func listPackages(t *testing.T) []goPackage {
	t.Helper()
	cmd := exec.Command("go", "list", "-e", "-json=ImportPath,Imports,Deps,TestImports,XTestImports,Error", "./...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.Bytes())
	}
	var pkgs []goPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p goPackage
		err := dec.Decode(&p)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// TestDependencies checks the import graph of the module against
// depsRules.
func TestDependencies(t *testing.T) {
	pkgs := listPackages(t)
	seen := map[string]bool{}
	for _, p := range pkgs {
		seen[p.ImportPath] = true
	}
	for _, must := range []string{module, module + "/gtfs", module + "/router", module + "/coverage"} {
		if !seen[must] {
			t.Fatalf("go list did not list %s: the test runs in the wrong place", must)
		}
	}
	for _, v := range checkDeps(depsRules, pkgs) {
		t.Error(v)
	}
}

// TestDepsRules checks the table itself: one row per package, and every
// package an allow-list or a deny list names has a row.
func TestDepsRules(t *testing.T) {
	rows := map[string]bool{}
	for _, r := range depsRules {
		if rows[r.pkg] {
			t.Errorf("two rows for %q", r.pkg)
		}
		rows[r.pkg] = true
	}
	for _, r := range depsRules {
		for _, a := range r.allow {
			if a != std && a != ext && !rows[a] {
				t.Errorf("%q allows %q, which has no row", r.pkg, a)
			}
		}
		for _, d := range r.deny {
			if !strings.Contains(d, ".") && !rows[strings.TrimSuffix(d, "/...")] {
				t.Errorf("%q denies %q, which has no row", r.pkg, d)
			}
		}
	}
}

// TestCheckDepsCatches feeds checkDeps import graphs with forbidden edges,
// and one without: the check must report each edge, and nothing more.
func TestCheckDepsCatches(t *testing.T) {
	m := func(r string) string { return module + "/" + r }
	tests := []struct {
		name string
		pkgs []goPackage
		want []string
	}{
		{
			name: "the tree as it should be",
			pkgs: []goPackage{
				{ImportPath: module, Imports: []string{"embed", "io/fs"}},
				{ImportPath: m("gtfs"), Imports: []string{"archive/zip", "strconv"}},
				{ImportPath: m("router"), Imports: []string{"math", m("gtfs"), m("walk")}, Deps: []string{"math", m("gtfs"), m("walk")}},
				{ImportPath: m("isochrone"), Imports: []string{geos, m("router")}, Deps: []string{geos, m("gtfs"), m("router")}},
				{ImportPath: m("coverage"), Imports: []string{geos, proj + "/v11", m("router"), m("table")},
					TestImports: []string{m("internal/testutil")}},
				{ImportPath: m("table"), Imports: []string{"github.com/apache/arrow-go/v18/arrow"}},
				{ImportPath: m("cmd/vingt"), Imports: []string{m("coverage"), m("isochrone"), module}},
				{ImportPath: m("internal/testutil/csa"), Imports: []string{"testing", m("gtfs")}},
				{ImportPath: "github.com/other/cmd/tool", Imports: []string{m("cmd/vingt")}},
			},
		},
		{
			name: "the router links GEOS",
			pkgs: []goPackage{{ImportPath: m("router"), Imports: []string{geos}, Deps: []string{geos}}},
			want: []string{
				"router depends on github.com/twpayne/go-geos, which it must not even indirectly",
				"router imports github.com/twpayne/go-geos, outside its allow-list",
			},
		},
		{
			name: "the reader imports the router",
			pkgs: []goPackage{{ImportPath: m("gtfs"), Imports: []string{"os", m("router")}}},
			want: []string{"gtfs imports router, outside its allow-list"},
		},
		{
			name: "the reader imports a module",
			pkgs: []goPackage{{ImportPath: m("gtfs"), Imports: []string{"golang.org/x/text/encoding"}}},
			want: []string{"gtfs imports golang.org/x/text/encoding, outside its allow-list"},
		},
		{
			name: "the router reaches coverage through the walker",
			pkgs: []goPackage{{ImportPath: m("router"), Imports: []string{m("walk")}, Deps: []string{m("coverage"), m("walk")}}},
			want: []string{"router depends on coverage, which it must not even indirectly"},
		},
		{
			name: "the walker imports the router",
			pkgs: []goPackage{{ImportPath: m("walk"), Imports: []string{m("router")}, Deps: []string{m("gtfs"), m("router")}}},
			want: []string{
				"walk depends on router, which it must not even indirectly",
				"walk imports router, outside its allow-list",
			},
		},
		{
			name: "the schema imports the engine",
			pkgs: []goPackage{{ImportPath: m("output"), Imports: []string{m("coverage")}, Deps: []string{m("coverage"), m("router")}}},
			want: []string{
				"output depends on coverage, which it must not even indirectly",
				"output depends on router, which it must not even indirectly",
				"output imports coverage, outside its allow-list",
			},
		},
		{
			name: "table and compare import the router",
			pkgs: []goPackage{
				{ImportPath: m("table"), Imports: []string{m("router")}, Deps: []string{m("router")}},
				{ImportPath: m("compare"), Imports: []string{m("table")}, Deps: []string{m("router"), m("table")}},
			},
			want: []string{
				"compare depends on router, which it must not even indirectly",
				"table depends on router, which it must not even indirectly",
				"table imports router, outside its allow-list",
			},
		},
		{
			name: "coverage imports isochrone",
			pkgs: []goPackage{{ImportPath: m("coverage"), Imports: []string{m("isochrone")}, Deps: []string{m("isochrone")}}},
			want: []string{
				"coverage depends on isochrone, which it must not even indirectly",
				"coverage imports isochrone, outside its allow-list",
			},
		},
		{
			name: "isochrone imports coverage",
			pkgs: []goPackage{{ImportPath: m("isochrone"), Imports: []string{m("coverage")}, Deps: []string{m("coverage")}}},
			want: []string{
				"isochrone depends on coverage, which it must not even indirectly",
				"isochrone imports coverage, outside its allow-list",
			},
		},
		{
			name: "a package imports the command",
			pkgs: []goPackage{{ImportPath: m("coverage"), Imports: []string{m("cmd/vingt")}}},
			want: []string{
				"coverage imports cmd/vingt, outside its allow-list",
				"coverage imports the command cmd/vingt",
			},
		},
		{
			name: "a test imports the command",
			pkgs: []goPackage{{ImportPath: m("router"), XTestImports: []string{m("cmd/vingt")}}},
			want: []string{"the tests of router import the command cmd/vingt"},
		},
		{
			name: "the test helpers outside the tests",
			pkgs: []goPackage{{ImportPath: m("cmd/vingt"), Imports: []string{m("internal/testutil")}}},
			want: []string{
				"cmd/vingt imports internal/testutil outside its tests",
				"cmd/vingt imports internal/testutil, outside its allow-list",
			},
		},
		{
			name: "a package without a rule",
			pkgs: []goPackage{{ImportPath: m("newpkg"), Imports: []string{m("cmd/vingt")}}},
			want: []string{
				"newpkg has no rule: add its row to depsRules",
				"newpkg imports the command cmd/vingt",
			},
		},
		{
			name: "a package go list cannot load",
			pkgs: []goPackage{{ImportPath: m("gtfs"), Error: &struct{ Err string }{"no Go files"}}},
			want: []string{"gtfs: go list: no Go files"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := checkDeps(depsRules, tt.pkgs)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
		})
	}
}
