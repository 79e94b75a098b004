package store

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// connectTimeout bounds connecting and the first ping.
const connectTimeout = 10 * time.Second

// DB is a staffseed connection to one PostgreSQL database.
type DB struct {
	pool   *pgxpool.Pool
	target string
}

// Open connects to the database named by url, a PostgreSQL URL or keyword
// string; "" means the libpq PG* environment variables. The error is one
// line naming the host, port and database, never the password.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("invalid database URL: %s", redact(cause(err), url))
	}
	cc := cfg.ConnConfig
	if cc.ConnectTimeout == 0 || cc.ConnectTimeout > connectTimeout {
		cc.ConnectTimeout = connectTimeout
	}
	target := net.JoinHostPort(cc.Host, strconv.Itoa(int(cc.Port)))
	fail := func(err error) error {
		return fmt.Errorf("cannot connect to PostgreSQL at %s (database %q): %s",
			target, cc.Database, redact(cause(err), url, cc.Password))
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fail(err)
	}
	pctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, fail(err)
	}
	return &DB{pool: pool, target: target + "/" + cc.Database}, nil
}

// Close closes every connection.
func (db *DB) Close() { db.pool.Close() }

// Target is "host:port/dbname", without credentials.
func (db *DB) Target() string { return db.target }

// Pool is the underlying connection pool.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// cause is the most telling part of a connection error: the server's
// message, or the innermost network error, without pgx's preamble (which
// repeats the user and database).
func cause(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Message
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return "timed out"
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return "timed out"
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return dnsErr.Error()
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		err = opErr.Err
	}
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return firstLine(err.Error())
		}
		err = next
	}
}

// redact removes every password from msg: the given ones and the one of a
// URL-shaped connection string.
func redact(msg string, connString string, passwords ...string) string {
	if u, err := url.Parse(connString); err == nil && u.User != nil {
		if p, ok := u.User.Password(); ok {
			passwords = append(passwords, p, url.QueryEscape(p), url.PathEscape(p))
		}
	}
	for _, p := range passwords {
		if p != "" {
			msg = strings.ReplaceAll(msg, p, "xxxxx")
		}
	}
	return msg
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
