package coverage

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/vingt/vingt/internal/testutil"
)

// TestDordogneBasket reads testdata/baskets/dordogne.toml, the basket of
// README's Dordogne command: the post offices and communal agencies of La
// Poste's file (221 of 243 sites: the 21 shop relays and the one
// intercommunal agency left out) and every France Services desk.
func TestDordogneBasket(t *testing.T) {
	testutil.SharedData(t, "dordogne/services/laposte_points_contact_dordogne.csv")
	path := filepath.Join("..", "testdata", "baskets", "dordogne.toml")
	b, err := ReadBasket(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(b.Categories[0].Sources[0].Path); err != nil {
		t.Skipf("the basket's data is not beside the repository: %v", err)
	}
	cats, err := b.Load()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"poste": 82 + 139, "france_services": 10}
	for _, c := range cats {
		n, ok := want[c.Name]
		if !ok {
			t.Fatalf("unexpected category %q", c.Name)
		}
		if n >= 0 && len(c.Points) != n {
			t.Errorf("%s: %d points, want %d", c.Name, len(c.Points), n)
		}
		if len(c.Points) == 0 {
			t.Errorf("%s: no point", c.Name)
		}
		delete(want, c.Name)
	}
	if len(want) != 0 {
		t.Errorf("categories missing: %v", want)
	}
}
