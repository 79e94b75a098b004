package store_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/px360/staffseed/internal/store"
)

// seed writes two hospitals, a department, three users and three staff rows.
type seeded struct {
	hospitals, departments, users, staff []int64
}

func seed(t *testing.T, db *store.DB) seeded {
	t.Helper()
	var s seeded
	inTx(t, db, func(tx *store.Tx) error {
		var err error
		if s.hospitals, err = tx.InsertHospitals([]store.HospitalRow{
			{Code: "ALMADINA", Name: "Al Madina", NameAr: "المدينة"},
			{Code: "RIYADH", Name: "Riyadh"},
		}); err != nil {
			return err
		}
		if s.departments, err = tx.InsertDepartments([]store.DepartmentRow{
			{HospitalID: s.hospitals[0], Name: "Emergency", NameAr: "الطوارئ"},
			{HospitalID: s.hospitals[1], Name: "Administration"},
		}); err != nil {
			return err
		}
		if s.users, err = tx.InsertUsers([]store.NewUser{
			{Username: "omar.saleh", Email: "omar.saleh@almadina.sa", FirstName: "Omar", LastName: "Saleh", PasswordHash: "hash-1", IsActive: true},
			{Username: "sara.ali", Email: "Sara.Ali@almadina.sa", FirstName: "Sara", LastName: "Ali", PasswordHash: "hash-2", IsActive: true},
			{Username: "huda.omar", Email: "huda.omar@riyadh.sa", PasswordHash: "hash-3"},
		}); err != nil {
			return err
		}
		s.staff, err = tx.InsertStaff([]store.StaffRow{
			{HospitalID: s.hospitals[0], DepartmentID: &s.departments[0], StaffType: "physician", EmployeeID: "DR-ALMADINA-00001",
				FirstName: "Omar", LastName: "Saleh", FirstNameAr: "عمر", LastNameAr: "صالح", Gender: "male",
				Email: ptr("omar.saleh@almadina.sa"), Specialization: ptr("Cardiology"), Key: "ALMADINA/physician/1"},
			{HospitalID: s.hospitals[0], StaffType: "nurse", EmployeeID: "RN-ALMADINA-00001",
				FirstName: "Sara", LastName: "Ali", Gender: "female", UserID: &s.users[1], Key: "ALMADINA/nurse/1"},
			{HospitalID: s.hospitals[1], DepartmentID: &s.departments[1], StaffType: "admin", EmployeeID: "ADM-RIYADH-00001",
				FirstName: "Huda", LastName: "Omar", Gender: "female", Key: "RIYADH/admin/1"},
		})
		return err
	})
	return s
}

func staffByEmployee(st *store.State) map[string]store.StaffRow {
	m := map[string]store.StaffRow{}
	for _, s := range st.Staff {
		m[s.EmployeeID] = s
	}
	return m
}

func userByName(st *store.State) map[string]store.UserRow {
	m := map[string]store.UserRow{}
	for _, u := range st.Users {
		m[u.Username] = u
	}
	return m
}

