package render

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/px360/staffseed/apply"
	"github.com/px360/staffseed/plan"
	"github.com/schollz/progressbar/v3"
)

// ApplyView prints what apply does as it happens, one line per account and
// credential email in the style of the old seed_staff command, and the
// progress of each phase: a progress bar with count, percentage and ETA on
// a terminal (see ShowProgressBar), else a plain line every tenth of a
// large phase.
type ApplyView struct {
	w       io.Writer
	color   bool
	lastPct map[string]int

	barW  io.Writer // where the bar goes; nil: plain lines
	bar   *progressbar.ProgressBar
	phase string

	destroy bool // the plan is a destroy: the closing line says so

	// interrupted counts the credential emails not sent because apply
	// was interrupted; Finish says so in one line.
	interrupted int
}

// NewApplyView returns a view writing to w.
func NewApplyView(w io.Writer, color bool) *ApplyView {
	return &ApplyView{w: w, color: color, lastPct: map[string]int{}}
}

// SetDestroy says the plan applied is a destroy (destroy, or a saved
// plan --destroy): the closing line reads "Destroy complete!".
func (v *ApplyView) SetDestroy(destroy bool) { v.destroy = destroy }

// ShowProgressBar draws phases' progress as a bar on w (a terminal,
// usually stderr) instead of plain lines. The bar is cleared before each
// record line, and drawn again after it.
func (v *ApplyView) ShowProgressBar(w io.Writer) { v.barW = w }

// progress moves the bar of e's phase, starting a new bar for a new phase.
func (v *ApplyView) progress(e apply.Event) {
	if v.bar == nil || v.phase != e.Phase {
		v.endBar()
		v.phase = e.Phase
		v.bar = progressbar.NewOptions(e.Total,
			progressbar.OptionSetWriter(v.barW),
			progressbar.OptionSetDescription(e.Phase),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetRenderBlankState(true))
	}
	_ = v.bar.Set(e.Done)
}

// endBar clears the bar of the phase that ended.
func (v *ApplyView) endBar() {
	if v.bar != nil {
		_ = v.bar.Clear()
		v.bar = nil
	}
}

// line prints one record line, keeping the bar below it.
func (v *ApplyView) line(format string, args ...any) {
	if v.bar != nil {
		_ = v.bar.Clear()
	}
	fmt.Fprintf(v.w, format, args...)
	if v.bar != nil {
		_ = v.bar.RenderBlank()
	}
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
		v.line("%s Sent credential email to: %s\n", v.paint(green, "✓"), e.Change.After.(*plan.CredentialAttrs).Email)
	case apply.CredentialFailed:
		if errors.Is(e.Err, apply.ErrInterrupted) {
			v.interrupted++
			return
		}
		v.line("%s Failed to send email to %s: %v\n", v.paint(yellow, "⚠"), e.Change.After.(*plan.CredentialAttrs).Email, e.Err)
	case apply.Failed:
		if u, ok := e.Change.After.(*plan.UserAttrs); ok && e.Change.Action == plan.Create {
			v.line("%s Failed to create user for %s %s: %v\n", v.paint(red, "✗"), u.FirstName, u.LastName, e.Err)
			return
		}
		v.line("%s %s: %v\n", v.paint(red, "✗"), e.Change.Address, e.Err)
	case apply.Progress:
		if v.barW != nil {
			v.progress(e)
			return
		}
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
		v.line("%s %s: %s\n", v.paint(green, "✓"), c.Address, past(c.Action))
	case plan.User:
		u := c.After
		if u == nil {
			u = c.Before
		}
		ua := u.(*plan.UserAttrs)
		switch c.Action {
		case plan.Create:
			v.line("%s Created user: %s (role: %s)\n", v.paint(green, "✓"), ua.Username, ua.Role)
		case plan.Update, plan.Deactivate, plan.Delete, plan.IssueCredential:
			v.line("%s %s user: %s\n", v.paint(green, "✓"), capitalize(past(c.Action)), ua.Username)
		}
	case plan.Staff:
		if c.Action != plan.Create {
			v.line("%s %s: %s\n", v.paint(green, "✓"), c.Address, past(c.Action))
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

// Finish prints the closing summary of an apply: what was applied, which
// credentials are pending and how many changes failed.
func (v *ApplyView) Finish(r *apply.Result, err error) {
	v.endBar()
	if v.interrupted > 0 {
		fmt.Fprintf(v.w, "%s %d credential email(s) not sent: interrupted; the next apply sends them.\n", v.paint(yellow, "⚠"), v.interrupted)
	}
	if r == nil {
		return
	}
	var partial *apply.PartialError
	what := "Apply"
	if v.destroy {
		what = "Destroy"
	}
	head := v.paint(green+bold, what+" complete!")
	if err != nil {
		head = v.paint(red+bold, what+" incomplete!")
	}
	fmt.Fprintf(v.w, "\n%s Resources: %d added, %d changed, %d destroyed. Accounts: %d created, %d changed or removed. Credentials: %d sent",
		head, r.Created, r.Updated, r.Deleted, r.Accounts, r.AccountsChanged, r.CredentialsSent)
	if r.CredentialsPending > 0 {
		fmt.Fprintf(v.w, ", %d pending (the next apply sends them with new passwords)", r.CredentialsPending)
	}
	fmt.Fprintln(v.w, ".")
	if failed := len(r.Failures) - r.CredentialsPending; failed > 0 {
		fmt.Fprintf(v.w, "%s %d change(s) failed (marked ✗ above); the next apply tries them again.\n", v.paint(red, "✗"), failed)
	}
	switch {
	case errors.Is(err, apply.ErrStopped):
		fmt.Fprintln(v.w, "Stopped after the batch under way, as asked. Run apply again to finish: the next plan shows what is left.")
	case err != nil && !errors.As(err, &partial):
		fmt.Fprintln(v.w, "What is not done yet shows in the next plan; the next apply finishes it.")
	}
}
