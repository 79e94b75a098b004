package cli

import (
	"github.com/px360/staffseed/internal/spec"
	"github.com/spf13/cobra"
)

func newValidateCmd(a *app) *cobra.Command {
	var f specFlags
	cmd := &cobra.Command{
		Use:   "validate -f PATH",
		Short: "Parse and check a spec; no database needed",
		Long: `Parse and check a spec without touching any database. Every problem is
reported at once with its file:line:col and the offending source line.
The email settings are checked as plan checks them (transport and credential
templates), without connecting anywhere; an SMTP password variable that is
not set is only a warning here, since plan and apply run elsewhere.
Exit status 0 when the spec is valid, 1 otherwise.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := a.loadSpec(f)
			if err != nil {
				return err
			}
			warn := func(msg string) { fprintf(a.streams.Stderr, "Warning: %s\n", msg) }
			if err := checkEmail(s.Email, a.streams.Getenv, warn); err != nil {
				return err
			}
			generated, rostered := 0, 0
			for _, h := range s.Hospitals {
				for _, t := range spec.StaffTypes {
					generated += h.Staff[t].Count
				}
				rostered += len(h.RosterRows)
			}
			if rostered == 0 {
				fprintf(a.streams.Stdout, "The spec is valid: %d hospital(s), %d generated staff.\n", len(s.Hospitals), generated)
				return nil
			}
			fprintf(a.streams.Stdout, "The spec is valid: %d hospital(s), %d staff (%d generated, %d from rosters).\n",
				len(s.Hospitals), generated+rostered, generated, rostered)
			return nil
		},
	}
	f.register(cmd, true)
	return cmd
}
