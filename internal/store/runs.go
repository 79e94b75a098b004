package store

import (
	"context"
	"time"
)

// Run is one row of staffseed_runs, the audit trail of apply, destroy and
// migrate.
type Run struct {
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
