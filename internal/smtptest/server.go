package smtptest

import (
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Options configures a test server. The zero value accepts every message
// without authentication over plain SMTP.
type Options struct {
	// Username and Password, when Username is set, make AUTH PLAIN
	// mandatory before MAIL FROM. Without TLS the server allows AUTH over
	// the plain connection.
	Username, Password string
	// TLS enables STARTTLS, or implicit TLS (SMTPS) when ImplicitTLS is set.
	TLS         *tls.Config
	ImplicitTLS bool
	// RejectAll refuses every recipient with 550 (451 with TempFail).
	RejectAll bool
	TempFail  bool
	// RejectRecipients are refused with 550; other recipients are accepted.
	RejectRecipients []string
	// DropAfter, when positive, closes a connection abruptly right after
	// it has carried DropAfter accepted messages. New connections are
	// accepted as usual.
	DropAfter int
}

// Received is one message the server accepted.
type Received struct {
	From     string
	To       []string
	Data     []byte
	Conn     int    // 1-based number of the connection that carried it
	TLS      bool   // the connection was encrypted when the message came
	AuthUser string // the user that authenticated on the connection, if any
}

// Server is a running test server.
type Server struct {
	Addr string // host:port
	Host string // 127.0.0.1
	Port int

	opts Options
	srv  *smtp.Server

	mu        sync.Mutex
	rejectAll bool
	conns     int
	messages  []Received
}

// Start runs a server on 127.0.0.1 on a free port; it stops when the test
// ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: listen: %v", err)
	}
	s := &Server{opts: opts, rejectAll: opts.RejectAll}
	tcp := l.Addr().(*net.TCPAddr)
	s.Addr, s.Host, s.Port = tcp.String(), tcp.IP.String(), tcp.Port

	srv := smtp.NewServer(smtp.BackendFunc(s.newSession))
	srv.Domain = "localhost"
	srv.ReadTimeout = time.Minute
	srv.WriteTimeout = time.Minute
	srv.MaxMessageBytes = 10 << 20
	srv.MaxRecipients = 100
	srv.AllowInsecureAuth = opts.TLS == nil
	srv.ErrorLog = testLogger{t}
	if !opts.ImplicitTLS {
		srv.TLSConfig = opts.TLS
	}
	s.srv = srv

	var ln net.Listener = &countingListener{Listener: l, s: s}
	if opts.ImplicitTLS {
		if opts.TLS == nil {
			t.Fatal("smtptest: ImplicitTLS needs TLS")
		}
		ln = tls.NewListener(ln, opts.TLS)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.Serve(ln)
	}()
	t.Cleanup(func() {
		srv.Close()
		<-done
	})
	return s
}

// Messages returns a copy of the messages accepted so far, in order.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.messages)
}

// Connections is the number of connections accepted so far.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// SetRejectAll turns refusing every recipient on or off.
func (s *Server) SetRejectAll(v bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejectAll = v
}

func (s *Server) newSession(c *smtp.Conn) (smtp.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.conns
	if cc, ok := connNumber(c.Conn()); ok {
		n = cc
	}
	return &session{s: s, c: c, conn: n}, nil
}

type session struct {
	s    *Server
	c    *smtp.Conn
	conn int

	user     string
	from     string
	to       []string
	accepted int  // messages accepted on this connection
	drop     bool // close the connection at the next reset
}

func (ss *session) AuthMechanisms() []string {
	if ss.s.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != ss.s.opts.Username || password != ss.s.opts.Password {
			return smtp.ErrAuthFailed
		}
		ss.user = username
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.opts.Username != "" && ss.user == "" {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.s.mu.Lock()
	rejectAll := ss.s.rejectAll
	ss.s.mu.Unlock()
	if rejectAll {
		if ss.s.opts.TempFail {
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
		}
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "Delivery refused"}
	}
	for _, r := range ss.s.opts.RejectRecipients {
		if strings.EqualFold(r, to) {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}
		}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := ss.c.TLSConnectionState()
	ss.s.mu.Lock()
	ss.s.messages = append(ss.s.messages, Received{
		From: ss.from, To: slices.Clone(ss.to), Data: b,
		Conn: ss.conn, TLS: isTLS, AuthUser: ss.user,
	})
	ss.s.mu.Unlock()
	ss.accepted++
	if d := ss.s.opts.DropAfter; d > 0 && ss.accepted >= d {
		// The server resets the session after writing the reply to DATA:
		// close there, so the client has seen this message accepted.
		ss.drop = true
	}
	return nil
}

func (ss *session) Reset() {
	ss.from, ss.to = "", nil
	if ss.drop {
		ss.drop = false
		c := ss.c.Conn()
		if tc, ok := c.(*tls.Conn); ok {
			c = tc.NetConn()
		}
		c.Close()
	}
}

func (ss *session) Logout() error { return nil }

// countingListener numbers the connections it accepts.
type countingListener struct {
	net.Listener
	s *Server
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.s.mu.Lock()
	l.s.conns++
	n := l.s.conns
	l.s.mu.Unlock()
	return &numberedConn{Conn: c, n: n}, nil
}

type numberedConn struct {
	net.Conn
	n int
}

func connNumber(c net.Conn) (int, bool) {
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	nc, ok := c.(*numberedConn)
	if !ok {
		return 0, false
	}
	return nc.n, true
}

type testLogger struct{ t testing.TB }

func (l testLogger) Printf(format string, v ...any) { l.logf(format, v...) }
func (l testLogger) Println(v ...any)               { l.logf("%s", fmt.Sprint(v...)) }

func (l testLogger) logf(format string, v ...any) {
	defer func() { _ = recover() }() // the test may have ended
	l.t.Logf("smtptest: "+format, v...)
}
