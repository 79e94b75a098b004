package cli

import (
	"regexp"
	"testing"
)

// TestTransportErrorsNameTheSetting checks that transport and template errors found
// after decoding point at the setting in the spec.
func TestTransportErrorsNameTheSetting(t *testing.T) {
	files := map[string]string{
		"spec.yaml":  validateBase + "email:\n  send_credentials: true\n  smtp:\n    host: mail.example.org\n    security: none\n",
		"roster.csv": validateRoster,
	}
	code, out, errs := runValidate(t, files, nil)
	want := regexp.MustCompile(`spec\.yaml:12:5: security none to mail\.example\.org is refused: .*\(set email\.smtp\.allow_insecure: true to allow it\)`)
	if code == 0 || !want.MatchString(errs) {
		t.Fatalf("security none: exit %d\n%s%s", code, out, errs)
	}
	files["spec.yaml"] = validateBase + "email:\n  send_credentials: true\n  transport: console\n  templates: nope\n"
	code, out, errs = runValidate(t, files, nil)
	if code == 0 || !regexp.MustCompile(`Missing templates folder\n\n  on \S*spec\.yaml:11:3:`).MatchString(errs) {
		t.Fatalf("templates: exit %d\n%s%s", code, out, errs)
	}
}
