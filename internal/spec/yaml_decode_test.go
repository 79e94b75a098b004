package spec

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func mustParse(t *testing.T, file string) *Spec {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	s, diags := ParseYAML(file, src)
	if diags.HasErrors() {
		t.Fatalf("%s:\n%s", file, listDiags(diags))
	}
	return s
}

func TestDefaults(t *testing.T) {
	s, diags := ParseYAML("specs/min.yaml", []byte("version: 1\nhospitals:\n  - code: ALMADINA\n"))
	if diags.HasErrors() {
		t.Fatal(listDiags(diags))
	}
	if s.Version != 1 || s.Seed != DefaultSeed || s.Clear {
		t.Errorf("version %d seed %d clear %v", s.Version, s.Seed, s.Clear)
	}
	for _, t2 := range StaffTypes {
		if s.Staff[t2] != DefaultCounts[t2] {
			t.Errorf("staff %s = %+v, want %+v", t2, s.Staff[t2], DefaultCounts[t2])
		}
	}
	if s.Staff[Nurse] != (TypeCount{Count: 15, FemaleRatio: 700_000}) {
		t.Errorf("nurses = %+v", s.Staff[Nurse])
	}
	h := s.Hospitals[0]
	if h.Name != "ALMADINA" || h.Existing || len(h.Staff) != 3 || h.Staff[Physician] != DefaultCounts[Physician] {
		t.Errorf("hospital = %+v", h)
	}
	a := s.Accounts
	if a.CreateUsers || a.RoleFor(Nurse) != "staff" || a.Password != (PasswordPolicy{12, "pbkdf2_sha256", 1_000_000}) || a.OnRemove != "delete" {
		t.Errorf("accounts = %+v", a)
	}
	e := s.Email
	e.Ranges = nil
	want := Email{
		From: "noreply@px360.local", SiteURL: "http://localhost:8000", Address: "{username}@{hospital_code}.sa",
		Transport: "smtp", SMTP: SMTP{Port: 587, Security: "starttls", TimeoutSecs: DefaultSMTPTimeoutSecs},
		File: FileTransport{Dir: absPath(t, "specs", "outbox")}, Language: "bilingual",
	}
	if !reflect.DeepEqual(e, want) {
		t.Errorf("email = %+v\nwant    %+v", e, want)
	}
	if s.Digest == "" || len(s.Files) != 1 || s.Sources["specs/min.yaml"] == nil {
		t.Errorf("digest %q files %v", s.Digest, s.Files)
	}
}

func TestOverridesAndRoles(t *testing.T) {
	src := `version: 1
seed: 7
clear: true
hospitals:
  - code: AA
    staff: {nurses: 20, physicians: {count: 2, female_ratio: 0.5}}
    roster: r/aa.csv
  - code: BB
    name: Bee
    language: en
staff:
  nurses: {female_ratio: 0.6}
  admin_staff: 0
accounts:
  create_users: true
  role: {physician: doctor}
email:
  send_credentials: true
  transport: file
  file: {dir: /tmp/out}
  templates: tpl
`
	s, diags := ParseYAML("d/s.yaml", []byte(src))
	if diags.HasErrors() {
		t.Fatal(listDiags(diags))
	}
	if s.Seed != 7 || !s.Clear {
		t.Errorf("seed %d clear %v", s.Seed, s.Clear)
	}
	if s.Staff[Nurse] != (TypeCount{15, 600_000}) || s.Staff[Admin] != (TypeCount{0, 400_000}) {
		t.Errorf("spec staff = %+v", s.Staff)
	}
	aa, _ := s.HospitalByCode("AA")
	// A roster hospital keeps only the counts it sets itself.
	if aa.Staff[Nurse] != (TypeCount{20, 600_000}) || aa.Staff[Physician] != (TypeCount{2, 500_000}) || aa.Staff[Admin] != (TypeCount{0, 400_000}) {
		t.Errorf("AA staff = %+v", aa.Staff)
	}
	if aa.Roster != absPath(t, "d", "r", "aa.csv") {
		t.Errorf("roster = %q", aa.Roster)
	}
	bb, _ := s.HospitalByCode("BB")
	if bb.Staff[Nurse] != (TypeCount{15, 600_000}) || bb.Staff[Physician] != DefaultCounts[Physician] || bb.Name != "Bee" || bb.Language != "en" {
		t.Errorf("BB = %+v", bb)
	}
	if s.Accounts.RoleFor(Physician) != "doctor" || s.Accounts.RoleFor(Nurse) != "staff" {
		t.Errorf("roles = %v", s.Accounts.Roles)
	}
	if s.Email.File.Dir != "/tmp/out" || s.Email.Templates != absPath(t, "d", "tpl") {
		t.Errorf("email = %+v", s.Email)
	}
}

