package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// The SMTP security modes.
const (
	SecurityStartTLS = "starttls" // plain connection upgraded with STARTTLS, which is required
	SecurityTLS      = "tls"      // implicit TLS (SMTPS)
	SecurityNone     = "none"     // no encryption: loopback only unless AllowInsecure
)

// DefaultTimeout bounds each dial and each SMTP exchange when
// SMTPConfig.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// SMTPConfig configures the SMTP transport.
type SMTPConfig struct {
	Host     string
	Port     int    // 0: 587 for starttls, 465 for tls, 25 for none
	Security string // starttls | tls | none (empty: starttls)
	Username string // AUTH is used when set
	Password string
	// AllowInsecure permits security "none" to a host that is not a
	// loopback address. AUTH is still never sent unencrypted there.
	AllowInsecure bool
	Timeout       time.Duration
	RootCAs       *x509.CertPool // nil: the system's
	HeloName      string         // nil: the local host name
}

type smtpSender struct {
	cfg    SMTPConfig
	client *gomail.Client
	conn   *smtp.Client // the open connection, reused across messages
}

// NewSMTP returns a Sender that delivers over one SMTP connection per
// batch, reconnecting when the server drops it. It refuses unencrypted
// connections to hosts other than loopback (unless AllowInsecure) and
// never authenticates over an unencrypted connection to such a host.
func NewSMTP(cfg SMTPConfig) (Sender, error) {
	if cfg.Host == "" {
		return nil, errors.New("smtp: host is not set")
	}
	if cfg.Security == "" {
		cfg.Security = SecurityStartTLS
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	opts := []gomail.Option{gomail.WithTimeout(cfg.Timeout)}
	switch cfg.Security {
	case SecurityStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
		cfg.Port = orDefault(cfg.Port, 587)
	case SecurityTLS:
		opts = append(opts, gomail.WithSSL())
		cfg.Port = orDefault(cfg.Port, 465)
	case SecurityNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
		cfg.Port = orDefault(cfg.Port, 25)
		loopback := isLoopback(cfg.Host)
		if !loopback && !cfg.AllowInsecure {
			return nil, fmt.Errorf("smtp: security none to %s is refused: the connection would not be encrypted (use starttls or tls, or allow insecure)", cfg.Host)
		}
		if !loopback && cfg.Username != "" {
			return nil, fmt.Errorf("smtp: refusing to send credentials for %s over an unencrypted connection to %s", cfg.Username, cfg.Host)
		}
	default:
		return nil, fmt.Errorf("smtp: unknown security %q (want starttls, tls or none)", cfg.Security)
	}
	if cfg.Port < 1 || cfg.Port > 65535 {
		return nil, fmt.Errorf("smtp: port %d out of range", cfg.Port)
	}
	opts = append(opts, gomail.WithPort(cfg.Port), gomail.WithTLSConfig(&tls.Config{
		ServerName: cfg.Host,
		RootCAs:    cfg.RootCAs,
		MinVersion: tls.VersionTLS12,
	}))
	if cfg.HeloName != "" {
		opts = append(opts, gomail.WithHELO(cfg.HeloName))
	}
	if cfg.Username != "" {
		auth := gomail.SMTPAuthAutoDiscover
		if cfg.Security == SecurityNone {
			// Only reached for loopback: PLAIN, which go-mail allows
			// unencrypted to localhost alone.
			auth = gomail.SMTPAuthPlain
		}
		opts = append(opts, gomail.WithSMTPAuth(auth),
			gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password))
	}
	client, err := gomail.NewClient(cfg.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("smtp: %w", err)
	}
	return &smtpSender{cfg: cfg, client: client}, nil
}

func orDefault(port, def int) int {
	if port == 0 {
		return def
	}
	return port
}

// isLoopback reports whether host is localhost or a loopback IP address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

func (s *smtpSender) Describe() string {
	return fmt.Sprintf("smtp://%s (%s)", net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port)), s.cfg.Security)
}

func (s *smtpSender) Send(ctx context.Context, msgs []Message, done func(int, error)) error {
	return eachMessage(ctx, msgs, done, func(gm *gomail.Msg, m Message) (error, error) {
		return s.deliver(ctx, gm, m)
	})
}

