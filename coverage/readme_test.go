package coverage

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vingt/vingt/internal/testutil"
)

// TestReadmeParameters checks that README's parameter table is the table
// of Parameters, row for row: a parameter is declared once, in params.go,
// and documented from there (-update rewrites the README block).
func TestReadmeParameters(t *testing.T) {
	path := filepath.Join("..", "README.md")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- parameters: generated", "<!-- end parameters -->"
	s := string(b)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("%s: no parameter block", path)
	}
	i += strings.Index(s[i:], "\n") + 1
	var w strings.Builder
	w.WriteString("| flag / config key | default | unit | meaning |\n|---|---|---|---|\n")
	for _, p := range Parameters {
		def := "(none)"
		if p.Default != "" {
			def = "`" + p.Default + "`"
		}
		fmt.Fprintf(&w, "| `--%s` / `%s` | %s | %s | %s |\n", p.Flag, p.Key, def, p.Unit, strings.ReplaceAll(p.Help, "|", "\\|"))
	}
	if testutil.Update() {
		s = s[:i] + w.String() + s[j:]
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got := s[i:j]; got != w.String() {
		t.Errorf("README's parameter table differs from coverage.Parameters (run with -update):\n got %q\nwant %q", got, w.String())
	}
}
