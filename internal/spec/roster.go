package spec

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"

	"github.com/px360/staffseed/internal/roster"
)

// withRosters reads the rosters of a spec Load decoded without error.
func withRosters(s *Spec, diags hcl.Diagnostics) (*Spec, hcl.Diagnostics) {
	if diags.HasErrors() {
		return s, diags
	}
	more := loadRosters(s)
	if more.HasErrors() {
		return &Spec{Files: s.Files, Sources: s.Sources}, append(diags, more...)
	}
	return s, append(diags, more...)
}

// loadRosters reads the roster of every hospital that names one into
// RosterRows, adds each file to Sources for diagnostics snippets, checks
// that a row's department is one of its hospital's departments (when the
// spec lists them), and renews the digest so that it covers the rows.
func loadRosters(s *Spec) hcl.Diagnostics {
	var diags hcl.Diagnostics
	read := false
	seen := map[string]string{} // employee_id → code of the hospital whose roster has it
	for i := range s.Hospitals {
		h := &s.Hospitals[i]
		if h.Roster == "" {
			continue
		}
		read = true
		rows, src, more := roster.Load(h.Roster)
		if src != nil {
			s.Sources[h.Roster] = src
		}
		diags = append(diags, more...)
		if !more.HasErrors() {
			h.RosterRows = rows
		}
		for _, r := range rows {
			if other, dup := seen[r.EmployeeID]; dup && other != h.Code {
				// (A repeat within one roster is reported by roster.Load.)
				rg := r.Range(roster.ColEmployeeID)
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Duplicate employee ID",
					Detail:  fmt.Sprintf("Employee ID %q is also in the roster of hospital %s; employee IDs are unique across hospitals.", r.EmployeeID, other),
					Subject: &rg})
			}
			seen[r.EmployeeID] = h.Code
		}
		if h.Existing && len(h.Departments) == 0 {
			continue // the database's departments are checked at plan time
		}
		names := map[string]bool{}
		var list []string
		for _, d := range h.Departments {
			names[d.Name] = true
			list = append(list, d.Name)
		}
		for _, r := range rows {
			if r.Department != "" && !names[r.Department] {
				rg := r.Range(roster.ColDepartment)
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unknown department",
					Detail: fmt.Sprintf("Hospital %s has no department %q (its departments are %s); list it under the hospital's departments or fix the roster.%s",
						h.Code, r.Department, quoteList(list), didYouMean(r.Department, list)),
					Subject: &rg})
			}
		}
	}
	if read {
		s.Digest = digest(s)
	}
	return diags
}
