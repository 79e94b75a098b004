package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Tx is a transaction of bulk writes: each method is one statement, one
// round trip, whatever the number of rows.
type Tx struct {
	ctx context.Context
	tx  pgx.Tx
	// staffSeq is the staff id sequence as a SQL literal, once looked up.
	staffSeq string
}

// InTx runs fn in a transaction, committed if fn returns nil and rolled
// back otherwise.
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		return fn(&Tx{ctx: ctx, tx: tx})
	})
}

// ids runs an INSERT … RETURNING id and returns the ids in row order,
// which follows the input's order (WITH ORDINALITY … ORDER BY).
func (tx *Tx) ids(what string, n int, sql string, args ...any) ([]int64, error) {
	if n == 0 {
		return nil, nil
	}
	rows, err := tx.tx.Query(tx.ctx, sql, args...)
	if err != nil {
		return nil, dbError(what, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, dbError(what, err)
	}
	if len(ids) != n {
		return nil, fmt.Errorf("%s: inserted %d rows of %d", what, len(ids), n)
	}
	return ids, nil
}

func (tx *Tx) exec(what string, sql string, args ...any) (pgconn.CommandTag, error) {
	tag, err := tx.tx.Exec(tx.ctx, sql, args...)
	if err != nil {
		return tag, dbError(what, err)
	}
	return tag, nil
}

// InsertHospitals inserts hospitals managed by staffseed and returns their
// ids in input order.
func (tx *Tx) InsertHospitals(rows []HospitalRow) ([]int64, error) {
	codes, names, namesAr := make([]string, len(rows)), make([]string, len(rows)), make([]string, len(rows))
	for i, h := range rows {
		codes[i], names[i], namesAr[i] = h.Code, h.Name, h.NameAr
	}
	return tx.ids("insert hospitals", len(rows), `INSERT INTO hospitals (code, name, name_ar, staffseed_managed)
		SELECT code, name, name_ar, true
		FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS t(code, name, name_ar, ord)
		ORDER BY ord RETURNING id`, codes, names, namesAr)
}

// UpdateHospitals sets name and name_ar of hospitals by id.
func (tx *Tx) UpdateHospitals(rows []HospitalRow) error {
	if len(rows) == 0 {
		return nil
	}
	ids, names, namesAr := make([]int64, len(rows)), make([]string, len(rows)), make([]string, len(rows))
	for i, h := range rows {
		ids[i], names[i], namesAr[i] = h.ID, h.Name, h.NameAr
	}
	_, err := tx.exec("update hospitals", `UPDATE hospitals h SET name = t.name, name_ar = t.name_ar
		FROM unnest($1::bigint[], $2::text[], $3::text[]) AS t(id, name, name_ar) WHERE h.id = t.id`,
		ids, names, namesAr)
	return err
}

// InsertDepartments inserts departments managed by staffseed and returns
// their ids in input order.
func (tx *Tx) InsertDepartments(rows []DepartmentRow) ([]int64, error) {
	hids, names, namesAr := make([]int64, len(rows)), make([]string, len(rows)), make([]string, len(rows))
	for i, d := range rows {
		hids[i], names[i], namesAr[i] = d.HospitalID, d.Name, d.NameAr
	}
	return tx.ids("insert departments", len(rows), `INSERT INTO departments (hospital_id, name, name_ar, staffseed_managed)
		SELECT hospital_id, name, name_ar, true
		FROM unnest($1::bigint[], $2::text[], $3::text[]) WITH ORDINALITY AS t(hospital_id, name, name_ar, ord)
		ORDER BY ord RETURNING id`, hids, names, namesAr)
}

// staffColumns holds staff rows as one array per column.
type staffColumns struct {
	id, hospital                 []int64
	department                   []*int64
	typ, employee, first, last   []string
	firstAr, lastAr, gender, key []string
	email, specialization        []*string
	seed                         []*int64
}

func columnsOfStaff(rows []StaffRow) staffColumns {
	n := len(rows)
	c := staffColumns{
		id: make([]int64, n), hospital: make([]int64, n), department: make([]*int64, n),
		typ: make([]string, n), employee: make([]string, n), first: make([]string, n), last: make([]string, n),
		firstAr: make([]string, n), lastAr: make([]string, n), gender: make([]string, n), key: make([]string, n),
		email: make([]*string, n), specialization: make([]*string, n), seed: make([]*int64, n),
	}
	for i, s := range rows {
		c.id[i], c.hospital[i], c.department[i] = s.ID, s.HospitalID, s.DepartmentID
		c.typ[i], c.employee[i], c.first[i], c.last[i] = s.StaffType, s.EmployeeID, s.FirstName, s.LastName
		c.firstAr[i], c.lastAr[i], c.gender[i], c.key[i] = s.FirstNameAr, s.LastNameAr, s.Gender, s.Key
		c.email[i], c.specialization[i], c.seed[i] = s.Email, s.Specialization, s.Seed
	}
	return c
}

// The staff columns as unnest arguments $1..$14, shared by insert and update.
const staffUnnest = `unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[],
	$7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::bigint[]) WITH ORDINALITY
	AS t(id, hospital_id, department_id, staff_type, employee_id, first_name, last_name,
	     first_name_ar, last_name_ar, gender, email, specialization, staffseed_key, staffseed_seed, ord)`

func (c staffColumns) args() []any {
	return []any{c.id, c.hospital, c.department, c.typ, c.employee, c.first, c.last,
		c.firstAr, c.lastAr, c.gender, c.email, c.specialization, c.key, c.seed}
}

// InsertStaff inserts staff rows with their staffseed key (and user_id, if
// set) and returns their ids in input order. The ids are drawn from the
// table's sequence first, then the rows go in with one COPY: a few round
// trips whatever the number of rows, at the speed of a plain COPY.
func (tx *Tx) InsertStaff(rows []StaffRow) ([]int64, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	if tx.staffSeq == "" {
		var seq *string
		if err := tx.tx.QueryRow(tx.ctx, `SELECT pg_get_serial_sequence('staff', 'id')`).Scan(&seq); err != nil {
			return nil, dbError("insert staff", err)
		}
		if seq == nil {
			return nil, errors.New("insert staff: staff.id has no sequence")
		}
		// A constant regclass spares a catalog lookup per row.
		tx.staffSeq = "'" + strings.ReplaceAll(*seq, "'", "''") + "'::regclass"
	}
	ids, err := tx.ids("insert staff", len(rows),
		`SELECT nextval(`+tx.staffSeq+`) FROM generate_series(1, $1::int)`, len(rows))
	if err != nil {
		return nil, err
	}
	n, err := tx.tx.CopyFrom(tx.ctx, pgx.Identifier{"staff"}, []string{"id", "hospital_id", "department_id",
		"staff_type", "employee_id", "first_name", "last_name", "first_name_ar", "last_name_ar", "gender",
		"email", "specialization", "staffseed_key", "staffseed_seed", "user_id"},
		pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
			s := &rows[i]
			var key *string
			if s.Key != "" {
				key = &s.Key
			}
			return []any{ids[i], s.HospitalID, s.DepartmentID, s.StaffType, s.EmployeeID, s.FirstName,
				s.LastName, s.FirstNameAr, s.LastNameAr, s.Gender, s.Email, s.Specialization, key, s.Seed, s.UserID}, nil
		}))
	if err != nil {
		return nil, dbError("insert staff", err)
	}
	if n != int64(len(rows)) {
		return nil, fmt.Errorf("insert staff: inserted %d rows of %d", n, len(rows))
	}
	return ids, nil
}

