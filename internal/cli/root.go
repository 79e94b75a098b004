package cli

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// Version is set at build time with -ldflags "-X …/internal/cli.Version=v1.2.3".
var Version = ""

// app holds what every command shares: streams and global flags.
type app struct {
	streams  Streams
	database string
	noColor  bool
}

func newRoot(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "staffseed",
		Short: "Declarative provisioning of hospital staff for PX360",
		Long: `staffseed provisions hospital staff into a PX360 PostgreSQL database from a
declarative spec (YAML or HCL): physicians, nurses and administrative staff
with bilingual names, employee IDs, user accounts with roles and credential
emails.

  staffseed validate -f spec.yaml     check a spec; no database needed
  staffseed plan -f spec.yaml         show what would change
  staffseed apply -f spec.yaml        make it so (idempotent)

Shell completion: staffseed completion bash|zsh|fish|powershell prints a script
(see staffseed completion --help).

The database comes from --database, else DATABASE_URL, else the libpq PG*
variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE).`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	// pflag writes boolean flags as --flag[=true|false]; show them plainly,
	// keeping the columns aligned.
	cobra.AddTemplateFunc("plainBools", func(s string) string {
		return strings.ReplaceAll(s, "[=true|false]", "             ")
	})
	root.SetUsageTemplate(strings.ReplaceAll(root.UsageTemplate(),
		"FlagUsages | trimTrailingWhitespaces", "FlagUsages | plainBools | trimTrailingWhitespaces"))
	root.PersistentFlags().StringVar(&a.database, "database", "", "PostgreSQL `URL` (default: $DATABASE_URL, else the libpq PG* variables)")
	root.PersistentFlags().BoolVar(&a.noColor, "no-color", false, "turn colour off (also: NO_COLOR set in the environment)")
	root.AddCommand(
		newValidateCmd(a),
		newPlanCmd(a),
		newApplyCmd(a),
		newDestroyCmd(a),
		newMigrateCmd(a),
		newShowCmd(a),
		newHistoryCmd(a),
		newVersionCmd(a),
		newSeedStaffCmd(a),
		newEmailCmd(a),
	)
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			strictCompletion(c)
		}
	}
	return root
}

// strictCompletion makes "completion SHELL" fail for a shell it has no
// script for, instead of printing its help and exiting 0.
func strictCompletion(c *cobra.Command) {
	c.Args = cobra.ArbitraryArgs
	c.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return cmd.Help()
		}
		return fmt.Errorf("unknown shell %s: use bash, zsh, fish or powershell", args[0])
	}
}

func newVersionCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print staffseed's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(a.streams.Stdout, "staffseed %s\n", version())
			return err
		},
	}
}

// version is the build's version: the -ldflags value, else the module
// version, else "dev".
func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
