package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/functions/vote/sqlite"
	"github.com/postcard-ssg/postcard/functions/vote/votetest"
)

func TestConformance(t *testing.T) {
	votetest.Run(t, func(t *testing.T) (vote.Store, func(t *testing.T) vote.Store) {
		path := filepath.Join(t.TempDir(), "votes.db")
		open := func(t *testing.T) vote.Store {
			s, err := sqlite.Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		return open(t), open
	})
}

func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "votes.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Cast(ctx, vote.Vote{Contest: "c", Entry: "e", Voter: "v", PerVoter: 1}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = sqlite.Open(ctx, path) // migrations are not applied twice
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	counts, err := s.Counts(ctx, "c")
	if err != nil || counts["e"] != 1 {
		t.Fatalf("after reopening: %v, %v", counts, err)
	}
}

func TestSubmissionConformance(t *testing.T) {
	votetest.RunSubmissions(t, func(t *testing.T) (votetest.SubmissionStore, func(t *testing.T) votetest.SubmissionStore) {
		path := filepath.Join(t.TempDir(), "votes.db")
		open := func(t *testing.T) votetest.SubmissionStore {
			s, err := sqlite.Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		return open(t), open
	})
}

// TestSubmissionCrash kills a process serving submissions on a store file
// with SIGKILL in the middle of uploads, then checks the file.
func TestSubmissionCrash(t *testing.T) {
	votetest.CrashChild(func(ctx context.Context, spec string) (vote.SubmissionStore, error) { return sqlite.Open(ctx, spec) })
	path := filepath.Join(t.TempDir(), "votes.db")
	votetest.Crash(t, path, func(t *testing.T) votetest.SubmissionStore {
		s, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
