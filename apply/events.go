package apply

import "github.com/px360/staffseed/plan"

// EventKind says what happened to a record.
type EventKind int

// The events apply reports.
const (
	// Applied: a change was committed to the database.
	Applied EventKind = iota + 1
	// CredentialSent: the mail server accepted a credential email.
	CredentialSent
	// CredentialFailed: a credential email was not delivered; the
	// credential stays pending.
	CredentialFailed
	// Failed: a change could not be applied.
	Failed
	// Progress: Done of Total records of a phase are through.
	Progress
)

// Event is one thing that happened during apply.
type Event struct {
	Kind   EventKind
	Change plan.Change
	Err    error
	// Phase, Done and Total describe progress.
	Phase       string
	Done, Total int
	// Result, on the progress events that end a committed batch, is what
	// the apply did so far; read it only during Report.
	Result *Result
}

// Reporter receives apply's events; views implement it. Calls come from
// one goroutine at a time.
type Reporter interface {
	Report(Event)
}

// ReporterFunc adapts a function to a Reporter.
type ReporterFunc func(Event)

// Report calls f(e).
func (f ReporterFunc) Report(e Event) { f(e) }
