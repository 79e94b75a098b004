package cli

import (
	"context"
	"errors"
	"maps"

	"github.com/px360/staffseed/internal/render"
	"github.com/px360/staffseed/internal/spec"
	"github.com/px360/staffseed/internal/store"
	"github.com/px360/staffseed/plan"
	"github.com/spf13/cobra"
)

// scopeFlags limit a plan to some hospitals.
type scopeFlags struct {
	targets, excludes []string
}

func (f *scopeFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&f.targets, "target", nil, "limit to `hospital.CODE` (repeatable)")
	cmd.Flags().StringArrayVar(&f.excludes, "exclude", nil, "leave out `hospital.CODE` (repeatable)")
}

func (f scopeFlags) options() plan.Options {
	strip := func(list []string) []string {
		out := make([]string, len(list))
		for i, s := range list {
			if len(s) > len("hospital.") && s[:len("hospital.")] == "hospital." {
				s = s[len("hospital."):]
			}
			out[i] = s
		}
		return out
	}
	return plan.Options{Targets: strip(f.targets), Excludes: strip(f.excludes)}
}

type planFlags struct {
	spec     specFlags
	scope    scopeFlags
	out      string
	json     bool
	detailed bool
	detail   bool
	destroy  bool
}

func newPlanCmd(a *app) *cobra.Command {
	var f planFlags
	cmd := &cobra.Command{
		Use:   "plan -f PATH",
		Short: "Show what apply would change in the database; writes nothing",
		Long: `Diff the spec against the database and show the changes apply would make:
hospitals, departments, staff, user accounts and credential emails.
Nothing is written to the database. With --destroy, show what destroy would
remove instead; with --out too, "staffseed apply FILE" carries it out.

Exit status: 0 success (with --detailed-exitcode: no changes), 1 error,
2 (only with --detailed-exitcode) success and the plan has changes.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runPlan(cmd.Context(), f)
		},
	}
	f.spec.register(cmd, true)
	f.scope.register(cmd)
	cmd.Flags().StringVar(&f.out, "out", "", "save the plan to `FILE` (then run: staffseed apply FILE)")
	cmd.Flags().BoolVar(&f.json, "json", false, "print the plan as one JSON document")
	cmd.Flags().BoolVar(&f.detailed, "detailed-exitcode", false, "exit 2 when the plan has changes")
	cmd.Flags().BoolVar(&f.detail, "detail", false, "list every record instead of grouping runs of them")
	cmd.Flags().BoolVar(&f.destroy, "destroy", false, "plan the removal of everything the spec manages (what destroy would do)")
	return cmd
}

// prepare loads the spec and checks, before any database is touched, the
// scope and the mail transport that plan and apply both depend on.
func (a *app) prepare(sf specFlags, scope scopeFlags, destroy bool) (*spec.Spec, plan.Options, error) {
	s, err := a.loadSpec(sf)
	if err != nil {
		return nil, plan.Options{}, err
	}
	opts := scope.options()
	opts.Destroy = destroy
	if err := checkScope(s, opts); err != nil {
		return nil, opts, err
	}
	if err := checkTransport(s.Email, a.streams.Getenv); err != nil {
		return nil, opts, err
	}
	return s, opts, nil
}

func (a *app) runPlan(ctx context.Context, f planFlags) error {
	s, opts, err := a.prepare(f.spec, f.scope, f.destroy)
	if err != nil {
		return err
	}
	opts.SkipFingerprint = f.out == "" && !f.json
	if f.out != "" {
		if err := checkOut(f.out, s.Files); err != nil {
			return err
		}
	}
	db, err := a.openDB(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	p, err := makePlan(ctx, db, s, opts)
	if err != nil {
		return err
	}
	if f.out != "" {
		if err := savePlan(f.out, p); err != nil {
			return err
		}
	}
	if f.json {
		err = render.JSON(a.streams.Stdout, p)
	} else {
		err = render.Text(a.streams.Stdout, p, render.TextOptions{Color: a.color(), Detail: f.detail})
		if err == nil && f.out != "" {
			fprintf(a.streams.Stdout, "\nSaved the plan to %s. To perform exactly these actions, run:\n    staffseed apply %s\n", f.out, f.out)
		}
	}
	if err != nil {
		return err
	}
	if f.detailed && !p.Empty() {
		return &exitError{code: 2}
	}
	return nil
}

// makePlan reads the state of the spec's hospitals and diffs the spec
// against it.
func makePlan(ctx context.Context, db *store.DB, s *spec.Spec, opts plan.Options) (*plan.Plan, error) {
	codes := make([]string, 0, len(s.Hospitals))
	for _, h := range s.Hospitals {
		codes = append(codes, h.Code)
	}
	st, err := db.Inspect(ctx, codes)
	if err != nil {
		return nil, err
	}
	p, err := plan.Make(s, st, opts)
	if err != nil {
		return nil, err
	}
	p.Destroy = opts.Destroy
	return p, identify(ctx, db, p)
}

// checkScope refuses --target and --exclude that leave none of the spec's
// hospitals: the plan would say "No changes" about nothing. Targets not in
// the spec are left for plan.Make to name.
func checkScope(s *spec.Spec, opts plan.Options) error {
	if len(opts.Targets) == 0 && len(opts.Excludes) == 0 {
		return nil
	}
	in := map[string]bool{}
	for _, h := range s.Hospitals {
		in[h.Code] = true
	}
	left := map[string]bool{}
	if len(opts.Targets) == 0 {
		left = maps.Clone(in)
	}
	for _, t := range opts.Targets {
		if !in[t] {
			return nil
		}
		left[t] = true
	}
	for _, e := range opts.Excludes {
		if !in[e] {
			return nil
		}
		delete(left, e)
	}
	if len(left) == 0 && len(in) > 0 {
		return errors.New("--target and --exclude leave no hospital to plan")
	}
	return nil
}
