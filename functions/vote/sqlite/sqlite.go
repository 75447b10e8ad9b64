// Package sqlite is the embedded vote store: one SQLite file in WAL mode with
// synchronous=FULL, through the pure-Go modernc.org/sqlite driver.
//
// Durability costs an fsync per transaction, so the store commits in groups:
// one goroutine owns the only write connection; Cast hands it the vote and
// waits; the writer takes every vote queued since its last commit, runs each
// in its own SAVEPOINT inside one BEGIN IMMEDIATE transaction (so a refused
// vote rolls back alone) and answers all of them only after COMMIT returns.
// Under load the batch grows by itself while the previous one is being
// synced; an idle store commits a lone vote at once.
//
// The network quota and the single use of a proof of work are enforced in
// the same savepoint as the vote they concern, so a refused vote counts
// against nothing and the group commit's durability covers them too.
//
// Checkpoints (copying the WAL back into the database) are kept off the
// writer's path: the write connection never checkpoints by itself, and a
// background goroutine runs a PASSIVE checkpoint on a reader connection
// every checkpointEvery, so no vote waits for one.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote"
	_ "modernc.org/sqlite"
)

//go:embed migrations/*.sql
var migrations embed.FS

// checkpointEvery is how often the background checkpoint runs.
const checkpointEvery = 500 * time.Millisecond

// maxBatch bounds one group commit, so a burst cannot hold the write lock
// for long.
const maxBatch = 512

// Store is a vote.Store on a SQLite database file.
type Store struct {
	db *sql.DB // readers
	w  *sql.Conn

	mu     sync.RWMutex // guards sending on reqs against Close
	closed bool
	reqs   chan *castReq
	exited chan struct{}

	stopCheckpoints chan struct{}
	checkpointsDone chan struct{}

	stmts struct {
		receipt, ballot, tally, insert     *sql.Stmt
		network, proofUsed                 *sql.Stmt
		begin, commit, save, release, undo *sql.Stmt
	}
}

type castReq struct {
	ctx  context.Context
	v    vote.Vote
	n    int
	err  error
	done chan struct{}
}

// Open opens (creating it if needed) the database at path and brings its
// schema up to date.
func Open(ctx context.Context, path string) (*Store, error) {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(10000)", "foreign_keys(1)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(8)
	s := &Store{
		db:              db,
		reqs:            make(chan *castReq, maxBatch),
		exited:          make(chan struct{}),
		stopCheckpoints: make(chan struct{}),
		checkpointsDone: make(chan struct{}),
	}
	if err := s.open(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite store %s: %w", path, err)
	}
	go s.writer()
	go s.checkpoints()
	return s, nil
}

// checkpoints copies committed WAL frames into the database in the
// background until Close.
func (s *Store) checkpoints() {
	defer close(s.checkpointsDone)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-s.stopCheckpoints:
			return
		case <-t.C:
			// Errors (SQLITE_BUSY included) only mean the next tick does
			// the work; the WAL keeps every commit safe meanwhile.
			s.db.ExecContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)")
		}
	}
}

