package plan

import (
	"strings"
	"testing"
)

// TestOtherSeedsStaffIsLeftAlone converges a spec, then plans the same
// hospital with another seed: the first spec's rows are neither updated
// nor removed (destroy included) but warned about, and clear: true
// removes them with their accounts.
func TestOtherSeedsStaffIsLeftAlone(t *testing.T) {
	first, err := Make(mustSpec(t, baseSpec), emptyState(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	st := converged(t, first)
	other := mustSpec(t, strings.Replace(baseSpec, "seed: 5", "seed: 6", 1))
	p, err := Make(other, st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := count(p, Staff, Create); n != 6 || len(p.Changes) != count(p, Staff, Create)+count(p, User, Create)+count(p, Credential, IssueCredential) {
		t.Fatalf("other seed: %d staff to create, changes %+v", n, p.Changes)
	}
	warned := false
	for _, w := range p.Warnings {
		warned = warned || w == "hospital.ALMADINA has 6 staff made by staffseed with seed 5; they are left alone"
	}
	if !warned {
		t.Errorf("warnings = %q", p.Warnings)
	}
	for _, c := range p.Changes {
		if s, ok := c.After.(*StaffAttrs); ok {
			for _, r := range st.Staff {
				if s.EmployeeID == r.EmployeeID || s.Email == *r.Email {
					t.Errorf("%s takes %s's employee ID or email", c.Address, r.Key)
				}
			}
		}
	}
	if d, err := Make(other, st, Options{Destroy: true}); err != nil || len(d.Changes) != 0 {
		t.Fatalf("destroy of the other seed: %v %+v", err, d)
	}
	cleared := mustSpec(t, strings.Replace(baseSpec, "seed: 5", "seed: 6\nclear: true", 1))
	c, err := Make(cleared, st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if count(c, Staff, Delete) != 6 || count(c, User, Delete) != 6 {
		t.Errorf("clear: %d staff and %d users deleted", count(c, Staff, Delete), count(c, User, Delete))
	}
}

// TestAccountFoundAgainByKey unlinks and then deletes a staff row: the
// plan links the row back to its account, or creates the row with it,
// rather than making a second account.
func TestAccountFoundAgainByKey(t *testing.T) {
	sp := mustSpec(t, baseSpec)
	first, err := Make(sp, emptyState(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	st := converged(t, first)
	uid := *st.Staff[2].UserID
	st.Staff[2].UserID = nil
	p, err := Make(sp, st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Changes) != 1 || p.Changes[0].Action != Update || p.Changes[0].After.(*StaffAttrs).UserID != uid {
		t.Fatalf("unlinked: %+v", p.Changes)
	}
	st.Staff = append(st.Staff[:2], st.Staff[3:]...)
	p, err = Make(sp, st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Changes) != 1 || p.Changes[0].Action != Create || p.Changes[0].After.(*StaffAttrs).UserID != uid {
		t.Fatalf("deleted: %+v", p.Changes)
	}
}

// TestRosterEmployeeIDOfAnotherHospital fails the plan on a roster
// employee ID a row of a hospital outside the spec holds.
func TestRosterEmployeeIDOfAnotherHospital(t *testing.T) {
	st := emptyState()
	st.EmployeeIDs = map[string]bool{"E-2": true}
	_, err := Make(rosterPlanSpec(t, rosterCSV), st, Options{})
	if err == nil || !strings.Contains(err.Error(), `r.csv:3:1: employee ID "E-2" is already another staff row's`) {
		t.Errorf("err = %v", err)
	}
}

// TestRosterEmailChangeMovesTheAccount changes a roster row's email: the
// staff row and its account both take the new address.
func TestRosterEmailChangeMovesTheAccount(t *testing.T) {
	p, err := Make(rosterPlanSpec(t, rosterCSV), emptyState(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	st := converged(t, p)
	p, err = Make(rosterPlanSpec(t, strings.Replace(rosterCSV, "abd@example.org", "abd@example.net", 1)), st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Changes) != 2 || p.Changes[0].After.(*StaffAttrs).Email != "abd@example.net" ||
		p.Changes[1].Before.(*UserAttrs).Email != "abd@example.org" || p.Changes[1].After.(*UserAttrs).Email != "abd@example.net" {
		t.Fatalf("changes: %+v", p.Changes)
	}
}

// TestSavedPlanKeepsTheSeed checks that apply of a saved plan records the
// spec's seed.
func TestSavedPlanKeepsTheSeed(t *testing.T) {
	p, err := Make(mustSpec(t, baseSpec), emptyState(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	p.Database, p.Fingerprint = "db", "fp"
	data, err := Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode(data)
	if err != nil || back.Settings.Seed != 5 {
		t.Fatalf("decoded seed %d, err %v", back.Settings.Seed, err)
	}
}
