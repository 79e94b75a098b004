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
