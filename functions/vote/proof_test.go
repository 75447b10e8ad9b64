package vote_test

import (
	"crypto/sha256"
	"encoding/json"
	"math/bits"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote"
)

// trustManifest has a contest that asks for a proof of work and one open
// for years, for cookies of every age.
const trustManifest = `{
  "version": 2,
  "site": "https://stories.example.org",
  "contests": [
    {"slug": "pow", "title": "Pow", "categories": [],
     "voting_opens": "2026-11-01T00:00:00Z", "voting_closes": "2026-12-01T00:00:00Z",
     "votes_per_voter": 3, "show_counts": true, "network_quota": 100, "challenge": 10,
     "entries": [{"slug": "a", "title": "A", "category": ""}, {"slug": "b", "title": "B", "category": ""}]},
    {"slug": "long", "title": "Long", "categories": [],
     "voting_opens": "2020-01-01T00:00:00Z", "voting_closes": "2030-01-01T00:00:00Z",
     "votes_per_voter": 3, "show_counts": true, "network_quota": 0, "challenge": 0,
     "entries": [{"slug": "a", "title": "A", "category": ""}, {"slug": "b", "title": "B", "category": ""}, {"slug": "c", "title": "C", "category": ""}]}
  ]
}`

func trustFixture(t *testing.T) *fixture {
	t.Helper()
	m, err := vote.ParseManifest([]byte(trustManifest))
	if err != nil {
		t.Fatal(err)
	}
	return newFixture(t, func(c *vote.Config) { c.Manifest = m })
}

type challengeAnswer struct {
	Contest    string
	Difficulty int
	Challenge  string
	Expires    time.Time
}

func (f *fixture) challenge(contest string) challengeAnswer {
	f.t.Helper()
	w := f.do(req{method: http.MethodGet, target: vote.ChallengePath + "?contest=" + contest})
	wantStatus(f.t, w, http.StatusOK, "")
	var c challengeAnswer
	if err := json.Unmarshal(w.Body.Bytes(), &c); err != nil {
		f.t.Fatal(err)
	}
	return c
}

func proofHeader(p string) map[string]string { return map[string]string{vote.ProofHeader: p} }

// unsolved returns a counter for the challenge whose hash does not have the
// difficulty's zero bits.
func unsolved(challenge string, difficulty int) string {
	for n := 0; ; n++ {
		v := challenge + "." + strconv.Itoa(n)
		sum := sha256.Sum256([]byte(v))
		if z := bits.LeadingZeros64(uint64(sum[0])<<56 | uint64(sum[1])<<48 | uint64(sum[2])<<40); z < difficulty {
			return v
		}
	}
}

func TestProofOfWork(t *testing.T) {
	f := trustFixture(t)
	c := f.challenge("pow")
	if c.Contest != "pow" || c.Difficulty != 10 || c.Challenge == "" || !c.Expires.Equal(f.now.Add(5*time.Minute)) {
		t.Fatalf("challenge answer %+v", c)
	}
	if c2 := f.challenge("pow"); c2.Challenge == c.Challenge {
		t.Fatal("two challenges are the same")
	}
	solved := vote.Solve(c.Challenge, c.Difficulty)
	vote1 := body("pow", "a")

	before := f.store.calls.Load()
	for name, tt := range map[string]struct {
		headers map[string]string
		part    string
	}{
		"missing":       {nil, "needs a solved challenge"},
		"garbage":       {proofHeader("nonsense"), "not valid"},
		"no counter":    {proofHeader(c.Challenge), "not valid"},
		"not solved":    {proofHeader(unsolved(c.Challenge, c.Difficulty)), "not valid"},
		"forged mac":    {proofHeader(strings.Replace(solved, ".", ".A", 1)), "not valid"},
		"long":          {proofHeader(solved + strings.Repeat("0", 600)), "not valid"},
		"other contest": {proofHeader(vote.Solve(otherContestChallenge(t, f), 10)), "not valid"},
	} {
		t.Run(name, func(t *testing.T) {
			wantStatus(t, f.do(req{body: vote1, headers: tt.headers}), http.StatusForbidden, tt.part)
		})
	}
	if n := f.store.calls.Load() - before; n != 0 {
		t.Fatalf("refused proofs reached the store %d times", n)
	}

	// Solved: counted, and the voter gets a cookie.
	w := f.do(req{body: vote1, headers: proofHeader(solved)})
	wantStatus(t, w, http.StatusCreated, `"votes":1`)
	ck := voterCookie(t, w)
	// Replayed by a script without the cookie: refused, and no cookie.
	w = f.do(req{body: vote1, headers: proofHeader(solved)})
	wantStatus(t, w, http.StatusForbidden, "already used")
	if len(w.Result().Cookies()) != 0 {
		t.Fatalf("a refused vote got a cookie: %v", w.Result().Cookies())
	}
	w = f.do(req{body: body("pow", "b"), headers: proofHeader(solved)})
	wantStatus(t, w, http.StatusForbidden, "already used")
	// The voter with a cookie has paid for the identity: no proof needed.
	wantStatus(t, f.do(req{body: body("pow", "b"), cookie: ck}), http.StatusCreated, `"votes":1`)

	// Expired: five minutes after it was issued.
	c = f.challenge("pow")
	solved = vote.Solve(c.Challenge, c.Difficulty)
	f.setNow(f.now.Add(5 * time.Minute))
	wantStatus(t, f.do(req{body: vote1, headers: proofHeader(solved)}), http.StatusForbidden, "expired")

	// A contest without a challenge answers difficulty 0 and takes votes
	// without a proof.
	if c := f.challenge("long"); c.Difficulty != 0 || c.Challenge != "" {
		t.Fatalf("no challenge: %+v", c)
	}
	wantStatus(t, f.do(req{body: body("long", "a")}), http.StatusCreated, `"votes":1`)
	wantStatus(t, f.do(req{method: http.MethodGet, target: vote.ChallengePath + "?contest=nope"}), 404, "no contest")
	wantStatus(t, f.do(req{method: http.MethodGet, target: vote.ChallengePath}), 400, "contest")
	if w := f.do(req{target: vote.ChallengePath, body: vote1}); w.Code != http.StatusMethodNotAllowed {
		t.Fatalf("POST to the challenge: %d", w.Code)
	}
	// The preflight lets the site's pages send the proof.
	w = f.do(req{method: http.MethodOptions, headers: map[string]string{"Origin": site, "Access-Control-Request-Method": "POST"}})
	if !strings.Contains(w.Header().Get("Access-Control-Allow-Headers"), vote.ProofHeader) {
		t.Fatalf("preflight allows %q", w.Header().Get("Access-Control-Allow-Headers"))
	}
}

