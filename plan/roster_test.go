package plan

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/px360/staffseed/internal/roster"
	"github.com/px360/staffseed/internal/spec"
)

const rosterSpec = `
version: 1
seed: 5
hospitals:
  - code: ALMADINA
    name: Al Madina
    departments:
      - {name: Cardiology, staff_types: [physician], specializations: [Cardiology]}
      - {name: Front Desk, staff_types: [admin]}
staff:
  physicians: {count: 0}
  nurses: {count: 0}
  admin_staff: {count: 0}
accounts: {create_users: true}
email: {send_credentials: true, transport: console}
`

const rosterCSV = "employee_id,staff_type,first_name,last_name,first_name_ar,last_name_ar,gender,email,department,specialization\n" +
	"E-1,physician,Zoë,O'Neil,,,female,,,Cardiology\n" +
	"E-2,nurse,Abd al-Rahman,Saleh,,,male,abd@example.org,,\n" +
	"E-3,admin,Sara,Khan,,,female,,Front Desk,\n"

func rosterPlanSpec(t *testing.T, csv string) *spec.Spec {
	t.Helper()
	s := mustSpec(t, rosterSpec)
	rows, diags := roster.Read("r.csv", []byte(csv))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	s.Hospitals[0].RosterRows = rows
	return s
}

func TestRosterRowsPlannedLikeGeneratedStaff(t *testing.T) {
	s := rosterPlanSpec(t, rosterCSV)
	p, err := Make(s, emptyState(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	staff := map[string]*StaffAttrs{}
	users := map[string]*UserAttrs{}
	for _, c := range p.Changes {
		switch a := c.After.(type) {
		case *StaffAttrs:
			staff[c.Address] = a
		case *UserAttrs:
			users[c.Address] = a
		}
	}
	zoe := staff[`staff.ALMADINA.roster["E-1"]`]
	if zoe == nil || zoe.Key != "ALMADINA/roster/E-1" || zoe.Department != "Cardiology" || zoe.Email != "zoe.oneil@almadina.sa" {
		t.Errorf("E-1 = %+v", zoe)
	}
	if u := users[`user.ALMADINA.roster["E-2"]`]; u == nil || u.Username != "abdalrahman.saleh" || u.Email != "abd@example.org" {
		t.Errorf("user of E-2 = %+v", u)
	}
	if a := staff[`staff.ALMADINA.roster["E-3"]`]; a == nil || a.Department != "Front Desk" {
		t.Errorf("E-3 = %+v", a)
	}
	if !reflect.DeepEqual(p.Warnings, []string{"hospital.ALMADINA: no department takes nurse staff; 1 left without a department"}) {
		t.Errorf("warnings = %q", p.Warnings)
	}
	if count(p, Credential, IssueCredential) != 3 {
		t.Errorf("credentials: %d", count(p, Credential, IssueCredential))
	}

	// Applied, the roster has nothing left to do.
	st := converged(t, p)
	if again, err := Make(s, st, Options{}); err != nil || len(again.Changes) != 0 {
		t.Fatalf("re-plan: %v %+v", err, again)
	}

	// A changed cell is an update back to the roster; a row taken out is
	// deleted with its account; the account's names follow.
	edited := strings.Replace(rosterCSV, "Sara,Khan", "Sara,Khan-Ali", 1)
	edited = strings.Replace(edited, "E-1,physician,Zoë,O'Neil,,,female,,,Cardiology\n", "", 1)
	p, err = Make(rosterPlanSpec(t, edited), st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range p.Changes {
		got = append(got, c.Action.String()+" "+c.Address+" # "+c.Cause)
	}
	want := []string{
		`update staff.ALMADINA.roster["E-3"] # differs from the roster`,
		`delete staff.ALMADINA.roster["E-1"] # no longer in the roster`,
		`update user.ALMADINA.roster["E-3"] # names differ from its staff member's`,
		`delete user.ALMADINA.roster["E-1"] # its staff member is removed`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestRosterEmployeeIDAndEmailClashes(t *testing.T) {
	s := rosterPlanSpec(t, rosterCSV)
	st := emptyState()
	st.Emails["abd@example.org"] = true
	_, err := Make(s, st, Options{})
	if err == nil || !strings.Contains(err.Error(), `r.csv:3:38: email "abd@example.org" is already in use`) {
		t.Errorf("err = %v", err)
	}
}

// TestDepartmentsBySpecialization checks that generated physicians go to
// a department taking their specialization, the same one on every plan,
// and that those none takes are left without one, with a warning.
func TestDepartmentsBySpecialization(t *testing.T) {
	src := strings.Replace(baseSpec, `      - {name: Emergency, staff_types: [physician, nurse]}`,
		`      - {name: Heart, staff_types: [physician], specializations: [Cardiology]}
      - {name: Heart B, staff_types: [physician], specializations: [Cardiology]}
      - {name: Wards, staff_types: [nurse]}`, 1)
	src = strings.Replace(src, "physicians: {count: 2}", "physicians: {count: 40}", 1)
	s := mustSpec(t, src)
	p1, err := Make(s, emptyState(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	p2, _ := Make(s, emptyState(), Options{})
	if !reflect.DeepEqual(p1.Changes, p2.Changes) {
		t.Fatal("two plans of the same spec assign differently")
	}
	depts, unassigned := map[string]int{}, 0
	for _, c := range p1.Changes {
		a, ok := c.After.(*StaffAttrs)
		if !ok || a.StaffType != "physician" {
			continue
		}
		if a.Specialization == "" {
			t.Errorf("%s has no specialization", c.Address)
		}
		switch {
		case a.Specialization == "Cardiology" && (a.Department == "Heart" || a.Department == "Heart B"):
			depts[a.Department]++
		case a.Specialization != "Cardiology" && a.Department == "":
			unassigned++
		default:
			t.Errorf("%s (%s) assigned to %q", c.Address, a.Specialization, a.Department)
		}
	}
	if depts["Heart"] == 0 || depts["Heart B"] == 0 || unassigned == 0 {
		t.Errorf("cardiologists by department %v, unassigned %d", depts, unassigned)
	}
	want := "hospital.ALMADINA: no department takes the specialization of " + strconv.Itoa(unassigned) + " physician staff; left without a department"
	found := false
	for _, w := range p1.Warnings {
		found = found || w == want
	}
	if !found {
		t.Errorf("warnings %q lack %q", p1.Warnings, want)
	}
}
