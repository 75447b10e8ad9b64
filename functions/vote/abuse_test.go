package vote_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/postcard-ssg/postcard/functions/vote"
)

// TestVoteAbuse sends, through one handler on a real SQLite store, each
// abuse a hostile review of the vote endpoint tried, and expects every one
// refused with its status and not one vote counted. The quota, the proof of
// work and the crash under load have tests of their own (votetest,
// proof_test.go, server.TestCrash).
func TestVoteAbuse(t *testing.T) {
	f := newFixture(t, func(c *vote.Config) { c.RateLimit = 0 })
	other := vote.Voter("forged")
	forged := &http.Cookie{Name: "postcard_voter", Value: string(other) + "." + strings.Repeat("A", 43)}
	// A well-formed id signed with another secret.
	otherSite := newFixture(t, func(c *vote.Config) { c.Secret = []byte(strings.Repeat("z", 32)) })
	foreign := voterCookie(t, otherSite.do(req{body: body("autumn-light-2026", "fog")}))
	nested := `{"contest": "autumn-light-2026", "entry": ` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `}`
	for _, c := range []struct {
		name   string
		r      req
		status int
	}{
		{"forged cookie", req{body: body("autumn-light-2026", "fog"), cookie: forged}, 403},
		{"cookie of another secret", req{body: body("autumn-light-2026", "fog"), cookie: foreign}, 403},
		{"foreign origin", req{body: body("autumn-light-2026", "fog"), headers: map[string]string{"Origin": "https://evil.example"}}, 403},
		{"cross-site fetch", req{body: body("autumn-light-2026", "fog"), headers: map[string]string{"Origin": "", "Sec-Fetch-Site": "cross-site"}}, 403},
		{"null origin", req{body: body("autumn-light-2026", "fog"), headers: map[string]string{"Origin": "null"}}, 403},
		{"look-alike origin", req{body: body("autumn-light-2026", "fog"), headers: map[string]string{"Origin": site + ".evil.example"}}, 403},
		{"SQL in the entry", req{body: body("autumn-light-2026", "fog'; DROP TABLE votes;--")}, 400},
		{"SQL in the contest", req{body: body("x' OR '1'='1", "fog")}, 400},
		{"path in the entry", req{body: body("autumn-light-2026", "../../etc/passwd")}, 400},
		{"unknown entry", req{body: body("autumn-light-2026", "not-an-entry")}, 404},
		{"entry of another contest", req{body: body("autumn-light-2026", "thaw")}, 404},
		{"closed window", req{body: body("spring-2027", "thaw")}, 403},
		{"oversized body", req{body: `{"contest": "autumn-light-2026", "entry": "fog", "x": "` + strings.Repeat("a", 1<<20) + `"}`}, 413},
		{"deeply nested JSON", req{body: nested}, 413},
		{"nested JSON under the size limit", req{body: `{"contest": "autumn-light-2026", "entry": ` + strings.Repeat("[", 400) + strings.Repeat("]", 400) + `}`}, 400},
		{"unicode look-alike slug", req{body: body("autumn-light-2026", "fоg")}, 400},
		{"NUL in the entry", req{body: `{"contest": "autumn-light-2026", "entry": "fog\u0000"}`}, 400},
	} {
		t.Run(c.name, func(t *testing.T) {
			if w := f.do(c.r); w.Code != c.status {
				t.Errorf("got %d %s, want %d", w.Code, w.Body, c.status)
			}
		})
	}
	w := f.do(req{method: "GET", target: "/api/votes?contest=autumn-light-2026"})
	for _, e := range []string{"fog", "first-light-on-the-pier", "thaw"} {
		if strings.Contains(w.Body.String(), fmt.Sprintf(`%q:1`, e)) {
			t.Errorf("a refused vote was counted: %s", w.Body)
		}
	}
	if !strings.Contains(w.Body.String(), `"fog":0`) {
		t.Errorf("counts: %s", w.Body)
	}
}
