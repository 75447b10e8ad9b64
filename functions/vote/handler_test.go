package vote_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/functions/vote/sqlite"
)

const testManifest = `{
  "version": 1,
  "site": "https://stories.example.org",
  "contests": [
    {
      "slug": "autumn-light-2026",
      "title": "Autumn light 2026",
      "categories": ["landscape", "people", "words"],
      "voting_opens": "2026-11-01T00:00:00+02:00",
      "voting_closes": "2026-12-01T00:00:00+02:00",
      "votes_per_voter": 3,
      "show_counts": true,
      "entries": [
        {"slug": "first-light-on-the-pier", "title": "First light on the pier", "category": "landscape"},
        {"slug": "the-ferryman", "title": "The ferryman", "category": "people"},
        {"slug": "october", "title": "October", "category": "words"},
        {"slug": "fog", "title": "Fog", "category": "landscape"}
      ]
    },
    {
      "slug": "secret-ballot",
      "title": "Secret ballot",
      "categories": [],
      "voting_opens": "2026-11-01T00:00:00Z",
      "voting_closes": "2026-12-01T00:00:00Z",
      "votes_per_voter": 1,
      "show_counts": false,
      "entries": [{"slug": "a", "title": "A", "category": ""}]
    },
    {
      "slug": "spring-2027",
      "title": "Spring 2027",
      "categories": ["landscape"],
      "voting_opens": "2027-04-01T00:00:00Z",
      "voting_closes": "2027-05-01T00:00:00Z",
      "votes_per_voter": 1,
      "show_counts": true,
      "entries": [{"slug": "thaw", "title": "Thaw", "category": "landscape"}]
    }
  ]
}`

const site = "https://stories.example.org"

var secret = []byte("0123456789abcdef0123456789abcdef")

// spyStore counts the calls that reach the store.
type spyStore struct {
	vote.Store
	calls atomic.Int64
}

func (s *spyStore) Cast(ctx context.Context, v vote.Vote) (int, error) {
	s.calls.Add(1)
	return s.Store.Cast(ctx, v)
}

func (s *spyStore) Counts(ctx context.Context, c string) (map[string]int, error) {
	s.calls.Add(1)
	return s.Store.Counts(ctx, c)
}

func (s *spyStore) Receipt(ctx context.Context, v vote.Voter, k string) (vote.Receipt, error) {
	s.calls.Add(1)
	return s.Store.Receipt(ctx, v, k)
}

type fixture struct {
	t     *testing.T
	h     http.Handler
	store *spyStore
	now   time.Time
	mu    sync.Mutex
}

