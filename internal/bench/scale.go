package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/px360/staffseed/internal/password"
)

// ScaleOptions configure a scale run.
type ScaleOptions struct {
	// Staffseed is the staffseed binary to measure.
	Staffseed string
	// Server is the URL of a throwaway PostgreSQL server's maintenance
	// database; the run creates and drops its own databases on it.
	Server string
	// Dir holds the specs, the CSV file and the outbox.
	Dir string
	// Sizes are the staff counts to apply and plan.
	Sizes []int
	// Accounts is how many accounts with credential emails to create for
	// the hashing figure (0: none).
	Accounts int
	// Iterations of the password hasher for the hashing figure.
	Iterations int
	// Repeat measures each size this many times and keeps the best of
	// each figure, which damps the noise of a shared machine (default 1).
	Repeat int
	// Log receives progress lines.
	Log io.Writer
}

// SizeResult holds the figures of one size.
type SizeResult struct {
	Staff int
	// CreatePlan is `staffseed plan` on the empty database: the share of
	// the apply that is reading, diffing and rendering.
	CreatePlan time.Duration
	// Apply is `staffseed apply` creating Staff staff without accounts on
	// an empty database; ApplyRSS its peak resident memory in bytes.
	Apply    time.Duration
	ApplyRSS int64
	// Plan is `staffseed plan` once the apply is done (no changes).
	Plan    time.Duration
	PlanRSS int64
	// Copy is a plain COPY of the same staff rows from a CSV file into
	// the same table of a fresh database.
	Copy time.Duration
}

// HashResult holds the hashing figures.
type HashResult struct {
	Accounts   int
	Iterations int
	Cores      int
	// OneHash is the time of one password hash (best of six).
	OneHash time.Duration
	// Apply is `staffseed apply` creating the staff, their accounts and
	// credential emails (file transport).
	Apply time.Duration
	// Rest is the same apply with one hasher iteration: everything but
	// the hashing.
	Rest time.Duration
}

// Ideal is Accounts × OneHash / Cores: the hashing alone on every core.
func (h HashResult) Ideal() time.Duration {
	return h.OneHash * time.Duration(h.Accounts) / time.Duration(h.Cores)
}

// Report is the outcome of a scale run.
type Report struct {
	Machine Machine
	Sizes   []SizeResult
	Hash    *HashResult
}

// Machine describes where the figures were taken.
type Machine struct {
	Cores      int
	CPU        string
	Memory     string
	PostgreSQL string
	Go         string
}

// Scale runs the scale comparison. On an error it returns the figures
// taken so far with it.
func Scale(ctx context.Context, opts ScaleOptions) (*Report, error) {
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	r := &Report{}
	var err error
	if r.Machine, err = machine(ctx, opts.Server); err != nil {
		return nil, err
	}
	for _, n := range opts.Sizes {
		fmt.Fprintf(opts.Log, "scale: %d staff…\n", n)
		var best SizeResult
		for rep := range max(1, opts.Repeat) {
			res, err := scaleSize(ctx, opts, n)
			if err != nil {
				return r, fmt.Errorf("%d staff: %w", n, err)
			}
			if rep == 0 {
				best = res
				continue
			}
			best.CreatePlan, best.Apply, best.Plan, best.Copy = min(best.CreatePlan, res.CreatePlan),
				min(best.Apply, res.Apply), min(best.Plan, res.Plan), min(best.Copy, res.Copy)
			best.ApplyRSS, best.PlanRSS = max(best.ApplyRSS, res.ApplyRSS), max(best.PlanRSS, res.PlanRSS)
		}
		r.Sizes = append(r.Sizes, best)
	}
	if opts.Accounts > 0 {
		fmt.Fprintf(opts.Log, "scale: %d accounts at %d iterations…\n", opts.Accounts, opts.Iterations)
		if r.Hash, err = hashing(ctx, opts); err != nil {
			return r, fmt.Errorf("hashing: %w", err)
		}
	}
	return r, nil
}

