package generate

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/px360/staffseed/internal/names"
	"github.com/px360/staffseed/internal/spec"
)

// StaffRange returns Staff(seed, hospital, t, i, femaleRatio) for every i
// in [0, count), generated on every core. The keyed permutations the
// attributes come from are derived once per range rather than once per
// person, and each name is folded into a username part once.
func StaffRange(seed int64, hospital string, t spec.StaffType, count int, femaleRatio spec.Ratio) []Person {
	out := make([]Person, count)
	workers := min(runtime.GOMAXPROCS(0), max(1, count/1000))
	chunk := (count + workers - 1) / workers
	var wg sync.WaitGroup
	for start := 0; start < count; start += chunk {
		wg.Go(func() {
			g := newTypeGen(seed, hospital, t, femaleRatio)
			for i := start; i < min(start+chunk, count); i++ {
				out[i] = g.at(i)
			}
		})
	}
	wg.Wait()
	return out
}

// typeGen generates the staff of one hospital and type, keeping what is
// the same for all of them. It is not safe for concurrent use.
type typeGen struct {
	seed        int64
	hospital    string
	t           spec.StaffType
	femaleRatio spec.Ratio
	employee    permutation
	special     permutation
	// names holds the name permutation of each gender and round.
	names map[nameRound]permutation
	// folded caches NamePart of each English name.
	folded map[string]string
}

type nameRound struct {
	gender Gender
	round  uint64
}

func newTypeGen(seed int64, hospital string, t spec.StaffType, femaleRatio spec.Ratio) *typeGen {
	g := &typeGen{seed: seed, hospital: hospital, t: t, femaleRatio: femaleRatio,
		employee: newPermutation(MaxPerType, deriveKey("employee-id", seed, hospital, string(t))),
		names:    map[nameRound]permutation{}, folded: map[string]string{}}
	if t == spec.Physician {
		g.special = newPermutation(uint64(len(nameData().specializations)), deriveKey("specialization", seed, hospital))
	}
	return g
}

// at is Staff(g.seed, g.hospital, g.t, index, g.femaleRatio).
func (g *typeGen) at(index int) Person {
	d := nameData()
	gender, ordinal := genderOrdinal(g.femaleRatio, index)
	firsts := d.male
	if gender == Female {
		firsts = d.female
	}
	combos := uint64(len(firsts) * len(d.family))
	slot := uint64(ordinal)*uint64(len(spec.StaffTypes)) + uint64(typePosition(g.t))
	nr := nameRound{gender, slot / combos}
	perm, ok := g.names[nr]
	if !ok {
		perm = newPermutation(combos, deriveKey("name", g.seed, g.hospital, string(gender), fmt.Sprint(nr.round)))
		g.names[nr] = perm
	}
	c := perm.At(slot % combos)
	first, last := firsts[c/uint64(len(d.family))], d.family[c%uint64(len(d.family))]
	block, offset := uint64(index)/MaxPerType, uint64(index)%MaxPerType
	p := Person{
		Identity:    Identity{Hospital: g.hospital, Type: g.t, Index: index},
		FirstName:   first.En,
		LastName:    last.En,
		FirstNameAr: first.Ar,
		LastNameAr:  last.Ar,
		Gender:      gender,
		EmployeeID:  fmt.Sprintf("%s-%s-%05d", IDPrefix(g.t), g.hospital, block*MaxPerType+g.employee.At(offset)),
	}
	if g.t == spec.Physician {
		p.Specialization = d.specializations[g.special.At(uint64(index%len(d.specializations)))]
	}
	p.UsernameBase = g.fold(first, fallbackFirst) + "." + g.fold(last, fallbackLast)
	return p
}

// fold is NamePart of the name's English form, or fallback when empty.
func (g *typeGen) fold(n names.Pair, fallback string) string {
	f, ok := g.folded[n.En]
	if !ok {
		f = NamePart(n.En)
		if f == "" {
			f = fallback
		}
		g.folded[n.En] = f
	}
	return f
}
