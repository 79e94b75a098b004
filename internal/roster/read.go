package roster

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"os"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// bom is the UTF-8 byte-order mark some spreadsheets write first.
const bom = "\ufeff"

// maxErrors bounds the diagnostics of one file; a note says how many more.
const maxErrors = 100

// maxName is the longest name the users table holds.
const maxName = 150

// Load reads the roster at path. Besides the rows it returns the file's
// text without its byte-order mark, which diagnostics snippets quote.
func Load(path string) ([]Row, []byte, hcl.Diagnostics) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read the roster", Detail: err.Error() + "."}}
	}
	src = bytes.TrimPrefix(src, []byte(bom))
	rows, diags := Read(path, src)
	return rows, src, diags
}

// looksUTF16 reports whether src starts with a UTF-16 byte-order mark, or
// with two characters each of one byte and a NUL (ASCII text in UTF-16).
func looksUTF16(src []byte) bool {
	if bytes.HasPrefix(src, []byte{0xff, 0xfe}) || bytes.HasPrefix(src, []byte{0xfe, 0xff}) {
		return true
	}
	if len(src) < 4 {
		return false
	}
	le := src[0] != 0 && src[1] == 0 && src[2] != 0 && src[3] == 0
	be := src[0] == 0 && src[1] != 0 && src[2] == 0 && src[3] != 0
	return le || be
}

// Read parses a roster held in src, with or without a byte-order mark;
// filename names it in diagnostics. All faults are reported at once (up to
// a hundred); with any error the rows are not meaningful.
func Read(filename string, src []byte) ([]Row, hcl.Diagnostics) {
	src = bytes.TrimPrefix(src, []byte(bom))
	p := &parser{file: filename, src: src, lineStarts: lineStarts(src)}
	if looksUTF16(src) {
		return nil, hcl.Diagnostics{errorAt(p.rangeAt(0, 0), "Roster is not UTF-8",
			"The roster looks like UTF-16; save the roster as UTF-8 (with or without a byte-order mark).")}
	}
	if !utf8.Valid(src) {
		off := invalidOffset(src)
		r := p.rangeAt(off, 1)
		return nil, hcl.Diagnostics{errorAt(r, "Roster is not UTF-8",
			fmt.Sprintf("Byte 0x%02x at line %d is not valid UTF-8; save the roster as UTF-8 (with or without a byte-order mark).", src[off], r.Start.Line))}
	}
	if len(bytes.TrimSpace(src)) == 0 {
		return nil, hcl.Diagnostics{errorAt(p.rangeAt(0, 0), "Empty roster",
			"The roster has no header row; it needs at least "+strings.Join(Required, ",")+".")}
	}
	p.csv = csv.NewReader(bytes.NewReader(src))
	rows := p.read()
	if n := len(p.diags) - maxErrors; n > 0 {
		p.diags = append(p.diags[:maxErrors], &hcl.Diagnostic{Severity: hcl.DiagError,
			Summary: "Too many roster errors", Detail: fmt.Sprintf("%d more errors in %s are not shown.", n, filename)})
	}
	return rows, p.diags
}

// parser holds the state of one Read.
type parser struct {
	file       string
	src        []byte
	lineStarts []int
	csv        *csv.Reader
	cols       map[string]int // column name → field index
	names      []string       // field index → column name ("" when unusable)
	diags      hcl.Diagnostics
}

func (p *parser) errorf(r hcl.Range, summary, format string, args ...any) {
	p.diags = append(p.diags, errorAt(r, summary, fmt.Sprintf(format, args...)))
}

func errorAt(r hcl.Range, summary, detail string) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: r.Ptr()}
}

// read parses the header and every row.
func (p *parser) read() []Row {
	header, err := p.csv.Read()
	if err != nil {
		p.syntaxError(err)
		return nil
	}
	p.header(header)
	var rows []Row
	seen := map[string]int{} // employee_id → line
	for {
		rec, err := p.csv.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if errors.Is(err, csv.ErrFieldCount) {
			line, _ := p.csv.FieldPos(0)
			p.errorf(p.fieldRange(0, ""), "Wrong number of fields",
				"Line %d has %d fields; the header has %d.", line, len(rec), len(header))
			continue
		}
		if err != nil {
			p.syntaxError(err)
			break
		}
		row, ok := p.row(rec)
		line := row.Ranges[ColEmployeeID].Start.Line
		if first, dup := seen[row.EmployeeID]; dup && row.EmployeeID != "" {
			p.errorf(row.Range(ColEmployeeID), "Duplicate employee ID",
				"Employee ID %q is already on line %d; each roster row needs its own.", row.EmployeeID, first)
		} else {
			seen[row.EmployeeID] = line
		}
		if ok {
			rows = append(rows, row)
		}
	}
	return rows
}

