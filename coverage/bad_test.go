package coverage

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vingt/vingt/internal/testutil"
)

// badReaders reads one bad input of a kind.
var badReaders = map[string]func(path string) error{
	"grid": func(p string) error {
		_, err := ReadGrid(p, "")
		return err
	},
	"services": func(p string) error {
		spec := "cat=" + p
		if strings.HasPrefix(filepath.Base(p), "count-") {
			spec += "#schools"
		}
		_, err := ReadServices(spec)
		return err
	},
	"territories": func(p string) error {
		_, err := ReadLevel("commune", p, "", "")
		return err
	},
	"basket": func(p string) error {
		b, err := ReadBasket(p)
		if err != nil {
			return err
		}
		_, err = b.Load()
		return err
	},
}

// locatedRE is what a located message looks like: the file, then a line
// (CSV, TOML) or a feature (GeoJSON) or a field.
var locatedRE = regexp.MustCompile(`^coverage: [^ :]+(:\d+)?: (.+)$`)

// TestBadInputs reads every file of testdata/bad/{grid,services,
// territories,basket} (basket: the .toml files; the others are what they
// point to) and checks its exact message against the folder's
// expected.json (go test -update rewrites it). Every message names the
// file, and the line (CSV, TOML) or feature (GeoJSON) and the field where
// there is one; none panics.
func TestBadInputs(t *testing.T) {
	for kind, read := range badReaders {
		t.Run(kind, func(t *testing.T) {
			dir := filepath.Join("..", "testdata", "bad", kind)
			golden := filepath.Join(dir, "expected.json")
			want := map[string]string{}
			if !testutil.Update() {
				b, err := os.ReadFile(golden)
				if err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(b, &want); err != nil {
					t.Fatal(err)
				}
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, e := range entries {
				name := e.Name()
				if e.IsDir() || name == "expected.json" || (kind == "basket" && !strings.HasSuffix(name, ".toml")) {
					continue
				}
				err := read(filepath.Join(dir, name))
				if err == nil {
					t.Errorf("%s: no error", name)
					continue
				}
				msg := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
				got[name] = msg
				m := locatedRE.FindStringSubmatch(msg)
				// The file named is the case or (basket) a file it points to.
				if m == nil || !strings.HasPrefix(msg, "coverage: "+name) && (kind != "basket" || !namesFileIn(dir, msg)) {
					t.Errorf("%s: message %q does not name the file", name, msg)
				}
				var ie *InputError
				if errors.As(err, &ie) && ie.Line == 0 && ie.Field == "" && !slices.Contains(lineless, name) {
					t.Errorf("%s: message %q names neither a line nor a field", name, msg)
				}
				if !testutil.Update() && want[name] != msg {
					t.Errorf("%s:\n got %s\nwant %s", name, msg, want[name])
				}
			}
			if testutil.Update() {
				b, _ := json.MarshalIndent(got, "", "  ")
				if err := os.WriteFile(golden, append(b, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			for name := range want {
				if _, ok := got[name]; !ok {
					t.Errorf("expected.json names %s, which is not in %s", name, dir)
				}
			}
			if len(got) < 10 {
				t.Errorf("only %d cases", len(got))
			}
		})
	}
}

// namesFileIn reports whether msg starts by naming a file of dir.
func namesFileIn(dir, msg string) bool {
	rest := strings.TrimPrefix(msg, "coverage: ")
	file, _, _ := strings.Cut(rest, ":")
	_, err := os.Stat(filepath.Join(dir, file))
	return err == nil || strings.HasSuffix(err.Error(), "no such file or directory") && strings.Contains(msg, "no such file")
}

// lineless are the cases whose problem is the whole file.
var lineless = []string{
	"empty.csv", "empty.geojson", "header-only.csv", "all-empty-cells.csv",
	"no-features.geojson", "not-geojson.geojson", "geojson-not-featurecollection.geojson",
	"no-category.toml", "bpe-codes-without-file.toml", "duplicate-category.toml", "bad-name.toml",
	"source-missing.toml", "bpe-code-twice.toml",
}

// TestLongLine checks a 10 MB line: an error naming the file and line, not
// a 10 MB allocation per field. The file is written here rather than kept
// in testdata.
func TestLongLine(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		read func(string) error
	}{
		{"grid.csv", badReaders["grid"]},
		{"services.csv", badReaders["services"]},
	} {
		p := filepath.Join(dir, tc.name)
		long := "id,lon,lat,population\na,0.7,45.1,3\nb,0.7,45.1," + strings.Repeat("9", 10<<20) + "\n"
		if err := os.WriteFile(p, []byte(long), 0o644); err != nil {
			t.Fatal(err)
		}
		err := tc.read(p)
		want := "coverage: " + p + ":3: line longer than 1048576 bytes"
		if err == nil || err.Error() != want {
			t.Errorf("%s: error %v, want %s", tc.name, err, want)
		}
	}
}
