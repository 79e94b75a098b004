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
	owners := map[string]string{} // employee_id → key of the row holding it
	for _, r := range d.st.Staff {
		owners[r.EmployeeID] = r.Key
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
			if owner, taken := owners[row.EmployeeID]; taken {
				d.errs = append(d.errs, fmt.Errorf("%s: employee ID %q is already another staff row's (%s)",
					cell(row, roster.ColEmployeeID), row.EmployeeID, ownerName(owner)))
				continue
			}
			d.newRosterStaff(h, row, want)
			continue
		}
		d.rosterDrift(h, row, want, have)
	}
}

func ownerName(key string) string {
	if key == "" {
		return "not created by staffseed"
	}
	return staffAddress(Staff, key)
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
	username := d.claimUsername(generate.UsernameBase(row.FirstName, row.LastName))
	if row.Email == "" {
		want.Email = d.claimEmail(h.Code, username, row.FirstName, row.LastName)
	} else if want.Email = row.Email; !d.givenEmail(row, "") {
		return
	}
	d.add(Change{Address: staffAddress(Staff, want.Key), Resource: Staff, Action: Create, Hospital: h.Code,
		Cause: "in the roster, not in the database", After: &want})
	if d.spec.Accounts.CreateUsers {
		d.newUser(h, &want, username, want.Email, "new staff member")
	}
}

// rosterDrift plans the changes of a roster row already in the database:
// its attributes back to the roster's, then its account.
func (d *differ) rosterDrift(h spec.Hospital, row roster.Row, want StaffAttrs, have store.StaffRow) {
	before := d.staffAttrs(have)
	after := want
	after.ID, after.UserID = before.ID, before.UserID
	var user *store.UserRow
	username := ""
	if u, ok := d.users[before.UserID]; ok && have.UserID != nil {
		user, username = &u, u.Username
	} else {
		username = d.claimUsername(generate.UsernameBase(row.FirstName, row.LastName))
	}
	if row.Email == "" {
		after.Email = d.desiredEmail(h.Code, before.Email, user, username, row.FirstName, row.LastName)
	} else if after.Email = row.Email; !d.givenEmail(row, before.Email) {
		return
	}
	if after != before {
		d.add(Change{Address: staffAddress(Staff, want.Key), Resource: Staff, Action: Update, Hospital: h.Code,
			Cause: "differs from the roster", Before: &before, After: &after})
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
