package mail

import (
	"context"
	"fmt"
	"io"
	"strings"

	gomail "github.com/wneessen/go-mail"
)

type consoleSender struct {
	w io.Writer
}

// NewConsole returns a Sender that prints each message's headers and text
// part to w, for local use. It prints the password: the output is the
// credential email itself.
func NewConsole(w io.Writer) Sender { return &consoleSender{w: w} }

func (c *consoleSender) Describe() string { return "console" }

func (c *consoleSender) Close() error { return nil }

func (c *consoleSender) Send(ctx context.Context, msgs []Message, done func(int, error)) error {
	return eachMessage(ctx, msgs, done, func(gm *gomail.Msg, m Message) (error, error) {
		to := m.To
		if m.ToName != "" {
			to = fmt.Sprintf("%s <%s>", m.ToName, m.To)
		}
		var b strings.Builder
		fmt.Fprintf(&b, "From: %s\nTo: %s\nSubject: %s\nMessage-ID: %s\n\n", m.From, to, m.Subject, gm.GetMessageID())
		b.WriteString(strings.TrimRight(m.Text, "\n"))
		b.WriteString("\n" + strings.Repeat("-", 72) + "\n")
		if _, err := io.WriteString(c.w, b.String()); err != nil {
			return nil, fmt.Errorf("console: %w", err)
		}
		return nil, nil
	})
}
