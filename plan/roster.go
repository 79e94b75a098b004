package plan

import (
	"fmt"
	"strings"

	"github.com/px360/staffseed/internal/generate"
	"github.com/px360/staffseed/internal/roster"
	"github.com/px360/staffseed/internal/spec"
	"github.com/px360/staffseed/internal/store"
)

// The middle part of a staff key says where the staff member comes from:
// CODE/physician/3 is generated, CODE/roster/EMPLOYEE_ID is a roster row,
// and CODE/existing/EMPLOYEE_ID names, in a plan only, a staff row
// staffseed did not create whose account for_existing_staff creates.
const (
	rosterKind   = "roster"
	existingKind = "existing"
)

func rosterKey(code, employeeID string) string { return code + "/" + rosterKind + "/" + employeeID }

// keyKind is the middle part of a staff key.
func keyKind(key string) string {
	parts := strings.SplitN(key, "/", 3)
	if len(parts) != 3 {
		return ""
	}
	return parts[1]
}

// GeneratedKey reports whether a staff key is a generated staff member's
// (CODE/type/index), whose identity includes the spec's seed.
func GeneratedKey(key string) bool {
	kind := keyKind(key)
	return kind != "" && kind != rosterKind && kind != existingKind
}

// goneCause says why a managed staff row the spec no longer wants goes.
func goneCause(key string, destroy bool) string {
	switch {
	case destroy:
		return "destroy removes what the spec manages"
	case keyKind(key) == rosterKind:
		return "no longer in the roster"
	}
	return "index beyond the spec's count"
}

// cell names a roster cell as file:line:column.
func cell(r roster.Row, col string) string {
	rg := r.Range(col)
	return fmt.Sprintf("%s:%d:%d", rg.Filename, rg.Start.Line, rg.Start.Column)
}

// rosterStaff plans the roster rows of h like generated staff: it marks
// their keys wanted and counts, per type, those no department takes.
func (d *differ) rosterStaff(h spec.Hospital, byKey map[string]store.StaffRow, wanted map[string]bool,
	depts []spec.Department, unassigned map[spec.StaffType]int) {
	if len(h.RosterRows) == 0 {
		return
	}
	for _, row := range h.RosterRows {
		key := rosterKey(h.Code, row.EmployeeID)
		wanted[key] = true
		t := spec.StaffType(row.StaffType)
		dept := row.Department
		switch {
		case dept == "":
			if dept = assignDepartment(d.spec.Seed, key, t, row.Specialization, depts); dept == "" {
				unassigned[t]++
			}
		case !hasDepartment(depts, dept):
			d.errs = append(d.errs, fmt.Errorf("%s: hospital.%s has no department %q", cell(row, roster.ColDepartment), h.Code, dept))
			continue
		}
		want := StaffAttrs{Key: key, StaffType: row.StaffType, EmployeeID: row.EmployeeID,
			FirstName: row.FirstName, LastName: row.LastName, FirstNameAr: row.FirstNameAr, LastNameAr: row.LastNameAr,
			Gender: row.Gender, Department: dept, Specialization: row.Specialization}
		have, ok := byKey[key]
		if !ok {
			if owner, taken := d.employeeIDs[row.EmployeeID]; taken && owner != key {
				d.errs = append(d.errs, fmt.Errorf("%s: employee ID %q is already another staff row's (%s)",
					cell(row, roster.ColEmployeeID), row.EmployeeID, ownerName(owner)))
				continue
			}
			d.employeeIDs[row.EmployeeID] = key
			d.newRosterStaff(h, row, want)
			continue
		}
		d.rosterDrift(h, row, want, have)
	}
}

// ownerName names the holder of an employee ID from its entry in
// d.employeeIDs: a key, a key@seed of another spec, or "".
func ownerName(holder string) string {
	if holder == "" {
		return "not created by staffseed, or of a hospital not in the spec"
	}
	if key, seed, ok := strings.Cut(holder, "@"); ok {
		return staffAddress(Staff, key) + " made with seed " + seed
	}
	return staffAddress(Staff, holder)
}

