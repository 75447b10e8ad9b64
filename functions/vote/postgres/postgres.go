// Package postgres is the vote store for serverless hosts and scale: a
// PostgreSQL database through a pgx connection pool.
//
// Each Cast is one call of the postcard_cast SQL function (a migration
// defines it): one statement, so one transaction and one round trip, whose
// steps take row locks in one order (the voter's ballot row, then the
// entry's tally row, then the vote's key), so concurrent casts serialize
// where they must and never deadlock: the conditional upsert on ballots enforces votes_per_voter, the
// one on network_votes the network quota, the primary key on votes one vote
// per entry, the unique index on votes.proof the single use of a proof of
// work, and a retry with the same idempotency key finds the committed first
// attempt. PostgreSQL's own group
// commit batches the WAL flushes of concurrent transactions; a Cast returns
// only after its COMMIT (synchronous_commit as configured on the server,
// "on" by default) has been flushed.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/postcard-ssg/postcard/functions/vote"
)

//go:embed migrations/*.sql
var migrations embed.FS

// defaultMaxConns is the pool size when the DSN sets no pool_max_conns.
const defaultMaxConns = 16

// Store is a vote.Store on PostgreSQL.
type Store struct {
	pool *pgxpool.Pool
}

// Open connects to the database named by dsn (a postgres:// URL or key=value
// string; pgxpool's pool_* parameters apply) and brings its schema up to
// date. Concurrent Opens, as on cold-starting serverless instances, migrate
// once: the migrations run under a transaction-scoped advisory lock, taken
// only when the schema is behind. It suits one long-running
// server: a pool of up to 16 connections, prepared statements cached.
func Open(ctx context.Context, dsn string) (*Store, error) {
	return open(ctx, dsn, defaultMaxConns, pgx.QueryExecModeCacheStatement)
}

// OpenServerless is Open for one instance of a serverless function, of
// which a popular contest may run hundreds at once against a server that
// allows 100 connections: each instance holds at most one connection, and
// no prepared statement outlives its query (pgx's exec mode), so the store
// works through a pooler in transaction mode (PgBouncer, RDS Proxy), where
// consecutive transactions may land on different server connections. The
// DSN's pool_max_conns and default_query_exec_mode still win.
func OpenServerless(ctx context.Context, dsn string) (*Store, error) {
	return open(ctx, dsn, 1, pgx.QueryExecModeExec)
}

func open(ctx context.Context, dsn string, maxConns int32, mode pgx.QueryExecMode) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres store: %w", err)
	}
	if !strings.Contains(dsn, "pool_max_conns") {
		cfg.MaxConns = maxConns
	}
	if !strings.Contains(dsn, "default_query_exec_mode") {
		cfg.ConnConfig.DefaultQueryExecMode = mode
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres store: %w", err)
	}
	s := &Store{pool: pool}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres store: %w", err)
	}
	return s, nil
}

// MaxConns is the most connections the store opens.
func (s *Store) MaxConns() int { return int(s.pool.Config().MaxConns) }

