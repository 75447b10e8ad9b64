// Package vote is Postcard's voting function: the contest manifest the
// build writes (Manifest), the rules of a contest vote, the Store that
// keeps the votes, and the http.Handler that serves POST /api/votes,
// GET /api/votes?contest= and GET /api/votes/challenge?contest= (a fresh
// proof-of-work challenge).
//
// The package root holds the domain and the interfaces, and no driver or
// platform: stores live in subpackages (sqlite, postgres), entry points in
// others (server, lambda), and where a site's store lives in storepath, so
// the handler never depends on a database driver and a store never depends
// on HTTP. Every store passes the same conformance suite in votetest.
//
// The handler decides everything that can be decided from the contest
// manifest (unknown contest or entry, voting window, origin, rate limit,
// proof of work) before it touches the store; the store decides what needs
// the database (one vote per voter and entry, votes_per_voter per contest,
// the per-network daily quota, single use of a proof of work, idempotency)
// inside one transaction, and acknowledges a vote only once it is durable.
//
// Stuffing by dropping the cookie is bounded twice: every vote counts
// against its network's quota per contest and UTC day, kept in the store so
// that it holds across restarts and across the instances of a serverless
// host; and, when the contest asks for it, a new voter must bring a solved
// proof-of-work challenge, which prices every fresh identity.
package vote

import (
	"context"
	"time"
)

// Voter identifies one voter: the random id carried by the signed cookie the
// handler issues. It is opaque and reveals nothing about the person.
type Voter string

// Vote is one voter's vote for one entry of one contest.
type Vote struct {
	Contest string
	Entry   string
	Voter   Voter

	// PerVoter is the contest's votes_per_voter: the store refuses this vote
	// if the voter already has that many in the contest.
	PerVoter int

	// Key is the optional Idempotency-Key of the request: a vote cast again
	// by the same voter with the same key counts once.
	Key string

	// At is when the handler received the vote.
	At time.Time

	// Network is the key of the voter's network on At's UTC day: an HMAC of
	// the address's /24 (IPv4) or /56 (IPv6) prefix and the day, never the
	// address (see NetworkKey). The store keeps it with the vote for Audit.
	Network []byte

	// NetworkQuota is the contest's network_quota: the store refuses this
	// vote if the contest already has that many from Network on At's UTC
	// day. 0 means no quota.
	NetworkQuota int

	// Proof is the nonce of the proof-of-work challenge the vote was cast
	// with, or nil. A challenge buys one vote: the store refuses a second
	// vote with the same Proof.
	Proof []byte
}

// Burst is how many votes one network gave one entry within one UTC hour:
// a line of the audit an editor reviews before announcing winners.
type Burst struct {
	Network []byte    // the network key (an HMAC, not an address)
	Entry   string    // the entry's slug
	Hour    time.Time // the start of the hour, in UTC
	Votes   int
}

// Receipt is what the store remembers of a vote cast with an idempotency key,
// so that a retry gets the answer of the first attempt.
type Receipt struct {
	Contest string
	Entry   string
	Votes   int // the entry's count right after the vote
}

// Store keeps votes. Implementations must be safe for concurrent use and
// must pass votetest.Run.
type Store interface {
	// Cast records v and returns the entry's vote count including it.
	//
	// The database, not the caller, enforces the rules, atomically, so that
	// concurrent calls cannot race past them:
	//   - at most one vote per (contest, voter, entry): a second one fails
	//     with code Conflict;
	//   - at most v.PerVoter votes per (contest, voter): one more fails with
	//     code Conflict;
	//   - when v.NetworkQuota > 0, at most v.NetworkQuota votes per
	//     (contest, v.Network, UTC day of v.At): one more fails with code
	//     TooMany;
	//   - when v.Proof is not empty, no other vote (of any contest or voter)
	//     has the same Proof: a second one fails with code Forbidden;
	//   - if v.Key is not empty and this voter already cast a vote with that
	//     key, Cast records nothing and returns that vote's original count
	//     (with a nil error) when it was for the same contest and entry, or
	//     fails with code Invalid when it was for another.
	//
	// A nil error means the vote is committed durably: a crash of the process
	// or the machine after Cast returns does not lose it. When Cast fails,
	// nothing of v is recorded, except when ctx ended first: then the vote may
	// or may not have been recorded (a retry with the same Key is safe).
	Cast(ctx context.Context, v Vote) (int, error)

	// Counts returns the number of votes of every entry of the contest that
	// has at least one. An unknown contest has no votes: an empty map, not
	// an error. Counts reflects every vote Cast has acknowledged.
	Counts(ctx context.Context, contest string) (map[string]int, error)

	// Audit returns the contest's bursts: for every (network, entry, UTC
	// hour) with at least min votes (min < 1 counts as 1), how many votes
	// that network gave that entry in that hour. The most votes come
	// first; ties are ordered by hour, then entry, then network key. Votes
	// recorded without a network key are left out. Audit reflects every
	// vote Cast has acknowledged.
	Audit(ctx context.Context, contest string, min int) ([]Burst, error)

	// Receipt returns the vote the voter cast with the idempotency key, or
	// an error with code NotFound when there is none.
	Receipt(ctx context.Context, voter Voter, key string) (Receipt, error)

	// Close waits for the votes in flight to be committed or refused, then
	// releases the database. Calls after Close fail.
	Close() error
}
