package hours

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"
)

// The oracle: random rules written as opening_hours text, evaluated here
// minute by minute on bool arrays, independently of Schedule.day, union,
// subtract, merge32 and the binary search of Arrive.

type oRule struct {
	days   uint8
	ph, sh bool
	spans  [][2]int // minutes; nil = whole day
	off    bool
	add    bool
}

func (r oRule) text() string {
	var sel []string
	if r.days != 0 {
		sel = append(sel, formatDaysOracle(r.days))
	}
	if r.ph {
		sel = append(sel, "PH")
	}
	if r.sh {
		sel = append(sel, "SH")
	}
	s := strings.Join(sel, ",")
	var sp []string
	for i, x := range r.spans {
		end := x[1]
		if end > 1440 && i%2 == 0 {
			end -= 1440 // write "22:00-02:00" rather than "22:00-26:00"
		}
		sp = append(sp, fmt.Sprintf("%02d:%02d-%02d:%02d", x[0]/60, x[0]%60, end/60, end%60))
	}
	if len(sp) > 0 {
		s += " " + strings.Join(sp, ",")
	}
	if r.off {
		s += " off"
	}
	return s
}

// formatDaysOracle lists the weekdays one by one ("Mo,We,Th"), sometimes as
// one wrapping range.
func formatDaysOracle(days uint8) string {
	if days == allDays {
		return "Mo-Su"
	}
	if days == 1<<5|1<<6|1<<0 {
		return "Sa-Mo"
	}
	var d []string
	for i := 0; i < 7; i++ {
		if days&(1<<i) != 0 {
			d = append(d, wdNames[i])
		}
	}
	return strings.Join(d, ",")
}

func randRules(rng *rand.Rand) []oRule {
	n := 1 + rng.Intn(5)
	rules := make([]oRule, n)
	for i := range rules {
		r := &rules[i]
		switch rng.Intn(6) {
		case 0:
			r.days = allDays
		case 1:
			r.days = 1<<5 | 1<<6 | 1<<0
		default:
			r.days = uint8(rng.Intn(127) + 1)
		}
		r.ph = rng.Intn(5) == 0
		r.sh = rng.Intn(6) == 0
		if rng.Intn(6) == 0 && (r.ph || r.sh) {
			r.days = 0
		}
		if rng.Intn(5) != 0 {
			k := 1 + rng.Intn(3)
			for j := 0; j < k; j++ {
				a := rng.Intn(1440)
				if rng.Intn(2) == 0 {
					a = a / 15 * 15
				}
				b := a + 1 + rng.Intn(600)
				if rng.Intn(8) == 0 {
					b = a + 1 + rng.Intn(1440)
				}
				if b-a > 1440 {
					b = a + 1440
				}
				if b > 1440 && b-1440 >= a {
					b = a + 1439 // keep the wrapped form unambiguous
				}
				r.spans = append(r.spans, [2]int{a, b})
			}
		}
		r.off = rng.Intn(5) == 0
		// "Mo,Th, Tu 10:00-12:00" is one weekday list for Parse: after a
		// rule that is only a day selector, "," cannot start a rule
		r.add = i > 0 && rng.Intn(3) == 0 && (rules[i-1].spans != nil || rules[i-1].off)
	}
	return rules
}

func rulesText(rules []oRule) string {
	var b strings.Builder
	for i, r := range rules {
		if i > 0 {
			if r.add {
				b.WriteString(", ")
			} else {
				b.WriteString("; ")
			}
		}
		b.WriteString(r.text())
	}
	return b.String()
}

// oracleHolidays2026 are the French public holidays of 2026 and the first of
// 2027 (the covered span of 2026-12-31 reaches it), by hand.
var oracleHolidays2026 = map[string]bool{"2027-01-01": true,
	"2026-01-01": true, "2026-04-06": true, "2026-05-01": true, "2026-05-08": true, "2026-05-14": true,
	"2026-05-25": true, "2026-07-14": true, "2026-08-15": true, "2026-11-01": true, "2026-11-11": true, "2026-12-25": true,
}

// oracleDay returns the minutes [0, 2880) open by the rules of one day.
func oracleDay(rules []oRule, wd int, ph, sh bool) (m [2880]bool) {
	for _, r := range rules {
		if r.days&(1<<wd) == 0 && !(r.ph && ph) && !(r.sh && sh) {
			continue
		}
		spans := r.spans
		if spans == nil {
			spans = [][2]int{{0, 1440}}
		}
		if (!r.off && !r.add) || (r.off && r.spans == nil) {
			m = [2880]bool{} // replaced, or closed all day with its night
		}
		for _, x := range spans {
			for i := x[0]; i < x[1]; i++ {
				m[i] = !r.off
			}
		}
	}
	return m
}

