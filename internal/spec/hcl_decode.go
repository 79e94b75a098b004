package spec

import (
	"fmt"
	"math"
	"math/big"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/dynblock"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// ParseHCL decodes and validates one HCL spec file named filename, with
// variable values from opts. Like ParseYAML it always returns a non-nil
// Spec whose Files and Sources are set.
func ParseHCL(filename string, src []byte, opts LoadOptions) (*Spec, hcl.Diagnostics) {
	return loadSources([]string{filename}, map[string][]byte{filename: src}, filepath.Dir(filename), opts, nil)
}

// The block and attribute schemas of an HCL spec. Each mirrors a mapping
// of the YAML form; labels stand for the YAML keys code (hospital), name
// (department) and the count key (staff).
var (
	hclTopSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "version"}, {Name: "seed"}, {Name: "clear"}},
		Blocks: []hcl.BlockHeaderSchema{
			{Type: "hospital", LabelNames: []string{"code"}},
			{Type: "staff", LabelNames: []string{"type"}},
			{Type: "accounts"},
			{Type: "email"},
			{Type: "variable", LabelNames: []string{"name"}},
			{Type: "locals"},
		},
	}
	hclHospitalSchema = &hcl.BodySchema{
		Attributes: attrSchema("name", "name_ar", "existing", "roster", "language"),
		Blocks: []hcl.BlockHeaderSchema{
			{Type: "department", LabelNames: []string{"name"}},
			{Type: "staff", LabelNames: []string{"type"}},
		},
	}
	hclDepartmentSchema = &hcl.BodySchema{Attributes: attrSchema("name_ar", "staff_types", "specializations")}
	hclCountSchema      = &hcl.BodySchema{Attributes: attrSchema("count", "female_ratio")}
	hclAccountsSchema   = &hcl.BodySchema{
		// password as an argument is accepted here only to be refused as a secret.
		Attributes: attrSchema("create_users", "role", "for_existing_staff", "on_remove", "password"),
		Blocks:     []hcl.BlockHeaderSchema{{Type: "password"}},
	}
	hclPasswordSchema = &hcl.BodySchema{Attributes: attrSchema(passwordKeys...)}
	hclEmailSchema    = &hcl.BodySchema{
		Attributes: attrSchema("send_credentials", "from", "site_url", "address", "transport", "language", "templates"),
		Blocks:     []hcl.BlockHeaderSchema{{Type: "smtp"}, {Type: "file"}},
	}
	hclSMTPSchema = &hcl.BodySchema{Attributes: attrSchema(append([]string{"password"}, smtpKeys...)...)}
	hclFileSchema = &hcl.BodySchema{Attributes: attrSchema("dir")}
)

func attrSchema(names ...string) []hcl.AttributeSchema {
	out := make([]hcl.AttributeSchema, len(names))
	for i, n := range names {
		out[i] = hcl.AttributeSchema{Name: n}
	}
	return out
}

// hclDecoder evaluates the blocks of one HCL file into a fragment,
// collecting every problem as a diagnostic.
type hclDecoder struct {
	scope *hclScope
	frag  *fragment
	dir   string
	diags hcl.Diagnostics
}

// decodeHCL decodes one parsed HCL file into a fragment, evaluating
// expressions in scope. `dynamic` blocks are expanded.
func decodeHCL(f *hclFile, scope *hclScope) (*fragment, hcl.Diagnostics) {
	d := &hclDecoder{scope: scope, frag: newFragment(f.name), dir: filepath.Dir(f.name)}
	d.top(dynblock.Expand(f.body, scope.ctx))
	return d.frag, d.diags
}

func (d *hclDecoder) errorf(rng hcl.Range, summary, format string, args ...any) {
	d.diags = append(d.diags, errorAt(rng, summary, fmt.Sprintf(format, args...)))
}

// secretf reports a secret written in the spec as attr, whose value the
// snippet must not show.
func (d *hclDecoder) secretf(attr *hcl.Attribute, format string, args ...any) {
	diag := errorAt(attr.NameRange, "Secret in spec", fmt.Sprintf(format, args...))
	diag.Extra = Redact{Range: attr.Expr.Range()}
	d.diags = append(d.diags, diag)
}

func (d *hclDecoder) add(diags hcl.Diagnostics) bool {
	d.diags = append(d.diags, diags...)
	return !diags.HasErrors()
}

