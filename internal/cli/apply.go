package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/px360/staffseed/apply"
	"github.com/px360/staffseed/internal/render"
	"github.com/px360/staffseed/internal/spec"
	"github.com/px360/staffseed/internal/store"
	"github.com/px360/staffseed/plan"
	"github.com/spf13/cobra"
)

type applyFlags struct {
	spec        specFlags
	scope       scopeFlags
	lock        lockFlags
	autoApprove bool
	detail      bool
	destroy     bool
	batchSize   int
}

func newApplyCmd(a *app) *cobra.Command {
	var f applyFlags
	cmd := &cobra.Command{
		Use:   "apply [-f PATH | PLANFILE]",
		Short: "Make the database match the spec (or execute a saved plan)",
		Long: `Plan, show the plan, ask for confirmation, then carry it out: hospitals,
departments, staff, user accounts with their roles (passwords stored as Django
pbkdf2_sha256 hashes) and credential emails. Applying the same spec again
changes nothing and sends nothing.

On a terminal apply asks for "yes"; without one --auto-approve is required.
With a PLANFILE from "staffseed plan --out", apply executes exactly that plan
without asking, and refuses it if the database changed since it was made.

Work is committed in batches (--batch-size); each batch's credential emails
are sent and recorded before the next starts. The first Ctrl-C (SIGINT or
SIGTERM) finishes the batch under way and stops; a second stops at once.
Killed or interrupted at any point, the next plan shows what is left and the
next apply finishes it: credentials that were not recorded as delivered get
a fresh password and a new email.

Exit status: 0 success, 1 error (a partial apply says what was and was not
done; the next apply finishes the job).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				if f.spec.path != "" {
					return errors.New("give either -f PATH or a saved plan file, not both")
				}
				if err := savedPlanFlags(cmd); err != nil {
					return err
				}
				return a.applySaved(cmd.Context(), args[0], f)
			}
			if f.spec.path == "" {
				return errors.New("apply needs -f PATH (a spec) or a saved plan file")
			}
			return a.applySpec(cmd.Context(), f)
		},
	}
	f.spec.register(cmd, false)
	f.scope.register(cmd)
	f.lock.register(cmd)
	cmd.Flags().BoolVar(&f.autoApprove, "auto-approve", false, "apply without asking (required without a terminal)")
	cmd.Flags().BoolVar(&f.detail, "detail", false, "list every record of the plan instead of grouping runs")
	cmd.Flags().IntVar(&f.batchSize, "batch-size", 500, "records written per transaction (and credential emails sent per batch)")
	return cmd
}

func newDestroyCmd(a *app) *cobra.Command {
	f := applyFlags{destroy: true}
	cmd := &cobra.Command{
		Use:   "destroy -f PATH",
		Short: "Remove everything the spec manages, nothing else",
		Long: `Remove the staff staffseed created for the spec's hospitals, with their user
accounts (or deactivate them, with accounts.on_remove: deactivate). Rows
staffseed did not create are never touched. Hospitals and departments stay:
other programs' rows may refer to them.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.applySpec(cmd.Context(), f)
		},
	}
	f.spec.register(cmd, true)
	f.scope.register(cmd)
	f.lock.register(cmd)
	cmd.Flags().BoolVar(&f.autoApprove, "auto-approve", false, "destroy without asking (required without a terminal)")
	return cmd
}

// specOnlyFlags are apply's flags that shape a new plan; a saved plan
// already fixes what it changes.
var specOnlyFlags = []string{"target", "exclude", "var", "var-file"}

// savedPlanFlags refuses the flags that would be ignored by a saved plan.
func savedPlanFlags(cmd *cobra.Command) error {
	for _, name := range specOnlyFlags {
		if cmd.Flags().Changed(name) {
			return fmt.Errorf("--%s cannot be used with a saved plan: the plan already fixes what it changes; make a new plan with --%s", name, name)
		}
	}
	return nil
}

// applySpec plans under the lock, shows the plan, asks, and applies it.
func (a *app) applySpec(ctx context.Context, f applyFlags) error {
	s, opts, err := a.prepare(f.spec, f.scope, f.destroy)
	if err != nil {
		return err
	}
	opts.SkipFingerprint = true // planned under the lock and applied at once
	db, err := a.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	command := "apply"
	if f.destroy {
		command = "destroy"
	}
	run := newRun(command, s)
	release, err := a.lockRun(ctx, db, run, f.lock.timeout)
	if err != nil {
		return err
	}
	defer release()
	p, err := makePlan(ctx, db, s, opts)
	if err != nil {
		return refuse(ctx, db, run, err)
	}
	if err := render.Text(a.streams.Stdout, p, render.TextOptions{Color: a.color(), Detail: f.detail}); err != nil {
		return err
	}
	if p.Empty() {
		return recordNoop(ctx, db, run)
	}
	if !f.autoApprove && !a.streams.IsTerminal() {
		// Asked only when there is something to do, as Terraform does.
		save := "`staffseed plan --out FILE`"
		if f.destroy {
			save = "`staffseed plan --destroy --out FILE`"
		}
		return refuse(ctx, db, run, errors.New("no terminal to ask for confirmation: run with --auto-approve, or save a plan with "+save+" and apply that; nothing was done"))
	}
	if !f.autoApprove {
		if ok, err := a.confirm(p); err != nil || !ok {
			if err == nil {
				err = &exitError{code: 1, msg: command + " cancelled; nothing was done"}
			}
			return err
		}
	}
	return a.execute(ctx, db, p, run, f.batchSize, nil)
}

