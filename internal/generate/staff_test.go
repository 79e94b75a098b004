package generate

import (
	"fmt"
	"reflect"
	"regexp"
	"testing"

	"github.com/px360/staffseed/internal/names"
	"github.com/px360/staffseed/internal/spec"
)

var testRatios = []spec.Ratio{
	spec.RatioFromFloat(0),
	spec.RatioFromFloat(0.3),
	spec.RatioFromFloat(0.4),
	spec.RatioFromFloat(0.5),
	spec.RatioFromFloat(0.7),
	spec.RatioFromFloat(1),
	spec.RatioFromFloat(0.333333),
}

func TestGenderExactAtEveryPrefix(t *testing.T) {
	for _, ratio := range testRatios {
		t.Run(fmt.Sprint(ratio.Float()), func(t *testing.T) {
			females := 0
			for n := 0; n <= 2000; n++ {
				if females != ratio.Of(n) {
					t.Fatalf("first %d staff hold %d women, want %d", n, females, ratio.Of(n))
				}
				if Staff(7, "ALMADINA", spec.Nurse, n, ratio).Gender == Female {
					females++
				}
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	ratio := spec.RatioFromFloat(0.4)
	for _, typ := range spec.StaffTypes {
		for i := range 50 {
			a := Staff(42, "ALMADINA", typ, i, ratio)
			b := Staff(42, "ALMADINA", typ, i, ratio)
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("Staff(42, ALMADINA, %s, %d) differs between calls:\n%+v\n%+v", typ, i, a, b)
			}
		}
	}
}

func TestInputsChangeNames(t *testing.T) {
	ratio := spec.RatioFromFloat(0.5)
	base := func(seed int64, hospital string, typ spec.StaffType, i int) string {
		return Staff(seed, hospital, typ, i, ratio).FullName()
	}
	tests := []struct {
		name  string
		other func(i int) string
	}{
		{"seed", func(i int) string { return base(2, "ALMADINA", spec.Nurse, i) }},
		{"hospital", func(i int) string { return base(1, "RIYADH", spec.Nurse, i) }},
		{"type", func(i int) string { return base(1, "ALMADINA", spec.Admin, i) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			same := 0
			for i := range 100 {
				if base(1, "ALMADINA", spec.Nurse, i) == tt.other(i) {
					same++
				}
			}
			if same > 5 {
				t.Errorf("%d of 100 names unchanged when the %s changes", same, tt.name)
			}
		})
	}
}

func TestStableWhenCountGrows(t *testing.T) {
	h := spec.Hospital{Code: "ALMADINA", Staff: map[spec.StaffType]spec.TypeCount{
		spec.Physician: {Count: 10, FemaleRatio: 400_000},
		spec.Nurse:     {Count: 15, FemaleRatio: 700_000},
		spec.Admin:     {Count: 5, FemaleRatio: 400_000},
	}}
	small := ForHospital(9, &h)
	if len(small) != 30 {
		t.Fatalf("ForHospital: %d staff, want 30", len(small))
	}
	bigger := h
	bigger.Staff = map[spec.StaffType]spec.TypeCount{
		spec.Physician: {Count: 40, FemaleRatio: 400_000},
		spec.Nurse:     {Count: 100, FemaleRatio: 700_000},
		spec.Admin:     {Count: 5, FemaleRatio: 400_000},
	}
	byKey := map[string]Person{}
	for _, p := range ForHospital(9, &bigger) {
		byKey[p.Key()] = p
	}
	for _, p := range small {
		if got := byKey[p.Key()]; !reflect.DeepEqual(got, p) {
			t.Errorf("%s changed when counts grew:\n%+v\n%+v", p.Key(), p, got)
		}
	}
}

var employeeIDPattern = regexp.MustCompile(`^(DR|RN|ADM)-[A-Z0-9_-]+-[0-9]{5}$`)

func TestPersonFields(t *testing.T) {
	specs := map[string]bool{}
	for _, s := range names.Specializations() {
		specs[s] = true
	}
	for _, typ := range spec.StaffTypes {
		seen := map[string]bool{}
		for i := range 200 {
			p := Staff(3, "ALMADINA", typ, i, 500_000)
			if p.Hospital != "ALMADINA" || p.Type != typ || p.Index != i {
				t.Fatalf("identity %+v, want ALMADINA/%s/%d", p.Identity, typ, i)
			}
			if !employeeIDPattern.MatchString(p.EmployeeID) || p.EmployeeID[:len(IDPrefix(typ))] != IDPrefix(typ) {
				t.Errorf("%s: employee ID %q", p.Key(), p.EmployeeID)
			}
			if p.FirstName == "" || p.LastName == "" || p.FirstNameAr == "" || p.LastNameAr == "" {
				t.Errorf("%s: missing a name: %+v", p.Key(), p)
			}
			if p.UsernameBase != UsernameBase(p.FirstName, p.LastName) {
				t.Errorf("%s: UsernameBase %q", p.Key(), p.UsernameBase)
			}
			if typ == spec.Physician {
				if !specs[p.Specialization] {
					t.Errorf("%s: specialization %q not in the list", p.Key(), p.Specialization)
				}
				seen[p.Specialization] = true
			} else if p.Specialization != "" {
				t.Errorf("%s: %s has specialization %q", p.Key(), typ, p.Specialization)
			}
		}
		if typ == spec.Physician && len(seen) != len(specs) {
			t.Errorf("200 physicians cover %d of %d specializations", len(seen), len(specs))
		}
	}
}

func TestNamesMatchGender(t *testing.T) {
	male, female := map[string]bool{}, map[string]bool{}
	for _, p := range names.MaleFirst() {
		male[p.En+"|"+p.Ar] = true
	}
	for _, p := range names.FemaleFirst() {
		female[p.En+"|"+p.Ar] = true
	}
	for i := range 1000 {
		p := Staff(5, "ALMADINA", spec.Nurse, i, 700_000)
		first := p.FirstName + "|" + p.FirstNameAr
		if (p.Gender == Female && !female[first]) || (p.Gender == Male && !male[first]) {
			t.Errorf("%s: %s first name %s", p.Key(), p.Gender, first)
		}
	}
}

func TestEmployeeIDsUnique(t *testing.T) {
	for _, typ := range spec.StaffTypes {
		seen := make(map[string]bool, MaxPerType)
		for i := range MaxPerType {
			id := EmployeeID(11, "ALMADINA", typ, i)
			if seen[id] {
				t.Fatalf("%s index %d repeats employee ID %s", typ, i, id)
			}
			seen[id] = true
		}
		// Beyond five digits the IDs grow longer and stay unique.
		for i := MaxPerType; i < MaxPerType+1000; i++ {
			id := EmployeeID(11, "ALMADINA", typ, i)
			if seen[id] {
				t.Fatalf("%s index %d repeats employee ID %s", typ, i, id)
			}
			seen[id] = true
		}
	}
	if EmployeeID(11, "ALMADINA", spec.Nurse, 0) == EmployeeID(12, "ALMADINA", spec.Nurse, 0) &&
		EmployeeID(11, "ALMADINA", spec.Nurse, 1) == EmployeeID(12, "ALMADINA", spec.Nurse, 1) {
		t.Error("employee IDs do not depend on the seed")
	}
}

func TestPermutationIsBijection(t *testing.T) {
	for _, n := range []uint64{1, 2, 3, 20, 100, 1000, 38760} {
		p := newPermutation(n, deriveKey("test", 1, fmt.Sprint(n)))
		seen := make([]bool, n)
		for x := range n {
			y := p.At(x)
			if y >= n || seen[y] {
				t.Fatalf("n=%d: At(%d) = %d repeats or leaves the domain", n, x, y)
			}
			seen[y] = true
		}
	}
}

// fullNameClashes counts staff whose English full name an earlier staff
// member of the same hospital already has.
func fullNameClashes(staff []Person) int {
	seen := map[string]bool{}
	clashes := 0
	for _, p := range staff {
		if seen[p.FullName()] {
			clashes++
		}
		seen[p.FullName()] = true
	}
	return clashes
}

func TestFullNameClashesInOneHospital(t *testing.T) {
	tests := []struct {
		name   string
		counts map[spec.StaffType]spec.TypeCount
	}{
		{"mixed 10k", map[spec.StaffType]spec.TypeCount{
			spec.Physician: {Count: 3000, FemaleRatio: 400_000},
			spec.Nurse:     {Count: 5000, FemaleRatio: 700_000},
			spec.Admin:     {Count: 2000, FemaleRatio: 400_000},
		}},
		{"10k nurses", map[spec.StaffType]spec.TypeCount{
			spec.Nurse: {Count: 10_000, FemaleRatio: 700_000},
		}},
		{"10k male admin", map[spec.StaffType]spec.TypeCount{
			spec.Admin: {Count: 10_000, FemaleRatio: 0},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := spec.Hospital{Code: "ALMADINA", Staff: tt.counts}
			staff := ForHospital(2024, &h)
			clashes := fullNameClashes(staff)
			t.Logf("%d staff, %d full-name clashes", len(staff), clashes)
			if clashes != 0 {
				t.Errorf("%d full-name clashes among %d staff of one hospital, want 0", clashes, len(staff))
			}
		})
	}
}

func BenchmarkStaff(b *testing.B) {
	for b.Loop() {
		for i := range 100_000 {
			Staff(1, "ALMADINA", spec.Nurse, i, 700_000)
		}
	}
}

// TestStaffRange checks that the batch generator gives exactly what Staff
// gives, across name rounds and employee ID blocks.
func TestStaffRange(t *testing.T) {
	for _, tt := range []struct {
		typ   spec.StaffType
		count int
		ratio spec.Ratio
	}{{spec.Physician, 40_000, 400_000}, {spec.Nurse, 3_000, 1_000_000}, {spec.Admin, 1, 0}, {spec.Admin, 0, 0}} {
		got := StaffRange(9, "RIYADH", tt.typ, tt.count, tt.ratio)
		if len(got) != tt.count {
			t.Fatalf("%s: %d people, want %d", tt.typ, len(got), tt.count)
		}
		for i, p := range got {
			if want := Staff(9, "RIYADH", tt.typ, i, tt.ratio); p != want {
				t.Fatalf("%s %d: StaffRange gives %+v, Staff %+v", tt.typ, i, p, want)
			}
		}
	}
	if got := StaffRange(9, "RIYADH", spec.Admin, 100_001, 0)[100_000]; got != Staff(9, "RIYADH", spec.Admin, 100_000, 0) {
		t.Fatalf("index 100000 differs: %+v", got)
	}
}

func BenchmarkStaffRange(b *testing.B) {
	for b.Loop() {
		StaffRange(1, "ALMADINA", spec.Nurse, 100_000, 700_000)
	}
}
