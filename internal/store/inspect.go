package store

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Inspect reads the state staffseed plans against, in one read-only
// snapshot with one query per table: every hospital and department, the
// staff of the hospitals with the given codes (nil: of all hospitals), the
// users linked to them and every user staffseed manages, and every username
// and email in use. A database without staffseed's tables (or without any
// of the shared ones) reads as empty, with every migration pending.
func (db *DB) Inspect(ctx context.Context, hospitals []string) (*State, error) {
	tx, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, dbError("inspect", err)
	}
	defer tx.Rollback(ctx)

	st := &State{Usernames: map[string]bool{}, Emails: map[string]bool{}, UserEmails: map[string]bool{},
		EmployeeIDs: map[string]bool{}}
	if st.SchemaVersion, st.Pending, err = pendingOf(ctx, tx); err != nil {
		return nil, err
	}
	cols, err := columnsOf(ctx, tx)
	if err != nil {
		return nil, err
	}
	r := inspector{ctx: ctx, tx: tx, cols: cols, st: st}
	for _, step := range []func() error{
		r.hospitals, r.departments,
		func() error { return r.staff(hospitals) },
		func() error { return r.users(hospitals) },
		r.names,
	} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// columns tells which tables and columns exist, so that a database not
// yet migrated can be read.
type columns map[string]bool

