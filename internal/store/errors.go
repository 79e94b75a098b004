package store

import (
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// LockTimeoutError says another staffseed run held the lock for longer than
// the caller was willing to wait.
type LockTimeoutError struct {
	Target string
	Waited time.Duration
	// Holder describes the session holding the lock, when it could be told.
	Holder string
}

func (e *LockTimeoutError) Error() string {
	if e.Holder != "" {
		return fmt.Sprintf("another staffseed run holds the lock on %s: %s; waited %s (raise --lock-timeout to wait longer)", e.Target, e.Holder, e.Waited)
	}
	return fmt.Sprintf("another staffseed run holds the lock on %s (waited %s)", e.Target, e.Waited)
}

// keyDetail matches the Detail of unique and foreign-key violations.
var keyDetail = regexp.MustCompile(`^Key \((.+?)\)=\((.*)\) (already exists|is not present in table "([^"]+)")\.?$`)

// dbError gives a failed statement its context. It names the table, the
// constraint and the offending key, but never the failing row (which may
// hold a password hash).
func dbError(what string, err error) error {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return fmt.Errorf("%s: %w", what, err)
	}
	text := fmt.Sprintf("%s (SQLSTATE %s)", pgErr.Message, pgErr.Code)
	if m := keyDetail.FindStringSubmatch(pgErr.Detail); m != nil {
		col := pgErr.TableName + "." + m[1]
		if m[4] != "" {
			text = fmt.Sprintf("%s %q does not exist in %s (constraint %s)", col, m[2], m[4], pgErr.ConstraintName)
		} else {
			text = fmt.Sprintf("%s %q already exists (constraint %s)", col, m[2], pgErr.ConstraintName)
		}
	} else if pgErr.ConstraintName != "" {
		text = fmt.Sprintf("%s violates constraint %s (SQLSTATE %s)", pgErr.TableName, pgErr.ConstraintName, pgErr.Code)
	}
	return fmt.Errorf("%s: %w", what, &safeError{pg: pgErr, text: text})
}

// safeError carries a PostgreSQL error (for errors.As and its Code) while
// printing only what dbError chose, never the error's Detail.
type safeError struct {
	pg   *pgconn.PgError
	text string
}

func (e *safeError) Error() string { return e.text }

func (e *safeError) Unwrap() error { return e.pg }