func (s *Store) open(ctx context.Context) (err error) {
	if s.w, err = s.db.Conn(ctx); err != nil {
		return err
	}
	var mode string
	if err := s.w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return err
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("journal_mode is %s, want wal", mode)
	}
	if err := s.exec(ctx, "PRAGMA wal_autocheckpoint = 0"); err != nil {
		return err
	}
	if err := s.migrate(ctx); err != nil {
		return err
	}
	prep := func(dst **sql.Stmt, query string) {
		if err == nil {
			*dst, err = s.w.PrepareContext(ctx, query)
		}
	}
	prep(&s.stmts.begin, "BEGIN IMMEDIATE")
	prep(&s.stmts.commit, "COMMIT")
	prep(&s.stmts.save, "SAVEPOINT vote")
	prep(&s.stmts.release, "RELEASE vote")
	prep(&s.stmts.undo, "ROLLBACK TO vote")
	prep(&s.stmts.receipt, `SELECT contest, entry, votes_after FROM votes WHERE voter = ? AND idem_key = ?`)
	prep(&s.stmts.ballot, `INSERT INTO ballots (contest, voter, used) VALUES (?, ?, 1)
		ON CONFLICT (contest, voter) DO UPDATE SET used = used + 1 WHERE used < ?`)
	prep(&s.stmts.tally, `INSERT INTO tallies (contest, entry, votes) VALUES (?, ?, 1)
		ON CONFLICT (contest, entry) DO UPDATE SET votes = votes + 1 RETURNING votes`)
	prep(&s.stmts.network, `INSERT INTO network_votes (contest, network, day, used) VALUES (?, ?, ?, 1)
		ON CONFLICT (contest, network, day) DO UPDATE SET used = used + 1 WHERE used < ?`)
	prep(&s.stmts.proofUsed, `SELECT EXISTS (SELECT 1 FROM votes WHERE proof = ?)`)
	prep(&s.stmts.insert, `INSERT INTO votes (contest, voter, entry, idem_key, votes_after, cast_at, network, proof)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
	return err
}

// migrate applies the embedded migrations newer than PRAGMA user_version,
// each in its own transaction.
func (s *Store) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for i, name := range names {
		version := i + 1
		if err := s.exec(ctx, "BEGIN IMMEDIATE"); err != nil {
			return err
		}
		var have int
		err := s.w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have)
		if err == nil && have < version {
			var body []byte
			if body, err = migrations.ReadFile(name); err == nil {
				if err = s.exec(ctx, string(body)); err == nil {
					err = s.exec(ctx, fmt.Sprintf("PRAGMA user_version = %d", version))
				}
			}
			if err != nil {
				err = fmt.Errorf("migration %s: %w", name, err)
			}
		}
		if err != nil {
			s.exec(context.Background(), "ROLLBACK")
			return err
		}
		if err := s.exec(ctx, "COMMIT"); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) exec(ctx context.Context, query string) error {
	_, err := s.w.ExecContext(ctx, query)
	return err
}

func run(ctx context.Context, st *sql.Stmt) error {
	_, err := st.ExecContext(ctx)
	return err
}

// Cast implements vote.Store.
func (s *Store) Cast(ctx context.Context, v vote.Vote) (int, error) {
	req := &castReq{ctx: ctx, v: v, done: make(chan struct{})}
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return 0, errors.New("sqlite store: closed")
	}
	select {
	case s.reqs <- req:
	case <-ctx.Done():
		s.mu.RUnlock()
		return 0, ctx.Err()
	}
	s.mu.RUnlock()
	select {
	case <-req.done:
		return req.n, req.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// writer owns the write connection and commits queued votes in groups until
// Close closes reqs.
func (s *Store) writer() {
	defer close(s.exited)
	batch := make([]*castReq, 0, maxBatch)
	for {
		first, ok := <-s.reqs
		if !ok {
			return
		}
		batch = append(batch[:0], first)
	fill:
		for len(batch) < maxBatch {
			select {
			case r, ok := <-s.reqs:
				if !ok {
					break fill
				}
				batch = append(batch, r)
			default:
				break fill
			}
		}
		s.commit(batch)
	}
}

// commit runs one group of votes in one transaction and answers each.
func (s *Store) commit(batch []*castReq) {
	ctx := context.Background() // a vote in the batch must not abort the others
	answer := func(err error) {
		for _, r := range batch {
			if err != nil && r.err == nil {
				r.n, r.err = 0, err
			}
			close(r.done)
		}
	}
	if err := run(ctx, s.stmts.begin); err != nil {
		answer(fmt.Errorf("sqlite store: begin: %w", err))
		return
	}
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.err = err // the caller has gone: do not count a vote nobody will acknowledge
			continue
		}
		if err := run(ctx, s.stmts.save); err != nil {
			r.err = err
			continue
		}
		r.n, r.err = s.castOne(ctx, r.v)
		if r.err != nil {
			if err := run(ctx, s.stmts.undo); err != nil {
				s.exec(ctx, "ROLLBACK")
				answer(fmt.Errorf("sqlite store: rollback to savepoint: %w", err))
				return
			}
		}
		if err := run(ctx, s.stmts.release); err != nil {
			s.exec(ctx, "ROLLBACK")
			answer(fmt.Errorf("sqlite store: release savepoint: %w", err))
			return
		}
	}
	if err := run(ctx, s.stmts.commit); err != nil {
		s.exec(ctx, "ROLLBACK")
		answer(fmt.Errorf("sqlite store: commit: %w", err))
		return
	}
	answer(nil)
}

// castOne applies the rules of vote.Store.Cast inside the open savepoint.
func (s *Store) castOne(ctx context.Context, v vote.Vote) (int, error) {
	var key any
	if v.Key != "" {
		key = v.Key
		var rc vote.Receipt
		err := s.stmts.receipt.QueryRowContext(ctx, string(v.Voter), v.Key).Scan(&rc.Contest, &rc.Entry, &rc.Votes)
		switch {
		case err == nil:
			if rc.Contest != v.Contest || rc.Entry != v.Entry {
				return 0, vote.Errorf(vote.Invalid, "this Idempotency-Key was used for another vote")
			}
			return rc.Votes, nil
		case !errors.Is(err, sql.ErrNoRows):
			return 0, err
		}
	}
	var proof any
	if len(v.Proof) > 0 {
		// The only writer runs this check and the insert below: no other
		// vote can take the nonce in between.
		proof = v.Proof
		var used bool
		if err := s.stmts.proofUsed.QueryRowContext(ctx, v.Proof).Scan(&used); err != nil {
			return 0, err
		}
		if used {
			return 0, vote.ErrProofUsed
		}
	}
	res, err := s.stmts.ballot.ExecContext(ctx, v.Contest, string(v.Voter), v.PerVoter)
	if err != nil {
		return 0, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return 0, err
	} else if n == 0 {
		return 0, vote.Errorf(vote.Conflict, "you have used all %d of your votes in this contest", v.PerVoter)
	}
	var network any
	if len(v.Network) > 0 {
		network = v.Network
	}
	if v.NetworkQuota > 0 {
		res, err := s.stmts.network.ExecContext(ctx, v.Contest, append([]byte{}, v.Network...), v.At.UTC().Unix()/86400, v.NetworkQuota)
		if err != nil {
			return 0, err
		}
		if n, err := res.RowsAffected(); err != nil {
			return 0, err
		} else if n == 0 {
			return 0, vote.ErrNetworkQuota
		}
	}
	var count int
	if err := s.stmts.tally.QueryRowContext(ctx, v.Contest, v.Entry).Scan(&count); err != nil {
		return 0, err
	}
	res, err = s.stmts.insert.ExecContext(ctx, v.Contest, string(v.Voter), v.Entry, key, count, v.At.UnixMicro(), network, proof)
	if err != nil {
		return 0, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return 0, err
	} else if n == 0 {
		return 0, vote.Errorf(vote.Conflict, "you have already voted for this entry")
	}
	return count, nil
}

// Counts implements vote.Store.
func (s *Store) Counts(ctx context.Context, contest string) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT entry, votes FROM tallies WHERE contest = ? AND votes > 0`, contest)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := make(map[string]int)
	for rows.Next() {
		var e string
		var n int
		if err := rows.Scan(&e, &n); err != nil {
			return nil, err
		}
		counts[e] = n
	}
	return counts, rows.Err()
}

