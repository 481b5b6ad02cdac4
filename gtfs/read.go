package gtfs

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Open reads a feed from a zip file or a directory. The feed's name is the
// base name of path, without its extension for a file.
func Open(p string) (*Feed, error) { return OpenContext(context.Background(), p) }

// OpenContext is Open, stopping with an error wrapping ctx's cause when
// ctx is done.
func OpenContext(ctx context.Context, p string) (*Feed, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("gtfs: %w", err)
	}
	name := filepath.Base(p)
	var f *Feed
	if st.IsDir() {
		f, err = ReadContext(ctx, os.DirFS(p), name)
	} else {
		name = strings.TrimSuffix(name, filepath.Ext(name))
		var sum string
		var size int64
		f, sum, size, err = readZip(ctx, p, name, st)
		if err != nil {
			return nil, err
		}
		f.SHA256, f.Bytes = sum, size
	}
	if err != nil {
		return nil, err
	}
	f.Path = p
	return f, nil
}

// readZip reads the feed in the zip file p, hashing the file's bytes as
// they are read. A file that cannot seek (a pipe, such as a shell's
// process substitution) is read whole into memory first, within the
// bytes that a pipe may hold (a quarter of the inflated-bytes limit,
// since its buffer may double as it grows).
func readZip(ctx context.Context, p, name string, st fs.FileInfo) (*Feed, string, int64, error) {
	fh, err := os.Open(p)
	if err != nil {
		return nil, "", 0, fmt.Errorf("gtfs: %w", err)
	}
	defer fh.Close()
	var zr *zip.Reader
	var hf *hashingFile
	var sum string
	size := st.Size()
	if st.Mode().IsRegular() {
		hf = newHashingFile(fh, size)
		zr, err = zip.NewReader(hf, size)
	} else {
		max, why, lerr := inflatedLimit()
		if lerr != nil {
			return nil, "", 0, lerr
		}
		h := sha256.New()
		data, rerr := io.ReadAll(io.LimitReader(io.TeeReader(fh, h), max/4+1))
		if rerr != nil {
			return nil, "", 0, fmt.Errorf("gtfs: %s: %w", p, rerr)
		}
		if int64(len(data)) > max/4 {
			return nil, "", 0, &LimitError{Feed: name, What: "a zip read from a pipe or device holds", Limit: max / 4, Unit: "bytes", Why: "¼ of the inflated-bytes limit, " + why, Env: EnvMaxInflated}
		}
		size, sum = int64(len(data)), hex.EncodeToString(h.Sum(nil))
		zr, err = zip.NewReader(bytes.NewReader(data), size)
	}
	if err != nil {
		return nil, "", 0, fmt.Errorf("gtfs: %s: not a readable zip file: %w", p, err)
	}
	fsys, err := checkZip(zr, name)
	if err != nil {
		return nil, "", 0, err
	}
	f, err := ReadContext(ctx, fsys, name)
	if err != nil {
		return nil, "", 0, err
	}
	if hf != nil {
		if sum, err = hf.finish(); err != nil {
			return nil, "", 0, fmt.Errorf("gtfs: %s: %w", p, err)
		}
	}
	return f, sum, size, nil
}

