package vote

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Path is where the handler answers.
const Path = "/api/votes"

// DefaultMaxBody is the default limit on a POST body: a ballot is two slugs.
const DefaultMaxBody = 1 << 10

// Config is what a Handler needs. Manifest, Store and Secret are required.
type Config struct {
	Manifest *Manifest
	Store    Store

	// Secret signs voter cookies; at least 32 bytes. Changing it makes every
	// voter cookie invalid.
	Secret []byte

	// RateLimit is the number of requests a minute one client may make;
	// 0 turns the limit off.
	RateLimit int

	// ClientAddr tells the client address for the rate limit; nil is
	// RemoteAddr.
	ClientAddr AddrSource

	// Origins lists more origins allowed to vote besides the manifest's
	// site (a preview server, say).
	Origins []string

	// Challenge, when set, requires a valid token in ChallengeHeader (a
	// third-party CAPTCHA such as Turnstile). It is independent of the
	// contests' own proof of work (Contest.Challenge, ProofHeader).
	Challenge Challenge

	Now     func() time.Time // nil: time.Now
	Rand    io.Reader        // voter ids, salts and challenge nonces; nil: crypto/rand
	Logger  *slog.Logger     // internal errors; nil: slog.Default()
	MaxBody int64            // nil: DefaultMaxBody
}

// Handler serves the vote API. Create it with NewHandler.
type Handler struct {
	m            *Manifest
	store        Store
	signer       voterSigner
	networks     networkKeyer
	prover       prover
	limit        *limiter
	addr         AddrSource
	origins      map[string]bool
	cop          *http.CrossOriginProtection
	challenge    Challenge
	now          func() time.Time
	rand         io.Reader
	log          *slog.Logger
	maxBody      int64
	secureCookie bool
}

