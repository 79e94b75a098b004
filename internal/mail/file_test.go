package mail

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func TestFileWritesParsableEML(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	s, err := NewFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	if d := s.Describe(); d != "file "+dir {
		t.Errorf("Describe = %q", d)
	}
	msgs := batch(t, 3, LangArabic)
	msgs = append(msgs, msgs[0]) // the same recipient twice: a second file
	errs, err := sendAll(t, s, msgs)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range errs {
		if e != nil {
			t.Errorf("message %d: %v", i, e)
		}
	}
	st, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v, want 0700", st.Mode().Perm())
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(msgs) {
		t.Fatalf("%d files, want %d", len(entries), len(msgs))
	}
	var tos []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".eml") || !strings.Contains(e.Name(), "_at_almadina.sa") {
			t.Errorf("file name %q", e.Name())
		}
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", e.Name(), info.Mode().Perm())
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		p := parseEmail(t, data)
		if p.Subject != "حسابك في PX360" || p.To.Name != "فاطمة الحربي" {
			t.Errorf("%s: subject %q to %q", e.Name(), p.Subject, p.To.Name)
		}
		if !strings.Contains(p.Text, "-PLACEHOLDER") || !strings.Contains(p.HTML, `dir="rtl"`) {
			t.Errorf("%s: body lacks the password or the RTL HTML", e.Name())
		}
		tos = append(tos, p.To.Address)
	}
	sort.Strings(tos)
	want := []string{"user0@almadina.sa", "user0@almadina.sa", "user1@almadina.sa", "user2@almadina.sa"}
	if strings.Join(tos, ",") != strings.Join(want, ",") {
		t.Errorf("recipients %v, want %v", tos, want)
	}
}

func TestFileRefusesInjection(t *testing.T) {
	dir := t.TempDir()
	s, err := NewFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	msgs := batch(t, 1, LangEnglish)
	msgs[0].ToName = "A\nBcc: x@example.org"
	errs, _ := sendAll(t, s, msgs)
	if errs[0] == nil {
		t.Fatal("message with a line break in the name was written")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("%d files written", len(entries))
	}
}

func TestConsolePrintsMessages(t *testing.T) {
	var buf bytes.Buffer
	s := NewConsole(&buf)
	if s.Describe() != "console" {
		t.Errorf("Describe = %q", s.Describe())
	}
	msgs := batch(t, 2, LangBilingual)
	if err := s.Send(context.Background(), msgs, func(i int, err error) {
		if err != nil {
			t.Errorf("message %d: %v", i, err)
		}
	}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"From: " + testFrom,
		"To: Fatimah Alharbi <user0@almadina.sa>",
		"To: Fatimah Alharbi <user1@almadina.sa>",
		"Subject: Your PX360 account / حسابك في PX360",
		"Message-ID: <",
		"Password: Pw-0-PLACEHOLDER",
		"كلمة المرور: \u2066Pw-1-PLACEHOLDER\u2069",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("console output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "<html") {
		t.Error("console prints the HTML part")
	}
}
