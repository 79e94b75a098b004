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
