package mail

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func TestComposeGolden(t *testing.T) {
	for _, lang := range []string{LangEnglish, LangArabic, LangBilingual} {
		t.Run(lang, func(t *testing.T) {
			m := compose(t, testCredential(lang))
			got := "From: " + m.From + "\nTo: " + m.ToName + " <" + m.To + ">\nSubject: " + m.Subject +
				"\n\n===== text =====\n" + m.Text + "\n===== html =====\n" + m.HTML
			path := filepath.Join("testdata", "credentials."+lang+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from the rendering (run with -update to accept):\n%s", path, got)
			}
		})
	}
}

func TestComposeContent(t *testing.T) {
	c := testCredential(LangEnglish)
	for _, tc := range []struct {
		lang, subject, toName string
		text, html            []string
	}{
		{LangEnglish, "Your PX360 account", "Fatimah Alharbi",
			[]string{"Dear Fatimah Alharbi", "Al Madina General Hospital", "change your password"},
			[]string{`<html lang="en"`, "Al Madina General Hospital"}},
		{LangArabic, "حسابك في PX360", "فاطمة الحربي",
			[]string{"فاطمة الحربي", "مستشفى المدينة العام", "تغيير كلمة المرور"},
			[]string{`<html dir="rtl" lang="ar">`, "مستشفى المدينة العام"}},
		{LangBilingual, "Your PX360 account / حسابك في PX360", "Fatimah Alharbi",
			[]string{"Dear Fatimah", "فاطمة الحربي"},
			[]string{`<div dir="rtl" lang="ar"`, `<div lang="en" dir="ltr">`, "Al Madina General Hospital", "مستشفى المدينة العام"}},
	} {
		c.Language = tc.lang
		m := compose(t, c)
		if m.Subject != tc.subject || m.ToName != tc.toName || m.To != c.Email || m.From != testFrom {
			t.Errorf("%s: subject %q to %q <%s> from %q", tc.lang, m.Subject, m.ToName, m.To, m.From)
		}
		for _, want := range append(tc.text, c.Username, c.Password, c.LoginURL) {
			if !strings.Contains(m.Text, want) {
				t.Errorf("%s text lacks %q", tc.lang, want)
			}
		}
		for _, want := range append(tc.html, c.Username, c.Password, `href="`+c.LoginURL+`"`) {
			if !strings.Contains(m.HTML, want) {
				t.Errorf("%s HTML lacks %q", tc.lang, want)
			}
		}
	}
	c.Language = ""
	if m := compose(t, c); !strings.Contains(m.Subject, "حسابك") || !strings.Contains(m.Subject, "Your") {
		t.Errorf("default language: subject %q, want bilingual", m.Subject)
	}
}

func TestComposeEscapesHTML(t *testing.T) {
	c := testCredential(LangEnglish)
	c.HospitalName = `<script>alert(1)</script>`
	c.LoginURL = "javascript:alert(1)"
	m := compose(t, c)
	if strings.Contains(m.HTML, "<script>") || strings.Contains(m.HTML, `href="javascript:`) {
		t.Errorf("HTML not escaped:\n%s", m.HTML)
	}
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestComposeTemplateOverrides(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "credentials.en.txt"), "Subject: Welcome to {{.HospitalName}}\nGeneric {{.Username}} {{.Password}}\n")
	writeFile(t, filepath.Join(dir, "ALMADINA", "credentials.en.html"), "Subject: ignored, the text one wins\n<p>Madina {{.Subject}} {{.Password}}</p>\n")
	writeFile(t, filepath.Join(dir, "ALMADINA", "credentials.ar.txt"), "بيانات {{.Username}}\n{{template \"en.txt\" .}}\n")

	c := testCredential(LangEnglish)
	m, err := Compose(c, testFrom, dir)
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "Welcome to Al Madina General Hospital" {
		t.Errorf("subject = %q", m.Subject)
	}
	if m.Text != "Generic fatimah.alharbi PLACEHOLDER-Pw1!\n" {
		t.Errorf("text = %q, want the directory-wide override", m.Text)
	}
	if m.HTML != "<p>Madina Welcome to Al Madina General Hospital PLACEHOLDER-Pw1!</p>\n" {
		t.Errorf("HTML = %q, want the hospital override", m.HTML)
	}

	// Another hospital gets the directory-wide text and the built-in HTML.
	c.HospitalCode = "OTHER"
	if m, err = Compose(c, testFrom, dir); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(m.Text, "Generic") || !strings.Contains(m.HTML, "Dear Fatimah") {
		t.Errorf("OTHER: text %q HTML %q", m.Text, m.HTML)
	}

	// Arabic: hospital text override using a built-in partial, no subject
	// line anywhere → the default Arabic subject.
	c.HospitalCode, c.Language = "ALMADINA", LangArabic
	if m, err = Compose(c, testFrom, dir); err != nil {
		t.Fatal(err)
	}
	if m.Subject != "حسابك في PX360" || !strings.HasPrefix(m.Text, "بيانات fatimah.alharbi\nDear Fatimah") {
		t.Errorf("ar override: subject %q text %q", m.Subject, m.Text)
	}
	if !strings.Contains(m.HTML, `dir="rtl"`) {
		t.Errorf("ar HTML falls back to the built-in one: %q", m.HTML)
	}
}

