package synth

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/vellumhealth/vellum/phi"
)

var (
	notDigit = regexp.MustCompile(`\D`)
	zipCode  = regexp.MustCompile(`^\d{5}(-\d{4})?$`)
)

// checkContactSpan checks the spans whose form every style set shares: telephone
// numbers in 555-0100..0199, ages of 90 or more, ZIP codes, no state alone as a
// place, e-mail at example domains. Names and dates each set checks its own way.
func checkContactSpan(t *testing.T, style string, typ phi.Type, x string) {
	t.Helper()
	switch typ {
	case phi.Phone, phi.Fax:
		d := notDigit.ReplaceAllString(x, "")
		if k := strings.Index(d, "55501"); k < 0 || len(d) < k+7 {
			t.Errorf("%s: telephone %q not in 555-0100..0199", style, x)
		}
	case phi.Age:
		d := notDigit.ReplaceAllString(x, "")
		if d == "" {
			if !strings.HasPrefix(x, "ninety") {
				t.Errorf("%s: age %q", style, x)
			}
		} else if a, _ := strconv.Atoi(d); a < 90 {
			t.Errorf("%s: age %q is under 90", style, x)
		}
	case phi.ZIP:
		if !zipCode.MatchString(x) {
			t.Errorf("%s: ZIP %q", style, x)
		}
	case phi.Location:
		if len(x) == 2 && strings.ToUpper(x) == x {
			t.Errorf("%s: state %q marked as a location", style, x)
		}
	case phi.Email:
		if !strings.Contains(x, "@") || !strings.Contains(x, "example.") {
			t.Errorf("%s: e-mail %q", style, x)
		}
	}
}
