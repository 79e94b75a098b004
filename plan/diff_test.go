package plan

import (
	"strings"
	"testing"

	"github.com/px360/staffseed/internal/generate"
	"github.com/px360/staffseed/internal/spec"
	"github.com/px360/staffseed/internal/store"
)

func mustSpec(t *testing.T, src string) *spec.Spec {
	t.Helper()
	s, diags := spec.ParseYAML("test.yaml", []byte(src))
	if diags.HasErrors() {
		t.Fatalf("spec: %v", diags)
	}
	return s
}

const baseSpec = `
version: 1
seed: 5
hospitals:
  - code: ALMADINA
    name: Al Madina
    departments:
      - {name: Emergency, staff_types: [physician, nurse]}
      - {name: Administration, staff_types: [admin]}
staff:
  physicians: {count: 2}
  nurses: {count: 3}
  admin_staff: {count: 1}
accounts: {create_users: true}
email: {send_credentials: true, transport: console}
`

func emptyState() *store.State {
	return &store.State{Usernames: map[string]bool{}, Emails: map[string]bool{}, UserEmails: map[string]bool{}}
}

// converged builds the state apply would leave behind for plan p: every
// create made real, every credential delivered.
func converged(t *testing.T, p *Plan) *store.State {
	t.Helper()
	st := emptyState()
	st.Hospitals = []store.HospitalRow{{ID: 1, Code: "ALMADINA", Name: "Al Madina", Managed: true}}
	deptID := map[string]int64{}
	for _, c := range p.Changes {
		if d, ok := c.After.(*DepartmentAttrs); ok {
			id := int64(len(deptID) + 1)
			deptID[d.Name] = id
			st.Departments = append(st.Departments, store.DepartmentRow{ID: id, HospitalID: 1, Name: d.Name, NameAr: d.NameAr, Managed: true})
		}
	}
	users := map[string]*UserAttrs{}
	for _, c := range p.Changes {
		if u, ok := c.After.(*UserAttrs); ok {
			users[u.StaffKey] = u
		}
	}
	for i, c := range p.Changes {
		s, ok := c.After.(*StaffAttrs)
		if !ok || c.Action != Create {
			continue
		}
		row := store.StaffRow{ID: int64(100 + i), HospitalID: 1, StaffType: s.StaffType, EmployeeID: s.EmployeeID,
			FirstName: s.FirstName, LastName: s.LastName, FirstNameAr: s.FirstNameAr, LastNameAr: s.LastNameAr,
			Gender: s.Gender, Key: s.Key}
		var seed *int64
		if GeneratedKey(s.Key) {
			n := p.Settings.Seed
			seed = &n
		}
		row.Seed = seed
		email := s.Email
		row.Email = &email
		if s.Specialization != "" {
			sp := s.Specialization
			row.Specialization = &sp
		}
		if id, ok := deptID[s.Department]; ok {
			row.DepartmentID = &id
		}
		if u := users[s.Key]; u != nil {
			uid := int64(1000 + i)
			row.UserID = &uid
			st.Users = append(st.Users, store.UserRow{ID: uid, Username: u.Username, Email: u.Email, FirstName: u.FirstName,
				LastName: u.LastName, IsActive: true, Managed: true, Roles: []string{u.Role}, Credential: store.CredentialDelivered,
				Key: s.Key, Seed: seed})
			st.Usernames[u.Username] = true
			st.UserEmails[u.Email] = true
		}
		st.Emails[email] = true
		st.Staff = append(st.Staff, row)
	}
	return st
}

func count(p *Plan, r Resource, a Action) int {
	n := 0
	for _, c := range p.Changes {
		if c.Resource == r && c.Action == a {
			n++
		}
	}
	return n
}

