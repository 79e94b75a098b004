package cli

import (
	"bytes"
	"os"
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

// TestVarFileFlag checks that --var-file values reach the spec, that
// --var wins over them, and that a value failing a variable's validation
// is reported at its line in the var file.
func TestVarFileFlag(t *testing.T) {
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "good.hcl"), filepath.Join(dir, "bad.hcl")
	if err := os.WriteFile(good, []byte("nurses = 20\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("# too many\nnurses = 5000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (int, string, string) {
		var out, errs bytes.Buffer
		code := Main(args, Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errs, Getenv: func(string) string { return "" }})
		return code, out.String(), errs.String()
	}
	spec := "../../examples/px360.hcl"
	if code, out, errs := run("validate", "-f", spec, "--var-file", good); code != 0 || !strings.Contains(out, "105 generated staff") {
		t.Errorf("good var file: exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs := run("validate", "-f", spec, "--var-file", bad, "--var", "nurses=1"); code != 0 || !strings.Contains(out, "48 generated staff") {
		t.Errorf("--var over var file: exit %d\n%s%s", code, out, errs)
	}
	code, _, errs := run("validate", "-f", spec, "--var-file", good, "--var-file", bad)
	if code != 1 || !strings.Contains(errs, bad+":2:10") || !strings.Contains(errs, "   2 | nurses = 5000") || !strings.Contains(errs, "nurses must be between 0 and 1000.") {
		t.Errorf("bad var file: exit %d\n%s", code, errs)
	}
}
