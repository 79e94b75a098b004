package spec

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/mitchellh/go-wordwrap"
)

// WriteDiagnostics prints diagnostics the way Terraform does, once, at the
// edge: the summary, the position as file:line:col, the source line with
// the fault marked, and the detail sentence, wrapped at width columns (0:
// no wrapping). sources are a Spec's Sources.
func WriteDiagnostics(w io.Writer, diags hcl.Diagnostics, sources map[string][]byte, width uint, color bool) error {
	var b bytes.Buffer
	for _, d := range diags {
		writeDiagnostic(&b, d, sources, width, color)
	}
	_, err := w.Write(b.Bytes())
	return err
}

func writeDiagnostic(b *bytes.Buffer, d *hcl.Diagnostic, sources map[string][]byte, width uint, color bool) {
	label, paint := "Error", "\x1b[1;31m"
	if d.Severity == hcl.DiagWarning {
		label, paint = "Warning", "\x1b[1;33m"
	}
	if color {
		fmt.Fprintf(b, "%s%s:%s \x1b[1m%s\x1b[0m\n", paint, label, "\x1b[0m", d.Summary)
	} else {
		fmt.Fprintf(b, "%s: %s\n", label, d.Summary)
	}
	if r := d.Subject; r != nil {
		fmt.Fprintf(b, "\n  on %s:%d:%d:\n", r.Filename, r.Start.Line, r.Start.Column)
		var masks []hcl.Range
		if red, ok := d.Extra.(Redact); ok {
			masks = append([]hcl.Range{red.Range}, red.Others...)
		}
		writeSnippet(b, *r, masks, sources[r.Filename], color)
	}
	if d.Detail != "" {
		detail := d.Detail
		if width > 0 {
			detail = wordwrap.WrapString(detail, width)
		}
		fmt.Fprintf(b, "\n%s\n", detail)
	}
	b.WriteString("\n")
}

// Redact is the Extra of a diagnostic about a secret written in a spec:
// the source snippet shows Range, the secret's value, as "****". Others
// are the other secrets of the spec, masked too wherever a snippet shows
// them.
type Redact struct {
	Range  hcl.Range
	Others []hcl.Range
}

// maskSecrets attaches every secret value the diagnostics mark to every
// diagnostic, so that no snippet shows a secret, whatever it is about,
// and keeps them on s as SecretRanges.
func maskSecrets(s *Spec, diags hcl.Diagnostics) (*Spec, hcl.Diagnostics) {
	var secrets []hcl.Range
	for _, d := range diags {
		if red, ok := d.Extra.(Redact); ok {
			secrets = append(secrets, red.Range)
		}
	}
	s.SecretRanges = secrets
	if len(secrets) == 0 {
		return s, diags
	}
	for _, d := range diags {
		if d.Subject == nil {
			continue
		}
		if red, ok := d.Extra.(Redact); ok {
			d.Extra = Redact{Range: red.Range, Others: secrets}
		} else {
			d.Extra = Redact{Range: secrets[0], Others: secrets[1:]}
		}
	}
	return s, diags
}

// redactedMark replaces a secret in a snippet; it is the same for every
// secret, so it says nothing of its length.
const redactedMark = "****"

// writeSnippet prints the subject's first line with carets under the
// faulty part, with the part of mask on that line (if any) masked.
func writeSnippet(b *bytes.Buffer, r hcl.Range, masks []hcl.Range, src []byte, color bool) {
	lines := strings.Split(string(src), "\n")
	if r.Start.Line < 1 || r.Start.Line > len(lines) {
		return
	}
	line := strings.TrimRight(lines[r.Start.Line-1], "\r")
	if !utf8.ValidString(line) {
		return
	}
	runes := []rune(line)
	start := min(max(r.Start.Column-1, 0), len(runes))
	end := len(runes)
	if r.End.Line == r.Start.Line && r.End.Column > r.Start.Column {
		end = min(r.End.Column-1, len(runes))
	}
	// Mask from the right so that the columns of the masks still to do
	// stay true.
	masks = slices.Clone(masks)
	slices.SortFunc(masks, func(a, b hcl.Range) int { return b.Start.Byte - a.Start.Byte })
	masks = slices.Compact(masks)
	for _, mask := range masks {
		if mask.Filename != r.Filename || mask.Start.Line > r.Start.Line || r.Start.Line > mask.End.Line {
			continue
		}
		ms, me := 0, len(runes)
		if mask.Start.Line == r.Start.Line {
			ms = min(max(mask.Start.Column-1, 0), len(runes))
		}
		if mask.End.Line == r.Start.Line {
			me = min(max(mask.End.Column-1, ms), len(runes))
		}
		if me == ms {
			me = len(runes) // an empty range: mask the rest of the line
		}
		shift := func(c int) int {
			switch {
			case c >= me:
				return c - (me - ms) + len(redactedMark)
			case c > ms:
				return ms + len(redactedMark)
			}
			return c
		}
		start, end = shift(start), shift(end)
		runes = append(append(append([]rune{}, runes[:ms]...), []rune(redactedMark)...), runes[me:]...)
		line = string(runes)
	}
	if end <= start {
		end = start + 1
	}
	gutter := fmt.Sprintf("%4d | ", r.Start.Line)
	fmt.Fprintf(b, "%s%s\n", gutter, line)
	pad := make([]rune, min(start, len(runes)))
	for i := range pad {
		pad[i] = ' '
		if runes[i] == '\t' {
			pad[i] = '\t'
		}
	}
	marks := strings.Repeat("^", end-start)
	if color {
		marks = "\x1b[1;31m" + marks + "\x1b[0m"
	}
	fmt.Fprintf(b, "%s| %s%s\n", strings.Repeat(" ", len(gutter)-2), string(pad), marks)
}
