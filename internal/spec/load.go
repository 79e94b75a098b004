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
	// VarFiles are files of HCL variable values (`name = value` lines),
	// read in order; a later file wins over an earlier one.
	VarFiles []string
	// Env looks up environment variables (os.Getenv when nil); it supplies
	// STAFFSEED_VAR_name values of HCL variables.
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
		return withRosters(withTemplates(loadSources([]string{StdinName}, map[string][]byte{StdinName: src}, ".", opts, nil)))
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
	var diags hcl.Diagnostics
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read the spec", Detail: err.Error() + "."})
			continue
		}
		sources[file] = src
	}
	return withRosters(withTemplates(loadSources(files, sources, dir, opts, diags)))
}

// loadSources decodes the given files (a file missing from sources could
// not be read and is already reported in diags) and merges them. HCL files
// are read in two passes: first the variables and locals of all of them,
// so that any file may use what another declares, then their settings.
func loadSources(files []string, sources map[string][]byte, dir string, opts LoadOptions, diags hcl.Diagnostics) (*Spec, hcl.Diagnostics) {
	frags := make([]*fragment, len(files))
	parsed := make([]*hclFile, len(files))
	var hclFiles []*hclFile
	broken, unparsed := false, 0
	for i, file := range files {
		src, ok := sources[file]
		if !ok {
			broken = true
			continue
		}
		if !isHCL(file) {
			var more hcl.Diagnostics
			frags[i], more = decodeYAML(file, src)
			diags = append(diags, more...)
			broken = broken || frags[i] == nil
			continue
		}
		f, more := parseHCL(file, src)
		diags = append(diags, more...)
		if f == nil {
			broken = true
			unparsed++
			continue
		}
		parsed[i] = f
		hclFiles = append(hclFiles, f)
	}
	for _, file := range files {
		if _, read := sources[file]; !read && isHCL(file) {
			unparsed++
		}
	}
	scope, more := newHCLScope(hclFiles, unparsed, opts, sources)
	diags = append(diags, more...)
	for i, f := range parsed {
		if f != nil {
			var more hcl.Diagnostics
			frags[i], more = decodeHCL(f, scope)
			diags = append(diags, more...)
		}
	}
	if broken {
		frags = append(frags, nil) // some file could not be decoded at all
	}
	return finishFiles(frags, files, sources, dir, diags)
}

func isHCL(file string) bool { return strings.EqualFold(filepath.Ext(file), ".hcl") }

// specFiles lists the spec files of a folder in sorted order.
func specFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		// Hidden files and editor leftovers (.#lock, #autosave#, backup~)
		// are not part of the spec.
		name := e.Name()
		if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "#") || strings.HasSuffix(name, "~") {
			continue
		}
		switch strings.ToLower(filepath.Ext(name)) {
		case ".yaml", ".yml", ".hcl":
			if !e.IsDir() {
				files = append(files, filepath.Join(dir, e.Name()))
			}
		}
	}
	sort.Strings(files)
	return files, nil
}

// withTemplates checks that the email.templates folder exists, alongside
// the spec's other errors, so that every problem is reported at once.
func withTemplates(s *Spec, diags hcl.Diagnostics) (*Spec, hcl.Diagnostics) {
	rng, ok := s.Ranges["email.templates"]
	if s.Email.Templates == "" || !ok {
		return s, diags
	}
	for _, d := range diags {
		if d.Subject != nil && d.Subject.Filename == rng.Filename && d.Subject.Start.Line == rng.Start.Line {
			return s, diags // the setting itself is at fault already
		}
	}
	if info, err := os.Stat(s.Email.Templates); err != nil || !info.IsDir() {
		diags = append(diags, errorAt(rng, "Missing templates folder",
			fmt.Sprintf("`email.templates` names %s, which is not a folder; it holds credentials.{en,ar,bilingual}.{txt,html} overrides, per hospital in {CODE}/ subfolders.", s.Email.Templates)))
	}
	return s, diags
}
