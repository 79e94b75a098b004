package render_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/px360/staffseed/apply"
	"github.com/px360/staffseed/internal/render"
	"github.com/px360/staffseed/plan"
)

func userCreated(name string) apply.Event {
	return apply.Event{Kind: apply.Applied, Change: plan.Change{Resource: plan.User, Action: plan.Create,
		After: &plan.UserAttrs{Username: name, Role: "staff"}}}
}

// TestApplyViewProgressBar: with a bar, progress goes to the bar's writer
// (count and percentage), record lines and the summary to the main one.
func TestApplyViewProgressBar(t *testing.T) {
	var out, bar bytes.Buffer
	v := render.NewApplyView(&out, false)
	v.ShowProgressBar(&bar)
	v.Report(apply.Event{Kind: apply.Progress, Phase: "creating", Total: 300})
	v.Report(userCreated("areej.alghanim"))
	v.Report(apply.Event{Kind: apply.Progress, Phase: "creating", Done: 300, Total: 300})
	v.Finish(&apply.Result{Created: 300, Accounts: 300, CredentialsSent: 300}, nil)
	if !strings.Contains(bar.String(), "creating") || !strings.Contains(bar.String(), "0/300") || !strings.Contains(bar.String(), "%") {
		t.Errorf("bar output lacks phase, count or percentage: %q", bar.String())
	}
	for _, want := range []string{"✓ Created user: areej.alghanim (role: staff)\n", "Apply complete! Resources: 300 added"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "creating") {
		t.Errorf("progress went to the record output:\n%s", out.String())
	}
}

// TestApplyViewPlainProgress: without a bar, a large phase gets a line per
// tenth, a small one none.
func TestApplyViewPlainProgress(t *testing.T) {
	var out bytes.Buffer
	v := render.NewApplyView(&out, false)
	for done := 0; done <= 2000; done += 100 {
		v.Report(apply.Event{Kind: apply.Progress, Phase: "creating", Done: done, Total: 2000})
	}
	v.Report(apply.Event{Kind: apply.Progress, Phase: "credentials", Done: 5, Total: 5})
	if n := strings.Count(out.String(), "creating… "); n != 10 {
		t.Errorf("%d progress lines for 2000 records, want 10:\n%s", n, out.String())
	}
	if !strings.Contains(out.String(), "creating… 2000/2000 (100%)") || strings.Contains(out.String(), "credentials…") {
		t.Errorf("progress lines:\n%s", out.String())
	}
}

// TestApplyViewSummary: pending credentials and failed changes are named
// in the summary, and a stop on request says how to finish.
func TestApplyViewSummary(t *testing.T) {
	var out bytes.Buffer
	v := render.NewApplyView(&out, false)
	r := &apply.Result{Created: 5, Accounts: 5, CredentialsSent: 4, CredentialsPending: 1,
		Failures: []apply.Failure{{Address: "credential.N.nurse[0]", Err: errors.New("refused")},
			{Address: "staff.N.nurse[1]", Err: errors.New("exists")}}}
	v.Finish(r, &apply.PartialError{Result: r})
	for _, want := range []string{"Apply incomplete!", "Credentials: 4 sent, 1 pending", "1 change(s) failed"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	v.Finish(&apply.Result{Created: 20}, apply.ErrStopped)
	if !strings.Contains(out.String(), "Run apply again to finish") {
		t.Errorf("stopped summary:\n%s", out.String())
	}
}

// TestApplyViewInterruptedCredentials: credential emails left unsent by an
// interrupt make one line, not one per message.
func TestApplyViewInterruptedCredentials(t *testing.T) {
	var out bytes.Buffer
	v := render.NewApplyView(&out, false)
	for _, email := range []string{"a@example.org", "b@example.org", "c@example.org"} {
		v.Report(apply.Event{Kind: apply.CredentialFailed, Err: apply.ErrInterrupted,
			Change: plan.Change{Resource: plan.Credential, Action: plan.IssueCredential, After: &plan.CredentialAttrs{Email: email}}})
	}
	v.Finish(&apply.Result{Accounts: 3, CredentialsPending: 3}, errors.New("apply interrupted: context canceled"))
	if strings.Contains(out.String(), "Failed to send") {
		t.Errorf("each unsent email got a line:\n%s", out.String())
	}
	if want := "3 credential email(s) not sent: interrupted; the next apply sends them."; strings.Count(out.String(), want) != 1 {
		t.Errorf("output lacks %q once:\n%s", want, out.String())
	}
}