func TestInsertsAndInspect(t *testing.T) {
	db := migrated(t)
	s := seed(t, db)
	st := inspect(t, db, nil)

	if len(st.Hospitals) != 2 || st.Hospitals[0].ID != s.hospitals[0] || st.Hospitals[0].Code != "ALMADINA" ||
		st.Hospitals[0].NameAr != "المدينة" || !st.Hospitals[0].Managed || st.Hospitals[1].Code != "RIYADH" {
		t.Errorf("hospitals %+v, ids %v", st.Hospitals, s.hospitals)
	}
	if len(st.Departments) != 2 || st.Departments[1].ID != s.departments[1] || st.Departments[1].HospitalID != s.hospitals[1] ||
		!st.Departments[1].Managed {
		t.Errorf("departments %+v, ids %v", st.Departments, s.departments)
	}
	staff := staffByEmployee(st)
	dr := staff["DR-ALMADINA-00001"]
	if dr.ID != s.staff[0] || *dr.DepartmentID != s.departments[0] || dr.FirstNameAr != "عمر" || *dr.Email != "omar.saleh@almadina.sa" ||
		*dr.Specialization != "Cardiology" || dr.Key != "ALMADINA/physician/1" || dr.UserID != nil {
		t.Errorf("physician %+v", dr)
	}
	if rn := staff["RN-ALMADINA-00001"]; rn.ID != s.staff[1] || *rn.UserID != s.users[1] || rn.Email != nil || rn.DepartmentID != nil {
		t.Errorf("nurse %+v", rn)
	}
	if staff["ADM-RIYADH-00001"].ID != s.staff[2] {
		t.Errorf("admin %+v", staff["ADM-RIYADH-00001"])
	}
	users := userByName(st)
	if u := users["sara.ali"]; u.ID != s.users[1] || u.Email != "Sara.Ali@almadina.sa" || !u.Managed || !u.IsActive || u.FirstName != "Sara" {
		t.Errorf("user %+v", u)
	}
	if u := users["huda.omar"]; u.ID != s.users[2] || u.IsActive {
		t.Errorf("inactive user %+v", u)
	}
	for _, name := range []string{"omar.saleh", "sara.ali", "huda.omar"} {
		if !st.Usernames[name] {
			t.Errorf("username %s missing from %v", name, st.Usernames)
		}
	}
	if !st.Emails["sara.ali@almadina.sa"] || !st.Emails["omar.saleh@almadina.sa"] || len(st.Emails) != 3 {
		t.Errorf("emails %v", st.Emails)
	}
}

func TestInspectScopesStaffToHospitals(t *testing.T) {
	db := migrated(t)
	s := seed(t, db)
	exec(t, db, `INSERT INTO users (username, email, password) VALUES ('outsider', 'outsider@riyadh.sa', 'x')`)
	exec(t, db, `UPDATE staff SET user_id = (SELECT id FROM users WHERE username = 'outsider') WHERE id = $1`, s.staff[2])

	st := inspect(t, db, []string{"ALMADINA"})
	if len(st.Hospitals) != 2 || len(st.Departments) != 2 {
		t.Errorf("hospitals and departments are always read whole: %d, %d", len(st.Hospitals), len(st.Departments))
	}
	if len(st.Staff) != 2 {
		t.Errorf("staff of ALMADINA: %+v", st.Staff)
	}
	users := userByName(st)
	if _, ok := users["outsider"]; ok {
		t.Errorf("unmanaged user of another hospital read: %+v", users)
	}
	if _, ok := users["huda.omar"]; !ok {
		t.Errorf("managed user missing: %+v", users)
	}
	if !st.Usernames["outsider"] || !st.Emails["outsider@riyadh.sa"] {
		t.Errorf("usernames and emails must cover the whole database")
	}
	if all := inspect(t, db, nil); len(all.Staff) != 3 || len(userByName(all)) != 4 {
		t.Errorf("all hospitals: %d staff, %d users", len(all.Staff), len(all.Users))
	}
}

