package cli

import (
	"time"

	"github.com/spf13/cobra"
)

func newMigrateCmd(a *app) *cobra.Command {
	var lock lockFlags
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Create or upgrade staffseed's tables",
		Long: `Create the contract tables (hospitals, departments, staff, users, roles,
user_roles) where they are missing, and apply staffseed's own pending
migrations. Existing tables and rows are kept; columns staffseed adds are
nullable or have defaults. apply runs pending migrations itself and plan
reports them.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			db, err := a.openDB(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			run := newRun("migrate", nil)
			release, err := a.lockRun(ctx, db, run, lock.timeout)
			if err != nil {
				return err
			}
			defer release()
			applied, err := db.Migrate(ctx)
			if err != nil {
				return err
			}
			if len(applied) == 0 {
				fprintf(a.streams.Stdout, "No migrations to run: the schema is up to date.\n")
			}
			for _, m := range applied {
				fprintf(a.streams.Stdout, "Applied migration %04d_%s\n", m.Version, m.Name)
			}
			run.FinishedAt, run.Outcome = time.Now(), "success"
			return db.RecordRun(ctx, run)
		},
	}
	lock.register(cmd)
	return cmd
}
