package spec

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

var errorComment = regexp.MustCompile(`#\s*ERROR:\s*(.+?)\s*$`)

// expectedErrors reads the `# ERROR: <substring>` comments of a fixture:
// line number → expected substrings of the diagnostics reported there.
func expectedErrors(t *testing.T, src []byte) map[int][]string {
	t.Helper()
	want := map[int][]string{}
	sc := bufio.NewScanner(bytes.NewReader(src))
	for line := 1; sc.Scan(); line++ {
		if m := errorComment.FindSubmatch(sc.Bytes()); m != nil {
			want[line] = append(want[line], string(m[1]))
		}
	}
	if len(want) == 0 {
		t.Fatal("fixture has no # ERROR: comment")
	}
	return want
}

func diagText(d *hcl.Diagnostic) string { return d.Summary + ": " + d.Detail }

// parseFixture decodes one file by its extension, with no variable values
// from the environment.
func parseFixture(file string, src []byte) (*Spec, hcl.Diagnostics) {
	if isHCL(file) {
		return ParseHCL(file, src, LoadOptions{Env: func(string) string { return "" }})
	}
	return ParseYAML(file, src)
}

// TestErrorFixtures decodes every testdata/errors fixture (YAML and HCL)
// and checks that each `# ERROR:` comment is matched by a diagnostic on its
// line, and that no diagnostic is reported anywhere else.
func TestErrorFixtures(t *testing.T) {
	files, err := filepath.Glob("testdata/errors/*.yaml")
	more, _ := filepath.Glob("testdata/errors/*.hcl")
	files = append(files, more...)
	if err != nil || len(files) == 0 || len(more) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			want := expectedErrors(t, src)
			s, diags := parseFixture(file, src)
			if s == nil || s.Sources[file] == nil {
				t.Fatal("the sources were not returned")
			}
			if !diags.HasErrors() {
				t.Fatal("no error reported")
			}
			for line, subs := range want {
				for _, sub := range subs {
					found := false
					for _, d := range diags {
						if d.Subject != nil && d.Subject.Start.Line == line && strings.Contains(diagText(d), sub) {
							found = true
						}
					}
					if !found {
						t.Errorf("line %d: no error containing %q; got:\n%s", line, sub, listDiags(diags))
					}
				}
			}
			for _, d := range diags {
				if d.Subject == nil {
					t.Errorf("diagnostic without a position: %s", diagText(d))
					continue
				}
				if d.Subject.Filename != file {
					t.Errorf("diagnostic names file %q, want %q", d.Subject.Filename, file)
				}
				if _, ok := want[d.Subject.Start.Line]; !ok {
					t.Errorf("unexpected error at line %d: %s", d.Subject.Start.Line, diagText(d))
				}
			}
		})
	}
}

func listDiags(diags hcl.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		if d.Subject != nil {
			b.WriteString(posString(*d.Subject) + " ")
		}
		b.WriteString(diagText(d) + "\n")
	}
	return b.String()
}

// TestErrorColumns pins exact positions: a diagnostic points at the token
// at fault, not just its line.
func TestErrorColumns(t *testing.T) {
	tests := []struct {
		src       string
		line, col int
		text      string
	}{
		{"version: 1\nstaff:\n  nurses: {count: 20, femal_ratio: 0.7}\n", 3, 23, "femal_ratio"},
		{"version: 1\nhospitals:\n  - code: al-madina\n", 3, 11, "al-madina"},
		{"version: 1\nhospitals:\n  - code: AB\n    name: \"x\\ry\"\n", 4, 11, `"x\ry"`},
		{"version: 1\nhospitals:\n  - {code: AB, name: \"مستشفى\", existing: maybe}\n", 3, 42, "maybe"},
	}
	for _, tt := range tests {
		_, diags := ParseYAML("t.yaml", []byte(tt.src))
		if len(diags) != 1 {
			t.Errorf("%q: want 1 diagnostic, got:\n%s", tt.src, listDiags(diags))
			continue
		}
		r := *diags[0].Subject
		if r.Start.Line != tt.line || r.Start.Column != tt.col {
			t.Errorf("%q: at %d:%d, want %d:%d", tt.src, r.Start.Line, r.Start.Column, tt.line, tt.col)
		}
		if got := string(r.SliceBytes([]byte(tt.src))); got != tt.text {
			t.Errorf("%q: subject covers %q, want %q", tt.src, got, tt.text)
		}
	}
}

