package report

import (
	"strings"
	"testing"
)

// FuzzParseManifest checks that any run.json gives a manifest or an error
// naming the file, never a panic, and that the run section renders.
func FuzzParseManifest(f *testing.F) {
	f.Add([]byte(newFixture().manifest))
	f.Add([]byte(`{"parameters":{"a":{"b":[1,2]}},"inputs":[{"counts":{"x":"y"}}]}`))
	f.Add([]byte(`{"warnings":[{"count":-1}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := parseManifest("run.json", b)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "report: run.json: ") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		d := &doc{l: French, r: &run{man: m}}
		if d.threshold() <= 0 {
			t.Fatal("threshold not positive")
		}
		var sb strings.Builder
		w := newBufWriter(&sb)
		d.writeRun(w)
		w.Flush()
	})
}