// syntaxError reports a CSV syntax error where the reader found it.
func (p *parser) syntaxError(err error) {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		p.diags = append(p.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read the roster", Detail: err.Error() + "."})
		return
	}
	off := p.offset(pe.Line, pe.Column)
	p.errorf(p.rangeAt(off, 1), "Roster CSV syntax error", "%s (a field with a quote, comma or line break must be enclosed in double quotes, with inner quotes doubled).", pe.Err)
}

// header checks the header row and maps the columns.
func (p *parser) header(header []string) {
	p.cols = map[string]int{}
	p.names = make([]string, len(header))
	for i, name := range header {
		r := p.fieldRange(i, name)
		switch {
		case !slices.Contains(Required, name) && !slices.Contains(Optional, name):
			p.errorf(r, "Unknown roster column", "Column %q is not a roster column; the columns are %s, and optionally %s.",
				name, strings.Join(Required, ","), strings.Join(Optional, ","))
		case p.has(name):
			p.errorf(r, "Duplicate roster column", "Column %q appears twice in the header.", name)
		default:
			p.cols[name] = i
			p.names[i] = name
		}
	}
	var missing []string
	for _, name := range Required {
		if !p.has(name) {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		r := p.fieldRange(0, header[0])
		r.End = p.rangeAt(p.lineEnd(r.Start.Line), 0).End
		p.errorf(r, "Missing roster columns", "The header lacks %s; a roster needs %s.",
			strings.Join(missing, ", "), strings.Join(Required, ","))
	}
}

func (p *parser) has(col string) bool { _, ok := p.cols[col]; return ok }

// row validates one record and returns it as a Row.
func (p *parser) row(rec []string) (Row, bool) {
	row := Row{Ranges: map[string]hcl.Range{}}
	row.Ranges[ColEmployeeID] = p.fieldRange(0, rec[0])
	before := len(p.diags)
	fields := map[string]*string{
		ColEmployeeID: &row.EmployeeID, ColStaffType: &row.StaffType,
		ColFirstName: &row.FirstName, ColLastName: &row.LastName,
		ColFirstNameAr: &row.FirstNameAr, ColLastNameAr: &row.LastNameAr,
		ColGender: &row.Gender, ColEmail: &row.Email,
		ColDepartment: &row.Department, ColSpecialization: &row.Specialization,
	}
	for i, col := range p.names {
		if col == "" {
			continue
		}
		v := rec[i]
		r := p.fieldRange(i, v)
		row.Ranges[col] = r
		*fields[col] = v
		p.value(col, v, r)
	}
	return row, len(p.diags) == before
}

// value validates one field.
func (p *parser) value(col, v string, r hcl.Range) {
	if i := strings.IndexFunc(v, isControl); i >= 0 {
		p.errorf(r, "Control character in roster value",
			"The %s value holds the control character %U; values may not hold tabs, line breaks or other control characters.", col, []rune(v[i:])[0])
		return
	}
	if strings.TrimSpace(v) != v {
		p.errorf(r, "Spaces around a roster value", "The %s value %q starts or ends with spaces.", col, v)
		return
	}
	switch col {
	case ColEmployeeID, ColFirstName, ColLastName:
		if v == "" {
			p.errorf(r, "Empty "+strings.ReplaceAll(col, "_", " "), "Every roster row needs %s %s.", article(col), col)
		}
	}
	switch col {
	case ColStaffType:
		p.oneOf(col, v, r, StaffTypes)
	case ColGender:
		p.oneOf(col, v, r, Genders)
	case ColFirstName, ColLastName:
		p.maxLen(col, v, r)
		if c, ok := notLatin(v); ok {
			p.errorf(r, "Not Latin letters", "%s must be written in Latin letters (the value %q holds %q); the Arabic name goes in %s_ar.", col, v, c, col)
		}
	case ColDepartment, ColSpecialization:
		p.maxLen(col, v, r)
	case ColFirstNameAr, ColLastNameAr:
		p.maxLen(col, v, r)
		if v != "" && !isArabic(v) {
			p.errorf(r, "Not Arabic script", "The %s value %q must be written in Arabic script (or left empty).", col, v)
		}
	case ColEmail:
		if v != "" {
			p.email(v, r)
		}
	}
}

func (p *parser) oneOf(col, v string, r hcl.Range, allowed []string) {
	if !slices.Contains(allowed, v) {
		p.errorf(r, "Invalid "+strings.ReplaceAll(col, "_", " "), "The %s value %q is not one of %s.", col, v, strings.Join(allowed, ", "))
	}
}

func (p *parser) maxLen(col, v string, r hcl.Range) {
	if n := utf8.RuneCountInString(v); n > maxName {
		p.errorf(r, "Roster value too long", "The %s value has %d characters; at most %d fit.", col, n, maxName)
	}
}

// email accepts a bare ASCII address such as name@example.sa.
func (p *parser) email(v string, r hcl.Range) {
	for _, c := range v {
		if c > unicode.MaxASCII {
			p.errorf(r, "Invalid email", "The email %q holds the non-ASCII character %q; addresses must be ASCII.", v, c)
			return
		}
	}
	a, err := mail.ParseAddress(v)
	at := strings.LastIndexByte(v, '@')
	if err != nil || a.Name != "" || a.Address != v || at < 1 || !strings.Contains(v[at+1:], ".") || len(v) > 254 {
		p.errorf(r, "Invalid email", "The email %q is not an address like name@example.sa.", v)
	}
}

// isArabic reports whether every letter of s is in the Arabic script and
// there is at least one.
// notLatin returns the first letter of s that is not in the Latin script:
// usernames and addresses are made from the English names.
func notLatin(s string) (rune, bool) {
	for _, c := range s {
		if unicode.IsLetter(c) && !unicode.Is(unicode.Latin, c) {
			return c, true
		}
	}
	return 0, false
}

func isArabic(s string) bool {
	letters := 0
	for _, c := range s {
		if unicode.IsLetter(c) {
			if !unicode.Is(unicode.Arabic, c) {
				return false
			}
			letters++
		}
	}
	return letters > 0
}

func isControl(r rune) bool { return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' }

// fieldRange is where field i of the record just read starts, spanning
// value (and its quotes) when it sits on one line.
func (p *parser) fieldRange(i int, value string) hcl.Range {
	line, col := p.csv.FieldPos(i)
	off := p.offset(line, col)
	width := utf8.RuneCountInString(value)
	if off < len(p.src) && p.src[off] == '"' {
		width += 2 + strings.Count(value, `"`)
	}
	if strings.ContainsAny(value, "\r\n") {
		width = 1
	}
	return p.rangeAt(off, width)
}

// offset converts a 1-based line and byte column to a byte offset.
func (p *parser) offset(line, col int) int {
	if line < 1 || line > len(p.lineStarts) {
		return len(p.src)
	}
	return min(p.lineStarts[line-1]+max(col-1, 0), len(p.src))
}

// rangeAt is the range of width characters from byte offset off, with
// character columns.
func (p *parser) rangeAt(off, width int) hcl.Range {
	line := 1
	for line < len(p.lineStarts) && p.lineStarts[line] <= off {
		line++
	}
	col := utf8.RuneCount(p.src[p.lineStarts[line-1]:off]) + 1
	start := hcl.Pos{Line: line, Column: col, Byte: off}
	end := hcl.Pos{Line: line, Column: col + width, Byte: off + width}
	return hcl.Range{Filename: p.file, Start: start, End: end}
}

// lineEnd is the byte offset of the end of line (1-based).
func (p *parser) lineEnd(line int) int {
	if line < len(p.lineStarts) {
		return p.lineStarts[line] - 1
	}
	return len(p.src)
}

// lineStarts are the byte offsets where each line of src begins.
func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, b := range src {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// invalidOffset is the offset of the first byte that is not valid UTF-8.
func invalidOffset(src []byte) int {
	for off := 0; off < len(src); {
		r, n := utf8.DecodeRune(src[off:])
		if r == utf8.RuneError && n <= 1 {
			return off
		}
		off += n
	}
	return len(src)
}

// article is "an" before a column name that starts with a vowel, else "a".
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}