func scaleSize(ctx context.Context, opts ScaleOptions, n int) (SizeResult, error) {
	res := SizeResult{Staff: n}
	name := fmt.Sprintf("bench_%d", n)
	url, err := createDB(ctx, opts.Server, name)
	if err != nil {
		return res, err
	}
	defer dropDB(ctx, opts.Server, name)
	path, err := WriteSpec(opts.Dir, SpecOptions{Staff: n})
	if err != nil {
		return res, err
	}
	if _, _, err := run(ctx, opts.Staffseed, url, "migrate"); err != nil {
		return res, err
	}
	if res.CreatePlan, _, err = run(ctx, opts.Staffseed, url, "plan", "-f", path); err != nil {
		return res, err
	}
	if res.Apply, res.ApplyRSS, err = run(ctx, opts.Staffseed, url, "apply", "-f", path, "--auto-approve"); err != nil {
		return res, err
	}
	if res.Plan, res.PlanRSS, err = run(ctx, opts.Staffseed, url, "plan", "-f", path, "--detailed-exitcode"); err != nil {
		return res, fmt.Errorf("plan after apply (must find no changes): %w", err)
	}
	csv := filepath.Join(opts.Dir, fmt.Sprintf("staff-%d.csv", n))
	if err := exportStaff(ctx, url, csv); err != nil {
		return res, err
	}
	defer os.Remove(csv)
	res.Copy, err = copyBaseline(ctx, opts, url, csv, n)
	return res, err
}

// staffColumns are the staff columns the baseline copies: every column
// apply writes, ids included.
const staffColumns = `id, hospital_id, department_id, staff_type, employee_id, first_name, last_name,
	first_name_ar, last_name_ar, gender, email, user_id, staffseed_key, staffseed_seed, specialization`

// exportStaff writes the applied staff rows to a CSV file.
func exportStaff(ctx context.Context, url, path string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	_, err = conn.PgConn().CopyTo(ctx, w, `COPY (SELECT `+staffColumns+` FROM staff ORDER BY id) TO STDOUT (FORMAT csv)`)
	return errors.Join(err, w.Flush(), f.Close())
}

// copyBaseline loads the CSV file into the staff table of a fresh,
// migrated database holding the same hospitals and departments, and
// returns the time of the COPY alone.
func copyBaseline(ctx context.Context, opts ScaleOptions, from, csv string, n int) (time.Duration, error) {
	name := fmt.Sprintf("bench_copy_%d", n)
	url, err := createDB(ctx, opts.Server, name)
	if err != nil {
		return 0, err
	}
	defer dropDB(ctx, opts.Server, name)
	if _, _, err := run(ctx, opts.Staffseed, url, "migrate"); err != nil {
		return 0, err
	}
	src, err := pgx.Connect(ctx, from)
	if err != nil {
		return 0, err
	}
	defer src.Close(ctx)
	dst, err := pgx.Connect(ctx, url)
	if err != nil {
		return 0, err
	}
	defer dst.Close(ctx)
	for _, table := range []string{"hospitals", "departments"} {
		var rows []byte
		var b strings.Builder
		if _, err := src.PgConn().CopyTo(ctx, &b, `COPY `+table+` TO STDOUT`); err != nil {
			return 0, err
		}
		rows = []byte(b.String())
		if _, err := dst.PgConn().CopyFrom(ctx, strings.NewReader(string(rows)), `COPY `+table+` FROM STDIN`); err != nil {
			return 0, err
		}
	}
	f, err := os.Open(csv)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	start := time.Now()
	tag, err := dst.PgConn().CopyFrom(ctx, bufio.NewReader(f), `COPY staff (`+staffColumns+`) FROM STDIN (FORMAT csv)`)
	elapsed := time.Since(start)
	if err != nil {
		return 0, err
	}
	if tag.RowsAffected() != int64(n) {
		return 0, fmt.Errorf("COPY loaded %d rows of %d", tag.RowsAffected(), n)
	}
	return elapsed, nil
}

