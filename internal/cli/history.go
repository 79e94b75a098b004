package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/px360/staffseed/internal/store"
	"github.com/px360/staffseed/plan"
	"github.com/spf13/cobra"
)

type historyFlags struct {
	json  bool
	limit int
}

func newHistoryCmd(a *app) *cobra.Command {
	var f historyFlags
	cmd := &cobra.Command{
		Use:   "history",
		Short: "List the audit trail of apply, destroy and migrate runs",
		Long: `List the runs recorded in the database, newest first: when, who (OS user and
host), the command, the spec digest and git commit of the spec's folder, what
was added, changed and destroyed, the accounts created and changed or
removed, the emails sent, the outcome and how long it took.

A run is recorded as it starts: one killed on the way (or whose database
connection was lost) shows as interrupted, or as running while it still holds
the lock. Runs refused after connecting (a stale saved plan, a plan error)
show as refused, with the reason in --json.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.history(cmd.Context(), f)
		},
	}
	cmd.Flags().BoolVar(&f.json, "json", false, "print the runs as a JSON array")
	cmd.Flags().IntVar(&f.limit, "limit", 20, "how many runs to list (0: all)")
	return cmd
}

// jsonRun is a run of `history --json`.
type jsonRun struct {
	ID          int64     `json:"id"`
	StartedAt   time.Time `json:"started_at"`
	FinishedAt  time.Time `json:"finished_at"`
	DurationMS  int64     `json:"duration_ms"`
	OSUser      string    `json:"os_user"`
	Host        string    `json:"host"`
	Command     string    `json:"command"`
	SpecDigest  string    `json:"spec_digest"`
	GitCommit   string    `json:"git_commit"`
	Added       int       `json:"added"`
	Changed     int       `json:"changed"`
	Destroyed   int       `json:"destroyed"`
	Accounts    int       `json:"accounts"`
	AccountsChg int       `json:"accounts_changed"`
	Credentials int       `json:"credentials"`
	Outcome     string    `json:"outcome"`
	Error       string    `json:"error"`
}

func (a *app) history(ctx context.Context, f historyFlags) error {
	db, err := a.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	runs, err := db.Runs(ctx, f.limit)
	if err != nil {
		return err
	}
	if err := markInterrupted(ctx, db, runs); err != nil {
		return err
	}
	if f.json {
		out := make([]jsonRun, 0, len(runs))
		for _, r := range runs {
			out = append(out, jsonRun{ID: r.ID, StartedAt: r.StartedAt.UTC(), FinishedAt: r.FinishedAt.UTC(),
				DurationMS: r.FinishedAt.Sub(r.StartedAt).Milliseconds(), OSUser: r.OSUser, Host: r.Host,
				Command: r.Command, SpecDigest: r.SpecDigest, GitCommit: r.GitCommit, Added: r.Added,
				Changed: r.Changed, Destroyed: r.Destroyed, Accounts: r.Accounts, AccountsChg: r.AccountsChanged, Credentials: r.Credentials,
				Outcome: r.Outcome, Error: r.Error})
		}
		enc := json.NewEncoder(a.streams.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(runs) == 0 {
		fprintf(a.streams.Stdout, "No runs recorded yet.\n")
		return nil
	}
	tw := tabwriter.NewWriter(a.streams.Stdout, 0, 4, 2, ' ', 0)
	fprintf(tw, "ID\tSTARTED (UTC)\tWHO\tCOMMAND\tOUTCOME\tADD\tCHANGE\tDESTROY\tACCOUNTS\tACCOUNTS CHANGED\tEMAILS\tDURATION\tSPEC\tGIT\n")
	for _, r := range runs {
		duration := r.FinishedAt.Sub(r.StartedAt).Round(time.Millisecond).String()
		if r.Outcome == store.RunRunning || r.Outcome == runInterrupted {
			duration = "-"
		}
		fprintf(tw, "%d\t%s\t%s@%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t%s\n", r.ID,
			r.StartedAt.UTC().Format("2006-01-02 15:04:05"), r.OSUser, r.Host, r.Command, r.Outcome,
			r.Added, r.Changed, r.Destroyed, r.Accounts, r.AccountsChanged, r.Credentials,
			duration, short(r.SpecDigest), short(r.GitCommit))
	}
	return tw.Flush()
}

// runInterrupted is how history shows a run recorded as running that no
// longer holds the lock: it was killed, or lost its connection.
const runInterrupted = "interrupted"

// runNoChanges is the outcome of a run that found nothing to do.
const runNoChanges = "no changes"

// markInterrupted shows the runs still marked running as interrupted,
// unless a run holds the lock now: then the newest of them is under way.
func markInterrupted(ctx context.Context, db *store.DB, runs []store.Run) error {
	live, checked := false, false
	for i := range runs {
		if runs[i].Outcome != store.RunRunning {
			continue
		}
		if !checked {
			held, err := db.RunLockHeld(ctx)
			if err != nil {
				return err
			}
			live, checked = held, true
		}
		if live {
			live = false // only the newest running row can be under way
			continue
		}
		runs[i].Outcome = runInterrupted
	}
	return nil
}

// short is the first 12 characters of a digest or commit, or "-".
func short(s string) string {
	switch {
	case s == "":
		return "-"
	case len(s) > 12:
		return s[:12]
	}
	return s
}

// lockRun takes the run lock, naming run (command, OS user and host) as
// its holder for whoever waits for it. A run that gives up waiting is
// recorded as refused, with the holder, when the database has an audit
// trail.
func (a *app) lockRun(ctx context.Context, db *store.DB, run store.Run, timeout time.Duration) (func(), error) {
	user, host := whoAmI()
	release, err := db.LockWaiting(ctx, fmt.Sprintf("staffseed %s by %s@%s", run.Command, user, host), timeout, func(holder string) {
		if holder == "" {
			holder = "another run"
		}
		fprintf(a.streams.Stderr, "Waiting for the staffseed lock held by %s (up to %s; --lock-timeout)…\n", holder, timeout)
	})
	var timedOut *store.LockTimeoutError
	if errors.As(err, &timedOut) {
		return nil, refuse(ctx, db, run, err)
	}
	return release, err
}

// savedRun starts the audit record of applying a saved plan.
func savedRun(path string, p *plan.Plan) store.Run {
	command := "apply "
	if p.Destroy {
		command = "destroy "
	}
	r := newRun(command+path, nil)
	r.SpecDigest = p.SpecDigest
	return r
}

// refuse records a run that refused to start with err as its reason, if
// the database has an audit trail, and returns err.
func refuse(ctx context.Context, db *store.DB, run store.Run, err error) error {
	_ = db.RecordRefusal(context.WithoutCancel(ctx), run, err.Error())
	return err
}

// recordNoop records a run that found nothing to do.
func recordNoop(ctx context.Context, db *store.DB, run store.Run) error {
	run.FinishedAt, run.Outcome = time.Now(), runNoChanges
	return db.RecordRun(ctx, run)
}
