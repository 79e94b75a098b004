package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/px360/staffseed/internal/pgtest"
	"github.com/px360/staffseed/internal/smtptest"
)

// slowSpec is crashSpec with costlier hashing, so that apply is still
// running when the database goes away after its first batch.
var slowSpec = strings.Replace(crashSpec, "iterations: 1000", "iterations: 10000", 1)

// connectionLost matches the one-line error apply gives when the database
// connection is gone.
var connectionLost = regexp.MustCompile(`(?i)Error: .*(terminating connection|shutting down|connection|connect|closed|EOF)`)

// TestConnectionsTerminated kills staffseed's database connections with
// pg_terminate_backend once its first batch is in: apply stops with a clear
// error, nothing half-written stays behind, and the next apply completes.
func TestConnectionsTerminated(t *testing.T) {
	url := pgtest.New(t)
	srv := smtptest.Start(t, smtptest.Options{})
	dir := t.TempDir()
	p := &process{t: t, bin: buildStaffseed(t), db: url, dir: dir}
	specPath := writeSpec(t, dir, srv, slowSpec)
	errOut, code := applyUntil(t, p, specPath, func() {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid()`); err != nil {
			t.Fatal(err)
		}
	})
	checkFault(t, p, url, srv, specPath, errOut, code)
}

// TestDatabaseRestarted stops PostgreSQL (a server of the test's own) once
// apply's first batch is in and starts it again after apply gave up: a
// clear error, then the next apply completes.
func TestDatabaseRestarted(t *testing.T) {
	if os.Getenv(pgtest.EnvVar) == "" {
		t.Skip("needs PostgreSQL binaries; runs with the other database tests")
	}
	pgsh, err := filepath.Abs("../../scripts/pg.sh")
	if err != nil {
		t.Fatal(err)
	}
	pgDir := t.TempDir()
	// pg runs pg.sh; start is tried again when another server took the
	// free port pg.sh chose before this one could bind it.
	pg := func(cmd string) string {
		for attempt := 1; ; attempt++ {
			var errOut bytes.Buffer
			c := exec.Command(pgsh, cmd, pgDir)
			c.Stderr = &errOut
			out, err := c.Output()
			if err == nil {
				return strings.TrimSpace(string(out))
			}
			if cmd != "start" || attempt == 3 {
				log, _ := os.ReadFile(filepath.Join(pgDir, "log"))
				t.Fatalf("pg.sh %s: %v\n%s\n%s", cmd, err, errOut.String(), log)
			}
		}
	}
	url := pg("start")
	t.Cleanup(func() { pg("stop") })

	srv := smtptest.Start(t, smtptest.Options{})
	dir := t.TempDir()
	p := &process{t: t, bin: buildStaffseed(t), db: url, dir: dir}
	specPath := writeSpec(t, dir, srv, slowSpec)
	errOut, code := applyUntil(t, p, specPath, func() { pg("stop") })
	p.db = pg("start")
	checkFault(t, p, p.db, srv, specPath, errOut, code)
}

// applyUntil starts apply in batches of 20, calls fault once the first
// user is reported created, and returns apply's stderr and exit code.
func applyUntil(t *testing.T, p *process, specPath string, fault func()) (string, int) {
	t.Helper()
	cmd := p.command("apply", "-f", specPath, "--auto-approve", "--batch-size", "20")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errBuf bytes.Buffer
	cmd.Stderr = &errBuf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	faulted := false
	for sc.Scan() {
		if !faulted && strings.HasPrefix(sc.Text(), "✓ Created user:") {
			fault()
			faulted = true
		}
	}
	_ = cmd.Wait()
	if !faulted {
		t.Fatalf("apply created no user:\n%s", errBuf.String())
	}
	return errBuf.String(), cmd.ProcessState.ExitCode()
}

// checkFault checks what apply said when the database went away, then
// that the next apply completes the job.
func checkFault(t *testing.T, p *process, url string, srv *smtptest.Server, specPath, errOut string, code int) {
	t.Helper()
	t.Logf("apply exited %d: %s", code, errOut)
	if code != 1 {
		t.Fatalf("apply exited %d with the database gone, want 1:\n%s", code, errOut)
	}
	if !connectionLost.MatchString(errOut) || strings.Contains(errOut, "panic") {
		t.Errorf("apply's error does not say the database connection was lost:\n%s", errOut)
	}
	if strings.Count(strings.TrimSpace(errOut), "\n") > 12 {
		t.Errorf("apply's error is not short:\n%s", errOut)
	}
	checkInvariants(t, url)
	checkDelivered(t, url, srv, false)
	finishApply(t, p, url, srv, specPath)
}
