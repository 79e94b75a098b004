package generate

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fallbacks for a name part with no ASCII letter or digit left after
// normalisation (say, a name written only in Arabic script): an empty first
// name becomes "staff" and an empty last name "user", so a username is
// never empty and always has the first.last shape.
const (
	fallbackFirst = "staff"
	fallbackLast  = "user"
)

// foldTable spells letters that do not decompose into an ASCII letter plus
// marks.
var foldTable = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'đ': "d", 'ð': "d",
	'ł': "l", 'þ': "th", 'ı': "i", 'ħ': "h", 'ŧ': "t", 'ŋ': "n",
}

// NamePart folds a name to lowercase ASCII letters and digits: diacritics
// are stripped (Zoë → zoe) and everything else outside [a-z0-9] is dropped
// (O'Neil → oneil, Al-Otaibi → alotaibi, "Abd al-Rahman" → abdalrahman).
// The result may be empty.
func NamePart(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(s) {
		r = unicode.ToLower(r)
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			b.WriteRune(r)
		default:
			if f, ok := foldTable[r]; ok {
				b.WriteString(f)
			}
		}
	}
	return b.String()
}

// UsernameBase returns first.last in lowercase ASCII (see NamePart), with
// the fallbacks "staff" and "user" for a part that folds to nothing.
func UsernameBase(first, last string) string {
	f, l := nameParts(first, last)
	return f + "." + l
}

// nameParts folds first and last with NamePart, applying the fallbacks.
func nameParts(first, last string) (string, string) {
	f, l := NamePart(first), NamePart(last)
	if f == "" {
		f = fallbackFirst
	}
	if l == "" {
		l = fallbackLast
	}
	return f, l
}

// Username returns the n-th candidate username for base: base itself for
// n <= 1, then base2, base3, … for n = 2, 3, …
func Username(base string, n int) string {
	if n <= 1 {
		return base
	}
	return base + strconv.Itoa(n)
}

// Address fills an email address template: {username}, {first}, {last}
// and {hospital_code}. First and last are folded as in NamePart (with the
// UsernameBase fallbacks), so they are safe in an address; the whole
// result is lowercased.
func Address(template, username, firstName, last, hospitalCode string) string {
	var b strings.Builder
	b.Grow(len(template) + len(username) + len(hospitalCode))
	var f, l string
	folded := false
	part := func(wantFirst bool) string {
		if !folded {
			f, l = nameParts(firstName, last)
			folded = true
		}
		if wantFirst {
			return f
		}
		return l
	}
	for rest := template; rest != ""; {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i])
		rest = rest[i:]
		switch {
		case strings.HasPrefix(rest, "{username}"):
			b.WriteString(username)
			rest = rest[len("{username}"):]
		case strings.HasPrefix(rest, "{first}"):
			b.WriteString(part(true))
			rest = rest[len("{first}"):]
		case strings.HasPrefix(rest, "{last}"):
			b.WriteString(part(false))
			rest = rest[len("{last}"):]
		case strings.HasPrefix(rest, "{hospital_code}"):
			b.WriteString(hospitalCode)
			rest = rest[len("{hospital_code}"):]
		default:
			b.WriteByte('{')
			rest = rest[1:]
		}
	}
	return strings.ToLower(b.String())
}