func newFixture(t *testing.T, edit func(*vote.Config)) *fixture {
	t.Helper()
	m, err := vote.ParseManifest([]byte(testManifest))
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "votes.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{t: t, store: &spyStore{Store: st}, now: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
	cfg := vote.Config{
		Manifest: m,
		Store:    f.store,
		Secret:   secret,
		Now: func() time.Time {
			f.mu.Lock()
			defer f.mu.Unlock()
			return f.now
		},
	}
	if edit != nil {
		edit(&cfg)
	}
	h, err := vote.NewHandler(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.h = h
	return f
}

func (f *fixture) setNow(t time.Time) {
	f.mu.Lock()
	f.now = t
	f.mu.Unlock()
}

type req struct {
	method  string
	target  string
	body    string
	cookie  *http.Cookie
	headers map[string]string
	remote  string
}

func (f *fixture) do(r req) *httptest.ResponseRecorder {
	f.t.Helper()
	if r.method == "" {
		r.method = http.MethodPost
	}
	if r.target == "" {
		r.target = vote.Path
	}
	hr := httptest.NewRequest(r.method, "https://stories.example.org"+r.target, strings.NewReader(r.body))
	if r.method == http.MethodPost {
		hr.Header.Set("Content-Type", "application/json")
		hr.Header.Set("Origin", site)
		hr.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	if r.remote != "" {
		hr.RemoteAddr = r.remote
	}
	for k, v := range r.headers {
		if v == "" {
			hr.Header.Del(k)
		} else {
			hr.Header.Set(k, v)
		}
	}
	if r.cookie != nil {
		hr.AddCookie(r.cookie)
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, hr)
	return w
}

func body(contest, entry string) string {
	return fmt.Sprintf(`{"contest": %q, "entry": %q}`, contest, entry)
}

func voterCookie(t *testing.T, w *httptest.ResponseRecorder) *http.Cookie {
	t.Helper()
	for _, c := range w.Result().Cookies() {
		if c.Name == "postcard_voter" && c.MaxAge > 0 {
			return c
		}
	}
	t.Fatalf("no voter cookie in %v", w.Header())
	return nil
}

func wantStatus(t *testing.T, w *httptest.ResponseRecorder, status int, bodyPart string) {
	t.Helper()
	if w.Code != status || !strings.Contains(w.Body.String(), bodyPart) {
		t.Fatalf("got %d %s, want %d with %q", w.Code, w.Body, status, bodyPart)
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type %q", ct)
	}
}

func TestVote201(t *testing.T) {
	f := newFixture(t, nil)
	w := f.do(req{body: body("autumn-light-2026", "first-light-on-the-pier")})
	wantStatus(t, w, http.StatusCreated, `{"entry":"first-light-on-the-pier","votes":1}`)
	c := voterCookie(t, w)
	if !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode {
		t.Fatalf("cookie attributes: %+v", c)
	}
	// Another voter: the count goes up.
	w = f.do(req{body: body("autumn-light-2026", "first-light-on-the-pier")})
	wantStatus(t, w, http.StatusCreated, `"votes":2`)
	// The same voter, another entry.
	w = f.do(req{body: body("autumn-light-2026", "fog"), cookie: c})
	wantStatus(t, w, http.StatusCreated, `{"entry":"fog","votes":1}`)
	if len(w.Result().Cookies()) != 0 {
		t.Fatalf("a known voter got a new cookie: %v", w.Result().Cookies())
	}
}

func TestVote409(t *testing.T) {
	f := newFixture(t, nil)
	w := f.do(req{body: body("autumn-light-2026", "fog")})
	c := voterCookie(t, w)
	w = f.do(req{body: body("autumn-light-2026", "fog"), cookie: c})
	wantStatus(t, w, http.StatusConflict, "already voted")

	// votes_per_voter = 3: the fourth is refused.
	for _, e := range []string{"october", "the-ferryman"} {
		wantStatus(t, f.do(req{body: body("autumn-light-2026", e), cookie: c}), http.StatusCreated, e)
	}
	w = f.do(req{body: body("autumn-light-2026", "first-light-on-the-pier"), cookie: c})
	wantStatus(t, w, http.StatusConflict, "all 3 of your votes")
}

func TestVote404And403WithoutStore(t *testing.T) {
	f := newFixture(t, nil)
	for _, tt := range []struct {
		name   string
		r      req
		status int
		part   string
	}{
		{"unknown contest", req{body: body("no-such-contest", "fog")}, 404, "no contest"},
		{"unknown entry", req{body: body("autumn-light-2026", "no-such-entry")}, 404, "no entry"},
		{"entry of another contest", req{body: body("autumn-light-2026", "thaw")}, 404, "no entry"},
		{"window not open yet", req{body: body("spring-2027", "thaw")}, 403, "voting opens"},
		{"foreign origin", req{body: body("autumn-light-2026", "fog"),
			headers: map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": ""}}, 403, "only accepted from"},
		{"foreign origin, same-origin fetch", req{body: body("autumn-light-2026", "fog"),
			headers: map[string]string{"Origin": "https://evil.example"}}, 403, "only accepted from"},
		{"cross-site fetch", req{body: body("autumn-light-2026", "fog"),
			headers: map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": ""}}, 403, "only accepted from"},
		{"null origin", req{body: body("autumn-light-2026", "fog"),
			headers: map[string]string{"Origin": "null", "Sec-Fetch-Site": ""}}, 403, "only accepted from"},
		{"tampered cookie", req{body: body("autumn-light-2026", "fog"),
			cookie: &http.Cookie{Name: "postcard_voter", Value: "AAAAAAAAAAAAAAAAAAAAAA.forged"}}, 403, "not valid"},
		{"unknown contest counts", req{method: "GET", target: "/api/votes?contest=nope"}, 404, "no contest"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := f.store.calls.Load()
			wantStatus(t, f.do(tt.r), tt.status, tt.part)
			if n := f.store.calls.Load() - before; n != 0 {
				t.Fatalf("the store was called %d times", n)
			}
		})
	}
	// After the window: 403 too.
	f.setNow(time.Date(2026, 11, 30, 22, 0, 0, 0, time.UTC)) // 2026-12-01T00:00+02:00
	wantStatus(t, f.do(req{body: body("autumn-light-2026", "fog")}), 403, "voting closed")
	f.setNow(time.Date(2026, 10, 31, 21, 59, 59, 0, time.UTC))
	wantStatus(t, f.do(req{body: body("autumn-light-2026", "fog")}), 403, "voting opens")
	f.setNow(time.Date(2026, 10, 31, 22, 0, 0, 0, time.UTC)) // the first instant
	wantStatus(t, f.do(req{body: body("autumn-light-2026", "fog")}), 201, `"votes":1`)
}

func TestTamperedCookieIsCleared(t *testing.T) {
	f := newFixture(t, nil)
	c := voterCookie(t, f.do(req{body: body("autumn-light-2026", "fog")}))
	id, mac, _ := strings.Cut(c.Value, ".")
	forged := &http.Cookie{Name: c.Name, Value: "B" + id[1:] + "." + mac}
	w := f.do(req{body: body("autumn-light-2026", "october"), cookie: forged})
	wantStatus(t, w, 403, "not valid")
	cleared := false
	for _, c := range w.Result().Cookies() {
		cleared = cleared || (c.Name == "postcard_voter" && c.MaxAge < 0)
	}
	if !cleared {
		t.Fatalf("the bad cookie was not cleared: %v", w.Header())
	}
	// A cookie signed with another secret is refused too.
	other := newFixture(t, func(c *vote.Config) { c.Secret = []byte(strings.Repeat("x", 32)) })
	wantStatus(t, other.do(req{body: body("autumn-light-2026", "fog"), cookie: c}), 403, "not valid")
}

func TestVote400(t *testing.T) {
	f := newFixture(t, nil)
	for name, b := range map[string]string{
		"empty":            ``,
		"not JSON":         `contest=autumn-light-2026&entry=fog`,
		"array":            `["autumn-light-2026", "fog"]`,
		"unknown field":    `{"contest": "autumn-light-2026", "entry": "fog", "votes": 100}`,
		"field case":       `{"CONTEST": "autumn-light-2026", "entry": "fog"}`,
		"repeated field":   `{"contest": "autumn-light-2026", "entry": "fog", "entry": "october"}`,
		"missing entry":    `{"contest": "autumn-light-2026"}`,
		"number":           `{"contest": "autumn-light-2026", "entry": 7}`,
		"null":             `{"contest": "autumn-light-2026", "entry": null}`,
		"object":           `{"contest": "autumn-light-2026", "entry": {}}`,
		"trailing data":    `{"contest": "autumn-light-2026", "entry": "fog"} {}`,
		"trailing garbage": `{"contest": "autumn-light-2026", "entry": "fog"}x`,
		"truncated":        `{"contest": "autumn-light-2026", "entry": "fog"`,
		"not a slug":       `{"contest": "autumn-light-2026", "entry": "../fog"}`,
		"empty entry":      `{"contest": "autumn-light-2026", "entry": ""}`,
	} {
		t.Run(name, func(t *testing.T) {
			wantStatus(t, f.do(req{body: b}), 400, `"code":"invalid"`)
		})
	}
	t.Run("content type", func(t *testing.T) {
		w := f.do(req{body: body("autumn-light-2026", "fog"), headers: map[string]string{"Content-Type": "text/plain"}})
		wantStatus(t, w, 400, "application/json")
	})
	t.Run("idempotency key", func(t *testing.T) {
		w := f.do(req{body: body("autumn-light-2026", "fog"), headers: map[string]string{"Idempotency-Key": strings.Repeat("k", 129)}})
		wantStatus(t, w, 400, "Idempotency-Key")
	})
	t.Run("counts without contest", func(t *testing.T) {
		wantStatus(t, f.do(req{method: "GET"}), 400, "contest")
	})
	if n := f.store.calls.Load(); n != 0 {
		t.Fatalf("the store was called %d times", n)
	}
}

func TestVote413(t *testing.T) {
	f := newFixture(t, nil)
	big := `{"contest": "autumn-light-2026", "entry": "fog"` + strings.Repeat(" ", 2000) + `}`
	wantStatus(t, f.do(req{body: big}), 413, "larger than")
	// Without a Content-Length (chunked), the limit still holds.
	hr := httptest.NewRequest("POST", "https://stories.example.org/api/votes", strings.NewReader(big))
	hr.ContentLength = -1
	hr.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, hr)
	wantStatus(t, w, 413, "larger than")
}

func TestVote429(t *testing.T) {
	f := newFixture(t, func(c *vote.Config) { c.RateLimit = 5 })
	from := func(remote string, xff string) int {
		r := req{body: body("autumn-light-2026", "fog"), remote: remote}
		if xff != "" {
			r.headers = map[string]string{"X-Forwarded-For": xff}
		}
		return f.do(r).Code
	}
	for i := range 5 {
		if c := from("203.0.113.7:4000", ""); c != 201 {
			t.Fatalf("request %d: %d", i, c)
		}
	}
	w := f.do(req{body: body("autumn-light-2026", "fog"), remote: "203.0.113.7:4001"})
	wantStatus(t, w, 429, "too many")
	if w.Header().Get("Retry-After") == "" {
		t.Fatal("no Retry-After")
	}
	// A spoofed X-Forwarded-For does not make a new client.
	if c := from("203.0.113.7:4002", "198.51.100.1"); c != 429 {
		t.Fatalf("spoofed X-Forwarded-For: %d, want 429", c)
	}
	// GET counts against the same limit.
	if c := f.do(req{method: "GET", target: "/api/votes?contest=autumn-light-2026", remote: "203.0.113.7:4003"}).Code; c != 429 {
		t.Fatalf("GET: %d", c)
	}
	// Another client is not limited; nor is another IPv6 /56, but the same /56 is one client.
	if c := from("203.0.113.8:4000", ""); c != 201 {
		t.Fatalf("other client: %d", c)
	}
	for i := range 5 {
		if c := from(fmt.Sprintf("[2001:db8:1:2::%x]:443", i+1), ""); c != 201 {
			t.Fatalf("IPv6 request %d: %d", i, c)
		}
	}
	if c := from("[2001:db8:1:2:ffff::1]:443", ""); c != 429 {
		t.Fatalf("same /64: %d, want 429", c)
	}
	// A subscriber may hold a whole /56: another /64 in it is the same client.
	if c := from("[2001:db8:1:3::1]:443", ""); c != 429 {
		t.Fatalf("same /56: %d, want 429", c)
	}
	if c := from("[2001:db8:1:100::1]:443", ""); c != 201 {
		t.Fatalf("another /56: %d, want 201", c)
	}
	// A minute later the client may vote again.
	f.setNow(f.now.Add(time.Minute))
	if c := from("203.0.113.7:4000", ""); c != 201 {
		t.Fatalf("after a minute: %d", c)
	}
}

func TestTrustedProxy(t *testing.T) {
	proxy := netip.MustParsePrefix("10.0.0.0/8")
	f := newFixture(t, func(c *vote.Config) {
		c.RateLimit = 1
		c.ClientAddr = vote.TrustedProxies{Proxies: []netip.Prefix{proxy}}
	})
	send := func(remote, xff string) int {
		return f.do(req{body: body("autumn-light-2026", "fog"), remote: remote, headers: map[string]string{"X-Forwarded-For": xff}}).Code
	}
	if c := send("10.1.1.1:1", "198.51.100.1"); c != 201 {
		t.Fatal(c)
	}
	// The client prepends a fake address: the proxy's entry still names it.
	if c := send("10.1.1.1:1", "192.0.2.99, 198.51.100.1"); c != 429 {
		t.Fatalf("spoofed prefix: %d, want 429", c)
	}
	if c := send("10.1.1.1:1", "198.51.100.2"); c != 201 {
		t.Fatalf("another client behind the proxy: %d", c)
	}
	// An untrusted peer's header is ignored.
	if c := send("192.0.2.1:1", "198.51.100.3"); c != 201 {
		t.Fatal(c)
	}
	if c := send("192.0.2.1:1", "198.51.100.4"); c != 429 {
		t.Fatalf("untrusted X-Forwarded-For changed the key: %d", c)
	}
}

func TestRateLimitOff(t *testing.T) {
	f := newFixture(t, nil)
	for i := range 100 {
		if c := f.do(req{method: "GET", target: "/api/votes?contest=autumn-light-2026"}).Code; c != 200 {
			t.Fatalf("request %d: %d", i, c)
		}
	}
}

func TestCounts(t *testing.T) {
	f := newFixture(t, nil)
	f.do(req{body: body("autumn-light-2026", "fog")})
	f.do(req{body: body("autumn-light-2026", "fog")})
	f.do(req{body: body("autumn-light-2026", "october")})
	w := f.do(req{method: "GET", target: "/api/votes?contest=autumn-light-2026"})
	wantStatus(t, w, 200, "")
	var got struct {
		Contest string
		Entries map[string]int
	}
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"first-light-on-the-pier": 0, "the-ferryman": 0, "october": 1, "fog": 2}
	if got.Contest != "autumn-light-2026" || fmt.Sprint(got.Entries) != fmt.Sprint(want) {
		t.Fatalf("got %+v", got)
	}
	// Without show_counts: the contest, no entries, and no store access.
	f.do(req{body: body("secret-ballot", "a")})
	before := f.store.calls.Load()
	w = f.do(req{method: "GET", target: "/api/votes?contest=secret-ballot"})
	wantStatus(t, w, 200, `{"contest":"secret-ballot"}`)
	if f.store.calls.Load() != before {
		t.Fatal("the store was asked for hidden counts")
	}
	// GET from any origin is fine: counts are public when shown at all.
	w = f.do(req{method: "GET", target: "/api/votes?contest=autumn-light-2026", headers: map[string]string{"Origin": "https://elsewhere.example"}})
	wantStatus(t, w, 200, `"fog":2`)
}

func TestMethodAndPath(t *testing.T) {
	f := newFixture(t, nil)
	w := f.do(req{method: "DELETE"})
	if w.Code != 405 || w.Header().Get("Allow") == "" {
		t.Fatalf("DELETE: %d %v", w.Code, w.Header())
	}
	wantStatus(t, f.do(req{target: "/api/other", body: body("autumn-light-2026", "fog")}), 404, "no such endpoint")
}

func TestIdempotencyKey(t *testing.T) {
	f := newFixture(t, nil)
	w := f.do(req{body: body("autumn-light-2026", "fog")})
	c := voterCookie(t, w)
	key := map[string]string{"Idempotency-Key": `"b7a1c6e0-retry"`}
	w = f.do(req{body: body("autumn-light-2026", "october"), cookie: c, headers: key})
	wantStatus(t, w, 201, `{"entry":"october","votes":1}`)
	f.do(req{body: body("autumn-light-2026", "october")}) // someone else
	for range 3 {
		w = f.do(req{body: body("autumn-light-2026", "october"), cookie: c, headers: key})
		wantStatus(t, w, 201, `{"entry":"october","votes":1}`)
	}
	// The key for another entry is refused.
	w = f.do(req{body: body("autumn-light-2026", "the-ferryman"), cookie: c, headers: key})
	wantStatus(t, w, 400, "another vote")
	// The retries used no votes: the voter still has one.
	wantStatus(t, f.do(req{body: body("autumn-light-2026", "the-ferryman"), cookie: c}), 201, `"votes":1`)
	w = f.do(req{method: "GET", target: "/api/votes?contest=autumn-light-2026"})
	wantStatus(t, w, 200, `"october":2`)
}

type fakeChallenge struct{ valid string }

func (f fakeChallenge) Verify(_ context.Context, token string) (bool, error) {
	return token == f.valid, nil
}

func TestChallenge(t *testing.T) {
	f := newFixture(t, func(c *vote.Config) { c.Challenge = fakeChallenge{valid: "good-token"} })
	wantStatus(t, f.do(req{body: body("autumn-light-2026", "fog")}), 403, "anti-robot")
	wantStatus(t, f.do(req{body: body("autumn-light-2026", "fog"), headers: map[string]string{vote.ChallengeHeader: "bad"}}), 403, "anti-robot")
	wantStatus(t, f.do(req{body: body("autumn-light-2026", "fog"), headers: map[string]string{vote.ChallengeHeader: "good-token"}}), 201, `"votes":1`)
}

func TestTurnstile(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if r.PostForm.Get("remoteip") != "" {
			t.Error("the client address was sent")
		}
		ok := r.PostForm.Get("secret") == "s3cret" && r.PostForm.Get("response") == "tok"
		fmt.Fprintf(w, `{"success": %t}`, ok)
	}))
	defer srv.Close()
	ts := vote.Turnstile{Secret: "s3cret", URL: srv.URL, Client: srv.Client()}
	for token, want := range map[string]bool{"tok": true, "nope": false, "": false} {
		got, err := ts.Verify(context.Background(), token)
		if err != nil || got != want {
			t.Errorf("Verify(%q) = %v, %v; want %v", token, got, err, want)
		}
	}
}

