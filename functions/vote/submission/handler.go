// Package submission is the voting function's second endpoint: POST
// /api/submissions takes a story from the site's form (its text, photos,
// consent and contact) and keeps it in the vote store until an editor
// pulls it into the content folder.
//
// It is a package of its own, beside the vote package, because it checks
// a post with the content stage's own rules (kinds, licences, video
// providers, Markdown's URL allowlist) and the image stage's header
// reader, which the vote package, imported by content, cannot use.
//
// A post is refused before any store access when it can be decided from
// the manifest: the origin, the size (the body is read through
// http.MaxBytesReader, part by part, into memory bounded by the cap, never
// to disk), every field (all errors at once), the contest's window, the
// proof of work and Turnstile. Each photo's format is told from its bytes
// and its pixel size read from its header before it is kept. The store
// then counts the post against its network's quota for the UTC day in the
// same transaction that records it, and the answer, a receipt, comes only
// after the commit.
//
// A script post (Accept: application/json) gets JSON answers; a plain form
// post, which cannot solve the proof of work and so gets the stricter
// form_quota, gets redirects: to the thank-you page, or back to the form,
// filled in again by FormPath with every message beside its field.
package submission

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote"
)

// Config is what a Handler needs. Manifest, Store and Secret are required.
type Config struct {
	Manifest *vote.Manifest
	Store    vote.SubmissionStore
	Secret   []byte // the function's secret, as the vote handler's

	// DefaultMaxBody caps a request when the manifest's max_request_bytes
	// is 0: vote.ServerlessMaxRequest or vote.ServerMaxRequest.
	DefaultMaxBody int64

	Origins    []string         // more allowed origins than the manifest's site
	ClientAddr vote.AddrSource  // nil: RemoteAddr
	Challenge  vote.Challenge   // optional Turnstile
	Now        func() time.Time // nil: time.Now
	Rand       io.Reader        // receipts and tokens; nil: crypto/rand
	Logger     *slog.Logger     // nil: slog.Default()

	// RateLimit, when set, refuses a client over its per-minute rate
	// (the vote handler's Allow), before anything is read.
	RateLimit func(*http.Request) error

	// Next answers every other path (the vote handler); nil: 404.
	Next http.Handler
}

// Handler serves the submission endpoint. Create it with NewHandler.
type Handler struct {
	m       *vote.Manifest
	sub     *vote.Submissions
	store   vote.SubmissionStore
	secret  []byte
	maxBody int64
	origins map[string]bool
	cop     *http.CrossOriginProtection
	addr    vote.AddrSource
	chal    vote.Challenge
	now     func() time.Time
	rand    io.Reader
	log     *slog.Logger
	next    http.Handler
	limit   func(*http.Request) error
}

