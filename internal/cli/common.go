package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/px360/staffseed/internal/spec"
	"github.com/px360/staffseed/internal/store"
	"github.com/spf13/cobra"
)

// specFlags are the flags of every command that reads a spec.
type specFlags struct {
	path     string
	vars     []string
	varFiles []string
}

func (f *specFlags) register(cmd *cobra.Command, required bool) {
	cmd.Flags().StringVarP(&f.path, "file", "f", "", "spec `PATH`: a file, a directory of *.yaml/*.yml/*.hcl files, or - for YAML on stdin")
	cmd.Flags().StringArrayVar(&f.vars, "var", nil, "set an HCL variable: `name=value` (repeatable)")
	cmd.Flags().StringArrayVar(&f.varFiles, "var-file", nil, "read HCL variable values from a `FILE` of name = value lines (repeatable)")
	if required {
		_ = cmd.MarkFlagRequired("file")
	}
}

// loadSpec reads and checks the spec, printing every diagnostic at once.
func (a *app) loadSpec(f specFlags) (*spec.Spec, error) {
	vars := map[string]string{}
	for _, v := range f.vars {
		name, value, ok := strings.Cut(v, "=")
		if !ok || name == "" {
			return nil, fmt.Errorf("--var %q: want name=value", v)
		}
		vars[name] = value
	}
	s, diags := spec.Load(f.path, spec.LoadOptions{Stdin: a.streams.Stdin, Vars: vars, VarFiles: f.varFiles, Env: a.streams.Getenv})
	if len(diags) > 0 {
		_ = spec.WriteDiagnostics(a.streams.Stderr, diags, s.Sources, 100, a.color())
	}
	if diags.HasErrors() {
		n := 0
		for _, d := range diags {
			if d.Severity == hcl.DiagError {
				n++
			}
		}
		return nil, &exitError{code: 1, msg: fmt.Sprintf("the spec has %d error(s); nothing was done", n)}
	}
	return s, nil
}

// color reports whether output may be coloured: not with --no-color, not
// with NO_COLOR set, and only on a terminal.
func (a *app) color() bool {
	return !a.noColor && a.streams.Getenv("NO_COLOR") == "" && a.streams.StdoutTerminal()
}

// libpqVars are the libpq environment variables that say where to connect.
var libpqVars = []string{"PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGPASSWORD",
	"PGPASSFILE", "PGSERVICE", "PGSERVICEFILE", "PGSSLMODE", "PGAPPNAME", "PGCONNECT_TIMEOUT"}

// errNoDatabase is openDB's error when nothing names a database.
var errNoDatabase = errors.New("no database given: use --database URL, set DATABASE_URL, or the libpq PG* variables (PGHOST, PGDATABASE, PGUSER, …)")

// openDB connects to the database named by --database, DATABASE_URL or the
// PG* variables; it refuses to guess when none is set.
func (a *app) openDB(ctx context.Context) (*store.DB, error) {
	url := a.database
	if url == "" {
		url = a.streams.Getenv("DATABASE_URL")
	}
	if url == "" && !slices.ContainsFunc(libpqVars, func(v string) bool { return a.streams.Getenv(v) != "" }) {
		return nil, errNoDatabase
	}
	if err := checkScheme(url); err != nil {
		source := "DATABASE_URL"
		if a.database != "" {
			source = "--database"
		}
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	return store.Open(ctx, url)
}

// urlScheme matches the scheme of a URL (not of a keyword/value string).
var urlScheme = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.-]*)://`)

// checkScheme refuses a URL of another database (mysql://…), which libpq
// parsing would report only as an invalid keyword/value string.
func checkScheme(url string) error {
	m := urlScheme.FindStringSubmatch(url)
	if m == nil {
		return nil
	}
	switch strings.ToLower(m[1]) {
	case "postgres", "postgresql":
		return nil
	}
	return fmt.Errorf("not a PostgreSQL URL (postgres://…); it starts with %s://", m[1])
}

// lockFlags bound the wait for the apply lock.
type lockFlags struct{ timeout time.Duration }

func (f *lockFlags) register(cmd *cobra.Command) {
	cmd.Flags().DurationVar(&f.timeout, "lock-timeout", 30*time.Second, "how long to wait for another staffseed run to finish (e.g. 30s, 5m)")
}

func fprintf(w io.Writer, format string, args ...any) {
	_, _ = fmt.Fprintf(w, format, args...)
}
