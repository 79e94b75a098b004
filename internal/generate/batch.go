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

// typeGen generates the staff of one hospital and type (see Staff),
// keeping what is the same for all of them. It is not safe for concurrent
// use.
type typeGen struct {
	seed        int64
	hospital    string
	t           spec.StaffType
	femaleRatio spec.Ratio
	employee    permutation
	special     permutation
	// names holds the last name permutation of each gender (0 male, 1
	// female) with its round.
	names [2]struct {
		round uint64
		perm  permutation
		ok    bool
	}
	// folded caches NamePart of each English name (made at first use).
	folded map[string]string
}

func newTypeGen(seed int64, hospital string, t spec.StaffType, femaleRatio spec.Ratio) *typeGen {
	g := &typeGen{seed: seed, hospital: hospital, t: t, femaleRatio: femaleRatio,
		employee: employeePermutation(seed, hospital, t),
	}
	if t == spec.Physician {
		// The hospital's physicians go round a keyed shuffle of the
		// specializations, so every one is taken before any repeats.
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
	// Past every combination, start another, differently keyed, round.
	round, cached := slot/combos, &g.names[0]
	if gender == Female {
		cached = &g.names[1]
	}
	if !cached.ok || cached.round != round {
		cached.perm = newPermutation(combos, deriveKey("name", g.seed, g.hospital, string(gender), fmt.Sprint(round)))
		cached.round, cached.ok = round, true
	}
	c := cached.perm.At(slot % combos)
	first, last := firsts[c/uint64(len(d.family))], d.family[c%uint64(len(d.family))]
	p := Person{
		Identity:    Identity{Hospital: g.hospital, Type: g.t, Index: index},
		FirstName:   first.En,
		LastName:    last.En,
		FirstNameAr: first.Ar,
		LastNameAr:  last.Ar,
		Gender:      gender,
		EmployeeID:  employeeID(g.employee, g.hospital, g.t, index),
	}
	if g.t == spec.Physician {
		p.Specialization = d.specializations[g.special.At(uint64(index%len(d.specializations)))]
	}
	p.UsernameBase = g.fold(first, fallbackFirst) + "." + g.fold(last, fallbackLast)
	return p
}

// fold is NamePart of the name's English form, or fallback when empty.
func (g *typeGen) fold(n names.Pair, fallback string) string {
	if f, ok := g.folded[n.En]; ok {
		return f
	}
	f := NamePart(n.En)
	if f == "" {
		f = fallback
	}
	if g.folded == nil {
		g.folded = map[string]string{}
	}
	g.folded[n.En] = f
	return f
}