// TestEmptyInputs covers inputs a fixture cannot hold.
func TestEmptyInputs(t *testing.T) {
	for name, src := range map[string]string{
		"empty":  "",
		"blank":  "  \n\n",
		"null":   "~\n",
		"list":   "- version: 1\n",
		"scalar": "version\n",
	} {
		s, diags := ParseYAML("t.yaml", []byte(src))
		if !diags.HasErrors() {
			t.Errorf("%s: no error", name)
		}
		if s == nil || s.Sources == nil {
			t.Errorf("%s: no sources", name)
		}
		for _, d := range diags {
			if d.Subject == nil || d.Subject.Start.Line != 1 {
				t.Errorf("%s: error not at line 1: %s", name, diagText(d))
			}
		}
	}
}

// TestSecretsNeverEchoed checks that a password written in a spec is not
// repeated in any diagnostic.
func TestSecretsNeverEchoed(t *testing.T) {
	src := "version: 1\naccounts: {password: S3cr3t-Pa55}\nemail: {smtp: {password: S3cr3t-Pa55, port: S3cr3t-Pa55x}}\n"
	_, diags := ParseYAML("t.yaml", []byte(src))
	if len(diags) != 3 {
		t.Fatalf("want 3 errors, got:\n%s", listDiags(diags))
	}
	for _, d := range diags[:2] {
		if strings.Contains(diagText(d), "S3cr3t") {
			t.Errorf("secret echoed: %s", diagText(d))
		}
	}
}

// TestExistingHospitalCode checks that an existing hospital may keep a
// code made before staffseed, in YAML and HCL, whatever the key order,
// while a managed one keeps the strict form.
func TestExistingHospitalCode(t *testing.T) {
	for _, tc := range []struct {
		file, src string
		ok        bool
	}{
		{"existing.yaml", "version: 1\nhospitals:\n  - {code: al-noor, existing: true}\n", true},
		{"existing_first.yaml", "version: 1\nhospitals:\n  - {existing: true, code: Al.Noor_2}\n", true},
		{"managed.yaml", "version: 1\nhospitals:\n  - {code: al-noor}\n", false},
		{"space.yaml", "version: 1\nhospitals:\n  - {code: \"al noor\", existing: true}\n", false},
		{"long.yaml", "version: 1\nhospitals:\n  - {code: " + strings.Repeat("a", 65) + ", existing: true}\n", false},
		{"existing.hcl", "version = 1\nhospital \"al-noor\" {\n  existing = true\n}\n", true},
		{"managed.hcl", "version = 1\nhospital \"al-noor\" {\n}\n", false},
		{"control.hcl", "version = 1\nhospital \"al\\tnoor\" {\n  existing = true\n}\n", false},
	} {
		t.Run(tc.file, func(t *testing.T) {
			s, diags := parseFixture(tc.file, []byte(tc.src))
			if tc.ok {
				if diags.HasErrors() || len(s.Hospitals) != 1 || !s.Hospitals[0].Existing {
					t.Fatalf("want it accepted: %s", listDiags(diags))
				}
				return
			}
			if !strings.Contains(listDiags(diags), "Invalid hospital code") {
				t.Fatalf("want Invalid hospital code, got %s", listDiags(diags))
			}
		})
	}
}

// TestCrossFieldChecksAfterOtherErrors checks that a rule tying settings
// together is reported along with an unrelated error, and skipped when one
// of its own settings failed.
func TestCrossFieldChecksAfterOtherErrors(t *testing.T) {
	for _, tc := range []struct {
		file, src string
		want      bool
	}{
		{"both.yaml", "version: 1\naccounts: {create_users: false}\nemail: {send_credentials: true, language: xx, transport: console}\n", true},
		{"both.hcl", "version = 1\naccounts {\n  create_users = false\n}\nemail {\n  send_credentials = true\n  language = \"xx\"\n  transport = \"console\"\n}\n", true},
		{"own.yaml", "version: 1\naccounts: {create_users: nope}\nemail: {send_credentials: true, transport: console}\n", false},
		{"own.hcl", "version = 1\naccounts {\n  create_users = \"nope\"\n}\nemail {\n  send_credentials = true\n  transport = \"console\"\n}\n", false},
	} {
		t.Run(tc.file, func(t *testing.T) {
			_, diags := parseFixture(tc.file, []byte(tc.src))
			list := listDiags(diags)
			if !diags.HasErrors() {
				t.Fatal("no error")
			}
			if got := strings.Contains(list, "Credentials need accounts"); got != tc.want {
				t.Errorf("Credentials need accounts reported: %v, want %v:\n%s", got, tc.want, list)
			}
		})
	}
}

// TestUnknownTopKeyNamesExtensions checks that the list of top-level keys
// words the "x-" prefix as such.
func TestUnknownTopKeyNamesExtensions(t *testing.T) {
	_, diags := parseFixture("top.yaml", []byte("version: 1\nemial: {}\n"))
	list := listDiags(diags)
	if !strings.Contains(list, `or any key starting with "x-"`) || strings.Contains(list, `or "x-"`) {
		t.Errorf("got %s", list)
	}
}
