package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/px360/staffseed/internal/pgtest"
)

// TestExampleFormatsPlanAlike plans every example, once from its YAML and
// once from its HCL form, against the same migrated database and checks
// that both give the identical plan --json.
func TestExampleFormatsPlanAlike(t *testing.T) {
	url := pgtest.New(t)
	run := func(args ...string) string {
		t.Helper()
		var out, errs bytes.Buffer
		streams := Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errs, Getenv: func(k string) string {
			if k == "DATABASE_URL" {
				return url
			}
			return ""
		}}
		if code := Main(args, streams); code != 0 {
			t.Fatalf("staffseed %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errs.String())
		}
		return out.String()
	}
	run("migrate")
	yamls, _ := filepath.Glob("../../examples/*.yaml")
	if len(yamls) == 0 {
		t.Fatal("no examples")
	}
	for _, y := range yamls {
		h := strings.TrimSuffix(y, ".yaml") + ".hcl"
		fromYAML := run("plan", "--json", "-f", y)
		fromHCL := run("plan", "--json", "-f", h)
		if !strings.Contains(fromYAML, `"create"`) {
			t.Errorf("%s: plan has no changes:\n%s", y, fromYAML)
		}
		if fromYAML != fromHCL {
			t.Errorf("%s and %s plan differently:\nYAML: %.2000s\nHCL:  %.2000s", y, h, fromYAML, fromHCL)
		}
	}
}
