package model_test

import (
	"fmt"
	"testing"

	"github.com/labelbridge/labelbridge/engine/model"
)

// CheckDate gives ParseDate's verdict and error on every month and day number of leap and common
// years (1900 and 2100 are not leap years, 2000 is), year 0000 and 9999, and ill-shaped strings.
func TestCheckDateAgreesWithParseDate(t *testing.T) {
	var inputs []string
	for _, y := range []int{0, 1, 1900, 2000, 2024, 2025, 2100, 9999} {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d++ {
				inputs = append(inputs, fmt.Sprintf("%04d-%02d-%02d", y, m, d))
			}
		}
	}
	inputs = append(inputs, "", "2026-1-01", "2026-01-1", "2026/01/01", "2026-01-01T00:00", "２０２６-01-01", "2026-0a-01", "99999-01-01")
	for _, s := range inputs {
		_, perr := model.ParseDate(s)
		cerr := model.CheckDate(s)
		if fmt.Sprint(perr) != fmt.Sprint(cerr) {
			t.Errorf("%q: CheckDate %v, ParseDate %v", s, cerr, perr)
		}
	}
}
