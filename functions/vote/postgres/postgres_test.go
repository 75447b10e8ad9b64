package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/functions/vote/postgres"
	"github.com/postcard-ssg/postcard/functions/vote/votetest"
)

// dsn returns the test server's DSN. Without one the tests skip, except in
// CI, where the PostgreSQL store must be tested: there they fail.
func dsn(t *testing.T) string {
	t.Helper()
	d := os.Getenv("POSTCARD_TEST_POSTGRES")
	if d == "" {
		msg := "POSTCARD_TEST_POSTGRES is not set; start a server with " +
			`eval "$(functions/vote/postgres/testdata/start-postgres.sh)"`
		if os.Getenv("CI") == "true" {
			t.Fatal(msg + " (CI must run the PostgreSQL store's tests)")
		}
		t.Skip(msg)
	}
	return d
}

// freshSchema creates an empty schema, drops it when the test ends, and
// returns a DSN whose connections use it.
func freshSchema(t *testing.T, base string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to POSTCARD_TEST_POSTGRES: %v", err)
	}
	defer conn.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "votetest_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Error(err)
		}
	})
	if u, err := url.Parse(base); err == nil && strings.HasPrefix(base, "postgres") {
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return base + " search_path=" + schema
}

func TestConformance(t *testing.T) {
	base := dsn(t)
	votetest.Run(t, func(t *testing.T) (vote.Store, func(t *testing.T) vote.Store) {
		d := freshSchema(t, base)
		open := func(t *testing.T) vote.Store {
			s, err := postgres.Open(context.Background(), d)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		return open(t), open
	})
}

// TestConformanceServerless runs the suite on the serverless store: one
// connection per instance and no prepared statement kept, as through a
// pooler in transaction mode.
func TestConformanceServerless(t *testing.T) {
	base := dsn(t)
	votetest.Run(t, func(t *testing.T) (vote.Store, func(t *testing.T) vote.Store) {
		d := freshSchema(t, base)
		open := func(t *testing.T) vote.Store {
			s, err := postgres.OpenServerless(context.Background(), d)
			if err != nil {
				t.Fatal(err)
			}
			if n := s.MaxConns(); n != 1 {
				t.Fatalf("a serverless instance may open %d connections, want 1", n)
			}
			return s
		}
		return open(t), open
	})
}

func TestMigrateTwice(t *testing.T) {
	d := freshSchema(t, dsn(t))
	ctx := context.Background()
	for range 2 {
		s, err := postgres.Open(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
}

// TestOpenCurrentSchemaTakesNoLock starts an instance on an up-to-date
// schema while another session holds the migrations' advisory lock: a burst
// of cold starts must not queue on it one after another, and through a
// pooler the store should take no lock it does not need.
func TestOpenCurrentSchemaTakesNoLock(t *testing.T) {
	base := dsn(t)
	d := freshSchema(t, base)
	ctx := context.Background()
	s, err := postgres.OpenServerless(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	holder, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close(ctx)
	if _, err := holder.Exec(ctx, `SELECT pg_advisory_lock(7450923410)`); err != nil {
		t.Fatal(err)
	}
	defer holder.Exec(ctx, `SELECT pg_advisory_unlock(7450923410)`)

	tctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	s, err = postgres.OpenServerless(tctx, d)
	if err != nil {
		t.Fatalf("a cold start on a current schema waited for the migration lock: %v", err)
	}
	defer s.Close()
	if _, err := s.Counts(ctx, "any"); err != nil {
		t.Fatal(err)
	}
}

func TestSubmissionConformance(t *testing.T) {
	base := dsn(t)
	votetest.RunSubmissions(t, func(t *testing.T) (votetest.SubmissionStore, func(t *testing.T) votetest.SubmissionStore) {
		d := freshSchema(t, base)
		open := func(t *testing.T) votetest.SubmissionStore {
			s, err := postgres.Open(context.Background(), d)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		return open(t), open
	})
}

// TestSubmissionCrash kills a process serving submissions on the database
// with SIGKILL in the middle of uploads, then checks the database.
func TestSubmissionCrash(t *testing.T) {
	votetest.CrashChild(func(ctx context.Context, spec string) (vote.SubmissionStore, error) { return postgres.Open(ctx, spec) })
	d := freshSchema(t, dsn(t))
	votetest.Crash(t, d, func(t *testing.T) votetest.SubmissionStore {
		s, err := postgres.Open(context.Background(), d)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
