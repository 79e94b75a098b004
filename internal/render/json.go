package render

import (
	"encoding/json"
	"io"

	"github.com/px360/staffseed/plan"
)

// JSONPlan is the documented JSON form of a plan (docs/json-format.md).
type JSONPlan struct {
	FormatVersion       string       `json:"format_version"`
	SpecDigest          string       `json:"spec_digest"`
	DatabaseFingerprint string       `json:"database_fingerprint"`
	Database            string       `json:"database"`
	Migrations          []string     `json:"migrations"`
	Changes             []JSONChange `json:"changes"`
	Warnings            []string     `json:"warnings"`
	Summary             JSONSummary  `json:"summary"`
}

// JSONChange is one change of a JSON plan.
type JSONChange struct {
	Address  string     `json:"address"`
	Resource string     `json:"resource"`
	Actions  []string   `json:"actions"`
	Hospital string     `json:"hospital"`
	Cause    string     `json:"cause"`
	Before   plan.Attrs `json:"before"`
	After    plan.Attrs `json:"after"`
}

// JSONSummary counts a JSON plan's changes.
type JSONSummary struct {
	Add      int `json:"add"`
	Change   int `json:"change"`
	Destroy  int `json:"destroy"`
	Accounts int `json:"accounts"`
	// AccountsChanged counts accounts updated, deactivated or deleted.
	AccountsChanged int  `json:"accounts_changed"`
	Credentials     int  `json:"credentials"`
	Migrations      int  `json:"migrations"`
	NoChanges       bool `json:"no_changes"`
}

// ToJSON converts a plan to its JSON form.
func ToJSON(p *plan.Plan) JSONPlan {
	s := p.Summarize()
	out := JSONPlan{
		FormatVersion:       p.FormatVersion,
		SpecDigest:          p.SpecDigest,
		DatabaseFingerprint: p.Fingerprint,
		Database:            p.Database,
		Migrations:          append([]string{}, p.Migrations...),
		Changes:             make([]JSONChange, 0, len(p.Changes)),
		Warnings:            append([]string{}, p.Warnings...),
		Summary: JSONSummary{Add: s.Add, Change: s.Change, Destroy: s.Destroy, Accounts: s.Accounts,
			AccountsChanged: s.AccountsChanged, Credentials: s.Credentials, Migrations: s.Migrations, NoChanges: p.Empty()},
	}
	for _, c := range p.Changes {
		out.Changes = append(out.Changes, JSONChange{
			Address: c.Address, Resource: c.Resource.String(), Actions: c.Action.JSONActions(),
			Hospital: c.Hospital, Cause: c.Cause, Before: c.Before, After: c.After,
		})
	}
	return out
}

// JSON writes a plan as one indented JSON document.
func JSON(w io.Writer, p *plan.Plan) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(ToJSON(p))
}
