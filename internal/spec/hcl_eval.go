package spec

import (
	"fmt"
	"math/big"
	"os"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// VarEnvPrefix prefixes the environment variables that set HCL variables:
// STAFFSEED_VAR_nurses sets var.nurses.
const VarEnvPrefix = "STAFFSEED_VAR_"

// maxRange bounds the length of a list made by range(), so that a spec
// cannot make the decoder allocate without limit.
const maxRange = 100_000

// hclFunctions are the functions HCL specs may call: the string, numeric,
// collection and encoding functions of the cty standard library, plus try
// and can.
func hclFunctions() map[string]function.Function {
	return map[string]function.Function{
		"abs": stdlib.AbsoluteFunc, "ceil": stdlib.CeilFunc, "floor": stdlib.FloorFunc,
		"log": stdlib.LogFunc, "max": stdlib.MaxFunc, "min": stdlib.MinFunc,
		"parseint": stdlib.ParseIntFunc, "pow": stdlib.PowFunc, "signum": stdlib.SignumFunc,
		"chomp": stdlib.ChompFunc, "format": stdlib.FormatFunc, "formatlist": stdlib.FormatListFunc,
		"indent": stdlib.IndentFunc, "join": stdlib.JoinFunc, "lower": stdlib.LowerFunc,
		"regex": stdlib.RegexFunc, "regexall": stdlib.RegexAllFunc, "regex_replace": stdlib.RegexReplaceFunc,
		"replace": stdlib.ReplaceFunc, "split": stdlib.SplitFunc, "strlen": stdlib.StrlenFunc,
		"strrev": stdlib.ReverseFunc, "substr": stdlib.SubstrFunc, "title": stdlib.TitleFunc,
		"trim": stdlib.TrimFunc, "trimprefix": stdlib.TrimPrefixFunc, "trimsuffix": stdlib.TrimSuffixFunc,
		"trimspace": stdlib.TrimSpaceFunc, "upper": stdlib.UpperFunc,
		"chunklist": stdlib.ChunklistFunc, "coalesce": stdlib.CoalesceFunc, "coalescelist": stdlib.CoalesceListFunc,
		"compact": stdlib.CompactFunc, "concat": stdlib.ConcatFunc, "contains": stdlib.ContainsFunc,
		"distinct": stdlib.DistinctFunc, "element": stdlib.ElementFunc, "flatten": stdlib.FlattenFunc,
		"index": stdlib.IndexFunc, "keys": stdlib.KeysFunc, "length": stdlib.LengthFunc,
		"lookup": stdlib.LookupFunc, "merge": stdlib.MergeFunc, "range": boundedRange,
		"reverse": stdlib.ReverseListFunc, "setintersection": stdlib.SetIntersectionFunc,
		"setsubtract": stdlib.SetSubtractFunc, "setunion": stdlib.SetUnionFunc,
		"slice": stdlib.SliceFunc, "sort": stdlib.SortFunc, "values": stdlib.ValuesFunc,
		"zipmap":    stdlib.ZipmapFunc,
		"csvdecode": stdlib.CSVDecodeFunc, "jsondecode": stdlib.JSONDecodeFunc, "jsonencode": stdlib.JSONEncodeFunc,
		"tobool": stdlib.MakeToFunc(cty.Bool), "tonumber": stdlib.MakeToFunc(cty.Number),
		"tostring": stdlib.MakeToFunc(cty.String), "tolist": stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"tomap": stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)), "toset": stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"try": tryfunc.TryFunc, "can": tryfunc.CanFunc,
	}
}

// boundedRange is stdlib's range, refusing to build lists longer than
// maxRange.
var boundedRange = function.New(&function.Spec{
	Description: stdlib.RangeFunc.Description(),
	VarParam:    stdlib.RangeFunc.VarParam(),
	Type:        function.StaticReturnType(cty.List(cty.Number)),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if len(args) >= 1 && len(args) <= 3 {
			start, limit, step := big.NewFloat(0), args[0].AsBigFloat(), big.NewFloat(1)
			if len(args) >= 2 {
				start, limit = args[0].AsBigFloat(), args[1].AsBigFloat()
			}
			if len(args) == 3 {
				step = args[2].AsBigFloat()
			}
			if step.Sign() != 0 {
				n := new(big.Float).Quo(new(big.Float).Sub(limit, start), step)
				if n.Abs(n).Cmp(big.NewFloat(maxRange)) > 0 {
					return cty.NilVal, fmt.Errorf("range may make at most %d numbers", maxRange)
				}
			}
		}
		return stdlib.RangeFunc.Call(args)
	},
})

