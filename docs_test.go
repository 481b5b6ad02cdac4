package vingt_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/doc"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// docPackage is what the documentation check needs of a package.
type docPackage struct {
	ImportPath, Name, Doc string
	// Examples counts the runnable examples of its test files: those with
	// an output comment, which go test runs.
	Examples int
}

// checkDocs returns, sorted, every package of the module without a package
// comment that starts with its name ("Package x …", or "Command …" for a
// command), and every package other than a command without a runnable
// example.
func checkDocs(pkgs []docPackage) []string {
	var bad []string
	for _, p := range pkgs {
		if _, ok := rel(p.ImportPath); !ok {
			continue
		}
		self := name(p.ImportPath)
		want := "Package " + p.Name + " "
		if p.Name == "main" {
			want = "Command "
		}
		if !strings.HasPrefix(p.Doc, want) {
			bad = append(bad, fmt.Sprintf("%s: the package comment does not start with %q", self, want))
		}
		if p.Name != "main" && p.Examples == 0 {
			bad = append(bad, fmt.Sprintf("%s: no runnable Example (with an output comment)", self))
		}
	}
	slices.Sort(bad)
	return bad
}

// runnableExamples counts the examples with an output comment in the
// files of dir.
func runnableExamples(dir string, files []string) (int, error) {
	fset := token.NewFileSet()
	n := 0
	for _, f := range files {
		ast, err := parser.ParseFile(fset, filepath.Join(dir, f), nil, parser.ParseComments)
		if err != nil {
			return 0, err
		}
		for _, ex := range doc.Examples(ast) {
			if ex.Output != "" || ex.EmptyOutput {
				n++
			}
		}
	}
	return n, nil
}

// TestPackagesDocumented checks that every package of the module has a
// package comment and, but for commands, a runnable Example.
func TestPackagesDocumented(t *testing.T) {
	out, err := exec.Command("go", "list", "-e", "-json=ImportPath,Name,Doc,Dir,TestGoFiles,XTestGoFiles", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []docPackage
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p struct {
			ImportPath, Name, Doc, Dir string
			TestGoFiles, XTestGoFiles  []string
		}
		err := dec.Decode(&p)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		n, err := runnableExamples(p.Dir, slices.Concat(p.TestGoFiles, p.XTestGoFiles))
		if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, docPackage{p.ImportPath, p.Name, p.Doc, n})
	}
	if len(pkgs) < 5 {
		t.Fatalf("go list listed %d packages: the test runs in the wrong place", len(pkgs))
	}
	for _, v := range checkDocs(pkgs) {
		t.Error(v)
	}
}

// TestCheckDocsCatches feeds checkDocs packages with and without what it
// asks: it must report each lack, and nothing more.
func TestCheckDocsCatches(t *testing.T) {
	m := func(r string) string { return module + "/" + r }
	tests := []struct {
		name string
		pkg  docPackage
		want []string
	}{
		{"documented", docPackage{m("gtfs"), "gtfs", "Package gtfs reads GTFS feeds.", 1}, nil},
		{"a command needs no example", docPackage{m("cmd/vingt"), "main", "Command vingt measures.", 0}, nil},
		{"outside the module", docPackage{"example.org/x", "x", "", 0}, nil},
		{"no package comment", docPackage{m("coverage"), "coverage", "", 2},
			[]string{`coverage: the package comment does not start with "Package coverage "`}},
		{"the comment names another package", docPackage{m("router"), "router", "Package isochrone compiles feeds.", 1},
			[]string{`router: the package comment does not start with "Package router "`}},
		{"no example", docPackage{m("table"), "table", "Package table writes tables.", 0},
			[]string{"table: no runnable Example (with an output comment)"}},
		{"a command without a comment", docPackage{m("cmd/vingt"), "main", "", 0},
			[]string{`cmd/vingt: the package comment does not start with "Command "`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := checkDocs([]docPackage{tt.pkg}); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestRunnableExamples checks the counting of runnable examples: one
// without an output comment is compiled but not run, so it does not count.
func TestRunnableExamples(t *testing.T) {
	dir := t.TempDir()
	src := map[string]string{
		"none_test.go": "package x_test\n\nfunc ExampleF() {}\n",
		"runs_test.go": "package x_test\n\nimport \"fmt\"\n\nfunc ExampleG() {\n\tfmt.Println(1)\n\t// Output: 1\n}\n\nfunc ExampleH() {\n\t// Output:\n}\n",
	}
	for name, s := range src {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		files []string
		want  int
	}{{[]string{"none_test.go"}, 0}, {[]string{"runs_test.go"}, 2}, {[]string{"none_test.go", "runs_test.go"}, 2}} {
		if got, err := runnableExamples(dir, tt.files); err != nil || got != tt.want {
			t.Errorf("%v: %d examples (%v), want %d", tt.files, got, err, tt.want)
		}
	}
}