// checkZip refuses entries that would escape the feed, duplicate entries,
// zips holding several feeds and archives whose headers claim more than
// the inflated-bytes limit, and returns the folder holding the feed (the
// root, or the one folder containing stops.txt). What the returned files
// actually inflate to is counted as they are read, whatever the headers
// claim.
func checkZip(zr *zip.Reader, name string) (fs.FS, error) {
	max, why, err := inflatedLimit()
	if err != nil {
		return nil, err
	}
	var total uint64
	dir := ""
	found := false
	seen := map[string]bool{}
	compressed := map[string]int64{}
	for _, f := range zr.File {
		n := f.Name
		if strings.Contains(n, "\\") || path.IsAbs(n) || !fs.ValidPath(strings.TrimSuffix(n, "/")) {
			return nil, fmt.Errorf("gtfs: %s: zip entry %q: unsafe path", name, n)
		}
		if seen[n] {
			return nil, fmt.Errorf("gtfs: %s: zip entry %q appears twice: refused (which copy would be read is undefined); rebuild the zip", name, n)
		}
		seen[n] = true
		compressed[n] = int64(min(f.CompressedSize64, 1<<50))
		total += f.UncompressedSize64
		if total > uint64(max) {
			return nil, &LimitError{Feed: name, What: "the zip's headers claim", Limit: max, Unit: "bytes", Why: why, Env: EnvMaxInflated}
		}
		if path.Base(n) == "stops.txt" {
			switch d := path.Dir(n); {
			case !found:
				dir, found = d, true
			case d != dir:
				return nil, fmt.Errorf("gtfs: %s: zip holds two feeds (%s and %s): give each folder as its own feed", name, path.Join(dir, "stops.txt"), n)
			}
		}
	}
	l := &limitFS{FS: zr, max: max, why: why, feed: name, compressed: compressed}
	if found && dir != "." {
		sub, err := fs.Sub(zr, dir)
		if err != nil {
			return nil, fmt.Errorf("gtfs: %s: %w", name, err)
		}
		l.FS, l.prefix = sub, dir+"/"
	}
	return l, nil
}

// limitFS counts what its files actually inflate to, all together, and
// fails a read that goes past max. It also keeps a zip header's claimed
// size from sizing buffers when the entry could not inflate to it.
type limitFS struct {
	fs.FS
	max        int64
	why, feed  string
	prefix     string
	compressed map[string]int64
	read       int64
}

func (l *limitFS) Open(name string) (fs.File, error) {
	f, err := l.FS.Open(name)
	if err != nil {
		return nil, err
	}
	c, ok := l.compressed[l.prefix+name]
	if !ok {
		c = -1
	}
	return &limitFile{File: f, fs: l, compressed: c}, nil
}

type limitFile struct {
	fs.File
	fs         *limitFS
	compressed int64
}

func (l *limitFile) Read(p []byte) (int, error) {
	n, err := l.File.Read(p)
	l.fs.read += int64(n)
	if l.fs.read > l.fs.max {
		return n, &LimitError{Feed: l.fs.feed, What: "the zip inflates to", Limit: l.fs.max, Unit: "bytes", Why: l.fs.why, Env: EnvMaxInflated}
	}
	if errors.Is(err, zip.ErrFormat) || errors.Is(err, io.ErrUnexpectedEOF) {
		err = fmt.Errorf("the entry inflates to other than its header's size, or is corrupt (a damaged or hostile zip): %w", err)
	}
	return n, err
}

// Stat reports the header's size, unless the entry could not inflate to
// it (a header that lies is not trusted to size buffers).
func (l *limitFile) Stat() (fs.FileInfo, error) {
	st, err := l.File.Stat()
	if err != nil || l.compressed < 0 || st.Size() <= (l.compressed+1)*deflateRatio {
		return st, err
	}
	return sizedInfo{st, (l.compressed + 1) * deflateRatio}, nil
}

type sizedInfo struct {
	fs.FileInfo
	size int64
}

func (s sizedInfo) Size() int64 { return s.size }

// requiredFiles must be present, with a header.
var requiredFiles = []string{"stops.txt", "routes.txt", "trips.txt", "stop_times.txt"}

// reader carries the state of reading one feed.
type reader struct {
	fsys    fs.FS
	f       *Feed
	raw     *rawStopTimes
	strings map[string]string
	// maxEvents bounds the stop events (eventsWhy says how it was set).
	maxEvents int64
	eventsWhy string
	ctx       context.Context
}

// intern returns b as a string, kept once however often it occurs (trip
// headsigns repeat across trips).
func (r *reader) intern(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if s, ok := r.strings[str(b)]; ok {
		return s
	}
	if r.strings == nil {
		r.strings = map[string]string{}
	}
	s := string(b)
	r.strings[s] = s
	return s
}

// Read reads a feed from fsys, whose root holds the GTFS files. name
// identifies the feed in messages.
func Read(fsys fs.FS, name string) (*Feed, error) {
	return ReadContext(context.Background(), fsys, name)
}

