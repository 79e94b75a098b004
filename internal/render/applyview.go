package render

import (
	"errors"
	"fmt"
	"io"

	"github.com/px360/staffseed/apply"
	"github.com/px360/staffseed/plan"
)

// ApplyView prints what apply does as it happens, one line per account and
// credential email in the style of the old seed_staff command, and progress
// lines per phase.
type ApplyView struct {
	w       io.Writer
	color   bool
	lastPct map[string]int
}

// NewApplyView returns a view writing to w.
func NewApplyView(w io.Writer, color bool) *ApplyView {
	return &ApplyView{w: w, color: color, lastPct: map[string]int{}}
}

func (v *ApplyView) paint(c, s string) string {
	if !v.color {
		return s
	}
	return c + s + reset
}

// Report prints one event.
func (v *ApplyView) Report(e apply.Event) {
	switch e.Kind {
	case apply.Applied:
		v.applied(e.Change)
	case apply.CredentialSent:
		fmt.Fprintf(v.w, "%s Sent credential email to: %s\n", v.paint(green, "✓"), e.Change.After.(*plan.CredentialAttrs).Email)
	case apply.CredentialFailed:
		fmt.Fprintf(v.w, "%s Failed to send email to %s: %v\n", v.paint(yellow, "⚠"), e.Change.After.(*plan.CredentialAttrs).Email, e.Err)
	case apply.Failed:
		if u, ok := e.Change.After.(*plan.UserAttrs); ok && e.Change.Action == plan.Create {
			fmt.Fprintf(v.w, "%s Failed to create user for %s %s: %v\n", v.paint(red, "✗"), u.FirstName, u.LastName, e.Err)
			return
		}
		fmt.Fprintf(v.w, "%s %s: %v\n", v.paint(red, "✗"), e.Change.Address, e.Err)
	case apply.Progress:
		pct := 100 * e.Done / max(e.Total, 1)
		if e.Total >= 1000 && pct/10 != v.lastPct[e.Phase]/10 || e.Done == e.Total && e.Total >= 1000 {
			fmt.Fprintf(v.w, "%s… %d/%d (%d%%)\n", e.Phase, e.Done, e.Total, pct)
		}
		v.lastPct[e.Phase] = pct
	}
}

func (v *ApplyView) applied(c plan.Change) {
	switch c.Resource {
	case plan.Hospital, plan.Department:
		fmt.Fprintf(v.w, "%s %s: %s\n", v.paint(green, "✓"), c.Address, past(c.Action))
	case plan.User:
		u := c.After
		if u == nil {
			u = c.Before
		}
		ua := u.(*plan.UserAttrs)
		switch c.Action {
		case plan.Create:
			fmt.Fprintf(v.w, "%s Created user: %s (role: %s)\n", v.paint(green, "✓"), ua.Username, ua.Role)
		case plan.Update, plan.Deactivate, plan.Delete, plan.IssueCredential:
			fmt.Fprintf(v.w, "%s %s user: %s\n", v.paint(green, "✓"), capitalize(past(c.Action)), ua.Username)
		}
	case plan.Staff:
		if c.Action != plan.Create {
			fmt.Fprintf(v.w, "%s %s: %s\n", v.paint(green, "✓"), c.Address, past(c.Action))
		}
	case plan.Credential:
	}
}

func past(a plan.Action) string {
	switch a {
	case plan.Create:
		return "created"
	case plan.Update:
		return "updated"
	case plan.Delete:
		return "destroyed"
	case plan.Deactivate:
		return "deactivated"
	case plan.IssueCredential:
		return "sent"
	}
	panic(fmt.Sprintf("render: unknown action %d", int(a)))
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// Finish prints the closing summary of an apply.
func (v *ApplyView) Finish(r *apply.Result, err error) {
	if r == nil {
		return
	}
	var partial *apply.PartialError
	head := v.paint(green+bold, "Apply complete!")
	if err != nil {
		head = v.paint(red+bold, "Apply incomplete!")
	}
	fmt.Fprintf(v.w, "\n%s Resources: %d added, %d changed, %d destroyed. Accounts: %d created, %d changed or removed. Credentials: %d sent",
		head, r.Created, r.Updated, r.Deleted, r.Accounts, r.AccountsChanged, r.CredentialsSent)
	if r.CredentialsPending > 0 {
		fmt.Fprintf(v.w, ", %d pending (the next apply sends them)", r.CredentialsPending)
	}
	fmt.Fprintln(v.w, ".")
	if err != nil && !errors.As(err, &partial) {
		fmt.Fprintln(v.w, "What is not done yet shows in the next plan; the next apply finishes it.")
	}
}