// Audit implements vote.Store.
func (s *Store) Audit(ctx context.Context, contest string, min int) ([]vote.Burst, error) {
	const hour = int64(time.Hour / time.Microsecond)
	rows, err := s.db.QueryContext(ctx, `SELECT network, entry, cast_at / ? AS h, count(*) AS n FROM votes
		WHERE contest = ? AND network IS NOT NULL
		GROUP BY network, entry, h HAVING n >= ?
		ORDER BY n DESC, h, entry, network`, hour, contest, max(min, 1))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vote.Burst
	for rows.Next() {
		var b vote.Burst
		var h int64
		if err := rows.Scan(&b.Network, &b.Entry, &h, &b.Votes); err != nil {
			return nil, err
		}
		b.Hour = time.UnixMicro(h * hour).UTC()
		out = append(out, b)
	}
	return out, rows.Err()
}

// Receipt implements vote.Store.
func (s *Store) Receipt(ctx context.Context, voter vote.Voter, key string) (vote.Receipt, error) {
	var rc vote.Receipt
	err := s.db.QueryRowContext(ctx, `SELECT contest, entry, votes_after FROM votes WHERE voter = ? AND idem_key = ?`,
		string(voter), key).Scan(&rc.Contest, &rc.Entry, &rc.Votes)
	if errors.Is(err, sql.ErrNoRows) {
		return rc, vote.Errorf(vote.NotFound, "no vote with this key")
	}
	return rc, err
}

// Close implements vote.Store.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.reqs)
	s.mu.Unlock()
	<-s.exited
	close(s.stopCheckpoints)
	<-s.checkpointsDone
	s.exec(context.Background(), "PRAGMA wal_checkpoint(TRUNCATE)")
	for _, st := range []*sql.Stmt{s.stmts.receipt, s.stmts.ballot, s.stmts.tally, s.stmts.insert, s.stmts.network, s.stmts.proofUsed,
		s.stmts.begin, s.stmts.commit, s.stmts.save, s.stmts.release, s.stmts.undo} {
		if st != nil {
			st.Close()
		}
	}
	return errors.Join(s.w.Close(), s.db.Close())
}
