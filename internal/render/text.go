package render

import (
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/px360/staffseed/plan"
)

// TextOptions tune the human rendering of a plan.
type TextOptions struct {
	Color bool
	// Detail lists every record instead of grouping runs of them.
	Detail bool
}

// NoChanges is what a plan with nothing to do prints.
const NoChanges = "No changes. The database matches the spec."

// NothingToDestroy is what a destroy plan with nothing to remove prints.
const NothingToDestroy = "Nothing to destroy: the spec manages no rows in the database."

// Text writes a plan for people to read.
func Text(w io.Writer, p *plan.Plan, opts TextOptions) error {
	r := &textRenderer{w: w, opts: opts}
	r.render(p)
	return r.err
}

type textRenderer struct {
	w    io.Writer
	opts TextOptions
	err  error
}

func (r *textRenderer) printf(format string, args ...any) {
	if r.err == nil {
		_, r.err = fmt.Fprintf(r.w, format, args...)
	}
}

const (
	green  = "\x1b[32m"
	yellow = "\x1b[33m"
	red    = "\x1b[31m"
	bold   = "\x1b[1m"
	reset  = "\x1b[0m"
)

func (r *textRenderer) paint(color, s string) string {
	if !r.opts.Color {
		return s
	}
	return color + s + reset
}

func (r *textRenderer) render(p *plan.Plan) {
	for _, w := range p.Warnings {
		r.printf("%s %s\n", r.paint(yellow+bold, "Warning:"), w)
	}
	if len(p.Warnings) > 0 {
		r.printf("\n")
	}
	if p.Empty() {
		if p.Destroy {
			r.printf("%s\n", NothingToDestroy)
		} else {
			r.printf("%s\n", NoChanges)
		}
		return
	}
	if len(p.Migrations) > 0 {
		r.printf("staffseed will run %d migration(s) first: %s\n\n", len(p.Migrations), strings.Join(p.Migrations, ", "))
	}
	if len(p.Changes) > 0 {
		r.printf("staffseed will perform the following actions:\n\n")
		for _, g := range group(p.Changes, r.opts.Detail) {
			r.change(g)
		}
		r.printf("\n")
	}
	r.printf("%s\n", SummaryLine(p.Summarize()))
}

// SummaryLine is a plan's last line: "Plan: A to add, C to change, D to
// destroy." and the account and credential counts after it.
func SummaryLine(s plan.Summary) string {
	line := fmt.Sprintf("Plan: %d to add, %d to change, %d to destroy.", s.Add, s.Change, s.Destroy)
	if s.Accounts > 0 || s.AccountsChanged > 0 {
		line += fmt.Sprintf(" Accounts: %d to create", s.Accounts)
		if s.AccountsChanged > 0 {
			line += fmt.Sprintf(", %d to change or remove", s.AccountsChanged)
		}
		line += "."
	}
	if s.Credentials > 0 {
		line += fmt.Sprintf(" Credentials: %d to send.", s.Credentials)
	}
	return line
}

func symbol(a plan.Action) (string, string) {
	switch a {
	case plan.Create, plan.IssueCredential:
		return "+", green
	case plan.Update, plan.Deactivate:
		return "~", yellow
	case plan.Delete:
		return "-", red
	}
	panic(fmt.Sprintf("render: unknown action %d", int(a)))
}

// run is one change, or a run of like changes rendered as one line.
type run struct {
	first plan.Change
	count int
	// last is the last change of the run.
	last plan.Change
}

// groupMin is the fewest like records that group into one line.
const groupMin = 4

// group folds runs of record changes (staff, users, credentials) with the
// same resource, action, hospital, staff type and (for accounts) role into
// one line each. Generated (numeric) indices group only while they are
// consecutive, so a grouped line never claims a range it does not cover.
func group(changes []plan.Change, detail bool) []run {
	var out []run
	for _, c := range changes {
		if !detail && len(out) > 0 && groupable(c) && sameGroup(out[len(out)-1].last, c) {
			g := &out[len(out)-1]
			g.count++
			g.last = c
			continue
		}
		out = append(out, run{first: c, count: 1, last: c})
	}
	// Split short runs back into single lines.
	var final []run
	i := 0
	for _, g := range out {
		if g.count > 1 && g.count < groupMin {
			for k := 0; k < g.count; k++ {
				final = append(final, run{first: changes[i+k], count: 1, last: changes[i+k]})
			}
		} else {
			final = append(final, g)
		}
		i += g.count
	}
	return final
}

func groupable(c plan.Change) bool {
	switch c.Resource {
	case plan.Staff, plan.User, plan.Credential:
		return c.Action != plan.Update
	case plan.Hospital, plan.Department:
		return false
	}
	return false
}

