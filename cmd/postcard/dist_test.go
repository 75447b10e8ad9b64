package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/functions/vote/storepath"
)

// distSite is a site with one contest and one entry.
var distSite = map[string]string{
	"site.toml":                   "title = \"Test\"\nbase_url = \"https://t.example/\"\n",
	"content/ambassadors/anna.md": "+++\nname = \"Anna\"\n+++\n",
	"content/contests/words.md": `+++
title = "Words"
categories = ["words"]
opens = 2026-09-01
closes = 2026-10-31
voting_opens = 2026-11-01
voting_closes = 2027-12-31
+++
`,
	"content/stories/the-letter/index.md": `+++
title = "The letter"
ambassador = "anna"
date = 2026-10-01
kind = "story"
status = "approved"
contest = "words"
category = "words"
[rights]
license = "CC-BY-4.0"
consent = 2026-10-02
credit = "Text: Anna"
+++
Dear lake.
`,
}

// TestDestinationElsewhereKeepsTheManifestInTheSite: the voting function's
// folder belongs to the site, not to the destination, so that after
// `build --destination` anywhere, `votes export` and `votes serve` (which
// know only --source) find the manifest.
func TestDestinationElsewhereKeepsTheManifestInTheSite(t *testing.T) {
	root := t.TempDir()
	site := filepath.Join(root, "site")
	for name, data := range distSite {
		p := filepath.Join(site, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	elsewhere := filepath.Join(root, "deploy", "www")
	state := t.TempDir()
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	a := &app{
		stdout: stdout,
		stderr: stderr,
		getwd:  func() (string, error) { return root, nil },
		getenv: func(k string) string {
			if k == storepath.StateEnv {
				return state
			}
			return ""
		},
		now: fixedNow,
	}
	ctx := context.Background()
	if code := a.main(ctx, []string{"build", "--source", site, "--destination", elsewhere, "--no-function"}); code != exitOK {
		t.Fatalf("build: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(elsewhere, "stories", "the-letter", "index.html")); err != nil {
		t.Fatalf("the site is not in the destination: %v", err)
	}
	if _, err := os.Stat(vote.ManifestPath(site)); err != nil {
		t.Fatalf("the manifest is not in the site's %s/: %v", vote.DistDir, err)
	}
	if _, err := os.Stat(filepath.Join(root, "deploy", vote.DistDir)); err == nil {
		t.Fatalf("%s/ was written beside the destination", vote.DistDir)
	}

	// votes export reads the titles from the manifest.
	db := filepath.Join(t.TempDir(), "votes.db")
	if err := os.WriteFile(db, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if code := a.main(ctx, []string{"votes", "export", "--contest", "words", "--source", "site", "--db", "sqlite:" + db}); code != exitOK {
		t.Fatalf("votes export: exit %d\n%s", code, stderr)
	}
	if want := "words,the-letter,The letter,words,0\n"; !strings.Contains(stdout.String(), want) {
		t.Fatalf("votes export printed\n%s\nwant a line %q", stdout, want)
	}

	// votes serve knows the contest and its entry.
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan int, 1)
	go func() {
		done <- a.main(sctx, []string{"votes", "serve", "--source", "site", "--addr", "127.0.0.1:0", "--db", "sqlite:" + db})
	}()
	re := regexp.MustCompile(`addr=(127\.0\.0\.1:\d+)`)
	var addr string
	for deadline := time.Now().Add(10 * time.Second); addr == "" && time.Now().Before(deadline); {
		if m := re.FindStringSubmatch(stderr.String()); m != nil {
			addr = m[1]
			break
		}
		select {
		case code := <-done:
			t.Fatalf("votes serve: exit %d\n%s", code, stderr)
		case <-time.After(10 * time.Millisecond):
		}
	}
	if addr == "" {
		t.Fatalf("votes serve did not start:\n%s", stderr)
	}
	resp, err := http.Get("http://" + addr + "/api/votes?contest=words")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"contest":"words"`) {
		t.Fatalf("GET /api/votes?contest=words: %s %s", resp.Status, body)
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Fatalf("votes serve: exit %d\n%s", code, stderr)
	}
}

// TestDestinationInsideTheFunctionFolder: the function's folder is not a
// place for the site.
func TestDestinationInsideTheFunctionFolder(t *testing.T) {
	site := t.TempDir()
	for name, data := range distSite {
		p := filepath.Join(site, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(data), 0o644)
	}
	var out syncBuffer
	a := &app{stdout: &out, stderr: &out, getwd: os.Getwd, getenv: func(string) string { return "" }, now: fixedNow}
	code := a.main(context.Background(), []string{"build", "--source", site, "--destination", filepath.Join(vote.DistDir, "www"), "--no-function"})
	if code != exitContent || !strings.Contains(out.String(), "inside the site's functions-dist/ folder") {
		t.Fatalf("exit %d:\n%s", code, &out)
	}
}
