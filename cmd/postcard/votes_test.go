package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/functions/vote/sqlite"
	"github.com/postcard-ssg/postcard/functions/vote/storepath"
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

// votesSite is a built site with a state directory of its own, so that no
// test touches the real home.
func votesSite(t *testing.T) (string, *app, *syncBuffer, *syncBuffer) {
	t.Helper()
	dir, state := t.TempDir(), t.TempDir()
	os.MkdirAll(filepath.Join(dir, "functions-dist"), 0o755)
	if err := os.WriteFile(filepath.Join(dir, "functions-dist", "manifest.json"), []byte(votesManifest), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	a := &app{
		stdout: stdout,
		stderr: stderr,
		getwd:  func() (string, error) { return dir, nil },
		getenv: func(k string) string {
			if k == storepath.StateEnv {
				return state
			}
			return ""
		},
		now: func() time.Time { return time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC) },
	}
	return dir, a, stdout, stderr
}

// defaultStore is where the site's votes are kept when no --db is given.
func defaultStore(t *testing.T, a *app, dir string) string {
	t.Helper()
	state, err := storepath.StateDir(a.getenv, "")
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(state, "postcard", storepath.SiteID(dir), "votes.db")
}

func TestVotesExport(t *testing.T) {
	dir, a, stdout, stderr := votesSite(t)
	ctx := context.Background()
	db := defaultStore(t, a, dir)
	os.MkdirAll(filepath.Dir(db), 0o700)
	s, err := sqlite.Open(ctx, db)
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
	if code := runVotes(ctx, a, []string{"export", "--contest", "autumn-light-2026", "--audit", "--db", "sqlite:votes.db"}); code != exitOK {
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
		{[]string{"serve", "--db", "sqlite:missing/votes.db"}, exitContent, "does not exist"},
		{[]string{"export", "--contest", "nope", "--db", "sqlite:votes.db"}, exitContent, "inside the site's folder"},
		{[]string{"serve", "--trusted-proxy", "proxy.example"}, exitUsage, "--trusted-proxy"},
		{[]string{"serve", "extra"}, exitUsage, "unexpected argument"},
	} {
		dir, a, _, stderr := votesSite(t)
		if code := runVotes(context.Background(), a, tt.args); code != tt.code || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("votes %v: exit %d, stderr %q; want %d and %q", tt.args, code, stderr, tt.code, tt.want)
		}
		if _, err := os.Stat(filepath.Join(dir, "missing")); err == nil {
			t.Errorf("votes %v: created a missing folder", tt.args)
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
	secret := defaultStore(t, a, dir) + ".secret"
	fi, err := os.Stat(secret)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("secret beside the database in the state directory: %v %v", fi, err)
	}
	if fi, err := os.Stat(filepath.Dir(secret)); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("the site's state folder: %v %v; want mode 0700", fi, err)
	}
	for _, f := range []string{"votes.db", "votes.db.secret"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("%s in the site's folder", f)
		}
	}
	first, _ := os.ReadFile(secret)

	// A second run keeps the same secret, so voters keep their cookies.
	ctx, cancel = context.WithCancel(context.Background())
	go func() { done <- runVotes(ctx, a, []string{"serve", "--addr", "127.0.0.1:0"}) }()
	for deadline := time.Now().Add(10 * time.Second); strings.Count(stderr.String(), "listening") < 2 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Fatalf("second run: exit %d: %s", code, stderr)
	}
	if again, _ := os.ReadFile(secret); string(again) != string(first) || len(first) < 32 {
		t.Errorf("the secret changed between runs: %q, %q", first, again)
	}
}

