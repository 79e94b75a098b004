package cli

import (
	"github.com/px360/staffseed/internal/render"
	"github.com/spf13/cobra"
)

type showFlags struct {
	json   bool
	detail bool
}

func newShowCmd(a *app) *cobra.Command {
	var f showFlags
	cmd := &cobra.Command{
		Use:   "show PLANFILE",
		Short: "Print a plan saved by `plan --out`; needs no database",
		Long: `Print a saved plan as plan printed it, or as one JSON document with --json
(see docs/json-format.md), with the database and state it was made
against. A truncated, edited or incompatible plan file is refused.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := loadPlan(args[0])
			if err != nil {
				return err
			}
			if f.json {
				return render.JSON(a.streams.Stdout, p)
			}
			fprintf(a.streams.Stdout, "Saved plan %s\n  database:    %s\n  fingerprint: %s\n  spec digest: %s\n\n",
				args[0], p.Database, p.Fingerprint, p.SpecDigest)
			return render.Text(a.streams.Stdout, p, render.TextOptions{Color: a.color(), Detail: f.detail})
		},
	}
	cmd.Flags().BoolVar(&f.json, "json", false, "print the plan as one JSON document")
	cmd.Flags().BoolVar(&f.detail, "detail", false, "list every record instead of grouping runs of them")
	return cmd
}
