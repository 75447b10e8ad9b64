package lambda

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// TestLambdaOnPostgres runs the entry point as Lambda would (NewInstance,
// the set-up Main does), on the test PostgreSQL server: a vote through a payload 2.0 event, then the same vote
// again with the cookie it got.
func TestLambdaOnPostgres(t *testing.T) {
	dsn := os.Getenv("POSTCARD_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("POSTCARD_TEST_POSTGRES is not set (the postgres store's own tests fail in CI without it)")
	}
	manifest := `{"version": 1, "site": "https://stories.example.org", "contests": [{
		"slug": "lambda-test", "title": "T", "categories": [],
		"voting_opens": "2000-01-01T00:00:00Z", "voting_closes": "2100-01-01T00:00:00Z",
		"votes_per_voter": 2, "show_counts": true,
		"entries": [{"slug": "a", "title": "A", "category": ""}]}]}`
	getenv := func(k string) string {
		return map[string]string{
			"POSTCARD_VOTE_SECRET": strings.Repeat("k", 40),
			"POSTCARD_VOTE_DB":     dsn,
		}[k]
	}
	a, err := NewInstance(context.Background(), []byte(manifest), getenv, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	send := func(cookies []string) events.APIGatewayV2HTTPResponse {
		ev := events.APIGatewayV2HTTPRequest{
			Version: "2.0", RawPath: "/api/votes", Cookies: cookies,
			Headers: map[string]string{"content-type": "application/json", "origin": "https://stories.example.org"},
			Body:    `{"contest": "lambda-test", "entry": "a"}`,
		}
		ev.RequestContext.HTTP.Method = "POST"
		ev.RequestContext.HTTP.SourceIP = "203.0.113.5"
		raw, _ := json.Marshal(ev)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		out, err := a.Invoke(ctx, raw)
		if err != nil {
			t.Fatal(err)
		}
		return out.(events.APIGatewayV2HTTPResponse)
	}
	first := send(nil)
	if first.StatusCode != 201 || len(first.Cookies) != 1 {
		t.Fatalf("first vote: %d %s %v", first.StatusCode, first.Body, first.Cookies)
	}
	cookie, _, _ := strings.Cut(first.Cookies[0], ";")
	if again := send([]string{cookie}); again.StatusCode != 409 {
		t.Fatalf("same vote again: %d %s", again.StatusCode, again.Body)
	}
}
