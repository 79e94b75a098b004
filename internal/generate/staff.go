package generate

import (
	"fmt"
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
	d := nameData()
	gender, ordinal := genderOrdinal(femaleRatio, index)
	firsts := d.male
	if gender == Female {
		firsts = d.female
	}
	first, last := pickName(seed, hospital, t, gender, ordinal, firsts, d.family)
	p := Person{
		Identity:    Identity{Hospital: hospital, Type: t, Index: index},
		FirstName:   first.En,
		LastName:    last.En,
		FirstNameAr: first.Ar,
		LastNameAr:  last.Ar,
		Gender:      gender,
		EmployeeID:  EmployeeID(seed, hospital, t, index),
	}
	if t == spec.Physician {
		p.Specialization = specialization(seed, hospital, index, d.specializations)
	}
	p.UsernameBase = UsernameBase(p.FirstName, p.LastName)
	return p
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

// pickName returns the ordinal-th name of gender and type t in hospital.
func pickName(seed int64, hospital string, t spec.StaffType, gender Gender, ordinal int, firsts, family []names.Pair) (names.Pair, names.Pair) {
	combos := uint64(len(firsts) * len(family))
	slot := uint64(ordinal)*uint64(len(spec.StaffTypes)) + uint64(typePosition(t))
	// Past every combination, start another, differently keyed, round.
	round := slot / combos
	key := deriveKey("name", seed, hospital, string(gender), fmt.Sprint(round))
	c := newPermutation(combos, key).At(slot % combos)
	return firsts[c/uint64(len(family))], family[c%uint64(len(family))]
}

// EmployeeID returns the employee ID of (hospital, t, index):
// DR|RN|ADM-HOSPITAL-NNNNN, the number a keyed permutation of
// [0, MaxPerType) at index, so IDs of one hospital and type never repeat.
func EmployeeID(seed int64, hospital string, t spec.StaffType, index int) string {
	if index < 0 {
		panic(fmt.Sprintf("generate: negative index %d", index))
	}
	perm := newPermutation(MaxPerType, deriveKey("employee-id", seed, hospital, string(t)))
	block, offset := uint64(index)/MaxPerType, uint64(index)%MaxPerType
	n := block*MaxPerType + perm.At(offset)
	return fmt.Sprintf("%s-%s-%05d", IDPrefix(t), hospital, n)
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

// specialization returns the specialization of physician index: the
// hospital's physicians go round a keyed shuffle of the specializations,
// so every one is taken before any repeats.
func specialization(seed int64, hospital string, index int, specs []string) string {
	perm := newPermutation(uint64(len(specs)), deriveKey("specialization", seed, hospital))
	return specs[perm.At(uint64(index%len(specs)))]
}
