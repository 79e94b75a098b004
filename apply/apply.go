package apply

import (
	"context"
	"errors"
	"fmt"
	"runtime"

	"github.com/px360/staffseed/internal/mail"
	"github.com/px360/staffseed/internal/store"
	"github.com/px360/staffseed/plan"
)

// Options configure an apply.
type Options struct {
	// Sender delivers credential emails; required when the plan sends any.
	Sender mail.Sender
	// Reporter receives events; nil discards them.
	Reporter Reporter
	// Workers hash passwords in parallel (default: every core).
	Workers int
	// BatchSize is how many records one transaction writes (default 500).
	BatchSize int
	// Stop, when closed, asks apply to finish the batch under way (commit
	// it, send and record its emails) and then return ErrStopped instead
	// of starting the next. Cancelling ctx instead stops at once.
	Stop <-chan struct{}
}

// Run executes p against db. It expects the caller to hold the apply lock
// and to have checked that p is not stale. Errors of single records do not
// stop the others: they come back as a *PartialError once all is done.
func Run(ctx context.Context, db *store.DB, p *plan.Plan, opts Options) (*Result, error) {
	if opts.Workers <= 0 {
		opts.Workers = runtime.NumCPU()
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 500
	}
	if opts.Reporter == nil {
		opts.Reporter = ReporterFunc(func(Event) {})
	}
	a := &applier{db: db, p: p, opts: opts, res: &Result{}}
	if p.Summarize().Credentials > 0 && opts.Sender == nil {
		return nil, errors.New("the plan sends credential emails but no mail transport is configured")
	}
	if len(p.Migrations) > 0 {
		if _, err := db.Migrate(ctx); err != nil {
			return nil, fmt.Errorf("migrate: %w", err)
		}
	}
	steps := []func(context.Context) error{a.structure, a.removals, a.updates, a.creations, a.reissues}
	for _, step := range steps {
		if err := a.next(ctx); err != nil {
			return a.res, err
		}
		if err := step(ctx); err != nil {
			return a.res, err
		}
	}
	if len(a.res.Failures) > 0 {
		return a.res, &PartialError{Result: a.res}
	}
	return a.res, nil
}

type applier struct {
	db   *store.DB
	p    *plan.Plan
	opts Options
	res  *Result

	hospitalIDs map[string]int64
	deptIDs     map[int64]map[string]int64
}

func (a *applier) report(e Event) { a.opts.Reporter.Report(e) }

// next says whether another batch may start: not when ctx is done, nor
// once a stop was asked for.
func (a *applier) next(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case <-a.opts.Stop:
		return ErrStopped
	default:
		return nil
	}
}

func (a *applier) fail(c plan.Change, err error) {
	a.res.Failures = append(a.res.Failures, Failure{Address: c.Address, Err: err})
	a.report(Event{Kind: Failed, Change: c, Err: err})
}

// select returns the plan's changes that match.
func (a *applier) changes(match func(plan.Change) bool) []plan.Change {
	var out []plan.Change
	for _, c := range a.p.Changes {
		if match(c) {
			out = append(out, c)
		}
	}
	return out
}

// structure creates and updates hospitals and departments in one
// transaction, then looks up the ids staff rows need.
func (a *applier) structure(ctx context.Context) error {
	cs := a.changes(func(c plan.Change) bool {
		return c.Resource == plan.Hospital || c.Resource == plan.Department
	})
	err := a.db.InTx(ctx, func(tx *store.Tx) error {
		newHospitals, changedHospitals, err := split(cs, plan.Hospital, func(c plan.Change) store.HospitalRow {
			h := c.After.(*plan.HospitalAttrs)
			return store.HospitalRow{ID: h.ID, Code: h.Code, Name: h.Name, NameAr: h.NameAr, Managed: true}
		})
		if err != nil {
			return err
		}
		if _, err := tx.InsertHospitals(newHospitals); err != nil {
			return err
		}
		if err := tx.UpdateHospitals(changedHospitals); err != nil {
			return err
		}
		ids, err := tx.HospitalIDs(a.p.Hospitals)
		if err != nil {
			return err
		}
		a.hospitalIDs = ids
		newDepts, changedDepts, err := split(cs, plan.Department, func(c plan.Change) store.DepartmentRow {
			d := c.After.(*plan.DepartmentAttrs)
			return store.DepartmentRow{ID: d.ID, HospitalID: ids[c.Hospital], Name: d.Name, NameAr: d.NameAr, Managed: true}
		})
		if err != nil {
			return err
		}
		if _, err := tx.InsertDepartments(newDepts); err != nil {
			return err
		}
		if err := tx.UpdateDepartments(changedDepts); err != nil {
			return err
		}
		hids := make([]int64, 0, len(ids))
		for _, id := range ids {
			hids = append(hids, id)
		}
		a.deptIDs, err = tx.DepartmentIDs(hids)
		return err
	})
	if err != nil {
		return fmt.Errorf("hospitals and departments: %w", err)
	}
	for _, c := range cs {
		a.count(c)
		a.report(Event{Kind: Applied, Change: c})
	}
	return nil
}