func TestUpdates(t *testing.T) {
	ctx := context.Background()
	db := migrated(t)
	s := seed(t, db)
	inTx(t, db, func(tx *store.Tx) error {
		if err := tx.UpdateHospitals([]store.HospitalRow{{ID: s.hospitals[1], Name: "Riyadh Central", NameAr: "الرياض"}}); err != nil {
			return err
		}
		return tx.UpdateStaff([]store.StaffRow{{ID: s.staff[0], HospitalID: s.hospitals[1], StaffType: "nurse",
			EmployeeID: "RN-RIYADH-00009", FirstName: "Omar2", LastName: "Saleh2", FirstNameAr: "ع", LastNameAr: "ص",
			Gender: "female", Email: ptr("new@riyadh.sa")}})
	})
	st := inspect(t, db, nil)
	if h := st.Hospitals[1]; h.Name != "Riyadh Central" || h.NameAr != "الرياض" || h.Code != "RIYADH" {
		t.Errorf("hospital %+v", h)
	}
	got := staffByEmployee(st)["RN-RIYADH-00009"]
	want := store.StaffRow{ID: s.staff[0], HospitalID: s.hospitals[1], StaffType: "nurse", EmployeeID: "RN-RIYADH-00009",
		FirstName: "Omar2", LastName: "Saleh2", FirstNameAr: "ع", LastNameAr: "ص", Gender: "female",
		Email: ptr("new@riyadh.sa"), Key: "ALMADINA/physician/1"}
	if got.ID != want.ID || got.HospitalID != want.HospitalID || got.DepartmentID != nil || got.Specialization != nil ||
		got.FirstName != want.FirstName || got.LastNameAr != want.LastNameAr || got.Gender != want.Gender ||
		*got.Email != *want.Email || got.Key != want.Key || got.StaffType != want.StaffType {
		t.Errorf("updated staff %+v, want %+v", got, want)
	}

	inTx(t, db, func(tx *store.Tx) error {
		if err := tx.SetStaffUsers([]int64{s.staff[0], s.staff[2]}, []int64{s.users[0], s.users[2]}); err != nil {
			return err
		}
		return tx.SetPasswords([]int64{s.users[0], s.users[1]}, []string{"new-hash-1", "new-hash-2"})
	})
	st = inspect(t, db, nil)
	staff := staffByEmployee(st)
	if *staff["RN-RIYADH-00009"].UserID != s.users[0] || *staff["ADM-RIYADH-00001"].UserID != s.users[2] {
		t.Errorf("staff users not linked: %+v", st.Staff)
	}
	rows, _ := db.Pool().Query(ctx, `SELECT password FROM users ORDER BY id`)
	var hashes []string
	for rows.Next() {
		var h string
		rows.Scan(&h)
		hashes = append(hashes, h)
	}
	if !slices.Equal(hashes, []string{"new-hash-1", "new-hash-2", "hash-3"}) {
		t.Errorf("passwords %v", hashes)
	}
	if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.SetStaffUsers([]int64{1}, nil) }); err == nil {
		t.Error("SetStaffUsers with mismatched lengths succeeded")
	}
}

func TestRoles(t *testing.T) {
	db := migrated(t)
	s := seed(t, db)
	inTx(t, db, func(tx *store.Tx) error {
		if err := tx.GrantRole(s.users[:2], "staff"); err != nil {
			return err
		}
		if err := tx.GrantRole(s.users, "staff"); err != nil { // again: no duplicates
			return err
		}
		return tx.GrantRole(s.users[1:2], "nurse")
	})
	users := userByName(inspect(t, db, nil))
	if r := users["sara.ali"].Roles; !slices.Equal(r, []string{"nurse", "staff"}) {
		t.Errorf("roles of sara.ali %v", r)
	}
	if r := users["huda.omar"].Roles; !slices.Equal(r, []string{"staff"}) {
		t.Errorf("roles of huda.omar %v", r)
	}
}

// TestSetRole checks that SetRole leaves the users the one role, a new
// role included, and touches no one else's.
func TestSetRole(t *testing.T) {
	db := migrated(t)
	s := seed(t, db)
	inTx(t, db, func(tx *store.Tx) error {
		if err := tx.GrantRole(s.users, "staff"); err != nil {
			return err
		}
		if err := tx.GrantRole(s.users[1:2], "nurse"); err != nil {
			return err
		}
		return tx.SetRole(s.users[1:], "doctor")
	})
	users := userByName(inspect(t, db, nil))
	if r := users["sara.ali"].Roles; !slices.Equal(r, []string{"doctor"}) {
		t.Errorf("roles of sara.ali %v", r)
	}
	if r := users["huda.omar"].Roles; !slices.Equal(r, []string{"doctor"}) {
		t.Errorf("roles of huda.omar %v", r)
	}
	if r := users["omar.saleh"].Roles; !slices.Equal(r, []string{"staff"}) {
		t.Errorf("roles of omar.saleh %v", r)
	}
	inTx(t, db, func(tx *store.Tx) error { return tx.SetRole(s.users[1:2], "doctor") }) // again: no duplicates
	if r := userByName(inspect(t, db, nil))["sara.ali"].Roles; !slices.Equal(r, []string{"doctor"}) {
		t.Errorf("roles of sara.ali after a second SetRole %v", r)
	}
}