// ReadContext is Read, stopping with an error wrapping ctx's cause when
// ctx is done.
func ReadContext(ctx context.Context, fsys fs.FS, name string) (*Feed, error) {
	r := &reader{fsys: fsys, f: &Feed{Name: name}, ctx: ctx}
	var err error
	if r.maxEvents, r.eventsWhy, err = stopEventLimit(); err != nil {
		return nil, err
	}
	steps := []struct {
		file     string
		required bool
		read     func(*csvReader) error
	}{
		{"agency.txt", false, r.agencies},
		{"stops.txt", true, r.stops},
		{"routes.txt", true, r.routes},
		{"calendar.txt", false, r.calendar},
		{"calendar_dates.txt", false, r.calendarDates},
		{"shapes.txt", false, r.shapes},
		{"trips.txt", true, r.trips},
		{"stop_times.txt", true, r.stopTimes},
		{"frequencies.txt", false, r.frequencies},
		{"transfers.txt", false, r.transfers},
		{"feed_info.txt", false, r.feedInfo},
	}
	hasCalendar := false
	for _, s := range steps {
		ok, err := r.file(s.file, s.read)
		if err != nil {
			return nil, err
		}
		if !ok && s.required {
			return nil, fmt.Errorf("gtfs: %s: %s is missing", name, s.file)
		}
		if ok && (s.file == "calendar.txt" || s.file == "calendar_dates.txt") {
			hasCalendar = true
		}
		if s.file == "calendar_dates.txt" && !hasCalendar {
			return nil, fmt.Errorf("gtfs: %s: calendar.txt and calendar_dates.txt are both missing", name)
		}
	}
	if len(r.f.Agencies) == 0 {
		r.f.Warnings.Add("no agency", "agency.txt is missing or empty")
	}
	for i := range r.f.Services {
		if s := &r.f.Services[i]; !s.HasCalendar && len(s.Added) == 0 && len(s.Removed) == 0 {
			r.f.Warnings.Add("service in neither calendar.txt nor calendar_dates.txt (never active)", s.ID)
		}
	}
	if err := r.finishStopTimes(); err != nil {
		return nil, err
	}
	if err := r.expandFrequencies(); err != nil {
		return nil, err
	}
	return r.f, nil
}

// Namespaced returns id prefixed by the feed's name, "name:id": ids of
// different feeds never collide once namespaced.
func (f *Feed) Namespaced(id string) string { return f.Name + ":" + id }

// file opens and reads one file; ok is false when it is absent.
func (r *reader) file(name string, read func(*csvReader) error) (ok bool, err error) {
	fh, err := r.fsys.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("gtfs: %s: %s: %w", r.f.Name, name, err)
	}
	defer fh.Close()
	if err := r.ctx.Err(); err != nil {
		return false, fmt.Errorf("gtfs: %s: interrupted before %s: %w", r.f.Name, name, context.Cause(r.ctx))
	}
	c := newCSVReader(fh, r.f.Name, name)
	c.ctx = r.ctx
	if st, err := fh.Stat(); err == nil {
		c.size = st.Size()
	}
	if err := c.readHeader(); err != nil {
		if errors.Is(err, errNoHeader) && !slices.Contains(requiredFiles, name) {
			r.f.Warnings.Add("empty file (taken as absent)", name)
			return false, nil
		}
		return false, err
	}
	return true, read(c)
}

// need returns the index of a required column.
func need(c *csvReader, name string) (int, error) {
	i := c.col(name)
	if i < 0 {
		return -1, c.errorf("", "", fmt.Errorf("required column %s is missing", name))
	}
	return i, nil
}

// needAll returns the indices of required columns, in order.
func needAll(c *csvReader, names ...string) ([]int, error) {
	ix := make([]int, len(names))
	for i, n := range names {
		var err error
		if ix[i], err = need(c, n); err != nil {
			return nil, err
		}
	}
	return ix, nil
}