// hclFile is one parsed HCL spec file.
type hclFile struct {
	name string
	body hcl.Body
}

// parseHCL parses one HCL file. The file is nil when its syntax is broken.
func parseHCL(name string, src []byte) (*hclFile, hcl.Diagnostics) {
	f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	if diags.HasErrors() || f == nil {
		return nil, diags
	}
	return &hclFile{name: name, body: f.Body}, diags
}

// hclDeclSchema picks the declarations out of a file: variables and locals.
var hclDeclSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "variable", LabelNames: []string{"name"}},
	{Type: "locals"},
}}

var hclVariableSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "type"}, {Name: "default"}, {Name: "description"}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "validation"}},
}

var hclValidationSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "condition", Required: true}, {Name: "error_message", Required: true},
}}

// hclVariable is a declared variable and the value it was given.
type hclVariable struct {
	name        string
	decl        hcl.Range
	typ         cty.Type
	validations []*hcl.Block
	value       cty.Value
	set         bool
	// from is where the value was written (nil: the command line or the
	// environment); source names the origin in messages.
	from   *hcl.Range
	source string
}

// hclScope holds the variables and locals of a spec and evaluates
// expressions against them.
type hclScope struct {
	vars   map[string]*hclVariable
	locals map[string]*hcl.Attribute
	ctx    *hcl.EvalContext
}

// newHCLScope declares the variables and locals of every HCL file, gives
// the variables their values (default < STAFFSEED_VAR_name < var files <
// --var, like Terraform), checks their validations and evaluates the
// locals. Var files are read and added to sources for diagnostics.
// unparsed is how many .hcl files could not be parsed: their variables
// are unknown, so --var names are not checked against the declarations.
func newHCLScope(files []*hclFile, unparsed int, opts LoadOptions, sources map[string][]byte) (*hclScope, hcl.Diagnostics) {
	sc := &hclScope{vars: map[string]*hclVariable{}, locals: map[string]*hcl.Attribute{}}
	var diags hcl.Diagnostics
	for _, f := range files {
		content, _, more := f.body.PartialContent(hclDeclSchema)
		diags = append(diags, more...)
		for _, b := range content.Blocks {
			switch b.Type {
			case "variable":
				diags = append(diags, sc.declare(b)...)
			case "locals":
				attrs, more := b.Body.JustAttributes()
				diags = append(diags, more...)
				for _, a := range sortedAttrs(attrs) {
					if prev, dup := sc.locals[a.Name]; dup {
						diags = append(diags, errorAt(a.NameRange, "Duplicate local value",
							fmt.Sprintf("local.%s is already defined at %s; each local value may be defined once across all spec files.", a.Name, posString(prev.NameRange))))
						continue
					}
					sc.locals[a.Name] = a
				}
			}
		}
	}
	diags = append(diags, sc.assign(opts, sources, len(files)+unparsed > 0, unparsed > 0)...)
	sc.ctx = &hcl.EvalContext{Functions: hclFunctions(), Variables: map[string]cty.Value{"var": sc.varObject(), "local": cty.EmptyObjectVal}}
	diags = append(diags, sc.validate()...)
	diags = append(diags, sc.evalLocals()...)
	return sc, diags
}

func sortedAttrs(attrs hcl.Attributes) []*hcl.Attribute {
	out := make([]*hcl.Attribute, 0, len(attrs))
	for _, a := range attrs {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Range.Start.Byte < out[j].Range.Start.Byte })
	return out
}

