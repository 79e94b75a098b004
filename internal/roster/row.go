package roster

import "github.com/hashicorp/hcl/v2"

// The columns of a roster. Required ones must be in the header; optional
// ones may be.
const (
	ColEmployeeID     = "employee_id"
	ColStaffType      = "staff_type"
	ColFirstName      = "first_name"
	ColLastName       = "last_name"
	ColFirstNameAr    = "first_name_ar"
	ColLastNameAr     = "last_name_ar"
	ColGender         = "gender"
	ColEmail          = "email"
	ColDepartment     = "department"
	ColSpecialization = "specialization"
)

// Required are the columns every roster has, in their documented order.
var Required = []string{ColEmployeeID, ColStaffType, ColFirstName, ColLastName, ColFirstNameAr, ColLastNameAr, ColGender}

// Optional are the columns a roster may add.
var Optional = []string{ColEmail, ColDepartment, ColSpecialization}

// StaffTypes and Genders are the values their columns accept.
var (
	StaffTypes = []string{"physician", "nurse", "admin"}
	Genders    = []string{"male", "female"}
)

// Row is one staff member of a roster. Optional columns absent from the
// file are empty.
type Row struct {
	EmployeeID     string `json:"employee_id"`
	StaffType      string `json:"staff_type"`
	FirstName      string `json:"first_name"`
	LastName       string `json:"last_name"`
	FirstNameAr    string `json:"first_name_ar"`
	LastNameAr     string `json:"last_name_ar"`
	Gender         string `json:"gender"`
	Email          string `json:"email,omitempty"`
	Department     string `json:"department,omitempty"`
	Specialization string `json:"specialization,omitempty"`

	// Ranges are where each of the row's fields is in the file, by column
	// name, so that later checks (a department the hospital lacks) can
	// point at the cell.
	Ranges map[string]hcl.Range `json:"-"`
}

// Range returns where column col of the row is, or the row's first field
// when the column is absent.
func (r Row) Range(col string) hcl.Range {
	if rg, ok := r.Ranges[col]; ok {
		return rg
	}
	return r.Ranges[ColEmployeeID]
}
