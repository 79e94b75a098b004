package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// Run is one row of staffseed_runs, the audit trail of apply, destroy and
// migrate.
type Run struct {
	ID                    int64 // set when read back
	StartedAt, FinishedAt time.Time
	OSUser, Host          string
	Command               string
	SpecDigest, GitCommit string
	Added, Changed        int
	Destroyed             int
	Accounts, Credentials int
	Outcome               string // e.g. "success", "partial", "failed"
	Error                 string // must not hold a secret
}

// RecordRun appends run to staffseed_runs.
func (db *DB) RecordRun(ctx context.Context, run Run) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO staffseed_runs (started_at, finished_at, os_user, host, command,
		spec_digest, git_commit, added, changed, destroyed, accounts, credentials, outcome, error, duration_ms)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, NULLIF($14, ''), $15)`,
		run.StartedAt, run.FinishedAt, run.OSUser, run.Host, run.Command, run.SpecDigest, run.GitCommit,
		run.Added, run.Changed, run.Destroyed, run.Accounts, run.Credentials, run.Outcome, run.Error,
		run.FinishedAt.Sub(run.StartedAt).Milliseconds())
	if err != nil {
		return dbError("record run", err)
	}
	return nil
}

// Runs returns the latest limit runs of the audit trail, newest first
// (limit <= 0: all of them). A database without the table has none.
func (db *DB) Runs(ctx context.Context, limit int) ([]Run, error) {
	var exists bool
	if err := db.pool.QueryRow(ctx, `SELECT to_regclass('staffseed_runs') IS NOT NULL`).Scan(&exists); err != nil {
		return nil, dbError("read runs", err)
	}
	if !exists {
		return nil, nil
	}
	if limit <= 0 {
		limit = -1
	}
	rows, err := db.pool.Query(ctx, `SELECT id, coalesce(started_at, 'epoch'), coalesce(finished_at, started_at, 'epoch'),
		coalesce(os_user, ''), coalesce(host, ''), coalesce(command, ''), coalesce(spec_digest, ''),
		coalesce(git_commit, ''), coalesce(added, 0), coalesce(changed, 0), coalesce(destroyed, 0),
		coalesce(accounts, 0), coalesce(credentials, 0), coalesce(outcome, ''), coalesce(error, '')
		FROM staffseed_runs ORDER BY id DESC LIMIT NULLIF($1::bigint, -1)`, limit)
	if err != nil {
		return nil, dbError("read runs", err)
	}
	var out []Run
	var r Run
	_, err = pgx.ForEachRow(rows, []any{&r.ID, &r.StartedAt, &r.FinishedAt, &r.OSUser, &r.Host, &r.Command,
		&r.SpecDigest, &r.GitCommit, &r.Added, &r.Changed, &r.Destroyed, &r.Accounts, &r.Credentials,
		&r.Outcome, &r.Error}, func() error {
		out = append(out, r)
		return nil
	})
	return out, wrapIf("read runs", err)
}