// declare records one variable block.
func (sc *hclScope) declare(b *hcl.Block) hcl.Diagnostics {
	name := b.Labels[0]
	nameRange := b.LabelRanges[0]
	if !hclsyntax.ValidIdentifier(name) {
		return hcl.Diagnostics{errorAt(nameRange, "Invalid variable name",
			fmt.Sprintf("Variable name %q must start with a letter and hold only letters, digits, _ and -.", name))}
	}
	if prev, dup := sc.vars[name]; dup {
		return hcl.Diagnostics{errorAt(nameRange, "Duplicate variable",
			fmt.Sprintf("Variable %q is already declared at %s; each variable may be declared once across all spec files.", name, posString(prev.decl)))}
	}
	v := &hclVariable{name: name, decl: nameRange, typ: cty.DynamicPseudoType, value: cty.DynamicVal}
	sc.vars[name] = v
	content, diags := b.Body.Content(hclVariableSchema)
	diags = maskUnsupported(b.Body, diags)
	if a, ok := content.Attributes["type"]; ok {
		ty, more := typeexpr.TypeConstraint(a.Expr)
		diags = append(diags, more...)
		if !more.HasErrors() {
			v.typ = ty
		}
	}
	if a, ok := content.Attributes["description"]; ok {
		val, more := a.Expr.Value(nil)
		diags = append(diags, more...)
		if !more.HasErrors() && (val.IsNull() || !val.IsKnown() || val.Type() != cty.String) {
			diags = append(diags, errorAt(a.Expr.Range(), "Wrong type", "A variable's `description` must be a string."))
		}
	}
	if a, ok := content.Attributes["default"]; ok && !diags.HasErrors() {
		val, more := a.Expr.Value(nil)
		diags = append(diags, more...)
		if !more.HasErrors() && !val.IsNull() {
			if cv, err := convert.Convert(val, v.typ); err != nil {
				diags = append(diags, errorAt(a.Expr.Range(), "Invalid default value",
					fmt.Sprintf("The default of variable %q does not fit its type: %s.", name, errText(err))))
			} else {
				r := a.Expr.Range()
				v.value, v.set, v.from, v.source = cv, true, &r, "its default"
			}
		}
	}
	for _, vb := range content.Blocks {
		_, more := vb.Body.Content(hclValidationSchema)
		diags = append(diags, maskUnsupported(vb.Body, more)...)
		if !more.HasErrors() {
			v.validations = append(v.validations, vb)
		}
	}
	if diags.HasErrors() {
		v.set = true // already reported; do not also report it missing
	}
	return diags
}

func errText(err error) string {
	return strings.TrimSuffix(err.Error(), ".")
}

// assign gives the variables their values from the environment, var files
// and --var, in increasing precedence, and reports required ones left
// without a value. anyHCL tells whether the spec has an HCL file at all;
// partial that some HCL file could not be parsed, so that a variable may
// be declared where it cannot be seen: names are then not checked.
func (sc *hclScope) assign(opts LoadOptions, sources map[string][]byte, anyHCL, partial bool) hcl.Diagnostics {
	var diags hcl.Diagnostics
	getenv := opts.Env
	if getenv == nil {
		getenv = os.Getenv
	}
	for _, name := range sc.names() {
		if s := getenv(VarEnvPrefix + name); s != "" {
			diags = append(diags, sc.setString(name, s, "the environment variable "+VarEnvPrefix+name)...)
		}
	}
	for _, file := range opts.VarFiles {
		diags = append(diags, sc.readVarFile(file, sources)...)
	}
	cli := make([]string, 0, len(opts.Vars))
	for name := range opts.Vars {
		cli = append(cli, name)
	}
	sort.Strings(cli)
	for _, name := range cli {
		if _, ok := sc.vars[name]; !ok && partial {
			continue
		} else if !ok && !anyHCL {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Variables need an HCL spec",
				Detail: fmt.Sprintf("--var sets %q, but variables apply to HCL specs only and this spec has no .hcl file.", name)})
			continue
		} else if !ok {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Undeclared variable",
				Detail: fmt.Sprintf("--var sets %q, but the spec declares no such variable.%s", name, didYouMean(name, sc.names()))})
			continue
		}
		diags = append(diags, sc.setString(name, opts.Vars[name], "--var "+name)...)
	}
	for _, name := range sc.names() {
		if v := sc.vars[name]; !v.set && !partial {
			diags = append(diags, errorAt(v.decl, "Missing required variable",
				fmt.Sprintf("Variable %q has no default and no value; set it with --var %s=VALUE, in a --var-file, or with %s%s.", name, name, VarEnvPrefix, name)))
		}
	}
	return diags
}

