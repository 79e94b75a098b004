package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/px360/staffseed/internal/pgtest"
)

// The console transport prints each email on stdout: on a terminal the
// progress bar would overlap it, so it is not drawn; with the file
// transport it is.
func TestNoProgressBarWithTheConsoleTransport(t *testing.T) {
	for _, tc := range []struct {
		transport string
		bar       bool
	}{{"console", false}, {"file", true}} {
		url := pgtest.New(t)
		spec := writeSpec(t, testSpec+`email:
  send_credentials: true
  transport: `+tc.transport+`
  file: {dir: `+t.TempDir()+`}
`)
		var out, errb bytes.Buffer
		code := Main([]string{"apply", "-f", spec, "--auto-approve"}, Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
			Getenv:         func(k string) string { return map[string]string{"DATABASE_URL": url, "NO_COLOR": "1"}[k] },
			StderrTerminal: func() bool { return true }})
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s\n%s", tc.transport, code, out.String(), errb.String())
		}
		if bar := strings.Contains(errb.String(), "%"); bar != tc.bar {
			t.Errorf("%s transport: progress bar drawn %v, want %v; stderr:\n%q", tc.transport, bar, tc.bar, errb.String())
		}
	}
}
