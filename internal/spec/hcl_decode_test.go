package spec

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// noEnv is an environment with no variables set.
func noEnv(string) string { return "" }

// TestExamplesAgree checks that every example exists as YAML and as HCL
// and that both forms decode to the same model (the same digest).
func TestExamplesAgree(t *testing.T) {
	yamls, _ := filepath.Glob("../../examples/*.yaml")
	hcls, _ := filepath.Glob("../../examples/*.hcl")
	if len(yamls) == 0 || len(yamls) != len(hcls) {
		t.Fatalf("examples: %d YAML and %d HCL; every example must exist in both forms", len(yamls), len(hcls))
	}
	for _, y := range yamls {
		h := strings.TrimSuffix(y, ".yaml") + ".hcl"
		ys, diags := Load(y, LoadOptions{})
		if diags.HasErrors() {
			t.Fatalf("%s: %s", y, listDiags(diags))
		}
		hs, diags := Load(h, LoadOptions{Env: noEnv})
		if diags.HasErrors() {
			t.Fatalf("%s: %s", h, listDiags(diags))
		}
		if ys.Digest != hs.Digest {
			t.Errorf("%s and %s differ:\nYAML %+v\nHCL  %+v", y, h, ys, hs)
		}
	}
}

// TestHCLModel checks an HCL spec decodes to the model it describes.
func TestHCLModel(t *testing.T) {
	src := `version = 1
seed    = 7
clear   = true
hospital "AB" {
  name     = "Al Madina"
  name_ar  = "المدينة"
  language = "ar"
  department "ER" {
    name_ar         = "الطوارئ"
    staff_types     = ["physician", "nurse"]
    specializations = ["Cardiology"]
  }
  staff "nurses" {
    count = 4
  }
}
hospital "CD" {
  existing = true
}
staff "physicians" {
  count        = 2
  female_ratio = 0.25
}
accounts {
  create_users       = true
  for_existing_staff = true
  on_remove          = "deactivate"
  role = {
    physician = "doctor"
    nurse     = "nurse"
  }
  password {
    length     = 16
    iterations = 600000
  }
}
email {
  send_credentials = true
  from             = "hr@example.org"
  site_url         = "https://px360.example.org"
  address          = "{first}.{last}@{hospital_code}.example.org"
  transport        = "smtp"
  language         = "en"
  templates        = "tmpl"
  smtp {
    host            = "mail.example.org"
    port            = 465
    security        = "tls"
    username        = "px360"
    password_env    = "SMTP_PASSWORD"
    allow_insecure  = true
    timeout_seconds = 10
  }
  file {
    dir = "out"
  }
}
`
	s, diags := ParseHCL(filepath.Join("specs", "s.hcl"), []byte(src), LoadOptions{Env: noEnv})
	if diags.HasErrors() {
		t.Fatal(listDiags(diags))
	}
	ab, cd := s.Hospitals[0], s.Hospitals[1]
	if s.Seed != 7 || !s.Clear || ab.Code != "AB" || ab.NameAr != "المدينة" || ab.Language != "ar" ||
		!cd.Existing || cd.Name != "" {
		t.Errorf("hospitals = %+v", s.Hospitals)
	}
	if dep := ab.Departments[0]; dep.Name != "ER" || dep.NameAr != "الطوارئ" || len(dep.StaffTypes) != 2 || dep.Specializations[0] != "Cardiology" {
		t.Errorf("department = %+v", dep)
	}
	if ab.Staff[Nurse] != (TypeCount{4, 700_000}) || ab.Staff[Physician] != (TypeCount{2, 250_000}) || cd.Staff[Physician] != (TypeCount{2, 250_000}) {
		t.Errorf("staff = %+v / %+v", ab.Staff, cd.Staff)
	}
	a := s.Accounts
	if !a.CreateUsers || !a.ForExistingStaff || a.OnRemove != "deactivate" || a.RoleFor(Physician) != "doctor" ||
		a.RoleFor(Admin) != DefaultRole || a.Password != (PasswordPolicy{16, DefaultHasher, 600000}) {
		t.Errorf("accounts = %+v", a)
	}
	e := s.Email
	if !e.SendCredentials || e.From != "hr@example.org" || e.Language != "en" || e.Templates != absPath(t, "specs", "tmpl") ||
		e.SMTP != (SMTP{"mail.example.org", 465, "tls", "px360", "SMTP_PASSWORD", true, 10}) || e.File.Dir != absPath(t, "specs", "out") {
		t.Errorf("email = %+v", e)
	}
}

