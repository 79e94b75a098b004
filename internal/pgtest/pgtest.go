package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// EnvVar names the variable holding the URL of the test server.
const EnvVar = "STAFFSEED_TEST_DATABASE"

const howTo = "run `make test`, or `export " + EnvVar + "=$(scripts/pg.sh start .tmp/pg)` before go test"

// New creates a fresh, uniquely named database on the test server, drops it
// when the test ends, and returns its URL.
func New(t testing.TB) string {
	t.Helper()
	admin := os.Getenv(EnvVar)
	if admin == "" {
		unavailable(t, EnvVar+" is not set")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		unavailable(t, "cannot reach the test PostgreSQL: "+redact(err.Error(), admin))
	}
	defer conn.Close(context.Background())

	name := dbName(t.Name())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" TEMPLATE template0"); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
			return
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})

	u, err := url.Parse(admin)
	if err != nil || u.Scheme == "" {
		t.Fatalf("pgtest: %s must be a postgres:// URL", EnvVar)
	}
	u.Path = "/" + name
	return u.String()
}

// Pool opens a connection pool on url, closed when the test ends.
func Pool(t testing.TB, url string) *pgxpool.Pool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatalf("pgtest: open pool: %v", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		t.Fatalf("pgtest: ping: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// unavailable fails under CI and skips loudly elsewhere.
func unavailable(t testing.TB, why string) {
	t.Helper()
	msg := "PostgreSQL TESTS NOT RUN: " + why + "; " + howTo
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

var unsafe = regexp.MustCompile(`[^a-z0-9_]+`)

// dbName is a unique database name readable as the test's name.
func dbName(test string) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	s := strings.Trim(unsafe.ReplaceAllString(strings.ToLower(test), "_"), "_")
	if len(s) > 40 {
		s = s[:40]
	}
	return "staffseed_test_" + s + "_" + hex.EncodeToString(b)
}

// redact removes the password of admin from msg.
func redact(msg, admin string) string {
	if u, err := url.Parse(admin); err == nil {
		if p, ok := u.User.Password(); ok && p != "" {
			msg = strings.ReplaceAll(msg, p, "xxxxx")
		}
	}
	return msg
}
