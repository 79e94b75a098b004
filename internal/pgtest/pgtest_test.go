package pgtest_test

import (
	"context"
	"testing"

	"github.com/px360/staffseed/internal/pgtest"
)

func TestNewGivesAnEmptyDatabaseOfItsOwn(t *testing.T) {
	url := pgtest.New(t)
	pool := pgtest.Pool(t, url)
	var name string
	var tables int
	err := pool.QueryRow(context.Background(),
		`SELECT current_database(), (SELECT count(*) FROM pg_tables WHERE schemaname = 'public')`).Scan(&name, &tables)
	if err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Errorf("new database has %d tables", tables)
	}
	other := pgtest.New(t)
	if other == url {
		t.Errorf("two calls returned the same database %s", url)
	}
	t.Logf("database %s", name)
}