// hashing times one hash, then an apply creating opts.Accounts accounts
// whose credentials are emailed (so that each gets a hashed password).
func hashing(ctx context.Context, opts ScaleOptions) (*HashResult, error) {
	h := &HashResult{Accounts: opts.Accounts, Iterations: opts.Iterations, Cores: runtime.NumCPU()}
	// One hash is timed three times before the apply and three after.
	oneHash := func() error {
		for range 3 {
			start := time.Now()
			if _, err := password.Hash("Zx9!kQ2#mP4&", opts.Iterations); err != nil {
				return err
			}
			if d := time.Since(start); h.OneHash == 0 || d < h.OneHash {
				h.OneHash = d
			}
		}
		return nil
	}
	if err := oneHash(); err != nil {
		return nil, err
	}
	var err error
	if h.Rest, err = applyAccounts(ctx, opts, 1); err != nil {
		return nil, err
	}
	if h.Apply, err = applyAccounts(ctx, opts, opts.Iterations); err != nil {
		return nil, err
	}
	return h, oneHash()
}

// applyAccounts times an apply creating opts.Accounts staff with accounts
// and credential emails on an empty database.
func applyAccounts(ctx context.Context, opts ScaleOptions, iterations int) (time.Duration, error) {
	name := "bench_accounts"
	url, err := createDB(ctx, opts.Server, name)
	if err != nil {
		return 0, err
	}
	defer dropDB(ctx, opts.Server, name)
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return 0, err
	}
	outbox := filepath.Join(dir, "outbox")
	if err := os.RemoveAll(outbox); err != nil {
		return 0, err
	}
	defer os.RemoveAll(outbox)
	path, err := WriteSpec(opts.Dir, SpecOptions{Staff: opts.Accounts, Accounts: true, Outbox: outbox, Iterations: iterations})
	if err != nil {
		return 0, err
	}
	elapsed, _, err := run(ctx, opts.Staffseed, url, "apply", "-f", path, "--auto-approve")
	if err != nil {
		return 0, err
	}
	sent, err := os.ReadDir(outbox)
	if err != nil {
		return 0, err
	}
	if len(sent) != opts.Accounts {
		return 0, fmt.Errorf("%d credential emails written, want %d", len(sent), opts.Accounts)
	}
	return elapsed, nil
}

// run runs staffseed against the database and returns its wall time and
// peak resident memory; its output is dropped unless it fails.
func run(ctx context.Context, bin, url string, args ...string) (time.Duration, int64, error) {
	cmd := exec.CommandContext(ctx, bin, append(args, "--no-color")...)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+url, "NO_COLOR=1")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	elapsed := time.Since(start)
	if err != nil {
		tail := out.String()
		if len(tail) > 2000 {
			tail = "…" + tail[len(tail)-2000:]
		}
		return 0, 0, fmt.Errorf("staffseed %s: %w\n%s", strings.Join(args, " "), err, tail)
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = ru.Maxrss * 1024 // kilobytes on Linux
	}
	return elapsed, rss, nil
}

func createDB(ctx context.Context, server, name string) (string, error) {
	if err := adminExec(ctx, server, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`, `CREATE DATABASE `+name); err != nil {
		return "", err
	}
	cfg, err := pgx.ParseConfig(server)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("postgres://%s@%s:%d/%s?sslmode=disable", cfg.User, cfg.Host, cfg.Port, name), nil
}

func dropDB(ctx context.Context, server, name string) {
	_ = adminExec(context.WithoutCancel(ctx), server, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
}

func adminExec(ctx context.Context, server string, sqls ...string) error {
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	for _, sql := range sqls {
		if _, err := conn.Exec(ctx, sql); err != nil {
			return fmt.Errorf("%s: %w", sql, err)
		}
	}
	return nil
}

// machine describes the host and the server.
func machine(ctx context.Context, server string) (Machine, error) {
	m := Machine{Cores: runtime.NumCPU(), Go: runtime.Version(), CPU: "unknown", Memory: "unknown"}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(b)) {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for line := range strings.Lines(string(b)) {
			if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				var kb int64
				fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), &kb)
				m.Memory = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
			}
		}
	}
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		return m, err
	}
	defer conn.Close(ctx)
	err = conn.QueryRow(ctx, `SHOW server_version`).Scan(&m.PostgreSQL)
	return m, err
}
