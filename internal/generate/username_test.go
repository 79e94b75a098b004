package generate

import (
	"regexp"
	"testing"

	"github.com/px360/staffseed/internal/names"
)

func TestUsernameBase(t *testing.T) {
	tests := []struct {
		first, last, want string
	}{
		{"Mohammed", "Al Salem", "mohammed.alsalem"},
		{"Mohammed", "Al-Otaibi", "mohammed.alotaibi"},
		{"Fatimah", "Al-Harbi", "fatimah.alharbi"},
		{"Abd al-Rahman", "Aba Hussain", "abdalrahman.abahussain"},
		{"Zoë", "O'Neil", "zoe.oneil"},
		{"José", "Núñez", "jose.nunez"},
		{"Łukasz", "Straße", "lukasz.strasse"},
		{"Ærin", "Øster", "aerin.oster"},
		{"  Sara  ", "\tAl-Ali\n", "sara.alali"},
		{"Ahmed2", "Al-Zahrani", "ahmed2.alzahrani"},
		{"ＡＢＣ", "ﬁsh", "abc.fish"},
		{"", "Al-Otaibi", "staff.alotaibi"},
		{"Mohammed", "", "mohammed.user"},
		{"", "", "staff.user"},
		{"محمد", "العتيبي", "staff.user"},
		{"'-'", "  ", "staff.user"},
		{"😀", "日本", "staff.user"},
	}
	for _, tt := range tests {
		if got := UsernameBase(tt.first, tt.last); got != tt.want {
			t.Errorf("UsernameBase(%q, %q) = %q, want %q", tt.first, tt.last, got, tt.want)
		}
	}
}

var usernamePattern = regexp.MustCompile(`^[a-z0-9]+\.[a-z0-9]+$`)

func TestShippedNamesFoldToThemselves(t *testing.T) {
	// Every shipped English name keeps its own letters (no name relies on
	// the fallbacks), and no two names of a list fold alike, so distinct
	// full names give distinct username bases.
	for _, list := range [][]names.Pair{names.MaleFirst(), names.FemaleFirst(), names.Family()} {
		folded := map[string]string{}
		for _, p := range list {
			f := NamePart(p.En)
			if f == "" {
				t.Errorf("%q folds to nothing", p.En)
			}
			if other, ok := folded[f]; ok {
				t.Errorf("%q and %q both fold to %q", other, p.En, f)
			}
			folded[f] = p.En
		}
	}
}

func FuzzUsernameBase(f *testing.F) {
	for _, s := range []string{"", "Zoë", "O'Neil", "Al-Otaibi", "محمد", "\xff"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, first, last string) {
		if got := UsernameBase(first, last); !usernamePattern.MatchString(got) {
			t.Errorf("UsernameBase(%q, %q) = %q: want [a-z0-9]+.[a-z0-9]+", first, last, got)
		}
	})
}

func TestUsername(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{0, "mohammed.alotaibi"},
		{1, "mohammed.alotaibi"},
		{2, "mohammed.alotaibi2"},
		{3, "mohammed.alotaibi3"},
		{12, "mohammed.alotaibi12"},
	}
	for _, tt := range tests {
		if got := Username("mohammed.alotaibi", tt.n); got != tt.want {
			t.Errorf("Username(_, %d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestAddress(t *testing.T) {
	tests := []struct {
		template, username, first, last, code, want string
	}{
		{"{username}@{hospital_code}.sa", "mohammed.alsalem", "Mohammed", "Al Salem", "ALMADINA", "mohammed.alsalem@almadina.sa"},
		{"{username}@{hospital_code}.sa", "mohammed.alsalem2", "Mohammed", "Al Salem", "ALMADINA", "mohammed.alsalem2@almadina.sa"},
		{"{first}.{last}@{hospital_code}.example.org", "x", "Zoë", "O'Neil", "RIYADH", "zoe.oneil@riyadh.example.org"},
		{"{last}_{first}@Staff.PX360.SA", "x", "Fatimah", "Al-Harbi", "R1", "alharbi_fatimah@staff.px360.sa"},
		{"{first}@{hospital_code}.sa", "x", "محمد", "", "JED", "staff@jed.sa"},
		{"fixed@px360.local", "x", "A", "B", "C", "fixed@px360.local"},
	}
	for _, tt := range tests {
		if got := Address(tt.template, tt.username, tt.first, tt.last, tt.code); got != tt.want {
			t.Errorf("Address(%q, %q, %q, %q, %q) = %q, want %q", tt.template, tt.username, tt.first, tt.last, tt.code, got, tt.want)
		}
	}
}