func TestMakeFromEmptyDatabase(t *testing.T) {
	p, err := Make(mustSpec(t, baseSpec), emptyState(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := p.Summarize()
	if s.Add != 1+2+6 || s.Accounts != 6 || s.Credentials != 6 || s.Change != 0 || s.Destroy != 0 {
		t.Fatalf("summary = %+v", s)
	}
}

func TestMakeIsIdempotentAndMinimal(t *testing.T) {
	sp := mustSpec(t, baseSpec)
	first, err := Make(sp, emptyState(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		edit   func(s *spec.Spec)
		state  func(st *store.State)
		check  func(t *testing.T, p *Plan)
		errSub string
	}{
		{name: "nothing to do", check: func(t *testing.T, p *Plan) {
			if !p.Empty() {
				t.Fatalf("want no changes, got %d: %+v", len(p.Changes), p.Changes[0])
			}
		}},
		{name: "grow adds only new indices",
			edit: func(s *spec.Spec) { s.Hospitals[0].Staff[spec.Nurse] = spec.TypeCount{Count: 5, FemaleRatio: 700_000} },
			check: func(t *testing.T, p *Plan) {
				if n := count(p, Staff, Create); n != 2 {
					t.Fatalf("staff creates = %d", n)
				}
				for _, c := range p.Changes {
					if c.Resource == Staff && !strings.Contains(c.Address, "nurse[3]") && !strings.Contains(c.Address, "nurse[4]") {
						t.Errorf("unexpected %s", c.Address)
					}
				}
			}},
		{name: "shrink removes the highest indices and their accounts",
			edit: func(s *spec.Spec) { s.Hospitals[0].Staff[spec.Nurse] = spec.TypeCount{Count: 1, FemaleRatio: 700_000} },
			check: func(t *testing.T, p *Plan) {
				if count(p, Staff, Delete) != 2 || count(p, User, Delete) != 2 {
					t.Fatalf("changes: %+v", p.Changes)
				}
				if p.Changes[0].Address != "staff.ALMADINA.nurse[1]" {
					t.Errorf("first removal %s", p.Changes[0].Address)
				}
			}},
		{name: "deactivate instead of delete",
			edit: func(s *spec.Spec) {
				s.Hospitals[0].Staff[spec.Nurse] = spec.TypeCount{Count: 2, FemaleRatio: 700_000}
				s.Accounts.OnRemove = "deactivate"
			},
			check: func(t *testing.T, p *Plan) {
				if count(p, User, Deactivate) != 1 || count(p, User, Delete) != 0 {
					t.Fatalf("changes: %+v", p.Changes)
				}
			}},
		{name: "hand edit shows as drift",
			state: func(st *store.State) { st.Staff[0].FirstName = "Edited" },
			check: func(t *testing.T, p *Plan) {
				if len(p.Changes) != 1 || p.Changes[0].Action != Update {
					t.Fatalf("changes: %+v", p.Changes)
				}
				if b := p.Changes[0].Before.(*StaffAttrs); b.FirstName != "Edited" {
					t.Errorf("before = %+v", b)
				}
			}},
		{name: "unmanaged rows are left alone",
			state: func(st *store.State) {
				st.Staff = append(st.Staff, store.StaffRow{ID: 9, HospitalID: 1, StaffType: "nurse", EmployeeID: "RN-X-1", Gender: "female"})
			},
			check: func(t *testing.T, p *Plan) {
				if !p.Empty() {
					t.Fatalf("changes: %+v", p.Changes)
				}
			}},
		{name: "clear removes unmanaged rows",
			edit: func(s *spec.Spec) { s.Clear = true },
			state: func(st *store.State) {
				st.Staff = append(st.Staff, store.StaffRow{ID: 9, HospitalID: 1, StaffType: "nurse", EmployeeID: "RN-X-1", Gender: "female"})
			},
			check: func(t *testing.T, p *Plan) {
				if len(p.Changes) != 1 || p.Changes[0].Action != Delete || p.Changes[0].Address != `staff.ALMADINA["RN-X-1"]` {
					t.Fatalf("changes: %+v", p.Changes)
				}
			}},
		{name: "pending credentials are sent again",
			state: func(st *store.State) { st.Users[0].Credential = store.CredentialPending },
			check: func(t *testing.T, p *Plan) {
				if len(p.Changes) != 1 || p.Changes[0].Action != IssueCredential || p.Changes[0].After.(*CredentialAttrs).UserID == 0 {
					t.Fatalf("changes: %+v", p.Changes)
				}
			}},
		{name: "missing role is granted",
			state: func(st *store.State) { st.Users[0].Roles = nil },
			check: func(t *testing.T, p *Plan) {
				if len(p.Changes) != 1 || p.Changes[0].Resource != User || p.Changes[0].Action != Update {
					t.Fatalf("changes: %+v", p.Changes)
				}
			}},
		{name: "destroy removes managed staff only",
			state: func(st *store.State) {
				st.Staff = append(st.Staff, store.StaffRow{ID: 9, HospitalID: 1, StaffType: "nurse", EmployeeID: "RN-X-1", Gender: "female"})
			},
			check: func(t *testing.T, p *Plan) {
				if count(p, Staff, Delete) != 6 || count(p, User, Delete) != 6 || len(p.Changes) != 12 {
					t.Fatalf("changes: %d", len(p.Changes))
				}
			}},
		{name: "existing hospital must exist",
			edit:   func(s *spec.Spec) { s.Hospitals = append(s.Hospitals, spec.Hospital{Code: "NOWHERE", Existing: true}) },
			errSub: "hospital.NOWHERE",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := mustSpec(t, baseSpec)
			if tc.edit != nil {
				tc.edit(s)
			}
			st2 := converged(t, first)
			if tc.state != nil {
				tc.state(st2)
			}
			opts := Options{Destroy: strings.HasPrefix(tc.name, "destroy")}
			p, err := Make(s, st2, opts)
			if tc.errSub != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errSub) {
					t.Fatalf("err = %v, want %q", err, tc.errSub)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, p)
		})
	}
}

func TestUsernameClashGetsSuffix(t *testing.T) {
	sp := mustSpec(t, baseSpec)
	p0 := generate.Staff(sp.Seed, "ALMADINA", spec.Physician, 0, sp.Hospitals[0].Staff[spec.Physician].FemaleRatio)
	st := emptyState()
	st.Usernames[p0.UsernameBase] = true
	st.Usernames[p0.UsernameBase+"2"] = true
	st.UserEmails[p0.UsernameBase+"3@almadina.sa"] = true
	st.Emails[p0.UsernameBase+"3@almadina.sa"] = true
	p, err := Make(sp, st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range p.Changes {
		if u, ok := c.After.(*UserAttrs); ok && u.StaffKey == p0.Key() {
			if u.Username != p0.UsernameBase+"3" {
				t.Errorf("username = %s, want %s3", u.Username, p0.UsernameBase)
			}
			if u.Email == p0.UsernameBase+"3@almadina.sa" {
				t.Errorf("email %s clashes", u.Email)
			}
			return
		}
	}
	t.Fatal("no account for the first physician")
}

func TestTargetsAndExcludes(t *testing.T) {
	sp := mustSpec(t, baseSpec)
	if _, err := Make(sp, emptyState(), Options{Targets: []string{"NOPE"}}); err == nil || !strings.Contains(err.Error(), "hospital.NOPE") {
		t.Fatalf("err = %v", err)
	}
	p, err := Make(sp, emptyState(), Options{Excludes: []string{"ALMADINA"}})
	if err != nil || !p.Empty() {
		t.Fatalf("err = %v, changes = %d", err, len(p.Changes))
	}
}

func TestEmployeeIDHeldByAnotherRowGetsASpare(t *testing.T) {
	sp := mustSpec(t, baseSpec)
	p0 := generate.Staff(sp.Seed, "ALMADINA", spec.Physician, 0, sp.Hospitals[0].Staff[spec.Physician].FemaleRatio)
	st := emptyState()
	st.Hospitals = []store.HospitalRow{{ID: 1, Code: "ALMADINA", Name: "Al Madina", Managed: true}}
	st.Staff = []store.StaffRow{{ID: 7, HospitalID: 1, StaffType: "physician", EmployeeID: p0.EmployeeID, Gender: "male"}}
	p, err := Make(sp, st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got string
	seen := map[string]bool{p0.EmployeeID: true}
	for _, c := range p.Changes {
		if s, ok := c.After.(*StaffAttrs); ok && c.Action == Create {
			if seen[s.EmployeeID] {
				t.Fatalf("employee ID %s given twice", s.EmployeeID)
			}
			seen[s.EmployeeID] = true
			if s.Key == p0.Key() {
				got = s.EmployeeID
			}
		}
	}
	if got == p0.EmployeeID || !strings.HasPrefix(got, "DR-ALMADINA-") || len(got) != len("DR-ALMADINA-00000") {
		t.Fatalf("first physician's employee ID = %q (generated %q is taken)", got, p0.EmployeeID)
	}
	// Once applied, the spare is the row's own: the next plan keeps it.
	next := converged(t, p)
	next.Staff = append(next.Staff, st.Staff[0])
	again, err := Make(sp, next, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !again.Empty() {
		t.Fatalf("re-plan: %d changes, first %+v", len(again.Changes), again.Changes[0])
	}
}
