// Package votetest is the conformance suite every vote.Store must pass. A
// store's own test calls Run with a function that opens a fresh, empty store;
// the suite checks the contract written on vote.Store, concurrency included,
// and, through vote.Handler, that the store's rules hold across restarts and
// across instances sharing it.
package votetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote"
)

// Opener opens a store on a new database with no votes. It returns the store
// and reopen, which opens another store on the same database, as a restarted
// process or another instance of the function would. Run closes the first
// store; the test closes the stores reopen returns.
type Opener func(t *testing.T) (s vote.Store, reopen func(t *testing.T) vote.Store)

// Run runs the suite.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s vote.Store)
	}{
		{"Counts", testCounts},
		{"Duplicate", testDuplicate},
		{"PerVoterLimit", testPerVoterLimit},
		{"ManyVoters", testManyVoters},
		{"ConcurrentDuplicates", testConcurrentDuplicates},
		{"ConcurrentPerVoterLimit", testConcurrentPerVoterLimit},
		{"Idempotency", testIdempotency},
		{"ConcurrentIdempotency", testConcurrentIdempotency},
		{"NetworkQuota", testNetworkQuota},
		{"ConcurrentNetworkQuota", testConcurrentNetworkQuota},
		{"ProofOnce", testProofOnce},
		{"ConcurrentProofOnce", testConcurrentProofOnce},
		{"Audit", testAudit},
		{"Close", testClose},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := open(t)
			closed := false
			t.Cleanup(func() {
				if !closed {
					s.Close()
				}
			})
			tt.fn(t, s)
			closed = tt.name == "Close"
		})
	}
	t.Run("CookieDroppingScript", func(t *testing.T) { testCookieDroppingScript(t, open) })
}

var at = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func ballot(contest, entry string, voter vote.Voter) vote.Vote {
	return vote.Vote{Contest: contest, Entry: entry, Voter: voter, PerVoter: 3, At: at}
}

func cast(t *testing.T, s vote.Store, v vote.Vote) (int, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return s.Cast(ctx, v)
}

func mustCast(t *testing.T, s vote.Store, v vote.Vote, want int) {
	t.Helper()
	n, err := cast(t, s, v)
	if err != nil {
		t.Fatalf("Cast(%+v): %v", v, err)
	}
	if n != want {
		t.Fatalf("Cast(%+v) = %d, want %d", v, n, want)
	}
}

func wantCode(t *testing.T, err error, code vote.Code) {
	t.Helper()
	if got := vote.ErrorCode(err); got != code {
		t.Fatalf("error %v has code %q, want %q", err, got, code)
	}
}

func wantCounts(t *testing.T, s vote.Store, contest string, want map[string]int) {
	t.Helper()
	got, err := s.Counts(context.Background(), contest)
	if err != nil {
		t.Fatalf("Counts(%q): %v", contest, err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("Counts(%q) = %v, want %v", contest, got, want)
	}
}

func testCounts(t *testing.T, s vote.Store) {
	wantCounts(t, s, "autumn", map[string]int{})
	mustCast(t, s, ballot("autumn", "pier", "v1"), 1)
	mustCast(t, s, ballot("autumn", "pier", "v2"), 2)
	mustCast(t, s, ballot("autumn", "boat", "v1"), 1)
	mustCast(t, s, ballot("spring", "pier", "v1"), 1) // same entry slug, another contest
	wantCounts(t, s, "autumn", map[string]int{"boat": 1, "pier": 2})
	wantCounts(t, s, "spring", map[string]int{"pier": 1})
	wantCounts(t, s, "winter", map[string]int{})
}

func testDuplicate(t *testing.T, s vote.Store) {
	mustCast(t, s, ballot("autumn", "pier", "v1"), 1)
	_, err := cast(t, s, ballot("autumn", "pier", "v1"))
	wantCode(t, err, vote.Conflict)
	// The refused vote used none of the voter's votes.
	mustCast(t, s, ballot("autumn", "boat", "v1"), 1)
	mustCast(t, s, ballot("autumn", "hill", "v1"), 1)
	wantCounts(t, s, "autumn", map[string]int{"boat": 1, "hill": 1, "pier": 1})
}

func testPerVoterLimit(t *testing.T, s vote.Store) {
	for _, e := range []string{"a", "b", "c"} {
		mustCast(t, s, ballot("autumn", e, "v1"), 1)
	}
	_, err := cast(t, s, ballot("autumn", "d", "v1"))
	wantCode(t, err, vote.Conflict)
	// The limit is per contest and per voter.
	mustCast(t, s, ballot("spring", "d", "v1"), 1)
	mustCast(t, s, ballot("autumn", "d", "v2"), 1)
	one := ballot("autumn", "x", "v3")
	one.PerVoter = 1
	mustCast(t, s, one, 1)
	one.Entry = "y"
	_, err = cast(t, s, one)
	wantCode(t, err, vote.Conflict)
	wantCounts(t, s, "autumn", map[string]int{"a": 1, "b": 1, "c": 1, "d": 1, "x": 1})
}

// concurrently runs fn(i) for i in [0, n) at once and returns the results.
func concurrently(t *testing.T, n int, fn func(i int) (int, error)) ([]int, []error) {
	t.Helper()
	counts, errs := make([]int, n), make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			counts[i], errs[i] = fn(i)
		}()
	}
	close(start)
	wg.Wait()
	return counts, errs
}