func columnsOf(ctx context.Context, q querier) (columns, error) {
	rows, err := q.Query(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema()
		  AND table_name IN ('hospitals', 'departments', 'staff', 'users', 'roles', 'user_roles', 'staffseed_credentials')`)
	if err != nil {
		return nil, dbError("inspect", err)
	}
	cols := columns{}
	var table, col string
	_, err = pgx.ForEachRow(rows, []any{&table, &col}, func() error {
		cols[table] = true
		cols[table+"."+col] = true
		return nil
	})
	if err != nil {
		return nil, dbError("inspect", err)
	}
	return cols, nil
}

// or is the column if it exists, else the fallback expression.
func (c columns) or(tableCol, alias, fallback string) string {
	if c[tableCol] {
		return alias + "." + tableCol[strings.IndexByte(tableCol, '.')+1:]
	}
	return fallback
}

type inspector struct {
	ctx  context.Context
	tx   pgx.Tx
	cols columns
	st   *State
}

func (r *inspector) hospitals() error {
	if !r.cols["hospitals"] {
		return nil
	}
	rows, err := r.tx.Query(r.ctx, `SELECT h.id, h.code, h.name, h.name_ar, `+
		r.cols.or("hospitals.staffseed_managed", "h", "false")+` FROM hospitals h ORDER BY h.id`)
	if err != nil {
		return dbError("inspect hospitals", err)
	}
	var h HospitalRow
	_, err = pgx.ForEachRow(rows, []any{&h.ID, &h.Code, &h.Name, &h.NameAr, &h.Managed}, func() error {
		r.st.Hospitals = append(r.st.Hospitals, h)
		return nil
	})
	return wrapIf("inspect hospitals", err)
}

func (r *inspector) departments() error {
	if !r.cols["departments"] {
		return nil
	}
	rows, err := r.tx.Query(r.ctx, `SELECT d.id, d.hospital_id, d.name, d.name_ar, `+
		r.cols.or("departments.staffseed_managed", "d", "false")+` FROM departments d ORDER BY d.id`)
	if err != nil {
		return dbError("inspect departments", err)
	}
	var d DepartmentRow
	_, err = pgx.ForEachRow(rows, []any{&d.ID, &d.HospitalID, &d.Name, &d.NameAr, &d.Managed}, func() error {
		r.st.Departments = append(r.st.Departments, d)
		return nil
	})
	return wrapIf("inspect departments", err)
}

// inHospitals is the condition selecting staff rows (alias s) of the
// hospitals with codes $1; with nil codes every row.
func inHospitals(codes []string) (string, []any) {
	if codes == nil {
		return "true", nil
	}
	return "s.hospital_id IN (SELECT id FROM hospitals WHERE code = ANY($1))", []any{codes}
}

func (r *inspector) staff(codes []string) error {
	if !r.cols["staff"] || !r.cols["hospitals"] {
		return nil
	}
	where, args := inHospitals(codes)
	// Counted first, the rows go into a slice made once at its size; read
	// in table order, they are put in id order here (usually a check that
	// they are), which spares the server a sort that spills to disk.
	var n int
	if err := r.tx.QueryRow(r.ctx, `SELECT count(*) FROM staff s WHERE `+where, args...).Scan(&n); err != nil {
		return dbError("inspect staff", err)
	}
	r.st.Staff = make([]StaffRow, 0, n)
	// A parallel scan would hand the rows over out of table order.
	if _, err := r.tx.Exec(r.ctx, `SET LOCAL max_parallel_workers_per_gather = 0`); err != nil {
		return dbError("inspect staff", err)
	}
	rows, err := r.tx.Query(r.ctx, `SELECT s.id, s.hospital_id, s.department_id, s.staff_type, s.employee_id,
		s.first_name, s.last_name, s.first_name_ar, s.last_name_ar, s.gender, s.email, s.user_id, `+
		r.cols.or("staff.specialization", "s", "NULL::text")+`, coalesce(`+
		r.cols.or("staff.staffseed_key", "s", "NULL::text")+`, ''), `+
		r.cols.or("staff.staffseed_seed", "s", "NULL::bigint")+`
		FROM staff s WHERE `+where, args...)
	if err != nil {
		return dbError("inspect staff", err)
	}
	defer rows.Close()
	for rows.Next() {
		r.st.Staff = append(r.st.Staff, StaffRow{})
		s := &r.st.Staff[len(r.st.Staff)-1]
		if err := rows.Scan(&s.ID, &s.HospitalID, &s.DepartmentID, &s.StaffType, &s.EmployeeID,
			&s.FirstName, &s.LastName, &s.FirstNameAr, &s.LastNameAr, &s.Gender, &s.Email, &s.UserID,
			&s.Specialization, &s.Key, &s.Seed); err != nil {
			return dbError("inspect staff", err)
		}
	}
	if err := rows.Err(); err != nil {
		return dbError("inspect staff", err)
	}
	byID := func(a, b StaffRow) int { return cmp.Compare(a.ID, b.ID) }
	if !slices.IsSortedFunc(r.st.Staff, byID) {
		slices.SortFunc(r.st.Staff, byID)
	}
	return nil
}

func (r *inspector) users(codes []string) error {
	if !r.cols["users"] {
		return nil
	}
	var conds []string
	var args []any
	if r.cols["users.staffseed_managed"] {
		conds = append(conds, "u.staffseed_managed")
	}
	if r.cols["staff"] && r.cols["hospitals"] {
		where, a := inHospitals(codes)
		args = a
		conds = append(conds, "u.id IN (SELECT s.user_id FROM staff s WHERE "+where+")")
	}
	if len(conds) == 0 {
		return nil
	}
	roles := "ARRAY[]::text[]"
	if r.cols["roles"] && r.cols["user_roles"] {
		roles = "ARRAY(SELECT ro.name::text FROM user_roles ur JOIN roles ro ON ro.id = ur.role_id WHERE ur.user_id = u.id ORDER BY 1)"
	}
	cred, join := "''", ""
	if r.cols["staffseed_credentials"] {
		cred, join = "coalesce(c.state, '')", " LEFT JOIN staffseed_credentials c ON c.user_id = u.id"
	}
	rows, err := r.tx.Query(r.ctx, `SELECT u.id, u.username, u.email, u.first_name, u.last_name, u.is_active, `+
		r.cols.or("users.staffseed_managed", "u", "false")+`, `+roles+`, `+cred+`, coalesce(`+
		r.cols.or("users.staffseed_key", "u", "NULL::text")+`, ''), `+
		r.cols.or("users.staffseed_seed", "u", "NULL::bigint")+`
		FROM users u`+join+` WHERE `+strings.Join(conds, " OR ")+` ORDER BY u.id`, args...)
	if err != nil {
		return dbError("inspect users", err)
	}
	var u UserRow
	_, err = pgx.ForEachRow(rows, []any{&u.ID, &u.Username, &u.Email, &u.FirstName, &u.LastName, &u.IsActive,
		&u.Managed, &u.Roles, &u.Credential, &u.Key, &u.Seed}, func() error {
		r.st.Users = append(r.st.Users, u)
		u = UserRow{}
		return nil
	})
	return wrapIf("inspect users", err)
}

// names collects every username and email in use, lowercased.
func (r *inspector) names() error {
	var parts []string
	if r.cols["users"] {
		parts = append(parts, `SELECT 'u', lower(username) FROM users`, `SELECT 'm', lower(email) FROM users`)
	}
	if r.cols["staff"] {
		parts = append(parts, `SELECT 'e', lower(email) FROM staff WHERE email IS NOT NULL`,
			`SELECT 'i', employee_id FROM staff`)
	}
	if len(parts) == 0 {
		return nil
	}
	rows, err := r.tx.Query(r.ctx, strings.Join(parts, " UNION ALL "))
	if err != nil {
		return dbError("inspect usernames and emails", err)
	}
	// At least this many names come: made at that size, the maps are not
	// grown step by step.
	r.st.Usernames = make(map[string]bool, len(r.st.Users))
	r.st.Emails = make(map[string]bool, len(r.st.Staff)+len(r.st.Users))
	r.st.UserEmails = make(map[string]bool, len(r.st.Users))
	r.st.EmployeeIDs = make(map[string]bool, len(r.st.Staff))
	var kind, name string
	_, err = pgx.ForEachRow(rows, []any{&kind, &name}, func() error {
		if name == "" {
			return nil
		}
		switch kind {
		case "u":
			r.st.Usernames[name] = true
		case "i":
			r.st.EmployeeIDs[name] = true
		case "m":
			r.st.UserEmails[name] = true
			r.st.Emails[name] = true
		default:
			r.st.Emails[name] = true
		}
		return nil
	})
	return wrapIf("inspect usernames and emails", err)
}

func wrapIf(what string, err error) error {
	if err != nil {
		return dbError(what, err)
	}
	return nil
}
