package spec

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// A fragment is what one spec file contributes before files are merged and
// defaults applied. Every format's decoder (YAML, HCL) produces one per
// file; merge and finish are shared, so all formats obey the same rules.
type fragment struct {
	file string
	// start is the range of the file's first character, for diagnostics
	// about a file as a whole.
	start hcl.Range

	version setting[int]
	seed    setting[int64]
	clear   setting[bool]
	// staff holds the spec-wide counts set per staff type.
	staff     map[StaffType]countOverride
	hospitals []hospitalFragment
	// accounts and email start from DefaultAccounts and DefaultEmail and
	// have their relative paths already resolved against the file's folder.
	accounts setting[Accounts]
	email    setting[Email]
	// at records where individual fields of accounts and email were
	// written, by dotted key ("email.transport", "accounts.create_users"),
	// and vals where their values were.
	at, vals map[string]hcl.Range
}

// setting is one top-level value and where it was written.
type setting[T any] struct {
	Value T
	Set   bool
	Range hcl.Range
}

func (s *setting[T]) set(v T, rng hcl.Range) {
	s.Value, s.Set, s.Range = v, true, rng
}

// countOverride is a partially written TypeCount: nil fields keep the
// value they override.
type countOverride struct {
	Count *int
	Ratio *Ratio
	Range hcl.Range
}

func (o countOverride) over(base TypeCount) TypeCount {
	if o.Count != nil {
		base.Count = *o.Count
	}
	if o.Ratio != nil {
		base.FemaleRatio = *o.Ratio
	}
	return base
}

// hospitalFragment is a hospital as written: its Staff is not yet resolved.
type hospitalFragment struct {
	Hospital
	staff map[StaffType]countOverride
	// at records where fields were written ("departments", "roster", ...).
	at map[string]hcl.Range
}

func newFragment(file string) *fragment {
	return &fragment{
		file:  file,
		start: hcl.Range{Filename: file, Start: hcl.InitialPos, End: hcl.InitialPos},
		staff: map[StaffType]countOverride{},
		at:    map[string]hcl.Range{},
		vals:  map[string]hcl.Range{},
	}
}

// posString renders a range's start as file:line:col.
func posString(r hcl.Range) string {
	return fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column)
}

func conflict(what string, first, second hcl.Range) *hcl.Diagnostic {
	return errorAt(second, "Duplicate setting",
		fmt.Sprintf("%s is already set at %s; each setting may be written once across all spec files.", what, posString(first)))
}

// mergeSetting folds src into dst, reporting a setting written twice.
func mergeSetting[T any](what string, dst *setting[T], src setting[T]) hcl.Diagnostics {
	if !src.Set {
		return nil
	}
	if dst.Set {
		return hcl.Diagnostics{conflict(what, dst.Range, src.Range)}
	}
	*dst = src
	return nil
}

