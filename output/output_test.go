package output

import "testing"

// TestPrefixes checks that the per-category names keep the prefixes that
// readers of other packages (the report) match on.
func TestPrefixes(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{TravelTime("x"), "travel_time_x"}, {ServedBy("x"), "population_served_x"},
		{Served("x"), "served_x"}, {Share("x"), "share_x"}, {TravelTimeAt("x", 50), "travel_time_x_p50"},
	} {
		if c.got != c.want {
			t.Errorf("%q, want %q", c.got, c.want)
		}
	}
	for _, bad := range []string{"Poste", "1a", "a-b", ""} {
		if CheckName("category", bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	for _, bad := range []string{"population", "served", "cell_id", "served_poste", "travel_time_x"} {
		if CheckName("level", bad) == nil {
			t.Errorf("level %q accepted", bad)
		}
	}
}
