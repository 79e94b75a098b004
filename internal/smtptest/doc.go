// Package smtptest runs a real SMTP server (github.com/emersion/go-smtp) on
// the loopback interface for tests. It records every accepted message with
// its envelope and the connection it came on, and can be told to require
// AUTH, speak STARTTLS or implicit TLS, refuse some or all recipients, or
// drop connections after a number of messages, so that mail transports are
// tested against the protocol rather than a mock.
package smtptest
