package main

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/px360/staffseed/internal/pgtest"
	"github.com/px360/staffseed/internal/smtptest"
)

// TestInterruptFinishesBatch sends one SIGINT once the first batch is
// committed: apply finishes the batch under way (accounts committed, their
// emails sent and recorded), stops with exit 1 and says how to finish; the
// next apply does.
func TestInterruptFinishesBatch(t *testing.T) {
	p, url, srv, specPath := interruptSetup(t)
	errOut, code := interruptApply(t, p, specPath, 1)
	if code != 1 {
		t.Fatalf("interrupted apply exited %d, want 1\n%s", code, errOut)
	}
	for _, want := range []string{"Interrupt received: finishing the current batch", "run apply again to finish"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	checkInvariants(t, url)
	users := queryInt(t, url, `SELECT count(*) FROM users`)
	if users == 0 || users == crashStaff || users%20 != 0 {
		t.Errorf("%d users after the interrupt, want whole batches of 20, not all %d", users, crashStaff)
	}
	if n := queryInt(t, url, `SELECT count(*) FROM staffseed_credentials WHERE state = 'pending'`); n != 0 {
		t.Errorf("%d credentials pending after a graceful stop, want the batch's emails sent and recorded", n)
	}
	if n := checkDelivered(t, url, srv, true); n != users {
		t.Errorf("%d credentials delivered, want %d", n, users)
	}
	if n := queryInt(t, url, `SELECT count(*) FROM staffseed_runs WHERE outcome = 'stopped'`); n != 1 {
		t.Errorf("%d runs recorded as stopped, want 1", n)
	}
	finishApply(t, p, url, srv, specPath)
}

// TestSecondInterruptStopsAtOnce sends two SIGINTs: apply stops without
// finishing the batch, exit 1, and the next apply finishes the job.
func TestSecondInterruptStopsAtOnce(t *testing.T) {
	p, url, srv, specPath := interruptSetup(t)
	errOut, code := interruptApply(t, p, specPath, 2)
	if code != 1 {
		t.Fatalf("interrupted apply exited %d, want 1\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "Interrupted: stopping now") {
		t.Errorf("stderr lacks the second interrupt's message:\n%s", errOut)
	}
	if strings.Contains(errOut, "hash passwords: hash passwords") {
		t.Errorf("stderr repeats its prefix:\n%s", errOut)
	}
	if n := queryInt(t, url, `SELECT count(*) FROM staffseed_runs WHERE outcome = 'interrupted'`); n != 1 {
		t.Errorf("%d runs recorded as interrupted, want 1", n)
	}
	checkInvariants(t, url)
	checkDelivered(t, url, srv, false)
	if n := queryInt(t, url, `SELECT count(*) FROM users`); n == crashStaff {
		t.Errorf("all %d users created despite the interrupts", n)
	}
	finishApply(t, p, url, srv, specPath)
}

func interruptSetup(t *testing.T) (*process, string, *smtptest.Server, string) {
	url := pgtest.New(t)
	srv := smtptest.Start(t, smtptest.Options{})
	dir := t.TempDir()
	p := &process{t: t, bin: buildStaffseed(t), db: url, dir: dir}
	return p, url, srv, writeSpec(t, dir, srv, crashSpec)
}

// interruptApply starts apply in batches of 20, sends it n SIGINTs once it
// has reported its first created user, and returns its stderr and exit
// code. It waits for apply to acknowledge each interrupt before the next.
func interruptApply(t *testing.T, p *process, specPath string, n int) (string, int) {
	t.Helper()
	cmd := p.command("apply", "-f", specPath, "--auto-approve", "--batch-size", "20")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	created := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		sc := bufio.NewScanner(stdout)
		once := sync.Once{}
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "✓ Created user:") {
				once.Do(func() { close(created) })
			}
		}
		once.Do(func() { close(created) })
	}()
	acks := make(chan struct{}, 2)
	var errBuf bytes.Buffer
	go func() {
		defer wg.Done()
		sc := bufio.NewScanner(io.TeeReader(stderr, &errBuf))
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "Interrupt") {
				acks <- struct{}{}
			}
		}
		close(acks)
	}()
	<-created
	for range n {
		if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		<-acks
	}
	wg.Wait()
	_ = cmd.Wait()
	return errBuf.String(), cmd.ProcessState.ExitCode()
}

// finishApply runs apply to the end and checks that the database matches
// the spec with every credential delivered and verified.
func finishApply(t *testing.T, p *process, url string, srv *smtptest.Server, specPath string) {
	t.Helper()
	out, errOut, code := p.run("apply", "-f", specPath, "--auto-approve", "--batch-size", "20")
	if code != 0 {
		t.Fatalf("apply after the interrupt exited %d:\n%s%s", code, out, errOut)
	}
	checkInvariants(t, url)
	if n := queryInt(t, url, `SELECT count(*) FROM staff WHERE staffseed_key IS NOT NULL`); n != crashStaff {
		t.Errorf("%d staff, want %d", n, crashStaff)
	}
	if n := checkDelivered(t, url, srv, true); n != crashStaff {
		t.Errorf("%d credentials delivered and verified, want %d", n, crashStaff)
	}
	if s := p.plan(specPath); !s.NoChanges {
		t.Errorf("plan after finishing: %+v, want no changes", s)
	}
}
