package generate

import (
	"strconv"
	"strings"

	"github.com/px360/staffseed/internal/spec"
)

// Gender of a staff member, as stored in staff.gender.
type Gender string

// The genders.
const (
	Male   Gender = "male"
	Female Gender = "female"
)

// Identity names one generated staff member: the same identity always
// yields the same person for the same seed.
type Identity struct {
	Hospital string
	Type     spec.StaffType
	Index    int // 0-based
}

// Key is the identity as stored in staff.staffseed_key: CODE/type/index.
func (id Identity) Key() string {
	return id.Hospital + "/" + string(id.Type) + "/" + strconv.Itoa(id.Index)
}

// Person is a generated staff member.
type Person struct {
	Identity
	FirstName      string
	LastName       string
	FirstNameAr    string
	LastNameAr     string
	Gender         Gender
	EmployeeID     string // DR|RN|ADM-CODE-NNNNN
	Specialization string // physicians only
	// UsernameBase is first.last in lowercase ASCII, before any clash suffix.
	UsernameBase string
}

// FullName is the English display name, "First Last".
func (p Person) FullName() string { return strings.TrimSpace(p.FirstName + " " + p.LastName) }

// FullNameAr is the Arabic display name.
func (p Person) FullNameAr() string { return strings.TrimSpace(p.FirstNameAr + " " + p.LastNameAr) }