const varSpec = `version = 1
variable "nurses" {
  type    = number
  default = 1
}
variable "codes" {
  type    = list(string)
  default = ["AB"]
}
variable "name" {
  default = "x"
}
dynamic "hospital" {
  for_each = var.codes
  labels   = [hospital.value]
  content {
    name = var.name
  }
}
staff "nurses" {
  count = var.nurses
}
`

// TestVariablePrecedence checks where variable values come from:
// default < STAFFSEED_VAR_name < var files (later wins) < --var.
func TestVariablePrecedence(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	spec := write("s.hcl", varSpec)
	f3 := write("three.hcl", "nurses = 3\nname = \"from file\"\n")
	f5 := write("five.hcl", "nurses = 5\n")
	env := func(vals map[string]string) func(string) string {
		return func(k string) string { return vals[k] }
	}
	tests := []struct {
		name   string
		opts   LoadOptions
		nurses int
		codes  string
		label  string
	}{
		{"default", LoadOptions{Env: noEnv}, 1, "AB", "x"},
		{"env", LoadOptions{Env: env(map[string]string{"STAFFSEED_VAR_nurses": "2", "STAFFSEED_VAR_codes": `["CD", "EF"]`})}, 2, "CD EF", "x"},
		{"var file over env", LoadOptions{Env: env(map[string]string{"STAFFSEED_VAR_nurses": "2"}), VarFiles: []string{f3}}, 3, "AB", "from file"},
		{"later var file", LoadOptions{Env: noEnv, VarFiles: []string{f3, f5}}, 5, "AB", "from file"},
		{"--var over all", LoadOptions{Env: env(map[string]string{"STAFFSEED_VAR_nurses": "2"}), VarFiles: []string{f5}, Vars: map[string]string{"nurses": "4", "name": "cli"}}, 4, "AB", "cli"},
	}
	for _, tt := range tests {
		s, diags := Load(spec, tt.opts)
		if diags.HasErrors() {
			t.Errorf("%s: %s", tt.name, listDiags(diags))
			continue
		}
		var codes []string
		for _, h := range s.Hospitals {
			codes = append(codes, h.Code)
		}
		if s.Staff[Nurse].Count != tt.nurses || strings.Join(codes, " ") != tt.codes || s.Hospitals[0].Name != tt.label {
			t.Errorf("%s: nurses %d, codes %v, name %q; want %d, %s, %q", tt.name, s.Staff[Nurse].Count, codes, s.Hospitals[0].Name, tt.nurses, tt.codes, tt.label)
		}
		if _, ok := s.Sources[f3]; ok != (len(tt.opts.VarFiles) > 0 && tt.opts.VarFiles[0] == f3) {
			t.Errorf("%s: var file sources = %v", tt.name, ok)
		}
	}

	bad := []struct {
		name string
		opts LoadOptions
		want string
	}{
		{"not a number", LoadOptions{Env: noEnv, Vars: map[string]string{"nurses": "lots"}}, `--var nurses does not fit the variable's type number`},
		{"bad list", LoadOptions{Env: env(map[string]string{"STAFFSEED_VAR_codes": "[AB"})}, "is not a valid HCL expression for type list(string)"},
		{"undeclared --var", LoadOptions{Env: noEnv, Vars: map[string]string{"nurse": "2"}}, `the spec declares no such variable. Did you mean "nurses"?`},
		{"undeclared in var file", LoadOptions{Env: noEnv, VarFiles: []string{write("bad.hcl", "nurss = 2\n")}}, `declares no variable "nurss". Did you mean "nurses"?`},
		{"missing var file", LoadOptions{Env: noEnv, VarFiles: []string{filepath.Join(dir, "nope.hcl")}}, "Cannot read the variables file"},
		{"count from a string", LoadOptions{Env: noEnv, Vars: map[string]string{"name": "AB\nCD"}}, "control character U+000A"},
	}
	for _, tt := range bad {
		_, diags := Load(spec, tt.opts)
		if !diags.HasErrors() || !strings.Contains(listDiags(diags), tt.want) {
			t.Errorf("%s: want an error containing %q, got:\n%s", tt.name, tt.want, listDiags(diags))
		}
	}
}