func (s *Store) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	latest := 0
	for _, name := range names {
		version, err := strconv.Atoi(strings.SplitN(strings.TrimPrefix(name, "migrations/"), "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: no version number", name)
		}
		latest = max(latest, version)
	}
	// A schema already up to date, as every cold start but the first after
	// a release finds it, costs one query and no lock: hundreds of
	// instances starting at once do not queue on the advisory lock one
	// transaction after another, and a pooler sees no lock function.
	var current int
	if err := s.pool.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&current); err == nil && current >= latest {
		return nil
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(7450923410)`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    integer PRIMARY KEY,
			applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return err
		}
		var have int
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
			return err
		}
		for _, name := range names {
			version, err := strconv.Atoi(strings.SplitN(strings.TrimPrefix(name, "migrations/"), "_", 2)[0])
			if err != nil {
				return fmt.Errorf("migration %s: no version number", name)
			}
			if version <= have {
				continue
			}
			body, err := migrations.ReadFile(name)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, string(body)); err != nil {
				return fmt.Errorf("migration %s: %w", name, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, version); err != nil {
				return err
			}
		}
		return nil
	})
}

// Cast implements vote.Store.
func (s *Store) Cast(ctx context.Context, v vote.Vote) (int, error) {
	if v.Key != "" {
		rc, err := s.Receipt(ctx, v.Voter, v.Key)
		if err == nil {
			return replay(rc, v)
		} else if vote.ErrorCode(err) != vote.NotFound {
			return 0, err
		}
	}
	var key any
	if v.Key != "" {
		key = v.Key
	}
	// One statement, so one implicit transaction and one round trip: the
	// fewer the round trips, the shorter the entry's tally row stays locked.
	var network, proof []byte
	if len(v.Network) > 0 {
		network = v.Network
	}
	if len(v.Proof) > 0 {
		proof = v.Proof
	}
	var count int
	err := s.pool.QueryRow(ctx, `SELECT postcard_cast($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		v.Contest, string(v.Voter), v.Entry, key, v.PerVoter, v.At, network, v.NetworkQuota, proof).Scan(&count)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case pgErr.Code == "PCV03":
			return 0, vote.ErrNetworkQuota
		case pgErr.Code == "PCV04", pgErr.Code == "23505" && pgErr.ConstraintName == "votes_proof":
			return 0, vote.ErrProofUsed
		case pgErr.Code == "23505" && pgErr.ConstraintName == "votes_idem_key":
			// The key was used for another entry by a concurrent vote:
			// answered below as a replay.
			pgErr.Code = "PCV02"
		}
	}
	if errors.As(err, &pgErr) && (pgErr.Code == "PCV01" || pgErr.Code == "PCV02") {
		if v.Key != "" {
			// A concurrent attempt with the same key may have won.
			if rc, err := s.Receipt(ctx, v.Voter, v.Key); err == nil {
				return replay(rc, v)
			}
		}
		if pgErr.Code == "PCV01" {
			return 0, vote.Errorf(vote.Conflict, "you have used all %d of your votes in this contest", v.PerVoter)
		}
		return 0, vote.Errorf(vote.Conflict, "you have already voted for this entry")
	}
	if err != nil {
		return 0, fmt.Errorf("postgres store: cast: %w", err)
	}
	return count, nil
}

func replay(rc vote.Receipt, v vote.Vote) (int, error) {
	if rc.Contest != v.Contest || rc.Entry != v.Entry {
		return 0, vote.Errorf(vote.Invalid, "this Idempotency-Key was used for another vote")
	}
	return rc.Votes, nil
}

// Counts implements vote.Store.
func (s *Store) Counts(ctx context.Context, contest string) (map[string]int, error) {
	rows, err := s.pool.Query(ctx, `SELECT entry, votes FROM tallies WHERE contest = $1 AND votes > 0`, contest)
	if err != nil {
		return nil, fmt.Errorf("postgres store: counts: %w", err)
	}
	counts := make(map[string]int)
	var entry string
	var n int
	_, err = pgx.ForEachRow(rows, []any{&entry, &n}, func() error {
		counts[entry] = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres store: counts: %w", err)
	}
	return counts, nil
}

// Audit implements vote.Store.
func (s *Store) Audit(ctx context.Context, contest string, min int) ([]vote.Burst, error) {
	rows, err := s.pool.Query(ctx, `SELECT network, entry, date_trunc('hour', cast_at AT TIME ZONE 'UTC') AS h, count(*) AS n
		FROM votes WHERE contest = $1 AND network IS NOT NULL
		GROUP BY network, entry, h HAVING count(*) >= $2
		ORDER BY n DESC, h, entry, network`, contest, max(min, 1))
	if err != nil {
		return nil, fmt.Errorf("postgres store: audit: %w", err)
	}
	var out []vote.Burst
	var b vote.Burst
	var h time.Time
	var n int64
	_, err = pgx.ForEachRow(rows, []any{&b.Network, &b.Entry, &h, &n}, func() error {
		out = append(out, vote.Burst{Network: append([]byte{}, b.Network...), Entry: b.Entry,
			Hour: time.Date(h.Year(), h.Month(), h.Day(), h.Hour(), 0, 0, 0, time.UTC), Votes: int(n)})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres store: audit: %w", err)
	}
	return out, nil
}

// Receipt implements vote.Store.
func (s *Store) Receipt(ctx context.Context, voter vote.Voter, key string) (vote.Receipt, error) {
	var rc vote.Receipt
	err := s.pool.QueryRow(ctx, `SELECT contest, entry, votes_after FROM votes WHERE voter = $1 AND idem_key = $2`,
		string(voter), key).Scan(&rc.Contest, &rc.Entry, &rc.Votes)
	if errors.Is(err, pgx.ErrNoRows) {
		return rc, vote.Errorf(vote.NotFound, "no vote with this key")
	}
	if err != nil {
		return rc, fmt.Errorf("postgres store: receipt: %w", err)
	}
	return rc, nil
}

// Close implements vote.Store. pgxpool.Close waits for connections in use to
// be released, so casts in flight finish first.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}