func (d *hclDecoder) content(body hcl.Body, schema *hcl.BodySchema) *hcl.BodyContent {
	c, diags := body.Content(schema)
	d.add(maskUnsupported(body, diags))
	return c
}

// maskUnsupported makes HCL's "Unsupported argument" diagnostics of body
// mask the argument's value in their snippet, for it may be anything, a
// misspelled secret too; and it turns a suggestion of a key never
// allowed ("password") into the hint to use password_env.
func maskUnsupported(body hcl.Body, diags hcl.Diagnostics) hcl.Diagnostics {
	var attrs hcl.Attributes
	for _, diag := range diags {
		if diag.Summary != "Unsupported argument" || diag.Subject == nil {
			continue
		}
		if attrs == nil {
			attrs, _ = body.JustAttributes()
		}
		for _, a := range attrs {
			if a.NameRange == *diag.Subject {
				diag.Extra = Redact{Range: a.Expr.Range()}
			}
		}
		diag.Detail = strings.Replace(diag.Detail, ` Did you mean "password"?`,
			" Secrets are never written in a spec: name the environment variable that holds it with `password_env`.", 1)
	}
	return diags
}

// once reports blocks of a type given more than once in one body and
// returns the first.
func (d *hclDecoder) once(blocks hcl.Blocks, typ, where string) *hcl.Block {
	var first *hcl.Block
	for _, b := range blocks {
		if b.Type != typ {
			continue
		}
		if first != nil {
			d.errorf(b.DefRange, "Duplicate block", "%s already has %s `%s` block at %s.", where, article(typ), typ, posString(first.DefRange))
			continue
		}
		first = b
	}
	return first
}

