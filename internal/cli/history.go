package cli

import (
	"context"
	"encoding/json"
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
was added, changed and destroyed, the outcome and how long it took.`,
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
	if f.json {
		out := make([]jsonRun, 0, len(runs))
		for _, r := range runs {
			out = append(out, jsonRun{ID: r.ID, StartedAt: r.StartedAt.UTC(), FinishedAt: r.FinishedAt.UTC(),
				DurationMS: r.FinishedAt.Sub(r.StartedAt).Milliseconds(), OSUser: r.OSUser, Host: r.Host,
				Command: r.Command, SpecDigest: r.SpecDigest, GitCommit: r.GitCommit, Added: r.Added,
				Changed: r.Changed, Destroyed: r.Destroyed, Accounts: r.Accounts, Credentials: r.Credentials,
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
	fprintf(tw, "ID\tSTARTED (UTC)\tWHO\tCOMMAND\tOUTCOME\tADD\tCHANGE\tDESTROY\tACCOUNTS\tEMAILS\tDURATION\tSPEC\tGIT\n")
	for _, r := range runs {
		fprintf(tw, "%d\t%s\t%s@%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t%s\n", r.ID,
			r.StartedAt.UTC().Format("2006-01-02 15:04:05"), r.OSUser, r.Host, r.Command, r.Outcome,
			r.Added, r.Changed, r.Destroyed, r.Accounts, r.Credentials,
			r.FinishedAt.Sub(r.StartedAt).Round(time.Millisecond), short(r.SpecDigest), short(r.GitCommit))
	}
	return tw.Flush()
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

// lockRun takes the run lock, naming this run (command, OS user and host)
// as its holder for whoever waits for it.
func (a *app) lockRun(ctx context.Context, db *store.DB, command string, timeout time.Duration) (func(), error) {
	user, host := whoAmI()
	return db.LockAs(ctx, fmt.Sprintf("staffseed %s by %s@%s", command, user, host), timeout)
}

// savedRun starts the audit record of applying a saved plan.
func savedRun(path string, p *plan.Plan) store.Run {
	r := newRun("apply "+path, nil)
	r.SpecDigest = p.SpecDigest
	return r
}

// recordNoop records a run that found nothing to do.
func recordNoop(ctx context.Context, db *store.DB, run store.Run) error {
	run.FinishedAt, run.Outcome = time.Now(), "no changes"
	return db.RecordRun(ctx, run)
}