// split turns the changes to one resource into the rows to create and the
// rows to update; hospitals and departments are never deleted.
func split[T any](cs []plan.Change, r plan.Resource, row func(plan.Change) T) (creates, updates []T, err error) {
	for _, c := range cs {
		if c.Resource != r {
			continue
		}
		switch c.Action {
		case plan.Create:
			creates = append(creates, row(c))
		case plan.Update:
			updates = append(updates, row(c))
		case plan.Delete, plan.Deactivate, plan.IssueCredential:
			return nil, nil, fmt.Errorf("%s: a %s cannot be %sd", c.Address, r, c.Action)
		}
	}
	return creates, updates, nil
}

// count adds a committed change to the result.
func (a *applier) count(c plan.Change) {
	switch c.Resource {
	case plan.Hospital, plan.Department, plan.Staff:
		switch c.Action {
		case plan.Create:
			a.res.Created++
		case plan.Update, plan.Deactivate:
			a.res.Updated++
		case plan.Delete:
			a.res.Deleted++
		case plan.IssueCredential:
		}
	case plan.User:
		if c.Action == plan.Create {
			a.res.Accounts++
		} else {
			a.res.AccountsChanged++
		}
	case plan.Credential:
	}
}

// batches calls fn with items in slices of the batch size, each slice in
// its own transaction; a failed slice is retried one item at a time so that
// one bad record is reported alone and the others go through. committed
// runs after each transaction that succeeded, outside it.
func batches[T any](ctx context.Context, a *applier, phase string, size int, items []T, changesOf func(T) []plan.Change,
	fn func(tx *store.Tx, items []T) error, committed func(items []T) error) error {
	done := func(items []T) error {
		for _, it := range items {
			for _, c := range changesOf(it) {
				a.count(c)
				a.report(Event{Kind: Applied, Change: c})
			}
		}
		if committed != nil {
			return committed(items)
		}
		return nil
	}
	fatal := func(err error) bool { return ctx.Err() != nil || store.IsConnectionError(err) }
	if phase != "" && len(items) > 0 {
		a.report(Event{Kind: Progress, Phase: phase, Total: len(items)})
	}
	for start := 0; start < len(items); start += size {
		if err := a.next(ctx); err != nil {
			return err
		}
		end := min(start+size, len(items))
		batch := items[start:end]
		err := a.db.InTx(ctx, func(tx *store.Tx) error { return fn(tx, batch) })
		if err == nil {
			if err := done(batch); err != nil {
				return err
			}
		} else {
			if fatal(err) {
				return err
			}
			for i := range batch {
				one := batch[i : i+1]
				if err := a.db.InTx(ctx, func(tx *store.Tx) error { return fn(tx, one) }); err != nil {
					if fatal(err) {
						return err
					}
					for _, c := range changesOf(one[0]) {
						a.fail(c, err)
					}
					continue
				}
				if err := done(one); err != nil {
					return err
				}
			}
		}
		if phase != "" {
			a.report(Event{Kind: Progress, Phase: phase, Done: end, Total: len(items)})
		}
	}
	return nil
}

func single(c plan.Change) []plan.Change { return []plan.Change{c} }

