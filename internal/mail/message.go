package mail

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
)

// Credential is everything a credential email says. Password is the only
// secret.
type Credential struct {
	HospitalCode, HospitalName, HospitalNameAr string
	FirstName, LastName                        string
	FirstNameAr, LastNameAr                    string
	Username, Password, Email, LoginURL        string
	Language                                   string // en | ar | bilingual (empty: bilingual)
}

// Message is one composed email. ToName may be Arabic; From may carry a
// display name ("PX360 <noreply@px360.local>").
type Message struct {
	From, To, ToName, Subject, Text, HTML string
}

// The languages of a credential email.
const (
	LangEnglish   = "en"
	LangArabic    = "ar"
	LangBilingual = "bilingual"
)

// Validate checks the header values of m: none may hold a CR or LF, From
// must parse as an address and To as a bare address, both ASCII.
func (m Message) Validate() error {
	for _, h := range []struct{ name, value string }{
		{"From", m.From}, {"To", m.To}, {"To name", m.ToName}, {"Subject", m.Subject},
	} {
		if strings.ContainsAny(h.value, "\r\n") {
			return fmt.Errorf("%s header contains a line break", h.name)
		}
	}
	if _, err := parseAddress("From", m.From); err != nil {
		return err
	}
	to, err := parseAddress("To", m.To)
	if err != nil {
		return err
	}
	if to.Name != "" || to.Address != m.To {
		return fmt.Errorf("To address %q must be a bare address; the name goes in ToName", m.To)
	}
	return nil
}

// parseAddress parses an address header value and requires the address
// itself to be ASCII.
func parseAddress(header, value string) (*mail.Address, error) {
	if value == "" {
		return nil, fmt.Errorf("%s address is empty", header)
	}
	a, err := mail.ParseAddress(value)
	if err != nil {
		return nil, fmt.Errorf("%s address %q: %w", header, value, unwrapMailErr(err))
	}
	for _, r := range a.Address {
		if r > 0x7e || r < 0x21 {
			return nil, fmt.Errorf("%s address %q is not ASCII", header, a.Address)
		}
	}
	return a, nil
}

func unwrapMailErr(err error) error {
	return errors.New(strings.TrimPrefix(err.Error(), "mail: "))
}
