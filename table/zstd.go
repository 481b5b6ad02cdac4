package table

import (
	"sync"

	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/klauspost/compress/zstd"
)

// pageZstd is arrow's zstd codec, with arrow's encoders at the default
// level (the same bytes), kept between writes (pageEncoders) and built
// with klauspost's lower-memory option, which sizes their buffers to what
// they compress: arrow's pool, which the collector empties, left each
// write after a collection building an encoder and clearing a 16 MiB
// history again.
type pageZstd struct{ compress.Codec }

// pageEncoders keeps up to maxPageEncoders encoders between writes
// (a sync.Pool is emptied by each collection).
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
		zstd.WithLowerEncoderMem(true))
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
