package seedstaff

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/px360/staffseed/apply"
	"github.com/px360/staffseed/internal/spec"
	"github.com/px360/staffseed/plan"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestResolveCounts(t *testing.T) {
	n := func(i int) *int { return &i }
	cases := []struct {
		name  string
		count *int
		own   map[spec.StaffType]*int
		want  [3]int
	}{
		{"defaults", nil, nil, [3]int{10, 15, 5}},
		{"count sets all", n(3), nil, [3]int{3, 3, 3}},
		{"own flag wins over count", n(3), map[spec.StaffType]*int{spec.Nurse: n(7)}, [3]int{3, 7, 3}},
		{"own flag alone", nil, map[spec.StaffType]*int{spec.Admin: n(0)}, [3]int{10, 15, 0}},
	}
	for _, c := range cases {
		got := ResolveCounts(c.count, c.own)
		for i, typ := range spec.StaffTypes {
			if got[typ] != c.want[i] {
				t.Errorf("%s: %s = %d, want %d", c.name, typ, got[typ], c.want[i])
			}
		}
	}
}

func TestMailFromEnv(t *testing.T) {
	m, err := MailFromEnv(env(nil), "", "", false)
	if err != nil {
		t.Fatal(err)
	}
	if m.Backend != "smtp" || m.Port != 25 || m.Security != "none" || m.From != spec.DefaultFrom || m.SiteURL != spec.DefaultSiteURL {
		t.Errorf("defaults: %+v", m)
	}
	if m.Problem() != NotConfigured {
		t.Errorf("no EMAIL_HOST: problem %q, want %q", m.Problem(), NotConfigured)
	}
	for _, v := range []string{"True", "true", "1"} {
		m, err := MailFromEnv(env(map[string]string{"EMAIL_HOST": "smtp.example.org", "EMAIL_USE_TLS": v, "EMAIL_PORT": "587"}), "smtp", "", false)
		if err != nil || m.Security != "starttls" || m.Port != 587 || m.Problem() != "" {
			t.Errorf("EMAIL_USE_TLS=%s: %+v, %v", v, m, err)
		}
	}
	if m, _ := MailFromEnv(env(map[string]string{"EMAIL_USE_TLS": "False"}), "smtp", "", false); m.Security != "none" {
		t.Errorf("EMAIL_USE_TLS=False: security %q", m.Security)
	}
	if _, err := MailFromEnv(env(map[string]string{"EMAIL_PORT": "smtp"}), "smtp", "", false); err == nil {
		t.Error("EMAIL_PORT=smtp: no error")
	}
	both := env(map[string]string{"EMAIL_HOST": "smtp.example.org", "EMAIL_USE_TLS": "True", "EMAIL_USE_SSL": "True"})
	if _, err := MailFromEnv(both, "smtp", "", false); err == nil || !strings.Contains(err.Error(), "mutually exclusive") {
		t.Errorf("EMAIL_USE_TLS and EMAIL_USE_SSL both True: %v, want an error", err)
	}
	if _, err := MailFromEnv(env(nil), "pigeon", "", false); err == nil {
		t.Error("--email-backend pigeon: no error")
	}
	if m, _ := MailFromEnv(env(nil), "console", "", false); m.Problem() != "" {
		t.Errorf("console backend: problem %q", m.Problem())
	}
}

