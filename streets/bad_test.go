package streets

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeTemp(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestBadInput checks that bad files and options give an error naming the
// file and saying what is wrong, never a panic.
func TestBadInput(t *testing.T) {
	noWay := `<osm version="0.6"><node id="1" lat="0" lon="0"/><node id="2" lat="0" lon="0.001"/>
<way id="1"><nd ref="1"/><nd ref="2"/><tag k="waterway" v="river"/></way>
<way id="2"><nd ref="1"/><nd ref="2"/><tag k="highway" v="motorway"/></way></osm>`
	noNode := `<osm version="0.6"><node id="1" lat="95" lon="0"/>
<way id="1"><nd ref="1"/><nd ref="2"/><tag k="highway" v="footway"/></way></osm>`
	for _, c := range []struct {
		name, data string
		opt        Options
		want       string
	}{
		{"empty.osm.pbf", "", Options{}, "empty file"},
		{"text.osm.pbf", "hello, this is not OpenStreetMap\n", Options{}, "not an OSM PBF file"},
		{"nul.osm.pbf", "\x00\x00\x00", Options{}, "truncated"},
		{"bad.osm", `<osm version="0.6"><node id="1" lat="0`, Options{}, "xml"},
		{"noway.osm", noWay, Options{}, "no walkable way among 2 ways"},
		{"nonode.osm", noNode, Options{}, "no walkable edge"},
		{"radius.osm", noWay, Options{LinkRadius: 1e9}, "link radius 1e+09 m"},
		{"nan.osm", noWay, Options{LinkRadius: math.NaN()}, "link radius NaN m"},
		{"neg.osm", noWay, Options{LinkRadius: -1}, "link radius -1 m"},
	} {
		p := writeTemp(t, c.name, []byte(c.data))
		_, err := Load(context.Background(), p, c.opt)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), p) || !strings.HasPrefix(err.Error(), "streets: ") {
			t.Errorf("%s: error %v, want one naming the file and saying %q", c.name, err, c.want)
		}
	}
	if _, err := Load(context.Background(), t.TempDir(), Options{}); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("directory: %v", err)
	}
	if _, err := Load(context.Background(), "testdata/absent.osm.pbf", Options{}); err == nil || !strings.Contains(err.Error(), "absent.osm.pbf") {
		t.Errorf("absent file: %v", err)
	}
}

// TestBadPBF cuts and corrupts the real Porto Alegre extract: every cut is
// refused as truncated with its byte offset; corrupt bytes give an error or,
// when they fall where nothing checks them, a graph, never a panic.
func TestBadPBF(t *testing.T) {
	data, err := os.ReadFile(realData(t, "porto-alegre/poa_osm.pbf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 4, 5, 20, 100, 1000, len(data) / 2, len(data) - 1} {
		p := writeTemp(t, "cut.osm.pbf", data[:n])
		_, err := Load(context.Background(), p, Options{})
		if err == nil || !strings.Contains(err.Error(), "truncated") || !strings.Contains(err.Error(), p) {
			t.Errorf("cut at %d bytes: %v, want a truncation error naming the file", n, err)
		}
	}
	rng := rand.New(rand.NewPCG(1, 11))
	refused := 0
	const tries = 40
	for i := range tries {
		bad := bytes.Clone(data)
		// the first tries hit the framing of the first blocks, then anywhere
		at := rng.IntN(len(bad))
		if i < 10 {
			at = rng.IntN(200)
		}
		bad[at] ^= byte(1 + rng.IntN(255))
		p := writeTemp(t, "corrupt.osm.pbf", bad)
		_, err := Load(context.Background(), p, Options{})
		if err != nil {
			refused++
			if i%8 == 0 {
				t.Logf("byte %d: %v", at, err)
			}
			if !strings.Contains(err.Error(), p) {
				t.Errorf("byte %d corrupt: error %v does not name the file", at, err)
			}
		}
	}
	t.Logf("%d of %d corrupt copies refused", refused, tries)
	if refused < tries*3/4 {
		t.Errorf("only %d of %d corrupt copies refused", refused, tries)
	}
}

// TestMissingNodes checks that a way is split where its nodes are absent
// from the file and that the absences are counted.
func TestMissingNodes(t *testing.T) {
	x := `<osm version="0.6">
<node id="1" lat="0" lon="0"/><node id="2" lat="0" lon="0.001"/><node id="3" lat="0" lon="0.002"/>
<node id="5" lat="0" lon="0.004"/><node id="6" lat="0" lon="0.005"/><node id="7" lat="0" lon="0.006"/>
<way id="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="5"/><nd ref="6"/><nd ref="7"/><tag k="highway" v="footway"/></way>
</osm>`
	g, err := Load(context.Background(), writeTemp(t, "missing.osm", []byte(x)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	st := g.Stats()
	if st.MissingNodes != 1 || st.Components != 2 || st.Vertices != 2 || st.Edges != 1 || st.ComponentsDropped != 1 {
		t.Errorf("stats %+v, want 1 missing node, 2 components of one edge each, one dropped", st)
	}
	if _, _, m := g.Edge(0); math.Abs(float64(m)-2*u) > 0.01 {
		t.Errorf("edge length %.3f m, want %.3f", m, 2*u)
	}
}

// FuzzLoadXML loads arbitrary XML: an error or a consistent graph.
func FuzzLoadXML(f *testing.F) {
	fix, err := os.ReadFile("testdata/fixture.osm")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(fix)
	f.Add([]byte(`<osm><node id="1" lat="0" lon="0"/><node id="2" lat="1" lon="1"/><way id="1"><nd ref="1"/><nd ref="2"/><nd ref="1"/><tag k="highway" v="path"/></way></osm>`))
	f.Add([]byte(`<osm><node id="1" lat="NaN" lon="0"/><way id="1"><nd ref="1"/><nd ref="1"/><tag k="highway" v="steps"/></way></osm>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 || data[0] != '<' || len(data) > 1<<16 {
			return // the PBF path is checked by TestBadPBF
		}
		g, err := load(context.Background(), "fuzz.osm", bytes.NewReader(data), int64(len(data)), Options{})
		if err != nil {
			return
		}
		if g.Vertices() == 0 || g.Edges() == 0 {
			t.Fatalf("empty graph without error: %+v", g.Stats())
		}
		for e := range g.Edges() {
			u, v, m := g.Edge(int32(e))
			if !(m >= 0) || int(u) >= g.Vertices() || int(v) >= g.Vertices() {
				t.Fatalf("edge %d: %d %d %g", e, u, v, m)
			}
		}
		lat, lon := g.Vertex(0)
		l, ok := g.Link(lat, lon, 10)
		if !ok {
			t.Fatalf("vertex 0 does not link to its own edge")
		}
		s := g.NewSearch()
		s.FromLinks([]Link{l}, nil, 1e7)
		if d := s.To(l); !(d >= 0 && d < 1) {
			t.Fatalf("distance from a vertex to itself %g", d)
		}
	})
}