func testManyVoters(t *testing.T, s vote.Store) {
	const n = 200
	counts, errs := concurrently(t, n, func(i int) (int, error) {
		return cast(t, s, ballot("autumn", "pier", vote.Voter(fmt.Sprintf("voter-%d", i))))
	})
	seen := make(map[int]bool)
	for i, err := range errs {
		if err != nil {
			t.Fatalf("vote %d: %v", i, err)
		}
		if seen[counts[i]] || counts[i] < 1 || counts[i] > n {
			t.Fatalf("vote %d got count %d: counts must be 1..%d, each once", i, counts[i], n)
		}
		seen[counts[i]] = true
	}
	wantCounts(t, s, "autumn", map[string]int{"pier": n})
}

// acceptedOrConflict counts the votes accepted; every other must have been
// refused as a conflict.
func acceptedOrConflict(t *testing.T, errs []error) int {
	t.Helper()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else {
			wantCode(t, err, vote.Conflict)
		}
	}
	return ok
}

func testConcurrentDuplicates(t *testing.T, s vote.Store) {
	const n = 200
	_, errs := concurrently(t, n, func(int) (int, error) {
		return cast(t, s, ballot("autumn", "pier", "v1"))
	})
	ok := acceptedOrConflict(t, errs)
	if ok != 1 {
		t.Fatalf("%d of %d identical votes were accepted, want 1", ok, n)
	}
	wantCounts(t, s, "autumn", map[string]int{"pier": 1})
}

func testConcurrentPerVoterLimit(t *testing.T, s vote.Store) {
	const n = 50
	_, errs := concurrently(t, n, func(i int) (int, error) {
		return cast(t, s, ballot("autumn", fmt.Sprintf("entry-%d", i), "v1"))
	})
	ok := acceptedOrConflict(t, errs)
	if ok != 3 {
		t.Fatalf("one voter got %d votes accepted, want votes_per_voter = 3", ok)
	}
	counts, err := s.Counts(context.Background(), "autumn")
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, c := range counts {
		total += c
	}
	if total != 3 {
		t.Fatalf("counts %v add up to %d, want 3", counts, total)
	}
}

func testIdempotency(t *testing.T, s vote.Store) {
	ctx := context.Background()
	_, err := s.Receipt(ctx, "v1", "k1")
	wantCode(t, err, vote.NotFound)

	v := ballot("autumn", "pier", "v1")
	v.Key = "k1"
	mustCast(t, s, v, 1)
	mustCast(t, s, ballot("autumn", "pier", "v2"), 2)
	// The retry counts once and answers as the first attempt did.
	mustCast(t, s, v, 1)
	rc, err := s.Receipt(ctx, "v1", "k1")
	if err != nil || rc != (vote.Receipt{Contest: "autumn", Entry: "pier", Votes: 1}) {
		t.Fatalf("Receipt = %+v, %v", rc, err)
	}
	// The key belongs to the voter: another voter's same key is another vote.
	w := ballot("autumn", "pier", "v3")
	w.Key = "k1"
	mustCast(t, s, w, 3)
	// The same key for another entry is refused, and records nothing.
	other := v
	other.Entry = "boat"
	_, err = cast(t, s, other)
	wantCode(t, err, vote.Invalid)
	// Without the key, the same vote again is a duplicate.
	_, err = cast(t, s, ballot("autumn", "pier", "v1"))
	wantCode(t, err, vote.Conflict)
	wantCounts(t, s, "autumn", map[string]int{"pier": 3})
}

