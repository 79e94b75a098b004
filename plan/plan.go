package plan

import (
	"github.com/px360/staffseed/internal/spec"
	"github.com/px360/staffseed/internal/store"
)

// FormatVersion is the version of the plan's JSON and saved-file format.
const FormatVersion = "1.0"

// Plan is the typed difference between a spec and the database.
type Plan struct {
	FormatVersion string
	// SpecDigest identifies the spec the plan was made from.
	SpecDigest string
	// Fingerprint identifies the database state the plan was made from.
	Fingerprint string
	// Database identifies the database itself (store.DB.Identity); the
	// caller sets it, since Make sees only the state.
	Database string
	// Basis condenses the state the plan was made from, so that a stale
	// saved plan can say what changed.
	Basis store.Summary
	// Migrations are the staffseed migrations apply will run first.
	Migrations []string
	// Hospitals are the codes the plan covers, in spec order.
	Hospitals []string
	Changes   []Change
	Warnings  []string
	Settings  Settings
	// Destroy marks a plan made to remove everything the spec manages
	// (destroy, plan --destroy); the caller sets it, as Database.
	Destroy bool
}

// Settings is what apply needs beyond the changes themselves. It holds no
// secret: the SMTP password is only named by an environment variable.
type Settings struct {
	// Seed is the spec's seed, which apply records on the generated staff
	// and accounts it creates (see GeneratedKey).
	Seed      int64
	Password  spec.PasswordPolicy
	Email     spec.Email
	OnRemove  string
	Hospitals map[string]HospitalInfo
}

// HospitalInfo is what a credential email says about a hospital.
type HospitalInfo struct {
	Name     string
	NameAr   string
	Language string
}

// Change is one thing apply will do.
type Change struct {
	Address  string
	Resource Resource
	Action   Action
	Hospital string
	// Cause says why the change is in the plan.
	Cause  string
	Before Attrs
	After  Attrs
}

// Attrs are the attribute values of a resource before or after a change:
// one of *HospitalAttrs, *DepartmentAttrs, *StaffAttrs, *UserAttrs,
// *CredentialAttrs.
type Attrs interface{ resource() Resource }

// HospitalAttrs are a hospital's attributes.
type HospitalAttrs struct {
	ID     int64  `json:"id,omitempty"`
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameAr string `json:"name_ar"`
}

// DepartmentAttrs are a department's attributes.
type DepartmentAttrs struct {
	ID     int64  `json:"id,omitempty"`
	Name   string `json:"name"`
	NameAr string `json:"name_ar"`
}

// StaffAttrs are a staff member's attributes.
type StaffAttrs struct {
	ID             int64  `json:"id,omitempty"`
	Key            string `json:"key"`
	StaffType      string `json:"staff_type"`
	EmployeeID     string `json:"employee_id"`
	FirstName      string `json:"first_name"`
	LastName       string `json:"last_name"`
	FirstNameAr    string `json:"first_name_ar"`
	LastNameAr     string `json:"last_name_ar"`
	Gender         string `json:"gender"`
	Email          string `json:"email"`
	Department     string `json:"department"`
	Specialization string `json:"specialization"`
	UserID         int64  `json:"user_id,omitempty"`
}

// UserAttrs are a user account's attributes. The password is not one of
// them: it is generated at apply time and never planned.
type UserAttrs struct {
	ID        int64  `json:"id,omitempty"`
	StaffKey  string `json:"staff"`
	StaffID   int64  `json:"staff_id,omitempty"`
	Username  string `json:"username"`
	Email     string `json:"email"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	// Role is the account's roles, comma-separated.
	Role     string `json:"role"`
	IsActive bool   `json:"is_active"`
}

// CredentialAttrs describe a credential email: who gets it, and its state.
type CredentialAttrs struct {
	UserID      int64  `json:"user_id,omitempty"`
	StaffKey    string `json:"staff"`
	Username    string `json:"username"`
	Email       string `json:"email"`
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name"`
	FirstNameAr string `json:"first_name_ar"`
	LastNameAr  string `json:"last_name_ar"`
	Language    string `json:"language"`
	State       string `json:"state"`
	Password    string `json:"password"` // always "(sensitive)" in a plan
}

func (*HospitalAttrs) resource() Resource   { return Hospital }
func (*DepartmentAttrs) resource() Resource { return Department }
func (*StaffAttrs) resource() Resource      { return Staff }
func (*UserAttrs) resource() Resource       { return User }
func (*CredentialAttrs) resource() Resource { return Credential }

// Sensitive is what a plan shows in place of a secret.
const Sensitive = "(sensitive)"

// Summary counts a plan's changes the way its last line reports them.
type Summary struct {
	Add, Change, Destroy int // hospitals, departments and staff
	Accounts             int // user accounts to create
	AccountsChanged      int // user accounts updated, deactivated or deleted
	Credentials          int // credential emails to send
	Migrations           int
}

// Summarize counts the plan's changes.
func (p *Plan) Summarize() Summary {
	s := Summary{Migrations: len(p.Migrations)}
	for _, c := range p.Changes {
		switch c.Resource {
		case Hospital, Department, Staff:
			switch c.Action {
			case Create:
				s.Add++
			case Update, Deactivate:
				s.Change++
			case Delete:
				s.Destroy++
			case IssueCredential:
			}
		case User:
			switch c.Action {
			case Create:
				s.Accounts++
			case Update, Deactivate, Delete:
				s.AccountsChanged++
			case IssueCredential:
			}
		case Credential:
			s.Credentials++
		}
	}
	return s
}

// Empty reports whether the plan has nothing to do.
func (p *Plan) Empty() bool {
	return len(p.Changes) == 0 && len(p.Migrations) == 0
}
