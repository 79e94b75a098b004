package spec

import (
	"bytes"
	"strings"
	"testing"
)

// TestSecretNotShown checks that the snippet of a "Secret in spec" error
// masks the secret, in YAML and HCL, in block and flow style.
func TestSecretNotShown(t *testing.T) {
	const secret = "hunter2secret"
	for _, tc := range []struct{ file, src string }{
		{"flow.yaml", "version: 1\nemail:\n  smtp: {host: x, password: hunter2secret, port: 25}\n"},
		{"block.yaml", "version: 1\nemail:\n  smtp:\n    host: x\n    password: \"hunter2secret\"\n"},
		{"accounts.yaml", "version: 1\naccounts: {password: hunter2secret}\n"},
		{"smtp.hcl", "version = 1\nemail {\n  smtp {\n    host = \"x\"\n    password = \"hunter2secret\"\n  }\n}\n"},
		{"accounts.hcl", "version = 1\naccounts {\n  password = \"hunter2secret\"\n}\n"},
		{"heredoc.hcl", "version = 1\naccounts {\n  password = <<EOT\nhunter2secret\nEOT\n}\n"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			_, diags := parseFixture(tc.file, []byte(tc.src))
			if !strings.Contains(listDiags(diags), "Secret in spec") {
				t.Fatalf("no secret error:\n%s", listDiags(diags))
			}
			var b bytes.Buffer
			if err := WriteDiagnostics(&b, diags, map[string][]byte{tc.file: []byte(tc.src)}, 80, false); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if strings.Contains(out, secret) || strings.Contains(out, "hunter2") {
				t.Errorf("the output shows the secret:\n%s", out)
			}
			if !strings.Contains(out, "password") || !strings.Contains(out, redactedMark) || !strings.Contains(out, "^") {
				t.Errorf("the snippet lacks the masked line:\n%s", out)
			}
		})
	}
}

// TestMisspelledSecretNotShown checks that an unknown key's value, which
// may be a misspelled secret, and a password pasted into password_env
// never reach the output, in YAML and HCL, and that "password" is never
// suggested.
func TestMisspelledSecretNotShown(t *testing.T) {
	const secret = "Hunter2Secret"
	for _, tc := range []struct{ file, src, summary string }{
		{"passwd.yaml", "version: 1\nemail:\n  smtp:\n    host: x\n    passwd: Hunter2Secret\n", "Unknown key"},
		{"Password.yaml", "version: 1\nemail:\n  smtp: {host: x, Password: Hunter2Secret}\n", "Unknown key"},
		{"top.yaml", "version: 1\nsecrte: Hunter2Secret\n", "Unknown key"},
		{"pasword.hcl", "version = 1\nemail {\n  smtp {\n    host = \"x\"\n    pasword = \"Hunter2Secret\"\n  }\n}\n", "Unsupported argument"},
		{"variable.hcl", "version = 1\nvariable \"smtp\" {\n  defualt = \"Hunter2Secret\"\n}\n", "Unsupported argument"},
		{"top.hcl", "version = 1\nsmtp_password = \"Hunter2Secret\"\n", "Unsupported argument"},
		{"role.hcl", "version = 1\naccounts {\n  role = {nures = \"Hunter2Secret\"}\n}\n", "Unknown key"},
		{"env.yaml", "version: 1\nemail:\n  smtp: {host: x, password_env: Hunter2Secret!}\n", "Invalid variable name"},
		{"env.hcl", "version = 1\nemail {\n  smtp {\n    password_env = \"Hunter2Secret!\"\n  }\n}\n", "Invalid variable name"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			_, diags := parseFixture(tc.file, []byte(tc.src))
			if !strings.Contains(listDiags(diags), tc.summary) {
				t.Fatalf("no %q error:\n%s", tc.summary, listDiags(diags))
			}
			var b bytes.Buffer
			if err := WriteDiagnostics(&b, diags, map[string][]byte{tc.file: []byte(tc.src)}, 80, false); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if strings.Contains(strings.ToLower(out), "hunter2") {
				t.Errorf("the output shows the value %s:\n%s", secret, out)
			}
			if strings.Contains(out, `"password"?`) {
				t.Errorf("the output suggests a forbidden key:\n%s", out)
			}
			if !strings.Contains(out, redactedMark) || !strings.Contains(out, "^") {
				t.Errorf("the snippet lacks the masked line:\n%s", out)
			}
		})
	}
}

// TestSecretMaskedInEveryDiagnostic checks that a secret written on a line
// that other errors point at is masked in their snippets too.
func TestSecretMaskedInEveryDiagnostic(t *testing.T) {
	for _, tc := range []struct{ file, src string }{
		{"flow.yaml", "version: 1\nemail:\n  smtp: {host: smtp.x, password: hunter2, security: bogus, port: nope, allow_insecure: maybe}\n"},
		{"env.yaml", "version: 1\nemail:\n  smtp: {host: smtp.x, password_env: hunter2!, security: bogus, port: nope}\n"},
		{"role.hcl", "version = 1\naccounts { role = {nures = \"hunter2\", doctor = 5} }\n"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			s, diags := parseFixture(tc.file, []byte(tc.src))
			if len(diags) < 2 {
				t.Fatalf("want several errors, got:\n%s", listDiags(diags))
			}
			if len(s.SecretRanges) == 0 {
				t.Errorf("no secret range recorded")
			}
			var b bytes.Buffer
			if err := WriteDiagnostics(&b, diags, map[string][]byte{tc.file: []byte(tc.src)}, 80, false); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if strings.Contains(out, "hunter2") {
				t.Errorf("the output shows the secret:\n%s", out)
			}
			if strings.Count(out, redactedMark) < 2 {
				t.Errorf("want every snippet masked:\n%s", out)
			}
		})
	}
}
