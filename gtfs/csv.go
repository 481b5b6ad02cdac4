package gtfs

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unsafe"
)

// MaxLine is the longest CSV record accepted, in bytes.
const MaxLine = 1 << 20

// MaxQuotedLines is the most lines a quoted field may span: beyond, the
// quote is taken as a stray one that would swallow the rest of the file.
const MaxQuotedLines = 100

// ParseError is a fatal problem in a feed, located by file, line and field.
// Line is 0 when the problem concerns the whole file; Field and Value are
// empty when it concerns the whole record.
type ParseError struct {
	// Feed is the feed's name, so that a message names the feed among
	// several.
	Feed  string
	File  string
	Line  int
	Field string
	Value string
	Err   error
}

// Error formats the problem as "gtfs: FEED: FILE:LINE: FIELD "VALUE": why".
func (e *ParseError) Error() string {
	var b bytes.Buffer
	b.WriteString("gtfs: ")
	if e.Feed != "" {
		b.WriteString(e.Feed)
		b.WriteString(": ")
	}
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, ": %s %q", e.Field, e.Value)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the underlying error, such as ErrInvalidTime.
func (e *ParseError) Unwrap() error { return e.Err }

// Errors wrapped by ParseError.
var (
	ErrInvalidTime   = errors.New("invalid time: want H:MM:SS")
	ErrInvalidDate   = errors.New("invalid date: want YYYYMMDD")
	ErrInvalidNumber = errors.New("invalid number")
	ErrMissingField  = errors.New("required field is empty")
	ErrLineTooLong   = fmt.Errorf("record longer than %d bytes", MaxLine)
	ErrUnterminated  = errors.New("unterminated quoted field: the quote opened here reaches the end of the file (a stray '\"'?)")
	ErrQuoteTooLong  = fmt.Errorf("quoted field spans more than %d lines: the quote opened here looks like a stray '\"'", MaxQuotedLines)
	errNoHeader      = errors.New("empty file: no header")
	ErrUTF16         = errors.New("UTF-16 text (or NUL bytes): convert the file to UTF-8")
)

// csvReader reads RFC 4180 records, tolerating a UTF-8 byte-order mark,
// CRLF line ends and blank lines. Fields are returned as slices of an
// internal buffer, valid until the next call: callers copy what they keep.
type csvReader struct {
	r      *bufio.Reader
	feed   string
	file   string
	line   int // line number of the current record's first line
	next   int // line number of the next line to read
	buf    []byte
	out    []byte // unquoted fields of a record with quotes
	fields [][]byte
	ends   []int
	header map[string]int
	width  int
	// size is the file's size when known, else 0; consumed counts the
	// bytes read so far: together they estimate the number of records.
	size, consumed int64
	// ctx, when set, stops reading rows once done.
	ctx context.Context
}

func newCSVReader(r io.Reader, feed, file string) *csvReader {
	return &csvReader{r: bufio.NewReaderSize(r, 64<<10), feed: feed, file: file, next: 1}
}

func (c *csvReader) errorf(field, value string, err error) error {
	return &ParseError{Feed: c.feed, File: c.file, Line: c.line, Field: field, Value: value, Err: err}
}

