package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/px360/staffseed/internal/pgtest"
	"github.com/px360/staffseed/internal/store"
)

const testSpec = `version: 1
seed: 3
hospitals:
  - code: ALMADINA
    name: Al Madina
staff:
  physicians: {count: 2}
  nurses: {count: 0}
  admin_staff: {count: 0}
accounts:
  create_users: true
  password: {iterations: 1000}
`

// run calls Main with the database and stdin given, on a terminal or not.
func run(t *testing.T, url, stdin string, terminal bool, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, Streams{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv:     func(k string) string { return map[string]string{"DATABASE_URL": url, "NO_COLOR": "1"}[k] },
		IsTerminal: func() bool { return terminal }})
	return code, out.String(), errb.String()
}

func writeSpec(t *testing.T, src string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "spec.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func staffCount(t *testing.T, url string) int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM staff WHERE to_regclass('staff') IS NOT NULL`).Scan(&n); err != nil {
		return -1 // no table
	}
	return n
}

func TestSavedPlanFromAnotherDatabase(t *testing.T) {
	a, b := pgtest.New(t), pgtest.New(t)
	spec := writeSpec(t, testSpec)
	planFile := filepath.Join(t.TempDir(), "plan.bin")
	if code, _, stderr := run(t, a, "", false, "plan", "-f", spec, "--out", planFile); code != 0 {
		t.Fatalf("plan: %d %s", code, stderr)
	}
	code, _, stderr := run(t, b, "", false, "apply", planFile)
	if code != 1 || !strings.Contains(stderr, "made against another database") {
		t.Fatalf("apply on another database: exit %d, %s", code, stderr)
	}
	if n := staffCount(t, b); n > 0 {
		t.Errorf("the other database got %d staff rows", n)
	}
}

func TestPromptAcceptsOnlyYes(t *testing.T) {
	url := pgtest.New(t)
	spec := writeSpec(t, testSpec)
	for _, answer := range []string{"no\n", "y\n", "YES please\n", ""} {
		code, stdout, stderr := run(t, url, answer, true, "apply", "-f", spec)
		if code != 1 || !strings.Contains(stderr, "apply cancelled; nothing was done") || !strings.Contains(stdout, "Only 'yes' will be accepted") {
			t.Fatalf("answer %q: exit %d\n%s\n%s", answer, code, stdout, stderr)
		}
		if n := staffCount(t, url); n > 0 {
			t.Fatalf("answer %q wrote %d staff rows", answer, n)
		}
	}
	if code, _, stderr := run(t, url, "yes\n", true, "apply", "-f", spec); code != 0 {
		t.Fatalf("answer yes: exit %d %s", code, stderr)
	}
	if n := staffCount(t, url); n != 2 {
		t.Fatalf("after yes: %d staff rows, want 2", n)
	}
	// A plan that deletes says so before the question.
	code, stdout, _ := run(t, url, "no\n", true, "destroy", "-f", spec)
	warn := strings.Index(stdout, "Warning: this plan DELETES 2 staff row(s) and DELETES 2 user account(s).")
	question := strings.Index(stdout, "Do you really want to destroy everything this spec manages?\n  staffseed will remove the staff and accounts above.")
	if code != 1 || warn < 0 || question < warn {
		t.Fatalf("destroy prompt: exit %d\n%s", code, stdout)
	}
	if n := staffCount(t, url); n != 2 {
		t.Fatalf("a refused destroy left %d staff rows, want 2", n)
	}
}

func TestLockTimeoutNamesTheHolder(t *testing.T) {
	url := pgtest.New(t)
	ctx := context.Background()
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	release, err := db.LockAs(ctx, "staffseed apply by alice@ci-7", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	spec := writeSpec(t, testSpec)
	code, _, stderr := run(t, url, "", false, "apply", "-f", spec, "--auto-approve", "--lock-timeout", "0s")
	if code != 1 || !strings.Contains(stderr, "staffseed apply by alice@ci-7") {
		t.Fatalf("apply while locked: exit %d %s", code, stderr)
	}
	code, _, stderr = run(t, url, "", false, "migrate", "--lock-timeout", "0s")
	if code != 1 || !strings.Contains(stderr, "holds the lock") {
		t.Fatalf("migrate while locked: exit %d %s", code, stderr)
	}
}