// TestRequiredVariable checks that a variable without default must be
// given, and that the error names it.
func TestRequiredVariable(t *testing.T) {
	src := []byte("version = 1\nvariable \"nurses\" {\n  type = number\n}\nstaff \"nurses\" {\n  count = var.nurses\n}\n")
	_, diags := ParseHCL("s.hcl", src, LoadOptions{Env: noEnv})
	if len(diags) != 1 || !strings.Contains(diags[0].Detail, `Variable "nurses" has no default`) {
		t.Fatalf("want one error naming the variable, got:\n%s", listDiags(diags))
	}
	s, diags := ParseHCL("s.hcl", src, LoadOptions{Env: func(k string) string {
		if k == "STAFFSEED_VAR_nurses" {
			return "12"
		}
		return ""
	}})
	if diags.HasErrors() || s.Staff[Nurse].Count != 12 {
		t.Fatalf("from the environment: %s", listDiags(diags))
	}
}

// TestFunctionsAndLocals checks locals referring to variables and other
// locals, and the usual HCL functions.
func TestFunctionsAndLocals(t *testing.T) {
	src := `version = 1
variable "city" {
  default = "riyadh"
}
locals {
  code    = upper(local.short)
  short   = substr(var.city, 0, 3)
  names   = split(",", "Emergency,Nursing")
  total   = max(3, length(local.names), min(10, 20))
  counts  = merge({ a = 1 }, { b = 2 })
  label   = format("%s-%02d", local.code, floor(7.9))
  joined  = join(" / ", concat(local.names, keys(local.counts)))
  from    = coalesce("", "hr@${lower(local.code)}.example.org")
  ratio   = jsondecode(jsonencode({ r = 0.25 })).r
}
hospital "RIY" {
  name = local.joined
  dynamic "department" {
    for_each = toset(local.names)
    labels   = [department.key]
    content {
      name_ar = department.value
    }
  }
}
staff "nurses" {
  count        = local.total + sum_unused_is_not_needed()
}
`
	_, diags := ParseHCL("f.hcl", []byte(src), LoadOptions{Env: noEnv})
	if !strings.Contains(listDiags(diags), "Call to unknown function") {
		t.Fatalf("want an unknown function error, got:\n%s", listDiags(diags))
	}
	src = strings.Replace(src, " + sum_unused_is_not_needed()", "\n  female_ratio = local.ratio", 1)
	s, diags := ParseHCL("f.hcl", []byte(src), LoadOptions{Env: noEnv})
	if diags.HasErrors() {
		t.Fatal(listDiags(diags))
	}
	h := s.Hospitals[0]
	if h.Name != "Emergency / Nursing / a / b" || len(h.Departments) != 2 || h.Departments[0].Name != "Emergency" {
		t.Errorf("hospital = %+v", h)
	}
	if s.Staff[Nurse] != (TypeCount{10, 250_000}) {
		t.Errorf("nurses = %+v", s.Staff[Nurse])
	}
}

// TestLoadMixedDirectory merges YAML and HCL files; variables and locals
// declared in one HCL file are used in another.
func TestLoadMixedDirectory(t *testing.T) {
	s, diags := Load("testdata/multi_mixed", LoadOptions{Env: noEnv})
	if diags.HasErrors() {
		t.Fatal(listDiags(diags))
	}
	if len(s.Files) != 3 || s.Seed != 42 || len(s.Hospitals) != 2 {
		t.Fatalf("spec = %+v", s)
	}
	if r := s.Hospitals[1]; r.Code != "RIYADH" || r.Name != "KING FAHD MEDICAL CITY" || r.Staff[Nurse] != (TypeCount{7, 500_000}) {
		t.Errorf("RIYADH = %+v", r)
	}
	if a := s.Hospitals[0]; a.Staff[Nurse] != (TypeCount{3, 500_000}) {
		t.Errorf("ALMADINA = %+v", a)
	}
}