func (sc *hclScope) names() []string {
	names := make([]string, 0, len(sc.vars))
	for n := range sc.vars {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// setString sets a variable from text given on the command line or in the
// environment: taken literally for a primitive type (then converted, so
// "20" is a number where one is wanted), parsed as an HCL expression for a
// collection type, as Terraform does.
func (sc *hclScope) setString(name, s, source string) hcl.Diagnostics {
	v := sc.vars[name]
	val := cty.StringVal(s)
	if !v.typ.IsPrimitiveType() && v.typ != cty.DynamicPseudoType {
		expr, diags := hclsyntax.ParseExpression([]byte(s), source, hcl.InitialPos)
		if !diags.HasErrors() {
			val, diags = expr.Value(nil)
		}
		if diags.HasErrors() {
			v.set = true // reported here; not also missing
			return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid value for variable",
				Detail: fmt.Sprintf("The value of %s is not a valid HCL expression for type %s.", source, typeexpr.TypeString(v.typ))}}
		}
	}
	cv, err := convert.Convert(val, v.typ)
	if err != nil {
		v.set = true // reported here; not also missing
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid value for variable",
			Detail: fmt.Sprintf("The value of %s does not fit the variable's type %s: %s.", source, typeexpr.TypeString(v.typ), errText(err))}}
	}
	v.value, v.set, v.from, v.source = cv, true, nil, source
	return nil
}

// readVarFile reads a file of `name = value` lines.
func (sc *hclScope) readVarFile(file string, sources map[string][]byte) hcl.Diagnostics {
	src, err := os.ReadFile(file)
	if err != nil {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read the variables file", Detail: err.Error() + "."}}
	}
	sources[file] = src
	f, diags := hclsyntax.ParseConfig(src, file, hcl.InitialPos)
	if diags.HasErrors() {
		return diags
	}
	attrs, diags := f.Body.JustAttributes()
	for _, a := range sortedAttrs(attrs) {
		v, ok := sc.vars[a.Name]
		if !ok {
			diags = append(diags, errorAt(a.NameRange, "Undeclared variable",
				fmt.Sprintf("The spec declares no variable %q.%s", a.Name, didYouMean(a.Name, sc.names()))))
			continue
		}
		val, more := a.Expr.Value(nil)
		diags = append(diags, more...)
		if more.HasErrors() {
			v.set = true
			continue
		}
		cv, err := convert.Convert(val, v.typ)
		if err != nil {
			diags = append(diags, errorAt(a.Expr.Range(), "Invalid value for variable",
				fmt.Sprintf("The value of %q does not fit its type %s: %s.", a.Name, typeexpr.TypeString(v.typ), errText(err))))
			v.set = true
			continue
		}
		r := a.Expr.Range()
		v.value, v.set, v.from, v.source = cv, true, &r, file
	}
	return diags
}

func (sc *hclScope) varObject() cty.Value {
	m := make(map[string]cty.Value, len(sc.vars))
	for n, v := range sc.vars {
		m[n] = v.value
	}
	return cty.ObjectVal(m)
}

// validate runs the validation blocks of every variable with a value.
func (sc *hclScope) validate() hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, name := range sc.names() {
		v := sc.vars[name]
		if !v.value.IsWhollyKnown() {
			continue
		}
		for _, b := range v.validations {
			content, _ := b.Body.Content(hclValidationSchema)
			cond := content.Attributes["condition"]
			if more := sc.checkRefs(cond.Expr); more.HasErrors() {
				diags = append(diags, more...)
				continue
			}
			ok, more := cond.Expr.Value(sc.ctx)
			diags = append(diags, more...)
			if more.HasErrors() || !ok.IsWhollyKnown() {
				continue
			}
			if ok.IsNull() || ok.Type() != cty.Bool {
				diags = append(diags, errorAt(cond.Expr.Range(), "Invalid validation condition", "A validation `condition` must be true or false."))
				continue
			}
			if ok.True() {
				continue
			}
			msg := "The value is not valid."
			if m, more := content.Attributes["error_message"].Expr.Value(sc.ctx); !more.HasErrors() && m.IsKnown() && !m.IsNull() && m.Type() == cty.String {
				msg = m.AsString()
			}
			at := cond.Expr.Range()
			detail := fmt.Sprintf("%s (The value of variable %q, set by %s, fails this validation.)", msg, name, v.source)
			if v.from != nil {
				detail = fmt.Sprintf("%s (The value of variable %q, set by %s, fails the validation at %s.)", msg, name, v.source, posString(at))
				at = *v.from
			}
			diags = append(diags, errorAt(at, "Invalid value for variable", detail))
		}
	}
	return diags
}

