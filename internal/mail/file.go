package mail

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

type fileSender struct {
	dir string
}

// NewFile returns a Sender that writes each message as an RFC 5322 .eml
// file (mode 0600) into dir, created with mode 0700 if missing. File names
// are a UTC timestamp and the sanitised recipient.
func NewFile(dir string) (Sender, error) {
	if dir == "" {
		return nil, errors.New("mail file transport: directory is not set")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("mail file transport: %w", err)
	}
	return &fileSender{dir: dir}, nil
}

func (f *fileSender) Describe() string { return "file " + f.dir }

func (f *fileSender) Close() error { return nil }

func (f *fileSender) Send(ctx context.Context, msgs []Message, done func(int, error)) error {
	return eachMessage(ctx, msgs, done, func(gm *gomail.Msg, m Message) (error, error) {
		return f.write(gm, m), nil
	})
}

// write creates a new file for the message, never overwriting one.
func (f *fileSender) write(gm *gomail.Msg, m Message) error {
	base := time.Now().UTC().Format("20060102T150405.000000000Z") + "-" + sanitise(m.To)
	for n := 0; ; n++ {
		name := base + ".eml"
		if n > 0 {
			name = fmt.Sprintf("%s-%d.eml", base, n)
		}
		path := filepath.Join(f.dir, name)
		file, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("write %s: %w", m.To, err)
		}
		_, err = gm.WriteTo(file)
		if cerr := file.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
			return fmt.Errorf("write %s: %w", path, err)
		}
		return nil
	}
}

// sanitise keeps letters, digits, '.', '-' and '_' of an address and
// writes '@' as "_at_".
func sanitise(addr string) string {
	addr = strings.ReplaceAll(addr, "@", "_at_")
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			return r
		}
		return '_'
	}, addr)
}