// TestLoadMixedConflicts checks that a setting, hospital or variable
// written twice across YAML and HCL files is an error naming both places.
func TestLoadMixedConflicts(t *testing.T) {
	s, diags := Load("testdata/multi_mixed_conflict", LoadOptions{Env: noEnv})
	a := filepath.Join("testdata", "multi_mixed_conflict", "a.yaml")
	b := filepath.Join("testdata", "multi_mixed_conflict", "b.hcl")
	c := filepath.Join("testdata", "multi_mixed_conflict", "c.hcl")
	want := map[string]string{ // second place → first place named in the detail
		b + ":1:1":  a + ":2:1",
		b + ":2:10": a + ":4:11",
		c + ":1:10": b + ":4:10",
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
	var out bytes.Buffer
	if err := WriteDiagnostics(&out, diags, s.Sources, 0, false); err != nil {
		t.Fatal(err)
	}
	for _, snippet := range []string{`   1 | seed = 2`, `   2 | hospital "ALMADINA" {`, `   1 | variable "n" {`} {
		if !strings.Contains(out.String(), snippet) {
			t.Errorf("output lacks %q:\n%s", snippet, out.String())
		}
	}
}

// TestWriteHCLDiagnostics checks that an HCL error prints with its source
// line, the fault marked, and a suggestion.
func TestWriteHCLDiagnostics(t *testing.T) {
	s, diags := Load("testdata/errors/wrong_type.hcl", LoadOptions{Env: noEnv})
	var out bytes.Buffer
	if err := WriteDiagnostics(&out, diags, s.Sources, 0, false); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Error: Wrong type",
		"on testdata/errors/wrong_type.hcl:9:11:",
		`   9 |   count = "lots"`,
		"     |           ^^^^^^\n",
		"`staff.nurses.count` must be a whole number, not the string \"lots\".",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestHCLSecretsNeverEchoed checks that a password written in an HCL spec
// is not repeated in any diagnostic.
func TestHCLSecretsNeverEchoed(t *testing.T) {
	src, err := os.ReadFile("testdata/errors/secrets.hcl")
	if err != nil {
		t.Fatal(err)
	}
	_, diags := ParseHCL("secrets.hcl", src, LoadOptions{Env: noEnv})
	if !diags.HasErrors() || strings.Contains(listDiags(diags), "S3cr3t") {
		t.Errorf("secret echoed or not reported:\n%s", listDiags(diags))
	}
}

// TestVarOnYAMLSpec checks that --var on a spec without HCL files says
// that variables are for HCL specs.
func TestVarOnYAMLSpec(t *testing.T) {
	_, diags := Load("testdata/valid/codes.yaml", LoadOptions{Env: noEnv, Vars: map[string]string{"nurses": "2"}})
	if got := listDiags(diags); !strings.Contains(got, "variables apply to HCL specs only") || strings.Contains(got, "declares no such variable") {
		t.Fatalf("got:\n%s", got)
	}
}

// TestVarErrorsOnlyTheRealOne checks that a --var is not reported as
// needing an HCL spec when the spec's HCL file has a syntax error, and that
// a --var of the wrong type is not also reported missing.
func TestVarErrorsOnlyTheRealOne(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "spec.hcl")
	if err := os.WriteFile(file, []byte("version = 1\nvariable \"n\" {\n  type = number\n}\nseed = \n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, diags := Load(file, LoadOptions{Vars: map[string]string{"n": "10"}, Env: func(string) string { return "" }})
	list := listDiags(diags)
	if !diags.HasErrors() || strings.Contains(list, "Variables need an HCL spec") || strings.Contains(list, "Undeclared variable") {
		t.Errorf("syntax error: %s", list)
	}
	if err := os.WriteFile(file, []byte("version = 1\nvariable \"n\" {\n  type = number\n}\nseed = var.n\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"abc", "[1"} {
		_, diags = Load(file, LoadOptions{Vars: map[string]string{"n": v}, Env: func(string) string { return "" }})
		list = listDiags(diags)
		if !strings.Contains(list, "Invalid value for variable") || strings.Contains(list, "Missing required variable") {
			t.Errorf("--var n=%s: %s", v, list)
		}
	}
}