// finish merges the fragments of every file of a spec (in read order),
// applies defaults and checks what spans settings and files. dir is the
// spec's folder, against which defaulted paths are resolved. When the
// fragments were decoded with errors (sound is false), values may be
// missing, so the rules tying values together are not checked; duplicates
// and conflicts still are, to report every error at once.
func finish(frags []*fragment, dir string, decoded hcl.Diagnostics) (*Spec, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	var version setting[int]
	seed := setting[int64]{Value: DefaultSeed}
	var clear setting[bool]
	accounts := setting[Accounts]{Value: DefaultAccounts()}
	email := setting[Email]{Value: DefaultEmail(dir)}
	staff := map[StaffType]countOverride{}
	at, vals := map[string]hcl.Range{}, map[string]hcl.Range{}
	var hospitals []hospitalFragment
	byCode := map[string]hcl.Range{}

	for _, f := range frags {
		diags = append(diags, mergeSetting("version", &version, f.version)...)
		diags = append(diags, mergeSetting("seed", &seed, f.seed)...)
		diags = append(diags, mergeSetting("clear", &clear, f.clear)...)
		diags = append(diags, mergeSetting("accounts", &accounts, f.accounts)...)
		diags = append(diags, mergeSetting("email", &email, f.email)...)
		for _, t := range StaffTypes {
			o, ok := f.staff[t]
			if !ok {
				continue
			}
			if prev, dup := staff[t]; dup {
				diags = append(diags, conflict("staff."+t.CountKey(), prev.Range, o.Range))
				continue
			}
			staff[t] = o
		}
		for k, r := range f.at {
			at[k] = r
		}
		for k, r := range f.vals {
			vals[k] = r
		}
		for _, h := range f.hospitals {
			if first, dup := byCode[h.Code]; dup {
				diags = append(diags, errorAt(h.Range, "Duplicate hospital",
					fmt.Sprintf("Hospital %s is already defined at %s.", h.Code, posString(first))))
				continue
			}
			byCode[h.Code] = h.Range
			hospitals = append(hospitals, h)
		}
	}

	if !version.Set {
		r := hcl.Range{Filename: "<spec>", Start: hcl.InitialPos, End: hcl.InitialPos}
		if len(frags) > 0 {
			r = frags[0].start
		}
		diags = append(diags, errorAt(r, "Missing version", "A spec must say `version: 1` (in HCL: `version = 1`)."))
	} else if version.Value != 1 {
		diags = append(diags, errorAt(version.Range, "Unsupported version",
			fmt.Sprintf("Spec version %d is not supported; the only version is 1.", version.Value)))
	}

	s := &Spec{
		Version:  version.Value,
		Seed:     seed.Value,
		Clear:    clear.Value,
		Staff:    map[StaffType]TypeCount{},
		Accounts: accounts.Value,
		Email:    email.Value,
		Ranges:   at,
	}
	s.Email.Ranges = at
	for _, t := range StaffTypes {
		s.Staff[t] = staff[t].over(DefaultCounts[t])
	}

	for _, h := range hospitals {
		hosp := h.Hospital
		hosp.Staff = map[StaffType]TypeCount{}
		for _, t := range StaffTypes {
			base := s.Staff[t]
			if hosp.Roster != "" {
				base.Count = 0 // a roster hospital gets generated staff only where it sets counts
			}
			hosp.Staff[t] = h.staff[t].over(base)
		}
		if hosp.Existing {
			for _, key := range []string{"departments", "roster"} {
				if r, ok := h.at[key]; ok {
					diags = append(diags, errorAt(r, "Not allowed on an existing hospital",
						fmt.Sprintf("Hospital %s is `existing: true`, so it is not managed and may not set %s.", hosp.Code, key)))
				}
			}
		} else if hosp.Name == "" {
			hosp.Name = hosp.Code
		}
		s.Hospitals = append(s.Hospitals, hosp)
	}

	// Rules that tie settings together are checked even when another
	// value failed, so that every problem is reported at once; a rule is
	// skipped only when one of its own settings failed to decode.
	failed := func(keys ...string) bool {
		for _, d := range append(decoded, diags...) {
			if d.Severity != hcl.DiagError || d.Subject == nil {
				continue
			}
			for _, k := range keys {
				if within(*d.Subject, at[k]) || within(*d.Subject, vals[k]) {
					return true
				}
			}
		}
		return false
	}
	diags = append(diags, checkCrossFields(s, at, email.Range, failed)...)
	s.Digest = digest(s)
	return s, diags
}

// within reports whether r starts inside outer (a zero outer holds nothing).
func within(r, outer hcl.Range) bool {
	return outer.Filename != "" && r.Filename == outer.Filename &&
		r.Start.Byte >= outer.Start.Byte && r.Start.Byte <= max(outer.End.Byte, outer.Start.Byte)
}

// checkCrossFields checks rules that tie settings together, but none whose
// settings failed to decode (failed reports that of dotted keys).
func checkCrossFields(s *Spec, at map[string]hcl.Range, emailRange hcl.Range, failed func(keys ...string) bool) hcl.Diagnostics {
	var diags hcl.Diagnostics
	where := func(keys ...string) hcl.Range {
		for _, k := range keys {
			if r, ok := at[k]; ok {
				return r
			}
		}
		return emailRange
	}
	if failed("email.send_credentials") {
		return diags
	}
	if s.Email.SendCredentials && !s.Accounts.CreateUsers && !failed("accounts.create_users") {
		diags = append(diags, errorAt(where("email.send_credentials"), "Credentials need accounts",
			"`email.send_credentials: true` requires `accounts.create_users: true`: credentials are only sent for the user accounts staffseed creates."))
	}
	if !s.Email.SendCredentials {
		return diags
	}
	if failed("email.transport") {
		return diags
	}
	switch s.Email.Transport {
	case "smtp":
		if s.Email.SMTP.Host == "" && !failed("email.smtp.host") {
			diags = append(diags, errorAt(where("email.smtp", "email.transport", "email.send_credentials"), "Missing SMTP host",
				"The smtp transport needs `email.smtp.host`; or use `transport: file` or `transport: console`."))
		}
	case "file":
		if s.Email.File.Dir == "" && !failed("email.file.dir") {
			diags = append(diags, errorAt(where("email.file", "email.transport"), "Missing outbox folder",
				"The file transport needs `email.file.dir`."))
		}
	}
	return diags
}
