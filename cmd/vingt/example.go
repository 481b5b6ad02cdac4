package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/vingt/vingt"
)

// extractExample copies the embedded example into a new temporary folder
// and returns its path; the caller removes it.
func extractExample() (string, error) {
	dir, err := os.MkdirTemp("", "vingt-example-")
	if err != nil {
		return "", fmt.Errorf("example: %w", err)
	}
	err = fs.WalkDir(vingt.Example(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(vingt.Example(), path)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("example: %w", err)
	}
	return dir, nil
}