// removals deletes staff and deletes or deactivates their accounts.
func (a *applier) removals(ctx context.Context) error {
	cs := a.changes(func(c plan.Change) bool {
		return (c.Resource == plan.Staff && c.Action == plan.Delete) ||
			(c.Resource == plan.User && (c.Action == plan.Delete || c.Action == plan.Deactivate))
	})
	return batches(ctx, a, "removing", a.opts.BatchSize, cs, single, func(tx *store.Tx, cs []plan.Change) error {
		var staffIDs, deleteUsers, deactivateUsers []int64
		for _, c := range cs {
			switch c.Resource {
			case plan.Staff:
				staffIDs = append(staffIDs, c.Before.(*plan.StaffAttrs).ID)
			case plan.User:
				id := c.Before.(*plan.UserAttrs).ID
				if c.Action == plan.Delete {
					deleteUsers = append(deleteUsers, id)
				} else {
					deactivateUsers = append(deactivateUsers, id)
				}
			case plan.Hospital, plan.Department, plan.Credential:
			}
		}
		if err := tx.DeleteStaff(staffIDs); err != nil {
			return err
		}
		if err := tx.DeleteUsers(deleteUsers); err != nil {
			return err
		}
		return tx.DeactivateUsers(deactivateUsers)
	}, nil)
}

// updates corrects drifted staff rows and accounts, links staff rows to
// their accounts again and sets their roles.
func (a *applier) updates(ctx context.Context) error {
	cs := a.changes(func(c plan.Change) bool {
		return (c.Resource == plan.Staff || c.Resource == plan.User) && c.Action == plan.Update
	})
	return batches(ctx, a, "updating", a.opts.BatchSize, cs, single, func(tx *store.Tx, cs []plan.Change) error {
		var rows []store.StaffRow
		var users []store.UserRow
		var linkStaff, linkUsers []int64
		roles := roleChanges{}
		for _, c := range cs {
			switch c.Resource {
			case plan.Staff:
				s := c.After.(*plan.StaffAttrs)
				rows = append(rows, a.staffRow(c.Hospital, s))
				if b, ok := c.Before.(*plan.StaffAttrs); ok && s.UserID != 0 && b.UserID != s.UserID {
					linkStaff, linkUsers = append(linkStaff, s.ID), append(linkUsers, s.UserID)
				}
			case plan.User:
				u := c.After.(*plan.UserAttrs)
				users = append(users, store.UserRow{ID: u.ID, Email: u.Email, FirstName: u.FirstName,
					LastName: u.LastName, IsActive: u.IsActive})
				if b, ok := c.Before.(*plan.UserAttrs); !ok || b.Role != u.Role {
					roles.add(c.Before, u)
				}
			case plan.Hospital, plan.Department, plan.Credential:
			}
		}
		if err := tx.UpdateUsers(users); err != nil {
			return err
		}
		if err := roles.write(tx); err != nil {
			return err
		}
		if err := tx.UpdateStaff(rows); err != nil {
			return err
		}
		return tx.SetStaffUsers(linkStaff, linkUsers)
	}, nil)
}

// seed is the seed recorded with a staff member's row and account: the
// plan's for generated staff, none for roster and existing staff.
func (a *applier) seed(key string) *int64 {
	if !plan.GeneratedKey(key) {
		return nil
	}
	seed := a.p.Settings.Seed
	return &seed
}

// staffRow converts planned attributes into a row, resolving the
// hospital's and department's ids.
func (a *applier) staffRow(code string, s *plan.StaffAttrs) store.StaffRow {
	hid := a.hospitalIDs[code]
	row := store.StaffRow{ID: s.ID, HospitalID: hid, StaffType: s.StaffType, EmployeeID: s.EmployeeID,
		FirstName: s.FirstName, LastName: s.LastName, FirstNameAr: s.FirstNameAr, LastNameAr: s.LastNameAr,
		Gender: s.Gender, Key: s.Key, Seed: a.seed(s.Key)}
	if s.Email != "" {
		email := s.Email
		row.Email = &email
	}
	if s.Specialization != "" {
		sp := s.Specialization
		row.Specialization = &sp
	}
	if s.UserID != 0 {
		uid := s.UserID
		row.UserID = &uid
	}
	if id, ok := a.deptIDs[hid][s.Department]; ok && s.Department != "" {
		row.DepartmentID = &id
	}
	return row
}
