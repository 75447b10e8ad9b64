package vote

import (
	"context"
	"net/netip"
	"time"
)

// A submission is a story a contributor sends from the site's form: its
// text, its photos (kept as the original bytes, metadata and all, only
// inside the store), the consent the contributor gave and how to reach
// them. The store keeps it privately until an editor pulls it into the
// content folder (see `postcard submissions`).

// The states of a submission in the store.
const (
	SubmissionNew      = "new"
	SubmissionPulled   = "pulled"
	SubmissionRejected = "rejected"
)

// Submission is one post of the submission form.
type Submission struct {
	Receipt string    // random id, given to the contributor
	At      time.Time // when the function received it

	Lang     string
	Kind     string // photo, video, story or poem
	Title    string
	Body     string // Markdown
	Place    string
	Contest  string // slug, or ""
	Category string
	Video    string // a provider's URL, for kind video
	Name     string // the credit name
	License  string

	// Consent is the version of the consent text the contributor agreed
	// to, in Lang, at At.
	Consent string

	// Contact, kept apart from the submission and deleted by purge.
	Email   string
	Network []byte // the network key of the post (an HMAC, never an address)

	Status     string // SubmissionNew, SubmissionPulled or SubmissionRejected
	Reason     string // why it was rejected
	StatusAt   time.Time
	MediaCount int

	Media []Media // filled by Submission only
}

// Media is one photo of a submission.
type Media struct {
	Index   int    // 1-based, the form's photo_N
	Format  string // jpeg, png, webp or heic, told from the bytes
	Alt     string
	Caption string
	Data    []byte // the bytes as uploaded
}

// Quota is what a submission counts against: its network's posts of the
// UTC day of At, for script posts or for plain form posts.
type Quota struct {
	Network []byte
	Form    bool // a plain form post: counted apart from script posts
	Limit   int  // 0: no quota
	// Proof is the nonce of the proof of work the post brought, or nil; a
	// nonce buys one submission.
	Proof []byte
}

// ErrSubmissionQuota is the refusal of a post over its network's quota.
var ErrSubmissionQuota = Errorf(TooMany, "too many submissions from your network today; try again tomorrow")

// SubmissionStore keeps submissions. Implementations must be safe for
// concurrent use and pass votetest.RunSubmissions.
type SubmissionStore interface {
	// Submit records s (with its media, its consent and its contact) in one
	// transaction. When q.Limit > 0 the network may have at most q.Limit
	// posts of q's kind (form or script) on the UTC day of s.At: one more
	// fails with code TooMany and records nothing. A q.Proof used by another
	// submission fails with code Forbidden. A receipt used before fails.
	// A nil error means the submission and all its media are committed
	// durably; on any error nothing of it is recorded.
	Submit(ctx context.Context, s Submission, q Quota) error

	// Submissions lists the submissions in status (every one when status
	// is ""), oldest first, without media data (MediaCount is set) and
	// with their contact.
	Submissions(ctx context.Context, status string) ([]Submission, error)

	// Submission returns one submission with its media, or an error with
	// code NotFound.
	Submission(ctx context.Context, receipt string) (Submission, error)

	// SetStatus moves a submission to status (pulled or rejected, with
	// reason) at t. Unknown receipts fail with code NotFound.
	SetStatus(ctx context.Context, receipt, status, reason string, t time.Time) error

	// Forget deletes the submission, its media, consent and contact. It
	// reports whether there was one.
	Forget(ctx context.Context, receipt string) (bool, error)

	// Purge deletes, for what is older than before: contacts, the media of
	// pulled and rejected submissions, and expired form tokens (every
	// token whose expiry is before before). It returns how many rows of
	// each it deleted.
	Purge(ctx context.Context, before time.Time) (PurgeReport, error)

	// SaveForm keeps a failed plain form post (data, opaque to the store)
	// under token until expires. GetForm returns it while it has not
	// expired at now, else an error with code NotFound.
	SaveForm(ctx context.Context, token string, data []byte, expires time.Time) error
	GetForm(ctx context.Context, token string, now time.Time) ([]byte, error)
}

// PurgeReport counts what Purge deleted.
type PurgeReport struct {
	Contacts, Media, Forms int
}

// SubmissionScope is the scope of a submission's proof-of-work challenge:
// a challenge issued for a vote never pays for a submission, or the other
// way round.
func SubmissionScope(contest string) string { return "submission:" + contest }

// VerifyProof checks a Postcard-Proof value for scope (a contest's slug,
// or SubmissionScope) under the function's secret, and returns the
// challenge's nonce.
func VerifyProof(secret []byte, value, scope string, difficulty int, now time.Time) ([]byte, error) {
	return newProver(secret).verify(value, scope, difficulty, now)
}

// NetworkKey is the key of addr's network on t's UTC day under the
// function's secret (see network.go).
func NetworkKey(secret []byte, addr netip.Addr, known bool, t time.Time) []byte {
	return newNetworkKeyer(secret).of(addr, known, t)
}

// NextUTCDay returns the first instant of the UTC day after t's.
func NextUTCDay(t time.Time) time.Time { return nextUTCDay(t) }
