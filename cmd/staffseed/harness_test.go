package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/px360/staffseed/internal/smtptest"
)

// buildStaffseed compiles the staffseed binary into a temporary directory
// and returns its path: the tests below run it as a separate process, to
// kill and interrupt it.
func buildStaffseed(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "staffseed")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// process runs staffseed as a child process against one database.
type process struct {
	t   *testing.T
	bin string
	db  string
	dir string
}

// command prepares staffseed with args, run in p.dir with the database's
// URL in the environment and colour off.
func (p *process) command(args ...string) *exec.Cmd {
	cmd := exec.Command(p.bin, args...)
	cmd.Dir = p.dir
	cmd.Env = append(os.Environ(), "DATABASE_URL="+p.db, "NO_COLOR=1")
	return cmd
}

// run runs staffseed to the end and returns its output and exit code.
func (p *process) run(args ...string) (stdout, stderr string, code int) {
	p.t.Helper()
	cmd := p.command(args...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			p.t.Fatalf("staffseed %s: %v", strings.Join(args, " "), err)
		}
	}
	return o.String(), e.String(), cmd.ProcessState.ExitCode()
}

// summary is the part of `plan --json` the tests compare.
type summary struct {
	Add, Change, Destroy, Accounts, Credentials int
	NoChanges                                   bool `json:"no_changes"`
}

// plan runs `plan --json` and returns its summary.
func (p *process) plan(specPath string) summary {
	p.t.Helper()
	out, errOut, code := p.run("plan", "-f", specPath, "--json")
	if code != 0 {
		p.t.Fatalf("plan exited %d:\n%s%s", code, out, errOut)
	}
	var doc struct{ Summary summary }
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		p.t.Fatalf("plan --json: %v\n%s", err, out)
	}
	return doc.Summary
}

// writeSpec writes a YAML spec sending credentials to the SMTP server and
// returns its path.
func writeSpec(t *testing.T, dir string, srv *smtptest.Server, body string) string {
	t.Helper()
	spec := body + fmt.Sprintf(`
email:
  send_credentials: true
  transport: smtp
  smtp: {host: 127.0.0.1, port: %d, security: none}
`, srv.Port)
	path := filepath.Join(dir, "spec.yaml")
	if err := os.WriteFile(path, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// query returns the integer a one-value query selects.
func queryInt(t *testing.T, url, sql string, args ...any) int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// invariants are what must hold between any two statements staffseed
// commits, whenever it is killed: each query counts violations.
var invariants = []struct{ what, sql string }{
	{"managed staff rows without a user", `SELECT count(*) FROM staff WHERE staffseed_key IS NOT NULL AND user_id IS NULL`},
	{"users shared by several staff rows", `SELECT count(*) FROM (SELECT user_id FROM staff WHERE user_id IS NOT NULL GROUP BY 1 HAVING count(*) > 1) d`},
	{"users no staff row points to", `SELECT count(*) FROM users u WHERE NOT EXISTS (SELECT 1 FROM staff s WHERE s.user_id = u.id)`},
	{"users without exactly one role grant (staff)", `SELECT count(*) FROM users u WHERE (SELECT count(*) FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id AND r.name = 'staff') <> 1
		OR (SELECT count(*) FROM user_roles ur WHERE ur.user_id = u.id) <> 1`},
	{"users without a credential state", `SELECT count(*) FROM users u WHERE NOT EXISTS (SELECT 1 FROM staffseed_credentials c WHERE c.user_id = u.id)`},
}

// checkInvariants fails the test for every invariant the database breaks.
func checkInvariants(t *testing.T, url string) {
	t.Helper()
	if queryInt(t, url, `SELECT count(*) FROM pg_tables WHERE tablename = 'staffseed_credentials'`) == 0 {
		return // killed before the migrations were committed
	}
	for _, inv := range invariants {
		if n := queryInt(t, url, inv.sql); n != 0 {
			t.Errorf("%d %s", n, inv.what)
		}
	}
}

// checkDelivered checks every delivered credential: the latest password
// emailed to its address verifies against the stored hash and no earlier
// one does. With all set, every user must have been delivered one. It
// returns how many delivered credentials it checked.
func checkDelivered(t *testing.T, url string, srv *smtptest.Server, all bool) int {
	t.Helper()
	emailed, err := emailedPasswords(srv.Messages())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT lower(u.email), u.password, coalesce(c.state, '') FROM users u
		LEFT JOIN staffseed_credentials c ON c.user_id = u.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	checked := 0
	for rows.Next() {
		var addr, hash, state string
		if err := rows.Scan(&addr, &hash, &state); err != nil {
			t.Fatal(err)
		}
		if state != "delivered" {
			if all {
				t.Errorf("%s: credential %q, want delivered", addr, state)
			}
			continue
		}
		pws := emailed[addr]
		if len(pws) == 0 {
			t.Errorf("%s: credential delivered but no email reached the server", addr)
			continue
		}
		if !djangoCheck(pws[len(pws)-1], hash) {
			t.Errorf("%s: the latest emailed password does not verify against the stored hash", addr)
		}
		for _, old := range pws[:len(pws)-1] {
			if old != pws[len(pws)-1] && djangoCheck(old, hash) {
				t.Errorf("%s: an older emailed password still verifies", addr)
			}
		}
		checked++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return checked
}
