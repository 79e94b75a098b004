package seedstaff

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/px360/staffseed/apply"
	"github.com/px360/staffseed/internal/spec"
	"github.com/px360/staffseed/plan"
)

// rule is the old command's banner line.
var rule = strings.Repeat("=", 60)

// labels are the old command's names of the staff types: its section
// titles, and its summary lines.
var labels = map[spec.StaffType]struct{ section, summary string }{
	spec.Physician: {"Physician", "Physicians"},
	spec.Nurse:     {"Nurse", "Nurses"},
	spec.Admin:     {"Administrative", "Admin staff"},
}

// View prints a seed-staff run in the old command's output shape. Apply
// works hospital by hospital and phase by phase, while the old command
// reported staff type by staff type, so the view collects apply's events
// and prints them per type when the run is over (Finish).
type View struct {
	w   io.Writer
	req Request
	// sections hold each staff type's records in the order apply first
	// reported them.
	sections map[spec.StaffType]*section
	// pending counts the credentials left pending because the mail setup
	// cannot send them (MailProblem).
	pending int
	// interrupted counts the credential emails an interrupt left unsent.
	interrupted int
}

// section is what happened to the staff of one type.
type section struct {
	order                     []string // staff keys
	records                   map[string]*entry
	created, updated, removed int
}

// entry is what happened to one staff member.
type entry struct {
	lines []string
	// staffErr is a failed staff row without an account to report it by.
	staffErr string
	failed   bool
}

// NewView returns a view of the run r writing to w.
func NewView(w io.Writer, r Request) *View {
	v := &View{w: w, req: r, sections: map[spec.StaffType]*section{}}
	for _, t := range spec.StaffTypes {
		v.sections[t] = &section{records: map[string]*entry{}}
	}
	return v
}

func (v *View) printf(format string, args ...any) { _, _ = fmt.Fprintf(v.w, format, args...) }

// Banner opens the output.
func (v *View) Banner() {
	v.printf("%s\nStaff Data Seeding Command\n%s\n", rule, rule)
}

// NoHospitals says that there is nothing to seed; code is the
// --hospital-code given, if any.
func (v *View) NoHospitals(code string) {
	if code != "" {
		v.printf("No hospitals found with code %s.\n", code)
	} else {
		v.printf("No hospitals found.\n")
	}
	v.printf("Create hospitals first, using the hospital seed command or manually (or with `staffseed apply` and a spec that defines them).\n")
}

// Configuration prints how many hospitals were found and the settings of
// the run.
func (v *View) Configuration(hospitals int) {
	o := v.req.Options
	v.printf("Found %d hospital(s) to seed staff\n\n", hospitals)
	v.printf("Configuration:\n")
	v.printf("  Physicians per hospital: %d\n", o.Counts[spec.Physician])
	v.printf("  Nurses per hospital: %d\n", o.Counts[spec.Nurse])
	v.printf("  Admin staff per hospital: %d\n", o.Counts[spec.Admin])
	v.printf("  Total staff per hospital: %d\n", o.Total())
	v.printf("  Create user accounts: %s\n", pyBool(o.CreateUsers))
	v.printf("  Send credential emails: %s\n", pyBool(o.SendEmails))
	v.printf("  Clear existing: %s\n", pyBool(o.Clear))
	v.printf("  Dry run: %s\n", pyBool(o.DryRun))
}

// NoDepartments warns that a hospital's staff get no department.
func (v *View) NoDepartments(code, name string) {
	if name == "" || name == code {
		v.printf("⚠ No departments found for %s: its staff will be created without departments\n", code)
		return
	}
	v.printf("⚠ No departments found for %s (%s): its staff will be created without departments\n", name, code)
}

// pyBool spells a boolean as the old command did.
func pyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// typeOf is the staff type a change is about, from its staff attributes or
// from the staff key (CODE/type/index) of an account or credential.
func typeOf(c plan.Change) (spec.StaffType, string) {
	attrs := c.After
	if attrs == nil {
		attrs = c.Before
	}
	var key string
	switch a := attrs.(type) {
	case *plan.StaffAttrs:
		key = a.Key
		if key == "" {
			key = c.Address
		}
		return spec.StaffType(a.StaffType), key
	case *plan.UserAttrs:
		key = a.StaffKey
	case *plan.CredentialAttrs:
		key = a.StaffKey
	default:
		return "", c.Address
	}
	parts := strings.Split(key, "/")
	if len(parts) == 3 {
		return spec.StaffType(parts[1]), key
	}
	return "", key
}

// record returns the entry of the change's staff member and its section.
func (v *View) record(c plan.Change) (*section, *entry) {
	t, key := typeOf(c)
	return v.entry(t, key)
}

