// Package mail composes credential emails and delivers them. Compose turns a
// Credential into a Message from built-in or per-hospital templates (English,
// Arabic or both, each as plain text and HTML); a Sender delivers messages
// over SMTP, into a directory of .eml files, or to a terminal. Every message
// is built as RFC 5322 with github.com/wneessen/go-mail. The plain password
// appears only in the body of the message it is meant for: never in a
// header, an error or a transport's description.
package mail
