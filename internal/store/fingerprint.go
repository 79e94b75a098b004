package store

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"slices"
	"strconv"
)

// Fingerprint is a hex SHA-256 of a canonical encoding of everything in
// the state, independent of row order: a saved plan keeps it, and apply
// refuses the plan when the database no longer gives the same one.
//
// The encoding is one line per row, fields separated by spaces, each
// string as its length, a colon and its bytes, absent values as "-". It
// is built by appending into one buffer, a large piece at a time.
func Fingerprint(state *State) string {
	e := &fpEncoder{h: sha256.New()}
	e.word("schema").int(int64(state.SchemaVersion)).end()
	for _, m := range state.Pending {
		e.word("pending").int(int64(m.Version)).quote(m.Name).end()
	}
	for _, r := range byID(state.Hospitals, func(r *HospitalRow) int64 { return r.ID }) {
		e.word("hospital").int(r.ID).quote(r.Code).quote(r.Name).quote(r.NameAr).bool(r.Managed).end()
	}
	for _, r := range byID(state.Departments, func(r *DepartmentRow) int64 { return r.ID }) {
		e.word("department").int(r.ID).int(r.HospitalID).quote(r.Name).quote(r.NameAr).bool(r.Managed).end()
	}
	for _, r := range byID(state.Staff, func(r *StaffRow) int64 { return r.ID }) {
		e.word("staff").int(r.ID).int(r.HospitalID).optInt(r.DepartmentID).
			quote(r.StaffType).quote(r.EmployeeID).quote(r.FirstName).quote(r.LastName).
			quote(r.FirstNameAr).quote(r.LastNameAr).quote(r.Gender).
			optString(r.Email).optInt(r.UserID).optString(r.Specialization).quote(r.Key).optInt(r.Seed).end()
	}
	for _, r := range byID(state.Users, func(r *UserRow) int64 { return r.ID }) {
		e.word("user").int(r.ID).quote(r.Username).quote(r.Email).quote(r.FirstName).quote(r.LastName).
			bool(r.IsActive).bool(r.Managed).quotes(sorted(r.Roles)).quote(r.Credential).
			quote(r.Key).optInt(r.Seed).end()
	}
	e.set("username", state.Usernames)
	e.set("email", state.Emails)
	e.set("employee_id", state.EmployeeIDs)
	e.flush()
	return hex.EncodeToString(e.h.Sum(nil))
}

// sorted returns list in order, copying it only when it is not.
func sorted(list []string) []string {
	if slices.IsSorted(list) {
		return list
	}
	return slices.Sorted(slices.Values(list))
}

// byID returns pointers to the rows in id order; rows read by Inspect are
// in id order already and are not sorted again.
func byID[T any](rows []T, id func(*T) int64) []*T {
	out := make([]*T, len(rows))
	for i := range rows {
		out[i] = &rows[i]
	}
	less := func(a, b *T) int { return cmp.Compare(id(a), id(b)) }
	if !slices.IsSortedFunc(out, less) {
		slices.SortFunc(out, less)
	}
	return out
}

// fpEncoder appends the fingerprint's lines into a buffer that it hands to
// the hash in large pieces.
type fpEncoder struct {
	h   hash.Hash
	buf []byte
	// sep is set once a line has its first field.
	sep bool
}

func (e *fpEncoder) field() {
	if e.sep {
		e.buf = append(e.buf, ' ')
	}
	e.sep = true
}

func (e *fpEncoder) word(s string) *fpEncoder {
	e.field()
	e.buf = append(e.buf, s...)
	return e
}

func (e *fpEncoder) int(n int64) *fpEncoder {
	e.field()
	e.buf = strconv.AppendInt(e.buf, n, 10)
	return e
}

func (e *fpEncoder) bool(b bool) *fpEncoder {
	e.field()
	e.buf = strconv.AppendBool(e.buf, b)
	return e
}

// quote writes a string as its length, a colon and its bytes.
func (e *fpEncoder) quote(s string) *fpEncoder {
	e.field()
	e.buf = strconv.AppendInt(e.buf, int64(len(s)), 10)
	e.buf = append(e.buf, ':')
	e.buf = append(e.buf, s...)
	return e
}

// quotes writes a list of strings as their number and each string.
func (e *fpEncoder) quotes(list []string) *fpEncoder {
	e.int(int64(len(list)))
	for _, s := range list {
		e.quote(s)
	}
	return e
}

func (e *fpEncoder) optInt(p *int64) *fpEncoder {
	if p == nil {
		return e.word("-")
	}
	return e.int(*p)
}

func (e *fpEncoder) optString(p *string) *fpEncoder {
	if p == nil {
		return e.word("-")
	}
	return e.quote(*p)
}

// end finishes a line.
func (e *fpEncoder) end() {
	e.buf = append(e.buf, '\n')
	e.sep = false
	if len(e.buf) >= 64<<10 {
		e.flush()
	}
}

func (e *fpEncoder) flush() {
	e.h.Write(e.buf)
	e.buf = e.buf[:0]
}

// set writes one line for a set: how many members it has and the sum of
// their 64-bit FNV-1a hashes, which does not depend on the order of the
// members and spares sorting hundreds of thousands of them.
func (e *fpEncoder) set(kind string, set map[string]bool) {
	var n int64
	var sum uint64
	for k, in := range set {
		if !in {
			continue
		}
		h := uint64(14695981039346656037)
		for i := 0; i < len(k); i++ {
			h ^= uint64(k[i])
			h *= 1099511628211
		}
		n++
		sum += h
	}
	e.word(kind).int(n)
	e.field()
	e.buf = strconv.AppendUint(e.buf, sum, 16)
	e.end()
}
