package spec

import (
	"os"
	"path/filepath"
	"testing"
)

func TestLoadDirSkipsHiddenAndEditorFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("spec.yaml", "version: 1\nhospitals:\n  - code: ALMADINA\n")
	write(".hidden.yaml", "not: [valid\n")
	write(".#spec.hcl", "broken {")
	write("spec.yaml~", "version: 2\n")
	s, diags := Load(dir, LoadOptions{})
	if diags.HasErrors() {
		t.Fatalf("hidden or editor files were read: %v", diags)
	}
	if len(s.Files) != 1 || filepath.Base(s.Files[0]) != "spec.yaml" {
		t.Fatalf("files = %v", s.Files)
	}
}

func TestMissingTemplatesFolderReportedWithTheRest(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "spec.yaml")
	src := "version: 1\ncolour: blue\nhospitals:\n  - code: ALMADINA\nemail:\n  templates: ./no-such-dir\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, diags := Load(path, LoadOptions{})
	var summaries []string
	for _, d := range diags {
		summaries = append(summaries, d.Summary)
		if d.Summary == "Missing templates folder" && (d.Subject == nil || d.Subject.Start.Line != 6) {
			t.Errorf("templates error at %v, want line 6", d.Subject)
		}
	}
	if len(diags) != 2 {
		t.Fatalf("diagnostics = %v, want the unknown key and the missing folder together", summaries)
	}
}
