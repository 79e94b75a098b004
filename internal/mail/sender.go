package mail

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/mail"
	"strings"

	gomail "github.com/wneessen/go-mail"
)

// Sender delivers messages.
type Sender interface {
	// Send delivers msgs in order over as few connections as possible and
	// calls done(i, err) exactly once for each message as soon as its fate
	// is known (err nil: accepted by the server, or written). A message
	// that cannot be built or is refused does not stop the others. When
	// ctx is cancelled, Send stops after the current message and reports
	// ctx's error for the rest. The returned error is non-nil when the
	// batch could not go on (no connection, cancelled); its messages have
	// had their done call.
	Send(ctx context.Context, msgs []Message, done func(i int, err error)) error
	// Close releases the transport's connection, if any.
	Close() error
	// Describe names the transport for people, never with a secret, e.g.
	// "smtp://smtp.example.org:587 (starttls)".
	Describe() string
}

// buildMsg turns m into an RFC 5322 message: Date, Message-ID, From, To
// and Subject (RFC 2047 encoded when not ASCII), and a UTF-8
// multipart/alternative body with the text and HTML parts.
func buildMsg(m Message) (*gomail.Msg, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	from, err := mail.ParseAddress(m.From)
	if err != nil {
		return nil, err
	}
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent(), gomail.WithCharset(gomail.CharsetUTF8))
	msg.FromMailAddress(from)
	msg.ToMailAddress(&mail.Address{Name: m.ToName, Address: m.To})
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageIDWithValue(messageID(from.Address))
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

// messageID is a random local part at the sender's domain.
func messageID(from string) string {
	b := make([]byte, 16)
	rand.Read(b)
	domain := "staffseed.invalid"
	if _, d, ok := strings.Cut(from, "@"); ok && d != "" {
		domain = d
	}
	return hex.EncodeToString(b) + "@" + domain
}

// eachMessage builds every message in turn and hands it to deliver,
// reporting each fate through done. It stops, reporting stop's error for
// the messages left, when ctx is cancelled or deliver returns a non-nil
// stop error.
func eachMessage(ctx context.Context, msgs []Message, done func(int, error),
	deliver func(*gomail.Msg, Message) (err, stop error)) error {
	for i, m := range msgs {
		if err := ctx.Err(); err != nil {
			return failRest(msgs, i, done, err)
		}
		gm, err := buildMsg(m)
		if err != nil {
			done(i, err)
			continue
		}
		err, stop := deliver(gm, m)
		if stop != nil {
			return failRest(msgs, i, done, stop)
		}
		done(i, err)
	}
	return nil
}

func failRest(msgs []Message, from int, done func(int, error), err error) error {
	for j := from; j < len(msgs); j++ {
		done(j, err)
	}
	return err
}
