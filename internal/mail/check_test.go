package mail

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeTemplates(t *testing.T, files map[string]string) string {
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
	return dir
}

func TestCheckTemplatesBuiltinsPass(t *testing.T) {
	if err := CheckTemplates("", nil, nil); err != nil {
		t.Fatalf("built-in templates: %v", err)
	}
	good := writeTemplates(t, map[string]string{
		"credentials.en.txt":      "Subject: Hi {{.FirstName}}\nUser {{.Username}} pass {{.Password}}\n",
		"RUH/credentials.en.html": "<p>{{.Username}} / {{.Password}}</p>",
	})
	if err := CheckTemplates(good, nil, nil); err != nil {
		t.Fatalf("good overrides: %v", err)
	}
}

func TestCheckTemplatesRefusesBadOnes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		codes []string
		want  []string
	}{
		{"no password", map[string]string{
			"credentials.en.txt":  "Hello {{.Username}}, welcome",
			"credentials.en.html": "<p>Hello</p>",
		}, nil, []string{"credentials.en.txt does not show {{.Password}}", "credentials.en.html does not show {{.Username}} and {{.Password}}"}},
		{"syntax error", map[string]string{
			"credentials.en.txt": "Hello {{.Username}}\n{{.Password",
		}, nil, []string{"credentials.en.txt:2:"}},
		{"unknown field", map[string]string{
			"credentials.ar.html": "<p>{{.Username}} {{.Password}} {{.Nope}}</p>",
		}, nil, []string{"credentials.ar.html", "Nope"}},
		{"bad subject", map[string]string{
			"credentials.en.txt": "Subject: {{.Nope}}\n{{.Username}} {{.Password}}",
		}, nil, []string{"credentials.en.txt", "Nope"}},
		{"hospital override", map[string]string{
			"RUH/credentials.bilingual.txt": "{{.Username}}",
		}, []string{"RUH", "JED"}, []string{filepath.Join("RUH", "credentials.bilingual.txt") + " does not show {{.Password}}"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeTemplates(t, tc.files)
			err := CheckTemplates(dir, tc.codes, nil)
			if err == nil {
				t.Fatal("CheckTemplates passed")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}