// entry returns the entry of the staff member with key, of type t, and its
// section.
func (v *View) entry(t spec.StaffType, key string) (*section, *entry) {
	sec, ok := v.sections[t]
	if !ok {
		sec = v.sections[spec.Physician] // not reached for generated staff
	}
	e, ok := sec.records[key]
	if !ok {
		e = &entry{}
		sec.records[key] = e
		sec.order = append(sec.order, key)
	}
	return sec, e
}

func (e *entry) add(format string, args ...any) {
	e.lines = append(e.lines, fmt.Sprintf(format, args...))
}

// Report collects one event of apply.
func (v *View) Report(ev apply.Event) {
	if ev.Kind == apply.Progress {
		return
	}
	c := ev.Change
	if c.Resource == plan.Hospital || c.Resource == plan.Department {
		return
	}
	sec, e := v.record(c)
	switch ev.Kind {
	case apply.Applied:
		v.applied(sec, e, c)
	case apply.CredentialSent:
		e.add("✓ Sent credential email to: %s", c.After.(*plan.CredentialAttrs).Email)
	case apply.CredentialFailed:
		if errors.Is(ev.Err, apply.ErrInterrupted) {
			v.interrupted++
			return
		}
		e.add("⚠ Failed to send email: %v", ev.Err)
	case apply.Failed:
		e.failed = true
		v.failed(e, c, ev.Err)
	case apply.Progress:
	}
}

func (v *View) applied(sec *section, e *entry, c plan.Change) {
	switch c.Resource {
	case plan.Staff:
		sec.count(c.Action)
	case plan.User:
		u, _ := c.After.(*plan.UserAttrs)
		switch c.Action {
		case plan.Create:
			e.add("✓ Created user: %s (role: %s)", u.Username, u.Role)
			if v.req.sendsCredentials() && v.req.MailProblem != "" {
				e.add("⚠ Failed to send email: %s", v.req.MailProblem)
				v.pending++
			}
		case plan.Update:
			e.add("✓ Granted role %s to user: %s", u.Role, u.Username)
		case plan.Delete:
			e.add("✓ Deleted user: %s", c.Before.(*plan.UserAttrs).Username)
		case plan.Deactivate:
			e.add("✓ Deactivated user: %s", c.Before.(*plan.UserAttrs).Username)
		case plan.IssueCredential:
		}
	case plan.Hospital, plan.Department, plan.Credential:
	}
}

func (v *View) failed(e *entry, c plan.Change, err error) {
	switch {
	case c.Resource == plan.User && c.Action == plan.Create:
		u := c.After.(*plan.UserAttrs)
		e.staffErr = ""
		e.add("✗ Failed to create user for %s %s: %v", u.FirstName, u.LastName, err)
	case c.Resource == plan.Staff && c.Action == plan.Create:
		s := c.After.(*plan.StaffAttrs)
		e.staffErr = fmt.Sprintf("✗ Failed to create staff %s %s: %v", s.FirstName, s.LastName, err)
	default:
		e.add("✗ Failed to %s %s: %v", c.Action, c.Address, err)
	}
}

// PendingAccount is an account whose credentials an earlier run created
// but could not send.
type PendingAccount struct {
	StaffKey string // CODE/type/index
	Username string
}

// Pending lists, each in its staff type's section, the accounts whose
// credentials are still pending when this run cannot send them either
// (credentials requested, and a MailProblem). Call it before apply starts.
func (v *View) Pending(accounts []PendingAccount) {
	if !v.req.sendsCredentials() || v.req.MailProblem == "" {
		return
	}
	for _, a := range accounts {
		parts := strings.Split(a.StaffKey, "/")
		if len(parts) != 3 {
			continue
		}
		_, e := v.entry(spec.StaffType(parts[1]), a.StaffKey)
		e.add("• User: %s (credentials pending since an earlier run)", a.Username)
		e.add("⚠ Failed to send email: %s", v.req.MailProblem)
		v.pending++
	}
}

// Finish prints every staff type's section, then the summary. It returns
// an error when the run did not do all it should; the next run finishes it.
// Credentials left pending are counted, and then the run does not claim
// success.
func (v *View) Finish(res *apply.Result, err error) error {
	v.sectionsAndSummary(false)
	if v.interrupted > 0 {
		v.printf("⚠ %d credential email(s) not sent: interrupted; the next run sends them.\n", v.interrupted)
	}
	if v.pending > 0 {
		v.printf("⚠ %d credential(s) pending: %s. Configure email (EMAIL_HOST, EMAIL_PORT, …) and run the same command again to send them.\n", v.pending, v.req.MailProblem)
	}
	var partial *apply.PartialError
	switch {
	case err == nil && v.pending > 0:
		v.printf("Staff seeding completed; %d credential email(s) not sent.\n", v.pending)
		return nil
	case err == nil:
		v.printf("Staff seeding completed successfully!\n")
		return nil
	case errors.As(err, &partial):
		v.printf("Staff seeding completed with %d error(s). Run the same command again to finish: it creates only what is missing and sends pending credentials.\n", len(partial.Result.Failures))
		return &unfinishedError{partial}
	default:
		v.printf("Staff seeding stopped: %v\n", err)
		return err
	}
}

