package seedstaff

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/px360/staffseed/internal/spec"
	"gopkg.in/yaml.v3"
)

// Request is everything a seed-staff run is made of.
type Request struct {
	Options
	// Hospitals are the codes of the hospitals to seed, already in the
	// database.
	Hospitals []string
	Mail      Mail
	// MailProblem, when not empty, is why credentials are not sent this
	// run: accounts are still created and their credentials stay pending,
	// so that a later run with a usable mail setup sends them.
	MailProblem string
}

// SendsCredentials reports whether the run sends credential emails.
func (r Request) SendsCredentials() bool { return r.sendsCredentials() && r.MailProblem == "" }

// The YAML form of the spec, in the order its keys are written.
type (
	yamlSpec struct {
		Version   int            `yaml:"version"`
		Seed      int64          `yaml:"seed"`
		Clear     bool           `yaml:"clear,omitempty"`
		Hospitals []yamlHospital `yaml:"hospitals"`
		Staff     yamlStaff      `yaml:"staff"`
		Accounts  yamlAccounts   `yaml:"accounts"`
		Email     yamlEmail      `yaml:"email"`
	}
	yamlHospital struct {
		Code     string `yaml:"code"`
		Existing bool   `yaml:"existing"`
	}
	yamlStaff struct {
		Physicians yamlCount `yaml:"physicians"`
		Nurses     yamlCount `yaml:"nurses"`
		AdminStaff yamlCount `yaml:"admin_staff"`
	}
	yamlCount struct {
		Count       int     `yaml:"count"`
		FemaleRatio float64 `yaml:"female_ratio"`
	}
	yamlAccounts struct {
		CreateUsers bool   `yaml:"create_users"`
		Role        string `yaml:"role"`
	}
	yamlEmail struct {
		SendCredentials bool      `yaml:"send_credentials"`
		From            string    `yaml:"from"`
		SiteURL         string    `yaml:"site_url"`
		Address         string    `yaml:"address"`
		Transport       string    `yaml:"transport"`
		SMTP            *yamlSMTP `yaml:"smtp,omitempty"`
		File            *yamlFile `yaml:"file,omitempty"`
	}
	yamlSMTP struct {
		Host          string `yaml:"host"`
		Port          int    `yaml:"port"`
		Security      string `yaml:"security"`
		Username      string `yaml:"username,omitempty"`
		PasswordEnv   string `yaml:"password_env,omitempty"`
		AllowInsecure bool   `yaml:"allow_insecure,omitempty"`
	}
	yamlFile struct {
		Dir string `yaml:"dir"`
	}
)

// SpecYAML writes the spec equivalent to the request: a YAML document that
// `staffseed validate`, `plan` and `apply` accept. The SMTP password is
// only named (EMAIL_HOST_PASSWORD).
func SpecYAML(r Request) ([]byte, error) {
	ratio := func(t spec.StaffType) yamlCount {
		return yamlCount{Count: r.Counts[t], FemaleRatio: spec.DefaultCounts[t].FemaleRatio.Float()}
	}
	doc := yamlSpec{
		Version: 1,
		Seed:    Seed,
		Clear:   r.Clear,
		Staff:   yamlStaff{Physicians: ratio(spec.Physician), Nurses: ratio(spec.Nurse), AdminStaff: ratio(spec.Admin)},
		Accounts: yamlAccounts{
			CreateUsers: r.CreateUsers,
			Role:        spec.DefaultRole,
		},
		Email: yamlEmail{
			SendCredentials: r.SendsCredentials(),
			From:            r.Mail.From,
			SiteURL:         r.Mail.SiteURL,
			Address:         spec.DefaultAddress,
			Transport:       r.Mail.Backend,
		},
	}
	for _, code := range r.Hospitals {
		doc.Hospitals = append(doc.Hospitals, yamlHospital{Code: code, Existing: true})
	}
	switch r.Mail.Backend {
	case "smtp":
		if r.Mail.Host != "" {
			s := &yamlSMTP{Host: r.Mail.Host, Port: r.Mail.Port, Security: r.Mail.Security,
				Username: r.Mail.Username, AllowInsecure: r.Mail.AllowInsecure}
			if r.Mail.HasPassword {
				s.PasswordEnv = PasswordEnv
			}
			doc.Email.SMTP = s
		}
	case "file":
		// Paths in a spec resolve from its own folder: an absolute outbox
		// stays where it was meant wherever the emitted spec is saved.
		dir, err := filepath.Abs(r.Mail.Outbox)
		if err != nil {
			return nil, fmt.Errorf("outbox %s: %w", r.Mail.Outbox, err)
		}
		doc.Email.File = &yamlFile{Dir: dir}
	}
	var b bytes.Buffer
	b.WriteString(header(r))
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("write spec: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("write spec: %w", err)
	}
	return b.Bytes(), nil
}

// header is the comment that opens an emitted spec.
func header(r Request) string {
	var b strings.Builder
	b.WriteString("# The spec equivalent to a `staffseed seed-staff` run. Check it with\n")
	b.WriteString("# `staffseed validate -f FILE`, then use `staffseed plan -f FILE` and\n")
	b.WriteString("# `staffseed apply -f FILE`. The hospitals already exist in the database.\n")
	if r.sendsCredentials() && r.MailProblem != "" {
		fmt.Fprintf(&b, "# Credential emails were requested but cannot be sent (%s):\n", r.MailProblem)
		b.WriteString("# set email.send_credentials to true once a transport is configured.\n")
	}
	return b.String()
}

// Build returns the spec of the request, decoded and checked exactly as a
// spec file with the text of SpecYAML would be.
func Build(r Request) (*spec.Spec, error) {
	src, err := SpecYAML(r)
	if err != nil {
		return nil, err
	}
	s, diags := spec.ParseYAML("seed-staff.yaml", src)
	if diags.HasErrors() {
		var msgs []string
		for _, d := range diags {
			msgs = append(msgs, strings.TrimSpace(d.Summary+": "+d.Detail))
		}
		return nil, fmt.Errorf("the seed-staff settings make an invalid spec: %s", strings.Join(msgs, "; "))
	}
	return s, nil
}
