package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/functions/vote/sqlite"
)

// BenchmarkCastParallel measures the store alone under concurrent casts from
// distinct voters, group commit included (run with -cpu to vary the load).
func BenchmarkCastParallel(b *testing.B) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "votes.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var voters atomic.Int64
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := voters.Add(1)
			v := vote.Vote{Contest: "bench", Entry: fmt.Sprintf("entry-%d", n%50), Voter: vote.Voter(fmt.Sprintf("voter-%d", n)), PerVoter: 3}
			if _, err := s.Cast(ctx, v); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
