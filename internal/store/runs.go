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
	// AccountsChanged counts the accounts updated, deactivated or deleted
	// (kept from migration 0004 on; 0 before).
	AccountsChanged int
	Outcome         string // e.g. "success", "partial", "failed"
	Error           string // must not hold a secret
}

// Outcomes of a run besides the final ones.
const (
	// RunRunning is the outcome of a run under way, and of one killed
	// before it could record its end.
	RunRunning = "running"
	// RunRefused is the outcome of a run that refused to start.
	RunRefused = "refused"
)

// RecordRun appends a finished run to staffseed_runs.
func (db *DB) RecordRun(ctx context.Context, run Run) error {
	id, err := db.StartRun(ctx, run)
	if err != nil {
		return err
	}
	return db.FinishRun(ctx, id, run)
}

// StartRun appends run to staffseed_runs as running (whatever
// run.Outcome says) and returns its id for FinishRun. A run killed before
// FinishRun stays running in the trail.
func (db *DB) StartRun(ctx context.Context, run Run) (int64, error) {
	var id int64
	err := db.pool.QueryRow(ctx, `INSERT INTO staffseed_runs (started_at, os_user, host, command,
		spec_digest, git_commit, outcome) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		run.StartedAt, run.OSUser, run.Host, run.Command, run.SpecDigest, run.GitCommit, RunRunning).Scan(&id)
	if err != nil {
		return 0, dbError("record run", err)
	}
	return id, nil
}

// FinishRun records the end of the run with id: its counts, outcome and
// error.
func (db *DB) FinishRun(ctx context.Context, id int64, run Run) error {
	_, err := db.pool.Exec(ctx, `UPDATE staffseed_runs SET finished_at = $2, added = $3, changed = $4,
		destroyed = $5, accounts = $6, credentials = $7, outcome = $8, error = NULLIF($9, ''), duration_ms = $10
		WHERE id = $1`,
		id, run.FinishedAt, run.Added, run.Changed, run.Destroyed, run.Accounts, run.Credentials, run.Outcome,
		run.Error, run.FinishedAt.Sub(run.StartedAt).Milliseconds())
	if err != nil {
		return dbError("record run", err)
	}
	if run.AccountsChanged == 0 {
		return nil
	}
	has, err := db.hasRunColumn(ctx, "accounts_changed")
	if err != nil || !has {
		return err
	}
	_, err = db.pool.Exec(ctx, `UPDATE staffseed_runs SET accounts_changed = $2 WHERE id = $1`, id, run.AccountsChanged)
	return wrapIf("record run", err)
}

// RunProgress records the counts of the run with id so far, so that a run
// killed on the way shows what it did.
func (db *DB) RunProgress(ctx context.Context, id int64, run Run) error {
	_, err := db.pool.Exec(ctx, `UPDATE staffseed_runs SET added = $2, changed = $3, destroyed = $4, accounts = $5,
		credentials = $6 WHERE id = $1`, id, run.Added, run.Changed, run.Destroyed, run.Accounts, run.Credentials)
	return wrapIf("record run", err)
}

// RecordRefusal appends a run that refused to start, with outcome refused
// and its reason, if the database has an audit trail: a refusal does not
// create one.
func (db *DB) RecordRefusal(ctx context.Context, run Run, reason string) error {
	has, err := db.hasRuns(ctx)
	if err != nil || !has {
		return err
	}
	run.Outcome, run.Error = RunRefused, reason
	if run.FinishedAt.IsZero() {
		run.FinishedAt = time.Now()
	}
	return db.RecordRun(ctx, run)
}

// RunLockHeld reports whether some session holds the run lock now, that
// is whether a run marked running may really be under way.
func (db *DB) RunLockHeld(ctx context.Context) (bool, error) {
	var held bool
	err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'
		AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
		AND classid = (($1::bigint >> 32) & 4294967295)::oid AND objid = ($1::bigint & 4294967295)::oid AND objsubid = 1
		AND granted)`, runLockKey).Scan(&held)
	return held, wrapIf("read runs", err)
}

// hasRuns reports whether the database has the audit trail table.
func (db *DB) hasRuns(ctx context.Context) (bool, error) {
	var exists bool
	err := db.pool.QueryRow(ctx, `SELECT to_regclass('staffseed_runs') IS NOT NULL`).Scan(&exists)
	return exists, wrapIf("read runs", err)
}

// hasRunColumn reports whether staffseed_runs has the column (added by a
// later migration than the table).
func (db *DB) hasRunColumn(ctx context.Context, column string) (bool, error) {
	var exists bool
	err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_attribute
		WHERE attrelid = to_regclass('staffseed_runs') AND attname = $1 AND NOT attisdropped)`, column).Scan(&exists)
	return exists, wrapIf("read runs", err)
}

// Runs returns the latest limit runs of the audit trail, newest first
// (limit <= 0: all of them). A database without the table has none.
func (db *DB) Runs(ctx context.Context, limit int) ([]Run, error) {
	exists, err := db.hasRuns(ctx)
	if err != nil || !exists {
		return nil, err
	}
	if limit <= 0 {
		limit = -1
	}
	// to_jsonb reads accounts_changed whether or not migration 0004 added
	// it yet.
	rows, err := db.pool.Query(ctx, `SELECT id, coalesce(started_at, 'epoch'), coalesce(finished_at, started_at, 'epoch'),
		coalesce(os_user, ''), coalesce(host, ''), coalesce(command, ''), coalesce(spec_digest, ''),
		coalesce(git_commit, ''), coalesce(added, 0), coalesce(changed, 0), coalesce(destroyed, 0),
		coalesce(accounts, 0), coalesce((to_jsonb(r) ->> 'accounts_changed')::int, 0), coalesce(credentials, 0),
		coalesce(outcome, ''), coalesce(error, '')
		FROM staffseed_runs r ORDER BY id DESC LIMIT NULLIF($1::bigint, -1)`, limit)
	if err != nil {
		return nil, dbError("read runs", err)
	}
	var out []Run
	var r Run
	_, err = pgx.ForEachRow(rows, []any{&r.ID, &r.StartedAt, &r.FinishedAt, &r.OSUser, &r.Host, &r.Command,
		&r.SpecDigest, &r.GitCommit, &r.Added, &r.Changed, &r.Destroyed, &r.Accounts, &r.AccountsChanged,
		&r.Credentials, &r.Outcome, &r.Error}, func() error {
		out = append(out, r)
		return nil
	})
	return out, wrapIf("read runs", err)
}