// NewHandler checks c and returns a Handler.
func NewHandler(c Config) (*Handler, error) {
	if c.Manifest == nil || c.Store == nil {
		return nil, errors.New("vote: a handler needs a manifest and a store")
	}
	if len(c.Secret) < 32 {
		return nil, errors.New("vote: the secret must be at least 32 bytes")
	}
	if c.RateLimit < 0 {
		return nil, errors.New("vote: the rate limit must not be negative")
	}
	h := &Handler{
		m:         c.Manifest,
		store:     c.Store,
		signer:    newVoterSigner(c.Secret),
		networks:  newNetworkKeyer(c.Secret),
		prover:    newProver(c.Secret),
		addr:      c.ClientAddr,
		origins:   make(map[string]bool),
		cop:       http.NewCrossOriginProtection(),
		challenge: c.Challenge,
		now:       c.Now,
		rand:      c.Rand,
		log:       c.Logger,
		maxBody:   c.MaxBody,
	}
	if h.addr == nil {
		h.addr = RemoteAddr{}
	}
	if h.now == nil {
		h.now = time.Now
	}
	if h.rand == nil {
		h.rand = rand.Reader
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	if h.maxBody <= 0 {
		h.maxBody = DefaultMaxBody
	}
	h.limit = newLimiter(c.RateLimit, h.rand)
	for _, o := range append([]string{c.Manifest.Site}, c.Origins...) {
		origin, err := Origin(o)
		if err != nil {
			return nil, fmt.Errorf("vote: allowed origin: %w", err)
		}
		if err := h.cop.AddTrustedOrigin(origin); err != nil {
			return nil, fmt.Errorf("vote: allowed origin: %w", err)
		}
		h.origins[origin] = true
	}
	h.secureCookie = strings.HasPrefix(h.m.Site, "https:")
	return h, nil
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != Path && r.URL.Path != ChallengePath {
		h.fail(w, r, Errorf(NotFound, "no such endpoint"))
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	if h.cors(w, r) {
		return
	}
	if r.URL.Path == ChallengePath {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			WriteJSON(w, http.StatusMethodNotAllowed, ErrorBody{Error: "method not allowed", Code: "method_not_allowed"})
			return
		}
		h.getChallenge(w, r)
		return
	}
	switch r.Method {
	case http.MethodPost:
		h.post(w, r)
	case http.MethodGet, http.MethodHead:
		h.get(w, r)
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		WriteJSON(w, http.StatusMethodNotAllowed, ErrorBody{Error: "method not allowed", Code: "method_not_allowed"})
	}
}

// cors lets the site's pages call the function when it is deployed on
// another origin of the same site (votes.example.org beside
// stories.example.org): allowed origins get CORS headers with credentials,
// so the voter cookie travels, and a preflight is answered here. It reports
// whether the request was a preflight and has been answered.
func (h *Handler) cors(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	w.Header().Add("Vary", "Origin")
	allowed := origin != "" && h.origins[strings.ToLower(origin)]
	if allowed {
		w.Header().Set("Access-Control-Allow-Origin", origin)
		w.Header().Set("Access-Control-Allow-Credentials", "true")
	}
	if r.Method != http.MethodOptions {
		return false
	}
	if !allowed {
		h.fail(w, r, Errorf(Forbidden, "votes are only accepted from %s", h.m.Site))
		return true
	}
	w.Header().Set("Access-Control-Allow-Methods", "GET, POST")
	w.Header().Set("Access-Control-Allow-Headers", "Content-Type, Idempotency-Key, "+ChallengeHeader+", "+ProofHeader)
	w.Header().Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
	return true
}

// checkOrigin refuses a vote from another site: the standard library's
// cross-origin protection (Sec-Fetch-Site, then Origin against Host), and an
// Origin header, when there is one, must be an allowed origin. A request
// without either header is not from a browser and gains nothing by forging.
func (h *Handler) checkOrigin(r *http.Request) error {
	if err := h.cop.Check(r); err != nil {
		return Errorf(Forbidden, "votes are only accepted from %s", h.m.Site)
	}
	if o := r.Header.Get("Origin"); o != "" && !h.origins[strings.ToLower(o)] {
		return Errorf(Forbidden, "votes are only accepted from %s", h.m.Site)
	}
	return nil
}

// Allow applies the handler's per-client rate limit to a request of
// another endpoint of the function (submissions): an error with code
// TooMany when the client is over it.
func (h *Handler) Allow(r *http.Request) error { return h.checkRate(r) }

// checkRate applies the per-client rate limit, to votes and counts alike.
func (h *Handler) checkRate(r *http.Request) error {
	addr, known := h.addr.ClientAddr(r)
	ok, err := h.limit.allow(addr, known, h.now())
	if err != nil {
		return err
	}
	if !ok {
		return Errorf(TooMany, "too many requests; wait a minute and try again")
	}
	return nil
}

// voteResponse answers a counted vote. Votes, the entry's new count, is
// left out for a contest that hides its counts while voting is open: the
// answer to one's own vote must not reveal what the page keeps secret.
type voteResponse struct {
	Entry string `json:"entry"`
	Votes *int   `json:"votes,omitempty"`
}

func newVoteResponse(c *Contest, entry string, votes int) voteResponse {
	if !c.ShowCounts {
		return voteResponse{Entry: entry}
	}
	return voteResponse{Entry: entry, Votes: &votes}
}

func (h *Handler) post(w http.ResponseWriter, r *http.Request) {
	err := h.checkOrigin(r)
	if err == nil {
		err = h.checkRate(r)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			h.fail(w, r, Errorf(Invalid, "the body must be application/json"))
			return
		}
	}
	if r.ContentLength > h.maxBody {
		h.fail(w, r, Errorf(TooLarge, "the body is larger than %d bytes", h.maxBody))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.maxBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			err = Errorf(TooLarge, "the body is larger than %d bytes", h.maxBody)
		} else {
			err = Errorf(Invalid, "cannot read the body")
		}
		h.fail(w, r, err)
		return
	}
	b, err := decodeBallot(body)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	key, err := idempotencyKey(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}

	// The manifest's rules, before any store access.
	now := h.now()
	c := h.m.Contest(b.Contest)
	if c == nil {
		h.fail(w, r, Errorf(NotFound, "no contest %q", b.Contest))
		return
	}
	if c.Entry(b.Entry) == nil {
		h.fail(w, r, Errorf(NotFound, "no entry %q in contest %q", b.Entry, b.Contest))
		return
	}
	if !c.Open(now) {
		if now.Before(c.VotingOpens) {
			h.fail(w, r, Errorf(Forbidden, "voting opens %s", c.VotingOpens.Format(time.RFC3339)))
		} else {
			h.fail(w, r, Errorf(Forbidden, "voting closed %s", c.VotingCloses.Format(time.RFC3339)))
		}
		return
	}
	if h.challenge != nil {
		ok, err := h.challenge.Verify(r.Context(), r.Header.Get(ChallengeHeader))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if !ok {
			h.fail(w, r, Errorf(Forbidden, "the anti-robot check failed; try again"))
			return
		}
	}

	// Who votes: the cookie's voter, or a new one, who must have solved
	// the contest's challenge. The new voter's cookie is issued only with
	// a counted vote, so that every identity costs a solved challenge.
	var (
		voter    Voter
		newVoter bool
		proof    []byte
	)
	if ck, err := r.Cookie(voterCookie); err == nil {
		voter, err = h.signer.verify(ck.Value, now)
		if err != nil {
			http.SetCookie(w, h.voterCookie("", -1))
			h.fail(w, r, err)
			return
		}
	} else {
		if c.Challenge > 0 {
			proof, err = h.prover.verify(r.Header.Get(ProofHeader), c.Slug, c.Challenge, now)
			if err != nil {
				h.fail(w, r, err)
				return
			}
		}
		voter, err = mintVoter(h.rand, now)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		newVoter = true
	}

	if key != "" {
		// A retry of a vote that already counted gets its first answer.
		rc, err := h.store.Receipt(r.Context(), voter, key)
		switch {
		case err == nil:
			if rc.Contest != b.Contest || rc.Entry != b.Entry {
				h.fail(w, r, Errorf(Invalid, "this Idempotency-Key was used for another vote"))
				return
			}
			WriteJSON(w, http.StatusCreated, newVoteResponse(c, rc.Entry, rc.Votes))
			return
		case ErrorCode(err) != NotFound:
			h.fail(w, r, err)
			return
		}
	}
	addr, known := h.addr.ClientAddr(r)
	n, err := h.store.Cast(r.Context(), Vote{
		Contest:      b.Contest,
		Entry:        b.Entry,
		Voter:        voter,
		PerVoter:     c.VotesPerVoter,
		Key:          key,
		At:           now,
		Network:      h.networks.of(addr, known, now),
		NetworkQuota: c.NetworkQuota,
		Proof:        proof,
	})
	if err != nil {
		if ErrorCode(err) == TooMany {
			// The network's quota for the day: it renews at 00:00 UTC.
			w.Header().Set("Retry-After", strconv.Itoa(int(nextUTCDay(now).Sub(now)/time.Second)+1))
		}
		h.fail(w, r, err)
		return
	}
	if newVoter {
		http.SetCookie(w, h.voterCookie(h.signer.sign(voter), int(cookieMaxAge/time.Second)))
	}
	WriteJSON(w, http.StatusCreated, newVoteResponse(c, b.Entry, n))
}

