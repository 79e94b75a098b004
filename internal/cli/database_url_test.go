package cli

import (
	"strings"
	"testing"
)

// A URL of another database is named as such, and where it came from,
// without the password it holds.
func TestDatabaseURLOfAnotherDatabase(t *testing.T) {
	code, _, stderr := run(t, "", "", false, "history", "--database", "mysql://root:s3cretpw@localhost/px360")
	if code != 1 || !strings.Contains(stderr, "--database: not a PostgreSQL URL (postgres://…)") {
		t.Fatalf("--database mysql://: exit %d %s", code, stderr)
	}
	code, _, stderr = run(t, "mysql://root:s3cretpw@localhost/px360", "", false, "history")
	if code != 1 || !strings.Contains(stderr, "DATABASE_URL: not a PostgreSQL URL") {
		t.Fatalf("DATABASE_URL mysql://: exit %d %s", code, stderr)
	}
	if strings.Contains(stderr, "s3cretpw") {
		t.Fatalf("the password reached the error: %s", stderr)
	}
}