// sameGroup reports whether b may follow a (the last change of a run) on
// the same grouped line.
func sameGroup(a, b plan.Change) bool {
	if a.Resource != b.Resource || a.Action != b.Action || a.Hospital != b.Hospital ||
		addrStem(a.Address) != addrStem(b.Address) || userRole(a) != userRole(b) {
		return false
	}
	ai, aNum := numericIndex(a.Address)
	bi, bNum := numericIndex(b.Address)
	if aNum != bNum {
		return false
	}
	return !aNum || bi == ai+1
}

// userRole is the role a user change grants, or "" for other changes.
func userRole(c plan.Change) string {
	a := c.After
	if a == nil {
		a = c.Before
	}
	if u, ok := a.(*plan.UserAttrs); ok {
		return u.Role
	}
	return ""
}

// numericIndex is an address's [index] as a number, when it is one.
func numericIndex(addr string) (int, bool) {
	n, err := strconv.Atoi(addrIndex(addr))
	return n, err == nil
}

// addrStem is an address without its [index].
func addrStem(addr string) string {
	if i := strings.LastIndexByte(addr, '['); i >= 0 {
		return addr[:i]
	}
	return addr
}

func addrIndex(addr string) string {
	if i := strings.LastIndexByte(addr, '['); i >= 0 {
		return strings.TrimSuffix(addr[i+1:], "]")
	}
	return ""
}

// groupAddr is the address shown for a run: a range for consecutive
// generated indices, or the first and last keys and the count for rows
// keyed by name (which form no range).
func groupAddr(g run) string {
	first, last := addrIndex(g.first.Address), addrIndex(g.last.Address)
	if _, ok := numericIndex(g.first.Address); ok {
		return fmt.Sprintf("%s[%s..%s]", addrStem(g.first.Address), first, last)
	}
	return fmt.Sprintf("%s[%d rows: %s … %s]", addrStem(g.first.Address), g.count, first, last)
}

func (r *textRenderer) change(g run) {
	c := g.first
	sym, color := symbol(c.Action)
	if g.count > 1 {
		r.printf("  %s %s  %s\n", r.paint(color, sym), r.paint(bold, groupAddr(g)), groupNote(c, g.count))
		return
	}
	r.printf("  %s %s  %s\n", r.paint(color, sym), r.paint(bold, c.Address), describe(c))
	if c.Action == plan.Update || c.Action == plan.Deactivate {
		for _, d := range attrDiff(c.Before, c.After) {
			r.printf("      %s %s: %q → %q\n", r.paint(yellow, "~"), d.name, d.before, d.after)
		}
	}
}

func groupNote(c plan.Change, n int) string {
	verb := map[plan.Action]string{plan.Create: "to create", plan.Delete: "to destroy",
		plan.Deactivate: "to deactivate", plan.IssueCredential: "to send", plan.Update: "to change"}[c.Action]
	noun := map[plan.Resource]string{plan.Staff: "staff", plan.User: "accounts", plan.Credential: "credential emails"}[c.Resource]
	note := fmt.Sprintf("%d %s %s", n, noun, verb)
	if u, ok := c.After.(*plan.UserAttrs); ok && c.Action == plan.Create {
		note += fmt.Sprintf(" (role: %s)", u.Role)
	}
	return note
}

// describe is the one-line summary of a single change.
func describe(c plan.Change) string {
	a := c.After
	if a == nil {
		a = c.Before
	}
	var s string
	switch v := a.(type) {
	case *plan.HospitalAttrs:
		s = fmt.Sprintf("%q %s", v.Name, v.NameAr)
	case *plan.DepartmentAttrs:
		s = fmt.Sprintf("%q %s", v.Name, v.NameAr)
	case *plan.StaffAttrs:
		s = fmt.Sprintf("%s %s %s (%s)", v.EmployeeID, v.FirstName, v.LastName, v.Gender)
		if v.Department != "" {
			s += " in " + v.Department
		}
	case *plan.UserAttrs:
		s = fmt.Sprintf("%s <%s> role: %s", v.Username, v.Email, v.Role)
	case *plan.CredentialAttrs:
		s = fmt.Sprintf("email credentials to %s", v.Email)
	}
	if c.Cause != "" && c.Action != plan.Create && c.Cause != "new account" {
		s += "  # " + c.Cause
	}
	return s
}

type attrChange struct{ name, before, after string }

// attrDiff lists the attributes that differ between two values of the same
// attribute type, by their JSON names.
func attrDiff(before, after plan.Attrs) []attrChange {
	if before == nil || after == nil {
		return nil
	}
	bv, av := reflect.ValueOf(before).Elem(), reflect.ValueOf(after).Elem()
	if bv.Type() != av.Type() {
		return nil
	}
	var out []attrChange
	for i := 0; i < bv.NumField(); i++ {
		f := bv.Type().Field(i)
		name := strings.Split(f.Tag.Get("json"), ",")[0]
		b, a := fmt.Sprint(bv.Field(i).Interface()), fmt.Sprint(av.Field(i).Interface())
		if b != a {
			out = append(out, attrChange{name, b, a})
		}
	}
	return out
}