func hasDepartment(depts []spec.Department, name string) bool {
	for _, dep := range depts {
		if dep.Name == name {
			return true
		}
	}
	return false
}

// givenEmail claims the address a roster row gives, which must be free
// unless the row already has it.
func (d *differ) givenEmail(row roster.Row, current string) bool {
	addr := strings.ToLower(row.Email)
	if addr != strings.ToLower(current) && d.emails[addr] {
		d.errs = append(d.errs, fmt.Errorf("%s: email %q is already in use", cell(row, roster.ColEmail), row.Email))
		return false
	}
	d.emails[addr], d.userEmails[addr] = true, true
	return true
}

// newRosterStaff plans a roster row that is not in the database yet, with
// its account and credential email.
func (d *differ) newRosterStaff(h spec.Hospital, row roster.Row, want StaffAttrs) {
	base := generate.UsernameBase(row.FirstName, row.LastName)
	var user *store.UserRow
	var username string
	if row.Email == "" {
		user, username, want.Email = d.kept(h.Code, want.Key, base, row.FirstName, row.LastName)
	} else {
		if u, ok := d.account(want.Key); ok {
			d.handled[u.ID] = true
			user, username = u, u.Username
		} else {
			username = d.claimUsername(base)
		}
		current := ""
		if user != nil {
			current = user.Email
		}
		if want.Email = row.Email; !d.givenEmail(row, current) {
			return
		}
	}
	if user != nil {
		want.UserID = user.ID
	}
	d.add(Change{Address: staffAddress(Staff, want.Key), Resource: Staff, Action: Create, Hospital: h.Code,
		Cause: "in the roster, not in the database", After: &want})
	d.staffAccount(h, &want, user, username)
}

// rosterDrift plans the changes of a roster row already in the database:
// its attributes back to the roster's, then its account.
func (d *differ) rosterDrift(h spec.Hospital, row roster.Row, want StaffAttrs, have store.StaffRow) {
	before := d.staffAttrs(have)
	after := want
	after.ID, after.UserID = before.ID, before.UserID
	base := generate.UsernameBase(row.FirstName, row.LastName)
	user, username := d.linkedUser(have, &after, base)
	if row.Email == "" {
		after.Email = d.desiredEmail(h.Code, before.Email, user, username, base, row.FirstName, row.LastName)
		if user == nil {
			after.Email = d.addressForNewAccount(h.Code, after.Email, username, row.FirstName, row.LastName)
		}
	} else if after.Email = row.Email; !d.givenEmail(row, before.Email) {
		return
	}
	if after != before {
		d.add(Change{Address: staffAddress(Staff, want.Key), Resource: Staff, Action: Update, Hospital: h.Code,
			Cause: staffCause("differs from the roster", before, after), Before: &before, After: &after})
	}
	d.staffAccount(h, &after, user, username)
}

// existingAccount plans, under accounts.for_existing_staff, an account and
// credentials for a staff row staffseed did not create and that has none,
// and the upkeep of the account it created for one earlier. The staff row
// itself is left as it is.
func (d *differ) existingAccount(h spec.Hospital, r store.StaffRow) {
	s := d.staffAttrs(r)
	s.Key = h.Code + "/" + existingKind + "/" + r.EmployeeID
	if r.UserID != nil {
		if u, ok := d.users[*r.UserID]; ok && u.Managed {
			d.accountUpkeep(h, &s, u)
		}
		return
	}
	username := d.claimUsername(generate.UsernameBase(r.FirstName, r.LastName))
	email := s.Email
	if email == "" || d.userEmailTaken(email) {
		email = d.claimEmail(h.Code, username, r.FirstName, r.LastName)
	} else {
		d.userEmails[strings.ToLower(email)] = true
	}
	d.newUser(h, &s, username, email, "existing staff member has no account (for_existing_staff)")
}
