// Package roster reads a hospital's staff list from a CSV file: one row per
// real staff member, identified by its employee_id. The reader is strict:
// the header is checked, every value is validated, and every fault is
// reported at once as a diagnostic at file:line:column, where line is the
// line of the file the field starts on (a quoted field may span lines) and
// column is the 1-based character column where the field starts.
package roster
