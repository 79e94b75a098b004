package spec

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/px360/staffseed/internal/roster"
)

// canonical is the form of a Spec its digest is computed over: every
// setting of the model and nothing about where it was written (files,
// sources, ranges), so the same model in YAML or HCL has the same digest.
// encoding/json writes map keys sorted, which keeps the form canonical.
type canonical struct {
	Version   int                     `json:"version"`
	Seed      int64                   `json:"seed"`
	Clear     bool                    `json:"clear"`
	Staff     map[StaffType]TypeCount `json:"staff"`
	Hospitals []canonicalHospital     `json:"hospitals"`
	Accounts  Accounts                `json:"accounts"`
	Email     Email                   `json:"email"`
}

type canonicalHospital struct {
	Code        string                  `json:"code"`
	Name        string                  `json:"name"`
	NameAr      string                  `json:"name_ar"`
	Existing    bool                    `json:"existing"`
	Departments []canonicalDepartment   `json:"departments"`
	Staff       map[StaffType]TypeCount `json:"staff"`
	Roster      string                  `json:"roster"`
	RosterRows  []roster.Row            `json:"roster_rows,omitempty"`
	Language    string                  `json:"language"`
}

type canonicalDepartment struct {
	Name            string      `json:"name"`
	NameAr          string      `json:"name_ar"`
	StaffTypes      []StaffType `json:"staff_types"`
	Specializations []string    `json:"specializations"`
}

// digest returns the hex SHA-256 of the canonical JSON form of s.
func digest(s *Spec) string {
	c := canonical{
		Version: s.Version, Seed: s.Seed, Clear: s.Clear, Staff: s.Staff,
		Accounts: s.Accounts, Email: s.Email,
		Hospitals: make([]canonicalHospital, 0, len(s.Hospitals)),
	}
	for _, h := range s.Hospitals {
		ch := canonicalHospital{
			Code: h.Code, Name: h.Name, NameAr: h.NameAr, Existing: h.Existing,
			Staff: h.Staff, Roster: h.Roster, RosterRows: h.RosterRows, Language: h.Language,
			Departments: make([]canonicalDepartment, 0, len(h.Departments)),
		}
		for _, d := range h.Departments {
			ch.Departments = append(ch.Departments, canonicalDepartment{
				Name: d.Name, NameAr: d.NameAr,
				StaffTypes: nonNil(d.StaffTypes), Specializations: nonNil(d.Specializations),
			})
		}
		c.Hospitals = append(c.Hospitals, ch)
	}
	b, err := json.Marshal(c)
	if err != nil {
		panic("spec: digest: " + err.Error()) // the model holds only plain values
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// nonNil makes empty and nil slices encode alike.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
