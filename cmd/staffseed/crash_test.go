package main

import (
	"bufio"
	"math/rand/v2"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/px360/staffseed/internal/pgtest"
	"github.com/px360/staffseed/internal/smtptest"
)

// crashSpec provisions 300 staff with accounts in two hospitals.
const crashSpec = `version: 1
seed: 11
hospitals:
  - code: NORTH
    name: North General Hospital
    name_ar: مستشفى الشمال العام
    departments:
      - {name: Emergency, name_ar: الطوارئ, staff_types: [physician, nurse]}
      - {name: Administration, staff_types: [admin]}
  - code: SOUTH
    name: South Care
staff:
  physicians:  {count: 50, female_ratio: 0.40}
  nurses:      {count: 80, female_ratio: 0.70}
  admin_staff: {count: 20, female_ratio: 0.50}
accounts:
  create_users: true
  password: {iterations: 1000}
`

const (
	crashStaff      = 300 // 2 hospitals × (50 + 80 + 20)
	crashStructure  = 4   // 2 hospitals, 2 departments
	crashMinKills   = 10
	crashWantKills  = 12
	crashMaxRetries = 60
)

// TestKillLoop kills apply with SIGKILL at random moments, checking after
// each kill that the database holds only whole records and that plan shows
// exactly what is left; a final apply must then converge to the spec, with
// every user's latest emailed password verifying against the stored hash.
func TestKillLoop(t *testing.T) {
	url := pgtest.New(t)
	srv := smtptest.Start(t, smtptest.Options{})
	dir := t.TempDir()
	p := &process{t: t, bin: buildStaffseed(t), db: url, dir: dir}
	specPath := writeSpec(t, dir, srv, crashSpec)

	seed := uint64(time.Now().UnixNano())
	t.Logf("random seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, seed))

	kills := 0
	for attempt := 0; kills < crashWantKills && attempt < crashMaxRetries; attempt++ {
		// Kill after a random number of committed records or sent emails
		// (0: while starting up), a random moment later.
		lines := rng.IntN(40)
		delay := time.Duration(rng.IntN(20_000)) * time.Microsecond
		if lines == 0 {
			delay = time.Duration(rng.IntN(300)) * time.Millisecond
		}
		killed := killApply(t, p, specPath, lines, delay)
		if killed {
			kills++
		}
		checkInvariants(t, url)
		checkPlanLeft(t, p, url, specPath)
		checkDelivered(t, url, srv, false)
		if t.Failed() {
			t.Fatalf("after attempt %d (%d kills; killed after %d lines + %s)", attempt+1, kills, lines, delay)
		}
	}
	t.Logf("%d kills, %d emails sent so far", kills, len(srv.Messages()))
	if kills < crashMinKills {
		t.Fatalf("only %d kills landed while apply was running; want at least %d", kills, crashMinKills)
	}

	out, errOut, code := p.run("apply", "-f", specPath, "--auto-approve", "--batch-size", "20")
	if code != 0 {
		t.Fatalf("final apply exited %d:\n%s%s", code, out, errOut)
	}
	checkInvariants(t, url)
	for _, c := range []struct {
		hospital, staffType string
		want                int
	}{{"NORTH", "physician", 50}, {"NORTH", "nurse", 80}, {"NORTH", "admin", 20},
		{"SOUTH", "physician", 50}, {"SOUTH", "nurse", 80}, {"SOUTH", "admin", 20}} {
		got := queryInt(t, url, `SELECT count(*) FROM staff s JOIN hospitals h ON h.id = s.hospital_id
			WHERE h.code = $1 AND s.staff_type = $2 AND s.staffseed_key IS NOT NULL`, c.hospital, c.staffType)
		if got != c.want {
			t.Errorf("%s %s: %d staff, want %d", c.hospital, c.staffType, got, c.want)
		}
	}
	if n := queryInt(t, url, `SELECT count(*) FROM users`); n != crashStaff {
		t.Errorf("%d users, want %d", n, crashStaff)
	}
	if n := queryInt(t, url, `SELECT count(*) FROM hospitals`) + queryInt(t, url, `SELECT count(*) FROM departments`); n != crashStructure {
		t.Errorf("%d hospitals and departments, want %d", n, crashStructure)
	}
	if n := checkDelivered(t, url, srv, true); n != crashStaff {
		t.Errorf("%d credentials delivered and verified, want %d", n, crashStaff)
	}
	if s := p.plan(specPath); !s.NoChanges {
		t.Errorf("plan after the final apply: %+v, want no changes", s)
	}
	t.Logf("%d emails for %d users", len(srv.Messages()), crashStaff)
}

// killApply starts apply and kills it with SIGKILL once it has printed
// lines record lines and delay has passed. It reports whether the kill
// landed while apply was still running.
func killApply(t *testing.T, p *process, specPath string, lines int, delay time.Duration) bool {
	t.Helper()
	cmd := p.command("apply", "-f", specPath, "--auto-approve", "--batch-size", "20")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	reached := make(chan struct{})
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		sc := bufio.NewScanner(stdout)
		n := 0
		if lines == 0 {
			close(reached)
		}
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "✓") {
				n++
				if n == lines {
					close(reached)
				}
			}
		}
	}()
	select {
	case <-reached:
	case <-drained:
	}
	time.Sleep(delay)
	_ = cmd.Process.Kill()
	<-drained
	_ = cmd.Wait()
	ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

// checkPlanLeft compares what plan proposes with what the database lacks.
func checkPlanLeft(t *testing.T, p *process, url, specPath string) {
	t.Helper()
	got := p.plan(specPath)
	want := summary{Add: crashStaff + crashStructure, Accounts: crashStaff, Credentials: crashStaff}
	if queryInt(t, url, `SELECT count(*) FROM pg_tables WHERE tablename = 'staffseed_credentials'`) > 0 {
		staff := queryInt(t, url, `SELECT count(*) FROM staff WHERE staffseed_key IS NOT NULL`)
		users := queryInt(t, url, `SELECT count(*) FROM users`)
		pending := queryInt(t, url, `SELECT count(*) FROM staffseed_credentials WHERE state = 'pending'`)
		structure := queryInt(t, url, `SELECT count(*) FROM hospitals`) + queryInt(t, url, `SELECT count(*) FROM departments`)
		want.Add = crashStaff - staff + crashStructure - structure
		want.Accounts = crashStaff - users
		want.Credentials = want.Accounts + pending
	}
	want.NoChanges = want.Add == 0 && want.Credentials == 0
	if got != want {
		t.Errorf("plan: %+v, want %+v (what the database lacks)", got, want)
	}
}