// checkRefs reports references to undeclared variables and locals, with a
// suggestion, before an expression is evaluated.
func (sc *hclScope) checkRefs(expr hcl.Expression) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, tr := range expr.Variables() {
		root := tr.RootName()
		if (root != "var" && root != "local") || len(tr) < 2 {
			continue
		}
		step, ok := tr[1].(hcl.TraverseAttr)
		if !ok {
			continue
		}
		rng := tr.SourceRange()
		if root == "var" {
			if _, ok := sc.vars[step.Name]; !ok {
				diags = append(diags, errorAt(rng, "Reference to undeclared variable",
					fmt.Sprintf("No variable %q is declared; declare it with a `variable %q {}` block.%s", step.Name, step.Name, didYouMean(step.Name, sc.names()))))
			}
			continue
		}
		if _, ok := sc.locals[step.Name]; !ok {
			names := make([]string, 0, len(sc.locals))
			for n := range sc.locals {
				names = append(names, n)
			}
			sort.Strings(names)
			diags = append(diags, errorAt(rng, "Reference to undeclared local value",
				fmt.Sprintf("No local value %q is defined in a `locals` block.%s", step.Name, didYouMean(step.Name, names))))
		}
	}
	return diags
}

// localDeps returns the locals an expression refers to.
func localDeps(expr hcl.Expression) []string {
	var deps []string
	for _, tr := range expr.Variables() {
		if tr.RootName() != "local" || len(tr) < 2 {
			continue
		}
		if step, ok := tr[1].(hcl.TraverseAttr); ok {
			deps = append(deps, step.Name)
		}
	}
	return deps
}

// evalLocals evaluates the locals in dependency order, reporting cycles.
// A local that cannot be evaluated is unknown, so that expressions using
// it are skipped rather than reported again.
func (sc *hclScope) evalLocals() hcl.Diagnostics {
	var diags hcl.Diagnostics
	values := map[string]cty.Value{}
	const (
		visiting = 1
		done     = 2
	)
	state := map[string]int{}
	var stack []string
	var visit func(name string)
	visit = func(name string) {
		a, ok := sc.locals[name]
		if !ok || state[name] == done {
			return
		}
		if state[name] == visiting {
			i := len(stack) - 1
			for i > 0 && stack[i] != name {
				i--
			}
			cycle := append(append([]string{}, stack[i:]...), name)
			diags = append(diags, errorAt(a.NameRange, "Cycle in local values",
				fmt.Sprintf("The local values refer to each other in a cycle: local.%s.", strings.Join(cycle, " → local."))))
			for _, n := range cycle {
				values[n] = cty.DynamicVal
			}
			return
		}
		state[name] = visiting
		stack = append(stack, name)
		for _, dep := range localDeps(a.Expr) {
			visit(dep)
		}
		stack = stack[:len(stack)-1]
		state[name] = done
		if _, failed := values[name]; failed {
			return
		}
		if more := sc.checkRefs(a.Expr); more.HasErrors() {
			diags = append(diags, more...)
			values[name] = cty.DynamicVal
			return
		}
		sc.ctx.Variables["local"] = cty.ObjectVal(values)
		v, more := a.Expr.Value(sc.ctx)
		diags = append(diags, more...)
		if more.HasErrors() {
			v = cty.DynamicVal
		}
		values[name] = v
	}
	for _, a := range sortedLocals(sc.locals) {
		visit(a.Name)
	}
	sc.ctx.Variables["local"] = cty.ObjectVal(values)
	return diags
}

func sortedLocals(locals map[string]*hcl.Attribute) []*hcl.Attribute {
	out := make([]*hcl.Attribute, 0, len(locals))
	for _, a := range locals {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
