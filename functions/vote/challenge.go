package vote

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ChallengeHeader carries the CAPTCHA token of a vote when a Challenge is
// configured. It is a header so that the JSON body stays exactly
// {"contest", "entry"}.
const ChallengeHeader = "CF-Turnstile-Response"

// A Challenge verifies a CAPTCHA token sent with a vote. It is an interface
// so that tests never reach the network.
type Challenge interface {
	// Verify reports whether token is a valid, unused solution. An error
	// means the verifier could not answer, not that the token is bad.
	Verify(ctx context.Context, token string) (bool, error)
}

// TurnstileURL is Cloudflare Turnstile's siteverify endpoint.
const TurnstileURL = "https://challenges.cloudflare.com/turnstile/v0/siteverify"

// Turnstile verifies Cloudflare Turnstile tokens with the site's secret key.
type Turnstile struct {
	Secret string
	Client *http.Client // nil: a client with a 5-second timeout
	URL    string       // empty: TurnstileURL
}

func (t Turnstile) Verify(ctx context.Context, token string) (bool, error) {
	if token == "" || len(token) > 2048 {
		return false, nil
	}
	client, endpoint := t.Client, t.URL
	if client == nil {
		client = &http.Client{Timeout: 5 * time.Second}
	}
	if endpoint == "" {
		endpoint = TurnstileURL
	}
	// The client address is deliberately not sent (remoteip is optional):
	// the function does not hand raw addresses to anyone.
	form := url.Values{"secret": {t.Secret}, "response": {token}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return false, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	if err != nil {
		return false, fmt.Errorf("turnstile: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false, fmt.Errorf("turnstile: siteverify answered %s", resp.Status)
	}
	var out struct {
		Success bool `json:"success"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&out); err != nil {
		return false, fmt.Errorf("turnstile: %w", err)
	}
	return out.Success, nil
}
