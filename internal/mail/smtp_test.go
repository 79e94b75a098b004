package mail

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/px360/staffseed/internal/smtptest"
)

const smtpPassword = "smtp-Secret-42"

// batch composes n credential emails in the given language, each to its
// own address.
func batch(t *testing.T, n int, lang string) []Message {
	t.Helper()
	var msgs []Message
	for i := range n {
		c := testCredential(lang)
		c.Username = fmt.Sprintf("user%d", i)
		c.Email = fmt.Sprintf("user%d@almadina.sa", i)
		c.Password = fmt.Sprintf("Pw-%d-PLACEHOLDER", i)
		msgs = append(msgs, compose(t, c))
	}
	return msgs
}

// sendAll sends msgs and returns each message's error, in order.
func sendAll(t *testing.T, s Sender, msgs []Message) ([]error, error) {
	t.Helper()
	errs := make([]error, len(msgs))
	calls := make([]int, len(msgs))
	err := s.Send(context.Background(), msgs, func(i int, err error) {
		calls[i]++
		errs[i] = err
	})
	for i, n := range calls {
		if n != 1 {
			t.Errorf("done called %d times for message %d", n, i)
		}
	}
	return errs, err
}

func newSMTP(t *testing.T, cfg SMTPConfig) Sender {
	t.Helper()
	s, err := NewSMTP(cfg)
	if err != nil {
		t.Fatalf("NewSMTP: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// sendOK sends msgs and fails the test on any error.
func sendOK(t *testing.T, s Sender, msgs []Message) {
	t.Helper()
	errs, err := sendAll(t, s, msgs)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	for i, e := range errs {
		if e != nil {
			t.Errorf("message %d: %v", i, e)
		}
	}
}

// checkReceived parses what the server got and compares it with msgs.
func checkReceived(t *testing.T, srv *smtptest.Server, msgs []Message) []smtptest.Received {
	t.Helper()
	got := srv.Messages()
	if len(got) != len(msgs) {
		t.Fatalf("server received %d messages, want %d", len(got), len(msgs))
	}
	for i, r := range got {
		m := msgs[i]
		if r.From != "noreply@px360.local" || len(r.To) != 1 || r.To[0] != m.To {
			t.Errorf("message %d envelope: from %q to %q", i, r.From, r.To)
		}
		p := parseEmail(t, r.Data)
		if p.From.Address != "noreply@px360.local" || p.From.Name != "PX360" {
			t.Errorf("message %d From = %v", i, p.From)
		}
		if p.To.Address != m.To || p.To.Name != m.ToName {
			t.Errorf("message %d To = %q <%s>, want %q <%s>", i, p.To.Name, p.To.Address, m.ToName, m.To)
		}
		if p.Subject != m.Subject {
			t.Errorf("message %d Subject = %q, want %q", i, p.Subject, m.Subject)
		}
		if !strings.HasSuffix(p.Header.Get("Message-Id"), "@px360.local>") {
			t.Errorf("message %d Message-ID = %q", i, p.Header.Get("Message-Id"))
		}
		if strings.TrimRight(p.Text, "\r\n") != strings.TrimRight(m.Text, "\n") {
			t.Errorf("message %d text part differs:\n%q\nwant\n%q", i, p.Text, m.Text)
		}
		if strings.TrimRight(p.HTML, "\r\n") != strings.TrimRight(m.HTML, "\n") {
			t.Errorf("message %d HTML part differs", i)
		}
		user, _, _ := strings.Cut(m.To, "@")
		pw := "Pw-" + strings.TrimPrefix(user, "user") + "-PLACEHOLDER"
		if !strings.Contains(p.Text, pw) || !strings.Contains(p.HTML, pw) {
			t.Errorf("message %d lacks its password", i)
		}
		if strings.Contains(string(r.Data), smtpPassword) {
			t.Errorf("message %d carries the SMTP password", i)
		}
	}
	return got
}

func TestSMTPOneConnectionPerBatch(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	s := newSMTP(t, SMTPConfig{Host: srv.Host, Port: srv.Port, Security: SecurityNone})
	msgs := batch(t, 3, LangBilingual)
	sendOK(t, s, msgs)
	checkReceived(t, srv, msgs)
	if n := srv.Connections(); n != 1 {
		t.Errorf("%d connections for one batch, want 1", n)
	}
	if d := s.Describe(); d != fmt.Sprintf("smtp://127.0.0.1:%d (none)", srv.Port) {
		t.Errorf("Describe = %q", d)
	}
}

func TestSMTPArabicHeaders(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	s := newSMTP(t, SMTPConfig{Host: srv.Host, Port: srv.Port, Security: SecurityNone})
	msgs := batch(t, 1, LangArabic)
	sendOK(t, s, msgs)
	r := checkReceived(t, srv, msgs)[0]
	head, _, _ := strings.Cut(string(r.Data), "\r\n\r\n")
	for _, c := range head {
		if c > 0x7e {
			t.Fatalf("raw header is not ASCII:\n%s", head)
		}
	}
	raw, err := netmail.ReadMessage(bytes.NewReader(r.Data))
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"Subject", "To"} {
		if v := raw.Header.Get(h); !strings.Contains(strings.ToLower(v), "=?utf-8?") {
			t.Errorf("%s is not RFC 2047 encoded: %q", h, v)
		}
	}
	if p := parseEmail(t, r.Data); p.Subject != "حسابك في PX360" || p.To.Name != "فاطمة الحربي" {
		t.Errorf("decoded Subject %q To name %q", p.Subject, p.To.Name)
	}
}

func TestSMTPStartTLSWithAuth(t *testing.T) {
	cfg, pool := smtptest.SelfSignedTLS(t)
	srv := smtptest.Start(t, smtptest.Options{TLS: cfg, Username: "px360", Password: smtpPassword})
	s := newSMTP(t, SMTPConfig{Host: srv.Host, Port: srv.Port, Security: SecurityStartTLS,
		Username: "px360", Password: smtpPassword, RootCAs: pool, HeloName: "staffseed.test"})
	msgs := batch(t, 2, LangEnglish)
	sendOK(t, s, msgs)
	for _, r := range checkReceived(t, srv, msgs) {
		if !r.TLS || r.AuthUser != "px360" {
			t.Errorf("received over TLS=%v as %q, want TLS as px360", r.TLS, r.AuthUser)
		}
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

func TestSMTPWrongPasswordNotRevealed(t *testing.T) {
	cfg, pool := smtptest.SelfSignedTLS(t)
	srv := smtptest.Start(t, smtptest.Options{TLS: cfg, Username: "px360", Password: "right"})
	s := newSMTP(t, SMTPConfig{Host: srv.Host, Port: srv.Port, Security: SecurityStartTLS,
		Username: "px360", Password: smtpPassword, RootCAs: pool})
	msgs := batch(t, 2, LangEnglish)
	errs, err := sendAll(t, s, msgs)
	if err == nil {
		t.Fatal("Send succeeded with a wrong password")
	}
	t.Logf("auth failure: %v", err)
	for i, e := range append(errs, err) {
		if e == nil {
			t.Errorf("error %d is nil", i)
		} else if strings.Contains(e.Error(), smtpPassword) {
			t.Errorf("error reveals the SMTP password: %v", e)
		}
	}
	if len(srv.Messages()) != 0 {
		t.Error("server accepted messages without authentication")
	}
}

func TestSMTPUntrustedCertificate(t *testing.T) {
	cfg, _ := smtptest.SelfSignedTLS(t)
	srv := smtptest.Start(t, smtptest.Options{TLS: cfg})
	s := newSMTP(t, SMTPConfig{Host: srv.Host, Port: srv.Port, Security: SecurityStartTLS})
	if _, err := sendAll(t, s, batch(t, 1, LangEnglish)); err == nil {
		t.Fatal("delivered over TLS to a server with an untrusted certificate")
	}
}

func TestSMTPStartTLSRequired(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{}) // no STARTTLS offered
	s := newSMTP(t, SMTPConfig{Host: srv.Host, Port: srv.Port, Security: SecurityStartTLS})
	_, err := sendAll(t, s, batch(t, 1, LangEnglish))
	if err == nil {
		t.Fatal("delivered without STARTTLS under security starttls")
	}
	want := "the SMTP server at " + net.JoinHostPort(srv.Host, strconv.Itoa(srv.Port)) + " does not offer STARTTLS (security: starttls); use security: tls"
	if !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "TLSMandatory") {
		t.Errorf("error = %q, want it to say %q", err, want)
	}
	if len(srv.Messages()) != 0 {
		t.Error("message went out unencrypted")
	}
}

func TestSMTPImplicitTLS(t *testing.T) {
	cfg, pool := smtptest.SelfSignedTLS(t)
	srv := smtptest.Start(t, smtptest.Options{TLS: cfg, ImplicitTLS: true, Username: "px360", Password: smtpPassword})
	s := newSMTP(t, SMTPConfig{Host: srv.Host, Port: srv.Port, Security: SecurityTLS,
		Username: "px360", Password: smtpPassword, RootCAs: pool})
	msgs := batch(t, 2, LangBilingual)
	sendOK(t, s, msgs)
	for _, r := range checkReceived(t, srv, msgs) {
		if !r.TLS || r.AuthUser != "px360" {
			t.Errorf("received over TLS=%v as %q", r.TLS, r.AuthUser)
		}
	}
}

func TestSMTPNoneWithAuthOnLoopback(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{Username: "px360", Password: smtpPassword})
	s := newSMTP(t, SMTPConfig{Host: srv.Host, Port: srv.Port, Security: SecurityNone,
		Username: "px360", Password: smtpPassword})
	msgs := batch(t, 1, LangEnglish)
	sendOK(t, s, msgs)
	checkReceived(t, srv, msgs)
}

func TestSMTPNoneRefusedOffLoopback(t *testing.T) {
	for _, cfg := range []SMTPConfig{
		{Host: "smtp.example.org", Port: 25, Security: SecurityNone},
		{Host: "192.0.2.10", Port: 25, Security: SecurityNone},
		{Host: "smtp.example.org", Port: 25, Security: SecurityNone, AllowInsecure: true, Username: "px360", Password: smtpPassword},
		{Host: "smtp.example.org", Security: "plaintext"},
		{Security: SecurityStartTLS},
	} {
		_, err := NewSMTP(cfg)
		if err == nil {
			t.Errorf("%+v accepted", cfg.Host)
			continue
		}
		if strings.Contains(err.Error(), smtpPassword) {
			t.Errorf("error reveals the password: %v", err)
		}
	}
	s, err := NewSMTP(SMTPConfig{Host: "smtp.example.org", Security: SecurityNone, AllowInsecure: true})
	if err != nil {
		t.Fatalf("AllowInsecure: %v", err)
	}
	if d := s.Describe(); d != "smtp://smtp.example.org:25 (none)" {
		t.Errorf("Describe = %q", d)
	}
	s, err = NewSMTP(SMTPConfig{Host: "smtp.example.org", Username: "px360", Password: smtpPassword})
	if err != nil {
		t.Fatal(err)
	}
	if d := s.Describe(); d != "smtp://smtp.example.org:587 (starttls)" || strings.Contains(d, smtpPassword) {
		t.Errorf("Describe = %q", d)
	}
}

func TestSMTPRejectOneRecipient(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{RejectRecipients: []string{"user1@almadina.sa"}})
	s := newSMTP(t, SMTPConfig{Host: srv.Host, Port: srv.Port, Security: SecurityNone})
	msgs := batch(t, 3, LangEnglish)
	errs, err := sendAll(t, s, msgs)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if errs[0] != nil || errs[2] != nil {
		t.Errorf("accepted recipients got errors: %v, %v", errs[0], errs[2])
	}
	t.Logf("refusal: %v", errs[1])
	if errs[1] == nil || !strings.Contains(errs[1].Error(), "550") || !strings.Contains(errs[1].Error(), "user1@almadina.sa") {
		t.Errorf("refused recipient: err = %v, want a 550 naming it", errs[1])
	}
	checkReceived(t, srv, []Message{msgs[0], msgs[2]})
	if n := srv.Connections(); n != 1 {
		t.Errorf("%d connections, want 1: a refusal must not cost the connection", n)
	}
}

