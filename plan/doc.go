// Package plan diffs the desired state of a spec against the state read
// from the database and returns a typed Plan: a closed set of changes, each
// with its address, action, before/after values and the cause behind it.
// It does no I/O and prints nothing; views render plans, apply executes them.
package plan