func testConcurrentIdempotency(t *testing.T, s vote.Store) {
	const n = 50
	counts, errs := concurrently(t, n, func(int) (int, error) {
		v := ballot("autumn", "pier", "v1")
		v.Key = "retry"
		return cast(t, s, v)
	})
	for i, err := range errs {
		if err != nil || counts[i] != 1 {
			t.Fatalf("retry %d = %d, %v; want 1, nil", i, counts[i], err)
		}
	}
	wantCounts(t, s, "autumn", map[string]int{"pier": 1})
}

func testClose(t *testing.T, s vote.Store) {
	mustCast(t, s, ballot("autumn", "pier", "v1"), 1)
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := cast(t, s, ballot("autumn", "pier", "v2")); err == nil {
		t.Fatal("Cast after Close succeeded")
	}
}

func fromNetwork(contest, entry string, voter vote.Voter, network string, quota int) vote.Vote {
	v := ballot(contest, entry, voter)
	v.Network, v.NetworkQuota = []byte(network), quota
	return v
}

func testNetworkQuota(t *testing.T, s vote.Store) {
	for i := range 3 {
		mustCast(t, s, fromNetwork("autumn", "pier", vote.Voter(fmt.Sprint("v", i)), "net-a", 3), i+1)
	}
	// The fourth vote from the network that day is refused and records
	// nothing: not the vote, not the voter's ballot.
	_, err := cast(t, s, fromNetwork("autumn", "pier", "v3", "net-a", 3))
	wantCode(t, err, vote.TooMany)
	_, err = cast(t, s, fromNetwork("autumn", "boat", "v0", "net-a", 3))
	wantCode(t, err, vote.TooMany)
	wantCounts(t, s, "autumn", map[string]int{"pier": 3})
	// Another network, another contest, the next UTC day: each its own quota.
	mustCast(t, s, fromNetwork("autumn", "pier", "v3", "net-b", 3), 4)
	mustCast(t, s, fromNetwork("spring", "pier", "v3", "net-a", 3), 1)
	next := fromNetwork("autumn", "pier", "v4", "net-a", 3)
	next.At = time.Date(at.Year(), at.Month(), at.Day()+1, 0, 0, 0, 0, time.UTC)
	mustCast(t, s, next, 5)
	// One second before midnight UTC is still the same day.
	late := fromNetwork("autumn", "boat", "v5", "net-a", 3)
	late.At = next.At.Add(-time.Second)
	_, err = cast(t, s, late)
	wantCode(t, err, vote.TooMany)
	// A raised quota lets the network vote again; 0 is no quota at all.
	mustCast(t, s, fromNetwork("autumn", "boat", "v5", "net-a", 4), 1)
	for i := range 5 {
		mustCast(t, s, fromNetwork("autumn", "hill", vote.Voter(fmt.Sprint("w", i)), "net-a", 0), i+1)
	}
	// The voter whose vote was refused for the quota still has all of hers.
	mustCast(t, s, fromNetwork("autumn", "boat", "v3", "net-c", 3), 2)
	mustCast(t, s, fromNetwork("autumn", "hill", "v3", "net-c", 3), 6)
}

func testConcurrentNetworkQuota(t *testing.T, s vote.Store) {
	const n, quota = 60, 10
	_, errs := concurrently(t, n, func(i int) (int, error) {
		return cast(t, s, fromNetwork("autumn", fmt.Sprint("entry-", i%3), vote.Voter(fmt.Sprint("voter-", i)), "crowd", quota))
	})
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else {
			wantCode(t, err, vote.TooMany)
		}
	}
	if ok != quota {
		t.Fatalf("%d of %d votes from one network were accepted, want the quota %d", ok, n, quota)
	}
}

func withProof(v vote.Vote, proof string) vote.Vote {
	v.Proof = []byte(proof)
	return v
}

