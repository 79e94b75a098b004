package spec

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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
		hs, diags := Load(h, LoadOptions{Env: func(string) string { return "" }})
		if diags.HasErrors() {
			t.Fatalf("%s: %s", h, listDiags(diags))
		}
		if ys.Digest != hs.Digest {
			t.Errorf("%s and %s differ:\nYAML %+v\nHCL  %+v", y, h, ys, hs)
		}
	}
}

var _ = os.ReadFile