func TestSMTPReconnectsAfterDrop(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{DropAfter: 2})
	s := newSMTP(t, SMTPConfig{Host: srv.Host, Port: srv.Port, Security: SecurityNone})
	msgs := batch(t, 5, LangEnglish)
	sendOK(t, s, msgs)
	got := checkReceived(t, srv, msgs)
	wantConns := []int{1, 1, 2, 2, 3}
	for i, r := range got {
		if r.Conn != wantConns[i] {
			t.Errorf("message %d came on connection %d, want %d", i, r.Conn, wantConns[i])
		}
	}
}

func TestSMTPRejectAllThenAccept(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{RejectAll: true})
	s := newSMTP(t, SMTPConfig{Host: srv.Host, Port: srv.Port, Security: SecurityNone})
	msgs := batch(t, 3, LangEnglish)
	errs, err := sendAll(t, s, msgs)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	for i, e := range errs {
		if e == nil {
			t.Errorf("message %d: no error from a server refusing everything", i)
		}
	}
	if len(srv.Messages()) != 0 {
		t.Fatal("server stored refused messages")
	}
	srv.SetRejectAll(false)
	sendOK(t, s, msgs)
	checkReceived(t, srv, msgs)
}

func TestSMTPTemporaryFailure(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{RejectAll: true, TempFail: true})
	s := newSMTP(t, SMTPConfig{Host: srv.Host, Port: srv.Port, Security: SecurityNone})
	errs, _ := sendAll(t, s, batch(t, 2, LangEnglish))
	for i, e := range errs {
		if e == nil || !strings.Contains(e.Error(), "451") {
			t.Errorf("message %d: err = %v, want 451", i, e)
		}
	}
}

func TestSMTPUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close() // nothing listens there now
	s := newSMTP(t, SMTPConfig{Host: "127.0.0.1", Port: port, Security: SecurityNone, Timeout: 5 * time.Second})
	errs, err := sendAll(t, s, batch(t, 3, LangEnglish))
	if err == nil {
		t.Fatal("Send succeeded with no server")
	}
	for i, e := range errs {
		if e == nil {
			t.Errorf("message %d: no error", i)
		}
	}
}

func TestSMTPCancelStopsAfterCurrent(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	s := newSMTP(t, SMTPConfig{Host: srv.Host, Port: srv.Port, Security: SecurityNone})
	msgs := batch(t, 3, LangEnglish)
	ctx, cancel := context.WithCancel(context.Background())
	errs := make([]error, len(msgs))
	err := s.Send(ctx, msgs, func(i int, err error) {
		errs[i] = err
		if i == 0 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Send = %v, want context.Canceled", err)
	}
	if errs[0] != nil || !errors.Is(errs[1], context.Canceled) || !errors.Is(errs[2], context.Canceled) {
		t.Errorf("errors = %v", errs)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("server received %d messages, want 1", n)
	}
}

func TestSMTPHeaderInjectionRefused(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	s := newSMTP(t, SMTPConfig{Host: srv.Host, Port: srv.Port, Security: SecurityNone})
	msgs := batch(t, 3, LangEnglish)
	msgs[0].ToName = "Eve\r\nBcc: victim@example.org"
	msgs[1].Subject = "Hello\nBcc: victim@example.org"
	errs, err := sendAll(t, s, msgs)
	if err != nil {
		t.Fatal(err)
	}
	if errs[0] == nil || errs[1] == nil || errs[2] != nil {
		t.Errorf("errors = %v, want the first two refused", errs)
	}
	got := srv.Messages()
	if len(got) != 1 || got[0].To[0] != msgs[2].To {
		t.Fatalf("server received %+v", got)
	}
}

func TestRedact(t *testing.T) {
	const long = "S3cret-Passw0rd!"
	b64 := base64.StdEncoding.EncodeToString
	for _, tc := range []struct{ msg, user, pass, want string }{
		// Short passwords are never scrubbed by substring: that would
		// garble the text and show where the password occurs.
		{"550 mailbox unavailable", "u", "x", "550 mailbox unavailable"},
		{"250 queued as 1234@px360.local", "px360", "px360", "250 queued as 1234@px360.local"},
		{"535 bad password " + long, "px360", long, "535 bad password [redacted]"},
		{"AUTH PLAIN " + b64([]byte("\x00px360\x00"+long)), "px360", long, "AUTH PLAIN [redacted]"},
		{"334 " + b64([]byte(long)), "px360", long, "334 [redacted]"},
	} {
		if got := redact(tc.msg, tc.user, tc.pass); got != tc.want {
			t.Errorf("redact(%q, %q) = %q, want %q", tc.msg, tc.pass, got, tc.want)
		}
	}
}