// TestVotesOldPlace puts a database with votes at the old default place,
// beside site.toml: every command refuses, creates nothing, and prints one
// command that, once run, lets export find the same votes.
func TestVotesOldPlace(t *testing.T) {
	dir, a, stdout, stderr := votesSite(t)
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(dir, "votes.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Cast(ctx, vote.Vote{Contest: "autumn-light-2026", Entry: "fog", Voter: "a", PerVoter: 3}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	os.WriteFile(filepath.Join(dir, "votes.db.secret"), []byte(strings.Repeat("s", 64)+"\n"), 0o600)
	state := filepath.Dir(filepath.Dir(filepath.Dir(defaultStore(t, a, dir))))

	var command string
	for _, args := range [][]string{
		{"serve", "--addr", "127.0.0.1:0"},
		{"export", "--contest", "autumn-light-2026"},
	} {
		stderr.mu.Lock()
		stderr.b.Reset()
		stderr.mu.Unlock()
		if code := runVotes(ctx, a, args); code != exitContent {
			t.Fatalf("%v: exit %d, want %d: %s", args, code, exitContent, stderr)
		}
		out := stderr.String()
		if !strings.Contains(out, "old place "+filepath.Join(dir, "votes.db")) {
			t.Errorf("%v: the refusal does not name the old database:\n%s", args, out)
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "    mkdir ") {
				command = strings.TrimSpace(line)
			}
		}
		if command == "" || !strings.Contains(command, "mv "+filepath.Join(dir, "votes.db.secret")) {
			t.Fatalf("%v: no move command for the database and its secret:\n%s", args, out)
		}
		if entries, _ := os.ReadDir(state); len(entries) != 0 {
			t.Fatalf("%v: created %v in the state directory", args, entries)
		}
	}
	if out, err := exec.Command("sh", "-c", command).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", command, err, out)
	}
	if code := runVotes(ctx, a, []string{"export", "--contest", "autumn-light-2026"}); code != exitOK {
		t.Fatalf("export after the move: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout.String(), "autumn-light-2026,fog,Fog,landscape,1") {
		t.Errorf("the moved votes are not found:\n%s", stdout)
	}
	if secret, _ := os.ReadFile(defaultStore(t, a, dir) + ".secret"); !strings.HasPrefix(string(secret), "sss") {
		t.Errorf("the secret did not move with the database: %q", secret)
	}
}

// castIn puts votes for entries into a new SQLite store at db.
func castIn(t *testing.T, db string, entries ...string) {
	t.Helper()
	ctx := context.Background()
	os.MkdirAll(filepath.Dir(db), 0o700)
	s, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i, e := range entries {
		if _, err := s.Cast(ctx, vote.Vote{Contest: "autumn-light-2026", Entry: e, Voter: vote.Voter(rune('a' + i)), PerVoter: 3}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestVotesExportFindsThePreview: an editor who has only clicked through
// `postcard serve` exports its preview votes, told so on stderr; once real
// votes exist they win; --preview asks for the preview's outright.
func TestVotesExportFindsThePreview(t *testing.T) {
	dir, a, stdout, stderr := votesSite(t)
	ctx := context.Background()
	votes := defaultStore(t, a, dir)
	preview := filepath.Join(filepath.Dir(votes), "preview.db")
	castIn(t, preview, "fog", "fog")
	reset := func() {
		for _, b := range []*syncBuffer{stdout, stderr} {
			b.mu.Lock()
			b.b.Reset()
			b.mu.Unlock()
		}
	}

	if code := runVotes(ctx, a, []string{"export", "--contest", "autumn-light-2026"}); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout.String(), "autumn-light-2026,fog,Fog,landscape,2") {
		t.Errorf("the preview votes are not exported:\n%s", stdout)
	}
	if !strings.Contains(stderr.String(), "preview votes of `postcard serve`") || !strings.Contains(stderr.String(), preview) {
		t.Errorf("no note that these are preview votes: %q", stderr)
	}

	reset()
	castIn(t, votes, "october")
	if code := runVotes(ctx, a, []string{"export", "--contest", "autumn-light-2026"}); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout.String(), "autumn-light-2026,october,\"October, \"\"again\"\"\",words,1") || strings.Contains(stdout.String(), "fog,Fog,landscape,2") {
		t.Errorf("the real votes are not the ones exported:\n%s", stdout)
	}
	if stderr.String() != "" {
		t.Errorf("a note with real votes: %q", stderr)
	}

	reset()
	if code := runVotes(ctx, a, []string{"export", "--contest", "autumn-light-2026", "--preview"}); code != exitOK {
		t.Fatalf("--preview: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout.String(), "autumn-light-2026,fog,Fog,landscape,2") {
		t.Errorf("--preview does not export the preview votes:\n%s", stdout)
	}

	reset()
	if code := runVotes(ctx, a, []string{"export", "--contest", "autumn-light-2026", "--preview", "--db", "sqlite:" + votes}); code != exitUsage {
		t.Errorf("--preview with --db: exit %d, want %d", code, exitUsage)
	}
}

// TestVotesExportOutputUnderSource: --output is relative to --source, not
// the working directory, like every path flag.
func TestVotesExportOutputUnderSource(t *testing.T) {
	dir, a, _, stderr := votesSite(t)
	elsewhere := t.TempDir()
	a.getwd = func() (string, error) { return elsewhere, nil }
	castIn(t, defaultStore(t, a, dir), "fog")
	if code := runVotes(context.Background(), a, []string{"export", "--contest", "autumn-light-2026", "--source", dir, "--output", "results.csv"}); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "results.csv")); err != nil || !strings.Contains(string(b), "fog,Fog,landscape,1") {
		t.Errorf("results.csv in --source: %q %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(elsewhere, "results.csv")); err == nil {
		t.Error("results.csv written to the working directory")
	}
}
