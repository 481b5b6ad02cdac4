package output

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestFlattenParameters(t *testing.T) {
	const doc = `{"threshold_seconds": 1200, "walk": {"speed": 1.2, "osm": "a&b<c>.pbf"},
		"percentiles": [50, 90], "name": "x", "routes": {"types": ["700-799"]}}`
	var v any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		raw  bool
		want map[string]string
	}{
		{false, map[string]string{"threshold_seconds": "1200", "walk.speed": "1.2", "walk.osm": `"a&b<c>.pbf"`,
			"percentiles": "[50,90]", "name": `"x"`, "routes.types": `["700-799"]`}},
		{true, map[string]string{"threshold_seconds": "1200", "walk.speed": "1.2", "walk.osm": "a&b<c>.pbf",
			"percentiles": "[50,90]", "name": "x", "routes.types": `["700-799"]`}},
	} {
		if got := FlattenParameters(v, tc.raw); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("raw %v:\n got %v\nwant %v", tc.raw, got, tc.want)
		}
	}
	if got := FlattenParameters("loose", false); len(got) != 0 {
		t.Errorf("a value without a key: %v, want nothing", got)
	}
}
