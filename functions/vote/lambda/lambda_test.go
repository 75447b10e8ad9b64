package lambda

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/postcard-ssg/postcard/functions/vote"
)

const manifestJSON = `{"version": 1, "site": "https://stories.example.org", "contests": []}`

func TestSetupRefuses(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	secret := strings.Repeat("s", 32)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for name, tt := range map[string]struct {
		manifest string
		getenv   func(string) string
		want     string
	}{
		"no manifest": {"", env("POSTCARD_VOTE_SECRET", secret, "POSTCARD_VOTE_DB", "postgres://h/db"), "postcard build"},
		"no secret":   {manifestJSON, env("POSTCARD_VOTE_DB", "postgres://h/db"), "POSTCARD_VOTE_SECRET"},
		"short secret": {manifestJSON, env("POSTCARD_VOTE_SECRET", "short", "POSTCARD_VOTE_DB", "postgres://h/db"),
			"POSTCARD_VOTE_SECRET"},
		"sqlite":       {manifestJSON, env("POSTCARD_VOTE_SECRET", secret, "POSTCARD_VOTE_DB", "sqlite:/tmp/v.db"), "ephemeral"},
		"no db":        {manifestJSON, env("POSTCARD_VOTE_SECRET", secret), "postgres://"},
		"rate limit":   {manifestJSON, env("POSTCARD_VOTE_SECRET", secret, "POSTCARD_VOTE_DB", "postgres://h/db", "POSTCARD_VOTE_RATE_LIMIT", "lots"), "RATE_LIMIT"},
		"bad manifest": {`{"version": 1}`, env("POSTCARD_VOTE_SECRET", secret, "POSTCARD_VOTE_DB", "postgres://h/db"), "site"},
	} {
		_, err := setup(context.Background(), []byte(tt.manifest), tt.getenv, log)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want it to mention %q", name, err, tt.want)
		}
	}
}

// echo answers with what the vote handler would see.
type echo struct{}

func (echo) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	addr, ok := vote.ContextAddr{}.ClientAddr(r)
	body, _ := io.ReadAll(r.Body)
	http.SetCookie(w, &http.Cookie{Name: "a", Value: "1"})
	http.SetCookie(w, &http.Cookie{Name: "b", Value: "2"})
	w.WriteHeader(201)
	json.NewEncoder(w).Encode(map[string]any{
		"method": r.Method, "path": r.URL.Path, "contest": r.URL.Query().Get("contest"),
		"addr": addr.String(), "known": ok, "cookie": r.Header.Get("Cookie"), "body": string(body),
		"origin": r.Header.Get("Origin"),
	})
}

func invoke(t *testing.T, a *adapter, event string) map[string]any {
	t.Helper()
	out, err := a.invoke(context.Background(), json.RawMessage(event))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(out)
	var resp map[string]any
	json.Unmarshal(b, &resp)
	var got map[string]any
	json.Unmarshal([]byte(resp["body"].(string)), &got)
	got["_response"] = resp
	return got
}

func TestAdapterV1(t *testing.T) {
	a := &adapter{h: echo{}}
	got := invoke(t, a, `{
		"httpMethod": "POST", "path": "/.netlify/functions/vote",
		"headers": {"Origin": "https://stories.example.org", "X-Forwarded-For": "1.2.3.4", "Cookie": "postcard_voter=x"},
		"queryStringParameters": {"contest": "autumn"},
		"requestContext": {"identity": {"sourceIp": "203.0.113.9"}},
		"body": "eyJhIjoxfQ==", "isBase64Encoded": true}`)
	want := map[string]any{"method": "POST", "path": "/api/votes", "contest": "autumn", "addr": "203.0.113.9",
		"known": true, "cookie": "postcard_voter=x", "body": `{"a":1}`, "origin": "https://stories.example.org"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	resp := got["_response"].(map[string]any)
	if resp["statusCode"].(float64) != 201 || len(resp["multiValueHeaders"].(map[string]any)["Set-Cookie"].([]any)) != 2 {
		t.Errorf("response %v", resp)
	}
}

func TestAdapterV2(t *testing.T) {
	a := &adapter{h: echo{}}
	got := invoke(t, a, `{
		"version": "2.0", "rawPath": "/api/votes", "rawQueryString": "contest=autumn",
		"cookies": ["postcard_voter=x", "other=y"],
		"headers": {"x-forwarded-for": "1.2.3.4"},
		"requestContext": {"http": {"method": "GET", "sourceIp": "2001:db8::1"}},
		"body": "", "isBase64Encoded": false}`)
	if got["addr"] != "2001:db8::1" || got["cookie"] != "postcard_voter=x; other=y" || got["contest"] != "autumn" || got["method"] != "GET" {
		t.Errorf("got %v", got)
	}
	resp := got["_response"].(map[string]any)
	if len(resp["cookies"].([]any)) != 2 {
		t.Errorf("cookies not in the v2 cookies field: %v", resp)
	}
}

func TestAdapterClientAddr(t *testing.T) {
	ev := `{"httpMethod": "GET", "path": "/api/votes", "headers": {"x-nf-client-connection-ip": "198.51.100.7", "X-Forwarded-For": "1.2.3.4"}, "requestContext": {}}`
	// Without a source address and no trusted header: unknown, never X-Forwarded-For.
	if got := invoke(t, &adapter{h: echo{}}, ev); got["known"] != false {
		t.Errorf("got %v", got)
	}
	got := invoke(t, &adapter{h: echo{}, ipHeader: "x-nf-client-connection-ip"}, ev)
	if got["addr"] != "198.51.100.7" {
		t.Errorf("got %v", got)
	}
}

var _ = events.APIGatewayProxyRequest{}
