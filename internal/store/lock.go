package store

import (
	"context"
	"hash/fnv"
	"sync"
	"time"
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

// Lock takes staffseed's session advisory lock on a connection of its own,
// waiting up to timeout for another run to release it; past that it returns
// a *LockTimeoutError. release gives the lock and the connection back; calling it again does nothing.
func (db *DB) Lock(ctx context.Context, timeout time.Duration) (release func(), err error) {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return nil, dbError("lock", err)
	}
	start := time.Now()
	for {
		var got bool
		if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, runLockKey).Scan(&got); err != nil {
			conn.Release()
			return nil, dbError("lock", err)
		}
		if got {
			break
		}
		waited := time.Since(start)
		if waited >= timeout {
			conn.Release()
			return nil, &LockTimeoutError{Target: db.target, Waited: timeout}
		}
		select {
		case <-ctx.Done():
			conn.Release()
			return nil, ctx.Err()
		case <-time.After(min(lockPoll, timeout-waited)):
		}
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			// A failed unlock leaves the lock on a broken connection; closing
			// the connection ends the session and with it the lock.
			if _, err := conn.Exec(context.Background(), `SELECT pg_advisory_unlock($1)`, runLockKey); err != nil {
				_ = conn.Conn().Close(context.Background())
			}
			conn.Release()
		})
	}, nil
}
