package spec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"gopkg.in/yaml.v3"
)

// ParseYAML decodes and validates one YAML spec file named filename. It
// always returns a non-nil Spec whose Files and Sources are set, so callers
// can print the diagnostics with snippets; when the diagnostics hold an
// error, nothing else in the Spec is meaningful.
func ParseYAML(filename string, src []byte) (*Spec, hcl.Diagnostics) {
	frag, diags := decodeYAML(filename, src)
	return finishFiles([]*fragment{frag}, []string{filename}, map[string][]byte{filename: src}, filepath.Dir(filename), diags)
}

// finishFiles merges decoded fragments (nil for a file that could not be
// decoded at all) into a Spec carrying files and sources.
func finishFiles(frags []*fragment, files []string, sources map[string][]byte, dir string, diags hcl.Diagnostics) (*Spec, hcl.Diagnostics) {
	bare := &Spec{Files: files, Sources: sources}
	var live []*fragment
	for _, f := range frags {
		if f != nil {
			live = append(live, f)
		}
	}
	if len(live) < len(frags) || len(live) == 0 {
		return maskSecrets(bare, dedupe(diags)) // a file that is not YAML at all
	}
	s, more := finish(live, dir, diags)
	diags = dedupe(append(diags, more...))
	if diags.HasErrors() {
		// Load still checks the templates folder of a spec with errors,
		// so that it is reported with them.
		bare.Ranges, bare.Email.Templates = s.Ranges, s.Email.Templates
		return maskSecrets(bare, diags)
	}
	s.Files, s.Sources = files, sources
	return maskSecrets(s, diags)
}

// dedupe drops repeated diagnostics, which aliases can produce by decoding
// one anchored node at several places.
func dedupe(diags hcl.Diagnostics) hcl.Diagnostics {
	seen := map[string]bool{}
	out := diags[:0:0]
	for _, d := range diags {
		key := d.Summary + "\x00" + d.Detail
		if d.Subject != nil {
			key += "\x00" + d.Subject.String()
		}
		if !seen[key] {
			seen[key] = true
			out = append(out, d)
		}
	}
	return out
}

// maxExpandedNodes bounds the size of a YAML document once its aliases are
// expanded, so that a "billion laughs" document fails at once.
const maxExpandedNodes = 1_000_000

// decodeYAML decodes one YAML file into a fragment. The fragment is nil
// when the file is not a YAML mapping at all.
func decodeYAML(filename string, src []byte) (frag *fragment, diags hcl.Diagnostics) {
	s := newYAMLSource(filename, src)
	if diags := s.checkBytes(); diags.HasErrors() {
		return nil, diags
	}
	if len(bytes.TrimSpace(src)) == 0 {
		return nil, hcl.Diagnostics{errorAt(s.lineRange(1, 1), "Empty spec", "The file is empty; a spec needs at least `version: 1`.")}
	}
	var doc yaml.Node
	if err := decodeNode(yaml.NewDecoder(bytes.NewReader(src)), &doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, hcl.Diagnostics{errorAt(s.lineRange(1, 1), "Empty spec", "The file holds only comments; a spec needs at least `version: 1`.")}
		}
		return nil, hcl.Diagnostics{s.syntaxError(err)}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, hcl.Diagnostics{errorAt(s.lineRange(1, 1), "Empty spec", "The file holds no YAML document.")}
	}
	root := doc.Content[0]
	if n, _ := expandedSize(root, map[*yaml.Node]int{}); n > maxExpandedNodes {
		return nil, hcl.Diagnostics{errorAt(s.rng(biggestAlias(root)), "Document too large",
			fmt.Sprintf("Through its aliases the document expands to more than %d nodes; anchors and aliases may not multiply a spec this way.", maxExpandedNodes))}
	}
	d := &yamlDecoder{src: s, frag: newFragment(filename), dir: filepath.Dir(filename)}
	d.top(root)
	return d.frag, d.diags
}

// decodeNode decodes the first document of dec into doc and checks there is
// no second one. yaml.v3 panics on a few malformed inputs; such a panic is
// reported as an error, not a crash.
func decodeNode(dec *yaml.Decoder, doc *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	if err := dec.Decode(doc); err != nil {
		return err
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
		return nil
	case err != nil:
		return err
	default:
		return fmt.Errorf("yaml: line %d: a spec file holds one YAML document; split the others into files of their own", extra.Line)
	}
}