// rows calls fn for every record.
func rows(c *csvReader, fn func(rec [][]byte) error) error {
	for n := 1; ; n++ {
		if n&(1<<14-1) == 0 && c.ctx != nil && c.ctx.Err() != nil {
			return fmt.Errorf("gtfs: %s: %s: interrupted at line %d: %w", c.feed, c.file, c.next, context.Cause(c.ctx))
		}
		rec, err := c.read()
		if err != nil {
			return err
		}
		if rec == nil {
			return nil
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
}

// id returns a required, non-empty id field.
func id(c *csvReader, rec [][]byte, i int, name string) (string, error) {
	v := field(rec, i)
	if len(v) == 0 {
		return "", c.errorf(name, "", ErrMissingField)
	}
	return string(v), nil
}

func (r *reader) agencies(c *csvReader) error {
	iID, iName, iURL, iTZ := c.col("agency_id"), c.col("agency_name"), c.col("agency_url"), c.col("agency_timezone")
	return rows(c, func(rec [][]byte) error {
		r.f.Agencies = append(r.f.Agencies, Agency{
			ID: string(field(rec, iID)), Name: string(r.text(c, rec, iName, "agency_name")),
			URL: string(field(rec, iURL)), Timezone: string(field(rec, iTZ)),
		})
		return nil
	})
}

func (r *reader) stops(c *csvReader) error {
	iID, err := need(c, "stop_id")
	if err != nil {
		return err
	}
	iCode, iName, iLat, iLon := c.col("stop_code"), c.col("stop_name"), c.col("stop_lat"), c.col("stop_lon")
	iType, iParent := c.col("location_type"), c.col("parent_station")
	f := r.f
	f.stopIndex = map[string]int32{}
	parents := []string{}
	err = rows(c, func(rec [][]byte) error {
		sid, err := id(c, rec, iID, "stop_id")
		if err != nil {
			return err
		}
		if _, dup := f.stopIndex[sid]; dup {
			return c.errorf("stop_id", sid, errors.New("duplicate stop_id"))
		}
		s := Stop{ID: sid, Code: r.intern(r.text(c, rec, iCode, "stop_code")), Name: r.intern(r.text(c, rec, iName, "stop_name")), Parent: None}
		if t := field(rec, iType); len(t) > 0 {
			v, err := atoi32(str(t))
			if err != nil || v < 0 || v > 4 {
				return c.errorf("location_type", string(t), errors.New("want 0 to 4"))
			}
			s.LocationType = uint8(v)
		}
		lat, lon := field(rec, iLat), field(rec, iLon)
		switch {
		case len(lat) == 0 && len(lon) == 0:
			if s.LocationType <= 2 {
				f.Warnings.Add("stop without coordinates", fmt.Sprintf("stops.txt:%d: %s", c.line, sid))
			}
		default:
			la, err1 := strconv.ParseFloat(str(lat), 64)
			lo, err2 := strconv.ParseFloat(str(lon), 64)
			switch {
			case err1 != nil || math.IsNaN(la) || la < -90 || la > 90:
				return c.errorf("stop_lat", string(lat), errors.New("want a latitude within -90..90"))
			case err2 != nil || math.IsNaN(lo) || lo < -180 || lo > 180:
				return c.errorf("stop_lon", string(lon), errors.New("want a longitude within -180..180"))
			case la == 0 && lo == 0:
				f.Warnings.Add("stop at 0,0 (taken as without coordinates)", fmt.Sprintf("stops.txt:%d: %s", c.line, sid))
			default:
				s.Lat, s.Lon, s.HasCoords = la, lo, true
			}
		}
		f.stopIndex[sid] = int32(len(f.Stops))
		f.Stops = append(f.Stops, s)
		parents = append(parents, string(field(rec, iParent)))
		return nil
	})
	if err != nil {
		return err
	}
	for i, p := range parents {
		if p == "" {
			continue
		}
		j, ok := f.stopIndex[p]
		if !ok {
			f.Warnings.Add("unknown parent_station", fmt.Sprintf("stop %s: parent %s", f.Stops[i].ID, p))
			continue
		}
		f.Stops[i].Parent = j
	}
	return nil
}

func (r *reader) routes(c *csvReader) error {
	ix, err := needAll(c, "route_id", "route_type")
	if err != nil {
		return err
	}
	iID, iType := ix[0], ix[1]
	iAgency, iShort, iLong := c.col("agency_id"), c.col("route_short_name"), c.col("route_long_name")
	f := r.f
	f.routeIndex = map[string]int32{}
	return rows(c, func(rec [][]byte) error {
		rid, err := id(c, rec, iID, "route_id")
		if err != nil {
			return err
		}
		if _, dup := f.routeIndex[rid]; dup {
			return c.errorf("route_id", rid, errors.New("duplicate route_id"))
		}
		t := field(rec, iType)
		v, err := atoi32(str(t))
		if err != nil || v < 0 {
			return c.errorf("route_type", string(t), errors.New("want a route type number"))
		}
		if !knownRouteType(v) {
			f.Warnings.Add("unknown route_type", fmt.Sprintf("routes.txt:%d: %s type %d", c.line, rid, v))
		}
		rt := Route{ID: rid, Agency: None, ShortName: string(r.text(c, rec, iShort, "route_short_name")), LongName: string(r.text(c, rec, iLong, "route_long_name")), Type: int32(v)}
		if a := field(rec, iAgency); len(a) > 0 {
			for i := range f.Agencies {
				if f.Agencies[i].ID == str(a) {
					rt.Agency = int32(i)
				}
			}
			if rt.Agency == None {
				f.Warnings.Add("unknown agency_id", fmt.Sprintf("routes.txt:%d: %s", c.line, a))
			}
		} else if len(f.Agencies) == 1 {
			rt.Agency = 0
		}
		f.routeIndex[rid] = int32(len(f.Routes))
		f.Routes = append(f.Routes, rt)
		return nil
	})
}

// knownRouteType reports whether t is a basic or an extended route type.
func knownRouteType(t int) bool {
	switch {
	case t <= 7, t == 11, t == 12:
		return true
	case t >= 100 && t <= 1702:
		return true
	}
	return false
}

// service returns the index of service sid, adding it when new. sid may
// alias a reader's buffer: it is copied when kept.
func (r *reader) service(sid string) int32 {
	f := r.f
	if f.serviceIndex == nil {
		f.serviceIndex = map[string]int32{}
	}
	if i, ok := f.serviceIndex[sid]; ok {
		return i
	}
	sid = strings.Clone(sid)
	i := int32(len(f.Services))
	f.serviceIndex[sid] = i
	f.Services = append(f.Services, Service{ID: sid})
	return i
}

func (r *reader) calendar(c *csvReader) error {
	iID, err := need(c, "service_id")
	if err != nil {
		return err
	}
	days := []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}
	var iDay [7]int
	for d, n := range days {
		if iDay[d], err = need(c, n); err != nil {
			return err
		}
	}
	ix, err := needAll(c, "start_date", "end_date")
	if err != nil {
		return err
	}
	iStart, iEnd := ix[0], ix[1]
	return rows(c, func(rec [][]byte) error {
		sid, err := id(c, rec, iID, "service_id")
		if err != nil {
			return err
		}
		s := &r.f.Services[r.service(sid)]
		prev := *s
		s.HasCalendar = true
		for d := range 7 {
			v := field(rec, iDay[d])
			if len(v) != 1 || (v[0] != '0' && v[0] != '1') {
				return c.errorf(days[d], string(v), errors.New("want 0 or 1"))
			}
			s.Weekdays[d] = v[0] == '1'
		}
		var ok bool
		if s.Start, ok = parseGTFSDate(field(rec, iStart)); !ok {
			return c.errorf("start_date", string(field(rec, iStart)), ErrInvalidDate)
		}
		if s.End, ok = parseGTFSDate(field(rec, iEnd)); !ok {
			return c.errorf("end_date", string(field(rec, iEnd)), ErrInvalidDate)
		}
		if s.End < s.Start {
			return c.errorf("end_date", string(field(rec, iEnd)), fmt.Errorf("before start_date %s: a reversed calendar row (the service would never run)", field(rec, iStart)))
		}
		if prev.HasCalendar {
			if prev.Weekdays != s.Weekdays || prev.Start != s.Start || prev.End != s.End {
				return c.errorf("service_id", sid, errors.New("defined twice in calendar.txt, differently"))
			}
			r.f.Warnings.Add("service repeated in calendar.txt (same row)", fmt.Sprintf("calendar.txt:%d: %s", c.line, sid))
		}
		return nil
	})
}

func (r *reader) calendarDates(c *csvReader) error {
	ix, err := needAll(c, "service_id", "date", "exception_type")
	if err != nil {
		return err
	}
	iID, iDate, iType := ix[0], ix[1], ix[2]
	return rows(c, func(rec [][]byte) error {
		sid, err := id(c, rec, iID, "service_id")
		if err != nil {
			return err
		}
		d, ok := parseGTFSDate(field(rec, iDate))
		if !ok {
			return c.errorf("date", string(field(rec, iDate)), ErrInvalidDate)
		}
		s := &r.f.Services[r.service(sid)]
		switch t := field(rec, iType); str(t) {
		case "1":
			s.Added = append(s.Added, d)
		case "2":
			s.Removed = append(s.Removed, d)
		default:
			return c.errorf("exception_type", string(t), errors.New("want 1 or 2"))
		}
		return nil
	})
}

func (r *reader) shapes(c *csvReader) error {
	iID, err := need(c, "shape_id")
	if err != nil {
		return err
	}
	index := map[string]int32{}
	return rows(c, func(rec [][]byte) error {
		sid := field(rec, iID)
		if len(sid) == 0 {
			return c.errorf("shape_id", "", ErrMissingField)
		}
		i, ok := index[str(sid)]
		if !ok {
			i = int32(len(r.f.Shapes))
			index[string(sid)] = i
			r.f.Shapes = append(r.f.Shapes, Shape{ID: string(sid)})
		}
		r.f.Shapes[i].Points++
		return nil
	})
}

func (r *reader) trips(c *csvReader) error {
	ix, err := needAll(c, "trip_id", "route_id", "service_id")
	if err != nil {
		return err
	}
	iID, iRoute, iService := ix[0], ix[1], ix[2]
	iShape, iHead, iDir := c.col("shape_id"), c.col("trip_headsign"), c.col("direction_id")
	f := r.f
	f.tripIndex = map[string]int32{}
	shapes := map[string]int32{}
	for i, s := range f.Shapes {
		shapes[s.ID] = int32(i)
	}
	return rows(c, func(rec [][]byte) error {
		tid, err := id(c, rec, iID, "trip_id")
		if err != nil {
			return err
		}
		if _, dup := f.tripIndex[tid]; dup {
			return c.errorf("trip_id", tid, errors.New("duplicate trip_id"))
		}
		rid := field(rec, iRoute)
		route, ok := f.routeIndex[str(rid)]
		if !ok {
			f.Warnings.Add("trip of an unknown route (trip dropped)", fmt.Sprintf("trips.txt:%d: %s route %s", c.line, tid, rid))
			return nil
		}
		sid := field(rec, iService)
		if len(sid) == 0 {
			return c.errorf("service_id", "", ErrMissingField)
		}
		t := Trip{ID: tid, Route: route, Service: r.service(str(sid)), Shape: None,
			Headsign: r.intern(r.text(c, rec, iHead, "trip_headsign")), Direction: -1, Frequency: None}
		if s := field(rec, iShape); len(s) > 0 {
			if i, ok := shapes[str(s)]; ok {
				t.Shape = i
			}
		}
		switch d := field(rec, iDir); str(d) {
		case "":
		case "0", "1":
			t.Direction = int8(d[0] - '0')
		default:
			return c.errorf("direction_id", string(d), errors.New("want 0 or 1"))
		}
		f.tripIndex[tid] = int32(len(f.Trips))
		f.Trips = append(f.Trips, t)
		return nil
	})
}

func (r *reader) frequencies(c *csvReader) error {
	ix, err := needAll(c, "trip_id", "start_time", "end_time", "headway_secs")
	if err != nil {
		return err
	}
	iTrip, iStart, iEnd, iHead := ix[0], ix[1], ix[2], ix[3]
	iExact := c.col("exact_times")
	// The windows already read, per trip, to refuse overlapping ones
	// (their runs would be doubled).
	type window struct{ start, end, line int32 }
	windows := map[int32][]window{}
	return rows(c, func(rec [][]byte) error {
		tid := field(rec, iTrip)
		trip, ok := r.f.tripIndex[str(tid)]
		if !ok {
			r.f.Warnings.Add("frequency of an unknown trip (row skipped)", fmt.Sprintf("frequencies.txt:%d: %s", c.line, tid))
			return nil
		}
		fr := Frequency{Trip: trip}
		var blank, ok2 bool
		if fr.Start, blank, ok2 = parseTime(field(rec, iStart)); !ok2 || blank {
			return c.errorf("start_time", string(field(rec, iStart)), ErrInvalidTime)
		}
		if fr.End, blank, ok2 = parseTime(field(rec, iEnd)); !ok2 || blank {
			return c.errorf("end_time", string(field(rec, iEnd)), ErrInvalidTime)
		}
		h := field(rec, iHead)
		v, err := atoi32(str(h))
		if err != nil || v <= 0 {
			return c.errorf("headway_secs", string(h), errors.New("want a positive number of seconds"))
		}
		fr.Headway = int32(v)
		switch e := field(rec, iExact); str(e) {
		case "", "0":
		case "1":
			fr.ExactTimes = true
		default:
			return c.errorf("exact_times", string(e), errors.New("want 0 or 1"))
		}
		if fr.End < fr.Start {
			return c.errorf("end_time", string(field(rec, iEnd)), errors.New("before start_time"))
		}
		for _, w := range windows[trip] {
			if fr.Start < w.end && w.start < fr.End {
				return c.errorf("start_time", string(field(rec, iStart)), fmt.Errorf("trip %s: this window overlaps the one of line %d (%s–%s): runs would be doubled", tid, w.line, hms(w.start), hms(w.end)))
			}
		}
		windows[trip] = append(windows[trip], window{fr.Start, fr.End, int32(c.line)})
		r.f.Frequencies = append(r.f.Frequencies, fr)
		return nil
	})
}

func (r *reader) transfers(c *csvReader) error {
	ix, err := needAll(c, "from_stop_id", "to_stop_id", "transfer_type")
	if err != nil {
		return err
	}
	iFrom, iTo, iType := ix[0], ix[1], ix[2]
	iMin := c.col("min_transfer_time")
	iFR, iTR, iFT, iTT := c.col("from_route_id"), c.col("to_route_id"), c.col("from_trip_id"), c.col("to_trip_id")
	f := r.f
	return rows(c, func(rec [][]byte) error {
		from, ok1 := f.stopIndex[str(field(rec, iFrom))]
		to, ok2 := f.stopIndex[str(field(rec, iTo))]
		if !ok1 || !ok2 {
			f.Warnings.Add("transfer between unknown stops (row skipped)", fmt.Sprintf("transfers.txt:%d: %s → %s", c.line, field(rec, iFrom), field(rec, iTo)))
			return nil
		}
		t := Transfer{From: from, To: to, MinTime: -1, FromRoute: None, ToRoute: None, FromTrip: None, ToTrip: None}
		switch v := field(rec, iType); str(v) {
		case "", "0", "1", "2", "3":
			if len(v) > 0 {
				t.Type = v[0] - '0'
			}
		case "4", "5":
			f.Warnings.Add("in-seat transfer (row skipped)", fmt.Sprintf("transfers.txt:%d", c.line))
			return nil
		default:
			return c.errorf("transfer_type", string(v), errors.New("want 0 to 5"))
		}
		if m := field(rec, iMin); len(m) > 0 {
			v, err := atoi32(str(m))
			if err != nil || v < 0 {
				return c.errorf("min_transfer_time", string(m), errors.New("want a number of seconds"))
			}
			if v > MaxTransferTime {
				return c.errorf("min_transfer_time", string(m), fmt.Errorf("want at most %d seconds (24 h)", MaxTransferTime))
			}
			t.MinTime = int32(v)
		}
		if t.Type == TransferMinTime && t.MinTime < 0 {
			return c.errorf("min_transfer_time", "", errors.New("required by transfer_type 2"))
		}
		// A route or trip named but unknown must not widen the row to
		// every route or trip: the row is skipped.
		unknown := ""
		look := func(m map[string]int32, i int) int32 {
			if v := field(rec, i); len(v) > 0 {
				if x, ok := m[str(v)]; ok {
					return x
				}
				unknown = string(v)
			}
			return None
		}
		t.FromRoute, t.ToRoute = look(f.routeIndex, iFR), look(f.routeIndex, iTR)
		t.FromTrip, t.ToTrip = look(f.tripIndex, iFT), look(f.tripIndex, iTT)
		if unknown != "" {
			f.Warnings.Add("transfer naming an unknown route or trip (row skipped)", fmt.Sprintf("transfers.txt:%d: %s", c.line, unknown))
			return nil
		}
		f.Transfers = append(f.Transfers, t)
		return nil
	})
}

func (r *reader) feedInfo(c *csvReader) error {
	iName, iURL, iLang, iVer := c.col("feed_publisher_name"), c.col("feed_publisher_url"), c.col("feed_lang"), c.col("feed_version")
	iStart, iEnd := c.col("feed_start_date"), c.col("feed_end_date")
	return rows(c, func(rec [][]byte) error {
		if r.f.Info != nil {
			return nil
		}
		fi := &FeedInfo{PublisherName: string(field(rec, iName)), PublisherURL: string(field(rec, iURL)),
			Lang: string(field(rec, iLang)), Version: string(field(rec, iVer))}
		if v := field(rec, iStart); len(v) > 0 {
			d, ok := parseGTFSDate(v)
			if !ok {
				return c.errorf("feed_start_date", string(v), ErrInvalidDate)
			}
			fi.Start = d
		}
		if v := field(rec, iEnd); len(v) > 0 {
			d, ok := parseGTFSDate(v)
			if !ok {
				return c.errorf("feed_end_date", string(v), ErrInvalidDate)
			}
			fi.End = d
		}
		r.f.Info = fi
		return nil
	})
}

// FindStop returns the index of the stop with the given id.
func (f *Feed) FindStop(id string) (int32, bool) { i, ok := f.stopIndex[id]; return i, ok }

// FindRoute returns the index of the route with the given id.
func (f *Feed) FindRoute(id string) (int32, bool) { i, ok := f.routeIndex[id]; return i, ok }

// FindTrip returns the index of the trip with the given id (for a trip
// expanded from frequencies, its first run).
func (f *Feed) FindTrip(id string) (int32, bool) { i, ok := f.tripIndex[id]; return i, ok }

// FindService returns the index of the service with the given id.
func (f *Feed) FindService(id string) (int32, bool) { i, ok := f.serviceIndex[id]; return i, ok }

// hms formats seconds after midnight as HH:MM:SS.
func hms(t int32) string { return fmt.Sprintf("%02d:%02d:%02d", t/3600, t/60%60, t%60) }

// MaxTransferTime is the largest min_transfer_time accepted, in seconds.
const MaxTransferTime = 24 * 3600

// text returns field i of rec, a name shown to people: a value that is
// not UTF-8 is read as Latin-1 (ISO 8859-1), with a warning.
func (r *reader) text(c *csvReader, rec [][]byte, i int, name string) []byte {
	v := field(rec, i)
	if utf8.Valid(v) {
		return v
	}
	r.f.Warnings.Add("text not in UTF-8 (read as Latin-1: convert the feed to UTF-8)", fmt.Sprintf("%s:%d: %s", c.file, c.line, name))
	out := make([]byte, 0, 2*len(v))
	for _, b := range v {
		out = utf8.AppendRune(out, rune(b))
	}
	return out
}

// atoi32 parses a decimal integer that fits an int32.
func atoi32(s string) (int, error) {
	v, err := strconv.ParseInt(s, 10, 32)
	return int(v), err
}
