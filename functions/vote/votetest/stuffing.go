package votetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote"
)

// stuffingManifest has one contest with a small network quota and a cheap
// challenge, so that the script below must solve one for every vote.
const stuffingManifest = `{
  "version": 2,
  "site": "https://stories.example.org",
  "contests": [{
    "slug": "autumn", "title": "Autumn", "categories": [],
    "voting_opens": "2026-11-01T00:00:00Z", "voting_closes": "2026-12-01T00:00:00Z",
    "votes_per_voter": 1, "show_counts": true, "network_quota": 5, "challenge": 4,
    "entries": [{"slug": "pier", "title": "Pier", "category": ""}, {"slug": "boat", "title": "Boat", "category": ""}]
  }]
}`

const stuffingQuota = 5

var stuffingSecret = []byte("votetest-secret-0123456789abcdef")

// script is a client that never keeps its cookie: every vote is a new voter
// who fetches and solves a fresh challenge, from the address it is given.
type script struct {
	t   *testing.T
	h   http.Handler
	now time.Time
}

func newScript(t *testing.T, s vote.Store, now time.Time) *script {
	t.Helper()
	m, err := vote.ParseManifest([]byte(stuffingManifest))
	if err != nil {
		t.Fatal(err)
	}
	sc := &script{t: t, now: now}
	h, err := vote.NewHandler(vote.Config{
		Manifest: m,
		Store:    s,
		Secret:   stuffingSecret,
		Now:      func() time.Time { return sc.now },
	})
	if err != nil {
		t.Fatal(err)
	}
	sc.h = h
	return sc
}

func (sc *script) request(method, target, body, remote string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, "https://stories.example.org"+target, strings.NewReader(body))
	r.RemoteAddr = remote
	if method == http.MethodPost {
		r.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	sc.h.ServeHTTP(w, r)
	return w
}

// proof fetches a challenge and solves it.
func (sc *script) proof(remote string) string {
	sc.t.Helper()
	w := sc.request(http.MethodGet, vote.ChallengePath+"?contest=autumn", "", remote)
	var c struct {
		Challenge  string
		Difficulty int
	}
	if err := json.Unmarshal(w.Body.Bytes(), &c); w.Code != http.StatusOK || err != nil || c.Challenge == "" {
		sc.t.Fatalf("challenge: %d %s", w.Code, w.Body)
	}
	return vote.Solve(c.Challenge, c.Difficulty)
}

// vote casts one cookie-less vote for the entry from remote and returns the
// status.
func (sc *script) vote(entry, remote string) int {
	sc.t.Helper()
	proof := sc.proof(remote)
	r := httptest.NewRequest(http.MethodPost, "https://stories.example.org"+vote.Path,
		strings.NewReader(fmt.Sprintf(`{"contest": "autumn", "entry": %q}`, entry)))
	r.RemoteAddr = remote
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set(vote.ProofHeader, proof)
	w := httptest.NewRecorder()
	sc.h.ServeHTTP(w, r)
	switch w.Code {
	case http.StatusCreated:
	case http.StatusTooManyRequests:
		if w.Header().Get("Retry-After") == "" {
			sc.t.Errorf("429 without Retry-After")
		}
	default:
		sc.t.Fatalf("vote from %s: %d %s", remote, w.Code, w.Body)
	}
	return w.Code
}

// testCookieDroppingScript: a script that drops its cookie and solves every
// challenge cannot give one entry more than the contest's network quota in
// a day from one IPv4 /24 or one IPv6 /56, though it is spread over two
// instances of the function sharing the store, with a restart between them;
// other networks can each still vote, and the quota renews the next UTC day.
func testCookieDroppingScript(t *testing.T, open Opener) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	first, reopen := open(t)
	defer first.Close()
	networks := []struct {
		name string
		addr func(i int) string // the i-th address the script uses
	}{
		{"IPv4 /24", func(i int) string { return fmt.Sprintf("198.51.100.%d:4000", 1+i%254) }},
		{"IPv6 /56", func(i int) string { return fmt.Sprintf("[2001:db8:ab:cd%02x::%x]:443", i%256, i+1) }},
	}
	// Before the restart: three votes from each network on the first instance.
	a := newScript(t, first, now)
	for _, n := range networks {
		for i := range 3 {
			if c := a.vote("pier", n.addr(i)); c != http.StatusCreated {
				t.Fatalf("%s: vote %d before the quota: %d", n.name, i, c)
			}
		}
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	// The restart: the second instance opens the database anew.
	second := reopen(t)
	defer second.Close()
	b := newScript(t, second, now.Add(time.Minute))
	for _, n := range networks {
		accepted := 3
		for i := 3; i < 3+4*stuffingQuota; i++ {
			if b.vote("pier", n.addr(i)) == http.StatusCreated {
				accepted++
			}
		}
		if accepted != stuffingQuota {
			t.Errorf("%s: one network gave the entry %d votes in a day, want the quota %d", n.name, accepted, stuffingQuota)
		}
		// The quota is per network and contest, not per entry.
		if c := b.vote("boat", n.addr(100)); c != http.StatusTooManyRequests {
			t.Errorf("%s: a vote for another entry over the quota: %d, want 429", n.name, c)
		}
	}
	// Distinct networks can each vote: the next /24 and the next /56.
	for _, remote := range []string{"198.51.101.7:4000", "203.0.113.9:4000", "[2001:db8:ab:ce00::1]:443", "[2001:db8:ab:cc00::1]:443"} {
		if c := b.vote("pier", remote); c != http.StatusCreated {
			t.Errorf("a vote from %s: %d, want 201", remote, c)
		}
	}
	// The next UTC day the network has its quota again.
	b.now = time.Date(2026, 11, 24, 0, 0, 1, 0, time.UTC)
	if c := b.vote("pier", networks[0].addr(1)); c != http.StatusCreated {
		t.Errorf("the next day: %d, want 201", c)
	}
	wantCounts(t, second, "autumn", map[string]int{"pier": 2*stuffingQuota + 4 + 1})
}
