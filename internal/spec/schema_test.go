package spec

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

const schemaPath = "../../schemas/staffseed.schema.json"

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("staffseed.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("staffseed.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// yamlInstance converts a YAML file to the JSON value a schema-aware
// editor validates.
func yamlInstance(t *testing.T, src []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(src, &v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

// TestSchemaAcceptsExamples validates every example spec against the
// schema and the decoder.
func TestSchemaAcceptsExamples(t *testing.T) {
	sch := compileSchema(t)
	files, _ := filepath.Glob("../../examples/*.yaml")
	if len(files) == 0 {
		t.Fatal("no examples")
	}
	for _, file := range append(files, "testdata/valid/anchors.yaml") {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(yamlInstance(t, src)); err != nil {
			t.Errorf("%s: schema: %v", file, err)
		}
		if _, diags := ParseYAML(file, src); diags.HasErrors() {
			t.Errorf("%s: decoder:\n%s", file, listDiags(diags))
		}
	}
}

// TestSchemaRejectsBrokenSpecs checks that the error fixtures marked
// `# SCHEMA: reject` (faults the schema can express) fail the schema too.
func TestSchemaRejectsBrokenSpecs(t *testing.T) {
	sch := compileSchema(t)
	files, _ := filepath.Glob("testdata/errors/*.yaml")
	n := 0
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(src, []byte("# SCHEMA: reject")) {
			continue
		}
		n++
		if err := sch.Validate(yamlInstance(t, src)); err == nil {
			t.Errorf("%s: schema accepts it", file)
		}
		if _, diags := ParseYAML(file, src); !diags.HasErrors() {
			t.Errorf("%s: decoder accepts it", file)
		}
	}
	if n < 5 {
		t.Fatalf("only %d fixtures marked for the schema", n)
	}
}

// TestSchemaDescribesEveryKey checks that every property in the schema
// has a description, and that the schema knows every key the decoder does.
func TestSchemaDescribesEveryKey(t *testing.T) {
	src, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(src, &doc); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if props, ok := v["properties"].(map[string]any); ok {
				for k, p := range props {
					seen[k] = true
					if pm, _ := p.(map[string]any); pm["description"] == nil {
						t.Errorf("%s.%s has no description", path, k)
					}
				}
			}
			for k, c := range v {
				walk(path+"/"+k, c)
			}
		case []any:
			for _, c := range v {
				walk(path, c)
			}
		}
	}
	walk("#", doc)
	for _, keys := range [][]string{topKeys, hospitalKeys, departmentKeys, countKeys, accountsKeys, passwordKeys, emailKeys, smtpKeys, staffTypes} {
		for _, k := range keys {
			if k != extensionKey && !seen[k] {
				t.Errorf("the schema lacks the key %q", k)
			}
		}
	}
}