func article(word string) string {
	if strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

// eval evaluates an attribute's expression. ok is false when the value is
// null (the setting is left out), unknown (it depends on something already
// reported) or could not be evaluated (reported).
func (d *hclDecoder) eval(a *hcl.Attribute) (cty.Value, bool) {
	if !d.add(d.scope.checkRefs(a.Expr)) {
		return cty.NilVal, false
	}
	v, diags := a.Expr.Value(d.scope.ctx)
	if !d.add(diags) || v.IsNull() || !v.IsWhollyKnown() {
		return cty.NilVal, false
	}
	v, _ = v.Unmark()
	return v, true
}

// describeValue names a value's type for "wrong type" messages.
func describeValue(v cty.Value) string {
	if v.IsNull() {
		return "null"
	}
	switch t := v.Type(); {
	case t == cty.String:
		return fmt.Sprintf("the string %q", v.AsString())
	case t == cty.Number:
		return "the number " + numberText(v.AsBigFloat())
	case t == cty.Bool:
		return fmt.Sprint(v.True())
	case t.IsListType() || t.IsTupleType() || t.IsSetType():
		return "a list"
	case t.IsMapType() || t.IsObjectType():
		return "an object"
	}
	return "a value of type " + v.Type().FriendlyName()
}

// numberText writes a number in full when it has at most 40 digits before
// the point, else in exponent form.
func numberText(f *big.Float) string {
	if f.IsInf() || f.MantExp(nil) > 128 {
		return f.Text('g', 10)
	}
	return f.Text('g', 40)
}

// as converts v to type ty the way HCL does ("20" is a number where one is
// wanted), reporting a wrong type.
func (d *hclDecoder) as(a *hcl.Attribute, v cty.Value, ty cty.Type, path, want string) (cty.Value, bool) {
	cv, err := convert.Convert(v, ty)
	if err != nil || cv.IsNull() {
		d.errorf(a.Expr.Range(), "Wrong type", "`%s` must be %s, not %s.", path, want, describeValue(v))
		return cty.NilVal, false
	}
	return cv, true
}

func (d *hclDecoder) str(a *hcl.Attribute, path string) (string, bool) {
	v, ok := d.eval(a)
	if !ok {
		return "", false
	}
	if v, ok = d.as(a, v, cty.String, path, "a string"); !ok {
		return "", false
	}
	s := v.AsString()
	return s, d.add(checkText("`"+path+"`", s, a.Expr.Range()))
}

func (d *hclDecoder) nonEmpty(a *hcl.Attribute, path string) (string, bool) {
	s, ok := d.str(a, path)
	if ok && strings.TrimSpace(s) == "" {
		d.errorf(a.Expr.Range(), "Empty value", "`%s` may not be empty.", path)
		return "", false
	}
	return s, ok
}

func (d *hclDecoder) enum(a *hcl.Attribute, path, what string, allowed []string) (string, bool) {
	s, ok := d.str(a, path)
	return s, ok && d.add(checkEnum(what, s, allowed, a.Expr.Range()))
}

func (d *hclDecoder) integer(a *hcl.Attribute, path string, lo, hi int64) (int64, bool) {
	v, ok := d.eval(a)
	if !ok {
		return 0, false
	}
	if v, ok = d.as(a, v, cty.Number, path, "a whole number"); !ok {
		return 0, false
	}
	f := v.AsBigFloat()
	if !f.IsInt() {
		d.errorf(a.Expr.Range(), "Wrong type", "`%s` must be a whole number, not %s.", path, numberText(f))
		return 0, false
	}
	i, acc := f.Int64()
	if acc != big.Exact {
		d.errorf(a.Expr.Range(), "Value out of range", "`%s` must be between %d and %d, not %s.", path, lo, hi, numberText(f))
		return 0, false
	}
	return i, d.add(checkRange("`"+path+"`", i, lo, hi, a.Expr.Range()))
}

func (d *hclDecoder) ratio(a *hcl.Attribute, path string) (Ratio, bool) {
	v, ok := d.eval(a)
	if !ok {
		return 0, false
	}
	if v, ok = d.as(a, v, cty.Number, path, "a number between 0 and 1"); !ok {
		return 0, false
	}
	f, _ := v.AsBigFloat().Float64()
	if !d.add(checkRatio("`"+path+"`", f, a.Expr.Range())) {
		return 0, false
	}
	return RatioFromFloat(f), true
}

func (d *hclDecoder) boolean(a *hcl.Attribute, path string) (bool, bool) {
	v, ok := d.eval(a)
	if !ok {
		return false, false
	}
	if v, ok = d.as(a, v, cty.Bool, path, "true or false"); !ok {
		return false, false
	}
	return v.True(), true
}

// strList decodes a list of strings; check validates each one and returns
// false to drop it.
func (d *hclDecoder) strList(a *hcl.Attribute, path string, check func(s string, rng hcl.Range) bool) ([]string, bool) {
	v, ok := d.eval(a)
	if !ok {
		return nil, false
	}
	if v, ok = d.as(a, v, cty.List(cty.String), path, "a list of strings"); !ok {
		return nil, false
	}
	// Point at the element itself when the list is written literally.
	var items []hclsyntax.Expression
	if t, isTuple := a.Expr.(*hclsyntax.TupleConsExpr); isTuple && len(t.Exprs) == v.LengthInt() {
		items = t.Exprs
	}
	var out []string
	ok = true
	for i, e := range v.AsValueSlice() {
		rng := a.Expr.Range()
		if items != nil {
			rng = items[i].Range()
		}
		item := fmt.Sprintf("%s[%d]", path, i)
		if e.IsNull() {
			d.errorf(rng, "Missing value", "`%s` needs a value.", item)
			ok = false
			continue
		}
		s := e.AsString()
		if !d.add(checkText("`"+item+"`", s, rng)) {
			ok = false
			continue
		}
		if strings.TrimSpace(s) == "" {
			d.errorf(rng, "Empty value", "`%s` may not be empty.", item)
			ok = false
			continue
		}
		if check(s, rng) {
			out = append(out, s)
		} else {
			ok = false
		}
	}
	return out, ok
}

func (d *hclDecoder) top(body hcl.Body) {
	f := d.frag
	c := d.content(body, hclTopSchema)
	if a, ok := c.Attributes["version"]; ok {
		v, good := d.integer(a, "version", math.MinInt64, math.MaxInt64)
		if !good {
			v = 1 // already reported; do not report it missing too
		}
		f.version.set(int(max(min(v, math.MaxInt32), math.MinInt32)), a.NameRange)
	}
	if a, ok := c.Attributes["seed"]; ok {
		if v, good := d.integer(a, "seed", math.MinInt64, math.MaxInt64); good {
			f.seed.set(v, a.NameRange)
		}
	}
	if a, ok := c.Attributes["clear"]; ok {
		if v, good := d.boolean(a, "clear"); good {
			f.clear.set(v, a.NameRange)
		}
	}
	for _, b := range c.Blocks {
		switch b.Type {
		case "hospital":
			d.hospital(b)
		case "staff":
			d.count(b, f.staff, "The spec")
		}
	}
	if b := d.once(c.Blocks, "accounts", "The file"); b != nil {
		f.accounts.set(d.accounts(b), b.DefRange)
	}
	if b := d.once(c.Blocks, "email", "The file"); b != nil {
		f.email.set(d.email(b), b.DefRange)
	}
}

// count decodes a `staff "nurses" { count, female_ratio }` block into into.
func (d *hclDecoder) count(b *hcl.Block, into map[StaffType]countOverride, where string) {
	key, rng := b.Labels[0], b.LabelRanges[0]
	t, ok := StaffTypeForCountKey(key)
	if !ok {
		hint := didYouMean(key, countKeys)
		if st, diags := checkStaffType(key, rng); diags == nil {
			hint = fmt.Sprintf(" Did you mean %q?", st.CountKey())
		}
		d.errorf(rng, "Invalid staff type", "%q is not a kind of staff; use %s.%s", key, quoteList(countKeys), hint)
		d.content(b.Body, hclCountSchema)
		return
	}
	path := "staff." + key
	if prev, dup := into[t]; dup {
		d.errorf(b.DefRange, "Duplicate block", "%s already has a `staff %q` block at %s.", where, key, posString(prev.Range))
		return
	}
	o := countOverride{Range: b.DefRange}
	good := true
	c := d.content(b.Body, hclCountSchema)
	if a, ok := c.Attributes["count"]; ok {
		n, ok := d.integer(a, path+".count", 0, MaxCount)
		cnt := int(n)
		o.Count, good = &cnt, good && ok
	}
	if a, ok := c.Attributes["female_ratio"]; ok {
		r, ok := d.ratio(a, path+".female_ratio")
		o.Ratio, good = &r, good && ok
	}
	if good {
		into[t] = o
	}
}

func (d *hclDecoder) hospital(b *hcl.Block) {
	code := b.Labels[0]
	h := hospitalFragment{staff: map[StaffType]countOverride{}, at: map[string]hcl.Range{}}
	h.Range = b.LabelRanges[0]
	h.Code = code
	path := "hospital." + code
	c := d.content(b.Body, hclHospitalSchema)
	for _, key := range []string{"name", "name_ar", "existing", "roster", "language"} {
		a, ok := c.Attributes[key]
		if !ok {
			continue
		}
		h.at[key] = a.NameRange
		switch key {
		case "name":
			h.Name, _ = d.nonEmpty(a, path+".name")
		case "name_ar":
			h.NameAr, _ = d.nonEmpty(a, path+".name_ar")
		case "existing":
			h.Existing, _ = d.boolean(a, path+".existing")
		case "roster":
			if p, ok := d.nonEmpty(a, path+".roster"); ok {
				h.Roster = ResolvePath(d.dir, p)
			}
		case "language":
			h.Language, _ = d.enum(a, path+".language", "language", Languages)
		}
	}
	valid := d.add(checkHospitalCode(code, h.Existing, b.LabelRanges[0]))
	names := map[string]hcl.Range{}
	where := fmt.Sprintf("Hospital %s", code)
	for _, blk := range c.Blocks {
		switch blk.Type {
		case "staff":
			d.count(blk, h.staff, where)
		case "department":
			if _, seen := h.at["departments"]; !seen {
				h.at["departments"] = blk.DefRange
			}
			dep, ok := d.department(blk, path)
			if !ok {
				continue
			}
			if first, dup := names[dep.Name]; dup {
				d.errorf(blk.LabelRanges[0], "Duplicate department", "Department %q is already defined at %s.", dep.Name, posString(first))
				continue
			}
			names[dep.Name] = blk.LabelRanges[0]
			h.Departments = append(h.Departments, dep)
		}
	}
	if valid {
		d.frag.hospitals = append(d.frag.hospitals, h)
	}
}

func (d *hclDecoder) department(b *hcl.Block, hospitalPath string) (Department, bool) {
	name, rng := b.Labels[0], b.LabelRanges[0]
	path := fmt.Sprintf("%s.department[%q]", hospitalPath, name)
	dep := Department{Name: name, Range: rng}
	ok := d.add(checkText("A department name", name, rng))
	if ok && strings.TrimSpace(name) == "" {
		d.errorf(rng, "Empty value", "A department name may not be empty.")
		ok = false
	}
	c := d.content(b.Body, hclDepartmentSchema)
	if a, found := c.Attributes["name_ar"]; found {
		var good bool
		dep.NameAr, good = d.nonEmpty(a, path+".name_ar")
		ok = ok && good
	}
	if a, found := c.Attributes["staff_types"]; found {
		_, good := d.strList(a, path+".staff_types", func(s string, rng hcl.Range) bool {
			t, diags := checkStaffType(s, rng)
			if d.add(diags) {
				dep.StaffTypes = append(dep.StaffTypes, t)
				return true
			}
			return false
		})
		ok = ok && good
	}
	if a, found := c.Attributes["specializations"]; found {
		var good bool
		dep.Specializations, good = d.strList(a, path+".specializations", func(string, hcl.Range) bool { return true })
		ok = ok && good
	}
	return dep, ok
}

func (d *hclDecoder) accounts(b *hcl.Block) Accounts {
	a := DefaultAccounts()
	c := d.content(b.Body, hclAccountsSchema)
	for _, key := range accountsKeys {
		attr, ok := c.Attributes[key]
		if !ok {
			continue
		}
		path := "accounts." + key
		d.frag.at[path] = attr.NameRange
		d.frag.vals[path] = attr.Expr.Range()
		switch key {
		case "create_users":
			a.CreateUsers, _ = d.boolean(attr, path)
		case "for_existing_staff":
			a.ForExistingStaff, _ = d.boolean(attr, path)
		case "on_remove":
			a.OnRemove, _ = d.enum(attr, path, "on_remove action", OnRemoveActions)
		case "role":
			d.role(attr, &a)
		case "password":
			d.secretf(attr,
				"`accounts.password` is the policy for generated passwords, written as a block (`password { length = 12 }`); passwords themselves are never written in a spec.")
		}
	}
	if pb := d.once(c.Blocks, "password", "`accounts`"); pb != nil {
		d.frag.at["accounts.password"] = pb.DefRange
		pc := d.content(pb.Body, hclPasswordSchema)
		if attr, ok := pc.Attributes["length"]; ok {
			n, _ := d.integer(attr, "accounts.password.length", MinPasswordLength, MaxPasswordLength)
			a.Password.Length = int(n)
		}
		if attr, ok := pc.Attributes["hasher"]; ok {
			a.Password.Hasher, _ = d.enum(attr, "accounts.password.hasher", "password hasher", Hashers)
		}
		if attr, ok := pc.Attributes["iterations"]; ok {
			n, _ := d.integer(attr, "accounts.password.iterations", MinIterations, MaxIterations)
			a.Password.Iterations = int(n)
		}
	}
	return a
}

// role decodes `role = "staff"` or `role = { physician = "doctor", ... }`.
func (d *hclDecoder) role(attr *hcl.Attribute, a *Accounts) {
	v, ok := d.eval(attr)
	if !ok {
		return
	}
	if t := v.Type(); t.IsObjectType() || t.IsMapType() {
		at := objectKeyRanges(attr.Expr, d.scope.ctx)
		for it := v.ElementIterator(); it.Next(); {
			k, val := it.Element()
			key := k.AsString()
			keyRange, valueRange := attr.Expr.Range(), attr.Expr.Range()
			if r, ok := at[key]; ok {
				keyRange, valueRange = r[0], r[1]
			}
			if !contains(staffTypes, key) {
				diag := errorAt(keyRange, "Unknown key", fmt.Sprintf("`accounts.role.%s` is not a staff type; the keys are %s.%s",
					key, quoteList(staffTypes), didYouMean(key, staffTypes)))
				diag.Extra = Redact{Range: valueRange}
				d.diags = append(d.diags, diag)
				continue
			}
			path := "accounts.role." + key
			sv, err := convert.Convert(val, cty.String)
			if err != nil || sv.IsNull() || !sv.IsKnown() {
				d.errorf(valueRange, "Wrong type", "`%s` must be a role name, not %s.", path, describeValue(val))
				continue
			}
			r := sv.AsString()
			if !d.add(checkText("`"+path+"`", r, valueRange)) {
				continue
			}
			if strings.TrimSpace(r) == "" {
				d.errorf(valueRange, "Empty value", "`%s` may not be empty.", path)
				continue
			}
			a.Roles[StaffType(key)] = r
		}
		return
	}
	if r, ok := d.nonEmpty(attr, "accounts.role"); ok {
		for _, t := range StaffTypes {
			a.Roles[t] = r
		}
	}
}

// objectKeyRanges maps the keys of an object written literally to the
// ranges of each key and its value, so that errors point at the entry.
func objectKeyRanges(expr hcl.Expression, ctx *hcl.EvalContext) map[string][2]hcl.Range {
	oc, ok := expr.(*hclsyntax.ObjectConsExpr)
	if !ok {
		return nil
	}
	out := map[string][2]hcl.Range{}
	for _, item := range oc.Items {
		k, diags := item.KeyExpr.Value(ctx)
		if diags.HasErrors() || !k.IsKnown() || k.IsNull() || k.Type() != cty.String {
			continue
		}
		out[k.AsString()] = [2]hcl.Range{item.KeyExpr.Range(), item.ValueExpr.Range()}
	}
	return out
}

func (d *hclDecoder) email(b *hcl.Block) Email {
	m := DefaultEmail(d.dir)
	c := d.content(b.Body, hclEmailSchema)
	for _, key := range emailKeys {
		attr, ok := c.Attributes[key]
		if !ok {
			continue
		}
		path := "email." + key
		d.frag.at[path] = attr.NameRange
		d.frag.vals[path] = attr.Expr.Range()
		switch key {
		case "send_credentials":
			m.SendCredentials, _ = d.boolean(attr, path)
		case "from":
			if s, ok := d.nonEmpty(attr, path); ok && d.add(checkFrom(path, s, attr.Expr.Range())) {
				m.From = s
			}
		case "site_url":
			if s, ok := d.nonEmpty(attr, path); ok && d.add(checkSiteURL(s, attr.Expr.Range())) {
				m.SiteURL = s
			}
		case "address":
			if s, ok := d.nonEmpty(attr, path); ok && d.add(checkAddressTemplate(s, attr.Expr.Range())) {
				m.Address = s
			}
		case "transport":
			m.Transport, _ = d.enum(attr, path, "transport", Transports)
		case "language":
			m.Language, _ = d.enum(attr, path, "language", Languages)
		case "templates":
			if p, ok := d.nonEmpty(attr, path); ok {
				m.Templates = ResolvePath(d.dir, p)
			}
		}
	}
	if fb := d.once(c.Blocks, "file", "`email`"); fb != nil {
		d.frag.at["email.file"] = fb.DefRange
		fc := d.content(fb.Body, hclFileSchema)
		if attr, ok := fc.Attributes["dir"]; ok {
			d.frag.at["email.file.dir"], d.frag.vals["email.file.dir"] = attr.NameRange, attr.Expr.Range()
			if p, ok := d.nonEmpty(attr, "email.file.dir"); ok {
				m.File.Dir = ResolvePath(d.dir, p)
			} else {
				m.File.Dir = ""
			}
		}
	}
	if sb := d.once(c.Blocks, "smtp", "`email`"); sb != nil {
		d.frag.at["email.smtp"] = sb.DefRange
		d.smtp(d.content(sb.Body, hclSMTPSchema), &m.SMTP)
	}
	return m
}

func (d *hclDecoder) smtp(c *hcl.BodyContent, s *SMTP) {
	if attr, ok := c.Attributes["password"]; ok {
		d.secretf(attr,
			"Secrets are never written in a spec: instead of `email.smtp.password`, name the environment variable that holds it with `password_env`.")
	}
	for _, key := range smtpKeys {
		attr, ok := c.Attributes[key]
		if !ok {
			continue
		}
		path := "email.smtp." + key
		d.frag.at[path] = attr.NameRange
		d.frag.vals[path] = attr.Expr.Range()
		switch key {
		case "host":
			s.Host, _ = d.nonEmpty(attr, path)
		case "port":
			n, _ := d.integer(attr, path, 1, 65535)
			s.Port = int(n)
		case "security":
			s.Security, _ = d.enum(attr, path, "SMTP security", SMTPSecurities)
		case "username":
			s.Username, _ = d.nonEmpty(attr, path)
		case "password_env":
			if v, ok := d.nonEmpty(attr, path); ok {
				if !envNameRE.MatchString(v) {
					diag := errorAt(attr.Expr.Range(), "Invalid variable name", badPasswordEnv(path))
					diag.Extra = Redact{Range: attr.Expr.Range()}
					d.diags = append(d.diags, diag)
				}
				s.PasswordEnv = v
			}
		case "allow_insecure":
			s.AllowInsecure, _ = d.boolean(attr, path)
		case "timeout_seconds":
			n, _ := d.integer(attr, path, 1, MaxTimeoutSecs)
			s.TimeoutSecs = int(n)
		}
	}
}
