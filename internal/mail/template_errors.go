package mail

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
)

// templatePlace matches the "NAME:LINE[:COL]: " that Go's template errors
// put after "template: ".
var templatePlace = regexp.MustCompile(`^(\d+)(?::(\d+))?: (.*)$`)

// executingAt matches the `executing "NAME" at <.X>: ` of execution errors.
var executingAt = regexp.MustCompile(`^executing ".*?" at <(.*?)>: (.*)$`)

// unknownField matches the error of a template naming a field the data
// lacks.
var unknownField = regexp.MustCompile(`^can't evaluate field (\w+) in type `)

// templateError rewrites an error of Go's template packages as
// "FILE:LINE:COL: problem", naming the file once, counting lines from the
// top of the file (skip lines precede the parsed source), and saying which
// fields a template may use instead of naming Go types.
func templateError(name string, skip int, err error) error {
	msg := err.Error()
	for _, prefix := range []string{"template: " + name + ":", "html/template:" + name + ":"} {
		rest, ok := strings.CutPrefix(msg, prefix)
		if !ok {
			continue
		}
		m := templatePlace.FindStringSubmatch(rest)
		if m == nil {
			break
		}
		line, _ := strconv.Atoi(m[1])
		place := fmt.Sprintf("%s:%d", name, line+skip)
		if m[2] != "" {
			col, _ := strconv.Atoi(m[2]) // Go counts columns from 0
			place += fmt.Sprintf(":%d", col+1)
		}
		return fmt.Errorf("%s: %s", place, templateProblem(m[3]))
	}
	msg = strings.TrimPrefix(msg, "template: ")
	return fmt.Errorf("template %s: %s", name, templateProblem(msg))
}

// templateProblem words the problem part of a template error.
func templateProblem(msg string) string {
	if m := executingAt.FindStringSubmatch(msg); m != nil {
		msg = m[2]
	}
	if m := unknownField.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("unknown field .%s (the fields are %s)", m[1], strings.Join(templateFields(), ", "))
	}
	return msg
}

// templateFields lists the fields a template may use, as ".Name".
func templateFields() []string {
	var fields []string
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Anonymous {
				walk(f.Type)
				continue
			}
			fields = append(fields, "."+f.Name)
		}
	}
	walk(reflect.TypeFor[templateData]())
	return fields
}
