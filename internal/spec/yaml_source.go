package spec

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"gopkg.in/yaml.v3"
)

// yamlSource is one YAML file's bytes with an index of its line starts, to
// turn yaml.v3's line:column positions into hcl.Ranges with byte offsets.
type yamlSource struct {
	file  string
	src   []byte
	lines []int // byte offset where each line starts
}

func newYAMLSource(file string, src []byte) *yamlSource {
	s := &yamlSource{file: file, src: src, lines: []int{0}}
	for i, b := range src {
		if b == '\n' {
			s.lines = append(s.lines, i+1)
		}
	}
	return s
}

// pos converts a 1-based line and 1-based character column to an hcl.Pos.
func (s *yamlSource) pos(line, col int) hcl.Pos {
	if line < 1 {
		line = 1
	}
	if line > len(s.lines) {
		line = len(s.lines)
	}
	if col < 1 {
		col = 1
	}
	off := s.lines[line-1]
	for c := 1; c < col && off < len(s.src) && s.src[off] != '\n'; c++ {
		_, w := utf8.DecodeRune(s.src[off:])
		off += w
	}
	return hcl.Pos{Line: line, Column: col, Byte: off}
}

// posAt converts a byte offset to an hcl.Pos.
func (s *yamlSource) posAt(off int) hcl.Pos {
	line := sort.Search(len(s.lines), func(i int) bool { return s.lines[i] > off })
	col := utf8.RuneCount(s.src[s.lines[line-1]:off]) + 1
	return hcl.Pos{Line: line, Column: col, Byte: off}
}

// lineEnd returns the offset of the end of the line holding off, without
// trailing blanks.
func (s *yamlSource) lineEnd(off int) int {
	end := off
	for end < len(s.src) && s.src[end] != '\n' {
		end++
	}
	for end > off && (s.src[end-1] == ' ' || s.src[end-1] == '\r' || s.src[end-1] == '\t') {
		end--
	}
	return end
}

// lineRange covers the given line from col to its end.
func (s *yamlSource) lineRange(line, col int) hcl.Range {
	start := s.pos(line, col)
	return hcl.Range{Filename: s.file, Start: start, End: s.posAt(s.lineEnd(start.Byte))}
}

// rng returns the source range of a node: the whole token for scalars and
// aliases, the rest of the first line for collections.
func (s *yamlSource) rng(n *yaml.Node) hcl.Range {
	start := s.pos(n.Line, n.Column)
	end := s.lineEnd(start.Byte)
	switch n.Kind {
	case yaml.AliasNode:
		end = min(start.Byte+1+len(n.Value), len(s.src))
	case yaml.ScalarNode:
		switch {
		case n.Style&yaml.DoubleQuotedStyle != 0:
			end = s.quotedEnd(start.Byte, '"')
		case n.Style&yaml.SingleQuotedStyle != 0:
			end = s.quotedEnd(start.Byte, '\'')
		case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		default:
			if bytes.HasPrefix(s.src[start.Byte:], []byte(n.Value)) && n.Value != "" {
				end = start.Byte + len(n.Value)
			}
		}
	}
	if end < start.Byte {
		end = start.Byte
	}
	return hcl.Range{Filename: s.file, Start: start, End: s.posAt(end)}
}

// quotedEnd finds the end of a quoted scalar starting at off.
func (s *yamlSource) quotedEnd(off int, q byte) int {
	if off >= len(s.src) || s.src[off] != q {
		return s.lineEnd(off)
	}
	for i := off + 1; i < len(s.src); i++ {
		switch {
		case q == '"' && s.src[i] == '\\':
			i++
		case s.src[i] == q && q == '\'' && i+1 < len(s.src) && s.src[i+1] == '\'':
			i++
		case s.src[i] == q:
			return i + 1
		}
	}
	return len(s.src)
}

// checkBytes rejects files that cannot be YAML text: binary (NUL bytes),
// invalid UTF-8 and raw control characters.
func (s *yamlSource) checkBytes() hcl.Diagnostics {
	at := func(off int) hcl.Range {
		p := s.posAt(off)
		return hcl.Range{Filename: s.file, Start: p, End: s.posAt(off + 1)}
	}
	if i := bytes.IndexByte(s.src, 0); i >= 0 {
		return hcl.Diagnostics{errorAt(at(i), "Not a text file",
			"The file contains NUL bytes; it looks like a binary file, not a YAML spec.")}
	}
	for off := 0; off < len(s.src); {
		r, w := utf8.DecodeRune(s.src[off:])
		if r == utf8.RuneError && w == 1 {
			return hcl.Diagnostics{errorAt(at(off), "Invalid UTF-8",
				fmt.Sprintf("Byte 0x%02x at offset %d is not valid UTF-8; spec files must be UTF-8 text.", s.src[off], off))}
		}
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return hcl.Diagnostics{errorAt(at(off), "Control character in file",
				fmt.Sprintf("The file contains the control character %U; write it as an escape in a double-quoted string if it is meant.", r))}
		}
		off += w
	}
	return nil
}

var yamlErrLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError turns a yaml.v3 parse error into a diagnostic at its line,
// explaining tab indentation, YAML's most common surprise.
func (s *yamlSource) syntaxError(err error) *hcl.Diagnostic {
	msg := err.Error()
	line := 1
	if m := yamlErrLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	if tl, tc, ok := s.tabIndent(); ok {
		return errorAt(s.lineRange(tl, tc), "Tab in indentation",
			fmt.Sprintf("YAML indents with spaces, not tabs (%s).", msg))
	}
	return errorAt(s.lineRange(line, 1), "Invalid YAML", msg+".")
}

// tabIndent finds the first tab in a line's leading whitespace.
func (s *yamlSource) tabIndent() (line, col int, ok bool) {
	for i, start := range s.lines {
		for off, c := start, 1; off < len(s.src); off, c = off+1, c+1 {
			switch s.src[off] {
			case ' ':
				continue
			case '\t':
				return i + 1, c, true
			}
			break
		}
	}
	return 0, 0, false
}