// expandedSize counts the nodes of n with aliases expanded, memoized per
// node so that it runs in time linear in the document. It saturates far
// above maxExpandedNodes and treats a cyclic alias as infinitely large.
func expandedSize(n *yaml.Node, memo map[*yaml.Node]int) (int, bool) {
	if v, ok := memo[n]; ok {
		return v, v >= 0
	}
	memo[n] = -1 // in progress: a cycle
	size := 1
	children := n.Content
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		children = []*yaml.Node{n.Alias}
	}
	for _, c := range children {
		cs, ok := expandedSize(c, memo)
		if !ok {
			cs = math.MaxInt32
		}
		size = min(size+cs, math.MaxInt32)
	}
	memo[n] = size
	return size, true
}

// biggestAlias returns the alias with the largest expansion under n, or n.
func biggestAlias(n *yaml.Node) *yaml.Node {
	memo := map[*yaml.Node]int{}
	best, bestSize := n, 0
	var walk func(*yaml.Node)
	walk = func(m *yaml.Node) {
		if m.Kind == yaml.AliasNode {
			if s, _ := expandedSize(m, memo); s > bestSize {
				best, bestSize = m, s
			}
			return
		}
		for _, c := range m.Content {
			walk(c)
		}
	}
	walk(n)
	return best
}

// yamlDecoder walks a YAML node tree into a fragment, collecting every
// problem as a diagnostic instead of stopping at the first.
type yamlDecoder struct {
	src   *yamlSource
	frag  *fragment
	dir   string
	diags hcl.Diagnostics
}

// entry is one key: value pair of a mapping, merge keys resolved.
type entry struct {
	key  string
	k, v *yaml.Node
	path string // dotted path of the key, for messages
}

func (d *yamlDecoder) errorf(n *yaml.Node, summary, format string, args ...any) {
	d.diags = append(d.diags, errorAt(d.src.rng(n), summary, fmt.Sprintf(format, args...)))
}

// secretf reports a secret written in the spec at n, whose value v the
// snippet must not show.
func (d *yamlDecoder) secretf(n, v *yaml.Node, format string, args ...any) {
	diag := errorAt(d.src.rng(n), "Secret in spec", fmt.Sprintf(format, args...))
	if v = resolve(v); v != nil {
		diag.Extra = Redact{Range: d.src.rng(v)}
	}
	d.diags = append(d.diags, diag)
}

func (d *yamlDecoder) add(diags hcl.Diagnostics) bool {
	d.diags = append(d.diags, diags...)
	return !diags.HasErrors()
}

// resolve follows aliases to the node they name.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// describe names the YAML type of a node for "wrong type" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!int", "!!float":
			return "the number " + n.Value
		case "!!bool":
			return n.Value
		case "!!null":
			return "empty"
		}
		return fmt.Sprintf("the string %q", n.Value)
	}
	return "an unsupported YAML value"
}

func (d *yamlDecoder) wrongType(e entry, want string) {
	d.errorf(e.v, "Wrong type", "`%s` must be %s, not %s.", e.path, want, describe(resolve(e.v)))
}

// entries returns the pairs of mapping n, with `<<` merge keys expanded
// (explicit keys win over merged ones, earlier merged mappings over later
// ones) and duplicate keys reported.
func (d *yamlDecoder) entries(n *yaml.Node, path string) ([]entry, bool) {
	m := resolve(n)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, false
	}
	seen := map[string]*yaml.Node{}
	var out, merged []entry
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := resolve(m.Content[i]), m.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, "Invalid key", "Keys must be plain names, not %s.", describe(k))
			continue
		}
		if k.Tag == "!!merge" {
			merged = append(merged, d.mergeSources(v, path)...)
			continue
		}
		if first, dup := seen[k.Value]; dup {
			d.errorf(k, "Duplicate key", "`%s` is already set on line %d.", join(path, k.Value), first.Line)
			continue
		}
		seen[k.Value] = k
		out = append(out, entry{key: k.Value, k: k, v: v, path: join(path, k.Value)})
	}
	for _, e := range merged {
		if _, dup := seen[e.key]; !dup {
			seen[e.key] = e.k
			out = append(out, e)
		}
	}
	return out, true
}

