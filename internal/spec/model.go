package spec

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"

	"github.com/px360/staffseed/internal/roster"
)

// StaffType is one of the three kinds of staff staffseed generates.
type StaffType string

// The staff types, in the order the old seed_staff command seeded them.
const (
	Physician StaffType = "physician"
	Nurse     StaffType = "nurse"
	Admin     StaffType = "admin"
)

// StaffTypes lists every staff type in seeding order.
var StaffTypes = []StaffType{Physician, Nurse, Admin}

// CountKey is the key a staff type has under `staff:` in a spec
// (physicians, nurses, admin_staff).
func (t StaffType) CountKey() string {
	switch t {
	case Physician:
		return "physicians"
	case Nurse:
		return "nurses"
	case Admin:
		return "admin_staff"
	}
	panic(fmt.Sprintf("spec: unknown staff type %q", string(t)))
}

// StaffTypeForCountKey maps physicians|nurses|admin_staff back to a StaffType.
func StaffTypeForCountKey(key string) (StaffType, bool) {
	for _, t := range StaffTypes {
		if t.CountKey() == key {
			return t, true
		}
	}
	return "", false
}

// Ratio is a proportion between 0 and 1 held as parts per million, so that
// rounding of counts is exact integer arithmetic.
type Ratio int64

// RatioScale is the denominator of a Ratio.
const RatioScale = 1_000_000

// RatioFromFloat converts a float in [0,1] to a Ratio, rounding to the
// nearest part per million.
func RatioFromFloat(f float64) Ratio {
	return Ratio(f*RatioScale + 0.5)
}

// Float returns the ratio as a float64.
func (r Ratio) Float() float64 { return float64(r) / RatioScale }

// Of returns the nearest whole number to r×n, halves rounded up.
func (r Ratio) Of(n int) int {
	return int((int64(n)*int64(r) + RatioScale/2) / RatioScale)
}

// TypeCount is how many staff of one type a hospital gets, and the share of
// them that are female.
type TypeCount struct {
	Count       int
	FemaleRatio Ratio
}

// Defaults of the old seed_staff command.
var DefaultCounts = map[StaffType]TypeCount{
	Physician: {Count: 10, FemaleRatio: 400_000},
	Nurse:     {Count: 15, FemaleRatio: 700_000},
	Admin:     {Count: 5, FemaleRatio: 400_000},
}

// Spec is the decoded, validated and defaulted model of one or more spec
// files. YAML and HCL both decode into it.
type Spec struct {
	Version   int
	Seed      int64
	Hospitals []Hospital
	// Staff holds the spec-wide counts per staff type (defaults applied).
	Staff    map[StaffType]TypeCount
	Accounts Accounts
	Email    Email
	// Clear removes every staff row of the targeted hospitals, managed or not.
	Clear bool

	// Files are the source files the spec was read from, in read order.
	Files []string
	// Sources maps each file name to its bytes, for diagnostics snippets.
	Sources map[string][]byte
	// SecretRanges are where the spec writes secret values (a password,
	// an invalid password_env, a misspelled key's value), which no
	// snippet may show.
	SecretRanges []hcl.Range
	// Ranges maps a setting's dotted path (e.g. "email.smtp.security")
	// to where the spec writes it, for errors found after decoding.
	Ranges map[string]hcl.Range
	// Digest is a hex SHA-256 over the canonical form of the model.
	Digest string
}

// Hospital is one hospital in a spec.
type Hospital struct {
	Code   string
	Name   string
	NameAr string
	// Existing hospitals must already be in the database and are not managed.
	Existing    bool
	Departments []Department
	// Staff holds this hospital's resolved counts: its own overrides merged
	// over the spec-wide counts. Types without staff have Count 0.
	Staff map[StaffType]TypeCount
	// Roster is the path of a CSV roster, resolved against the spec's folder.
	Roster string
	// RosterRows are the roster's staff, read by Load.
	RosterRows []roster.Row
	// Language overrides Email.Language for this hospital ("" = inherit).
	Language string

	Range hcl.Range
}

// Department is a department a managed hospital should have.
type Department struct {
	Name            string
	NameAr          string
	StaffTypes      []StaffType // empty: takes every type
	Specializations []string    // empty: takes every specialization
	Range           hcl.Range
}

// Takes reports whether staff of type t (with specialization spec, possibly
// empty) belong in this department.
func (d Department) Takes(t StaffType, specialization string) bool {
	if len(d.StaffTypes) > 0 {
		ok := false
		for _, st := range d.StaffTypes {
			if st == t {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if len(d.Specializations) > 0 && t == Physician {
		for _, s := range d.Specializations {
			if s == specialization {
				return true
			}
		}
		return false
	}
	return true
}

// Accounts says whether and how user accounts are created for staff.
type Accounts struct {
	CreateUsers bool
	// Roles maps each staff type to the role its users get.
	Roles    map[StaffType]string
	Password PasswordPolicy
	// ForExistingStaff also creates accounts for unmanaged staff rows
	// without a user.
	ForExistingStaff bool
	// OnRemove is "delete" or "deactivate": what happens to the user of a
	// removed staff member.
	OnRemove string
}

// PasswordPolicy fixes generated passwords and how they are hashed.
type PasswordPolicy struct {
	Length     int
	Hasher     string // pbkdf2_sha256
	Iterations int
}

// Default account settings.
const (
	DefaultRole               = "staff"
	DefaultPasswordLength     = 12
	DefaultHasher             = "pbkdf2_sha256"
	DefaultPasswordIterations = 1_000_000 // Django 5.2 LTS
)

// Email says whether and how credential emails are sent.
type Email struct {
	SendCredentials bool
	From            string
	SiteURL         string
	// Address is the template of a staff member's address; it may use
	// {username}, {first}, {last} and {hospital_code} (lowercased).
	Address   string
	Transport string // smtp | file | console
	SMTP      SMTP
	File      FileTransport
	Language  string // en | ar | bilingual
	Templates string // folder of template overrides, resolved
	// Ranges are where the spec writes each setting, by dotted key (as
	// Spec.Ranges), for errors found after decoding; nil when the
	// settings come from elsewhere (a saved plan, the database).
	Ranges map[string]hcl.Range `json:"-"`
}

// Email defaults.
const (
	DefaultFrom     = "noreply@px360.local"
	DefaultSiteURL  = "http://localhost:8000"
	DefaultAddress  = "{username}@{hospital_code}.sa"
	DefaultLanguage = "bilingual"
)

// SMTP holds the settings of the smtp transport. Secrets are only named,
// never held: PasswordEnv is the environment variable with the password.
type SMTP struct {
	Host          string
	Port          int
	Security      string // starttls | tls | none
	Username      string
	PasswordEnv   string
	AllowInsecure bool
	TimeoutSecs   int
}

// FileTransport writes one .eml file per message into Dir.
type FileTransport struct {
	Dir string // resolved against the spec's folder
}

// HospitalByCode returns the hospital with the given code.
func (s *Spec) HospitalByCode(code string) (*Hospital, bool) {
	for i := range s.Hospitals {
		if s.Hospitals[i].Code == code {
			return &s.Hospitals[i], true
		}
	}
	return nil, false
}

// RoleFor returns the role a user of staff type t gets.
func (a Accounts) RoleFor(t StaffType) string {
	if r, ok := a.Roles[t]; ok && r != "" {
		return r
	}
	return DefaultRole
}
