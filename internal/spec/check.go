package spec

import (
	"fmt"
	"math"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/hcl/v2"
)

// Limits on spec values. The decoders of every format check them with the
// helpers below so that YAML and HCL reject the same specs.
const (
	MaxCount          = 100_000
	MinPasswordLength = 8
	MaxPasswordLength = 128
	MinIterations     = 1
	MaxIterations     = 100_000_000
	MaxTimeoutSecs    = 3600
)

// Allowed values of the enumerated settings.
var (
	Transports      = []string{"smtp", "file", "console"}
	SMTPSecurities  = []string{"starttls", "tls", "none"}
	Hashers         = []string{DefaultHasher}
	Languages       = []string{"en", "ar", "bilingual"}
	OnRemoveActions = []string{"delete", "deactivate"}
	// AddressPlaceholders are the names an email address template may use.
	AddressPlaceholders = []string{"username", "first", "last", "hospital_code"}
)

var hospitalCodeRE = regexp.MustCompile(`^[A-Z0-9_]{2,32}$`)

// errorAt builds an error diagnostic about the source range rng.
func errorAt(rng hcl.Range, summary, detail string) *hcl.Diagnostic {
	r := rng
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: &r}
}

// suggest returns the candidate closest to given, or "" if none is close.
func suggest(given string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		if d := levenshtein.Distance(given, c, nil); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// didYouMean formats a suggestion for given among candidates, or "".
func didYouMean(given string, candidates []string) string {
	if s := suggest(given, candidates); s != "" {
		return fmt.Sprintf(" Did you mean %q?", s)
	}
	return ""
}

// badPasswordEnv is the detail of a password_env that is not a variable
// name. It does not repeat the value: that is most likely the password.
func badPasswordEnv(path string) string {
	return fmt.Sprintf("`%s` names the environment variable that holds the password (letters, digits and _), "+
		"and this is not a variable name. If it is the password itself, take it out of the spec: "+
		"set it in a variable and name that variable here.", path)
}

// quoteList renders candidates as "a", "b" or "c".
func quoteList(candidates []string) string {
	q := make([]string, len(candidates))
	for i, c := range candidates {
		q[i] = fmt.Sprintf("%q", c)
		if c == extensionKey {
			q[i] = fmt.Sprintf("any key starting with %q", c)
		}
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// checkText rejects control characters (CR, LF, NUL, …) and invalid UTF-8
// in a string setting.
func checkText(what, s string, rng hcl.Range) hcl.Diagnostics {
	if !utf8.ValidString(s) {
		return hcl.Diagnostics{errorAt(rng, "Invalid text", fmt.Sprintf("%s is not valid UTF-8.", what))}
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return hcl.Diagnostics{errorAt(rng, "Control character in text",
				fmt.Sprintf("%s contains the control character %U; line breaks, tabs and other control characters are not allowed.", what, r))}
		}
	}
	return nil
}

// checkEnum checks that s is one of allowed.
func checkEnum(what, s string, allowed []string, rng hcl.Range) hcl.Diagnostics {
	for _, a := range allowed {
		if s == a {
			return nil
		}
	}
	return hcl.Diagnostics{errorAt(rng, "Invalid "+what,
		fmt.Sprintf("%q is not a valid %s; use %s.%s", s, what, quoteList(allowed), didYouMean(s, allowed)))}
}

// checkRange checks that an integer setting lies in [lo, hi].
func checkRange(what string, v, lo, hi int64, rng hcl.Range) hcl.Diagnostics {
	if v < lo || v > hi {
		return hcl.Diagnostics{errorAt(rng, "Value out of range",
			fmt.Sprintf("%s must be between %d and %d, not %d.", what, lo, hi, v))}
	}
	return nil
}

// checkRatio checks that a ratio lies in [0, 1].
func checkRatio(what string, f float64, rng hcl.Range) hcl.Diagnostics {
	if math.IsNaN(f) || f < 0 || f > 1 {
		return hcl.Diagnostics{errorAt(rng, "Value out of range",
			fmt.Sprintf("%s must be a number between 0 and 1, not %v.", what, f))}
	}
	return nil
}

// checkHospitalCode checks a hospital code's form. An existing hospital's
// code may be any 1 to 64 characters without spaces or control characters,
// as codes made before staffseed (e.g. "al-noor") are; the hospital must
// be in the database anyway.
func checkHospitalCode(code string, existing bool, rng hcl.Range) hcl.Diagnostics {
	if existing {
		if n := utf8.RuneCountInString(code); n < 1 || n > 64 || strings.IndexFunc(code, func(r rune) bool {
			return unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError
		}) >= 0 {
			return hcl.Diagnostics{errorAt(rng, "Invalid hospital code",
				fmt.Sprintf("Hospital code %q of an existing hospital must be 1 to 64 characters without spaces or control characters.", code))}
		}
		return nil
	}
	if !hospitalCodeRE.MatchString(code) {
		return hcl.Diagnostics{errorAt(rng, "Invalid hospital code",
			fmt.Sprintf("Hospital code %q must be 2 to 32 characters of A-Z, 0-9 and _.", code))}
	}
	return nil
}

// checkStaffType parses a staff type name (physician, nurse, admin).
func checkStaffType(s string, rng hcl.Range) (StaffType, hcl.Diagnostics) {
	for _, t := range StaffTypes {
		if string(t) == s {
			return t, nil
		}
	}
	names := make([]string, len(StaffTypes))
	for i, t := range StaffTypes {
		names[i] = string(t)
	}
	hint := didYouMean(s, names)
	if hint == "" {
		if t, ok := StaffTypeForCountKey(s); ok {
			hint = fmt.Sprintf(" Did you mean %q?", string(t))
		}
	}
	return "", hcl.Diagnostics{errorAt(rng, "Invalid staff type",
		fmt.Sprintf("%q is not a staff type; use %s.%s", s, quoteList(names), hint))}
}

// checkAddressTemplate checks an email address template: its placeholders,
// and that its local part tells staff apart ({username}, or {first} and
// {last}).
func checkAddressTemplate(tmpl string, rng hcl.Range) hcl.Diagnostics {
	rest := tmpl
	for {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return hcl.Diagnostics{errorAt(rng, "Invalid address template", fmt.Sprintf("%q has an unclosed \"{\".", tmpl))}
		}
		name := rest[i+1 : i+j]
		known := false
		for _, p := range AddressPlaceholders {
			known = known || p == name
		}
		if !known {
			return hcl.Diagnostics{errorAt(rng, "Invalid address template",
				fmt.Sprintf("Unknown placeholder {%s}; use {username}, {first}, {last} or {hospital_code}.%s", name, didYouMean(name, AddressPlaceholders)))}
		}
		rest = rest[i+j+1:]
	}
	if !strings.Contains(tmpl, "@") {
		return hcl.Diagnostics{errorAt(rng, "Invalid address template", fmt.Sprintf("%q has no \"@\".", tmpl))}
	}
	if c, ok := nonASCII(tmpl); ok {
		return hcl.Diagnostics{errorAt(rng, "Invalid address template",
			fmt.Sprintf("%q holds the non-ASCII character %q; email addresses must be ASCII (the placeholders are lowercase ASCII already).", tmpl, c))}
	}
	sample := tmpl
	for _, p := range AddressPlaceholders {
		sample = strings.ReplaceAll(sample, "{"+p+"}", "sample")
	}
	if a, err := mail.ParseAddress(sample); err != nil || a.Address != sample {
		return hcl.Diagnostics{errorAt(rng, "Invalid address template",
			fmt.Sprintf("%q does not make an address like name@example.sa: with every placeholder as \"sample\" it reads %q.", tmpl, sample))}
	}
	if local := tmpl[:strings.LastIndexByte(tmpl, '@')]; !strings.Contains(local, "{username}") &&
		!(strings.Contains(local, "{first}") && strings.Contains(local, "{last}")) {
		return hcl.Diagnostics{errorAt(rng, "Invalid address template",
			"The address template must tell staff apart: use {username}, or {first} and {last}, before the \"@\".")}
	}
	return nil
}

// checkFrom checks the sender address: an address, perhaps with a display
// name ("PX360 <noreply@px360.local>"), whose address part is ASCII.
func checkFrom(path, s string, rng hcl.Range) hcl.Diagnostics {
	a, err := mail.ParseAddress(s)
	if err != nil {
		return hcl.Diagnostics{errorAt(rng, "Invalid address",
			fmt.Sprintf("`%s` must be an email address such as noreply@px360.local or \"PX360 <noreply@px360.local>\", not %q.", path, s))}
	}
	if c, ok := nonASCII(a.Address); ok {
		return hcl.Diagnostics{errorAt(rng, "Invalid address",
			fmt.Sprintf("`%s` address %q holds the non-ASCII character %q; email addresses must be ASCII (a display name may be in any script).", path, a.Address, c))}
	}
	return nil
}

// nonASCII returns the first character of s that is not printable ASCII.
func nonASCII(s string) (rune, bool) {
	for _, c := range s {
		if c < 0x20 || c > 0x7e {
			return c, true
		}
	}
	return 0, false
}

// checkSiteURL checks that s is an absolute http(s) URL.
func checkSiteURL(s string, rng hcl.Range) hcl.Diagnostics {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return hcl.Diagnostics{errorAt(rng, "Invalid site URL", fmt.Sprintf("%q must be an absolute http:// or https:// URL.", s))}
	}
	return nil
}