func TestNewHandlerChecksConfig(t *testing.T) {
	m, _ := vote.ParseManifest([]byte(testManifest))
	f := newFixture(t, nil)
	for name, c := range map[string]vote.Config{
		"no store":     {Manifest: m, Secret: secret},
		"no manifest":  {Store: f.store, Secret: secret},
		"short secret": {Manifest: m, Store: f.store, Secret: []byte("short")},
		"bad origin":   {Manifest: m, Store: f.store, Secret: secret, Origins: []string{"https://x.example/path"}},
		"negative":     {Manifest: m, Store: f.store, Secret: secret, RateLimit: -1},
	} {
		if _, err := vote.NewHandler(c); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestHiddenCountsStayHidden: a contest without show_counts does not reveal
// an entry's count in the answer to a vote either.
func TestHiddenCountsStayHidden(t *testing.T) {
	f := newFixture(t, nil)
	w := f.do(req{body: body("secret-ballot", "a")})
	wantStatus(t, w, http.StatusCreated, `"entry":"a"`)
	if strings.Contains(w.Body.String(), "votes") {
		t.Errorf("201 of a hidden-count contest reveals the count: %s", w.Body)
	}
	w = f.do(req{body: body("autumn-light-2026", "fog")})
	wantStatus(t, w, http.StatusCreated, `"votes":1`)
}

// TestCORS: the site's pages may call a function on another origin of the
// same site, with credentials; other origins get no CORS headers and their
// preflight is refused.
func TestCORS(t *testing.T) {
	f := newFixture(t, nil)
	w := f.do(req{method: http.MethodOptions, headers: map[string]string{
		"Origin": site, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type",
	}})
	if w.Code != http.StatusNoContent || w.Header().Get("Access-Control-Allow-Origin") != site ||
		w.Header().Get("Access-Control-Allow-Credentials") != "true" ||
		!strings.Contains(w.Header().Get("Access-Control-Allow-Headers"), "Content-Type") {
		t.Errorf("preflight from the site: %d %v", w.Code, w.Header())
	}
	if f.store.calls.Load() != 0 {
		t.Error("a preflight touched the store")
	}
	w = f.do(req{body: body("autumn-light-2026", "fog")})
	if w.Code != http.StatusCreated || w.Header().Get("Access-Control-Allow-Origin") != site {
		t.Errorf("vote from the site: %d %v", w.Code, w.Header())
	}
	w = f.do(req{method: http.MethodOptions, headers: map[string]string{"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}})
	if w.Code != http.StatusForbidden || w.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight from another site: %d %v", w.Code, w.Header())
	}
}