func TestCredentials(t *testing.T) {
	ctx := context.Background()
	db := migrated(t)
	s := seed(t, db)
	inTx(t, db, func(tx *store.Tx) error { return tx.SetCredentials(s.users[:2], store.CredentialPending, "") })
	if err := db.SetCredentials(ctx, s.users[:1], store.CredentialPending, "smtp: 550 mailbox unavailable"); err != nil {
		t.Fatal(err)
	}
	if err := db.SetCredentials(ctx, s.users[1:2], store.CredentialDelivered, ""); err != nil {
		t.Fatal(err)
	}
	if err := db.SetCredentials(ctx, s.users, "lost", ""); err == nil {
		t.Error("unknown credential state accepted")
	}
	users := userByName(inspect(t, db, nil))
	if users["omar.saleh"].Credential != store.CredentialPending || users["sara.ali"].Credential != store.CredentialDelivered ||
		users["huda.omar"].Credential != "" {
		t.Errorf("credential states: %+v", users)
	}
	type cred struct {
		attempts          int
		issued, delivered bool
		lastError         *string
	}
	read := func(id int64) cred {
		var c cred
		err := db.Pool().QueryRow(ctx, `SELECT attempts, issued_at IS NOT NULL, delivered_at IS NOT NULL, last_error
			FROM staffseed_credentials WHERE user_id = $1`, id).Scan(&c.attempts, &c.issued, &c.delivered, &c.lastError)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if c := read(s.users[0]); c.attempts != 2 || !c.issued || c.delivered || c.lastError == nil || *c.lastError != "smtp: 550 mailbox unavailable" {
		t.Errorf("pending credential %+v", c)
	}
	if c := read(s.users[1]); c.attempts != 1 || !c.issued || !c.delivered || c.lastError != nil {
		t.Errorf("delivered credential %+v", c)
	}
}

func TestDeletes(t *testing.T) {
	db := migrated(t)
	s := seed(t, db)
	inTx(t, db, func(tx *store.Tx) error {
		if err := tx.SetCredentials(s.users[1:2], store.CredentialPending, ""); err != nil {
			return err
		}
		if err := tx.GrantRole(s.users[1:2], "staff"); err != nil {
			return err
		}
		if err := tx.DeactivateUsers(s.users[:1]); err != nil {
			return err
		}
		if err := tx.DeleteUsers(s.users[1:2]); err != nil {
			return err
		}
		return tx.DeleteStaff(s.staff[:1])
	})
	st := inspect(t, db, nil)
	users := userByName(st)
	if u, ok := users["omar.saleh"]; !ok || u.IsActive {
		t.Errorf("deactivated user %+v", u)
	}
	if _, ok := users["sara.ali"]; ok || st.Usernames["sara.ali"] {
		t.Error("deleted user still there")
	}
	staff := staffByEmployee(st)
	if _, ok := staff["DR-ALMADINA-00001"]; ok {
		t.Error("deleted staff still there")
	}
	if rn := staff["RN-ALMADINA-00001"]; rn.UserID != nil {
		t.Errorf("staff of a deleted user keeps user_id %d", *rn.UserID)
	}

	exec(t, db, `INSERT INTO staff (hospital_id, staff_type, employee_id, gender) VALUES ($1, 'nurse', 'N-1', 'male')`, s.hospitals[0])
	var n int64
	inTx(t, db, func(tx *store.Tx) error {
		var err error
		n, err = tx.DeleteStaffOfHospitals(s.hospitals[:1])
		return err
	})
	if n != 2 {
		t.Errorf("cleared %d staff, want 2 (one managed, one not)", n)
	}
	if st := inspect(t, db, nil); len(st.Staff) != 1 || st.Staff[0].EmployeeID != "ADM-RIYADH-00001" {
		t.Errorf("after clear: %+v", st.Staff)
	}
}

func TestUniqueViolationNamesKeyNotHash(t *testing.T) {
	ctx := context.Background()
	db := migrated(t)
	s := seed(t, db)
	err := db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.InsertStaff([]store.StaffRow{{HospitalID: s.hospitals[0], StaffType: "physician",
			EmployeeID: "DR-ALMADINA-00001", Gender: "male", Key: "ALMADINA/physician/9"}})
		return err
	})
	if err == nil || !strings.Contains(err.Error(), `staff.employee_id "DR-ALMADINA-00001" already exists`) {
		t.Errorf("duplicate employee id: %v", err)
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "23505" {
		t.Errorf("error does not unwrap to the unique violation: %#v", err)
	}

	const hash = "pbkdf2_sha256$1000000$SALTsalt$SECRETHASH="
	err = db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.InsertUsers([]store.NewUser{{Username: "omar.saleh", Email: "other@almadina.sa", PasswordHash: hash}})
		return err
	})
	if err == nil || !strings.Contains(err.Error(), `users.username "omar.saleh" already exists`) || strings.Contains(err.Error(), "SECRETHASH") {
		t.Errorf("duplicate username: %v", err)
	}
	// A check violation's detail shows the whole row: it must not appear.
	err = db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.InsertUsers([]store.NewUser{{Username: strings.Repeat("x", 200), Email: "x@x.sa", PasswordHash: hash}})
		return err
	})
	if err == nil || strings.Contains(err.Error(), "SECRETHASH") {
		t.Errorf("too long username: %v", err)
	}

	// The failed transactions wrote nothing.
	if st := inspect(t, db, nil); len(st.Staff) != 3 || len(st.Users) != 3 {
		t.Errorf("rolled back transactions left rows: %d staff, %d users", len(st.Staff), len(st.Users))
	}
}

