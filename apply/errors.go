package apply

import (
	"errors"
	"fmt"
	"strings"
)

// ErrStopped is returned when Options.Stop was closed: the batch under way
// was committed and its emails sent and recorded, and nothing more was
// started. The next apply finishes the job.
var ErrStopped = errors.New("apply stopped on request after the current batch; run apply again to finish")

// Result counts what an apply did.
type Result struct {
	Created, Updated, Deleted int // hospitals, departments, staff
	Accounts                  int // user accounts created
	AccountsChanged           int // accounts updated, deactivated or deleted
	CredentialsSent           int
	CredentialsPending        int // credential emails that failed; the next apply retries them
	Failures                  []Failure
}

// Failure is a change that did not go through.
type Failure struct {
	Address string
	Err     error
}

// PartialError is returned when an apply did part of the plan: Result says
// what was done and Failures what was not.
type PartialError struct {
	Result *Result
}

func (e *PartialError) Error() string {
	r := e.Result
	var b strings.Builder
	fmt.Fprintf(&b, "apply finished with %d failure(s): %d added, %d changed, %d destroyed, %d accounts created, %d credentials sent, %d credentials pending",
		len(r.Failures), r.Created, r.Updated, r.Deleted, r.Accounts, r.CredentialsSent, r.CredentialsPending)
	for i, f := range r.Failures {
		if i == 10 {
			fmt.Fprintf(&b, "\n  … and %d more", len(r.Failures)-10)
			break
		}
		fmt.Fprintf(&b, "\n  %s: %v", f.Address, f.Err)
	}
	return b.String()
}