// UpdateStaff sets every attribute of staff rows by id, except user_id
// (see SetStaffUsers); an empty Key leaves staffseed_key as it is, a nil
// Seed staffseed_seed.
func (tx *Tx) UpdateStaff(rows []StaffRow) error {
	if len(rows) == 0 {
		return nil
	}
	_, err := tx.exec("update staff", `UPDATE staff s SET hospital_id = t.hospital_id, department_id = t.department_id,
		staff_type = t.staff_type, employee_id = t.employee_id, first_name = t.first_name, last_name = t.last_name,
		first_name_ar = t.first_name_ar, last_name_ar = t.last_name_ar, gender = t.gender, email = t.email,
		specialization = t.specialization, staffseed_key = coalesce(NULLIF(t.staffseed_key, ''), s.staffseed_key),
		staffseed_seed = coalesce(t.staffseed_seed, s.staffseed_seed)
		FROM `+staffUnnest+` WHERE s.id = t.id`, columnsOfStaff(rows).args()...)
	return err
}

// DeleteStaff deletes staff rows by id.
func (tx *Tx) DeleteStaff(ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := tx.exec("delete staff", `DELETE FROM staff WHERE id = ANY($1)`, ids)
	return err
}

// DeleteStaffOfHospitals deletes every staff row of the hospitals, managed
// or not, and returns how many it deleted.
func (tx *Tx) DeleteStaffOfHospitals(hospitalIDs []int64) (int64, error) {
	if len(hospitalIDs) == 0 {
		return 0, nil
	}
	tag, err := tx.exec("clear staff", `DELETE FROM staff WHERE hospital_id = ANY($1)`, hospitalIDs)
	return tag.RowsAffected(), err
}

