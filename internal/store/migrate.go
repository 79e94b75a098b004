package store

import (
	"context"
	"embed"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strconv"

	"github.com/jackc/pgx/v5"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations are the embedded migrations in version order.
var migrations = loadMigrations()

var migrationName = regexp.MustCompile(`^(\d{4})_([a-z0-9_]+)\.sql$`)

func loadMigrations() []Migration {
	entries, err := migrationFiles.ReadDir("migrations")
	if err != nil {
		panic(err)
	}
	var ms []Migration
	for _, e := range entries {
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			panic("store: badly named migration " + e.Name())
		}
		sql, err := migrationFiles.ReadFile(path.Join("migrations", e.Name()))
		if err != nil {
			panic(err)
		}
		v, _ := strconv.Atoi(m[1])
		ms = append(ms, Migration{Version: v, Name: m[2], SQL: string(sql)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i := 1; i < len(ms); i++ {
		if ms[i].Version == ms[i-1].Version {
			panic(fmt.Sprintf("store: two migrations numbered %d", ms[i].Version))
		}
	}
	return ms
}

// Migrations returns every embedded migration in order.
func Migrations() []Migration { return append([]Migration(nil), migrations...) }

// LatestVersion is the version the embedded migrations bring a database to.
func LatestVersion() int { return migrations[len(migrations)-1].Version }

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS staffseed_migrations (
	version int PRIMARY KEY,
	name text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now()
)`

// querier is what reading needs from a pool, a connection or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// appliedVersions reads staffseed_migrations; a database without it has
// none applied.
func appliedVersions(ctx context.Context, q querier) (map[int]bool, error) {
	var exists bool
	if err := q.QueryRow(ctx, `SELECT to_regclass('staffseed_migrations') IS NOT NULL`).Scan(&exists); err != nil {
		return nil, dbError("read migrations", err)
	}
	applied := map[int]bool{}
	if !exists {
		return applied, nil
	}
	rows, err := q.Query(ctx, `SELECT version FROM staffseed_migrations`)
	if err != nil {
		return nil, dbError("read migrations", err)
	}
	vs, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		return nil, dbError("read migrations", err)
	}
	for _, v := range vs {
		applied[v] = true
	}
	return applied, nil
}

// pendingOf returns the schema version and the migrations not yet applied.
func pendingOf(ctx context.Context, q querier) (int, []Migration, error) {
	applied, err := appliedVersions(ctx, q)
	if err != nil {
		return 0, nil, err
	}
	version := 0
	var pending []Migration
	for _, m := range migrations {
		if applied[m.Version] {
			version = max(version, m.Version)
		} else {
			pending = append(pending, m)
		}
	}
	return version, pending, nil
}

// Pending returns the migrations not yet applied, in order. It works on a
// database staffseed has never touched.
func (db *DB) Pending(ctx context.Context) ([]Migration, error) {
	_, pending, err := pendingOf(ctx, db.pool)
	return pending, err
}

// Migrate applies the pending migrations in order, each in its own
// transaction, and returns those it applied. Concurrent runs wait for each
// other; a migration another run applied meanwhile is skipped.
func (db *DB) Migrate(ctx context.Context) ([]Migration, error) {
	pending, err := db.Pending(ctx)
	if err != nil {
		return nil, err
	}
	var done []Migration
	for _, m := range pending {
		applied, err := db.applyMigration(ctx, m)
		if err != nil {
			return done, err
		}
		if applied {
			done = append(done, m)
		}
	}
	return done, nil
}

func (db *DB) applyMigration(ctx context.Context, m Migration) (applied bool, err error) {
	what := fmt.Sprintf("migration %04d_%s", m.Version, m.Name)
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrateLockKey); err != nil {
			return dbError(what, err)
		}
		if _, err := tx.Exec(ctx, createMigrationsTable); err != nil {
			return dbError(what, err)
		}
		var done bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM staffseed_migrations WHERE version = $1)`, m.Version).Scan(&done); err != nil {
			return dbError(what, err)
		}
		if done {
			return nil
		}
		if _, err := tx.Exec(ctx, m.SQL); err != nil {
			return dbError(what, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO staffseed_migrations (version, name, applied_at) VALUES ($1, $2, now())`, m.Version, m.Name); err != nil {
			return dbError(what, err)
		}
		applied = true
		return nil
	})
	return applied, err
}
