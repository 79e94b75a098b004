package cli

import (
	"bytes"
	"flag"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updatePreview = flag.Bool("update-preview", false, "rewrite the email preview golden files under testdata/preview")

const previewSpec = `version: 1
seed: 7
hospitals:
  - code: ALMADINA
    name: Al Madina General Hospital
    name_ar: مستشفى المدينة العام
    roster: almadina.csv
  - code: RIYADH
    name: Riyadh Care
    language: ar
    staff: {physicians: 1}
accounts:
  create_users: true
email:
  send_credentials: true
  transport: console
`

const previewRoster = "employee_id,staff_type,first_name,last_name,first_name_ar,last_name_ar,gender,email\n" +
	"AM-1,physician,Zoë,O'Neil,زوي,أونيل,female,zoe@example.org\n"

// runCLI runs staffseed in-process with no database and returns its
// stdout, failing the test on a non-zero exit.
func runCLI(t *testing.T, args ...string) string {
	t.Helper()
	var out, errs bytes.Buffer
	streams := Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errs, Getenv: func(string) string { return "" }}
	if code := Main(args, streams); code != 0 {
		t.Fatalf("staffseed %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errs.String())
	}
	return out.String()
}

func previewDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range map[string]string{"spec.yaml": previewSpec, "almadina.csv": previewRoster} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestEmailPreviewGolden renders the terminal preview in each language.
func TestEmailPreviewGolden(t *testing.T) {
	dir := previewDir(t)
	for _, lang := range []string{"en", "ar", "bilingual"} {
		t.Run(lang, func(t *testing.T) {
			got := runCLI(t, "email", "preview", "-f", filepath.Join(dir, "spec.yaml"), "--hospital", "RIYADH", "--language", lang)
			golden := filepath.Join("testdata", "preview", lang+".golden")
			if *updatePreview {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("preview differs from %s (rerun with -update-preview):\n%s", golden, got)
			}
			if !strings.Contains(got, PreviewPassword) {
				t.Error("the preview does not show the placeholder password")
			}
		})
	}
	// Without --language, the hospital's own language applies.
	if got := runCLI(t, "email", "preview", "-f", filepath.Join(dir, "spec.yaml"), "--hospital", "RIYADH"); !strings.Contains(got, "Subject: حسابك في PX360\n") {
		t.Errorf("RIYADH preview is not in Arabic:\n%s", got)
	}
}

// TestEmailPreviewFiles writes .eml and .html previews and parses the
// message back: the encoded subject and recipient name decode to the
// Arabic and accented originals, and the Arabic HTML is right-to-left.
func TestEmailPreviewFiles(t *testing.T) {
	dir := previewDir(t)
	specPath := filepath.Join(dir, "spec.yaml")
	cases := []struct {
		lang, subject, toName, textHas string
	}{
		{"en", "Your PX360 account", "Zoë O'Neil", "Dear Zoë O'Neil"},
		{"ar", "حسابك في PX360", "زوي أونيل", "زوي أونيل"},
		{"bilingual", "Your PX360 account / حسابك في PX360", "Zoë O'Neil", "مستشفى المدينة العام"},
	}
	for _, c := range cases {
		t.Run(c.lang, func(t *testing.T) {
			eml := filepath.Join(dir, c.lang+".eml")
			runCLI(t, "email", "preview", "-f", specPath, "--language", c.lang, "--out", eml)
			raw, err := os.ReadFile(eml)
			if err != nil {
				t.Fatal(err)
			}
			msg, err := mail.ReadMessage(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
			if err != nil || subject != c.subject {
				t.Errorf("subject %q (%v), want %q", subject, err, c.subject)
			}
			to, err := msg.Header.AddressList("To")
			if err != nil || len(to) != 1 || to[0].Name != c.toName || to[0].Address != "zoe@example.org" {
				t.Errorf("To %v (%v), want %s <zoe@example.org>", to, err, c.toName)
			}
			text, html := parts(t, msg)
			if !strings.Contains(text, c.textHas) || !strings.Contains(text, PreviewPassword) {
				t.Errorf("text part lacks %q or the password:\n%s", c.textHas, text)
			}
			if c.lang != "en" && !strings.Contains(html, `dir="rtl"`) {
				t.Errorf("%s HTML is not right-to-left:\n%s", c.lang, html)
			}

			page := filepath.Join(dir, c.lang+".html")
			runCLI(t, "email", "preview", "-f", specPath, "--language", c.lang, "--out", page)
			// MIME lines end in CRLF; the page keeps the template's own.
			if b, err := os.ReadFile(page); err != nil || strings.TrimSpace(string(b)) != strings.TrimSpace(strings.ReplaceAll(html, "\r\n", "\n")) {
				t.Errorf(".html preview differs from the message's HTML part (%v)", err)
			}
		})
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".staffseed-preview-*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary folders left behind: %v", leftovers)
	}
}

// parts returns the decoded text and HTML parts of a multipart message.
func parts(t *testing.T, msg *mail.Message) (text, html string) {
	t.Helper()
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	r := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			return text, html
		}
		if err != nil {
			t.Fatal(err)
		}
		var body io.Reader = p
		if p.Header.Get("Content-Transfer-Encoding") == "quoted-printable" {
			body = quotedprintable.NewReader(p)
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Fatal(err)
		}
		switch mt, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); mt {
		case "text/plain":
			text = string(b)
		case "text/html":
			html = string(b)
		}
	}
}