// NewUser is a user account to create.
type NewUser struct {
	Username, Email, FirstName, LastName string
	// PasswordHash is the Django password hash; never the password.
	PasswordHash string
	IsActive     bool
	// Key and Seed are the identity of the staff member the account is
	// made for (see UserRow); an empty Key stores none.
	Key  string
	Seed *int64
}

// InsertUsers creates user accounts managed by staffseed, joined now, and
// returns their ids in input order.
func (tx *Tx) InsertUsers(rows []NewUser) ([]int64, error) {
	n := len(rows)
	user, email, first, last, hash := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	active := make([]bool, n)
	key, seed := make([]string, n), make([]*int64, n)
	for i, u := range rows {
		user[i], email[i], first[i], last[i], hash[i], active[i] = u.Username, u.Email, u.FirstName, u.LastName, u.PasswordHash, u.IsActive
		key[i], seed[i] = u.Key, u.Seed
	}
	return tx.ids("insert users", n, `INSERT INTO users (username, email, password, first_name, last_name,
		is_active, date_joined, staffseed_managed, staffseed_key, staffseed_seed)
		SELECT username, email, password, first_name, last_name, is_active, now(), true, NULLIF(key, ''), seed
		FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bool[], $7::text[], $8::bigint[])
		WITH ORDINALITY AS t(username, email, password, first_name, last_name, is_active, key, seed, ord)
		ORDER BY ord RETURNING id`, user, email, hash, first, last, active, key, seed)
}

// UpdateUsers sets email, first_name, last_name and is_active of users by id.
func (tx *Tx) UpdateUsers(rows []UserRow) error {
	if len(rows) == 0 {
		return nil
	}
	n := len(rows)
	ids, email, first, last, active := make([]int64, n), make([]string, n), make([]string, n), make([]string, n), make([]bool, n)
	for i, u := range rows {
		ids[i], email[i], first[i], last[i], active[i] = u.ID, u.Email, u.FirstName, u.LastName, u.IsActive
	}
	_, err := tx.exec("update users", `UPDATE users u SET email = t.email, first_name = t.first_name,
		last_name = t.last_name, is_active = t.is_active
		FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bool[]) AS t(id, email, first_name, last_name, is_active)
		WHERE u.id = t.id`, ids, email, first, last, active)
	return err
}

// SetStaffUsers links staffIDs[i] to userIDs[i].
func (tx *Tx) SetStaffUsers(staffIDs, userIDs []int64) error {
	if len(staffIDs) != len(userIDs) {
		return fmt.Errorf("link staff to users: %d staff ids for %d user ids", len(staffIDs), len(userIDs))
	}
	if len(staffIDs) == 0 {
		return nil
	}
	_, err := tx.exec("link staff to users", `UPDATE staff s SET user_id = t.user_id
		FROM unnest($1::bigint[], $2::bigint[]) AS t(id, user_id) WHERE s.id = t.id`, staffIDs, userIDs)
	return err
}

// roleCTE finds the role named $2, creating it if missing, as "role".
const roleCTE = `WITH created AS (
		INSERT INTO roles (name) VALUES ($2) ON CONFLICT (name) DO NOTHING RETURNING id
	), role AS (
		SELECT id FROM created UNION ALL SELECT id FROM roles WHERE name = $2
	)`