func (d *yamlDecoder) mergeSources(v *yaml.Node, path string) []entry {
	r := resolve(v)
	switch r.Kind {
	case yaml.MappingNode:
		es, _ := d.entries(r, path)
		return es
	case yaml.SequenceNode:
		var out []entry
		for _, item := range r.Content {
			if resolve(item).Kind != yaml.MappingNode {
				d.errorf(item, "Invalid merge", "A merge key `<<` takes a mapping or a list of mappings, not %s.", describe(resolve(item)))
				continue
			}
			es, _ := d.entries(item, path)
			out = append(out, es...)
		}
		return out
	}
	d.errorf(v, "Invalid merge", "A merge key `<<` takes a mapping or a list of mappings, not %s.", describe(r))
	return nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// fields walks mapping n, reporting unknown keys (with a suggestion) and
// passing each known one to handle. It reports whether n is a mapping.
func (d *yamlDecoder) fields(e entry, want string, known []string, handle func(entry)) bool {
	es, ok := d.entries(e.v, e.path)
	if !ok {
		d.wrongType(e, want)
		return false
	}
	for _, f := range es {
		if contains(known, extensionKey) && strings.HasPrefix(f.key, extensionKey) {
			f.key = extensionKey
		}
		if !contains(known, f.key) {
			d.unknownKey(f, known)
			continue
		}
		handle(f)
	}
	return true
}

// extensionKey stands for every top-level key starting with "x-": such
// keys are ignored, so that a file can hold anchors to merge elsewhere.
const extensionKey = "x-"

func (d *yamlDecoder) unknownKey(f entry, known []string) {
	if f.key == "password" || f.key == "secret" {
		d.secretf(f.k, f.v, "Secrets are never written in a spec: instead of `%s`, name the environment variable that holds it with `password_env`.", f.path)
		return
	}
	// An unknown key's value may be anything, a misspelled secret too:
	// the snippet masks it.
	diag := errorAt(d.src.rng(f.k), "Unknown key", fmt.Sprintf("`%s` is not a known setting here; the keys are %s.%s",
		f.path, quoteList(known), didYouMean(f.key, known)))
	if v := resolve(f.v); v != nil {
		diag.Extra = Redact{Range: d.src.rng(v)}
	}
	d.diags = append(d.diags, diag)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// str decodes a string setting. Any scalar is taken by its literal text, so
// NO, ON, y and 0123 stay the strings they look like.
func (d *yamlDecoder) str(e entry) (string, bool) {
	v := resolve(e.v)
	if v.Kind != yaml.ScalarNode {
		d.wrongType(e, "a string")
		return "", false
	}
	if v.Tag == "!!null" && v.Style == 0 && (v.Value == "" || v.Value == "~") {
		d.errorf(e.k, "Missing value", "`%s` needs a value.", e.path)
		return "", false
	}
	return v.Value, d.add(checkText("`"+e.path+"`", v.Value, d.src.rng(v)))
}

// nonEmpty decodes a string setting that may not be empty.
func (d *yamlDecoder) nonEmpty(e entry) (string, bool) {
	s, ok := d.str(e)
	if ok && strings.TrimSpace(s) == "" {
		d.errorf(e.v, "Empty value", "`%s` may not be empty.", e.path)
		return "", false
	}
	return s, ok
}

// enum decodes a string setting that must be one of allowed.
func (d *yamlDecoder) enum(e entry, what string, allowed []string) (string, bool) {
	s, ok := d.str(e)
	return s, ok && d.add(checkEnum(what, s, allowed, d.src.rng(resolve(e.v))))
}

// integer decodes a whole number in [lo, hi].
func (d *yamlDecoder) integer(e entry, lo, hi int64) (int64, bool) {
	v := resolve(e.v)
	if v.Kind == yaml.ScalarNode && v.Tag == "!!float" && wholeNumberRE.MatchString(v.Value) {
		d.errorf(v, "Value out of range", "`%s` must be between %d and %d, not %s.", e.path, lo, hi, v.Value)
		return 0, false
	}
	if v.Kind != yaml.ScalarNode || v.Tag != "!!int" {
		d.wrongType(e, "a whole number")
		return 0, false
	}
	var i int64
	if err := v.Decode(&i); err != nil {
		d.errorf(v, "Value out of range", "`%s` must be between %d and %d, not %s.", e.path, lo, hi, v.Value)
		return 0, false
	}
	return i, d.add(checkRange("`"+e.path+"`", i, lo, hi, d.src.rng(v)))
}

// ratio decodes a number in [0, 1].
func (d *yamlDecoder) ratio(e entry) (Ratio, bool) {
	v := resolve(e.v)
	if v.Kind != yaml.ScalarNode || (v.Tag != "!!int" && v.Tag != "!!float") {
		d.wrongType(e, "a number between 0 and 1")
		return 0, false
	}
	var f float64
	if err := v.Decode(&f); err != nil {
		d.wrongType(e, "a number between 0 and 1")
		return 0, false
	}
	if !d.add(checkRatio("`"+e.path+"`", f, d.src.rng(v))) {
		return 0, false
	}
	return RatioFromFloat(f), true
}

// boolean decodes true or false.
func (d *yamlDecoder) boolean(e entry) (bool, bool) {
	v := resolve(e.v)
	var b bool
	if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" || v.Decode(&b) != nil {
		d.wrongType(e, "true or false")
		return false, false
	}
	return b, true
}

// list decodes a list, passing each item to handle.
func (d *yamlDecoder) list(e entry, want string, handle func(entry)) bool {
	v := resolve(e.v)
	if v.Kind != yaml.SequenceNode {
		d.wrongType(e, "a list of "+want)
		return false
	}
	for i, item := range v.Content {
		handle(entry{key: e.key, k: item, v: item, path: fmt.Sprintf("%s[%d]", e.path, i)})
	}
	return true
}

// strList decodes a list of strings.
func (d *yamlDecoder) strList(e entry) []string {
	var out []string
	d.list(e, "strings", func(item entry) {
		if s, ok := d.nonEmpty(item); ok {
			out = append(out, s)
		}
	})
	return out
}

var topKeys = []string{"version", "seed", "clear", "hospitals", "staff", "accounts", "email", extensionKey}

func (d *yamlDecoder) top(root *yaml.Node) {
	f := d.frag
	e := entry{k: root, v: root, path: ""}
	if resolve(root).Kind != yaml.MappingNode {
		d.errorf(root, "Wrong type", "A spec is a mapping of settings (`version: 1`, `hospitals: …`), not %s.", describe(resolve(root)))
		return
	}
	d.fields(e, "a mapping", topKeys, func(e entry) {
		switch e.key {
		case extensionKey:
			// ignored: holds anchors for the rest of the file
		case "version":
			v, ok := d.integer(e, math.MinInt64, math.MaxInt64)
			if !ok {
				v = 1 // already reported; do not report it missing too
			}
			f.version.set(int(max(min(v, math.MaxInt32), math.MinInt32)), d.src.rng(e.k))
		case "seed":
			if v, ok := d.integer(e, math.MinInt64, math.MaxInt64); ok {
				f.seed.set(v, d.src.rng(e.k))
			}
		case "clear":
			if v, ok := d.boolean(e); ok {
				f.clear.set(v, d.src.rng(e.k))
			}
		case "hospitals":
			d.list(e, "hospitals", d.hospital)
		case "staff":
			d.counts(e, f.staff)
		case "accounts":
			f.accounts.set(d.accounts(e), d.src.rng(e.k))
		case "email":
			f.email.set(d.email(e), d.src.rng(e.k))
		}
	})
}

// countKeys are the keys of `staff:` mappings.
var countKeys = []string{Physician.CountKey(), Nurse.CountKey(), Admin.CountKey()}

// counts decodes a `staff:` mapping of count keys to counts.
func (d *yamlDecoder) counts(e entry, into map[StaffType]countOverride) {
	d.fields(e, "a mapping of physicians, nurses and admin_staff", countKeys, func(e entry) {
		t, _ := StaffTypeForCountKey(e.key)
		if o, ok := d.count(e); ok {
			into[t] = o
		}
	})
}

// count decodes `20` (a count alone) or `{count: 20, female_ratio: 0.6}`.
func (d *yamlDecoder) count(e entry) (countOverride, bool) {
	o := countOverride{Range: d.src.rng(e.k)}
	if v := resolve(e.v); v.Kind == yaml.ScalarNode && (v.Tag == "!!int" || v.Tag == "!!float") {
		n, ok := d.integer(e, 0, MaxCount)
		c := int(n)
		o.Count = &c
		return o, ok
	}
	ok := true
	if resolve(e.v).Kind != yaml.MappingNode {
		d.wrongType(e, "a count or a mapping with `count` and `female_ratio`")
		return o, false
	}
	d.fields(e, "a mapping", []string{"count", "female_ratio"}, func(e entry) {
		switch e.key {
		case "count":
			n, good := d.integer(e, 0, MaxCount)
			c := int(n)
			o.Count, ok = &c, ok && good
		case "female_ratio":
			r, good := d.ratio(e)
			o.Ratio, ok = &r, ok && good
		}
	})
	return o, ok
}

var hospitalKeys = []string{"code", "name", "name_ar", "existing", "departments", "staff", "roster", "language"}

func (d *yamlDecoder) hospital(e entry) {
	h := hospitalFragment{staff: map[StaffType]countOverride{}, at: map[string]hcl.Range{}}
	h.Range = d.src.rng(e.v)
	hasCode := false
	if !d.fields(e, "a mapping with at least `code`", hospitalKeys, func(e entry) {
		h.at[e.key] = d.src.rng(e.k)
		switch e.key {
		case "code":
			if c, ok := d.str(e); ok {
				h.Code = c
				h.Range = d.src.rng(resolve(e.v))
			}
			hasCode = true
		case "name":
			h.Name, _ = d.nonEmpty(e)
		case "name_ar":
			h.NameAr, _ = d.nonEmpty(e)
		case "existing":
			h.Existing, _ = d.boolean(e)
		case "departments":
			names := map[string]*yaml.Node{}
			d.list(e, "departments", func(e entry) {
				if dep, ok := d.department(e); ok {
					if first, dup := names[dep.Name]; dup {
						d.errorf(e.v, "Duplicate department", "Department %q is already defined on line %d.", dep.Name, first.Line)
						return
					}
					names[dep.Name] = e.v
					h.Departments = append(h.Departments, dep)
				}
			})
		case "staff":
			d.counts(e, h.staff)
		case "roster":
			if p, ok := d.nonEmpty(e); ok {
				h.Roster = ResolvePath(d.dir, p)
			}
		case "language":
			h.Language, _ = d.enum(e, "language", Languages)
		}
	}) {
		return
	}
	if !hasCode {
		d.errorf(e.v, "Missing hospital code", "`%s` needs a `code`.", e.path)
		return
	}
	// The code's form depends on existing, which may come after it.
	if h.Code != "" && !d.add(checkHospitalCode(h.Code, h.Existing, h.Range)) {
		return
	}
	if h.Code != "" {
		d.frag.hospitals = append(d.frag.hospitals, h)
	}
}

var departmentKeys = []string{"name", "name_ar", "staff_types", "specializations"}

func (d *yamlDecoder) department(e entry) (Department, bool) {
	dep := Department{Range: d.src.rng(e.v)}
	ok, named := true, false
	if !d.fields(e, "a mapping with at least `name`", departmentKeys, func(e entry) {
		var good bool
		switch e.key {
		case "name":
			dep.Name, good = d.nonEmpty(e)
			named = true
		case "name_ar":
			dep.NameAr, good = d.nonEmpty(e)
		case "staff_types":
			good = d.list(e, "staff types", func(item entry) {
				if s, ok := d.str(item); ok {
					if t, diags := checkStaffType(s, d.src.rng(resolve(item.v))); d.add(diags) {
						dep.StaffTypes = append(dep.StaffTypes, t)
					}
				}
			})
		case "specializations":
			dep.Specializations = d.strList(e)
			good = true
		}
		ok = ok && good
	}) {
		return dep, false
	}
	if !named {
		d.errorf(e.v, "Missing department name", "`%s` needs a `name`.", e.path)
		return dep, false
	}
	return dep, ok && dep.Name != ""
}

var (
	accountsKeys = []string{"create_users", "role", "password", "for_existing_staff", "on_remove"}
	passwordKeys = []string{"length", "hasher", "iterations"}
	staffTypes   = []string{string(Physician), string(Nurse), string(Admin)}
)

func (d *yamlDecoder) accounts(e entry) Accounts {
	a := DefaultAccounts()
	d.fields(e, "a mapping", accountsKeys, func(e entry) {
		d.frag.at[e.path] = d.src.rng(e.k)
		d.frag.vals[e.path] = d.src.rng(resolve(e.v))
		switch e.key {
		case "create_users":
			a.CreateUsers, _ = d.boolean(e)
		case "for_existing_staff":
			a.ForExistingStaff, _ = d.boolean(e)
		case "on_remove":
			a.OnRemove, _ = d.enum(e, "on_remove action", OnRemoveActions)
		case "role":
			if v := resolve(e.v); v.Kind == yaml.ScalarNode {
				if r, ok := d.nonEmpty(e); ok {
					for _, t := range StaffTypes {
						a.Roles[t] = r
					}
				}
				return
			}
			d.fields(e, "a role name or a mapping of staff type to role", staffTypes, func(e entry) {
				if r, ok := d.nonEmpty(e); ok {
					a.Roles[StaffType(e.key)] = r
				}
			})
		case "password":
			if resolve(e.v).Kind == yaml.ScalarNode {
				d.secretf(e.v, e.v,
					"`accounts.password` is the policy for generated passwords (length, hasher, iterations); passwords themselves are never written in a spec.")
				return
			}
			d.fields(e, "a mapping", passwordKeys, func(e entry) {
				switch e.key {
				case "length":
					n, _ := d.integer(e, MinPasswordLength, MaxPasswordLength)
					a.Password.Length = int(n)
				case "hasher":
					a.Password.Hasher, _ = d.enum(e, "password hasher", Hashers)
				case "iterations":
					n, _ := d.integer(e, MinIterations, MaxIterations)
					a.Password.Iterations = int(n)
				}
			})
		}
	})
	return a
}

var (
	emailKeys = []string{"send_credentials", "from", "site_url", "address", "transport", "smtp", "file", "language", "templates"}
	smtpKeys  = []string{"host", "port", "security", "username", "password_env", "allow_insecure", "timeout_seconds"}
	envNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	// wholeNumberRE matches integers too large for !!int, which YAML
	// resolves as floats.
	wholeNumberRE = regexp.MustCompile(`^[-+]?[0-9][0-9_]*$`)
)

func (d *yamlDecoder) email(e entry) Email {
	m := DefaultEmail(d.dir)
	d.fields(e, "a mapping", emailKeys, func(e entry) {
		d.frag.at[e.path] = d.src.rng(e.k)
		d.frag.vals[e.path] = d.src.rng(resolve(e.v))
		switch e.key {
		case "send_credentials":
			m.SendCredentials, _ = d.boolean(e)
		case "from":
			if s, ok := d.nonEmpty(e); ok && d.add(checkFrom(e.path, s, d.src.rng(resolve(e.v)))) {
				m.From = s
			}
		case "site_url":
			if s, ok := d.nonEmpty(e); ok && d.add(checkSiteURL(s, d.src.rng(resolve(e.v)))) {
				m.SiteURL = s
			}
		case "address":
			if s, ok := d.nonEmpty(e); ok && d.add(checkAddressTemplate(s, d.src.rng(resolve(e.v)))) {
				m.Address = s
			}
		case "transport":
			m.Transport, _ = d.enum(e, "transport", Transports)
		case "language":
			m.Language, _ = d.enum(e, "language", Languages)
		case "templates":
			if p, ok := d.nonEmpty(e); ok {
				m.Templates = ResolvePath(d.dir, p)
			}
		case "file":
			d.fields(e, "a mapping", []string{"dir"}, func(e entry) {
				d.frag.at[e.path] = d.src.rng(e.k)
				d.frag.vals[e.path] = d.src.rng(resolve(e.v))
				if p, ok := d.nonEmpty(e); ok {
					m.File.Dir = ResolvePath(d.dir, p)
				} else {
					m.File.Dir = ""
				}
			})
		case "smtp":
			d.fields(e, "a mapping", smtpKeys, func(e entry) {
				d.frag.at[e.path] = d.src.rng(e.k)
				d.frag.vals[e.path] = d.src.rng(resolve(e.v))
				switch e.key {
				case "host":
					m.SMTP.Host, _ = d.nonEmpty(e)
				case "port":
					n, _ := d.integer(e, 1, 65535)
					m.SMTP.Port = int(n)
				case "security":
					m.SMTP.Security, _ = d.enum(e, "SMTP security", SMTPSecurities)
				case "username":
					m.SMTP.Username, _ = d.nonEmpty(e)
				case "password_env":
					if s, ok := d.nonEmpty(e); ok {
						if !envNameRE.MatchString(s) {
							diag := errorAt(d.src.rng(e.v), "Invalid variable name", badPasswordEnv(e.path))
							diag.Extra = Redact{Range: d.src.rng(resolve(e.v))}
							d.diags = append(d.diags, diag)
						}
						m.SMTP.PasswordEnv = s
					}
				case "allow_insecure":
					m.SMTP.AllowInsecure, _ = d.boolean(e)
				case "timeout_seconds":
					n, _ := d.integer(e, 1, MaxTimeoutSecs)
					m.SMTP.TimeoutSecs = int(n)
				}
			})
		}
	})
	return m
}
