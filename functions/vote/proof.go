package vote

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"io"
	"math/bits"
	"strconv"
	"strings"
	"time"
)

// The proof of work is Postcard's own, stateless challenge: no third party
// sees the voter, and no state is kept until a vote is cast.
//
// GET /api/votes/challenge?contest=SLUG answers a challenge, a token
//
//	base64url(payload) "." base64url(mac)
//
// where payload is a version byte (1), the difficulty in bits, the expiry
// (Unix seconds, 8 bytes big-endian), a random 16-byte nonce and the
// contest's slug, and mac the first 16 bytes of its HMAC-SHA256 under a key
// derived from the function's secret. The client looks for a counter, a
// decimal number, such that SHA-256 of the ASCII string token "." counter
// starts with difficulty zero bits, and sends that string as the
// Postcard-Proof header of its vote.
//
// The handler checks the MAC, the contest, the expiry, that the difficulty
// is at least the contest's, and the hash. A solved challenge buys one vote:
// the nonce goes to the store with the vote (Vote.Proof), which refuses a
// second vote with the same nonce in the same transaction that records the
// vote. Binding the solution to the ballot instead (hashing it with the
// entry) would not do: a script could cast the same ballot again and again
// without a cookie, which is exactly the stuffing the challenge prices.
//
// Only a new voter (a vote without a valid voter cookie) must bring a proof:
// a cookie is issued only with a counted vote, so every voter identity has
// cost one solved challenge, and one identity gives an entry at most one
// vote. The vote script solves a challenge for every vote all the same, as
// it cannot read its HttpOnly cookie.

// ProofHeader carries a solved challenge with a vote.
const ProofHeader = "Postcard-Proof"

// ChallengePath answers proof-of-work challenges.
const ChallengePath = Path + "/challenge"

const (
	proofVersion    = 1
	proofNonceBytes = 16
	proofMACBytes   = 16
	proofTTL        = 5 * time.Minute
	maxProofHeader  = 512
	// MaxChallenge bounds a contest's difficulty: 2^28 hashes would take a
	// phone minutes.
	MaxChallenge = 28
)

type prover struct {
	key []byte
}

func newProver(secret []byte) prover {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("postcard proof of work v1"))
	return prover{key: m.Sum(nil)}
}

func (p prover) mac(payload []byte) []byte {
	m := hmac.New(sha256.New, p.key)
	m.Write(payload)
	return m.Sum(nil)[:proofMACBytes]
}

// issue returns a new challenge token for the contest.
func (p prover) issue(rand io.Reader, contest string, difficulty int, expires time.Time) (string, error) {
	payload := make([]byte, 0, 2+8+proofNonceBytes+len(contest))
	payload = append(payload, proofVersion, byte(difficulty))
	payload = binary.BigEndian.AppendUint64(payload, uint64(expires.Unix()))
	nonce := make([]byte, proofNonceBytes)
	if _, err := io.ReadFull(rand, nonce); err != nil {
		return "", err
	}
	payload = append(payload, nonce...)
	payload = append(payload, contest...)
	enc := base64.RawURLEncoding
	return enc.EncodeToString(payload) + "." + enc.EncodeToString(p.mac(payload)), nil
}

var (
	errNoProof      = Errorf(Forbidden, "the vote needs a solved challenge; reload the page and vote again")
	errBadProof     = Errorf(Forbidden, "the vote's challenge is not valid; reload the page and vote again")
	errExpiredProof = Errorf(Forbidden, "the vote's challenge has expired; vote again")
)

// verify checks a Postcard-Proof value for a vote in contest at now, which
// requires at least difficulty bits, and returns the challenge's nonce.
func (p prover) verify(value, contest string, difficulty int, now time.Time) ([]byte, error) {
	if value == "" {
		return nil, errNoProof
	}
	if len(value) > maxProofHeader {
		return nil, errBadProof
	}
	i := strings.LastIndexByte(value, '.')
	if i < 0 || !decimal(value[i+1:]) {
		return nil, errBadProof
	}
	data, mac, ok := strings.Cut(value[:i], ".")
	if !ok {
		return nil, errBadProof
	}
	enc := base64.RawURLEncoding
	payload, err1 := enc.DecodeString(data)
	got, err2 := enc.DecodeString(mac)
	if err1 != nil || err2 != nil || !hmac.Equal(got, p.mac(payload)) {
		return nil, errBadProof
	}
	if len(payload) < 2+8+proofNonceBytes || payload[0] != proofVersion {
		return nil, errBadProof
	}
	work := int(payload[1])
	expires := time.Unix(int64(binary.BigEndian.Uint64(payload[2:10])), 0)
	nonce := payload[10 : 10+proofNonceBytes]
	if string(payload[10+proofNonceBytes:]) != contest || work < difficulty {
		return nil, errBadProof
	}
	if !now.Before(expires) {
		return nil, errExpiredProof
	}
	if sum := sha256.Sum256([]byte(value)); leadingZeroBits(sum[:]) < work {
		return nil, errBadProof
	}
	return nonce, nil
}

// decimal reports whether s is a counter: 1 to 20 ASCII digits.
func decimal(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Solve finds the counter of a proof-of-work challenge: the Postcard-Proof
// value challenge "." counter whose SHA-256 starts with difficulty zero
// bits. It is the theme's vote script's loop, in Go, for clients and tests.
func Solve(challenge string, difficulty int) string {
	for n := 0; ; n++ {
		v := challenge + "." + strconv.Itoa(n)
		if sum := sha256.Sum256([]byte(v)); leadingZeroBits(sum[:]) >= difficulty {
			return v
		}
	}
}

func leadingZeroBits(b []byte) int {
	n := 0
	for _, c := range b {
		if c != 0 {
			return n + bits.LeadingZeros8(c)
		}
		n += 8
	}
	return n
}
