package spec

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseHCL checks that no input makes the HCL decoder panic or hang,
// and that every error it reports carries a position inside the input.
func FuzzParseHCL(f *testing.F) {
	for _, glob := range []string{"testdata/errors/*.hcl", "testdata/multi_mixed/*.hcl", "../../examples/*.hcl"} {
		files, _ := filepath.Glob(glob)
		for _, file := range files {
			if src, err := os.ReadFile(file); err == nil {
				f.Add(src)
			}
		}
	}
	opts := LoadOptions{Env: func(string) string { return "" }}
	f.Fuzz(func(t *testing.T, src []byte) {
		s, diags := ParseHCL("fuzz.hcl", src, opts)
		if s == nil || s.Sources["fuzz.hcl"] == nil && src != nil {
			t.Fatal("no sources returned")
		}
		for _, d := range diags {
			if d.Subject == nil {
				t.Fatalf("diagnostic without position: %s", diagText(d))
			}
			r := *d.Subject
			if r.Filename != "fuzz.hcl" || r.Start.Byte < 0 || r.End.Byte < r.Start.Byte || r.End.Byte > len(src)+1 || r.Start.Line < 1 || r.Start.Column < 1 {
				t.Fatalf("bad range %+v for input of %d bytes: %s", r, len(src), diagText(d))
			}
		}
		if !diags.HasErrors() && s.Digest == "" {
			t.Fatal("valid spec without digest")
		}
	})
}
