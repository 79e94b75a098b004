package bench

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/px360/staffseed/internal/spec"
	"github.com/px360/staffseed/internal/store"
	"github.com/px360/staffseed/plan"
)

// SpecOptions shape a benchmark spec.
type SpecOptions struct {
	// Staff is the number of staff, split over one hospital's three types.
	Staff int
	// Accounts creates a user account for everyone.
	Accounts bool
	// Outbox, when set, sends credential emails as files into this folder.
	Outbox string
	// Iterations of the password hasher (0: the default).
	Iterations int
}

// SpecYAML is a one-hospital spec with opts.Staff staff: a third (rounded
// up) physicians, a third nurses, a third admin staff.
func SpecYAML(opts SpecOptions) []byte {
	n := opts.Staff
	iterations := opts.Iterations
	if iterations == 0 {
		iterations = spec.DefaultPasswordIterations
	}
	email := "email:\n  send_credentials: false\n"
	if opts.Outbox != "" {
		email = fmt.Sprintf(`email:
  send_credentials: true
  from: noreply@bench.local
  site_url: http://localhost:8000
  transport: file
  file: {dir: %q}
  language: bilingual
`, opts.Outbox)
	}
	return fmt.Appendf(nil, `version: 1
seed: 7
hospitals:
  - code: BENCH
    name: Bench Hospital
    name_ar: مستشفى الاختبار
    departments:
      - {name: Emergency, name_ar: الطوارئ, staff_types: [physician, nurse]}
      - {name: Nursing, name_ar: التمريض, staff_types: [nurse]}
      - {name: Administration, name_ar: الإدارة, staff_types: [admin]}
staff:
  physicians:  {count: %d, female_ratio: 0.40}
  nurses:      {count: %d, female_ratio: 0.70}
  admin_staff: {count: %d, female_ratio: 0.40}
accounts:
  create_users: %t
  password: {iterations: %d}
%s`, n-2*(n/3), n/3, n/3, opts.Accounts, iterations, email)
}

// WriteSpec writes SpecYAML(opts) into dir and returns its path.
func WriteSpec(dir string, opts SpecOptions) (string, error) {
	path := filepath.Join(dir, fmt.Sprintf("bench-%d.yaml", opts.Staff))
	return path, os.WriteFile(path, SpecYAML(opts), 0o644)
}

// LoadSpec writes the spec into dir and loads it.
func LoadSpec(dir string, opts SpecOptions) (*spec.Spec, error) {
	path, err := WriteSpec(dir, opts)
	if err != nil {
		return nil, err
	}
	s, diags := spec.Load(path, spec.LoadOptions{})
	if diags.HasErrors() {
		return nil, diags
	}
	return s, nil
}

// EmptyState is the state of a migrated database with nothing in it.
func EmptyState() *store.State {
	return &store.State{Usernames: map[string]bool{}, Emails: map[string]bool{}}
}

// AppliedState is the state the database is in once the plan of s against
// an empty database is applied, with ids numbered from 1: planning s
// against it finds nothing to do. Credentials count as delivered.
func AppliedState(s *spec.Spec) (*store.State, error) {
	p, err := plan.Make(s, EmptyState(), plan.Options{})
	if err != nil {
		return nil, err
	}
	st := EmptyState()
	hospitals := map[string]int64{}
	depts := map[int64]map[string]int64{}
	staffAt := map[string]int{}
	var nextID int64
	id := func() int64 { nextID++; return nextID }
	for _, c := range p.Changes {
		switch a := c.After.(type) {
		case *plan.HospitalAttrs:
			h := store.HospitalRow{ID: id(), Code: a.Code, Name: a.Name, NameAr: a.NameAr, Managed: true}
			hospitals[a.Code], depts[h.ID] = h.ID, map[string]int64{}
			st.Hospitals = append(st.Hospitals, h)
		case *plan.DepartmentAttrs:
			d := store.DepartmentRow{ID: id(), HospitalID: hospitals[c.Hospital], Name: a.Name, NameAr: a.NameAr, Managed: true}
			depts[d.HospitalID][a.Name] = d.ID
			st.Departments = append(st.Departments, d)
		case *plan.StaffAttrs:
			r := store.StaffRow{ID: id(), HospitalID: hospitals[c.Hospital], StaffType: a.StaffType,
				EmployeeID: a.EmployeeID, FirstName: a.FirstName, LastName: a.LastName, FirstNameAr: a.FirstNameAr,
				LastNameAr: a.LastNameAr, Gender: a.Gender, Key: a.Key}
			email := a.Email
			r.Email = &email
			if a.Specialization != "" {
				sp := a.Specialization
				r.Specialization = &sp
			}
			if d, ok := depts[r.HospitalID][a.Department]; ok {
				r.DepartmentID = &d
			}
			staffAt[a.Key] = len(st.Staff)
			st.Staff = append(st.Staff, r)
			st.Emails[email] = true
		case *plan.UserAttrs:
			u := store.UserRow{ID: id(), Username: a.Username, Email: a.Email, FirstName: a.FirstName,
				LastName: a.LastName, IsActive: true, Managed: true, Roles: []string{a.Role}}
			if s.Email.SendCredentials {
				u.Credential = store.CredentialDelivered
			}
			st.Users = append(st.Users, u)
			st.Usernames[a.Username] = true
			st.Emails[a.Email] = true
			st.Staff[staffAt[a.StaffKey]].UserID = &u.ID
		case *plan.CredentialAttrs:
		}
	}
	return st, nil
}
