package render

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/px360/staffseed/plan"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenPlan has one change of every resource and action.
func goldenPlan() *plan.Plan {
	staff := &plan.StaffAttrs{ID: 7, Key: "ALMADINA/nurse/0", StaffType: "nurse", EmployeeID: "RN-ALMADINA-00001",
		FirstName: "Hessa", LastName: "Al-Dabbagh", FirstNameAr: "حصة", LastNameAr: "الدباغ", Gender: "female",
		Email: "hessa.aldabbagh@almadina.sa", Department: "Emergency", UserID: 70}
	edited := *staff
	edited.FirstName, edited.Email = "Edited", "edited@example.com"
	user := &plan.UserAttrs{ID: 70, StaffKey: staff.Key, StaffID: 7, Username: "hessa.aldabbagh",
		Email: staff.Email, FirstName: "Hessa", LastName: "Al-Dabbagh", Role: "staff", IsActive: true}
	inactive := *user
	inactive.IsActive = false
	return &plan.Plan{
		FormatVersion: plan.FormatVersion, SpecDigest: "sha256:5pec", Fingerprint: "f1e2d3", Database: "7301/px360",
		Migrations: []string{"0002_staffseed_tables"}, Hospitals: []string{"ALMADINA"},
		Warnings: []string{"hospital.ALMADINA: no department takes admin staff; 1 left without a department"},
		Changes: []plan.Change{
			{Address: "hospital.ALMADINA", Resource: plan.Hospital, Action: plan.Create, Hospital: "ALMADINA",
				Cause: "in the spec, not in the database", After: &plan.HospitalAttrs{Code: "ALMADINA", Name: "Al Madina", NameAr: "المدينة"}},
			{Address: `department.ALMADINA["Emergency"]`, Resource: plan.Department, Action: plan.Create, Hospital: "ALMADINA",
				After: &plan.DepartmentAttrs{Name: "Emergency", NameAr: "الطوارئ"}},
			{Address: "staff.ALMADINA.nurse[0]", Resource: plan.Staff, Action: plan.Update, Hospital: "ALMADINA",
				Cause: "differs from the spec", Before: &edited, After: staff},
			{Address: "staff.ALMADINA.nurse[1]", Resource: plan.Staff, Action: plan.Delete, Hospital: "ALMADINA",
				Cause: "index beyond the spec's count", Before: staff},
			{Address: "user.ALMADINA.nurse[1]", Resource: plan.User, Action: plan.Deactivate, Hospital: "ALMADINA",
				Cause: "its staff member is removed (on_remove: deactivate)", Before: user, After: &inactive},
			{Address: "credential.ALMADINA.nurse[0]", Resource: plan.Credential, Action: plan.IssueCredential, Hospital: "ALMADINA",
				Cause: "new account", After: &plan.CredentialAttrs{StaffKey: staff.Key, Username: user.Username, Email: staff.Email,
					FirstName: "Hessa", LastName: "Al-Dabbagh", Language: "bilingual", State: "delivered", Password: plan.Sensitive}},
		},
	}
}

func TestJSONGolden(t *testing.T) {
	for name, p := range map[string]*plan.Plan{
		"plan.json":       goldenPlan(),
		"no_changes.json": {FormatVersion: plan.FormatVersion, SpecDigest: "sha256:5pec", Fingerprint: "f1e2d3", Database: "7301/px360"},
	} {
		var buf bytes.Buffer
		if err := JSON(&buf, p); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s differs from the golden file (go test -update to accept):\n%s", name, buf.String())
		}
	}
}