type challengeResponse struct {
	Contest    string `json:"contest"`
	Difficulty int    `json:"difficulty"`
	Challenge  string `json:"challenge,omitempty"`
	Expires    string `json:"expires,omitempty"`
}

// getChallenge answers GET /api/votes/challenge?contest=: a fresh
// proof-of-work challenge for the contest, or difficulty 0 and no challenge
// when the contest asks for none.
func (h *Handler) getChallenge(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("for") == "submission" {
		h.submissionChallenge(w, r)
		return
	}
	c := h.queryContest(w, r)
	if c == nil {
		return
	}
	resp := challengeResponse{Contest: c.Slug, Difficulty: c.Challenge}
	if c.Challenge > 0 {
		expires := h.now().Add(proofTTL).Truncate(time.Second)
		token, err := h.prover.issue(h.rand, c.Slug, c.Challenge, expires)
		if err != nil {
			h.fail(w, r, errors.Join(Errorf(Internal, "cannot create a challenge"), err))
			return
		}
		resp.Challenge, resp.Expires = token, expires.UTC().Format(time.RFC3339)
	}
	WriteJSON(w, http.StatusOK, resp)
}

// queryContest applies the rate limit and finds the contest a GET names in
// its contest parameter; nil means the request has been answered.
func (h *Handler) queryContest(w http.ResponseWriter, r *http.Request) *Contest {
	if err := h.checkRate(r); err != nil {
		h.fail(w, r, err)
		return nil
	}
	slug := r.URL.Query().Get("contest")
	if slug == "" {
		h.fail(w, r, Errorf(Invalid, "the contest parameter is required"))
		return nil
	}
	c := h.m.Contest(slug)
	if c == nil {
		h.fail(w, r, Errorf(NotFound, "no contest %q", slug))
	}
	return c
}

