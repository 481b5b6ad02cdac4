package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/vingt/vingt"
)

// extractExample copies the embedded example into a new temporary folder
// and returns its path, and the embedded name of each file by its path
// there ("embedded:example/poa_eptc.zip"); the caller removes the folder.
func extractExample() (string, map[string]string, error) {
	dir, err := os.MkdirTemp("", "vingt-example-")
	if err != nil {
		return "", nil, fmt.Errorf("example: %w", err)
	}
	names := map[string]string{}
	err = fs.WalkDir(vingt.Example(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(vingt.Example(), path)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(path))
		names[dst] = "embedded:example/" + path
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		os.RemoveAll(dir)
		return "", nil, fmt.Errorf("example: %w", err)
	}
	return dir, names, nil
}
