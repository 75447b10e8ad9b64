package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/functions/vote/sqlite"
)

const votesManifest = `{"version": 1, "site": "https://stories.example.org", "contests": [{
	"slug": "autumn-light-2026", "title": "Autumn light 2026", "categories": ["landscape", "words"],
	"voting_opens": "2026-11-01T00:00:00+02:00", "voting_closes": "2026-12-01T00:00:00+02:00",
	"votes_per_voter": 3, "show_counts": true,
	"entries": [
		{"slug": "first-light-on-the-pier", "title": "First light on the pier", "category": "landscape"},
		{"slug": "october", "title": "October, \"again\"", "category": "words"},
		{"slug": "fog", "title": "Fog", "category": "landscape"}
	]}]}`

// syncBuffer is a bytes.Buffer safe for a server writing while a test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func votesSite(t *testing.T) (string, *app, *syncBuffer, *syncBuffer) {
	t.Helper()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "functions-dist"), 0o755)
	if err := os.WriteFile(filepath.Join(dir, "functions-dist", "manifest.json"), []byte(votesManifest), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	a := &app{
		stdout: stdout,
		stderr: stderr,
		getwd:  func() (string, error) { return dir, nil },
		getenv: func(string) string { return "" },
		now:    func() time.Time { return time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC) },
	}
	return dir, a, stdout, stderr
}

func TestVotesExport(t *testing.T) {
	dir, a, stdout, stderr := votesSite(t)
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(dir, "votes.db"))
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range []string{"october", "october", "fog"} {
		_, err := s.Cast(ctx, vote.Vote{Contest: "autumn-light-2026", Entry: e, Voter: vote.Voter(rune('a' + i)), PerVoter: 3})
		if err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	if code := runVotes(ctx, a, []string{"export", "--contest", "autumn-light-2026"}); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := `contest,entry,title,category,votes
autumn-light-2026,october,"October, ""again""",words,2
autumn-light-2026,fog,Fog,landscape,1
autumn-light-2026,first-light-on-the-pier,First light on the pier,landscape,0
`
	if stdout.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", stdout, want)
	}
	out := filepath.Join(dir, "results.csv")
	if code := runVotes(ctx, a, []string{"export", "--contest", "autumn-light-2026", "--output", out}); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if b, _ := os.ReadFile(out); string(b) != want {
		t.Fatalf("file: %s", b)
	}
}

// TestVotesExportAudit: --audit lists the bursts per network, entry and
// hour, most votes first, with the entry's total beside each.
func TestVotesExportAudit(t *testing.T) {
	dir, a, stdout, stderr := votesSite(t)
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(dir, "votes.db"))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 23, 14, 30, 0, 0, time.UTC)
	voters := 0
	castFrom := func(entry string, network []byte, n int) {
		for range n {
			voters++
			id := vote.Voter(fmt.Sprint("v", voters))
			if _, err := s.Cast(ctx, vote.Vote{Contest: "autumn-light-2026", Entry: entry, Voter: id, PerVoter: 3, At: at, Network: network}); err != nil {
				t.Fatal(err)
			}
		}
	}
	crowd := bytes.Repeat([]byte{0xab}, 16)
	castFrom("fog", crowd, 6)
	castFrom("fog", bytes.Repeat([]byte{0x01}, 16), 1)
	castFrom("october", crowd, 5)
	castFrom("october", bytes.Repeat([]byte{0x02}, 16), 2)
	s.Close()
	if code := runVotes(ctx, a, []string{"export", "--contest", "autumn-light-2026", "--audit"}); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := `contest,network,entry,hour,votes,entry_votes
autumn-light-2026,abababababababab,fog,2026-11-23T14:00:00Z,6,7
autumn-light-2026,abababababababab,october,2026-11-23T14:00:00Z,5,7
`
	if stdout.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", stdout, want)
	}
}

func TestVotesUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{nil, exitUsage, "Usage: postcard votes"},
		{[]string{"nope"}, exitUsage, `unknown command "nope"`},
		{[]string{"export"}, exitUsage, "--contest is required"},
		{[]string{"export", "--contest", "nope"}, exitContent, "no vote database"},
		{[]string{"serve", "--rate-limit", "-1"}, exitUsage, "--rate-limit"},
		{[]string{"serve", "--db", "mysql://x"}, exitContent, "want sqlite:PATH"},
		{[]string{"serve", "--trusted-proxy", "proxy.example"}, exitUsage, "--trusted-proxy"},
		{[]string{"serve", "extra"}, exitUsage, "unexpected argument"},
	} {
		_, a, _, stderr := votesSite(t)
		if code := runVotes(context.Background(), a, tt.args); code != tt.code || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("votes %v: exit %d, stderr %q; want %d and %q", tt.args, code, stderr, tt.code, tt.want)
		}
	}
	_, a, stdout, _ := votesSite(t)
	if code := runVotes(context.Background(), a, []string{"serve", "-h"}); code != exitOK || !strings.Contains(stdout.String(), "--rate-limit") {
		t.Errorf("serve -h: %d %s", code, stdout)
	}
}

func TestVotesServe(t *testing.T) {
	dir, a, _, stderr := votesSite(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- runVotes(ctx, a, []string{"serve", "--addr", "127.0.0.1:0", "--rate-limit", "0"}) }()
	re := regexp.MustCompile(`addr=(127\.0\.0\.1:\d+)`)
	var addr string
	for deadline := time.Now().Add(10 * time.Second); addr == "" && time.Now().Before(deadline); {
		if m := re.FindStringSubmatch(stderr.String()); m != nil {
			addr = m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	if addr == "" {
		cancel()
		t.Fatalf("the server did not start: %s", stderr)
	}
	resp, err := http.Post("http://"+addr+"/api/votes", "application/json", strings.NewReader(`{"contest": "autumn-light-2026", "entry": "fog"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("vote: %s", resp.Status)
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	fi, err := os.Stat(filepath.Join(dir, "votes.db.secret"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("secret beside the database: %v %v", fi, err)
	}
}
