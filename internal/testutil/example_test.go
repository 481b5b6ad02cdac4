package testutil_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/vingt/vingt/internal/testutil"
)

// ExampleModuleRoot finds the folder of go.mod from a package two levels
// below it, as SharedData does from the folder of the test being run.
func ExampleModuleRoot() {
	dir, err := os.MkdirTemp("", "testutil-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	pkg := filepath.Join(dir, "cmd", "vingt")
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		fmt.Println(err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.org/m\n"), 0o644); err != nil {
		fmt.Println(err)
		return
	}

	root, err := testutil.ModuleRoot(pkg)
	fmt.Println(root == dir, err)
	// Output:
	// true <nil>
}
