package names

import (
	"embed"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Pair is one name in its English spelling and in Arabic script.
type Pair struct {
	En string
	Ar string
}

//go:embed data
var data embed.FS

// lists is the parsed name data, loaded once.
type lists struct {
	maleFirst, femaleFirst, family []Pair
	specializations                []string
}

var load = sync.OnceValue(func() lists {
	return lists{
		maleFirst:       mustPairs("data/male_first.tsv"),
		femaleFirst:     mustPairs("data/female_first.tsv"),
		family:          mustPairs("data/family.tsv"),
		specializations: mustLines("data/specializations.txt"),
	}
})

// MaleFirst returns the male first names, in a fixed order.
func MaleFirst() []Pair { return slices.Clone(load().maleFirst) }

// FemaleFirst returns the female first names, in a fixed order.
func FemaleFirst() []Pair { return slices.Clone(load().femaleFirst) }

// Family returns the family names, in a fixed order.
func Family() []Pair { return slices.Clone(load().family) }

// Specializations returns the physician specializations, in a fixed order.
func Specializations() []string { return slices.Clone(load().specializations) }

// mustLines returns the non-blank, non-comment lines of an embedded file.
// The files are part of the binary, so a missing one is a build bug.
func mustLines(name string) []string {
	b, err := data.ReadFile(name)
	if err != nil {
		panic(fmt.Sprintf("names: %v", err))
	}
	var out []string
	for line := range strings.Lines(string(b)) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	return out
}

// mustPairs parses an embedded file of "English<TAB>Arabic" lines.
func mustPairs(name string) []Pair {
	lines := mustLines(name)
	out := make([]Pair, 0, len(lines))
	for _, line := range lines {
		en, ar, ok := strings.Cut(line, "\t")
		if !ok {
			panic(fmt.Sprintf("names: %s: line %q has no tab", name, line))
		}
		out = append(out, Pair{En: strings.TrimSpace(en), Ar: strings.TrimSpace(ar)})
	}
	return out
}
