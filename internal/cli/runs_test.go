package cli

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/px360/staffseed/apply"
	"github.com/px360/staffseed/internal/pgtest"
	"github.com/px360/staffseed/internal/store"
	"github.com/px360/staffseed/plan"
)

// historyProbe is an apply view that lists the history once, while the
// apply is under way.
type historyProbe struct {
	t      *testing.T
	url    string
	during string
}

func (h *historyProbe) Report(apply.Event) {
	if h.during == "" {
		_, h.during, _ = run(h.t, h.url, "", false, "history")
	}
}

func (h *historyProbe) Finish(_ *apply.Result, err error) error { return err }

// A run is in the audit trail from its start: history shows it running
// while it holds the lock, and interrupted once a run that recorded only
// its start (killed) no longer does.
func TestRunRecordedFromItsStart(t *testing.T) {
	url := pgtest.New(t)
	ctx := context.Background()
	var out, errb bytes.Buffer
	a := &app{streams: Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv:     func(k string) string { return map[string]string{"DATABASE_URL": url, "NO_COLOR": "1"}[k] },
		IsTerminal: func() bool { return false }, StdoutTerminal: func() bool { return false },
		StderrTerminal: func() bool { return false }}}
	s, err := a.loadSpec(specFlags{path: writeSpec(t, testSpec)})
	if err != nil {
		t.Fatal(err, errb.String())
	}
	db, err := a.openDB(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	release, err := a.lockRun(ctx, db, newRun("apply", nil), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	p, err := makePlan(ctx, db, s, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	probe := &historyProbe{t: t, url: url}
	err = a.execute(ctx, db, p, newRun("apply", s), 0, probe)
	release()
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^1 .* apply +running `).MatchString(probe.during) {
		t.Errorf("history during the apply does not show it running:\n%s", probe.during)
	}

	// A run killed after it started: its row says running, and no one
	// holds the lock.
	if _, err := db.StartRun(ctx, newRun("destroy", s)); err != nil {
		t.Fatal(err)
	}
	_, after, _ := run(t, url, "", false, "history")
	for _, want := range []string{`(?m)^2 .* destroy +interrupted `, `(?m)^1 .* apply +success +3 +0 +0 +2 +0 +0 `} {
		if !regexp.MustCompile(want).MatchString(after) {
			t.Errorf("history after the runs: no match for %s:\n%s", want, after)
		}
	}
	_, js, _ := run(t, url, "", false, "history", "--json")
	if !strings.Contains(js, `"outcome": "interrupted"`) {
		t.Errorf("history --json does not show the killed run interrupted:\n%s", js)
	}
	runs, err := db.Runs(ctx, 0)
	if err != nil || len(runs) != 2 || runs[0].Outcome != store.RunRunning {
		t.Errorf("the trail itself keeps the killed run as running: %v %+v", err, runs)
	}
}

// batchProbe is an apply view that lists the history at the end of the
// first committed batch of creations.
type batchProbe struct {
	t      *testing.T
	url    string
	during string
}

func (b *batchProbe) Report(e apply.Event) {
	if e.Kind == apply.Progress && e.Phase == "creating" && e.Done > 0 && b.during == "" {
		_, b.during, _ = run(b.t, b.url, "", false, "history")
	}
}

func (b *batchProbe) Finish(_ *apply.Result, err error) error { return err }

// A run's counts are recorded batch by batch: one killed after a batch
// shows what it did.
func TestRunCountsRecordedPerBatch(t *testing.T) {
	url := pgtest.New(t)
	ctx := context.Background()
	var out, errb bytes.Buffer
	a := &app{streams: Streams{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return map[string]string{"DATABASE_URL": url, "NO_COLOR": "1"}[k] }}}
	s, err := a.loadSpec(specFlags{path: writeSpec(t, testSpec)})
	if err != nil {
		t.Fatal(err, errb.String())
	}
	db, err := a.openDB(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := makePlan(ctx, db, s, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	release, err := a.lockRun(ctx, db, newRun("apply", nil), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	probe := &batchProbe{t: t, url: url}
	if err := a.execute(ctx, db, p, newRun("apply", s), 1, probe); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^1 .* apply +running +2 +0 +0 +1 `).MatchString(probe.during) {
		t.Errorf("history after the first batch does not count it:\n%s", probe.during)
	}
}

// A run that gives up waiting for the lock is in the audit trail as
// refused, naming the run that held it.
func TestLockTimeoutRecordedAsRefused(t *testing.T) {
	url := pgtest.New(t)
	ctx := context.Background()
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	release, err := db.LockAs(ctx, "staffseed apply by alice@ci-7", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	code, _, _ := run(t, url, "", false, "apply", "-f", writeSpec(t, testSpec), "--auto-approve", "--lock-timeout", "0s")
	release()
	if code != 1 {
		t.Fatalf("apply while locked: exit %d", code)
	}
	var outcome, reason string
	if err := db.Pool().QueryRow(ctx, `SELECT outcome, error FROM staffseed_runs ORDER BY id DESC LIMIT 1`).Scan(&outcome, &reason); err != nil {
		t.Fatal(err)
	}
	if outcome != store.RunRefused || !strings.Contains(reason, "staffseed apply by alice@ci-7") {
		t.Fatalf("recorded %q %q, want refused naming the holder", outcome, reason)
	}
}
