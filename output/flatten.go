package output

import (
	"bytes"
	"encoding/json"
	"strings"
)

// FlattenParameters returns the manifest's nested parameters (as decoded
// from JSON) under dotted keys, each value written as JSON without HTML
// escaping; with rawStrings, string values are kept as they are, unquoted,
// for people to read. Compare and report both show parameters this way.
func FlattenParameters(v any, rawStrings bool) map[string]string {
	out := map[string]string{}
	flatten("", v, rawStrings, out)
	return out
}

func flatten(prefix string, v any, rawStrings bool, out map[string]string) {
	if m, ok := v.(map[string]any); ok {
		for k, x := range m {
			key := k
			if prefix != "" {
				key = prefix + "." + k
			}
			flatten(key, x, rawStrings, out)
		}
		return
	}
	if prefix == "" {
		return
	}
	if s, ok := v.(string); ok && rawStrings {
		out[prefix] = s
		return
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		out[prefix] = "?"
		return
	}
	out[prefix] = strings.TrimSpace(buf.String())
}