// unfinishedError is a seed-staff run that did part of its work, worded
// as seed-staff (the view has listed each failure already).
type unfinishedError struct{ partial *apply.PartialError }

func (e *unfinishedError) Error() string {
	return fmt.Sprintf("seed-staff finished with %d failure(s); run the same command again to finish",
		len(e.partial.Result.Failures))
}

func (e *unfinishedError) Unwrap() error { return e.partial }

// DryRun prints what a run would do, from its plan, in the same shape.
func (v *View) DryRun(p *plan.Plan) {
	for _, c := range p.Changes {
		if c.Resource == plan.Hospital || c.Resource == plan.Department {
			continue
		}
		sec, e := v.record(c)
		switch c.Resource {
		case plan.Staff:
			sec.count(c.Action)
			if c.Action == plan.Delete {
				e.add("- Would remove staff: %s", removedStaff(c))
			}
		case plan.User:
			switch c.Action {
			case plan.Create:
				u := c.After.(*plan.UserAttrs)
				e.add("+ Would create user: %s (role: %s)", u.Username, u.Role)
				if v.req.sendsCredentials() && v.req.MailProblem != "" {
					e.add("⚠ Would fail to send email: %s", v.req.MailProblem)
				}
			case plan.Update:
				u := c.After.(*plan.UserAttrs)
				e.add("+ Would grant role %s to user: %s", u.Role, u.Username)
			case plan.Delete, plan.Deactivate:
				e.add("- Would %s user: %s", c.Action, c.Before.(*plan.UserAttrs).Username)
			case plan.IssueCredential:
			}
		case plan.Credential:
			e.add("+ Would send credential email to: %s", c.After.(*plan.CredentialAttrs).Email)
		case plan.Hospital, plan.Department:
		}
	}
	v.sectionsAndSummary(true)
	v.printf("Dry run: nothing was written to the database and no email was sent.\n")
}

// removedStaff names a staff row a plan removes: employee ID, name,
// hospital, and whether another program made it.
func removedStaff(c plan.Change) string {
	r := c.Before.(*plan.StaffAttrs)
	s := fmt.Sprintf("%s %s %s (%s", r.EmployeeID, r.FirstName, r.LastName, c.Hospital)
	if r.Key == "" {
		s += "; not created by seed-staff"
	}
	return s + ")"
}

// count adds a staff change to the section's totals.
func (sec *section) count(a plan.Action) {
	switch a {
	case plan.Create:
		sec.created++
	case plan.Update:
		sec.updated++
	case plan.Delete:
		sec.removed++
	case plan.Deactivate, plan.IssueCredential:
	}
}

// sectionsAndSummary prints the per-type sections and the summary of what
// was done, or with would, of what a run would do.
func (v *View) sectionsAndSummary(would bool) {
	verb := func(past, present string) string {
		if would {
			return "Would " + present
		}
		return "✓ " + past
	}
	total, removed := 0, 0
	for _, t := range spec.StaffTypes {
		sec := v.sections[t]
		label := labels[t].section
		v.printf("\nSeeding %s...\n", label)
		for _, key := range sec.order {
			e := sec.records[key]
			for _, l := range e.lines {
				v.printf("%s\n", l)
			}
			if e.staffErr != "" {
				v.printf("%s\n", e.staffErr)
			}
		}
		if sec.removed > 0 {
			v.printf("%s %d %s\n", verb("Removed", "remove"), sec.removed, label)
		}
		if sec.updated > 0 {
			v.printf("%s %d %s\n", verb("Updated", "update"), sec.updated, label)
		}
		v.printf("%s %d %s\n", verb("Created", "create"), sec.created, label)
		total += sec.created
		removed += sec.removed
	}
	done := "created"
	if would {
		done = "to create"
	}
	v.printf("\n%s\nSummary:\n", rule)
	for _, t := range spec.StaffTypes {
		v.printf("  %s %s: %d\n", labels[t].summary, done, v.sections[t].created)
	}
	v.printf("  Total staff %s: %d\n", done, total)
	if removed > 0 {
		if would {
			v.printf("  Staff to remove: %d\n", removed)
		} else {
			v.printf("  Staff removed: %d\n", removed)
		}
	}
	v.printf("%s\n", rule)
}
