package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/px360/staffseed/internal/store"
)

func TestLockTimeoutNamesHolder(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	release, err := db.LockAs(ctx, "staffseed apply by alice@ci-3", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	other, err := store.Open(ctx, db.Pool().Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	_, err = other.LockAs(ctx, "staffseed apply by bob@laptop", 0)
	var timeout *store.LockTimeoutError
	if !errors.As(err, &timeout) {
		t.Fatalf("second lock: %v, want *LockTimeoutError", err)
	}
	if !strings.Contains(err.Error(), "staffseed apply by alice@ci-3") {
		t.Errorf("lock error %q does not name the holder", err)
	}
}

// A run waiting for the lock hears, once, who holds it; cancelled while it
// waits, it says that nothing was done.
func TestLockWaitingNamesHolderAndInterrupt(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	release, err := db.LockAs(ctx, "staffseed apply by alice@ci-3", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	other, err := store.Open(ctx, db.Pool().Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()

	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var told []string
	_, err = other.LockWaiting(cctx, "staffseed apply by bob@laptop", time.Hour, func(holder string) {
		told = append(told, holder)
		cancel()
	})
	if len(told) != 1 || !strings.Contains(told[0], "staffseed apply by alice@ci-3") {
		t.Errorf("waiting was told %q, want the holder once", told)
	}
	if err == nil || err.Error() != "interrupted while waiting for the staffseed lock; nothing was done" || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled wait: %v", err)
	}

	// Released while it waits, the waiter gets the lock.
	told = nil
	rel, err := other.LockWaiting(ctx, "staffseed apply by bob@laptop", time.Hour, func(holder string) {
		told = append(told, holder)
		release()
	})
	if err != nil {
		t.Fatal(err)
	}
	rel()
	if len(told) != 1 {
		t.Errorf("waiting was called %d times, want 1", len(told))
	}
}

func TestLockLostConnection(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	release, err := db.Lock(ctx, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	other, err := store.Open(ctx, db.Pool().Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	done := make(chan error, 1)
	go func() {
		_, err := other.LockAs(ctx, "staffseed waiter", time.Hour)
		done <- err
	}()
	// Cut the waiter's connection once it is waiting.
	for {
		var n int
		if err := db.Pool().QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
			WHERE application_name = 'staffseed waiter'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	err = <-done
	if err == nil || !strings.Contains(err.Error(), "lost the connection to the database") || !strings.Contains(err.Error(), "waiting for the staffseed lock") {
		t.Fatalf("waiter after its connection was cut: %v", err)
	}
}

func TestRuns(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	if runs, err := db.Runs(ctx, 0); err != nil || len(runs) != 0 {
		t.Fatalf("runs before migrating: %v %v", runs, err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	for i, cmd := range []string{"migrate", "apply", "destroy"} {
		run := store.Run{StartedAt: start.Add(time.Duration(i) * time.Hour), FinishedAt: start.Add(time.Duration(i)*time.Hour + time.Second),
			OSUser: "ops", Host: "box", Command: cmd, SpecDigest: "d" + cmd, GitCommit: "c0ffee", Added: i, Outcome: "success"}
		if cmd == "destroy" {
			run.Outcome, run.Error = "failed", "boom"
		}
		if err := db.RecordRun(ctx, run); err != nil {
			t.Fatal(err)
		}
	}
	runs, err := db.Runs(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || runs[0].Command != "destroy" || runs[1].Command != "apply" {
		t.Fatalf("latest two runs: %+v", runs)
	}
	r := runs[0]
	if r.Outcome != "failed" || r.Error != "boom" || r.OSUser != "ops" || r.Host != "box" || r.GitCommit != "c0ffee" ||
		r.Added != 2 || r.FinishedAt.Sub(r.StartedAt) != time.Second || r.ID == 0 {
		t.Errorf("run read back: %+v", r)
	}
	if all, _ := db.Runs(ctx, 0); len(all) != 3 {
		t.Errorf("all runs: %d, want 3", len(all))
	}
}

func TestSummaryChanges(t *testing.T) {
	db := migrated(t)
	exec(t, db, `INSERT INTO hospitals (code, name, name_ar) VALUES ('A', 'A', 'A'), ('B', 'B', 'B')`)
	exec(t, db, `INSERT INTO staff (hospital_id, staff_type, employee_id, first_name, last_name, first_name_ar, last_name_ar, gender)
		SELECT id, 'nurse', 'E' || code, 'F', 'L', 'F', 'L', 'female' FROM hospitals`)
	scope := []string{"A", "B"}
	was := store.Summarize(inspect(t, db, scope), scope)
	if got := was.Changes(store.Summarize(inspect(t, db, scope), scope)); len(got) != 0 {
		t.Fatalf("no change reads as %q", got)
	}
	exec(t, db, `INSERT INTO staff (hospital_id, staff_type, employee_id, first_name, last_name, first_name_ar, last_name_ar, gender)
		SELECT id, 'nurse', 'X' || code, 'F', 'L', 'F', 'L', 'female' FROM hospitals WHERE code = 'A'`)
	exec(t, db, `UPDATE staff SET first_name = 'G' WHERE employee_id = 'EB'`)
	got := strings.Join(was.Changes(store.Summarize(inspect(t, db, scope), scope)), "\n")
	want := "hospital.A: 1 → 2 staff rows (+1), 0 user accounts, 0 departments\nhospital.B: 1 staff rows, 0 user accounts, 0 departments; rows were edited"
	if got != want {
		t.Errorf("changes:\n%s\nwant:\n%s", got, want)
	}
}

func TestIdentity(t *testing.T) {
	ctx := context.Background()
	a, b := open(t), open(t)
	ida, err := a.Identity(ctx)
	if err != nil {
		t.Fatal(err)
	}
	idb, _ := b.Identity(ctx)
	again, _ := a.Identity(ctx)
	if ida == idb || ida != again || !strings.Contains(ida, "/staffseed_test_") {
		t.Errorf("identities %q %q %q", ida, idb, again)
	}
}
