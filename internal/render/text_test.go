package render

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/px360/staffseed/plan"
)

func userCreate(addr, role string) plan.Change {
	return plan.Change{Address: addr, Resource: plan.User, Action: plan.Create, Hospital: "KFSH",
		After: &plan.UserAttrs{Username: addr, Role: role}}
}

func planText(t *testing.T, changes []plan.Change) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Text(&buf, &plan.Plan{Changes: changes}, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestTextGroupsByRoleWithoutFakeRanges checks that roster rows keyed by
// employee ID group only with the same role and never print a range.
func TestTextGroupsByRoleWithoutFakeRanges(t *testing.T) {
	var changes []plan.Change
	for _, id := range []string{"E-1", "E-2", "E-4", "E-5"} {
		changes = append(changes, userCreate(fmt.Sprintf("user.KFSH.roster[%q]", id), "doctor"))
	}
	for _, id := range []string{"N-1", "N-2"} {
		changes = append(changes, userCreate(fmt.Sprintf("user.KFSH.roster[%q]", id), "nurse"))
	}
	out := planText(t, changes)
	if strings.Contains(out, `".."`) {
		t.Errorf("quoted keys printed as a range:\n%s", out)
	}
	want := `user.KFSH.roster[4 rows: "E-1" … "E-5"]  4 accounts to create (role: doctor)`
	if !strings.Contains(out, want) {
		t.Errorf("missing %q in:\n%s", want, out)
	}
	for _, id := range []string{"N-1", "N-2"} {
		line := fmt.Sprintf(`user.KFSH.roster[%q]  user.KFSH.roster[%q] <> role: nurse`, id, id)
		if !strings.Contains(out, line) {
			t.Errorf("missing %q in:\n%s", line, out)
		}
	}
}

// TestTextSplitsGappedRanges checks that generated indices group only while
// consecutive.
func TestTextSplitsGappedRanges(t *testing.T) {
	var changes []plan.Change
	for _, i := range []int{0, 1, 2, 3, 4, 7, 8, 9, 10} {
		changes = append(changes, plan.Change{Address: fmt.Sprintf("staff.KFSH.nurse[%d]", i),
			Resource: plan.Staff, Action: plan.Create, Hospital: "KFSH", After: &plan.StaffAttrs{}})
	}
	out := planText(t, changes)
	for _, want := range []string{"staff.KFSH.nurse[0..4]  5 staff to create", "staff.KFSH.nurse[7..10]  4 staff to create"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "[0..10]") {
		t.Errorf("gapped indices printed as one range:\n%s", out)
	}
}
