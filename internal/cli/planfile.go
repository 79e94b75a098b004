package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/px360/staffseed/internal/store"
	"github.com/px360/staffseed/plan"
)

// savePlan writes a plan readable only by its owner: it names every new
// account, though it holds no secret.
func savePlan(path string, p *plan.Plan) error {
	data, err := plan.Encode(p)
	if err != nil {
		return fmt.Errorf("save plan: %w", err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return fmt.Errorf("save plan: %w", err)
	}
	return os.Chmod(path, 0o600)
}

// checkOut refuses to save a plan over one of the spec's files, or over
// an existing file that is not a saved plan; an old plan may be replaced.
func checkOut(out string, specFiles []string) error {
	info, err := os.Stat(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("--out %s: %w", out, err)
	}
	if info.IsDir() {
		return fmt.Errorf("--out %s is a directory: name the plan file to write", out)
	}
	for _, f := range specFiles {
		if fi, err := os.Stat(f); err == nil && os.SameFile(fi, info) {
			return fmt.Errorf("--out %s is a file of the spec: the plan would overwrite it; save the plan under another name (e.g. --out staffseed.plan)", out)
		}
	}
	data, err := os.ReadFile(out)
	if err != nil {
		return fmt.Errorf("--out %s: %w", out, err)
	}
	if _, err := plan.Decode(data); errors.Is(err, plan.ErrNotAPlan) {
		return fmt.Errorf("--out %s exists and is not a staffseed plan: not overwriting it; remove it or choose another name", out)
	}
	return nil
}

// loadPlan reads a plan saved by `plan --out`. Given a spec instead, it
// says how to apply a spec.
func loadPlan(path string) (*plan.Plan, error) {
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return nil, notAPlan(path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read plan: %w", err)
	}
	p, err := plan.Decode(data)
	if errors.Is(err, plan.ErrNotAPlan) {
		if looksLikeSpec(path, data) {
			return nil, notAPlan(path)
		}
		return nil, fmt.Errorf("%s is %w (make one with `staffseed plan -f SPEC --out %s`)", path, err, path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// notAPlan is the error of `apply SPEC`, where -f was forgotten.
func notAPlan(path string) error {
	return fmt.Errorf("%s is not a saved plan: to apply a spec, run `staffseed apply -f %s`", path, path)
}

// looksLikeSpec reports whether a file that is not a saved plan is rather
// a spec: named like one, or not even the start of a JSON object.
func looksLikeSpec(path string, data []byte) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml", ".hcl":
		return true
	}
	return !bytes.HasPrefix(bytes.TrimSpace(data), []byte("{"))
}

// checkSaved refuses a saved plan made against another database or a state
// that has changed since, saying what changed.
func checkSaved(ctx context.Context, db *store.DB, p *plan.Plan) error {
	id, err := db.Identity(ctx)
	if err != nil {
		return err
	}
	if id != p.Database {
		return fmt.Errorf("the saved plan was made against another database (%s); this is %s: make a plan against this database", p.Database, id)
	}
	scope := p.Basis.Scope
	if scope == nil {
		scope = p.Hospitals
	}
	st, err := db.Inspect(ctx, scope)
	if err != nil {
		return err
	}
	if store.Fingerprint(st) == p.Fingerprint {
		return nil
	}
	msg := "the saved plan is stale: the database changed since it was made"
	changes := p.Basis.Changes(store.Summarize(st, scope))
	if len(changes) == 0 {
		changes = []string{"rows outside the plan's hospitals changed"}
	}
	msg += ":\n  " + strings.Join(changes, "\n  ") + "\nnothing was done; run plan again (if this plan was applied already, there is nothing left to do)"
	return errors.New(msg)
}

// identify sets the plan's database identity, which a saved plan keeps.
func identify(ctx context.Context, db *store.DB, p *plan.Plan) error {
	id, err := db.Identity(ctx)
	p.Database = id
	return err
}

// deletionWarning says plainly what a plan deletes or deactivates, or is
// "" when it removes nothing. It is printed before the confirmation.
func deletionWarning(p *plan.Plan) string {
	var staff, users, deactivated int
	for _, c := range p.Changes {
		switch {
		case c.Action == plan.Delete && c.Resource == plan.User:
			users++
		case c.Action == plan.Delete:
			staff++
		case c.Action == plan.Deactivate:
			deactivated++
		}
	}
	if staff+users+deactivated == 0 {
		return ""
	}
	var parts []string
	if staff > 0 {
		parts = append(parts, fmt.Sprintf("DELETES %d staff row(s)", staff))
	}
	if users > 0 {
		parts = append(parts, fmt.Sprintf("DELETES %d user account(s)", users))
	}
	if deactivated > 0 {
		parts = append(parts, fmt.Sprintf("DEACTIVATES %d user account(s)", deactivated))
	}
	return "Warning: this plan " + strings.Join(parts, " and ") + ". Deleted rows cannot be restored."
}