// grantRoleSQL gives the users $1 the role found by roleCTE.
const grantRoleSQL = `
	INSERT INTO user_roles (user_id, role_id)
	SELECT u, (SELECT id FROM role LIMIT 1) FROM unnest($1::bigint[]) AS u
	ON CONFLICT DO NOTHING`

// GrantRole gives the users the role, creating the role if missing; a role
// a user already has is left alone.
func (tx *Tx) GrantRole(userIDs []int64, role string) error {
	if len(userIDs) == 0 {
		return nil
	}
	_, err := tx.exec("grant role "+role, roleCTE+grantRoleSQL, userIDs, role)
	return err
}

// SetRole makes role the users' only role, creating the role if missing:
// their other roles are taken away.
func (tx *Tx) SetRole(userIDs []int64, role string) error {
	if len(userIDs) == 0 {
		return nil
	}
	_, err := tx.exec("set role "+role, roleCTE+`, others AS (
		DELETE FROM user_roles WHERE user_id = ANY($1) AND role_id <> (SELECT id FROM role LIMIT 1)
	)`+grantRoleSQL, userIDs, role)
	return err
}

// SetPasswords sets users' password hashes: userIDs[i] gets hashes[i].
func (tx *Tx) SetPasswords(userIDs []int64, hashes []string) error {
	if len(userIDs) != len(hashes) {
		return fmt.Errorf("set passwords: %d user ids for %d hashes", len(userIDs), len(hashes))
	}
	if len(userIDs) == 0 {
		return nil
	}
	_, err := tx.exec("set passwords", `UPDATE users u SET password = t.password
		FROM unnest($1::bigint[], $2::text[]) AS t(id, password) WHERE u.id = t.id`, userIDs, hashes)
	return err
}

// DeleteUsers deletes users by id; their staff rows lose the link.
func (tx *Tx) DeleteUsers(ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := tx.exec("delete users", `DELETE FROM users WHERE id = ANY($1)`, ids)
	return err
}

// DeactivateUsers turns is_active off.
func (tx *Tx) DeactivateUsers(ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := tx.exec("deactivate users", `UPDATE users SET is_active = false WHERE id = ANY($1)`, ids)
	return err
}

// SetCredentials records the users' credential state; see DB.SetCredentials.
func (tx *Tx) SetCredentials(userIDs []int64, state string, lastError string) error {
	return setCredentials(tx.ctx, tx.tx, userIDs, state, lastError)
}

// SetCredentials records the users' credential state outside any
// transaction, as each delivery happens. CredentialPending marks a fresh
// password issued (issued_at now, one more attempt); CredentialDelivered
// marks it delivered (delivered_at now). lastError ("" for none) replaces
// the previous one; it must not hold the password.
func (db *DB) SetCredentials(ctx context.Context, userIDs []int64, state string, lastError string) error {
	return setCredentials(ctx, db.pool, userIDs, state, lastError)
}

type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

func setCredentials(ctx context.Context, e execer, userIDs []int64, state, lastError string) error {
	if state != CredentialPending && state != CredentialDelivered {
		return fmt.Errorf("set credentials: unknown state %q", state)
	}
	if len(userIDs) == 0 {
		return nil
	}
	_, err := e.Exec(ctx, `INSERT INTO staffseed_credentials AS c (user_id, state, issued_at, delivered_at, attempts, last_error)
		SELECT u, $2::text,
		       CASE WHEN $2::text = 'pending' THEN now() END,
		       CASE WHEN $2::text = 'delivered' THEN now() END,
		       CASE WHEN $2::text = 'pending' THEN 1 ELSE 0 END,
		       NULLIF($3::text, '')
		FROM unnest($1::bigint[]) AS u
		ON CONFLICT (user_id) DO UPDATE SET
		    state = EXCLUDED.state,
		    issued_at = CASE WHEN EXCLUDED.state = 'pending' THEN now() ELSE c.issued_at END,
		    delivered_at = CASE WHEN EXCLUDED.state = 'delivered' THEN now() ELSE c.delivered_at END,
		    attempts = c.attempts + EXCLUDED.attempts,
		    last_error = EXCLUDED.last_error`, userIDs, state, lastError)
	if err != nil {
		return dbError("set credentials "+state, err)
	}
	return nil
}