func TestCodesStayStrings(t *testing.T) {
	s := mustParse(t, "testdata/valid/codes.yaml")
	var got []string
	for _, h := range s.Hospitals {
		got = append(got, h.Code)
	}
	if want := "NO ON YES 0123 1_000 NULL"; strings.Join(got, " ") != want {
		t.Errorf("codes = %v, want %s", got, want)
	}
}

func TestAnchorsAndMergeKeys(t *testing.T) {
	s := mustParse(t, "testdata/valid/anchors.yaml")
	aa, bb := s.Hospitals[0], s.Hospitals[1]
	if aa.Name != "Shared Name" || aa.NameAr != "اسم" || aa.Language != "ar" {
		t.Errorf("AA = %+v", aa)
	}
	if len(aa.Departments) != 2 || aa.Departments[0].Name != "Ward" || aa.Departments[1].Name != "Ward 2" ||
		len(aa.Departments[1].StaffTypes) != 1 || aa.Departments[1].StaffTypes[0] != Nurse {
		t.Errorf("AA departments = %+v", aa.Departments)
	}
	if aa.Staff[Nurse].Count != 50 || s.Staff[Nurse].Count != 50 {
		t.Errorf("nurse counts = %d, %d", aa.Staff[Nurse].Count, s.Staff[Nurse].Count)
	}
	if bb.Name != "Own Name" || bb.NameAr != "اسم" {
		t.Errorf("BB = %+v (explicit keys win over merged ones)", bb)
	}
}

func TestExample(t *testing.T) {
	s := mustParse(t, "../../examples/px360.yaml")
	if len(s.Hospitals) != 3 || !s.Accounts.CreateUsers || !s.Email.SendCredentials || s.Email.Transport != "file" {
		t.Fatalf("example = %+v", s)
	}
	if s.Email.File.Dir != absPath(t, "..", "..", "outbox") {
		t.Errorf("outbox = %q", s.Email.File.Dir)
	}
	for _, h := range s.Hospitals {
		if len(h.Departments) < 4 || h.NameAr == "" || h.Staff[Nurse] != DefaultCounts[Nurse] {
			t.Errorf("%s = %+v", h.Code, h)
		}
	}
}

func TestDigest(t *testing.T) {
	a, _ := ParseYAML("a.yaml", []byte("version: 1\nhospitals: [{code: AB}]\n"))
	// Same model written differently: explicit defaults, flow style, comments.
	b, _ := ParseYAML("b.yaml", []byte("# same\nhospitals:\n  - code: AB\n    name: AB\nversion: 1\nseed: 1\nstaff: {nurses: {count: 15, female_ratio: 0.7}}\n"))
	c, _ := ParseYAML("c.yaml", []byte("version: 1\nhospitals: [{code: AB}]\nseed: 2\n"))
	if a.Digest == "" || a.Digest != b.Digest {
		t.Errorf("same model, digests %q and %q", a.Digest, b.Digest)
	}
	if a.Digest == c.Digest {
		t.Error("different seeds, same digest")
	}
}

