package spec

import "path/filepath"

// Defaults of settings a spec may leave out.
const (
	// DefaultSeed is the seed of a spec that sets none.
	DefaultSeed int64 = 1
	// DefaultTransport is the email transport of a spec that sets none.
	DefaultTransport = "smtp"
	// DefaultSMTPPort and DefaultSMTPSecurity are the smtp transport's.
	DefaultSMTPPort     = 587
	DefaultSMTPSecurity = "starttls"
	// DefaultSMTPTimeoutSecs bounds one SMTP conversation.
	DefaultSMTPTimeoutSecs = 30
	// DefaultOutbox is the file transport's folder, relative to the spec.
	DefaultOutbox = "./outbox"
	// DefaultOnRemove is what happens to the user of a removed staff member.
	DefaultOnRemove = "delete"
)

// DefaultAccounts returns the account settings of a spec that sets none.
func DefaultAccounts() Accounts {
	return Accounts{
		CreateUsers: false,
		Roles:       map[StaffType]string{Physician: DefaultRole, Nurse: DefaultRole, Admin: DefaultRole},
		Password: PasswordPolicy{
			Length:     DefaultPasswordLength,
			Hasher:     DefaultHasher,
			Iterations: DefaultPasswordIterations,
		},
		OnRemove: DefaultOnRemove,
	}
}

// DefaultEmail returns the email settings of a spec that sets none; dir is
// the spec's folder, against which the outbox folder is resolved.
func DefaultEmail(dir string) Email {
	return Email{
		From:      DefaultFrom,
		SiteURL:   DefaultSiteURL,
		Address:   DefaultAddress,
		Transport: DefaultTransport,
		SMTP: SMTP{
			Port:        DefaultSMTPPort,
			Security:    DefaultSMTPSecurity,
			TimeoutSecs: DefaultSMTPTimeoutSecs,
		},
		File:     FileTransport{Dir: ResolvePath(dir, DefaultOutbox)},
		Language: DefaultLanguage,
	}
}

// ResolvePath resolves a path written in a spec against the spec's folder
// dir and returns it absolute and cleaned, so that it means the same file
// wherever the model, or a plan saved from it, is used; an empty path stays
// empty.
func ResolvePath(dir, p string) string {
	if p == "" {
		return ""
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return filepath.Clean(p)
}
