package mail

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	texttemplate "text/template"
)

// builtin holds the default templates: credentials.{lang}.{txt,html} and
// the partials they share ("en.txt", "ar.txt", "en.html", "ar.html",
// "head.html"), which override templates may use too.
//
//go:embed templates
var builtin embed.FS

// subjectPrefix may open a template's first line; the rest of that line is
// the subject, itself a text template over the same data. When both the
// text and the HTML template carry one, the text template's wins.
const subjectPrefix = "Subject:"

// defaultSubjects are used when neither template names a subject.
var defaultSubjects = map[string]string{
	LangEnglish:   "Your PX360 account",
	LangArabic:    "حسابك في PX360",
	LangBilingual: "Your PX360 account / حسابك في PX360",
}

// templateData is what a template sees: the credential's fields and the
// subject.
type templateData struct {
	Credential
	Subject string
}

// Compose renders the credential email for c, sent from from.
//
// Templates are looked up per part (txt, html) and language: with
// templatesDir set, DIR/{HospitalCode}/credentials.{lang}.{ext} first, then
// DIR/credentials.{lang}.{ext}; otherwise, or when neither exists, the
// built-in one. A template's first line may be "Subject: ..." to set the
// subject (the text template's wins over the HTML one's; with neither, a
// default per language). Templates see the Credential's fields (.FirstName,
// .HospitalNameAr, .Password, .LoginURL, ...) and .Subject, and may call the
// built-in partials: {{template "en.txt" .}}, "ar.txt", "en.html",
// "ar.html" and "head.html". Text templates use text/template, HTML ones
// html/template, so values are escaped in HTML.
func Compose(c Credential, from, templatesDir string) (Message, error) {
	lang := c.Language
	if lang == "" {
		lang = LangBilingual
	}
	if _, ok := defaultSubjects[lang]; !ok {
		return Message{}, fmt.Errorf("unknown email language %q (want en, ar or bilingual)", c.Language)
	}
	c.Language = lang
	if strings.ContainsAny(c.HospitalCode, `/\`) || strings.Contains(c.HospitalCode, "..") {
		return Message{}, fmt.Errorf("hospital code %q cannot name a template directory", c.HospitalCode)
	}

	txtSrc, txtName, err := loadTemplate(templatesDir, c.HospitalCode, lang, "txt")
	if err != nil {
		return Message{}, err
	}
	htmlSrc, htmlName, err := loadTemplate(templatesDir, c.HospitalCode, lang, "html")
	if err != nil {
		return Message{}, err
	}
	txtSubject, txtBody := splitSubject(txtSrc)
	htmlSubject, htmlBody := splitSubject(htmlSrc)
	txtLines, htmlLines := bodyLine(txtSubject), bodyLine(htmlSubject)

	subjectSrc, subjectFrom := txtSubject, txtName
	if subjectSrc == "" {
		subjectSrc, subjectFrom = htmlSubject, htmlName
	}
	if subjectSrc == "" {
		subjectSrc, subjectFrom = defaultSubjects[lang], "default subject"
	}
	data := templateData{Credential: c}
	subject, err := renderText(subjectFrom, subjectSrc, data, 0)
	if err != nil {
		return Message{}, err
	}
	data.Subject = strings.TrimSpace(subject)

	text, err := renderText(txtName, txtBody, data, txtLines)
	if err != nil {
		return Message{}, err
	}
	html, err := renderHTML(htmlName, htmlBody, data, htmlLines)
	if err != nil {
		return Message{}, err
	}
	m := Message{
		From:    from,
		To:      c.Email,
		ToName:  displayName(c),
		Subject: data.Subject,
		Text:    text,
		HTML:    html,
	}
	if err := m.Validate(); err != nil {
		return Message{}, fmt.Errorf("credential email for %s: %w", c.Username, err)
	}
	return m, nil
}

// displayName is the recipient's name in the language of the email.
func displayName(c Credential) string {
	if c.Language == LangArabic && c.FirstNameAr != "" {
		return strings.TrimSpace(c.FirstNameAr + " " + c.LastNameAr)
	}
	return strings.TrimSpace(c.FirstName + " " + c.LastName)
}

// loadTemplate returns the source of the template for one part and its
// name for error messages.
func loadTemplate(dir, code, lang, ext string) (string, string, error) {
	file := "credentials." + lang + "." + ext
	if dir != "" {
		candidates := []string{filepath.Join(dir, file)}
		if code != "" {
			candidates = append([]string{filepath.Join(dir, code, file)}, candidates...)
		}
		for _, p := range candidates {
			b, err := os.ReadFile(p)
			if err == nil {
				return string(b), p, nil
			}
			if !errors.Is(err, fs.ErrNotExist) {
				return "", "", fmt.Errorf("read template: %w", err)
			}
		}
	}
	b, err := builtin.ReadFile("templates/" + file)
	if err != nil {
		return "", "", fmt.Errorf("built-in template %s: %w", file, err)
	}
	return string(b), "built-in " + file, nil
}

// splitSubject separates a leading "Subject: ..." line from the body.
func splitSubject(src string) (subject, body string) {
	first, rest, _ := strings.Cut(src, "\n")
	if !strings.HasPrefix(first, subjectPrefix) {
		return "", src
	}
	return strings.TrimSpace(strings.TrimSuffix(first[len(subjectPrefix):], "\r")), rest
}

// textFuncs are the functions text templates may call: ltr wraps a value
// in Unicode directional isolates (LEFT-TO-RIGHT ISOLATE … POP DIRECTIONAL
// ISOLATE) so that a username, password or URL reads left to right, each
// character in place, inside a right-to-left (Arabic) line.
var textFuncs = texttemplate.FuncMap{
	"ltr": func(s string) string { return "\u2066" + s + "\u2069" },
}

// bodyLine is how many lines precede a template's body: one when the
// template opens with a subject line.
func bodyLine(subject string) int {
	if subject != "" {
		return 1
	}
	return 0
}

// renderText renders a text template; skip is how many lines of the file
// precede src, for the line numbers of errors.
func renderText(name, src string, data templateData, skip int) (string, error) {
	t, err := texttemplate.New(name).Funcs(textFuncs).ParseFS(builtin, "templates/partials.txt.tmpl")
	if err == nil {
		t, err = t.New(name).Parse(src)
	}
	return execute(t, name, skip, data, err)
}

// renderHTML renders an HTML template; skip is as for renderText.
func renderHTML(name, src string, data templateData, skip int) (string, error) {
	t, err := htmltemplate.New(name).ParseFS(builtin, "templates/partials.html.tmpl")
	if err == nil {
		t, err = t.New(name).Parse(src)
	}
	return execute(t, name, skip, data, err)
}

// execute runs a parsed template; parseErr is the error of parsing it.
func execute(t interface {
	Execute(io.Writer, any) error
}, name string, skip int, data templateData, parseErr error) (string, error) {
	if parseErr != nil {
		return "", templateError(name, skip, parseErr)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return "", templateError(name, skip, err)
	}
	return buf.String(), nil
}
