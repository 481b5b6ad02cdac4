package coverage

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxLine is the longest line accepted in an input CSV, in bytes.
const MaxLine = 1 << 20

// InputError is a problem in an input file, located by line and field.
type InputError struct {
	Path  string
	Line  int
	Field string
	Value string
	Err   error
}

func (e *InputError) Error() string {
	var b strings.Builder
	b.WriteString("coverage: ")
	b.WriteString(e.Path)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Field != "" {
		b.WriteString(": ")
		b.WriteString(e.Field)
		if e.Value != "" {
			fmt.Fprintf(&b, " %q", e.Value)
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *InputError) Unwrap() error { return e.Err }

// errLineTooLong is returned for a line longer than MaxLine.
var errLineTooLong = fmt.Errorf("line longer than %d bytes", MaxLine)

// MaxQuotedLines is the most lines a quoted field may span in an input
// CSV: beyond, the quote is taken as a stray one that would swallow the
// rest of the file.
const MaxQuotedLines = 100

// Quote states of lineLimit.
const (
	outside     = iota // not in a quoted field
	fieldStart         // at the start of a field
	quoted             // in a quoted field
	quoteInside        // in a quoted field, just after a '"'
)

// lineLimit fails reading when a line grows past MaxLine, or when a
// quoted field spans more than MaxQuotedLines lines or reaches the end of
// the file. It follows quotes as encoding/csv does with LazyQuotes: a
// quote opens a field only at its start (after ',', ';' or a line end),
// and closes it only before a separator or a line end.
type lineLimit struct {
	r      io.Reader
	path   string
	run    int
	line   int // lines ended so far
	state  int
	opened int // line where the open quoted field started
	// err, once set, is returned by every later Read: readers above
	// (bufio) return an error once and read again.
	err error
}

func (l *lineLimit) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		l.err = err
	}
	return n, err
}

func (l *lineLimit) read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for i := 0; i < n; i++ {
		b := p[i]
		switch l.state {
		case fieldStart:
			l.state = outside
			if b == '"' {
				l.state, l.opened = quoted, l.line+1
				continue
			}
		case quoted:
			if b == '"' {
				l.state = quoteInside
			}
		case quoteInside:
			switch b {
			case ',', ';', '\n', '\r':
				l.state = outside
			default: // a doubled quote, or a lazy one inside the field
				l.state = quoted
			}
		}
		if l.state == outside && (b == ',' || b == ';' || b == '\n') {
			l.state = fieldStart
		}
		if b == '\n' {
			l.run = 0
			l.line++
			if l.state == quoted && l.line+1-l.opened > MaxQuotedLines {
				return i, &InputError{Path: l.path, Line: l.opened, Err: fmt.Errorf("a quoted field opened on this line spans more than %d lines: a stray '\"'?", MaxQuotedLines)}
			}
		} else if l.run++; l.run > MaxLine {
			return i, errLineTooLong
		}
	}
	if errors.Is(err, io.EOF) && l.state == quoted {
		return n, &InputError{Path: l.path, Line: l.opened, Err: errors.New("a quoted field opened on this line reaches the end of the file: a stray '\"'?")}
	}
	return n, err
}

// csvTable is a CSV input: its header and rows, read whole (inputs other
// than GTFS are small: a grid of France at 200 m is 2.3 million rows).
type csvTable struct {
	path   string
	header []string // lower-cased, trimmed, without a leading '#'
	rows   [][]string
	lines  []int
	index  map[string]int
}

// readTable reads a CSV file separated by ',' or ';' (the one the header
// uses most), with or without a UTF-8 byte-order mark.
func readTable(path string) (*csvTable, error) {
	f, err := openInput(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ll := &lineLimit{r: f, path: path, state: fieldStart}
	br := bufio.NewReader(ll)
	first, err := br.Peek(4096)
	if len(first) == 0 {
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, csvError(path, ll, err)
		}
		return nil, &InputError{Path: path, Err: errors.New("empty file")}
	}
	if bytes.HasPrefix(first, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
		first = first[3:]
	}
	if utf16(first) {
		return nil, &InputError{Path: path, Line: 1, Err: errUTF16}
	}
	if !validStart(first, err != nil) {
		return nil, &InputError{Path: path, Line: 1, Err: errors.New("not UTF-8 text (Latin-1?): convert the file to UTF-8")}
	}
	line := first
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		line = first[:i]
	}
	r := csv.NewReader(br)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = false
	if bytes.Count(line, []byte(";")) > bytes.Count(line, []byte(",")) {
		r.Comma = ';'
	}
	t := &csvTable{path: path, index: map[string]int{}}
	head, err := r.Read()
	if err != nil {
		return nil, csvError(path, ll, err)
	}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(h), "#")))
		t.header = append(t.header, h)
		if _, dup := t.index[h]; !dup && h != "" {
			t.index[h] = i
		}
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(path, ll, err)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		l, _ := r.FieldPos(0)
		// Every string may reach an output (cell ids, codes, names),
		// whose readers refuse bad UTF-8: check it all, not just the
		// first bytes.
		for i, f := range rec {
			if !utf8.ValidString(f) {
				name := fmt.Sprintf("column %d", i+1)
				if i < len(t.header) && t.header[i] != "" {
					name = t.header[i]
				}
				return nil, &InputError{Path: path, Line: l, Field: name, Value: f, Err: errors.New("not UTF-8 text (convert the file to UTF-8)")}
			}
		}
		t.rows = append(t.rows, rec)
		t.lines = append(t.lines, l)
	}
	return t, nil
}

