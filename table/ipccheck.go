package table

import (
	"encoding/binary"
	"errors"

	flatbuffers "github.com/google/flatbuffers/go"
)

// errCorruptArrow reports an Arrow IPC file whose footer or record batches do not hold
// together.
var errCorruptArrow = errors.New("corrupt Arrow IPC file")

// checkArrowFooter checks the bounds of an Arrow IPC file's footer
// before arrow-go reads it: arrow-go sizes slices and buffers from the
// footer's vector lengths and block sizes without checking them against
// the file, and a corrupt length makes it allocate terabytes, a fatal
// error no recover catches (found by FuzzRead). The walk follows the
// Arrow format's File.fbs and Schema.fbs: Footer {version, schema,
// dictionaries: [Block], recordBatches: [Block], custom_metadata},
// Schema {endianness, fields: [Field], custom_metadata, features},
// Field {name, nullable, type_type, type, dictionary, children: [Field],
// custom_metadata}.
func checkArrowFooter(b []byte) error {
	const magic = 6 // "ARROW1"
	if len(b) < 8+4+magic {
		return errCorruptArrow
	}
	n := int64(int32(binary.LittleEndian.Uint32(b[len(b)-magic-4:])))
	end := int64(len(b) - magic - 4)
	if n <= 0 || n > end-8 {
		return errCorruptArrow
	}
	buf := b[end-n : end]
	c := &fbCheck{buf: buf}
	if len(buf) < 4 {
		return errCorruptArrow
	}
	footer := flatbuffers.Table{Bytes: buf, Pos: flatbuffers.GetUOffsetT(buf)}
	if !c.table(footer.Pos) {
		return errCorruptArrow
	}
	// dictionaries and recordBatches: Block structs {offset int64,
	// metaDataLength int32, pad, bodyLength int64} of 24 bytes.
	for _, slot := range []int{2, 3} {
		start, count, ok := c.vector(footer, slot, 24)
		if !ok {
			return errCorruptArrow
		}
		for i := 0; i < count; i++ {
			p := start + 24*i
			off := int64(binary.LittleEndian.Uint64(buf[p:]))
			meta := int64(int32(binary.LittleEndian.Uint32(buf[p+8:])))
			body := int64(binary.LittleEndian.Uint64(buf[p+16:]))
			if off < 0 || meta < 0 || body < 0 || off > end || meta > end-off || body > end-off-meta {
				return errCorruptArrow
			}
		}
	}
	if _, _, ok := c.vector(footer, 4, 4); !ok {
		return errCorruptArrow
	}
	o := c.offset(footer, 1)
	if o < 0 {
		return errCorruptArrow
	}
	if o == 0 {
		return nil
	}
	schema, ok := c.indirect(footer.Pos + flatbuffers.UOffsetT(o))
	if !ok {
		return errCorruptArrow
	}
	for _, s := range []struct{ slot, size int }{{2, 4}, {3, 8}} {
		if _, _, ok := c.vector(schema, s.slot, s.size); !ok {
			return errCorruptArrow
		}
	}
	if !c.fields(schema, 1, 0) {
		return errCorruptArrow
	}
	return nil
}

type fbCheck struct{ buf []byte }

// table reports whether a table and its vtable at pos lie in the buffer.
func (c *fbCheck) table(pos flatbuffers.UOffsetT) bool {
	if int(pos) < 0 || int(pos)+4 > len(c.buf) {
		return false
	}
	vt := int64(pos) - int64(int32(binary.LittleEndian.Uint32(c.buf[pos:])))
	if vt < 0 || vt+4 > int64(len(c.buf)) {
		return false
	}
	size := int64(binary.LittleEndian.Uint16(c.buf[vt:]))
	return size >= 4 && vt+size <= int64(len(c.buf))
}

// indirect follows the offset stored at pos to a table.
func (c *fbCheck) indirect(pos flatbuffers.UOffsetT) (flatbuffers.Table, bool) {
	if int(pos)+4 > len(c.buf) {
		return flatbuffers.Table{}, false
	}
	p := int64(pos) + int64(binary.LittleEndian.Uint32(c.buf[pos:]))
	if p > int64(len(c.buf)) || !c.table(flatbuffers.UOffsetT(p)) {
		return flatbuffers.Table{}, false
	}
	return flatbuffers.Table{Bytes: c.buf, Pos: flatbuffers.UOffsetT(p)}, true
}

// offset returns the field offset of slot in t (0: absent), or -1 when
// it points outside the buffer.
func (c *fbCheck) offset(t flatbuffers.Table, slot int) int {
	vt := int64(t.Pos) - int64(int32(binary.LittleEndian.Uint32(c.buf[t.Pos:])))
	size := int64(binary.LittleEndian.Uint16(c.buf[vt:]))
	at := int64(4 + 2*slot)
	if at+2 > size {
		return 0
	}
	o := int(binary.LittleEndian.Uint16(c.buf[vt+at:]))
	if int64(t.Pos)+int64(o)+4 > int64(len(c.buf)) {
		return -1
	}
	return o
}

// vector returns the start and length of the vector in slot, checked to
// fit in the buffer with elements of size bytes.
func (c *fbCheck) vector(t flatbuffers.Table, slot, size int) (start, count int, ok bool) {
	o := c.offset(t, slot)
	if o <= 0 {
		return 0, 0, o == 0
	}
	p := int64(t.Pos) + int64(o)
	v := p + int64(binary.LittleEndian.Uint32(c.buf[p:]))
	if v+4 > int64(len(c.buf)) {
		return 0, 0, false
	}
	n := int64(binary.LittleEndian.Uint32(c.buf[v:]))
	if n*int64(size) > int64(len(c.buf))-v-4 {
		return 0, 0, false
	}
	return int(v + 4), int(n), true
}

// fields checks the vector of Field tables in slot of t, recursively.
func (c *fbCheck) fields(t flatbuffers.Table, slot, depth int) bool {
	if depth > 64 {
		return false
	}
	start, n, ok := c.vector(t, slot, 4)
	if !ok {
		return false
	}
	for i := 0; i < n; i++ {
		f, ok := c.indirect(flatbuffers.UOffsetT(start + 4*i))
		if !ok {
			return false
		}
		if _, _, ok := c.vector(f, 6, 4); !ok {
			return false
		}
		if !c.fields(f, 5, depth+1) {
			return false
		}
	}
	return true
}
