package report_test

import (
	"fmt"

	"github.com/vingt/vingt/report"
)

func ExampleLang_Number() {
	// French groups thousands with a no-break space (U+00A0).
	fmt.Printf("%q %q\n", report.French.Number(1234.5, 1), report.French.Percent(0.989))
	fmt.Printf("%q %q\n", report.English.Number(1234.5, 1), report.English.Percent(0.989))
	// Output:
	// "1\u00a0234,5" "98,9\u00a0%"
	// "1,234.5" "98.9%"
}
