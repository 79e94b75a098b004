package roster

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// TestErrorFixtures reads each testdata/*.csv with a *.errors beside it
// and expects exactly the listed "line:column: summary" diagnostics.
func TestErrorFixtures(t *testing.T) {
	files, err := filepath.Glob("testdata/*.errors")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, want := range files {
		csvFile := strings.TrimSuffix(want, ".errors") + ".csv"
		t.Run(filepath.Base(csvFile), func(t *testing.T) {
			expected, err := os.ReadFile(want)
			if err != nil {
				t.Fatal(err)
			}
			_, _, diags := Load(csvFile)
			if got := positions(diags); got != string(expected) {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", got, expected)
			}
			for _, d := range diags {
				if d.Subject == nil || d.Subject.Filename != csvFile {
					t.Errorf("%s: subject %v does not name %s", d.Summary, d.Subject, csvFile)
				}
			}
		})
	}
}

func positions(diags hcl.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		if d.Subject == nil {
			fmt.Fprintf(&b, "-: %s\n", d.Summary)
			continue
		}
		fmt.Fprintf(&b, "%d:%d: %s\n", d.Subject.Start.Line, d.Subject.Start.Column, d.Summary)
	}
	return b.String()
}

func TestValidWithBOMAndQuotes(t *testing.T) {
	rows, src, diags := Load("testdata/valid_bom.csv")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if strings.HasPrefix(string(src), bom) {
		t.Error("Load kept the byte-order mark in the source")
	}
	want := []Row{
		{EmployeeID: "E-001", StaffType: "physician", FirstName: "Zoë", LastName: "O'Neil", FirstNameAr: "زوي", LastNameAr: "أونيل",
			Gender: "female", Email: "zoe.oneil@almadina.sa", Department: "Cardiology", Specialization: "Cardiology"},
		{EmployeeID: "E-002", StaffType: "nurse", FirstName: "Abd al-Rahman", LastName: "Al-Otaibi, Jr.", FirstNameAr: "عبد الرحمن", LastNameAr: "العتيبي", Gender: "male"},
		{EmployeeID: "E-003", StaffType: "admin", FirstName: "Sara", LastName: "Smith", Gender: "female", Department: `Front "Desk"`},
	}
	if len(rows) != len(want) {
		t.Fatalf("got %d rows, want %d", len(rows), len(want))
	}
	for i := range want {
		got := rows[i]
		got.Ranges = nil
		if fmt.Sprint(got) != fmt.Sprint(want[i]) {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, got, want[i])
		}
	}
	if r := rows[2].Range(ColDepartment); r.Start.Line != 4 || r.Start.Column != 40 {
		t.Errorf("department of E-003 at %d:%d, want 4:40", r.Start.Line, r.Start.Column)
	}
	// The optional columns absent from a file are empty; a quoted comma
	// stays in its field.
	rows, diags = Read("q.csv", mustRead(t, "testdata/valid_quoted.csv"))
	if diags.HasErrors() || len(rows) != 2 || rows[0].FirstName != "Mona, RN" || rows[1].Email != "" {
		t.Errorf("valid_quoted: %v %+v", diags, rows)
	}
}

func TestQuotedLineBreakKeepsLineNumbers(t *testing.T) {
	src := "employee_id,staff_type,first_name,last_name,first_name_ar,last_name_ar,gender,department\n" +
		"E-1,nurse,Ali,Hassan,,,male,\"Intensive\nCare\"\n" +
		"E-2,nurse,Omar,Saleh,,,mle,\n"
	_, diags := Read("r.csv", []byte(src))
	if got, want := positions(diags), "2:29: Control character in roster value\n4:24: Invalid gender\n"; got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestEmptyAndTooMany(t *testing.T) {
	if _, diags := Read("e.csv", []byte("\ufeff\n")); positions(diags) != "1:1: Empty roster\n" {
		t.Errorf("empty: %s", positions(diags))
	}
	var b strings.Builder
	b.WriteString(strings.Join(Required, ",") + "\n")
	for i := range 150 {
		fmt.Fprintf(&b, "E%d,vet,A,B,,,male\n", i)
	}
	_, diags := Read("m.csv", []byte(b.String()))
	if len(diags) != maxErrors+1 || diags[maxErrors].Summary != "Too many roster errors" || !strings.Contains(diags[maxErrors].Detail, "50 more") {
		t.Errorf("got %d diagnostics, last %v", len(diags), diags[len(diags)-1])
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestUTF16 checks that a roster saved as UTF-16, with or without a
// byte-order mark, is told apart from other encodings.
func TestUTF16(t *testing.T) {
	text := "employee_id,staff_type\n"
	le, be := []byte{}, []byte{}
	for _, c := range []byte(text) {
		le = append(le, c, 0)
		be = append(be, 0, c)
	}
	for name, src := range map[string][]byte{
		"le": le, "be": be,
		"le bom": append([]byte{0xff, 0xfe}, le...),
		"be bom": append([]byte{0xfe, 0xff}, be...),
	} {
		_, diags := Read("r.csv", src)
		if len(diags) != 1 || !strings.Contains(diags[0].Detail, "looks like UTF-16; save the roster as UTF-8") {
			t.Errorf("%s: %v", name, diags)
		}
	}
}