func TestLoadDirectory(t *testing.T) {
	s, diags := Load("testdata/multi", LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(listDiags(diags))
	}
	if len(s.Files) != 2 || !strings.HasSuffix(s.Files[0], "10-base.yaml") || !strings.HasSuffix(s.Files[1], "20-more.yml") {
		t.Errorf("files = %v", s.Files)
	}
	if s.Seed != 42 || len(s.Hospitals) != 2 || s.Hospitals[1].Code != "RIYADH" || !s.Hospitals[1].Existing {
		t.Errorf("spec = %+v", s)
	}
	if s.Hospitals[0].Staff[Nurse] != (TypeCount{3, 500_000}) || s.Hospitals[0].Staff[Physician].Count != 0 {
		t.Errorf("ALMADINA staff = %+v", s.Hospitals[0].Staff)
	}
	if s.Hospitals[1].Staff[Nurse] != (TypeCount{20, 500_000}) {
		t.Errorf("RIYADH staff = %+v", s.Hospitals[1].Staff)
	}
	if s.Email.Templates != absPath(t, "testdata", "multi", "templates") || s.Email.File.Dir != absPath(t, "testdata", "multi", "outbox") {
		t.Errorf("email paths = %q, %q", s.Email.Templates, s.Email.File.Dir)
	}
}

func TestLoadDirectoryConflicts(t *testing.T) {
	s, diags := Load("testdata/multi_conflict", LoadOptions{})
	b := filepath.Join("testdata", "multi_conflict", "b.yaml")
	a := filepath.Join("testdata", "multi_conflict", "a.yaml")
	want := map[string]string{ // second place → first place named in the detail
		b + ":1:1":  a + ":2:1",
		b + ":3:11": a + ":4:11",
		b + ":5:3":  a + ":6:3",
	}
	if len(diags) != len(want) {
		t.Fatalf("want %d errors, got:\n%s", len(want), listDiags(diags))
	}
	for _, d := range diags {
		first, ok := want[posString(*d.Subject)]
		if !ok || !strings.Contains(d.Detail, first) {
			t.Errorf("unexpected %s %s", posString(*d.Subject), diagText(d))
		}
	}
	if s.Sources[a] == nil || s.Sources[b] == nil {
		t.Error("sources missing after a failed load")
	}
}

func TestLoadStdinAndFile(t *testing.T) {
	src := "version: 1\nemail: {file: {dir: out}}\nhospitals: [{code: AB}]\n"
	s, diags := Load("-", LoadOptions{Stdin: strings.NewReader(src)})
	if diags.HasErrors() || s.Files[0] != StdinName || s.Email.File.Dir != absPath(t, "out") {
		t.Fatalf("stdin: %+v\n%s", s, listDiags(diags))
	}
	s2, diags := Load("testdata/valid/codes.yaml", LoadOptions{})
	if diags.HasErrors() || len(s2.Hospitals) != 6 {
		t.Fatalf("file: %s", listDiags(diags))
	}
	_, diags = Load("testdata/does-not-exist", LoadOptions{})
	if !diags.HasErrors() {
		t.Error("missing path: no error")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.hcl"), []byte("version = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if s3, diags := Load(dir, LoadOptions{}); diags.HasErrors() || s3.Version != 1 {
		t.Errorf("HCL folder: %s", listDiags(diags))
	}
	if _, diags = Load(t.TempDir(), LoadOptions{}); !diags.HasErrors() {
		t.Error("empty folder: no error")
	}
}

func TestWriteDiagnostics(t *testing.T) {
	s, diags := Load("testdata/errors/unknown_key.yaml", LoadOptions{})
	var out bytes.Buffer
	if err := WriteDiagnostics(&out, diags, s.Sources, 0, false); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Error: Unknown key",
		"on testdata/errors/unknown_key.yaml:9:23:",
		"   9 |   nurses: {count: 20, femal_ratio: ****}",
		"     |                       ^^^^^^^^^^^\n",
		`Did you mean "female_ratio"?`,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
