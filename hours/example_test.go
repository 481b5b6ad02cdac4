package hours_test

import (
	"fmt"
	"time"

	"github.com/vingt/vingt/hours"
)

func Example() {
	s, err := hours.Parse("Mo-Fr 09:00-12:00,13:30-16:00; PH off")
	if err != nil {
		panic(err)
	}
	fmt.Println(s.WeeklyOpenMinutes(), "minutes a week")

	clock := func(sec int32) string { return fmt.Sprintf("%02d:%02d", sec/3600, sec/60%60) }
	// Tuesday 2026-01-13, a visit needs the desk open 15 minutes
	w := s.Windows(hours.Date{Year: 2026, Month: time.January, Day: 13}, 15*60, nil)
	for _, at := range []int32{8*3600 + 30*60, 10 * 3600, 11*3600 + 50*60} {
		served, ok := w.Arrive(at)
		fmt.Println("arrive", clock(at), "served", clock(served), ok)
	}
	// Ascension 2026 is a public holiday: closed, served on Friday
	w = s.Windows(hours.Date{Year: 2026, Month: time.May, Day: 14}, 15*60, nil)
	served, ok := w.Arrive(10 * 3600)
	fmt.Println("Ascension: served", served/86400, "day later at", clock(served%86400), ok)

	_, err = hours.Parse("Mo-Fr 09:00-12:00 || \"sur rendez-vous\"")
	fmt.Println(err)
	// Output:
	// 1650 minutes a week
	// arrive 08:30 served 09:00 true
	// arrive 10:00 served 10:00 true
	// arrive 11:50 served 13:30 true
	// Ascension: served 1 day later at 09:00 true
	// hours: unsupported opening hours "Mo-Fr 09:00-12:00 || \"sur rendez-vous\"" at column 19: fallback rule "||"
}

func ExampleParseDays() {
	s, err := hours.ParseDays([7]string{
		"9:00 - 12:00 / 13:30 - 16:00", "9:00 - 12:00 / 13:30 - 16:00", "-",
		"9:00 - 12:00", "13:30 - 17:00", "-", "",
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(s)
	_, err = hours.ParseDays([7]string{"Horaires non communiqués"})
	fmt.Println(err)
	// Output:
	// Mo 09:00-12:00,13:30-16:00; Tu 09:00-12:00,13:30-16:00; Th 09:00-12:00; Fr 13:30-17:00
	// hours: unknown opening hours for monday "Horaires non communiqués": no time given
}
