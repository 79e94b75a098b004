package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
)

// Summary condenses a state per hospital, so that a stale saved plan can
// say what changed: which hospitals, how many rows.
type Summary struct {
	// Scope lists the hospital codes whose staff the state holds: the
	// codes to inspect again when checking a saved plan.
	Scope []string `json:"scope"`
	// Hospitals maps a hospital code to its rows.
	Hospitals map[string]HospitalSummary `json:"hospitals"`
	// Usernames and Emails count the names in use in the whole database.
	Usernames int `json:"usernames"`
	Emails    int `json:"emails"`
	// Schema is the highest applied staffseed migration.
	Schema int `json:"schema"`
}

// HospitalSummary counts one hospital's rows; Digest changes with any of
// them, even when the counts stay the same.
type HospitalSummary struct {
	Staff       int    `json:"staff"`
	Managed     int    `json:"managed_staff"`
	Users       int    `json:"users"`
	Departments int    `json:"departments"`
	Digest      string `json:"digest"`
}

// Summarize condenses st, read for the hospitals with the given codes.
func Summarize(st *State, scope []string) Summary {
	s := Summary{Scope: slices.Clone(scope), Hospitals: map[string]HospitalSummary{},
		Usernames: len(st.Usernames), Emails: len(st.Emails), Schema: st.SchemaVersion}
	users := make(map[int64]int, len(st.Users))
	for i, u := range st.Users {
		users[u.ID] = i
	}
	staffOf := map[int64]int{}
	for _, r := range st.Staff {
		staffOf[r.HospitalID]++
	}
	for _, hosp := range st.Hospitals {
		if !slices.Contains(scope, hosp.Code) {
			continue
		}
		part := &State{Hospitals: []HospitalRow{hosp},
			Staff: make([]StaffRow, 0, staffOf[hosp.ID]), Users: make([]UserRow, 0, staffOf[hosp.ID])}
		for _, d := range st.Departments {
			if d.HospitalID == hosp.ID {
				part.Departments = append(part.Departments, d)
			}
		}
		hs := HospitalSummary{Departments: len(part.Departments)}
		for _, r := range st.Staff {
			if r.HospitalID != hosp.ID {
				continue
			}
			part.Staff = append(part.Staff, r)
			hs.Staff++
			if r.Managed() {
				hs.Managed++
			}
			if r.UserID != nil {
				if i, ok := users[*r.UserID]; ok {
					part.Users = append(part.Users, st.Users[i])
					hs.Users++
				}
			}
		}
		hs.Digest = Fingerprint(part)[:16]
		s.Hospitals[hosp.Code] = hs
	}
	return s
}

// Changes lists, one line each, how now differs from was: the hospitals
// whose rows changed with their counts, then the names in use elsewhere.
func (was Summary) Changes(now Summary) []string {
	var out []string
	if was.Schema != now.Schema {
		out = append(out, fmt.Sprintf("staffseed's schema moved from migration %d to %d", was.Schema, now.Schema))
	}
	codes := slices.Collect(maps.Keys(was.Hospitals))
	for code := range now.Hospitals {
		if _, ok := was.Hospitals[code]; !ok {
			codes = append(codes, code)
		}
	}
	slices.Sort(codes)
	for _, code := range codes {
		a, hadA := was.Hospitals[code]
		b, hasB := now.Hospitals[code]
		switch {
		case !hadA:
			out = append(out, fmt.Sprintf("hospital.%s was created (%d staff rows)", code, b.Staff))
		case !hasB:
			out = append(out, fmt.Sprintf("hospital.%s was deleted (it had %d staff rows)", code, a.Staff))
		case a != b:
			line := fmt.Sprintf("hospital.%s: %s, %s, %s", code, count(a.Staff, b.Staff, "staff rows"),
				count(a.Users, b.Users, "user accounts"), count(a.Departments, b.Departments, "departments"))
			if a.Staff == b.Staff && a.Users == b.Users && a.Departments == b.Departments {
				line += "; rows were edited"
			}
			out = append(out, line)
		}
	}
	if was.Usernames != now.Usernames || was.Emails != now.Emails {
		out = append(out, fmt.Sprintf("names in use in the whole database: %s, %s",
			count(was.Usernames, now.Usernames, "usernames"), count(was.Emails, now.Emails, "email addresses")))
	}
	return out
}

// count is "12 → 14 staff rows (+2)" or "12 staff rows".
func count(was, now int, noun string) string {
	if was == now {
		return fmt.Sprintf("%d %s", now, noun)
	}
	return fmt.Sprintf("%d → %d %s (%+d)", was, now, noun, now-was)
}

// Identity names the database itself, not the way to reach it: the
// cluster's system identifier and the database name. A saved plan keeps
// it, and apply refuses a plan made against another database.
func (db *DB) Identity(ctx context.Context) (string, error) {
	var name string
	if err := db.pool.QueryRow(ctx, `SELECT current_database()`).Scan(&name); err != nil {
		return "", dbError("identify database", err)
	}
	var sysID string
	if err := db.pool.QueryRow(ctx, `SELECT system_identifier::text FROM pg_control_system()`).Scan(&sysID); err != nil {
		// Without the right to read pg_control_system, the server's
		// address still tells databases apart.
		if err := db.pool.QueryRow(ctx, `SELECT coalesce(host(inet_server_addr()), 'local') || ':' || coalesce(inet_server_port(), 0)`).Scan(&sysID); err != nil {
			return "", dbError("identify database", err)
		}
	}
	return sysID + "/" + name, nil
}
