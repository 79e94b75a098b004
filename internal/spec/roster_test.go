package spec

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadReadsRosters(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("s.yaml", `version: 1
hospitals:
  - code: AM
    name: Al Madina
    roster: r/am.csv
    departments:
      - {name: Cardiology, staff_types: [physician], specializations: [Cardiology]}
`)
	header := "employee_id,staff_type,first_name,last_name,first_name_ar,last_name_ar,gender,department\n"
	write("r/am.csv", header+"E1,physician,Zoë,O'Neil,,,female,Cardiology\n")
	s, diags := Load(filepath.Join(dir, "s.yaml"), LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(listDiags(diags))
	}
	h := s.Hospitals[0]
	if len(h.RosterRows) != 1 || h.RosterRows[0].FirstName != "Zoë" || h.Staff[Physician].Count != 0 {
		t.Fatalf("roster rows %+v, staff %+v", h.RosterRows, h.Staff)
	}
	first := s.Digest

	write("r/am.csv", header+"E1,physician,Zoe,O'Neil,,,female,Cardiology\n")
	s, _ = Load(filepath.Join(dir, "s.yaml"), LoadOptions{})
	if s.Digest == first {
		t.Error("the digest does not change with the roster")
	}

	write("r/am.csv", header+"E1,physician,Zoë,O'Neil,,,female,Surgery\n")
	s, diags = Load(filepath.Join(dir, "s.yaml"), LoadOptions{})
	csv := filepath.Join(dir, "r/am.csv")
	if len(diags) != 1 || diags[0].Summary != "Unknown department" || diags[0].Subject.Filename != csv ||
		diags[0].Subject.Start.Line != 2 || diags[0].Subject.Start.Column != 34 {
		t.Errorf("got %s", listDiags(diags))
	}
	if !strings.Contains(diags[0].Detail, `(its departments are "Cardiology")`) {
		t.Errorf("the departments are not listed: %s", diags[0].Detail)
	}
	var b strings.Builder
	if err := WriteDiagnostics(&b, diags, s.Sources, 0, false); err != nil || !strings.Contains(b.String(), csv+":2:34") ||
		!strings.Contains(b.String(), "Surgery\n") {
		t.Errorf("diagnostics text: %s", b.String())
	}

	// An employee ID twice in one roster is reported once, by the roster.
	write("r/am.csv", header+"E1,physician,Zoe,One,,,female,Cardiology\nE1,physician,Ann,Two,,,female,Cardiology\n")
	_, diags = Load(filepath.Join(dir, "s.yaml"), LoadOptions{})
	if len(diags) != 1 || diags[0].Summary != "Duplicate employee ID" || strings.Contains(diags[0].Detail, "roster of hospital") {
		t.Errorf("duplicate within a roster: %s", listDiags(diags))
	}
}

// TestResolvePathAbsolute checks that spec paths come out absolute, so a
// saved plan applied from another folder writes where the spec meant.
func TestResolvePathAbsolute(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ dir, p, want string }{
		{"specs", "outbox", filepath.Join(wd, "specs", "outbox")},
		{".", "../outbox", filepath.Join(filepath.Dir(wd), "outbox")},
		{"specs", "/var/mail/./x", "/var/mail/x"},
		{"specs", "", ""},
	} {
		if got := ResolvePath(tc.dir, tc.p); got != tc.want {
			t.Errorf("ResolvePath(%q, %q) = %q, want %q", tc.dir, tc.p, got, tc.want)
		}
	}
}

// absPath is the absolute form of a path relative to the test's folder.
func absPath(t *testing.T, elem ...string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join(elem...))
	if err != nil {
		t.Fatal(err)
	}
	return p
}