// NewHandler checks c and returns a Handler.
func NewHandler(c Config) (*Handler, error) {
	if c.Manifest == nil || c.Store == nil || len(c.Secret) < 32 {
		return nil, errors.New("submission: a handler needs a manifest, a store and a secret of at least 32 bytes")
	}
	h := &Handler{
		m: c.Manifest, sub: c.Manifest.Submissions, store: c.Store, secret: c.Secret,
		maxBody: c.DefaultMaxBody, origins: map[string]bool{}, cop: http.NewCrossOriginProtection(),
		addr: c.ClientAddr, chal: c.Challenge, now: c.Now, rand: c.Rand, log: c.Logger, next: c.Next, limit: c.RateLimit,
	}
	if h.sub == nil {
		h.sub = &vote.Submissions{}
	}
	if h.sub.MaxRequestBytes > 0 {
		h.maxBody = h.sub.MaxRequestBytes
	}
	if h.maxBody <= 0 {
		h.maxBody = vote.ServerMaxRequest
	}
	if h.addr == nil {
		h.addr = vote.RemoteAddr{}
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
	if h.next == nil {
		h.next = http.NotFoundHandler()
	}
	for _, o := range append([]string{c.Manifest.Site}, c.Origins...) {
		origin, err := vote.Origin(o)
		if err != nil {
			return nil, fmt.Errorf("submission: allowed origin: %w", err)
		}
		if err := h.cop.AddTrustedOrigin(origin); err != nil {
			return nil, fmt.Errorf("submission: allowed origin: %w", err)
		}
		h.origins[origin] = true
	}
	return h, nil
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case vote.SubmissionsPath:
	case vote.FormPath:
		w.Header().Set("Cache-Control", "no-store")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			h.failJSON(w, r, vote.Errorf(vote.Invalid, "method not allowed"))
			return
		}
		h.form(w, r)
		return
	default:
		h.next.ServeHTTP(w, r)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	origin := r.Header.Get("Origin")
	w.Header().Add("Vary", "Origin")
	if origin != "" && h.origins[strings.ToLower(origin)] {
		w.Header().Set("Access-Control-Allow-Origin", origin)
	}
	switch r.Method {
	case http.MethodOptions:
		if origin == "" || !h.origins[strings.ToLower(origin)] {
			h.failJSON(w, r, h.foreign())
			return
		}
		w.Header().Set("Access-Control-Allow-Methods", "POST")
		w.Header().Set("Access-Control-Allow-Headers", "Accept, "+vote.ProofHeader)
		w.Header().Set("Access-Control-Max-Age", "600")
		w.WriteHeader(http.StatusNoContent)
	case http.MethodPost:
		h.post(w, r)
	default:
		w.Header().Set("Allow", "POST")
		vote.WriteJSON(w, http.StatusMethodNotAllowed, vote.ErrorBody{Error: "method not allowed", Code: "method_not_allowed"})
	}
}

func (h *Handler) foreign() error {
	return vote.Errorf(vote.Forbidden, "submissions are only accepted from %s", h.m.Site)
}

// checkOrigin refuses a post from another site, as the vote handler does.
func (h *Handler) checkOrigin(r *http.Request) error {
	if err := h.cop.Check(r); err != nil {
		return h.foreign()
	}
	if o := r.Header.Get("Origin"); o != "" && !h.origins[strings.ToLower(o)] {
		return h.foreign()
	}
	return nil
}

// scripted reports whether the post comes from the form's script, which
// asks for JSON; a plain form post asks for HTML.
func scripted(r *http.Request) bool {
	for _, a := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, _, _ := strings.Cut(strings.TrimSpace(a), ";")
		if strings.EqualFold(strings.TrimSpace(mt), "application/json") {
			return true
		}
	}
	return false
}

// FieldError is one field's problem, as the 400 answer lists it.
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

type fieldErrorsBody struct {
	Errors []FieldError `json:"errors"`
}

type receiptBody struct {
	Receipt string `json:"receipt"`
}

