package store_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/px360/staffseed/internal/pgtest"
	"github.com/px360/staffseed/internal/store"
)

// closedPort is a local port nothing listens on.
func closedPort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestOpenErrorNamesTargetNotPassword(t *testing.T) {
	addr := closedPort(t)
	const secret = "s3cr3t-Pa55"
	_, err := store.Open(context.Background(), "postgres://px360:"+secret+"@"+addr+"/px360?sslmode=disable")
	if err == nil {
		t.Fatal("Open on a closed port succeeded")
	}
	msg := err.Error()
	want := "cannot connect to PostgreSQL at " + addr + ` (database "px360"): connection refused`
	if msg != want {
		t.Errorf("error %q, want %q", msg, want)
	}
	if strings.Contains(msg, secret) || strings.Contains(msg, "\n") {
		t.Errorf("error leaks the password or spans lines: %q", msg)
	}
}

func TestOpenServerErrorDoesNotLeakPassword(t *testing.T) {
	url := pgtest.New(t)
	// The test server trusts every login, so the server error here is an
	// unknown database; the password in the URL must not show.
	const secret = "wr0ng-Pa55"
	bad := strings.Replace(url, "postgres@", "postgres:"+secret+"@", 1)
	bad = bad[:strings.LastIndex(bad, "/")] + "/no_such_db?sslmode=disable"
	_, err := store.Open(context.Background(), bad)
	if err == nil {
		t.Fatal("Open of a missing database succeeded")
	}
	if strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), `(database "no_such_db"): `) ||
		!strings.Contains(err.Error(), "does not exist") {
		t.Errorf("error: %q", err)
	}
}

func TestOpenTarget(t *testing.T) {
	db := open(t)
	target := db.Target()
	if !strings.HasPrefix(target, "127.0.0.1:") || !strings.Contains(target, "/staffseed_test_") || strings.Contains(target, "@") {
		t.Errorf("target %q", target)
	}
}

func TestLock(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	release, err := db.Lock(ctx, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	// Another connection pool, as another staffseed process would have.
	other, err := store.Open(ctx, db.Pool().Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	_, err = other.Lock(ctx, 200*time.Millisecond)
	var timeout *store.LockTimeoutError
	if !errors.As(err, &timeout) {
		t.Fatalf("second Lock while the first is held: %v, want *LockTimeoutError", err)
	}
	if !strings.Contains(err.Error(), db.Target()) {
		t.Errorf("lock error %q does not name %s", err, db.Target())
	}
	release()
	release() // harmless
	release2, err := other.Lock(ctx, time.Second)
	if err != nil {
		t.Fatalf("Lock after release: %v", err)
	}
	release2()
}
