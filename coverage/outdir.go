package coverage

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/vingt/vingt/output"
)

// An output folder is replaced as one unit: a run writes every file into
// a staging folder beside it (.OUT.vingt-staging-*), then swaps the two
// folders (atomically where the system can: renameat2 RENAME_EXCHANGE on
// Linux) and removes the previous outputs. A reader sees all the files of
// one run, never a mix of two. A lock file beside the folder
// (.OUT.vingt-lock, holding the writer's pid) keeps two runs from writing
// the same folder at once.

// stagingPrefix names the folders in which outputs are written before
// being moved into place (inside the output folder in earlier versions,
// beside it now).
const stagingPrefix = ".vingt-staging-"

// isOutputFile tells whether name is a file a run (a shard, a merge, or
// vingt run --report) writes into its output folder.
func isOutputFile(name string) bool {
	switch name {
	case output.ManifestFile, "report.html", GeoPackageFile, ShardResultsFile:
		return true
	case output.Cells: // the folder of partitioned cells
		return true
	}
	for _, base := range []string{output.Cells, output.Territories, output.Points} {
		if name == base+".parquet" || name == base+".arrow" {
			return true
		}
	}
	return strings.HasPrefix(name, stagingPrefix)
}

// outSiblings returns the folder that holds out and out's own name.
func outSiblings(out string) (parent, base string, err error) {
	abs, err := filepath.Abs(out)
	if err != nil {
		return "", "", fmt.Errorf("coverage: output folder %s: %w", out, err)
	}
	return filepath.Dir(abs), filepath.Base(abs), nil
}

// checkOut refuses an output folder that is not a folder or that holds
// files a run did not write: replacing it as a whole would lose them.
func checkOut(out string) error {
	st, err := os.Stat(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("coverage: output folder %s: %w", out, err)
	}
	if !st.IsDir() {
		return fmt.Errorf("coverage: output folder %s: not a folder", out)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return fmt.Errorf("coverage: output folder %s: %w", out, err)
	}
	var foreign []string
	for _, e := range entries {
		if !isOutputFile(e.Name()) {
			foreign = append(foreign, e.Name())
		}
	}
	if len(foreign) > 0 {
		more := ""
		if len(foreign) > 3 {
			more = fmt.Sprintf(" and %d more", len(foreign)-3)
			foreign = foreign[:3]
		}
		return fmt.Errorf("coverage: output folder %s holds files that are not outputs of a run (%s%s): it is replaced as a whole, so it must be new, empty or a previous run's", out, strings.Join(foreign, ", "), more)
	}
	return nil
}

// outLock is the lock a run holds on its output folder.
type outLock struct {
	f    *os.File
	path string
}

// lockOut takes the lock on output folder out, creating the folder that
// holds it if needed. It fails at once, naming the holder's pid, when
// another run holds it.
func lockOut(out string) (*outLock, error) {
	parent, base, err := outSiblings(out)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("coverage: output folder %s: %w", out, err)
	}
	path := filepath.Join(parent, "."+base+".vingt-lock")
	// The holder removes the lock file when it is done: a lock taken on a
	// file that was removed (or replaced) meanwhile is taken again on the
	// file the path names now.
	for try := 0; ; try++ {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, fmt.Errorf("coverage: output folder %s: lock: %w", out, err)
		}
		if err := flock(f); err != nil {
			b, _ := io.ReadAll(io.LimitReader(f, 32))
			f.Close()
			if errors.Is(err, errLocked) {
				return nil, fmt.Errorf("coverage: another run is writing %s (pid %s)", out, strings.TrimSpace(string(b)))
			}
			return nil, fmt.Errorf("coverage: output folder %s: lock: %w", out, err)
		}
		held, herr := f.Stat()
		named, nerr := os.Stat(path)
		if herr == nil && nerr == nil && os.SameFile(held, named) {
			if err := f.Truncate(0); err == nil {
				_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
			}
			return &outLock{f: f, path: path}, nil
		}
		f.Close()
		if try == 100 {
			return nil, fmt.Errorf("coverage: output folder %s: lock: %s keeps being replaced", out, path)
		}
	}
}

// release removes the lock file (while still holding it) and lets other
// runs write the folder. A run killed before it leaves the file, which
// the next run takes over.
func (l *outLock) release() {
	if l != nil {
		os.Remove(l.path)
		l.f.Close()
	}
}

// errLocked is what flock returns when another process holds the lock.
var errLocked = errors.New("locked")

// newStaging creates the staging folder of output folder out, beside it,
// after removing those left by killed runs (the caller holds the lock).
func newStaging(out string) (string, error) {
	parent, base, err := outSiblings(out)
	if err != nil {
		return "", err
	}
	prefix := "." + base + stagingPrefix
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), prefix) {
			os.RemoveAll(filepath.Join(parent, e.Name()))
		}
	}
	staging, err := os.MkdirTemp(parent, prefix)
	if err != nil {
		return "", fmt.Errorf("coverage: output folder %s: %w", out, err)
	}
	if err := os.Chmod(staging, 0o755); err != nil {
		os.RemoveAll(staging)
		return "", fmt.Errorf("coverage: output folder %s: %w", out, err)
	}
	return staging, nil
}

// replaceDir puts the complete staging folder in the place of out; the
// previous outputs, if any, are removed.
func replaceDir(staging, out string) error {
	if _, err := os.Lstat(out); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(staging, out); err != nil {
			return fmt.Errorf("coverage: moving the outputs into %s: %w", out, err)
		}
		return nil
	}
	if err := exchange(staging, out); err != nil {
		return fmt.Errorf("coverage: moving the outputs into %s: %w", out, err)
	}
	// staging now holds the previous outputs.
	return os.RemoveAll(staging)
}

// swapByRenames exchanges folders a and b with two renames: where no
// atomic exchange exists, a crash between them leaves b's content at
// a+".old", and b absent.
func swapByRenames(a, b string) error {
	old := a + ".old"
	if err := os.Rename(b, old); err != nil {
		return err
	}
	if err := os.Rename(a, b); err != nil {
		_ = os.Rename(old, b)
		return err
	}
	return os.Rename(old, a)
}
