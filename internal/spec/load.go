package spec

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// LoadOptions are the inputs of Load besides the path.
type LoadOptions struct {
	// Stdin is read for the path "-" (os.Stdin when nil).
	Stdin io.Reader
	// Vars are values of HCL variables (--var name=value).
	Vars map[string]string
	// Env looks up environment variables (os.Getenv when nil).
	Env func(string) string
}

// StdinName is the file name diagnostics use for a spec read from stdin.
const StdinName = "<stdin>"

// Load reads a spec from a file, from a directory (every *.yaml, *.yml and
// *.hcl file in it, in sorted order, merged), or from stdin as YAML when
// path is "-". Paths in the spec are resolved against the folder of the
// file that writes them.
//
// Load always returns a non-nil Spec with Files and Sources set, so the
// caller can print the diagnostics with WriteDiagnostics and source
// snippets; when the diagnostics hold an error nothing else in the Spec is
// meaningful.
func Load(path string, opts LoadOptions) (*Spec, hcl.Diagnostics) {
	if path == "-" {
		in := opts.Stdin
		if in == nil {
			in = os.Stdin
		}
		src, err := io.ReadAll(in)
		if err != nil {
			return &Spec{}, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read the spec", Detail: fmt.Sprintf("Reading stdin: %s.", err)}}
		}
		frag, diags := decodeYAML(StdinName, src)
		return finishFiles([]*fragment{frag}, []string{StdinName}, map[string][]byte{StdinName: src}, ".", diags)
	}

	info, err := os.Stat(path)
	if err != nil {
		return &Spec{}, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read the spec", Detail: err.Error() + "."}}
	}
	files := []string{path}
	dir := filepath.Dir(path)
	if info.IsDir() {
		dir = path
		if files, err = specFiles(path); err != nil {
			return &Spec{}, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read the spec", Detail: err.Error() + "."}}
		}
		if len(files) == 0 {
			return &Spec{}, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "No spec files",
				Detail: fmt.Sprintf("The folder %s holds no *.yaml, *.yml or *.hcl file.", path)}}
		}
	}

	sources := map[string][]byte{}
	var frags []*fragment
	var diags hcl.Diagnostics
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read the spec", Detail: err.Error() + "."})
			frags = append(frags, nil)
			continue
		}
		sources[file] = src
		frag, more := decodeFile(file, src, opts)
		diags = append(diags, more...)
		frags = append(frags, frag) // nil when the file is not a spec at all
	}
	return finishFiles(frags, files, sources, dir, diags)
}

// decodeFile decodes one file by its extension; anything but .hcl is YAML.
func decodeFile(file string, src []byte, _ LoadOptions) (*fragment, hcl.Diagnostics) {
	if strings.EqualFold(filepath.Ext(file), ".hcl") {
		r := hcl.Range{Filename: file, Start: hcl.InitialPos, End: hcl.InitialPos}
		return nil, hcl.Diagnostics{errorAt(r, "HCL not supported yet", "This build of staffseed reads YAML specs only; write this file as YAML.")}
	}
	return decodeYAML(file, src)
}

// specFiles lists the spec files of a folder in sorted order.
func specFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".yaml", ".yml", ".hcl":
			if !e.IsDir() {
				files = append(files, filepath.Join(dir, e.Name()))
			}
		}
	}
	sort.Strings(files)
	return files, nil
}
