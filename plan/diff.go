package plan

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/px360/staffseed/internal/generate"
	"github.com/px360/staffseed/internal/spec"
	"github.com/px360/staffseed/internal/store"
)

// Options narrow or change what a plan does.
type Options struct {
	// Targets, when not empty, limits the plan to these hospital codes.
	Targets []string
	// Excludes removes these hospital codes from the plan.
	Excludes []string
	// Destroy plans the removal of everything the spec manages.
	Destroy bool
	// SkipFingerprint leaves out the state's fingerprint and summary, which
	// only a saved or JSON plan needs: at 100,000 staff they cost a third
	// of the diff.
	SkipFingerprint bool
}

// Make diffs the spec against the database state and returns the plan.
// It is a pure function of its arguments.
func Make(s *spec.Spec, st *store.State, opts Options) (*Plan, error) {
	hospitals, err := scope(s, opts)
	if err != nil {
		return nil, err
	}
	// The state's fingerprint and summary are taken on another core while
	// the diff runs: all three only read the state.
	var fingerprint string
	var basis store.Summary
	read := make(chan struct{})
	go func() {
		defer close(read)
		if !opts.SkipFingerprint {
			fingerprint, basis = store.Fingerprint(st), store.Summarize(st, specCodes(s))
		}
	}()
	d := newDiffer(s, st, opts)
	for _, h := range hospitals {
		d.hospital(h)
	}
	<-read
	if len(d.errs) > 0 {
		return nil, errors.Join(d.errs...)
	}
	p := &Plan{
		FormatVersion: FormatVersion,
		SpecDigest:    s.Digest,
		Fingerprint:   fingerprint,
		Basis:         basis,
		Changes:       d.changes,
		Warnings:      d.warnings,
		Settings: Settings{
			Seed:      s.Seed,
			Password:  s.Accounts.Password,
			Email:     s.Email,
			OnRemove:  s.Accounts.OnRemove,
			Hospitals: map[string]HospitalInfo{},
		},
	}
	for _, m := range st.Pending {
		p.Migrations = append(p.Migrations, fmt.Sprintf("%04d_%s", m.Version, m.Name))
	}
	for _, h := range hospitals {
		p.Hospitals = append(p.Hospitals, h.Code)
		info := HospitalInfo{Name: h.Name, NameAr: h.NameAr, Language: h.Language}
		if row, ok := d.hospitalRows[h.Code]; ok && h.Existing {
			info.Name, info.NameAr = row.Name, row.NameAr
		}
		if info.Language == "" {
			info.Language = s.Email.Language
		}
		p.Settings.Hospitals[h.Code] = info
	}
	return p, nil
}

// specCodes are the codes of all the spec's hospitals: those whose staff
// the state is read for, whatever the targets.
func specCodes(s *spec.Spec) []string {
	codes := make([]string, 0, len(s.Hospitals))
	for _, h := range s.Hospitals {
		codes = append(codes, h.Code)
	}
	return codes
}

