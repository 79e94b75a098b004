package smtptest

import (
	"crypto/tls"
	"net/smtp"
	"strings"
	"testing"
)

func send(t *testing.T, c *smtp.Client, from, to, body string) error {
	t.Helper()
	if err := c.Mail(from); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		c.Reset()
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write([]byte(body)); err != nil {
		return err
	}
	return w.Close()
}

func TestServerRecordsAndRejects(t *testing.T) {
	s := Start(t, Options{RejectRecipients: []string{"bad@example.org"}})
	c, err := smtp.Dial(s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := send(t, c, "a@example.org", "b@example.org", "Subject: x\r\n\r\nhello\r\n"); err != nil {
		t.Fatal(err)
	}
	err = send(t, c, "a@example.org", "bad@example.org", "Subject: y\r\n\r\nno\r\n")
	if err == nil || !strings.HasPrefix(err.Error(), "550") {
		t.Fatalf("rejected recipient: got %v, want 550", err)
	}
	s.SetRejectAll(true)
	if err := send(t, c, "a@example.org", "b@example.org", "x\r\n"); err == nil {
		t.Fatal("reject all: message accepted")
	}
	msgs := s.Messages()
	if len(msgs) != 1 || msgs[0].To[0] != "b@example.org" || !strings.Contains(string(msgs[0].Data), "hello") {
		t.Fatalf("messages = %+v", msgs)
	}
	if msgs[0].Conn != 1 || s.Connections() != 1 {
		t.Fatalf("connection numbering: msg conn %d, connections %d", msgs[0].Conn, s.Connections())
	}
}

func TestServerStartTLSAuthAndDrop(t *testing.T) {
	cfg, pool := SelfSignedTLS(t)
	s := Start(t, Options{TLS: cfg, Username: "u", Password: "p", DropAfter: 1})
	c, err := smtp.Dial(s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.StartTLS(&tls.Config{ServerName: "127.0.0.1", RootCAs: pool}); err != nil {
		t.Fatal(err)
	}
	if err := send(t, c, "a@example.org", "b@example.org", "x\r\n"); err == nil {
		t.Fatal("MAIL accepted without AUTH")
	}
	if err := c.Auth(smtp.PlainAuth("", "u", "p", "127.0.0.1")); err != nil {
		t.Fatal(err)
	}
	if err := send(t, c, "a@example.org", "b@example.org", "x\r\n"); err != nil {
		t.Fatal(err)
	}
	if err := c.Noop(); err == nil {
		t.Fatal("connection still open after DropAfter messages")
	}
	m := s.Messages()
	if len(m) != 1 || !m[0].TLS || m[0].AuthUser != "u" {
		t.Fatalf("messages = %+v", m)
	}
}
