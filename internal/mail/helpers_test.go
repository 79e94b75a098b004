package mail

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
)

// parsed is a received message read back with the standard library.
type parsed struct {
	Header  mail.Header
	From    *mail.Address
	To      *mail.Address
	Subject string
	Text    string
	HTML    string
}

func parseEmail(t *testing.T, data []byte) parsed {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("read message: %v\n%s", err, data)
	}
	p := parsed{Header: msg.Header}
	for _, h := range []string{"Date", "Message-Id", "From", "To", "Subject", "Mime-Version"} {
		if msg.Header.Get(h) == "" {
			t.Errorf("header %s missing", h)
		}
	}
	if _, err := msg.Header.Date(); err != nil {
		t.Errorf("Date: %v", err)
	}
	if p.From, err = mail.ParseAddress(msg.Header.Get("From")); err != nil {
		t.Errorf("From: %v", err)
	}
	if p.To, err = mail.ParseAddress(msg.Header.Get("To")); err != nil {
		t.Errorf("To: %v", err)
	}
	dec := new(mime.WordDecoder)
	if p.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		t.Errorf("Subject: %v", err)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type = %q (%v), want multipart/alternative", msg.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("next part: %v", err)
		}
		pt, pparams, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		if !strings.EqualFold(pparams["charset"], "utf-8") {
			t.Errorf("part %s charset = %q, want UTF-8", pt, pparams["charset"])
		}
		var r io.Reader = part
		switch strings.ToLower(part.Header.Get("Content-Transfer-Encoding")) {
		case "base64":
			r = base64.NewDecoder(base64.StdEncoding, part)
		case "quoted-printable": // multipart decodes it unless the header survived
			r = quotedprintable.NewReader(part)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("read part %s: %v", pt, err)
		}
		body := strings.ReplaceAll(string(b), "\r\n", "\n")
		switch pt {
		case "text/plain":
			p.Text = body
		case "text/html":
			p.HTML = body
		default:
			t.Errorf("unexpected part %s", pt)
		}
	}
	if p.Text == "" || p.HTML == "" {
		t.Errorf("text part %d bytes, HTML part %d bytes; want both", len(p.Text), len(p.HTML))
	}
	return p
}

// testCredential is a credential with a fixed placeholder password.
func testCredential(lang string) Credential {
	return Credential{
		HospitalCode:   "ALMADINA",
		HospitalName:   "Al Madina General Hospital",
		HospitalNameAr: "مستشفى المدينة العام",
		FirstName:      "Fatimah",
		LastName:       "Alharbi",
		FirstNameAr:    "فاطمة",
		LastNameAr:     "الحربي",
		Username:       "fatimah.alharbi",
		Password:       "PLACEHOLDER-Pw1!",
		Email:          "fatimah.alharbi@almadina.sa",
		LoginURL:       "http://localhost:8000/accounts/login/",
		Language:       lang,
	}
}

const testFrom = "PX360 <noreply@px360.local>"

func compose(t *testing.T, c Credential) Message {
	t.Helper()
	m, err := Compose(c, testFrom, "")
	if err != nil {
		t.Fatalf("Compose: %v", err)
	}
	return m
}