func TestComposeErrors(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "credentials.en.txt"), "{{.Nope}}\n")
	writeFile(t, filepath.Join(dir, "credentials.ar.txt"), "{{if}}\n")
	for name, tc := range map[string]struct {
		mutate func(*Credential)
		dir    string
		want   string
	}{
		"language":           {func(c *Credential) { c.Language = "fr" }, "", "unknown email language"},
		"code traversal":     {func(c *Credential) { c.HospitalCode = "../etc" }, dir, "cannot name a template directory"},
		"bad address":        {func(c *Credential) { c.Email = "not an address" }, "", "To address"},
		"non-ASCII":          {func(c *Credential) { c.Email = "فاطمة@almadina.sa" }, "", "not ASCII"},
		"name injection":     {func(c *Credential) { c.FirstName = "Eve\r\nBcc: victim@example.org" }, "", "line break"},
		"line break in body": {func(c *Credential) { c.HospitalName = "Al Madina\nGeneral" }, "", ""},
		"missing field":      {func(c *Credential) {}, dir, "credentials.en.txt:1:3: unknown field .Nope (the fields are .HospitalCode,"},
		"parse error":        {func(c *Credential) { c.Language = LangArabic }, dir, "credentials.ar.txt:1: missing value for if"},
	} {
		t.Run(name, func(t *testing.T) {
			c := testCredential(LangEnglish)
			tc.mutate(&c)
			_, err := Compose(c, testFrom, tc.dir)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), c.Password) {
				t.Errorf("error reveals the password: %v", err)
			}
		})
	}
}

func TestSubjectInjectionRefused(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "credentials.en.txt"), "Subject: Account at {{.HospitalName}}\nbody\n")
	c := testCredential(LangEnglish)
	c.HospitalName = "X\r\nBcc: victim@example.org"
	_, err := Compose(c, testFrom, dir)
	if err == nil || !strings.Contains(err.Error(), "Subject header contains a line break") {
		t.Fatalf("err = %v, want the subject refused", err)
	}
}

func TestValidate(t *testing.T) {
	ok := Message{From: testFrom, To: "a@example.org", ToName: "فاطمة", Subject: "حسابك"}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid message: %v", err)
	}
	for name, m := range map[string]Message{
		"From CR":       {From: "a@example.org\rBcc: x@example.org", To: "a@example.org"},
		"To LF":         {From: testFrom, To: "a@example.org\nBcc: x@example.org"},
		"ToName CRLF":   {From: testFrom, To: "a@example.org", ToName: "A\r\nBcc: x@example.org"},
		"Subject LF":    {From: testFrom, To: "a@example.org", Subject: "Hi\nBcc: x@example.org"},
		"To with name":  {From: testFrom, To: "A <a@example.org>"},
		"To list":       {From: testFrom, To: "a@example.org, b@example.org"},
		"From missing":  {To: "a@example.org"},
		"From bad":      {From: "nobody", To: "a@example.org"},
		"From non-ASCI": {From: "ف@example.org", To: "a@example.org"},
	} {
		if err := m.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestTemplateErrorPlace checks that template errors count lines from the
// top of the file, subject line included, name the file once and speak of
// the template's fields rather than Go types.
func TestTemplateErrorPlace(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "credentials.en.txt"), "Subject: Hello\nDear {{.FirstName}},\n\nYour name is {{.Foo}}\n{{.Username}} {{.Password}}\n")
	file := filepath.Join(dir, "credentials.en.txt")
	want := file + ":4:16: unknown field .Foo (the fields are "
	_, err := Compose(testCredential(LangEnglish), testFrom, dir)
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("Compose: err = %v, want %q", err, want)
	}
	if strings.Count(err.Error(), "credentials.en.txt") != 1 || strings.Contains(err.Error(), "templateData") {
		t.Errorf("Compose: err = %v", err)
	}
	err = CheckTemplates(dir, []string{""}, []string{LangEnglish})
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("CheckTemplates: err = %v, want %q", err, want)
	}
	writeFile(t, filepath.Join(dir, "credentials.en.txt"), "Subject: Hello\n{{.Username}}\n{{if}}\n")
	_, err = Compose(testCredential(LangEnglish), testFrom, dir)
	if err == nil || !strings.HasPrefix(err.Error(), file+":3: ") {
		t.Fatalf("parse: err = %v, want line 3", err)
	}
	nope := filepath.Join(dir, "nope")
	for _, codes := range [][]string{nil, {"X"}} {
		err = CheckTemplates(nope, codes, nil)
		if err == nil || err.Error() != "email.templates: folder "+nope+" does not exist" {
			t.Errorf("missing folder: err = %v", err)
		}
	}
}

// TestArabicTextIsolatesCredentials checks that the Arabic text part puts
// the username, password and URL between directional isolates, so that
// they read left to right inside right-to-left lines, and that the English
// part does not.
func TestArabicTextIsolatesCredentials(t *testing.T) {
	for _, lang := range []string{LangArabic, LangBilingual} {
		c := testCredential(lang)
		m, err := Compose(c, testFrom, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []string{c.Username, c.Password, c.LoginURL} {
			if !strings.Contains(m.Text, "\u2066"+v+"\u2069") {
				t.Errorf("%s: %q is not isolated in:\n%s", lang, v, m.Text)
			}
		}
		if strings.Count(m.Text, "\u2066") != 3 || strings.Count(m.Text, "\u2069") != 3 {
			t.Errorf("%s: want exactly three isolates:\n%s", lang, m.Text)
		}
	}
	m, err := Compose(testCredential(LangEnglish), testFrom, "")
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(m.Text, "\u2066\u2069") {
		t.Errorf("en: isolates in %q", m.Text)
	}
}