// scope returns the spec's hospitals that the targets and excludes leave.
func scope(s *spec.Spec, opts Options) ([]spec.Hospital, error) {
	known := map[string]bool{}
	for _, h := range s.Hospitals {
		known[h.Code] = true
	}
	var errs []error
	for _, list := range [][]string{opts.Targets, opts.Excludes} {
		for _, code := range list {
			if !known[code] {
				errs = append(errs, fmt.Errorf("hospital.%s is not in the spec", code))
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	in := func(list []string, code string) bool {
		for _, c := range list {
			if c == code {
				return true
			}
		}
		return false
	}
	var out []spec.Hospital
	for _, h := range s.Hospitals {
		if len(opts.Targets) > 0 && !in(opts.Targets, h.Code) {
			continue
		}
		if in(opts.Excludes, h.Code) {
			continue
		}
		out = append(out, h)
	}
	return out, nil
}

// differ accumulates the changes of one plan.
type differ struct {
	spec *spec.Spec
	st   *store.State
	opts Options

	hospitalRows map[string]store.HospitalRow
	deptsByHosp  map[int64][]store.DepartmentRow
	deptNames    map[int64]string
	staffByHosp  map[int64][]store.StaffRow
	users        map[int64]store.UserRow
	// accounts are the managed users that know the staff member they were
	// made for, by identity (see identity); handled marks those this plan
	// has settled, so that the rest of a hospital's can be removed.
	accounts map[string]store.UserRow
	handled  map[int64]bool
	// taken usernames and emails: the database's plus those this plan assigns.
	usernames  map[string]bool
	emails     map[string]bool
	userEmails map[string]bool
	// employeeIDs maps the employee IDs of the inspected staff rows, and
	// those this plan assigns, to the key of the row holding each ("" for
	// rows staffseed did not create).
	employeeIDs map[string]string

	changes []Change
	// users and creds hold a hospital's account and credential changes
	// until its staff changes are out, so that like changes sit together.
	heldUsers, heldCreds []Change
	warnings             []string
	errs                 []error
}

func newDiffer(s *spec.Spec, st *store.State, opts Options) *differ {
	// Each staff member of the spec may claim a username and an address.
	claims := 0
	for _, h := range s.Hospitals {
		for _, tc := range h.Staff {
			claims += tc.Count
		}
	}
	d := &differ{
		spec: s, st: st, opts: opts,
		hospitalRows: map[string]store.HospitalRow{},
		deptsByHosp:  map[int64][]store.DepartmentRow{},
		deptNames:    make(map[int64]string, len(st.Departments)),
		staffByHosp:  map[int64][]store.StaffRow{},
		users:        make(map[int64]store.UserRow, len(st.Users)),
		usernames:    make(map[string]bool, len(st.Usernames)+claims),
		emails:       make(map[string]bool, len(st.Emails)+claims),
		userEmails:   make(map[string]bool, len(st.UserEmails)),
		employeeIDs:  make(map[string]string, len(st.EmployeeIDs)+claims),
		accounts:     map[string]store.UserRow{},
		handled:      map[int64]bool{},
	}
	for _, h := range st.Hospitals {
		d.hospitalRows[h.Code] = h
	}
	for _, dep := range st.Departments {
		d.deptsByHosp[dep.HospitalID] = append(d.deptsByHosp[dep.HospitalID], dep)
		d.deptNames[dep.ID] = dep.Name
	}
	staffOf := map[int64]int{}
	for _, r := range st.Staff {
		staffOf[r.HospitalID]++
	}
	for id := range st.EmployeeIDs {
		d.employeeIDs[id] = ""
	}
	for _, r := range st.Staff {
		d.employeeIDs[r.EmployeeID] = r.Key
		if r.Managed() && !d.own(r) {
			d.employeeIDs[r.EmployeeID] = identity(r.Key, r.Seed)
		}
		if d.staffByHosp[r.HospitalID] == nil {
			d.staffByHosp[r.HospitalID] = make([]store.StaffRow, 0, staffOf[r.HospitalID])
		}
		d.staffByHosp[r.HospitalID] = append(d.staffByHosp[r.HospitalID], r)
	}
	for _, u := range st.Users {
		d.users[u.ID] = u
		if u.Managed && u.Key != "" {
			d.accounts[identity(u.Key, u.Seed)] = u
		}
	}
	for k := range st.Usernames {
		d.usernames[k] = true
	}
	for k := range st.Emails {
		d.emails[k] = true
	}
	for k := range st.UserEmails {
		d.userEmails[k] = true
	}
	return d
}

func (d *differ) add(c Change) {
	switch c.Resource {
	case User:
		d.heldUsers = append(d.heldUsers, c)
	case Credential:
		d.heldCreds = append(d.heldCreds, c)
	case Hospital, Department, Staff:
		d.changes = append(d.changes, c)
	}
}

// flush appends the held account and credential changes.
func (d *differ) flush() {
	d.changes = append(append(d.changes, d.heldUsers...), d.heldCreds...)
	d.heldUsers, d.heldCreds = nil, nil
}

func (d *differ) warnf(format string, args ...any) {
	d.warnings = append(d.warnings, fmt.Sprintf(format, args...))
}

// hospital plans one hospital: the row, its departments and its staff.
func (d *differ) hospital(h spec.Hospital) {
	row, exists := d.hospitalRows[h.Code]
	addr := "hospital." + h.Code
	switch {
	case h.Existing && !exists:
		d.errs = append(d.errs, fmt.Errorf("%s: hospital %q is marked existing but is not in the database", addr, h.Code))
		return
	case d.opts.Destroy:
		// Destroy keeps hospitals and departments: other programs' rows
		// may point at them. Only staff and their accounts go.
	case !h.Existing && !exists:
		d.add(Change{Address: addr, Resource: Hospital, Action: Create, Hospital: h.Code,
			Cause: "in the spec, not in the database",
			After: &HospitalAttrs{Code: h.Code, Name: h.Name, NameAr: h.NameAr}})
	case !h.Existing && row.Managed && (row.Name != h.Name || row.NameAr != h.NameAr):
		d.add(Change{Address: addr, Resource: Hospital, Action: Update, Hospital: h.Code,
			Cause:  "names differ from the spec",
			Before: &HospitalAttrs{ID: row.ID, Code: row.Code, Name: row.Name, NameAr: row.NameAr},
			After:  &HospitalAttrs{ID: row.ID, Code: h.Code, Name: h.Name, NameAr: h.NameAr}})
	case !h.Existing && !row.Managed && (row.Name != h.Name || row.NameAr != h.NameAr):
		d.warnf("hospital.%s already exists and was not created by staffseed: its names are left as they are", h.Code)
	}
	depts := d.departments(h, row, exists)
	d.staff(h, row, exists, depts)
	d.flush()
}

// departments plans a managed hospital's departments and returns the
// departments staff can be assigned to once the plan is applied.
func (d *differ) departments(h spec.Hospital, row store.HospitalRow, exists bool) []spec.Department {
	var current []store.DepartmentRow
	if exists {
		current = d.deptsByHosp[row.ID]
	}
	if h.Existing || d.opts.Destroy {
		out := make([]spec.Department, 0, len(current))
		for _, dep := range current {
			out = append(out, spec.Department{Name: dep.Name, NameAr: dep.NameAr})
		}
		if h.Existing && len(h.Departments) > 0 {
			out = h.Departments
		}
		return out
	}
	byName := map[string]store.DepartmentRow{}
	for _, dep := range current {
		byName[dep.Name] = dep
	}
	for _, want := range h.Departments {
		addr := fmt.Sprintf("department.%s[%q]", h.Code, want.Name)
		have, ok := byName[want.Name]
		switch {
		case !ok:
			d.add(Change{Address: addr, Resource: Department, Action: Create, Hospital: h.Code,
				Cause: "in the spec, not in the database",
				After: &DepartmentAttrs{Name: want.Name, NameAr: want.NameAr}})
		case have.Managed && have.NameAr != want.NameAr:
			d.add(Change{Address: addr, Resource: Department, Action: Update, Hospital: h.Code,
				Cause:  "Arabic name differs from the spec",
				Before: &DepartmentAttrs{ID: have.ID, Name: have.Name, NameAr: have.NameAr},
				After:  &DepartmentAttrs{ID: have.ID, Name: want.Name, NameAr: want.NameAr}})
		}
	}
	return h.Departments
}

// staff plans the staff of one hospital, their accounts and credentials.
func (d *differ) staff(h spec.Hospital, row store.HospitalRow, exists bool, depts []spec.Department) {
	var rows []store.StaffRow
	if exists {
		rows = d.staffByHosp[row.ID]
	}
	byKey := make(map[string]store.StaffRow, len(rows))
	others := map[int64]int{} // rows of other specs, by seed
	kept := existingRows{employeeIDs: map[string]bool{}, users: map[int64]bool{}}
	for _, r := range rows {
		switch {
		case d.own(r):
			byKey[r.Key] = r
		case d.spec.Clear && !d.opts.Destroy:
			d.remove(h, r, "clear: true removes the staff rows this spec did not create")
			continue
		case r.Managed():
			others[*r.Seed]++
		case d.spec.Accounts.ForExistingStaff && !d.opts.Destroy:
			d.existingAccount(h, r)
		}
		if !r.Managed() {
			kept.add(r)
		}
	}
	seeds := make([]int64, 0, len(others))
	for seed := range others {
		seeds = append(seeds, seed)
	}
	sort.Slice(seeds, func(i, j int) bool { return seeds[i] < seeds[j] })
	for _, seed := range seeds {
		d.warnf("hospital.%s has %d staff made by staffseed with seed %d; they are left alone", h.Code, others[seed], seed)
	}
	wanted := make(map[string]bool, len(rows))
	if !d.opts.Destroy {
		unassigned := map[spec.StaffType]int{}
		for _, t := range spec.StaffTypes {
			tc := h.Staff[t]
			people := generate.StaffRange(d.spec.Seed, h.Code, t, tc.Count, tc.FemaleRatio)
			for i := 0; i < tc.Count; i++ {
				p := people[i]
				key := p.Key()
				wanted[key] = true
				dept := assignDepartment(d.spec.Seed, key, t, p.Specialization, depts)
				if dept == "" {
					unassigned[t]++
				}
				if have, ok := byKey[key]; ok {
					d.existingStaff(h, p, dept, have)
				} else {
					d.newStaff(h, p, dept)
				}
			}
		}
		d.rosterStaff(h, byKey, wanted, depts, unassigned)
		for _, t := range spec.StaffTypes {
			n := unassigned[t]
			switch {
			case n == 0:
			case takesType(depts, t):
				d.warnf("hospital.%s: no department takes the specialization of %d %s staff; left without a department", h.Code, n, t)
			default:
				d.warnf("hospital.%s: no department takes %s staff; %d left without a department", h.Code, t, n)
			}
		}
	}
	// Managed rows the spec no longer wants go, highest index first.
	var gone []store.StaffRow
	for key, r := range byKey {
		if !wanted[key] {
			gone = append(gone, r)
		}
	}
	sort.Slice(gone, func(i, j int) bool { return keyLess(gone[i].Key, gone[j].Key) })
	for _, r := range gone {
		d.remove(h, r, goneCause(r.Key, d.opts.Destroy))
	}
	d.orphanAccounts(h, wanted, kept)
}

// existingRows are the staff rows of a hospital that staffseed did not
// create and that stay: by employee ID, and by the account they link to.
type existingRows struct {
	employeeIDs map[string]bool
	users       map[int64]bool
}

func (e existingRows) add(r store.StaffRow) {
	e.employeeIDs[r.EmployeeID] = true
	if r.UserID != nil {
		e.users[*r.UserID] = true
	}
}

// holds reports whether a row that stays is the staff member of u, an
// account made for existing staff (key CODE/existing/EMPLOYEE_ID).
func (e existingRows) holds(u store.UserRow) bool {
	parts := strings.SplitN(u.Key, "/", 3)
	return e.users[u.ID] || (len(parts) == 3 && e.employeeIDs[parts[2]])
}

// orphanAccounts removes, per on_remove, the hospital's managed accounts
// of this spec whose staff member the spec no longer wants and that no
// staff row links to any more; and the accounts made for existing staff
// whose row is gone, or all of them on destroy.
func (d *differ) orphanAccounts(h spec.Hospital, wanted map[string]bool, kept existingRows) {
	var orphans, existing []store.UserRow
	for id, u := range d.accounts {
		if !strings.HasPrefix(u.Key, h.Code+"/") || id != d.ownIdentity(u.Key) || d.handled[u.ID] {
			continue
		}
		switch {
		case keyKind(u.Key) == existingKind:
			if d.opts.Destroy || !kept.holds(u) {
				existing = append(existing, u)
			}
		case !wanted[u.Key]:
			orphans = append(orphans, u)
		}
	}
	sort.Slice(orphans, func(i, j int) bool { return keyLess(orphans[i].Key, orphans[j].Key) })
	for _, u := range orphans {
		d.removeUser(h, u.Key, u, "its staff member is no longer in the spec")
	}
	sort.Slice(existing, func(i, j int) bool { return existing[i].Key < existing[j].Key })
	for _, u := range existing {
		cause := "its existing staff member's row is gone"
		if d.opts.Destroy {
			cause = "destroy removes the accounts staffseed made for existing staff"
		}
		d.removeUser(h, u.Key, u, cause)
	}
}

// identity is what tells managed staff and accounts of one spec from
// another's: the key, with the seed for generated staff.
func identity(key string, seed *int64) string {
	if seed == nil || !GeneratedKey(key) {
		return key
	}
	return key + "@" + strconv.FormatInt(*seed, 10)
}

// ownIdentity is the identity this spec gives the staff member with key.
func (d *differ) ownIdentity(key string) string {
	seed := d.spec.Seed
	return identity(key, &seed)
}

// own reports whether a staff row is this spec's: made by staffseed, and
// for a generated row, with the spec's seed (or before seeds were kept).
func (d *differ) own(r store.StaffRow) bool {
	return r.Managed() && (r.Seed == nil || !GeneratedKey(r.Key) || *r.Seed == d.spec.Seed)
}

// account returns the managed account made for this spec's staff member
// with key, when there is one no staff row of this plan has taken yet.
func (d *differ) account(key string) (*store.UserRow, bool) {
	u, ok := d.accounts[d.ownIdentity(key)]
	if !ok || d.handled[u.ID] {
		return nil, false
	}
	return &u, true
}

// takesType reports whether some department takes staff of type t, for
// some specialization at least.
func takesType(depts []spec.Department, t spec.StaffType) bool {
	for _, dep := range depts {
		if len(dep.StaffTypes) == 0 || slices.Contains(dep.StaffTypes, t) {
			return true
		}
	}
	return false
}

// keyLess orders staff keys by type then index.
func keyLess(a, b string) bool {
	ta, ia := splitKey(a)
	tb, ib := splitKey(b)
	if ta != tb {
		return ta < tb
	}
	if ia != ib {
		return ia < ib
	}
	return a < b
}

func splitKey(key string) (string, int) {
	i := strings.LastIndexByte(key, '/')
	n := 0
	fmt.Sscanf(key[i+1:], "%d", &n)
	return key[:i], n
}

// assignDepartment picks the department a staff member belongs in: one of
// those that take its type (and specialization), chosen by a hash of the
// seed and its key, or "" when none does.
func assignDepartment(seed int64, key string, t spec.StaffType, specialization string, depts []spec.Department) string {
	var fit []string
	for _, dep := range depts {
		if dep.Takes(t, specialization) {
			fit = append(fit, dep.Name)
		}
	}
	if len(fit) == 0 {
		return ""
	}
	h := sha256.New()
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(seed))
	h.Write(b[:])
	h.Write([]byte("department\x00" + key))
	sum := h.Sum(nil)
	return fit[binary.BigEndian.Uint64(sum[:8])%uint64(len(fit))]
}

// staffAddress is a staff member's address in a plan.
func staffAddress(resource Resource, key string) string {
	parts := strings.SplitN(key, "/", 3)
	if len(parts) != 3 {
		return resource.String() + "." + key
	}
	switch parts[1] {
	case rosterKind:
		return fmt.Sprintf("%s.%s.%s[%q]", resource, parts[0], parts[1], parts[2])
	case existingKind:
		return fmt.Sprintf("%s.%s[%q]", resource, parts[0], parts[2])
	}
	return fmt.Sprintf("%s.%s.%s[%s]", resource, parts[0], parts[1], parts[2])
}

// newStaff plans a staff member that is not in the database yet, with its
// account and credential email.
func (d *differ) newStaff(h spec.Hospital, p generate.Person, dept string) {
	key := p.Key()
	user, username, email := d.kept(h.Code, key, p.UsernameBase, p.FirstName, p.LastName)
	attrs := &StaffAttrs{Key: key, StaffType: string(p.Type), EmployeeID: d.claimEmployeeID(p, ""),
		FirstName: p.FirstName, LastName: p.LastName, FirstNameAr: p.FirstNameAr, LastNameAr: p.LastNameAr,
		Gender: string(p.Gender), Email: email, Department: dept, Specialization: p.Specialization}
	if user != nil {
		attrs.UserID = user.ID
	}
	d.add(Change{Address: staffAddress(Staff, key), Resource: Staff, Action: Create, Hospital: h.Code,
		Cause: "index within the spec's count", After: attrs})
	d.staffAccount(h, attrs, user, username)
}

// kept returns, for a staff member with key that has no staff row, the
// account made for it earlier (nil if none) with its username and the
// address the row gets: the account's, when staffseed could have given
// it; else a new username and address.
func (d *differ) kept(code, key, base, first, last string) (*store.UserRow, string, string) {
	if u, ok := d.account(key); ok {
		d.handled[u.ID] = true
		email := strings.ToLower(u.Email)
		if !d.assignable(email, code, first, last, u.Username, base) {
			email = d.claimEmail(code, u.Username, first, last)
		}
		return u, u.Username, email
	}
	username := d.claimUsername(base)
	return nil, username, d.claimEmail(code, username, first, last)
}

// spareEmployeeIDs is how many spare IDs, taken from the top of a
// hospital and type's permutation, stand in for a generated employee ID
// that a row of another identity already holds.
const spareEmployeeIDs = 32

// claimEmployeeID returns p's employee ID: current, the ID its row already
// has, when that is the generated one or one of the spares; else the
// generated ID, or the first free spare when a row of another identity (a
// row made by the old seed_staff command, say) holds it.
func (d *differ) claimEmployeeID(p generate.Person, current string) string {
	key := p.Key()
	candidate := func(j int) string {
		if j == 0 {
			return p.EmployeeID
		}
		return generate.EmployeeID(d.spec.Seed, p.Hospital, p.Type, generate.MaxPerType-j)
	}
	if current != "" {
		for j := 0; j <= spareEmployeeIDs; j++ {
			if current == candidate(j) {
				return current
			}
		}
	}
	for j := 0; j <= spareEmployeeIDs; j++ {
		id := candidate(j)
		if holder, taken := d.employeeIDs[id]; !taken || holder == key {
			d.employeeIDs[id] = key
			return id
		}
	}
	return p.EmployeeID // every spare is taken: apply reports the clash
}

// newUser plans a user account (and its credential) for a staff member.
func (d *differ) newUser(h spec.Hospital, s *StaffAttrs, username, email, cause string) {
	d.add(Change{Address: staffAddress(User, s.Key), Resource: User, Action: Create, Hospital: h.Code,
		Cause: cause,
		After: &UserAttrs{StaffKey: s.Key, StaffID: s.ID, Username: username, Email: email,
			FirstName: s.FirstName, LastName: s.LastName,
			Role: d.spec.Accounts.RoleFor(spec.StaffType(s.StaffType)), IsActive: true}})
	if d.spec.Email.SendCredentials {
		d.add(Change{Address: staffAddress(Credential, s.Key), Resource: Credential, Action: IssueCredential,
			Hospital: h.Code, Cause: "new account",
			After: d.credential(h, s, 0, username, email, store.CredentialDelivered)})
	}
}

func (d *differ) credential(h spec.Hospital, s *StaffAttrs, userID int64, username, email, state string) *CredentialAttrs {
	return &CredentialAttrs{UserID: userID, StaffKey: s.Key, Username: username, Email: email,
		FirstName: s.FirstName, LastName: s.LastName, FirstNameAr: s.FirstNameAr, LastNameAr: s.LastNameAr,
		Language: d.language(h), State: state, Password: Sensitive}
}

func (d *differ) language(h spec.Hospital) string {
	if h.Language != "" {
		return h.Language
	}
	return d.spec.Email.Language
}

// existingStaff plans drift corrections, a missing account, a missing role
// and pending credentials for a managed staff row.
func (d *differ) existingStaff(h spec.Hospital, p generate.Person, dept string, have store.StaffRow) {
	key := p.Key()
	before := d.staffAttrs(have)
	after := before
	after.StaffType, after.EmployeeID = string(p.Type), d.claimEmployeeID(p, have.EmployeeID)
	after.FirstName, after.LastName = p.FirstName, p.LastName
	after.FirstNameAr, after.LastNameAr = p.FirstNameAr, p.LastNameAr
	after.Gender, after.Department, after.Specialization = string(p.Gender), dept, p.Specialization
	user, username := d.linkedUser(have, &after, p.UsernameBase)
	after.Email = d.desiredEmail(h.Code, before.Email, user, username, p.UsernameBase, p.FirstName, p.LastName)
	if user == nil {
		after.Email = d.addressForNewAccount(h.Code, after.Email, username, p.FirstName, p.LastName)
	}
	if after != before {
		d.add(Change{Address: staffAddress(Staff, key), Resource: Staff, Action: Update, Hospital: h.Code,
			Cause: staffCause("differs from the spec", before, after), Before: &before, After: &after})
	}
	d.staffAccount(h, &after, user, username)
}

// staffCause says why a staff row changes: cause, or that its account is
// linked again when that is all.
func staffCause(cause string, before, after StaffAttrs) string {
	if before.UserID != after.UserID {
		b := before
		b.UserID = after.UserID
		if b == after {
			return "its account is linked again"
		}
	}
	return cause
}

// linkedUser returns a staff row's account and its username: the account
// the row links to, else the managed account made for its key, which the
// row gets linked to again (after.UserID); else nil and, when accounts are
// made, a new username.
func (d *differ) linkedUser(have store.StaffRow, after *StaffAttrs, base string) (*store.UserRow, string) {
	if have.UserID != nil {
		if u, ok := d.users[*have.UserID]; ok {
			d.handled[u.ID] = true
			return &u, u.Username
		}
	}
	if u, ok := d.account(have.Key); ok && have.UserID == nil {
		d.handled[u.ID] = true
		after.UserID = u.ID
		return u, u.Username
	}
	if d.spec.Accounts.CreateUsers {
		return nil, d.claimUsername(base)
	}
	return nil, "" // claimed only if an address needs it
}

// addressForNewAccount is the address of a staff member that gets a new
// account: email, unless an account in the database holds it already,
// then a fresh claim, so that staff row and account share one address.
func (d *differ) addressForNewAccount(code, email, username, first, last string) string {
	if !d.spec.Accounts.CreateUsers || email == "" || !d.st.UserEmails[strings.ToLower(email)] {
		return email
	}
	return d.claimEmail(code, username, first, last)
}

// staffAccount plans the account of a staff row: a new one when it has
// none (username already claimed), else the upkeep of its own.
func (d *differ) staffAccount(h spec.Hospital, after *StaffAttrs, user *store.UserRow, username string) {
	if !d.spec.Accounts.CreateUsers {
		return
	}
	if user != nil {
		d.accountUpkeep(h, after, *user)
		return
	}
	if after.UserID != 0 {
		return
	}
	email := after.Email
	if email == "" || d.st.UserEmails[strings.ToLower(email)] {
		email = d.claimEmail(h.Code, username, after.FirstName, after.LastName)
	}
	d.userEmails[strings.ToLower(email)] = true
	d.newUser(h, after, username, email, "staff member has no account")
}

// desiredEmail is the address a managed staff row should have. Its current
// one stays when staffseed could have given it (the address template or
// its clash fallback, for any username of the staff member's base, so that
// a username renamed by hand does not move it), so that clash suffixes
// never move; an address edited by hand goes back to the user account's,
// when that is one staffseed could have given, else to a fresh claim.
func (d *differ) desiredEmail(code, current string, user *store.UserRow, username, base, first, last string) string {
	if current != "" && d.assignable(current, code, first, last, username, base) {
		return current
	}
	if user != nil && d.assignable(user.Email, code, first, last, username, base) {
		return strings.ToLower(user.Email)
	}
	if username == "" {
		username = d.claimUsername(base)
	}
	return d.claimEmail(code, username, first, last)
}

// assignable reports whether claimEmail could give addr to one of the
// usernames (or to one of them with a number appended, as clashes make
// them): the rendered template, or the fallback form with an optional
// number.
func (d *differ) assignable(addr, code, first, last string, usernames ...string) bool {
	addr = strings.ToLower(addr)
	const mark = "\x00"
	for _, template := range []string{d.spec.Email.Address, d.fallbackAddress()} {
		rendered := generate.Address(template, mark, first, last, code)
		pre, suf, ok := strings.Cut(rendered, mark)
		if !ok {
			if addr == rendered {
				return true
			}
			continue
		}
		for _, username := range usernames {
			if username != "" && numbered(addr, pre+strings.ToLower(username), suf) {
				return true
			}
		}
	}
	return false
}

// numbered reports whether addr is pre, an optional number, then suf.
func numbered(addr, pre, suf string) bool {
	if len(addr) < len(pre)+len(suf) || !strings.HasPrefix(addr, pre) || !strings.HasSuffix(addr, suf) {
		return false
	}
	for _, r := range addr[len(pre) : len(addr)-len(suf)] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// accountUpkeep plans the upkeep of a staff member's existing account: its
// role (a managed account holds exactly the spec's; another keeps its
// own and gains the spec's); for a managed account of a staff member the spec makes,
// its email, names and is_active back to the staff member's; and a
// pending credential.
func (d *differ) accountUpkeep(h spec.Hospital, s *StaffAttrs, u store.UserRow) {
	role := d.spec.Accounts.RoleFor(spec.StaffType(s.StaffType))
	before := UserAttrs{ID: u.ID, StaffKey: s.Key, StaffID: s.ID, Username: u.Username, Email: u.Email,
		FirstName: u.FirstName, LastName: u.LastName, IsActive: u.IsActive, Role: strings.Join(u.Roles, ",")}
	after := before
	var causes []string
	switch {
	case u.Managed && !(len(u.Roles) == 1 && u.Roles[0] == role):
		// A managed account holds exactly the spec's role.
		after.Role = role
		if hasRole(u.Roles, role) {
			causes = append(causes, fmt.Sprintf("roles other than %q granted", role))
		} else {
			causes = append(causes, fmt.Sprintf("role %q not granted", role))
		}
	case !u.Managed && !hasRole(u.Roles, role):
		// An account of someone else's keeps its roles and gains this one.
		after.Role = strings.Join(append(append([]string(nil), u.Roles...), role), ",")
		causes = append(causes, fmt.Sprintf("role %q not granted", role))
	}
	if u.Managed && keyKind(s.Key) != existingKind {
		if s.Email != "" && !strings.EqualFold(s.Email, u.Email) && !d.st.UserEmails[strings.ToLower(s.Email)] {
			after.Email = s.Email
			d.userEmails[strings.ToLower(s.Email)] = true
			causes = append(causes, "email differs from its staff member's")
		}
		if u.FirstName != s.FirstName || u.LastName != s.LastName {
			after.FirstName, after.LastName = s.FirstName, s.LastName
			causes = append(causes, "names differ from its staff member's")
		}
		if !u.IsActive {
			after.IsActive = true
			causes = append(causes, "inactive, and its staff member is in the spec")
		}
	}
	if len(causes) > 0 {
		d.add(Change{Address: staffAddress(User, s.Key), Resource: User, Action: Update, Hospital: h.Code,
			Cause: strings.Join(causes, "; "), Before: &before, After: &after})
	}
	if d.spec.Email.SendCredentials && u.Managed && u.Credential != store.CredentialDelivered {
		d.add(Change{Address: staffAddress(Credential, s.Key), Resource: Credential, Action: IssueCredential,
			Hospital: h.Code, Cause: "credentials pending: never delivered",
			Before: d.credential(h, s, u.ID, u.Username, after.Email, store.CredentialPending),
			After:  d.credential(h, s, u.ID, u.Username, after.Email, store.CredentialDelivered)})
	}
}

func hasRole(roles []string, role string) bool {
	for _, r := range roles {
		if r == role {
			return true
		}
	}
	return false
}

// remove plans the deletion of a staff row and, when staffseed created it,
// its user account: the one it links to, or the one made for its key.
func (d *differ) remove(h spec.Hospital, r store.StaffRow, cause string) {
	before := d.staffAttrs(r)
	addr := staffAddress(Staff, r.Key)
	if !r.Managed() {
		addr = fmt.Sprintf("staff.%s[%q]", h.Code, r.EmployeeID)
	}
	d.add(Change{Address: addr, Resource: Staff, Action: Delete, Hospital: h.Code, Cause: cause, Before: &before})
	if !r.Managed() {
		return
	}
	var u store.UserRow
	var ok bool
	if r.UserID != nil {
		u, ok = d.users[*r.UserID]
	} else if acc, found := d.accounts[identity(r.Key, r.Seed)]; found && !d.handled[acc.ID] {
		u, ok = acc, true
	}
	if !ok || !u.Managed || d.handled[u.ID] {
		return
	}
	d.removeUser(h, r.Key, u, "its staff member is removed")
}

// removeUser deletes or deactivates (per on_remove) a managed account.
func (d *differ) removeUser(h spec.Hospital, key string, u store.UserRow, cause string) {
	d.handled[u.ID] = true
	attrs := &UserAttrs{ID: u.ID, StaffKey: key, Username: u.Username, Email: u.Email,
		FirstName: u.FirstName, LastName: u.LastName, Role: strings.Join(u.Roles, ","), IsActive: u.IsActive}
	if d.spec.Accounts.OnRemove == "deactivate" {
		if !u.IsActive {
			return
		}
		after := *attrs
		after.IsActive = false
		d.add(Change{Address: staffAddress(User, key), Resource: User, Action: Deactivate, Hospital: h.Code,
			Cause: cause + " (on_remove: deactivate)", Before: attrs, After: &after})
		return
	}
	d.add(Change{Address: staffAddress(User, key), Resource: User, Action: Delete, Hospital: h.Code,
		Cause: cause, Before: attrs})
}

func (d *differ) staffAttrs(r store.StaffRow) StaffAttrs {
	a := StaffAttrs{ID: r.ID, Key: r.Key, StaffType: r.StaffType, EmployeeID: r.EmployeeID,
		FirstName: r.FirstName, LastName: r.LastName, FirstNameAr: r.FirstNameAr, LastNameAr: r.LastNameAr,
		Gender: r.Gender}
	if r.Email != nil {
		a.Email = *r.Email
	}
	if r.Specialization != nil {
		a.Specialization = *r.Specialization
	}
	if r.UserID != nil {
		a.UserID = *r.UserID
	}
	if r.DepartmentID != nil {
		a.Department = d.deptNames[*r.DepartmentID]
	}
	return a
}

// claimUsername returns the first of base, base2, base3… no user has, and
// marks it taken.
func (d *differ) claimUsername(base string) string {
	for n := 1; ; n++ {
		u := generate.Username(base, n)
		if !d.usernames[u] {
			d.usernames[u] = true
			return u
		}
	}
}

// claimEmail renders the address template; on a clash it falls back to the
// username at the template's domain (then username2, username3…), and
// marks the address taken.
func (d *differ) claimEmail(code, username, first, last string) string {
	addr := generate.Address(d.spec.Email.Address, username, first, last, code)
	fallback := d.fallbackAddress()
	if d.emails[addr] {
		addr = generate.Address(fallback, username, first, last, code)
	}
	for n := 2; d.emails[addr]; n++ {
		addr = generate.Address(fallback, username+strconv.Itoa(n), first, last, code)
	}
	d.emails[addr] = true
	d.userEmails[addr] = true
	return addr
}

// fallbackAddress is the template of the addresses a clash falls back to:
// the username at the address template's domain.
func (d *differ) fallbackAddress() string {
	t := d.spec.Email.Address
	return "{username}@" + t[strings.LastIndexByte(t, '@')+1:]
}

func (d *differ) userEmailTaken(email string) bool {
	return d.userEmails[strings.ToLower(email)]
}