// validStart reports whether b, the start of a file (all of it when
// whole), is UTF-8: a rune cut by the end of a start is not held against
// it.
func validStart(b []byte, whole bool) bool {
	if utf8.Valid(b) {
		return true
	}
	for k := 1; !whole && k <= 3 && k <= len(b); k++ {
		if !utf8.FullRune(b[len(b)-k:]) && utf8.Valid(b[:len(b)-k]) {
			return true
		}
	}
	return false
}

// errUTF16 refuses an input in UTF-16.
var errUTF16 = errors.New("UTF-16 text (or NUL bytes): convert the file to UTF-8")

// utf16 reports whether the first bytes of an input look like UTF-16: a
// UTF-16 byte-order mark, or NUL bytes.
func utf16(first []byte) bool {
	return bytes.HasPrefix(first, []byte("\xff\xfe")) || bytes.HasPrefix(first, []byte("\xfe\xff")) || bytes.IndexByte(first, 0) >= 0
}

// csvError locates a CSV reading error.
func csvError(path string, ll *lineLimit, err error) error {
	var ie *InputError
	if errors.As(err, &ie) {
		return ie
	}
	if errors.Is(err, errLineTooLong) {
		return &InputError{Path: path, Line: ll.line + 1, Err: err}
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		field := ""
		if pe.Column > 0 {
			field = fmt.Sprintf("column %d", pe.Column)
		}
		return &InputError{Path: path, Line: pe.Line, Field: field, Err: pe.Err}
	}
	return &InputError{Path: path, Err: err}
}

// col returns the index of the first column named like one of names
// (compared lower-case), or -1.
func (t *csvTable) col(names ...string) int {
	for _, n := range names {
		if i, ok := t.index[strings.ToLower(n)]; ok {
			return i
		}
	}
	return -1
}

// get returns field i of row r, trimmed ("" when the row is short).
func (t *csvTable) get(r, i int) string {
	if i < 0 || i >= len(t.rows[r]) {
		return ""
	}
	return strings.TrimSpace(t.rows[r][i])
}

// float parses field i of row r as a finite number.
func (t *csvTable) float(r, i int) (float64, error) {
	s := t.get(r, i)
	if s == "" {
		return 0, &InputError{Path: t.path, Line: t.lines[r], Field: t.header[i], Err: errors.New("empty, want a number")}
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
	if err != nil || v != v || v > 1e300 || v < -1e300 {
		return 0, &InputError{Path: t.path, Line: t.lines[r], Field: t.header[i], Value: s, Err: errors.New("want a finite number")}
	}
	return v, nil
}

// lonLat reads and checks a longitude and latitude.
func (t *csvTable) lonLat(r, iLon, iLat int) (float64, float64, error) {
	lon, err := t.float(r, iLon)
	if err != nil {
		return 0, 0, err
	}
	lat, err := t.float(r, iLat)
	if err != nil {
		return 0, 0, err
	}
	if lon < -180 || lon > 180 {
		return 0, 0, &InputError{Path: t.path, Line: t.lines[r], Field: t.header[iLon], Value: t.get(r, iLon), Err: errors.New("longitude out of -180..180")}
	}
	if lat < -90 || lat > 90 {
		return 0, 0, &InputError{Path: t.path, Line: t.lines[r], Field: t.header[iLat], Value: t.get(r, iLat), Err: errors.New("latitude out of -90..90")}
	}
	return lon, lat, nil
}

// Usual column names.
var (
	lonNames = []string{"lon", "lng", "long", "longitude", "x", "lon_center", "stop_lon"}
	latNames = []string{"lat", "latitude", "y", "lat_center", "stop_lat"}
	popNames = []string{"population", "pop", "t", "ind", "total", "pop_total"}
	idNames  = []string{"id", "cell_id", "idcar_200m", "idcar_1km", "grd_id", "hex_id", "h3"}
)

// openError locates an error opening or reading path.
func openError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &InputError{Path: path, Err: err}
}
