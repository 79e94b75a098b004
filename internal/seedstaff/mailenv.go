package seedstaff

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/px360/staffseed/internal/spec"
)

// Backends are the values of --email-backend.
var Backends = []string{"smtp", "file", "console"}

// NotConfigured is the old command's reason for not sending credentials
// when no SMTP server is configured.
const NotConfigured = "SMTP server not configured"

// PasswordEnv is the environment variable holding the SMTP password, as in
// the Django settings. Only its name goes into a spec.
const PasswordEnv = "EMAIL_HOST_PASSWORD"

// Mail is where credential emails go, read from the environment names of
// the Django settings the old command used. It holds no secret: the SMTP
// password is only known to be set.
type Mail struct {
	Backend string // smtp | file | console
	Outbox  string // file backend folder
	Host    string
	Port    int
	// Security is starttls when EMAIL_USE_TLS is true, tls when
	// EMAIL_USE_SSL is, else none.
	Security      string
	Username      string
	HasPassword   bool
	AllowInsecure bool
	From          string
	SiteURL       string
}

// MailFromEnv reads EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS, EMAIL_USE_SSL,
// EMAIL_HOST_USER, EMAIL_HOST_PASSWORD (only whether it is set),
// DEFAULT_FROM_EMAIL and SITE_URL. backend and outbox come from the
// command line; an empty outbox means ./outbox.
func MailFromEnv(getenv func(string) string, backend, outbox string, allowInsecure bool) (Mail, error) {
	m := Mail{
		Backend:       backend,
		Outbox:        outbox,
		Host:          strings.TrimSpace(getenv("EMAIL_HOST")),
		Port:          25, // Django's default EMAIL_PORT
		Security:      "none",
		Username:      getenv("EMAIL_HOST_USER"),
		HasPassword:   getenv(PasswordEnv) != "",
		AllowInsecure: allowInsecure,
		From:          getenv("DEFAULT_FROM_EMAIL"),
		SiteURL:       getenv("SITE_URL"),
	}
	if m.Backend == "" {
		m.Backend = "smtp"
	}
	if !contains(Backends, m.Backend) {
		return m, fmt.Errorf("--email-backend %q: want one of %s", m.Backend, strings.Join(Backends, ", "))
	}
	if m.Outbox == "" {
		m.Outbox = spec.DefaultOutbox
	}
	if m.From == "" {
		m.From = spec.DefaultFrom
	}
	if m.SiteURL == "" {
		m.SiteURL = spec.DefaultSiteURL
	}
	if p := strings.TrimSpace(getenv("EMAIL_PORT")); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return m, fmt.Errorf("EMAIL_PORT %q is not a port number", p)
		}
		m.Port = n
	}
	if truthy(getenv("EMAIL_USE_SSL")) && truthy(getenv("EMAIL_USE_TLS")) {
		return m, errors.New("EMAIL_USE_TLS and EMAIL_USE_SSL are mutually exclusive, so only set one of those settings to True")
	}
	switch {
	case truthy(getenv("EMAIL_USE_SSL")):
		m.Security = "tls"
	case truthy(getenv("EMAIL_USE_TLS")):
		m.Security = "starttls"
	}
	return m, nil
}

// truthy is how the settings read a boolean from the environment.
func truthy(s string) bool {
	switch strings.TrimSpace(s) {
	case "True", "true", "TRUE", "1", "yes", "on":
		return true
	}
	return false
}

// Problem is why credential emails cannot be sent with these settings, or
// "" when they can be attempted.
func (m Mail) Problem() string {
	if m.Backend == "smtp" && m.Host == "" {
		return NotConfigured
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