// otherContestChallenge returns a challenge for another contest, signed by
// the same secret and as hard.
func otherContestChallenge(t *testing.T, f *fixture) string {
	t.Helper()
	m, err := vote.ParseManifest([]byte(strings.Replace(trustManifest, `"challenge": 0`, `"challenge": 10`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	g := newFixture(t, func(c *vote.Config) { c.Manifest = m })
	return g.challenge("long").Challenge
}

// TestCookieIssueTime: a cookie whose id was issued in the future (beyond
// the clock skew allowed between instances) or longer ago than a cookie
// lives is refused and cleared, like a forged one.
func TestCookieIssueTime(t *testing.T) {
	f := trustFixture(t)
	t0 := f.now
	cookieAt := func(at time.Time) *http.Cookie {
		f.setNow(at)
		defer f.setNow(t0)
		return voterCookie(t, f.do(req{body: body("long", "a")}))
	}
	refused := func(name string, c *http.Cookie) {
		t.Helper()
		w := f.do(req{body: body("long", "b"), cookie: c})
		wantStatus(t, w, http.StatusForbidden, "expired or is not valid yet")
		cleared := false
		for _, c := range w.Result().Cookies() {
			cleared = cleared || (c.Name == "postcard_voter" && c.MaxAge < 0)
		}
		if !cleared {
			t.Errorf("%s: the cookie was not cleared", name)
		}
	}
	refused("an hour ahead", cookieAt(t0.Add(time.Hour)))
	wantStatus(t, f.do(req{body: body("long", "b"), cookie: cookieAt(t0.Add(4 * time.Minute))}), http.StatusCreated, "")
	wantStatus(t, f.do(req{body: body("long", "b"), cookie: cookieAt(t0.Add(-399 * 24 * time.Hour))}), http.StatusCreated, "")
	refused("401 days old", cookieAt(t0.Add(-401*24*time.Hour)))
}

// TestNetworkQuotaAnswer: over the quota the answer is 429 with a message
// for people and a Retry-After that points at the next UTC day.
func TestNetworkQuotaAnswer(t *testing.T) {
	m, err := vote.ParseManifest([]byte(strings.Replace(trustManifest, `"network_quota": 0`, `"network_quota": 2`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, func(c *vote.Config) { c.Manifest = m })
	for i := range 2 {
		wantStatus(t, f.do(req{body: body("long", "a"), remote: "198.51.100." + strconv.Itoa(i+1) + ":1"}), http.StatusCreated, "")
	}
	w := f.do(req{body: body("long", "a"), remote: "198.51.100.200:1"})
	wantStatus(t, w, http.StatusTooManyRequests, "from your network")
	if got := w.Header().Get("Retry-After"); got != strconv.Itoa(12*3600+1) {
		t.Fatalf("Retry-After %q, want the seconds to midnight UTC", got)
	}
	wantStatus(t, f.do(req{body: body("long", "a"), remote: "198.51.101.1:1"}), http.StatusCreated, "")
}