func (h *Handler) post(w http.ResponseWriter, r *http.Request) {
	script := scripted(r)
	if err := h.checkOrigin(r); err != nil {
		h.failJSON(w, r, err)
		return
	}
	if !h.sub.Enabled {
		h.failJSON(w, r, vote.Errorf(vote.NotFound, "this site takes no submissions"))
		return
	}
	if h.limit != nil {
		if err := h.limit(r); err != nil {
			h.failJSON(w, r, err)
			return
		}
	}
	now := h.now()
	p, err := h.parse(w, r)
	if err != nil {
		code, msg := "invalid", err.Error()
		if vote.ErrorCode(err) == vote.TooLarge {
			code, msg = "request_too_large", ""
		}
		if script {
			h.failJSON(w, r, err)
			return
		}
		lang := h.defaultLang()
		if msg == "" {
			msg = h.message(lang, code)
		}
		h.backToForm(w, r, &post{lang: lang, values: map[string]string{}}, []FieldError{{Field: "form", Code: code, Message: msg}})
		return
	}
	// The window of the contest: a 403, not a field error, for a script.
	if c := h.sub.Contest(p.values["contest"]); c != nil && !c.Open(now) {
		if script {
			h.failJSON(w, r, vote.Errorf(vote.Forbidden, "%s", h.message(p.lang, "closed")))
		} else {
			h.backToForm(w, r, p, []FieldError{{Field: "contest", Code: "closed", Message: h.message(p.lang, "closed")}})
		}
		return
	}
	sub, errs := h.check(p, now)
	if len(errs) > 0 {
		if script {
			vote.WriteJSON(w, http.StatusBadRequest, fieldErrorsBody{Errors: errs})
		} else {
			h.backToForm(w, r, p, errs)
		}
		return
	}
	// Turnstile, like the proof of work, needs the page's script: a plain
	// form post cannot bring a token and has the stricter form_quota.
	if h.chal != nil && script {
		ok, err := h.chal.Verify(r.Context(), p.values["cf-turnstile-response"])
		if err == nil && !ok {
			err = vote.Errorf(vote.Forbidden, "%s", h.message(p.lang, "challenge"))
		}
		if err != nil {
			h.refuse(w, r, p, script, err)
			return
		}
	}
	addr, known := h.addr.ClientAddr(r)
	network := vote.NetworkKey(h.secret, addr, known, now)
	q := vote.Quota{Network: network, Form: !script, Limit: h.sub.FormQuota}
	if script {
		q.Limit = h.sub.NetworkQuota
		difficulty := h.sub.Challenge
		if c := h.sub.Contest(sub.Contest); c != nil {
			difficulty = c.Challenge
		}
		if difficulty > 0 {
			q.Proof, err = vote.VerifyProof(h.secret, r.Header.Get(vote.ProofHeader), vote.SubmissionScope(sub.Contest), difficulty, now)
			if err != nil {
				h.failJSON(w, r, err)
				return
			}
		}
	}
	if sub.Receipt, err = h.token(); err != nil {
		h.refuse(w, r, p, script, err)
		return
	}
	sub.At, sub.Network = now, network
	if err := h.store.Submit(r.Context(), sub, q); err != nil {
		if vote.ErrorCode(err) == vote.TooMany {
			w.Header().Set("Retry-After", strconv.Itoa(int(vote.NextUTCDay(now).Sub(now)/time.Second)+1))
			err = vote.Errorf(vote.TooMany, "%s", h.message(p.lang, "quota"))
		}
		h.refuse(w, r, p, script, err)
		return
	}
	if script {
		vote.WriteJSON(w, http.StatusCreated, receiptBody{Receipt: sub.Receipt})
		return
	}
	thanks := h.sub.ThanksURLs[sub.Lang]
	u, err := url.Parse(thanks)
	if err != nil || thanks == "" {
		u = &url.URL{Path: "/"}
	}
	qs := u.Query()
	qs.Set("receipt", sub.Receipt)
	u.RawQuery = qs.Encode()
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
}

// refuse answers an error after the fields passed: JSON for a script, the
// form again with the message for a plain post.
func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, p *post, script bool, err error) {
	if script {
		h.failJSON(w, r, err)
		return
	}
	code := "internal"
	switch vote.ErrorCode(err) {
	case vote.TooMany:
		code = "quota"
	case vote.Forbidden:
		code = "challenge"
	}
	if code == "internal" {
		h.log.ErrorContext(r.Context(), "submission: request failed", "err", err)
	}
	h.backToForm(w, r, p, []FieldError{{Field: "form", Code: code, Message: h.message(p.lang, code)}})
}

func (h *Handler) defaultLang() string {
	if len(h.sub.Languages) > 0 {
		return h.sub.Languages[0]
	}
	return "en"
}

// token returns 16 random bytes, base64url: a receipt or a form token.
func (h *Handler) token() (string, error) {
	b := make([]byte, 16)
	if _, err := io.ReadFull(h.rand, b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// failJSON answers err in the vote API's error shape.
func (h *Handler) failJSON(w http.ResponseWriter, r *http.Request, err error) {
	code := vote.ErrorCode(err)
	if code == vote.Internal {
		h.log.ErrorContext(r.Context(), "submission: request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	vote.WriteJSON(w, vote.Status(code), vote.ErrorBody{Error: vote.ErrorMessage(err), Code: code})
}
