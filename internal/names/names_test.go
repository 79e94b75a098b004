package names

import (
	"regexp"
	"testing"
	"unicode"
)

// englishName allows ASCII letters joined by single spaces, hyphens or
// apostrophes, starting with a capital.
var englishName = regexp.MustCompile(`^[A-Z][A-Za-z]*(?:[ '-][A-Z]?[A-Za-z]+)*$`)

// isArabicName reports whether s is Arabic letters, optionally joined by
// single spaces.
func isArabicName(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	prevSpace := false
	for _, r := range s {
		switch {
		case r == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		case unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r):
			prevSpace = false
		default:
			return false
		}
	}
	return true
}

func TestPairLists(t *testing.T) {
	tests := []struct {
		name string
		list []Pair
		min  int
	}{
		{"MaleFirst", MaleFirst(), 160},
		{"FemaleFirst", FemaleFirst(), 160},
		{"Family", Family(), 220},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.list) < tt.min {
				t.Errorf("%d names, want at least %d", len(tt.list), tt.min)
			}
			seenEn := map[string]bool{}
			seenAr := map[string]bool{}
			for _, p := range tt.list {
				if !englishName.MatchString(p.En) {
					t.Errorf("English %q: want ASCII letters, spaces, hyphens, apostrophes", p.En)
				}
				if !isArabicName(p.Ar) {
					t.Errorf("Arabic %q (for %s): want Arabic letters and spaces", p.Ar, p.En)
				}
				if seenEn[p.En] {
					t.Errorf("English %q listed twice", p.En)
				}
				if seenAr[p.Ar] {
					t.Errorf("Arabic %q listed twice", p.Ar)
				}
				seenEn[p.En], seenAr[p.Ar] = true, true
			}
		})
	}
}

func TestFirstNamesDoNotCrossGenders(t *testing.T) {
	male := map[string]bool{}
	for _, p := range MaleFirst() {
		male[p.En], male[p.Ar] = true, true
	}
	for _, p := range FemaleFirst() {
		if male[p.En] || male[p.Ar] {
			t.Errorf("%s (%s) is listed as both male and female", p.En, p.Ar)
		}
	}
}

func TestSpecializations(t *testing.T) {
	specs := Specializations()
	if len(specs) < 18 {
		t.Errorf("%d specializations, want about 20", len(specs))
	}
	seen := map[string]bool{}
	for _, s := range specs {
		if !englishName.MatchString(s) {
			t.Errorf("specialization %q: want capitalised English words", s)
		}
		if seen[s] {
			t.Errorf("specialization %q listed twice", s)
		}
		seen[s] = true
	}
	for _, want := range []string{"Cardiology", "Pediatrics", "Emergency Medicine", "Internal Medicine", "Family Medicine"} {
		if !seen[want] {
			t.Errorf("missing specialization %q", want)
		}
	}
}

func TestListsAreCopies(t *testing.T) {
	a := MaleFirst()
	a[0] = Pair{En: "X", Ar: "س"}
	if MaleFirst()[0] == a[0] {
		t.Error("changing a returned list changed the shipped data")
	}
}

func TestKnownPairs(t *testing.T) {
	has := func(list []Pair, p Pair) bool {
		for _, q := range list {
			if q == p {
				return true
			}
		}
		return false
	}
	for _, c := range []struct {
		list []Pair
		p    Pair
	}{
		{MaleFirst(), Pair{"Mohammed", "محمد"}},
		{FemaleFirst(), Pair{"Fatimah", "فاطمة"}},
		{Family(), Pair{"Al-Otaibi", "العتيبي"}},
		{Family(), Pair{"Al Salem", "السالم"}},
	} {
		if !has(c.list, c.p) {
			t.Errorf("missing pair %v", c.p)
		}
	}
}
