package generate

import (
	"fmt"
	"strconv"
	"sync"

	"github.com/px360/staffseed/internal/names"
	"github.com/px360/staffseed/internal/spec"
)

// MaxPerType is the number of staff of one type and hospital whose employee
// IDs have five digits. IDs stay unique beyond it, with more digits.
const MaxPerType = 100_000

// nameData is the shipped name data, read once.
var nameData = sync.OnceValue(func() struct {
	male, female, family []names.Pair
	specializations      []string
} {
	return struct {
		male, female, family []names.Pair
		specializations      []string
	}{names.MaleFirst(), names.FemaleFirst(), names.Family(), names.Specializations()}
})

// IsFemale reports whether the staff member at index (0-based) is female
// under ratio. Index i is female when ratio.Of(i+1) exceeds ratio.Of(i), so
// the first n staff always hold exactly ratio.Of(n) women, whatever n is.
func IsFemale(ratio spec.Ratio, index int) bool {
	return ratio.Of(index+1) > ratio.Of(index)
}

// genderOrdinal returns the gender of index and how many staff of that
// gender come before it.
func genderOrdinal(ratio spec.Ratio, index int) (Gender, int) {
	females := ratio.Of(index)
	if IsFemale(ratio, index) {
		return Female, females
	}
	return Male, index - females
}

// Staff returns the generated staff member (hospital, t, index). All of its
// attributes are a function of seed, hospital, t and index alone, except the
// gender, which also depends on femaleRatio (see IsFemale).
//
// Names: for each (seed, hospital, gender) the (first, family) pairs are
// taken in the order of a keyed permutation of every combination, and the
// staff types take turns in it: the k-th man of type t gets combination
// 3k+position(t). So no two people of one gender in a hospital share a full
// name until one type has more than a third of the combinations of that
// gender (over 12,000 people).
func Staff(seed int64, hospital string, t spec.StaffType, index int, femaleRatio spec.Ratio) Person {
	if index < 0 {
		panic(fmt.Sprintf("generate: negative index %d", index))
	}
	return newTypeGen(seed, hospital, t, femaleRatio).at(index)
}

// ForHospital returns the generated staff of h: for each type in
// spec.StaffTypes order, indices 0..Count-1 of h.Staff[type].
func ForHospital(seed int64, h *spec.Hospital) []Person {
	var out []Person
	for _, t := range spec.StaffTypes {
		tc := h.Staff[t]
		for i := range tc.Count {
			out = append(out, Staff(seed, h.Code, t, i, tc.FemaleRatio))
		}
	}
	return out
}

// typePosition is the turn of a staff type in the shared name order.
func typePosition(t spec.StaffType) int {
	for i, st := range spec.StaffTypes {
		if st == t {
			return i
		}
	}
	panic(fmt.Sprintf("generate: unknown staff type %q", string(t)))
}

// EmployeeID returns the employee ID of (hospital, t, index):
// DR|RN|ADM-HOSPITAL-NNNNN, the number a keyed permutation of
// [0, MaxPerType) at index, so IDs of one hospital and type never repeat.
func EmployeeID(seed int64, hospital string, t spec.StaffType, index int) string {
	if index < 0 {
		panic(fmt.Sprintf("generate: negative index %d", index))
	}
	return employeeID(employeePermutation(seed, hospital, t), hospital, t, index)
}

// employeePermutation is the keyed permutation of employee numbers of one
// hospital and type.
func employeePermutation(seed int64, hospital string, t spec.StaffType) permutation {
	return newPermutation(MaxPerType, deriveKey("employee-id", seed, hospital, string(t)))
}

// employeeID is the employee ID of index under the type's permutation.
func employeeID(perm permutation, hospital string, t spec.StaffType, index int) string {
	block, offset := uint64(index)/MaxPerType, uint64(index)%MaxPerType
	n := strconv.FormatUint(block*MaxPerType+perm.At(offset), 10)
	if len(n) < 5 {
		n = "00000"[len(n):] + n
	}
	return IDPrefix(t) + "-" + hospital + "-" + n
}

// IDPrefix is the employee ID prefix of a staff type: DR, RN or ADM.
func IDPrefix(t spec.StaffType) string {
	switch t {
	case spec.Physician:
		return "DR"
	case spec.Nurse:
		return "RN"
	case spec.Admin:
		return "ADM"
	}
	panic(fmt.Sprintf("generate: unknown staff type %q", string(t)))
}
