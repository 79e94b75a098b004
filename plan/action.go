package plan

import "fmt"

// Action is what a change does to its resource.
type Action int

// The actions. Every consumer switches over all of them.
const (
	Create Action = iota + 1
	Update
	Delete
	// Deactivate keeps a user row but turns is_active off.
	Deactivate
	// IssueCredential sets a fresh password and emails it.
	IssueCredential
)

// String is the action as a word.
func (a Action) String() string {
	switch a {
	case Create:
		return "create"
	case Update:
		return "update"
	case Delete:
		return "delete"
	case Deactivate:
		return "deactivate"
	case IssueCredential:
		return "send"
	}
	panic(fmt.Sprintf("plan: unknown action %d", int(a)))
}

// JSONActions are the action words of the JSON format, which knows only
// create, update and delete.
func (a Action) JSONActions() []string {
	switch a {
	case Create, IssueCredential:
		return []string{"create"}
	case Update, Deactivate:
		return []string{"update"}
	case Delete:
		return []string{"delete"}
	}
	panic(fmt.Sprintf("plan: unknown action %d", int(a)))
}

// Resource is the kind of thing a change is about.
type Resource int

// The resources.
const (
	Hospital Resource = iota + 1
	Department
	Staff
	User
	Credential
)

// String is the resource as the first word of an address.
func (r Resource) String() string {
	switch r {
	case Hospital:
		return "hospital"
	case Department:
		return "department"
	case Staff:
		return "staff"
	case User:
		return "user"
	case Credential:
		return "credential"
	}
	panic(fmt.Sprintf("plan: unknown resource %d", int(r)))
}
