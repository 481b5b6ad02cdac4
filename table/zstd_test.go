package table

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
)

// TestPageZstd checks the codec that compresses the pages: the same bytes
// as arrow's zstd codec, for pages of any size up to beyond the window
// (8 MiB), which decode to what was compressed.
func TestPageZstd(t *testing.T) {
	codec, err := compress.GetCodec(compress.Codecs.Zstd)
	if err != nil {
		t.Fatal(err)
	}
	ours, ok := codec.(pageZstd)
	if !ok {
		t.Fatalf("the zstd codec registered is %T, not pageZstd", codec)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	page := int(parquet.DefaultDataPageSize)
	for _, n := range []int{1, 100, 70000, page - 1, page, page + 1, 3 * page, 9 * page} {
		// Compressible: runs of a few symbols and repeats from far back.
		src := make([]byte, n)
		for i := range src {
			switch {
			case i > 300000 && rng.IntN(4) > 0:
				src[i] = src[i-300000]
			default:
				src[i] = byte(rng.IntN(6))
			}
		}
		got := ours.EncodeLevel(nil, src, compress.DefaultCompressionLevel)
		if want := ours.Codec.EncodeLevel(nil, src, compress.DefaultCompressionLevel); !bytes.Equal(got, want) {
			t.Errorf("%d bytes: %d compressed, arrow's codec %d, or other bytes", n, len(got), len(want))
		}
		back, err := compress.Decode(ours, nil, got)
		if err != nil || !bytes.Equal(back, src) {
			t.Errorf("%d bytes: decoded %d, %v", n, len(back), err)
		}
	}
}