type countsResponse struct {
	Contest string         `json:"contest"`
	Entries map[string]int `json:"entries,omitempty"`
}

// get answers the counts. Any origin may read them: they are public when
// shown at all, and a cross-origin page cannot read the answer without CORS.
func (h *Handler) get(w http.ResponseWriter, r *http.Request) {
	c := h.queryContest(w, r)
	if c == nil {
		return
	}
	resp := countsResponse{Contest: c.Slug}
	if c.ShowCounts {
		counts, err := h.store.Counts(r.Context(), c.Slug)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		// Every published entry, and only those.
		resp.Entries = make(map[string]int, len(c.Entries))
		for _, e := range c.Entries {
			resp.Entries[e.Slug] = counts[e.Slug]
		}
	}
	WriteJSON(w, http.StatusOK, resp)
}

// idempotencyKey returns the request's Idempotency-Key, "" when there is none.
// The key may be sent bare or as a quoted string (RFC 8941); it must be 1 to
// 128 visible ASCII characters.
func idempotencyKey(r *http.Request) (string, error) {
	vals := r.Header.Values("Idempotency-Key")
	if len(vals) == 0 {
		return "", nil
	}
	k := vals[0]
	if len(k) >= 2 && k[0] == '"' && k[len(k)-1] == '"' {
		k = k[1 : len(k)-1]
	}
	ok := len(vals) == 1 && k != "" && len(k) <= 128
	for i := 0; ok && i < len(k); i++ {
		ok = k[i] > ' ' && k[i] < 0x7f && k[i] != '"'
	}
	if !ok {
		return "", Errorf(Invalid, "Idempotency-Key must be one value of 1 to 128 visible ASCII characters")
	}
	return k, nil
}

// ErrorBody is the API's error shape: {"error": message, "code": code}.
type ErrorBody struct {
	Error string `json:"error"`
	Code  Code   `json:"code"`
}

// fail answers with err's code and message. Internal errors are logged,
// without the client's address, and answered with a generic message.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := ErrorCode(err)
	if code == Internal {
		h.log.ErrorContext(r.Context(), "vote: request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	status := Status(code)
	if code == TooMany && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", strconv.Itoa(60/max(1, h.limit.perMinute)+1))
	}
	WriteJSON(w, status, ErrorBody{Error: ErrorMessage(err), Code: code})
}

// WriteJSON answers v as JSON with status: the one way the vote API and
// the submission endpoint beside it write their bodies.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"internal error","code":"internal"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