// deliver sends one message on the open connection, dialling first if
// there is none. A connection that fails is dropped and the message tried
// once more on a new one. A server's refusal is the message's error; a
// failure to connect at all stops the batch.
func (s *smtpSender) deliver(ctx context.Context, gm *gomail.Msg, m Message) (err, stop error) {
	for attempt := 0; ; attempt++ {
		if s.conn == nil {
			conn, err := s.client.DialToSMTPClientWithContext(ctx)
			if err != nil {
				return nil, s.errorf("connect", err)
			}
			s.conn = conn
		}
		err := s.client.SendWithSMTPClient(s.conn, gm)
		if err == nil {
			return nil, nil
		}
		if gm.IsDelivered() {
			// Accepted; the connection failed afterwards (at RSET).
			s.dropConn()
			return nil, nil
		}
		if !isConnError(err) {
			return s.errorf("send to "+m.To, err), nil
		}
		s.dropConn()
		if attempt > 0 {
			return s.errorf("send to "+m.To, err), nil
		}
	}
}

// isConnError reports whether err is a broken connection rather than the
// server's reply to a command.
func isConnError(err error) bool {
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return true
	}
	switch se.Reason {
	case gomail.ErrConnCheck:
		return true
	case gomail.ErrGetSender, gomail.ErrGetRcpts, gomail.ErrNoUnencoded:
		return false
	}
	return se.ErrorCode() == 0
}

func (s *smtpSender) dropConn() {
	if s.conn != nil {
		_ = s.conn.Close()
		s.conn = nil
	}
}

// errorf wraps err with the server's address, says in plain words what the
// library's internal wording means where it would puzzle, and takes care
// that the credentials never appear in it.
func (s *smtpSender) errorf(what string, err error) error {
	addr := net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port))
	msg := redact(err.Error(), s.cfg.Username, s.cfg.Password)
	switch {
	case strings.Contains(msg, "does not support STARTTLS"):
		return fmt.Errorf("the SMTP server at %s does not offer STARTTLS (security: starttls); use security: tls, or security: none on a trusted local network", addr)
	case strings.Contains(msg, "server does not support SMTP AUTH"):
		return fmt.Errorf("the SMTP server at %s does not offer AUTH, but email.smtp.username is set; leave username out for a server that needs no login", addr)
	case strings.Contains(msg, "SMTP AUTH failed"):
		_, reason, _ := strings.Cut(msg, "SMTP AUTH failed: ")
		return fmt.Errorf("the SMTP server at %s refused the login of %q: %s", addr, s.cfg.Username, reason)
	case strings.Contains(msg, "does not support 8BITMIME"):
		return fmt.Errorf("the SMTP server at %s does not accept 8-bit messages (8BITMIME)", addr)
	case strings.Contains(msg, "x509:") || strings.Contains(msg, "tls:"):
		return fmt.Errorf("smtp %s: %s: TLS failed (check security: tls or starttls, and that the server's certificate is trusted for %s): %s", addr, what, s.cfg.Host, msg)
	}
	msg = strings.TrimPrefix(msg, "dial failed: ")
	return fmt.Errorf("smtp %s: %s: %s", addr, what, msg)
}

// minScrubbedSecret is the shortest password scrubbed from error texts: an
// SMTP server never echoes the password, and scrubbing a short one would
// garble the text ("mailbo[redacted] unavailable") and, worse, show where
// it occurs, which tells the password.
const minScrubbedSecret = 8

// redact removes the password from msg, as written and in the base64 forms
// AUTH PLAIN and AUTH LOGIN send it in, when it is long enough to be
// scrubbed without garbling the text.
func redact(msg, username, password string) string {
	if len(password) < minScrubbedSecret {
		return msg
	}
	enc := base64.StdEncoding.EncodeToString
	forms := []string{
		enc([]byte("\x00" + username + "\x00" + password)),
		enc([]byte(username + "\x00" + username + "\x00" + password)),
		enc([]byte(password)),
		password,
	}
	for _, f := range forms {
		msg = strings.ReplaceAll(msg, f, "[redacted]")
	}
	return msg
}

func (s *smtpSender) Close() error {
	if s.conn == nil {
		return nil
	}
	err := s.client.CloseWithSMTPClient(s.conn)
	s.conn = nil
	if err != nil {
		return s.errorf("close", err)
	}
	return nil
}