func TestFingerprint(t *testing.T) {
	db := migrated(t)
	s := seed(t, db)
	st := inspect(t, db, nil)
	fp := store.Fingerprint(st)
	if len(fp) != 64 {
		t.Fatalf("fingerprint %q", fp)
	}
	if again := store.Fingerprint(inspect(t, db, nil)); again != fp {
		t.Errorf("same database, different fingerprints")
	}
	shuffled := *st
	shuffled.Staff = slices.Clone(st.Staff)
	slices.Reverse(shuffled.Staff)
	if store.Fingerprint(&shuffled) != fp {
		t.Errorf("fingerprint depends on row order")
	}
	changes := map[string]string{
		"staff name":  `UPDATE staff SET first_name_ar = 'x' WHERE id = ` + itoa(s.staff[2]),
		"user active": `UPDATE users SET is_active = true WHERE id = ` + itoa(s.users[2]),
		"other user":  `INSERT INTO users (username, email, password) VALUES ('z', 'z@z.sa', 'x')`,
		"role":        `INSERT INTO roles (name) VALUES ('r'); INSERT INTO user_roles VALUES (` + itoa(s.users[0]) + `, (SELECT id FROM roles WHERE name = 'r'))`,
		"credential":  `INSERT INTO staffseed_credentials (user_id, state) VALUES (` + itoa(s.users[0]) + `, 'pending')`,
		"department":  `UPDATE departments SET name = 'ER' WHERE id = ` + itoa(s.departments[0]),
	}
	for what, sql := range changes {
		exec(t, db, sql)
		next := store.Fingerprint(inspect(t, db, nil))
		if next == fp {
			t.Errorf("%s changed, fingerprint did not", what)
		}
		fp = next
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
