package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runValidate runs staffseed validate on files written to a fresh folder
// and returns the exit code, stdout and stderr.
func runValidate(t *testing.T, files map[string]string, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out, errs bytes.Buffer
	streams := Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errs, Getenv: func(k string) string { return env[k] }}
	code := Main(append([]string{"validate", "-f", filepath.Join(dir, "spec.yaml")}, args...), streams)
	return code, out.String(), errs.String()
}

const validateBase = `version: 1
hospitals:
  - code: ROST
    roster: roster.csv
  - code: GEN
    staff: {nurses: 2}
accounts: {create_users: true}
`

const validateRoster = "employee_id,staff_type,first_name,last_name,first_name_ar,last_name_ar,gender,email\nR-1,nurse,Ali,Hassan,علي,حسن,male,ali@example.org\n"

// TestValidateChecksTemplates checks that validate refuses credential
// templates that would lose the password, naming the file.
func TestValidateChecksTemplates(t *testing.T) {
	files := map[string]string{
		"spec.yaml":               validateBase + "email: {send_credentials: true, templates: tpl, language: en, transport: console}\n",
		"roster.csv":              validateRoster,
		"tpl/credentials.en.txt":  "Hello {{.Username}}, welcome",
		"tpl/credentials.en.html": "<p>Hello {{.Username}} {{.Password}}</p>",
	}
	code, out, errs := runValidate(t, files, nil)
	if code == 0 || !strings.Contains(errs, filepath.Join("tpl", "credentials.en.txt")+" does not show {{.Password}}") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	files["tpl/credentials.en.txt"] = "Hello {{.Username}}, {{.Password}}"
	code, out, errs = runValidate(t, files, nil)
	if code != 0 || !strings.Contains(out, "18 staff (17 generated, 1 from rosters)") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
}

// TestValidateChecksTransport checks that validate runs plan's transport
// checks, and only warns about a password variable that is not set.
func TestValidateChecksTransport(t *testing.T) {
	files := map[string]string{
		"spec.yaml":  validateBase + "email: {send_credentials: true, smtp: {host: mail.example.org, security: none}}\n",
		"roster.csv": validateRoster,
	}
	code, out, errs := runValidate(t, files, nil)
	if code == 0 || !strings.Contains(errs, "security none to mail.example.org is refused") {
		t.Fatalf("security none: exit %d\n%s%s", code, out, errs)
	}
	files["spec.yaml"] = validateBase + "email: {send_credentials: true, smtp: {host: mail.example.org, username: u, password_env: SMTP_PW}}\n"
	code, out, errs = runValidate(t, files, nil)
	if code != 0 || !strings.Contains(errs, "Warning: email.smtp.password_env names SMTP_PW") {
		t.Fatalf("password env: exit %d\n%s%s", code, out, errs)
	}
}

func TestPasswordEnvValueNotRepeated(t *testing.T) {
	for _, name := range []string{"hunter2secret", "Hunter2Secret"} {
		msg := errPasswordEnv{name}.Error()
		if strings.Contains(msg, name) {
			t.Errorf("message repeats %q: %s", name, msg)
		}
	}
	if msg := (errPasswordEnv{"SMTP_PW"}).Error(); !strings.Contains(msg, "SMTP_PW") {
		t.Errorf("a conventional variable name should be named: %s", msg)
	}
}
