package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/px360/staffseed/internal/mail"
	"github.com/px360/staffseed/internal/spec"
)

// errPasswordEnv is smtpConfig's error when the password variable is not
// set: validate warns about it, plan and apply fail.
type errPasswordEnv struct{ name string }

// conventionalEnvName matches names written the way environment variables
// are (SMTP_PASSWORD); anything else in password_env may be a pasted
// password, so the message does not repeat it.
var conventionalEnvName = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)

func (e errPasswordEnv) Error() string {
	if conventionalEnvName.MatchString(e.name) {
		return fmt.Sprintf("email.smtp.password_env names %s, which is not set in the environment", e.name)
	}
	return "the variable named in email.smtp.password_env is not set in the environment (password_env takes the name of a variable, never the password itself)"
}

// smtpConfig turns the spec's SMTP settings into the transport's, reading
// the password from the environment variable the spec names.
func smtpConfig(e spec.Email, getenv func(string) string) (mail.SMTPConfig, error) {
	cfg := mail.SMTPConfig{
		Host: e.SMTP.Host, Port: e.SMTP.Port, Security: e.SMTP.Security,
		Username: e.SMTP.Username, AllowInsecure: e.SMTP.AllowInsecure,
		Timeout: time.Duration(e.SMTP.TimeoutSecs) * time.Second,
	}
	if cfg.Host == "" {
		return cfg, fmt.Errorf("email.smtp.host is not set")
	}
	if e.SMTP.PasswordEnv != "" {
		cfg.Password = getenv(e.SMTP.PasswordEnv)
		if cfg.Password == "" {
			return cfg, errPasswordEnv{e.SMTP.PasswordEnv}
		}
	}
	if cfg.Username != "" && cfg.Password == "" {
		return cfg, fmt.Errorf("email.smtp.username is set but no password: set email.smtp.password_env")
	}
	return cfg, nil
}

// checkTransport fails when credentials are to be sent and the transport
// or the templates cannot work, so that the problem shows at plan time,
// before anything is written.
func checkTransport(e spec.Email, getenv func(string) string) error {
	return checkEmail(e, getenv, nil)
}

// checkEmail is checkTransport; with warn set (validate, which does not
// depend on the environment), a password variable that is not set is
// passed to warn instead of failing. It never connects to anything.
func checkEmail(e spec.Email, getenv func(string) string, warn func(string)) error {
	if !e.SendCredentials {
		return nil
	}
	switch e.Transport {
	case "smtp":
		cfg, err := smtpConfig(e, getenv)
		var missing errPasswordEnv
		if errors.As(err, &missing) && warn != nil {
			warn(fmt.Sprintf("%v; plan and apply will fail without it", err))
			cfg.Password, err = "unset", nil
		}
		if err != nil {
			if pos := settingPos(e, smtpKey(err), "email.smtp", "email.transport"); pos != "" {
				return fmt.Errorf("%s: %w", pos, err)
			}
			return fmt.Errorf("send_credentials is on but the smtp transport is not usable: %w", err)
		}
		s, err := mail.NewSMTP(cfg)
		if err != nil {
			if pos := settingPos(e, "email.smtp.security", "email.smtp", "email.transport"); pos != "" {
				msg := strings.TrimPrefix(err.Error(), "smtp: ")
				msg = strings.Replace(msg, "(use starttls or tls, or allow insecure)", "(set email.smtp.allow_insecure: true to allow it)", 1)
				return fmt.Errorf("%s: %s", pos, msg)
			}
			return fmt.Errorf("send_credentials is on but the smtp transport is not usable: %w", err)
		}
		if err := s.Close(); err != nil {
			return err
		}
	case "file":
		if e.File.Dir == "" {
			return fmt.Errorf("send_credentials is on but email.file.dir is not set")
		}
	case "console":
	default:
		return fmt.Errorf("send_credentials is on but email.transport %q is unknown", e.Transport)
	}
	if err := mail.CheckTemplates(e.Templates, nil, nil); err != nil {
		if pos := settingPos(e, "email.templates"); pos != "" {
			return fmt.Errorf("%s: the credential email templates are not usable:\n%w", pos, err)
		}
		return fmt.Errorf("send_credentials is on but the credential email templates are not usable:\n%w", err)
	}
	return nil
}

// settingPos is "file:line:col" of the first of keys the spec writes, or
// "" when the settings carry no positions or come from a spec that no
// file holds (seed-staff builds one from its flags and environment).
func settingPos(e spec.Email, keys ...string) string {
	for _, k := range keys {
		r, ok := e.Ranges[k]
		if !ok {
			continue
		}
		if _, err := os.Stat(r.Filename); err != nil && r.Filename != spec.StdinName {
			return ""
		}
		return fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column)
	}
	return ""
}

// smtpKey is the setting an smtpConfig error is about.
func smtpKey(err error) string {
	var missing errPasswordEnv
	switch {
	case errors.As(err, &missing):
		return "email.smtp.password_env"
	case strings.Contains(err.Error(), "username"):
		return "email.smtp.username"
	}
	return "email.smtp.host"
}

// newSender opens the transport the settings name.
func newSender(e spec.Email, getenv func(string) string, console io.Writer) (mail.Sender, error) {
	switch e.Transport {
	case "smtp":
		cfg, err := smtpConfig(e, getenv)
		if err != nil {
			return nil, err
		}
		return mail.NewSMTP(cfg)
	case "file":
		return mail.NewFile(e.File.Dir)
	case "console":
		return mail.NewConsole(console), nil
	}
	return nil, fmt.Errorf("unknown email transport %q", e.Transport)
}
