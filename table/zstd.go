package table

import (
	"sync"

	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/klauspost/compress/zstd"
)

// pageWindow is the zstd window of the encoders that compress Parquet
// pages: a page of at most this size compresses to the same bytes as
// with arrow's encoders (8 MiB windows), whose history buffer takes
// 16 MiB, allocated and cleared again each time the collector has emptied
// arrow's pool of encoders (a run collects a few dozen times).
const pageWindow = 1 << 20

// pageZstd is arrow's zstd codec, except that it compresses at the
// default level with encoders of window pageWindow and a history sized
// to it.
type pageZstd struct{ compress.Codec }

// pageEncoders keeps up to maxPageEncoders encoders between writes:
// unlike a sync.Pool, which the collector empties, so that each write
// after a collection built its encoder and history again (on fresh pages).
var pageEncoders struct {
	sync.Mutex
	free []*zstd.Encoder
}

// maxPageEncoders bounds the encoders kept (a few MiB each).
const maxPageEncoders = 4

func getPageEncoder() *zstd.Encoder {
	pageEncoders.Lock()
	if n := len(pageEncoders.free); n > 0 {
		enc := pageEncoders.free[n-1]
		pageEncoders.free = pageEncoders.free[:n-1]
		pageEncoders.Unlock()
		return enc
	}
	pageEncoders.Unlock()
	enc, err := zstd.NewWriter(nil, zstd.WithZeroFrames(true), zstd.WithEncoderLevel(zstd.SpeedDefault),
		zstd.WithEncoderConcurrency(1), zstd.WithAllLitEntropyCompression(true),
		zstd.WithWindowSize(pageWindow), zstd.WithLowerEncoderMem(true))
	if err != nil {
		panic("table: zstd encoder: " + err.Error()) // constant, valid options
	}
	return enc
}

func putPageEncoder(enc *zstd.Encoder) {
	pageEncoders.Lock()
	if len(pageEncoders.free) < maxPageEncoders {
		pageEncoders.free = append(pageEncoders.free, enc)
	}
	pageEncoders.Unlock()
}

// EncodeLevel compresses src into dst at level, at the default level with
// pageZstd's encoders.
func (c pageZstd) EncodeLevel(dst, src []byte, level int) []byte {
	if level != compress.DefaultCompressionLevel {
		return c.Codec.EncodeLevel(dst, src, level)
	}
	return c.Encode(dst, src)
}

// Encode compresses src into dst at the default level.
func (c pageZstd) Encode(dst, src []byte) []byte {
	enc := getPageEncoder()
	defer putPageEncoder(enc)
	return enc.EncodeAll(src, dst[:0])
}

func init() {
	codec, err := compress.GetCodec(compress.Codecs.Zstd)
	if err != nil {
		panic("table: arrow has no zstd codec: " + err.Error())
	}
	compress.RegisterCodec(compress.Codecs.Zstd, pageZstd{codec})
}
