package store

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
)

// Fingerprint is a hex SHA-256 of a canonical encoding of everything in
// the state, independent of row order: a saved plan keeps it, and apply
// refuses the plan when the database no longer gives the same one.
func Fingerprint(state *State) string {
	h := sha256.New()
	w := func(format string, args ...any) { fmt.Fprintf(h, format+"\n", args...) }
	w("schema %d", state.SchemaVersion)
	for _, m := range state.Pending {
		w("pending %d %q", m.Version, m.Name)
	}
	for _, r := range byID(state.Hospitals, func(r HospitalRow) int64 { return r.ID }) {
		w("hospital %d %q %q %q %t", r.ID, r.Code, r.Name, r.NameAr, r.Managed)
	}
	for _, r := range byID(state.Departments, func(r DepartmentRow) int64 { return r.ID }) {
		w("department %d %d %q %q %t", r.ID, r.HospitalID, r.Name, r.NameAr, r.Managed)
	}
	for _, r := range byID(state.Staff, func(r StaffRow) int64 { return r.ID }) {
		w("staff %d %d %s %q %q %q %q %q %q %q %s %s %s %q", r.ID, r.HospitalID, optInt(r.DepartmentID),
			r.StaffType, r.EmployeeID, r.FirstName, r.LastName, r.FirstNameAr, r.LastNameAr, r.Gender,
			optString(r.Email), optInt(r.UserID), optString(r.Specialization), r.Key)
	}
	for _, r := range byID(state.Users, func(r UserRow) int64 { return r.ID }) {
		w("user %d %q %q %q %q %t %t %q %q", r.ID, r.Username, r.Email, r.FirstName, r.LastName,
			r.IsActive, r.Managed, slices.Sorted(slices.Values(r.Roles)), r.Credential)
	}
	writeSet(h, "username", state.Usernames)
	writeSet(h, "email", state.Emails)
	return hex.EncodeToString(h.Sum(nil))
}

func byID[T any](rows []T, id func(T) int64) []T {
	return slices.SortedFunc(slices.Values(rows), func(a, b T) int { return cmp.Compare(id(a), id(b)) })
}

func writeSet(w io.Writer, kind string, set map[string]bool) {
	for _, k := range slices.Sorted(maps.Keys(set)) {
		if set[k] {
			fmt.Fprintf(w, "%s %q\n", kind, k)
		}
	}
}

func optInt(p *int64) string {
	if p == nil {
		return "-"
	}
	return strconv.FormatInt(*p, 10)
}

func optString(p *string) string {
	if p == nil {
		return "-"
	}
	return strconv.Quote(*p)
}
