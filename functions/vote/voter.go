package vote

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"
)

// The voter cookie is "<id>.<mac>": id is 16 bytes, the first 6 the
// creation time in milliseconds and the other 10 random, and mac the
// HMAC-SHA256 of the id under a key derived from the function's secret.
// Both are written in an order-preserving base64 alphabet, so new voters'
// ids sort after older ones and a store's indexes grow at their end: a group
// commit then touches a few pages instead of one per vote. Only the function can mint a valid cookie, so a
// voter cannot pick another voter's id; a voter can still drop the cookie and
// get a new one, which is what the per-client rate limit is for.
//
// A cookie whose MAC does not verify is refused with 403 and cleared, so a
// browser's next attempt gets a fresh voter. Refusing rather than silently
// replacing it makes tampering (and a rotated secret) visible instead of
// quietly minting identities for whoever edits cookies. So is a cookie
// whose id says it was issued in the future (beyond a few minutes of clock
// skew between instances) or longer ago than cookieMaxAge: the function
// never issues the first, and a browser no longer keeps the second.
const (
	voterCookie  = "postcard_voter"
	voterIDBytes = 16
	cookieMaxAge = 400 * 24 * time.Hour // the longest browsers keep
	clockSkew    = 5 * time.Minute
)

// idEncoding is base64 with its alphabet in ASCII order (URL- and
// cookie-safe), so that encoded ids sort as their bytes do.
var idEncoding = base64.NewEncoding("-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz").WithPadding(base64.NoPadding)

var (
	errBadCookie     = Errorf(Forbidden, "your voter cookie is not valid; reload the page and vote again")
	errExpiredCookie = Errorf(Forbidden, "your voter cookie has expired or is not valid yet; reload the page and vote again")
)

type voterSigner struct {
	key []byte
}

func newVoterSigner(secret []byte) voterSigner {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("postcard voter cookie v1"))
	return voterSigner{key: m.Sum(nil)}
}

func (s voterSigner) mac(id string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(id))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// sign returns the cookie value for a voter id.
func (s voterSigner) sign(id Voter) string { return string(id) + "." + s.mac(string(id)) }

// verify returns the voter id of a cookie value presented at now, or
// errBadCookie, or errExpiredCookie when the id's issue time is more than
// clockSkew after now or more than cookieMaxAge before it.
func (s voterSigner) verify(value string, now time.Time) (Voter, error) {
	id, mac, ok := strings.Cut(value, ".")
	if !ok || len(id) != idEncoding.EncodedLen(voterIDBytes) {
		return "", errBadCookie
	}
	if !hmac.Equal([]byte(mac), []byte(s.mac(id))) {
		return "", errBadCookie
	}
	b, err := idEncoding.DecodeString(id)
	if err != nil {
		return "", errBadCookie
	}
	var ms int64
	for _, c := range b[:6] {
		ms = ms<<8 | int64(c)
	}
	issued := time.UnixMilli(ms)
	if issued.After(now.Add(clockSkew)) || now.Sub(issued) > cookieMaxAge {
		return "", errExpiredCookie
	}
	return Voter(id), nil
}

// mintVoter returns a fresh voter id for a voter arriving at now.
func mintVoter(rand io.Reader, now time.Time) (Voter, error) {
	var b [voterIDBytes]byte
	ms := uint64(now.UnixMilli())
	for i := 5; i >= 0; i-- {
		b[i] = byte(ms)
		ms >>= 8
	}
	if _, err := io.ReadFull(rand, b[6:]); err != nil {
		return "", errors.Join(Errorf(Internal, "cannot create a voter id"), err)
	}
	return Voter(idEncoding.EncodeToString(b[:])), nil
}

// voterCookie returns the cookie to set; maxAge < 0 deletes it.
func (h *Handler) voterCookie(value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name:     voterCookie,
		Value:    value,
		Path:     "/api/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   h.secureCookie,
		SameSite: http.SameSiteLaxMode,
	}
}