// applySaved executes a plan saved by `plan --out` if the database is still
// in the state it was made from.
func (a *app) applySaved(ctx context.Context, path string, f applyFlags) error {
	p, err := loadPlan(path)
	if err != nil {
		return err
	}
	if err := checkTransport(p.Settings.Email, a.streams.Getenv); err != nil {
		return err
	}
	db, err := a.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	run := savedRun(path, p)
	release, err := a.lockRun(ctx, db, run, f.lock.timeout)
	if err != nil {
		return err
	}
	defer release()
	if err := checkSaved(ctx, db, p); err != nil {
		return refuse(ctx, db, run, err)
	}
	if err := render.Text(a.streams.Stdout, p, render.TextOptions{Color: a.color(), Detail: f.detail}); err != nil {
		return err
	}
	if p.Empty() {
		return nil
	}
	return a.execute(ctx, db, p, run, f.batchSize, nil)
}

// confirm asks on the terminal; only "yes" approves.
func (a *app) confirm(p *plan.Plan) (bool, error) {
	w := a.streams.Stdout
	if warning := deletionWarning(p); warning != "" {
		fprintf(w, "\n%s\n", warning)
	}
	if p.Destroy {
		fprintf(w, "\nDo you really want to destroy everything this spec manages?\n  staffseed will remove the staff and accounts above.\n")
	} else {
		fprintf(w, "\nDo you want to perform these actions?\n  staffseed will apply the actions above.\n")
	}
	fprintf(w, "  Only 'yes' will be accepted to approve.\n\n  Enter a value: ")
	line, err := bufio.NewReader(a.streams.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return false, nil
	}
	return strings.TrimSpace(line) == "yes", nil
}

// execute applies p with the configured mail transport, prints what
// happens and records the run in the audit trail: as running before it
// starts (a run killed on the way stays so), then with its outcome.
//
// The first interrupt lets the batch under way finish and stops there; a
// second stops at once. Either way the next apply finishes the job.
func (a *app) execute(ctx context.Context, db *store.DB, p *plan.Plan, run store.Run, batchSize int, view applyView) error {
	opts := apply.Options{BatchSize: batchSize}
	if p.Summarize().Credentials > 0 {
		sender, err := newSender(p.Settings.Email, a.streams.Getenv, a.streams.Stdout)
		if err != nil {
			return err
		}
		defer sender.Close()
		opts.Sender = sender
	}
	if len(p.Migrations) > 0 {
		// The audit trail's table comes with the migrations.
		if _, err := db.Migrate(ctx); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	id, err := db.StartRun(ctx, run)
	if err != nil {
		return err
	}
	if view == nil {
		text := render.NewApplyView(a.streams.Stdout, a.color())
		text.SetDestroy(p.Destroy)
		// The console transport prints each email on stdout, which a bar
		// redrawn on the terminal would overlap.
		if a.streams.StderrTerminal() && !(opts.Sender != nil && p.Settings.Email.Transport == "console") {
			text.ShowProgressBar(a.streams.Stderr)
		}
		view = textApplyView{text}
		fprintf(a.streams.Stdout, "\n")
	}
	// Each committed batch updates the run's counts, for a run killed later.
	opts.Reporter = apply.ReporterFunc(func(e apply.Event) {
		if e.Kind == apply.Progress && e.Result != nil {
			progress := run
			countRun(&progress, e.Result)
			_ = db.RunProgress(ctx, id, progress)
		}
		view.Report(e)
	})
	stop, endStop := gracefulStop(ctx)
	opts.Stop = stop
	res, err := apply.Run(ctx, db, p, opts)
	endStop()
	switch {
	case err == nil:
	case ctx.Err() != nil:
		err = fmt.Errorf("apply interrupted: %w", err)
	case store.IsConnectionError(err):
		err = fmt.Errorf("lost the database connection: %w (what was committed stays; run apply again to finish)", err)
	}
	err = view.Finish(res, err)
	run.FinishedAt = time.Now()
	if res != nil {
		countRun(&run, res)
	}
	run.Outcome = "success"
	if p.Empty() {
		// seed-staff runs even an empty plan; say so as apply does.
		run.Outcome = runNoChanges
	}
	var partial *apply.PartialError
	switch {
	case errors.As(err, &partial):
		run.Outcome, run.Error = "partial", err.Error()
	case errors.Is(err, apply.ErrStopped):
		run.Outcome, run.Error = "stopped", err.Error()
	case err != nil && ctx.Err() != nil:
		run.Outcome, run.Error = runInterrupted, err.Error()
	case err != nil:
		run.Outcome, run.Error = "failed", err.Error()
	}
	if rerr := db.FinishRun(context.WithoutCancel(ctx), id, run); rerr != nil && err == nil {
		err = rerr
	}
	if partial != nil {
		return &exitError{code: 1, msg: err.Error()}
	}
	return err
}

// countRun sets the run's counts from what the apply did.
func countRun(run *store.Run, res *apply.Result) {
	run.Added, run.Changed, run.Destroyed = res.Created, res.Updated, res.Deleted
	run.Accounts, run.AccountsChanged, run.Credentials = res.Accounts, res.AccountsChanged, res.CredentialsSent
}

// applyView shows what apply does: its events as they come, then a closing
// summary. Finish returns the error the command ends with.
type applyView interface {
	apply.Reporter
	Finish(*apply.Result, error) error
}

// textApplyView is staffseed's own apply output.
type textApplyView struct{ *render.ApplyView }

func (v textApplyView) Finish(res *apply.Result, err error) error {
	v.ApplyView.Finish(res, err)
	return err
}

// newRun starts an audit record.
func newRun(command string, s *spec.Spec) store.Run {
	r := store.Run{StartedAt: time.Now(), Command: command}
	r.OSUser, r.Host = whoAmI()
	if s != nil {
		r.SpecDigest = s.Digest
		r.GitCommit = gitCommit(s.Files)
	}
	return r
}
