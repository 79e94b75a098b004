package apply_test

import (
	"bytes"
	"context"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/px360/staffseed/apply"
	imail "github.com/px360/staffseed/internal/mail"
	"github.com/px360/staffseed/internal/pgtest"
	"github.com/px360/staffseed/internal/spec"
	"github.com/px360/staffseed/internal/store"
	"github.com/px360/staffseed/plan"
)

const injectionSpec = `version: 1
seed: 3
hospitals:
  - code: NORTH
    name: North General Hospital
    name_ar: مستشفى الشمال
staff:
  physicians: {count: 2}
accounts:
  create_users: true
  password: {iterations: 1000}
email:
  send_credentials: true
  transport: file
  file: {dir: ./out}
`

// TestNoHeaderInjection applies a plan whose hospital and staff names
// carry CR/LF and header lines (the spec decoder refuses them; here the
// spec and plan are altered after decoding, as a future code path might):
// every email still has exactly its own headers and one recipient.
func TestNoHeaderInjection(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "spec.yaml")
	if err := os.WriteFile(path, []byte(injectionSpec), 0o644); err != nil {
		t.Fatal(err)
	}
	s, diags := spec.Load(path, spec.LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	s.Hospitals[0].Name = "North\r\nBcc: attacker@evil.example\r\nX-Injected: yes"
	s.Hospitals[0].NameAr = "الشمال\nBcc: attacker@evil.example"

	ctx := context.Background()
	db, err := store.Open(ctx, pgtest.New(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	st, err := db.Inspect(ctx, []string{"NORTH"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Make(s, st, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range p.Changes {
		if cred, ok := c.After.(*plan.CredentialAttrs); ok {
			cred.LastName += "\r\nBcc: attacker@evil.example\r\nX-Injected: yes"
			cred.FirstNameAr += "\nBcc: attacker@evil.example"
			break
		}
	}
	out := filepath.Join(dir, "out")
	sender, err := imail.NewFile(out)
	if err != nil {
		t.Fatal(err)
	}
	res, err := apply.Run(ctx, db, p, apply.Options{Sender: sender})
	if err != nil {
		t.Logf("apply: %v", err)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.eml"))
	want := p.Summarize().Accounts
	if res == nil || want == 0 || res.Accounts != want {
		t.Fatalf("apply result %+v, want %d accounts", res, want)
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		head, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
		for _, line := range strings.Split(string(head), "\r\n") {
			if strings.HasPrefix(line, "Bcc:") || strings.HasPrefix(line, "X-Injected:") {
				t.Errorf("%s: injected header line %q", filepath.Base(f), line)
			}
		}
		msg, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(f), err)
		}
		to, err := msg.Header.AddressList("To")
		if err != nil || len(to) != 1 || !strings.HasSuffix(to[0].Address, "@north.sa") {
			t.Errorf("%s: To %v (%v), want one address at north.sa", filepath.Base(f), to, err)
		}
		for _, h := range []string{"Bcc", "Cc", "X-Injected"} {
			if v := msg.Header.Get(h); v != "" {
				t.Errorf("%s: header %s: %q", filepath.Base(f), h, v)
			}
		}
	}
	// The email with the hostile name is refused and its credential left
	// pending; every other one is sent; none is silently lost.
	if res.CredentialsPending != 1 || len(res.Failures) != 1 {
		t.Errorf("%d pending, failures %v; want the one hostile name refused", res.CredentialsPending, res.Failures)
	}
	if res.CredentialsSent+res.CredentialsPending != want || len(files) != res.CredentialsSent {
		t.Errorf("%d sent, %d pending, %d files; want %d accounted for", res.CredentialsSent, res.CredentialsPending, len(files), want)
	}
}
