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
Exit status 0 when the spec is valid, 1 otherwise.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := a.loadSpec(f)
			if err != nil {
				return err
			}
			total := 0
			for _, h := range s.Hospitals {
				for _, t := range spec.StaffTypes {
					total += h.Staff[t].Count
				}
			}
			fprintf(a.streams.Stdout, "The spec is valid: %d hospital(s), %d generated staff.\n", len(s.Hospitals), total)
			return nil
		},
	}
	f.register(cmd, true)
	return cmd
}
