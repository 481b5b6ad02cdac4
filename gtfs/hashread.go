package gtfs

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
)

// hashingFile is the io.ReaderAt that archive/zip reads a feed through.
// It hashes the file from its first byte as the reads reach each byte in
// order, so that the bytes read and the bytes hashed come from one open
// file (a feed replaced on disk while it is read cannot be recorded with
// the new file's hash); finish hashes what the reads skipped or read out
// of order.
type hashingFile struct {
	f    *os.File
	size int64
	h    hash.Hash
	done int64 // bytes hashed, from 0
}

func newHashingFile(f *os.File, size int64) *hashingFile {
	return &hashingFile{f: f, size: size, h: sha256.New()}
}

func (r *hashingFile) ReadAt(p []byte, off int64) (int, error) {
	n, err := r.f.ReadAt(p, off)
	if off <= r.done && off+int64(n) > r.done {
		r.h.Write(p[r.done-off : n])
		r.done = off + int64(n)
	}
	return n, err
}

// finish hashes the rest of the file and returns its SHA-256 in hex. A
// file that changed size while it was read is an error.
func (r *hashingFile) finish() (string, error) {
	if r.done < r.size {
		n, err := io.Copy(r.h, io.NewSectionReader(r.f, r.done, r.size-r.done))
		if err != nil {
			return "", err
		}
		r.done += n
	}
	if r.done != r.size {
		return "", fmt.Errorf("%d bytes hashed, the file had %d when opened: it changed while it was read", r.done, r.size)
	}
	return hex.EncodeToString(r.h.Sum(nil)), nil
}
