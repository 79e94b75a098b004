package render

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
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

// JSON writes a plan as one indented JSON document. The changes are
// encoded one at a time straight to w, so that a plan of 100,000 changes
// is never held as one document in memory; the bytes are those of
// encoding ToJSON(p) whole with a json.Encoder indenting by two spaces.
func JSON(w io.Writer, p *plan.Plan) error {
	doc := ToJSON(p)
	changes := doc.Changes
	doc.Changes = nil
	head, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	const slot = "\n  \"changes\": null"
	before, after, ok := bytes.Cut(head, []byte(slot))
	if !ok {
		return errors.New("render JSON: no changes slot in the document")
	}
	bw := bufio.NewWriter(w)
	bw.Write(before)
	bw.WriteString("\n  \"changes\": [")
	if len(changes) == 0 {
		bw.WriteString("]")
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("    ", "  ")
	for i := range changes {
		buf.Reset()
		if err := enc.Encode(&changes[i]); err != nil {
			return err
		}
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n    ")
		bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	}
	if len(changes) > 0 {
		bw.WriteString("\n  ]")
	}
	bw.Write(after)
	bw.WriteString("\n")
	return bw.Flush()
}
