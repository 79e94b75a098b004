package store_test

import (
	"context"
	"testing"

	"github.com/px360/staffseed/internal/pgtest"
	"github.com/px360/staffseed/internal/store"
)

// open connects to a fresh database, closed when the test ends.
func open(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), pgtest.New(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db
}

// migrated is a fresh database with every migration applied.
func migrated(t testing.TB) *store.DB {
	t.Helper()
	db := open(t)
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

func exec(t testing.TB, db *store.DB, sql string, args ...any) {
	t.Helper()
	if _, err := db.Pool().Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func inspect(t testing.TB, db *store.DB, hospitals []string) *store.State {
	t.Helper()
	st, err := db.Inspect(context.Background(), hospitals)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func inTx(t testing.TB, db *store.DB, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := db.InTx(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func ptr[T any](v T) *T { return &v }