// TestSpecYAMLBuilds checks that the emitted spec of every backend decodes
// to the model the run uses, and never holds the SMTP password.
func TestSpecYAMLBuilds(t *testing.T) {
	vars := map[string]string{"EMAIL_HOST": "smtp.example.org", "EMAIL_PORT": "465", "EMAIL_USE_SSL": "true",
		"EMAIL_HOST_USER": "px360", "EMAIL_HOST_PASSWORD": "s3cret-Pa55", "SITE_URL": "https://px360.example.org"}
	for _, backend := range Backends {
		m, err := MailFromEnv(env(vars), backend, "mail/out", false)
		if err != nil {
			t.Fatal(err)
		}
		r := Request{
			Options: Options{Counts: map[spec.StaffType]int{spec.Physician: 2, spec.Nurse: 0, spec.Admin: 1},
				CreateUsers: true, SendEmails: true, Clear: true},
			Hospitals: []string{"ALMADINA", "RIYADH"},
			Mail:      m,
		}
		src, err := SpecYAML(r)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(src), "s3cret") {
			t.Fatalf("%s: the emitted spec holds the password:\n%s", backend, src)
		}
		s, err := Build(r)
		if err != nil {
			t.Fatalf("%s: %v\n%s", backend, err, src)
		}
		if s.Seed != Seed || !s.Clear || !s.Accounts.CreateUsers || !s.Email.SendCredentials || s.Email.Transport != backend {
			t.Errorf("%s: spec %+v", backend, s)
		}
		if len(s.Hospitals) != 2 || !s.Hospitals[0].Existing || s.Hospitals[1].Staff[spec.Physician].Count != 2 || s.Hospitals[1].Staff[spec.Nurse].Count != 0 {
			t.Errorf("%s: hospitals %+v", backend, s.Hospitals)
		}
		switch backend {
		case "smtp":
			if got := s.Email.SMTP; got.Host != "smtp.example.org" || got.Port != 465 || got.Security != "tls" || got.Username != "px360" || got.PasswordEnv != PasswordEnv {
				t.Errorf("smtp settings %+v", got)
			}
		case "file":
			want, _ := filepath.Abs("mail/out")
			if s.Email.File.Dir != want {
				t.Errorf("file dir %q", s.Email.File.Dir)
			}
			if !strings.Contains(string(src), "dir: "+want+"\n") {
				t.Errorf("the emitted spec's outbox is not %s, which it must be wherever the spec is saved:\n%s", want, src)
			}
		}
	}
}

// TestNotConfiguredKeepsCredentialsPending checks that a run whose mail
// cannot work still creates accounts but plans no email.
func TestNotConfiguredKeepsCredentialsPending(t *testing.T) {
	m, _ := MailFromEnv(env(nil), "smtp", "", false)
	r := Request{Options: Options{Counts: ResolveCounts(nil, nil), CreateUsers: true, SendEmails: true},
		Hospitals: []string{"ALMADINA"}, Mail: m, MailProblem: m.Problem()}
	s, err := Build(r)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Accounts.CreateUsers || s.Email.SendCredentials {
		t.Errorf("create_users %v, send_credentials %v; want true, false", s.Accounts.CreateUsers, s.Email.SendCredentials)
	}
	src, _ := SpecYAML(r)
	if !strings.Contains(string(src), NotConfigured) {
		t.Errorf("the emitted spec does not say why credentials are off:\n%s", src)
	}
}

// TestFinishCountsCredentialFailures checks that a run whose credential
// emails failed reports as many errors as apply's error says.
func TestFinishCountsCredentialFailures(t *testing.T) {
	var out strings.Builder
	v := NewView(&out, Request{Options: Options{Counts: ResolveCounts(nil, nil), CreateUsers: true, SendEmails: true}})
	res := &apply.Result{Accounts: 2, CredentialsPending: 2}
	for i, email := range []string{"a@example.org", "b@example.org"} {
		c := plan.Change{Resource: plan.Credential, Action: plan.IssueCredential, Address: "credential." + email,
			After: &plan.CredentialAttrs{StaffKey: fmt.Sprintf("ALMADINA/physician/%d", i), Email: email}}
		err := errors.New("535 authentication failed")
		v.Report(apply.Event{Kind: apply.CredentialFailed, Change: c, Err: err})
		res.Failures = append(res.Failures, apply.Failure{Address: c.Address, Err: err})
	}
	perr := &apply.PartialError{Result: res}
	if err := v.Finish(res, perr); err == nil {
		t.Fatal("Finish returned no error")
	}
	if want := "completed with 2 error(s)"; !strings.Contains(out.String(), want) {
		t.Errorf("output does not say %q (apply says %q):\n%s", want, perr.Error(), out.String())
	}
}
