package store

// State is what staffseed reads from the database before planning: the
// hospitals and departments, every staff row of the hospitals of interest,
// and every username and email in use (clash resolution needs all of them).
type State struct {
	// SchemaVersion is the highest applied staffseed migration (0: none).
	SchemaVersion int
	// Pending lists the migrations not yet applied, in order.
	Pending []Migration

	Hospitals   []HospitalRow
	Departments []DepartmentRow
	// Staff holds every staff row of the inspected hospitals, managed or not.
	Staff []StaffRow
	// Users holds every user linked to an inspected staff row, and every
	// user staffseed manages.
	Users []UserRow
	// Usernames and Emails are every users.username, users.email and
	// staff.email in the database, lowercased, for clash resolution.
	Usernames map[string]bool
	Emails    map[string]bool
	// UserEmails are the lowercased users.email values alone.
	UserEmails map[string]bool
	// EmployeeIDs are every staff.employee_id in the database, of any
	// hospital: employee IDs are unique across hospitals.
	EmployeeIDs map[string]bool
}

// HospitalRow is a row of hospitals.
type HospitalRow struct {
	ID      int64
	Code    string
	Name    string
	NameAr  string
	Managed bool // created by staffseed
}

// DepartmentRow is a row of departments.
type DepartmentRow struct {
	ID         int64
	HospitalID int64
	Name       string
	NameAr     string
	Managed    bool
}

// StaffRow is a row of staff.
type StaffRow struct {
	ID             int64
	HospitalID     int64
	DepartmentID   *int64
	StaffType      string
	EmployeeID     string
	FirstName      string
	LastName       string
	FirstNameAr    string
	LastNameAr     string
	Gender         string
	Email          *string
	UserID         *int64
	Specialization *string
	// Key is staffseed's identity of a managed row (CODE/type/index or
	// CODE/roster/EMPLOYEE_ID); empty for rows staffseed did not create.
	Key string
	// Seed is the spec seed a generated row (CODE/type/index) was made
	// with; nil for roster rows and rows made before staffseed kept it.
	Seed *int64
}

// Managed reports whether staffseed created the row.
func (r StaffRow) Managed() bool { return r.Key != "" }

// UserRow is a row of users with its roles and credential state.
type UserRow struct {
	ID        int64
	Username  string
	Email     string
	FirstName string
	LastName  string
	IsActive  bool
	Managed   bool     // created by staffseed
	Roles     []string // sorted
	// Credential is the delivery state of the user's staffseed credentials:
	// "" (none tracked), CredentialPending or CredentialDelivered.
	Credential string
	// Key and Seed are the identity of the staff member a managed account
	// was made for (see StaffRow); empty and nil when not known.
	Key  string
	Seed *int64
}

// Credential states.
const (
	CredentialPending   = "pending"
	CredentialDelivered = "delivered"
)

// Migration is one embedded schema migration.
type Migration struct {
	Version int
	Name    string
	SQL     string
}