// readLine appends one physical line (without its end) to c.buf.
func (c *csvReader) readLine() (bool, error) {
	start := len(c.buf)
	for {
		chunk, err := c.r.ReadSlice('\n')
		c.consumed += int64(len(chunk))
		c.buf = append(c.buf, chunk...)
		if len(c.buf)-start > MaxLine {
			c.line = c.next
			return false, c.errorf("", "", ErrLineTooLong)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF {
			if len(c.buf) == start {
				return false, nil
			}
			break
		}
		if le := (*LimitError)(nil); errors.As(err, &le) {
			return false, le
		}
		if err != nil {
			return false, &ParseError{Feed: c.feed, File: c.file, Err: err}
		}
		break
	}
	c.next++
	n := len(c.buf)
	if n > start && c.buf[n-1] == '\n' {
		n--
	}
	if n > start && c.buf[n-1] == '\r' {
		n--
	}
	c.buf = c.buf[:n]
	return true, nil
}

// read returns the next record's fields, or nil at the end of the file.
func (c *csvReader) read() ([][]byte, error) {
	for {
		c.buf = c.buf[:0]
		c.line = c.next
		ok, err := c.readLine()
		if err != nil || !ok {
			return nil, err
		}
		if c.line == 1 {
			c.buf = bytes.TrimPrefix(c.buf, []byte("\xef\xbb\xbf"))
			if bytes.HasPrefix(c.buf, []byte("\xff\xfe")) || bytes.HasPrefix(c.buf, []byte("\xfe\xff")) || bytes.IndexByte(c.buf, 0) >= 0 {
				return nil, c.errorf("", "", ErrUTF16)
			}
		}
		if len(bytes.TrimSpace(c.buf)) == 0 {
			continue
		}
		if bytes.IndexByte(c.buf, '"') < 0 {
			c.fields = c.fields[:0]
			rest := c.buf
			for {
				i := bytes.IndexByte(rest, ',')
				if i < 0 {
					c.fields = append(c.fields, rest)
					break
				}
				c.fields = append(c.fields, rest[:i])
				rest = rest[i+1:]
			}
			return c.fields, nil
		}
		return c.readQuoted()
	}
}

// readQuoted splits a record with quotes, reading further lines while a
// quoted field is open, and unescapes doubled quotes in place.
func (c *csvReader) readQuoted() ([][]byte, error) {
	c.ends = c.ends[:0]
	out := c.out[:0]
	defer func() { c.out = out }()
	i := 0
	for {
		// One field starting at c.buf[i].
		if i < len(c.buf) && c.buf[i] == '"' {
			i++
			opened, lines, start := c.next-1, 0, len(out)
			for {
				j := bytes.IndexByte(c.buf[i:], '"')
				if j < 0 {
					out = append(out, c.buf[i:]...)
					out = append(out, '\n')
					i = len(c.buf)
					if lines++; lines > MaxQuotedLines {
						return nil, c.quoteError(opened, out[start:], ErrQuoteTooLong)
					}
					ok, err := c.readLine()
					if err != nil {
						return nil, err
					}
					if !ok {
						return nil, c.quoteError(opened, out[start:], ErrUnterminated)
					}
					continue
				}
				out = append(out, c.buf[i:i+j]...)
				i += j + 1
				if i < len(c.buf) && c.buf[i] == '"' {
					out = append(out, '"')
					i++
					continue
				}
				break
			}
		}
		// The field up to the comma (after a closing quote, the text
		// before the comma is kept as it is).
		j := bytes.IndexByte(c.buf[i:], ',')
		if j < 0 {
			out = append(out, c.buf[i:]...)
			c.ends = append(c.ends, len(out))
			break
		}
		out = append(out, c.buf[i:i+j]...)
		c.ends = append(c.ends, len(out))
		i += j + 1
	}
	c.fields = c.fields[:0]
	start := 0
	for _, e := range c.ends {
		c.fields = append(c.fields, out[start:e])
		start = e
	}
	return c.fields, nil
}

// quoteError reports a quoted field of the current record opened on line
// opened, naming its column when the header is known and quoting the
// field's first line.
func (c *csvReader) quoteError(opened int, text []byte, err error) error {
	if i := bytes.IndexByte(text, '\n'); i >= 0 {
		text = text[:i]
	}
	if len(text) > 40 {
		text = append(text[:40:40], "…"...)
	}
	field := ""
	for name, i := range c.header {
		if i == len(c.ends) {
			field = name
		}
	}
	value := string(text)
	if field == "" {
		field = fmt.Sprintf("field %d", len(c.ends)+1)
	}
	return &ParseError{Feed: c.feed, File: c.file, Line: opened, Field: field, Value: value, Err: err}
}

// readHeader reads the header and indexes its column names.
func (c *csvReader) readHeader() error {
	rec, err := c.read()
	if err != nil {
		return err
	}
	if rec == nil {
		return c.errorf("", "", errNoHeader)
	}
	c.header = make(map[string]int, len(rec))
	for i, f := range rec {
		name := string(bytes.ToLower(bytes.TrimSpace(f)))
		if _, dup := c.header[name]; !dup && name != "" {
			c.header[name] = i
		}
	}
	c.width = len(rec)
	return nil
}

// col returns the index of a column, or -1.
func (c *csvReader) col(name string) int {
	if i, ok := c.header[name]; ok {
		return i
	}
	return -1
}

// field returns field i of rec, trimmed, or nil when the column is absent.
func field(rec [][]byte, i int) []byte {
	if i < 0 || i >= len(rec) {
		return nil
	}
	return bytes.TrimSpace(rec[i])
}

// str converts without copying, for look-ups and parsing only.
func str(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// parseTime parses H:MM:SS or HH:MM:SS (hours past 24 allowed, up to
// 1000) into seconds. blank is true for an empty field.
func parseTime(b []byte) (t int32, blank, ok bool) {
	if len(b) == 0 {
		return 0, true, true
	}
	var h int32
	i := 0
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		h = h*10 + int32(b[i]-'0')
		if h > 1000 {
			return 0, false, false
		}
	}
	if i == 0 || i > 4 || len(b) != i+6 || b[i] != ':' || b[i+3] != ':' {
		return 0, false, false
	}
	m, ok1 := two(b[i+1:])
	s, ok2 := two(b[i+4:])
	if !ok1 || !ok2 || m > 59 || s > 59 {
		return 0, false, false
	}
	return h*3600 + m*60 + s, false, true
}

func two(b []byte) (int32, bool) {
	if b[0] < '0' || b[0] > '9' || b[1] < '0' || b[1] > '9' {
		return 0, false
	}
	return int32(b[0]-'0')*10 + int32(b[1]-'0'), true
}

// parseGTFSDate parses YYYYMMDD.
func parseGTFSDate(b []byte) (Date, bool) {
	if len(b) != 8 {
		return 0, false
	}
	v, err := strconv.Atoi(str(b))
	if err != nil || v < 0 {
		return 0, false
	}
	d := Date(v)
	m, day := v/100%100, v%100
	if m < 1 || m > 12 || day < 1 || day > 31 || d.Time().Day() != day {
		return 0, false
	}
	return d, true
}

// estimate returns the number of lines the file likely holds, from the
// length of the lines read so far, or 0 when the size is unknown.
func (c *csvReader) estimate() int {
	if c.size <= 0 || c.consumed <= 0 || c.next <= 1 {
		return 0
	}
	perLine := float64(c.consumed) / float64(c.next-1)
	return int(float64(c.size)/perLine*1.05) + 16
}
