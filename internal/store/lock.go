package store

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The advisory lock keys: one held by a whole run, one taken by each
// migration transaction.
var (
	runLockKey     = lockKey("staffseed")
	migrateLockKey = lockKey("staffseed migrate")
)

func lockKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return int64(h.Sum64())
}

// lockPoll is how often Lock retries while another run holds the lock.
const lockPoll = 100 * time.Millisecond

// Lock is LockAs with a plain "staffseed" as the holder.
func (db *DB) Lock(ctx context.Context, timeout time.Duration) (release func(), err error) {
	return db.LockAs(ctx, "staffseed", timeout)
}

// LockAs takes staffseed's session advisory lock on a connection of its
// own, waiting up to timeout for another run to release it; past that it
// returns a *LockTimeoutError naming the holder. holder (e.g. "staffseed
// apply by alice@ci-3") becomes the connection's application_name, which is
// how a waiting run learns who holds the lock. release gives the lock and
// the connection back; calling it again does nothing.
func (db *DB) LockAs(ctx context.Context, holder string, timeout time.Duration) (release func(), err error) {
	return db.LockWaiting(ctx, holder, timeout, nil)
}

// waitNotice is how long LockWaiting waits before it tells whoever waits.
const waitNotice = time.Second

// LockWaiting is LockAs; when the lock is still held by another run after
// about a second, it calls waiting once with a description of the holder.
// Cancelled while it waits, it returns an error saying nothing was done
// that wraps ctx's error.
func (db *DB) LockWaiting(ctx context.Context, holder string, timeout time.Duration, waiting func(holder string)) (release func(), err error) {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return nil, dbError("lock", err)
	}
	if _, err := conn.Exec(ctx, `SELECT set_config('application_name', $1, false)`, holder); err != nil {
		conn.Release()
		return nil, db.lostWhileWaiting(ctx, err)
	}
	start := time.Now()
	for {
		var got bool
		if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, runLockKey).Scan(&got); err != nil {
			conn.Release()
			return nil, db.lostWhileWaiting(ctx, err)
		}
		if got {
			break
		}
		waited := time.Since(start)
		if waiting != nil && waited >= waitNotice && waited < timeout {
			waiting(lockHolder(ctx, conn))
			waiting = nil
		}
		if waited >= timeout {
			holder := lockHolder(ctx, conn)
			conn.Release()
			return nil, &LockTimeoutError{Target: db.target, Waited: timeout, Holder: holder}
		}
		select {
		case <-ctx.Done():
			conn.Release()
			return nil, &lockInterrupted{ctx.Err()}
		case <-time.After(min(lockPoll, timeout-waited)):
		}
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			// A failed unlock leaves the lock on a broken connection; closing
			// the connection ends the session and with it the lock.
			bg := context.Background()
			if _, err := conn.Exec(bg, `SELECT pg_advisory_unlock($1), set_config('application_name', '', false)`, runLockKey); err != nil {
				_ = conn.Conn().Close(bg)
			}
			conn.Release()
		})
	}, nil
}

// lostWhileWaiting explains a failure of the lock connection.
func (db *DB) lostWhileWaiting(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return &lockInterrupted{ctx.Err()}
	}
	return fmt.Errorf("lost the connection to the database at %s while waiting for the staffseed lock: %s", db.target, cause(err))
}

// lockInterrupted is the error of a wait for the lock that was cancelled.
type lockInterrupted struct{ err error }

func (e *lockInterrupted) Error() string {
	return "interrupted while waiting for the staffseed lock; nothing was done"
}

func (e *lockInterrupted) Unwrap() error { return e.err }

// lockHolder describes the session holding the run lock: its
// application_name (which LockAs sets), user, client and since when.
func lockHolder(ctx context.Context, conn *pgxpool.Conn) string {
	var app, user, client string
	var since time.Time
	err := conn.QueryRow(ctx, `SELECT coalesce(a.application_name, ''), coalesce(a.usename::text, ''),
			coalesce(host(a.client_addr), 'local socket'), coalesce(a.backend_start, now())
		FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
		  AND l.classid = (($1::bigint >> 32) & 4294967295)::oid AND l.objid = ($1::bigint & 4294967295)::oid
		  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
		LIMIT 1`, runLockKey).Scan(&app, &user, &client, &since)
	if errors.Is(err, pgx.ErrNoRows) || err != nil {
		return ""
	}
	if app == "" {
		app = "a session"
	}
	return fmt.Sprintf("%s (database user %s from %s, connected since %s)", app, user, client, since.UTC().Format(time.RFC3339))
}