// oracleOpen returns, for the minutes [-1440, 2880) of the covered span
// (index minute+1440), whether the point is open.
func oracleOpen(rules []oRule, date Date, shFrom, shTo Date) []bool {
	open := make([]bool, 3*1440)
	for k := -2; k <= 1; k++ {
		d := date.AddDays(k)
		sh := !d.before(shFrom) && !shTo.before(d)
		day := oracleDay(rules, monday0(d.Weekday()), oracleHolidays2026[d.String()], sh)
		for i, o := range day {
			if j := k*1440 + i + 1440; o && j >= 0 && j < len(open) {
				open[j] = true
			}
		}
	}
	return open
}

// oracleArrive is the earliest t' >= t with every second of [t', t'+minOpen)
// (the second t' itself when minOpen is 0) in an open minute of the span.
// When t is not served, the answer is on a minute boundary (serving only
// changes there for minute-aligned openings), so those are scanned.
func oracleArrive(open []bool, t, minOpen int32) (int32, bool) {
	ok := func(x int32) bool {
		end := x + minOpen
		if minOpen == 0 {
			end = x + 1
		}
		for s := x; s < end; s = (floorDiv(s, 60) + 1) * 60 {
			i := floorDiv(s, 60) + 1440
			if s < SpanStart || i >= int32(len(open)) || !open[i] {
				return false
			}
		}
		return true
	}
	if ok(t) {
		return t, true
	}
	for x := (floorDiv(t, 60) + 1) * 60; x < SpanEnd; x += 60 {
		if ok(x) {
			return x, true
		}
	}
	return 0, false
}

func floorDiv(a, b int32) int32 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

func TestArriveOracle(t *testing.T) {
	rng := rand.New(rand.NewSource(17))
	shFrom, shTo := Date{2026, time.May, 9}, Date{2026, time.May, 24}
	cal, err := ParseSchoolHolidays(strings.NewReader(shFrom.String() + "," + shTo.String()))
	if err != nil {
		t.Fatal(err)
	}
	dates := []Date{{2026, time.April, 6}, {2026, time.May, 14}, {2026, time.May, 9}, {2026, time.May, 24}, {2026, time.January, 17}, {2026, time.December, 31}}
	schedules, always, none := 0, 0, 0
	for iter := 0; iter < 300; iter++ {
		rules := randRules(rng)
		text := rulesText(rules)
		s, err := Parse(text)
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		date := dates[rng.Intn(len(dates))]
		if rng.Intn(2) == 0 {
			date = Date{2026, time.January, 1}.AddDays(rng.Intn(365))
		}
		minOpen := []int32{0, 60, 900, 1800, 7200}[rng.Intn(5)]
		open := oracleOpen(rules, date, shFrom, shTo)
		w := s.Windows(date, minOpen, cal)
		schedules++
		allOpen := true
		for _, o := range open {
			allOpen = allOpen && o
		}
		if w.Always() != allOpen {
			t.Fatalf("%q on %s: Always() = %v, oracle %v", text, date, w.Always(), allOpen)
		}
		if allOpen {
			always++
			continue
		}
		if w.None() {
			none++
		}
		check := func(tt int32) {
			got, ok := w.Arrive(tt)
			want, wok := oracleArrive(open, tt, minOpen)
			if ok != wok || (ok && got != want) {
				t.Fatalf("%q on %s minOpen %d: Arrive(%d) = %d, %v; oracle %d, %v\npairs %s", text, date, minOpen, tt, got, ok, want, wok, pairsText(w))
			}
		}
		for q := 0; q < 150; q++ {
			check(SpanStart - 600 + rng.Int31n(SpanEnd-SpanStart+1200))
		}
		for _, b := range w.Pairs() { // around every pair end
			for _, d := range []int32{-1, 0, 1, 59, 60} {
				check(b + d)
			}
		}
	}
	t.Logf("%d random schedules: %d always open, %d never in the span", schedules, always, none)
	if always == 0 || none == 0 {
		t.Errorf("the generator missed a case: %d always, %d none", always, none)
	}
}

// TestArriveMonotone is the FIFO property: arriving later is never served
// earlier, and once no service is left none comes back.
func TestArriveMonotone(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for iter := 0; iter < 200; iter++ {
		text := rulesText(randRules(rng))
		w := mustParse(t, text).Windows(Date{2026, time.January, 1}.AddDays(rng.Intn(365)), rng.Int31n(3600), nil)
		prev, prevOK := int32(-1<<31), true
		for tt := SpanStart - 120; tt < SpanEnd+120; tt += 1 + rng.Int31n(400) {
			got, ok := w.Arrive(tt)
			if ok && got < tt {
				t.Fatalf("%q: Arrive(%d) = %d, before the arrival", text, tt, got)
			}
			if (ok && !prevOK) || (ok && prevOK && got < prev) {
				t.Fatalf("%q: Arrive(%d) = %d, %v after %d, %v", text, tt, got, ok, prev, prevOK)
			}
			prev, prevOK = got, ok
		}
	}
}
