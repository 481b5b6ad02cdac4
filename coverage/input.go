package coverage

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"hash"
	"io"
	"os"
	"sync"

	"github.com/vingt/vingt/gtfs"
)

// EnvMaxInput sets the most bytes read from one input that is not a GTFS
// feed (grid, service points, territories, basket, BPE). Default: ¼ of
// the memory the process may use, at most MaxInput.
const EnvMaxInput = "VINGT_MAX_INPUT"

// MaxInput is the hard cap on one input's size, whatever the memory.
const MaxInput int64 = 4 << 30

// inputLimit returns the most bytes one input may yield, and how that
// figure was set.
func inputLimit() (int64, string, error) {
	mem, from := gtfs.Memory()
	n, why, err := gtfs.EnvLimit(EnvMaxInput, min(mem/4, MaxInput), "¼ of "+from+", at most 4 GiB")
	if err != nil {
		return 0, "", fmt.Errorf("coverage: %w", err)
	}
	return n, why, nil
}

// inputRead is what was read of one input: its size and SHA-256, once
// read to its end, and for an input that is not a regular file (a pipe,
// a device) its bytes, which cannot be read a second time.
type inputRead struct {
	bytes int64
	sum   []byte
	data  []byte
}

// inputsRead records the inputs read to their end, by path, so that the
// manifest records what was read (and a pipe is not read again).
var inputsRead struct {
	sync.Mutex
	m map[string]*inputRead
}

func recordInput(path string, in *inputRead) {
	inputsRead.Lock()
	defer inputsRead.Unlock()
	if inputsRead.m == nil {
		inputsRead.m = map[string]*inputRead{}
	}
	inputsRead.m[path] = in
}

// lookupInput returns what was recorded of path.
func lookupInput(path string) *inputRead {
	inputsRead.Lock()
	defer inputsRead.Unlock()
	return inputsRead.m[path]
}

// openInput opens an input for reading, bounded by what is read, not by
// what stat says: past the input limit, a read fails with a message
// naming the limit and how to raise it. The input is hashed while it is
// read; describe then uses that digest. An input that is not a regular
// file (a pipe, /dev/stdin, a device) is read once, up to the limit, and
// kept, so that it can be opened again.
func openInput(path string) (io.ReadCloser, error) {
	max, why, err := inputLimit()
	if err != nil {
		return nil, err
	}
	if in := lookupInput(path); in != nil && in.data != nil {
		return io.NopCloser(bytes.NewReader(in.data)), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, openError(path, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, openError(path, err)
	}
	if st.IsDir() {
		f.Close()
		return nil, &InputError{Path: path, Err: fmt.Errorf("a folder: want a file")}
	}
	r := &inputReader{f: f, path: path, max: max, why: why, h: sha256.New()}
	if st.Mode().IsRegular() {
		return r, nil
	}
	defer f.Close()
	// Kept in memory, which a growing buffer may double: a quarter of
	// the limit.
	r.max, r.why = max/4, "¼ of the input limit for a pipe or device, read into memory; the input limit is "+why
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(r); err != nil {
		return nil, err
	}
	in := lookupInput(path)
	in.data = buf.Bytes()
	return io.NopCloser(bytes.NewReader(in.data)), nil
}

// inputReader counts and hashes what it reads, and fails past max.
type inputReader struct {
	f    *os.File
	path string
	max  int64
	why  string
	n    int64
	h    hash.Hash
	err  error
}

func (r *inputReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	n, err := r.f.Read(p)
	r.n += int64(n)
	r.h.Write(p[:n])
	if r.n > r.max {
		r.err = &InputError{Path: r.path, Err: fmt.Errorf("more than %d bytes read (the limit, %s): refused; if the input is genuine, raise it with %s=N", r.max, r.why, EnvMaxInput)}
		return 0, r.err
	}
	if err == io.EOF {
		recordInput(r.path, &inputRead{bytes: r.n, sum: r.h.Sum(nil)})
	}
	return n, err
}

func (r *inputReader) Close() error { return r.f.Close() }

// readInput reads a whole input, bounded by the input limit.
func readInput(path string) ([]byte, error) {
	r, err := openInput(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		if _, ok := err.(*InputError); ok {
			return nil, err
		}
		return nil, openError(path, err)
	}
	return b, nil
}