func testProofOnce(t *testing.T, s vote.Store) {
	mustCast(t, s, withProof(ballot("autumn", "pier", "v1"), "nonce-1"), 1)
	// The same solved challenge does not buy a second vote: not for another
	// voter, not for another entry, not in another contest.
	_, err := cast(t, s, withProof(ballot("autumn", "pier", "v2"), "nonce-1"))
	wantCode(t, err, vote.Forbidden)
	_, err = cast(t, s, withProof(ballot("spring", "boat", "v2"), "nonce-1"))
	wantCode(t, err, vote.Forbidden)
	// The refused vote used none of v2's votes.
	v2 := ballot("autumn", "pier", "v2")
	v2.PerVoter = 1
	mustCast(t, s, withProof(v2, "nonce-2"), 2)
	// A vote refused for another reason does not use up its proof.
	_, err = cast(t, s, withProof(ballot("autumn", "pier", "v1"), "nonce-3"))
	wantCode(t, err, vote.Conflict)
	mustCast(t, s, withProof(ballot("autumn", "pier", "v3"), "nonce-3"), 3)
	// An idempotent retry with the same key and proof answers as the first.
	k := withProof(ballot("autumn", "boat", "v4"), "nonce-4")
	k.Key = "retry"
	mustCast(t, s, k, 1)
	mustCast(t, s, k, 1)
	wantCounts(t, s, "autumn", map[string]int{"boat": 1, "pier": 3})
}

func testConcurrentProofOnce(t *testing.T, s vote.Store) {
	const n = 40
	_, errs := concurrently(t, n, func(i int) (int, error) {
		return cast(t, s, withProof(ballot("autumn", "pier", vote.Voter(fmt.Sprint("voter-", i))), "one-nonce"))
	})
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else {
			wantCode(t, err, vote.Forbidden)
		}
	}
	if ok != 1 {
		t.Fatalf("one solved challenge bought %d votes, want 1", ok)
	}
	wantCounts(t, s, "autumn", map[string]int{"pier": 1})
}

func testAudit(t *testing.T, s vote.Store) {
	ctx := context.Background()
	got, err := s.Audit(ctx, "autumn", 1)
	if err != nil || len(got) != 0 {
		t.Fatalf("Audit of no votes = %v, %v", got, err)
	}
	hour := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	voter := 0
	castAt := func(entry, network string, when time.Time, n int) {
		t.Helper()
		for range n {
			voter++
			v := fromNetwork("autumn", entry, vote.Voter(fmt.Sprint("v", voter)), network, 0)
			v.At = when
			if network == "" {
				v.Network = nil
			}
			if _, err := cast(t, s, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	castAt("pier", "net-a", hour.Add(5*time.Minute), 4)
	castAt("pier", "net-a", hour.Add(59*time.Minute+59*time.Second), 3) // the same hour
	castAt("pier", "net-a", hour.Add(time.Hour), 2)                     // the next one
	castAt("boat", "net-a", hour.Add(10*time.Minute), 2)
	castAt("pier", "net-b", hour.Add(10*time.Minute), 7)
	castAt("pier", "", hour, 20) // no network key: not audited
	castAt("pier", "net-c", hour.Add(-time.Hour), 1)
	other := fromNetwork("spring", "pier", "x", "net-a", 0)
	other.At = hour
	mustCast(t, s, other, 1)

	got, err = s.Audit(ctx, "autumn", 2)
	if err != nil {
		t.Fatal(err)
	}
	want := []vote.Burst{
		{Network: []byte("net-a"), Entry: "pier", Hour: hour, Votes: 7},
		{Network: []byte("net-b"), Entry: "pier", Hour: hour, Votes: 7},
		{Network: []byte("net-a"), Entry: "boat", Hour: hour, Votes: 2},
		{Network: []byte("net-a"), Entry: "pier", Hour: hour.Add(time.Hour), Votes: 2},
	}
	if len(got) != len(want) {
		t.Fatalf("Audit = %v, want %v", got, want)
	}
	for i := range want {
		g := got[i]
		if string(g.Network) != string(want[i].Network) || g.Entry != want[i].Entry || !g.Hour.Equal(want[i].Hour) ||
			g.Hour.Location() != time.UTC || g.Votes != want[i].Votes {
			t.Fatalf("Audit[%d] = %+v (%s), want %+v", i, g, g.Hour, want[i])
		}
	}
	all, err := s.Audit(ctx, "autumn", 0)
	if err != nil || len(all) != 5 {
		t.Fatalf("Audit with min 0 = %v, %v; want 5 bursts", all, err)
	}
}
