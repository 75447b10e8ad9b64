package devserver

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote/storepath"
	"github.com/postcard-ssg/postcard/generator/build"
)

const story = `+++
title = "%s"
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
`

func writeFile(t *testing.T, dir, name, data string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestServeRebuildsAndVotes starts the preview server on a site, reads a
// page, votes through the in-process function, then edits the story and
// breaks it, checking the page follows and the error overlay shows.
func TestServeRebuildsAndVotes(t *testing.T) {
	site := t.TempDir()
	writeFile(t, site, "site.toml", "title = \"Preview\"\nbase_url = \"https://preview.example/\"\n")
	writeFile(t, site, "content/ambassadors/anna.md", "+++\nname = \"Anna\"\n+++\n")
	writeFile(t, site, "content/contests/words.md", "+++\ntitle = \"Words\"\ncategories = [\"words\"]\nopens = 2026-09-01\ncloses = 2026-10-31\nvoting_opens = 2026-11-01\nvoting_closes = 2027-12-31\nchallenge = 0 # the proof of work has tests of its own\n+++\n")
	writeFile(t, site, "content/stories/letter/index.md", strings.Replace(story, "%s", "The letter", 1))

	// The preview's votes go to its own store in the state directory.
	state := t.TempDir()
	base, builds := startServer(t, Options{Source: site}, state)

	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(base + strings.TrimPrefix(path, "/"))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := get("/stories/letter/")
	if code != 200 || !strings.Contains(body, "<h1>The letter</h1>") || !strings.Contains(body, "/_postcard/events") {
		t.Fatalf("story page: %d\n%s", code, body)
	}
	// Links point at the preview, not the production site.
	if !strings.Contains(body, `<link rel="canonical" href="`+base+`stories/letter/">`) {
		t.Error("canonical link does not point at the preview")
	}
	if code, _ := get("/no/such/page/"); code != 404 {
		t.Errorf("missing page: %d", code)
	}
	if code, _ := get("/stories/letter"); code != 200 {
		t.Errorf("a folder without its slash is not redirected: %d", code)
	}

	req, _ := http.NewRequest("POST", base+"api/votes", strings.NewReader(`{"contest":"words","entry":"letter"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", strings.TrimSuffix(base, "/"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	vb, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 201 || !strings.Contains(string(vb), `"votes":1`) {
		t.Errorf("vote: %d %s", resp.StatusCode, vb)
	}
	preview := filepath.Join(state, "postcard", storepath.SiteID(site), "preview.db")
	for _, f := range []string{preview, preview + ".secret"} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("the preview store is not in the state directory: %v", err)
		}
	}
	if m, _ := filepath.Glob(filepath.Join(site, ".postcard-cache", "*.db*")); len(m) != 0 {
		t.Errorf("a vote store in the site's folder: %v", m)
	}

	writeFile(t, site, "content/stories/letter/index.md", strings.Replace(story, "%s", "The second letter", 1))
	if err := waitBuild(t, builds); err != nil {
		t.Fatalf("rebuild: %v", err)
	}
	if _, body := get("/stories/letter/"); !strings.Contains(body, "<h1>The second letter</h1>") {
		t.Error("the page did not follow the edit")
	}

	writeFile(t, site, "content/stories/letter/index.md", strings.Replace(strings.Replace(story, "%s", "Broken", 1), `"anna"`, `"ghost"`, 1))
	if err := waitBuild(t, builds); err == nil {
		t.Fatal("a broken story built")
	}
	_, body = get("/stories/letter/")
	if !strings.Contains(body, "<h1>The second letter</h1>") || !strings.Contains(body, `id="postcard-errors"`) ||
		!strings.Contains(body, "content/stories/letter/index.md:3:1: unknown ambassador &#34;ghost&#34;") {
		t.Errorf("the last good page with the error overlay was not served:\n%s", body)
	}
}

// startServer runs the preview server with o, on a free loopback port,
// with its clock at the tests' now and its vote store under state; it
// waits for the first build, and stops the server when the test ends.
func startServer(t *testing.T, o Options, state string) (base string, builds chan error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	urls := make(chan string, 1)
	builds = make(chan error, 10)
	done := make(chan error, 1)
	o.Addr = "127.0.0.1:0"
	o.Now = func() time.Time { return time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC) }
	o.Getenv = func(k string) string {
		if k == storepath.StateEnv {
			return state
		}
		return ""
	}
	o.Ready = func(u string) { urls <- u }
	also := o.Built
	o.Built = func(res *build.Result, err error) {
		if also != nil {
			also(res, err)
		}
		builds <- err
	}
	go func() { done <- Run(ctx, o) }()
	if err := <-builds; err != nil {
		cancel()
		<-done
		t.Fatalf("first build: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return <-urls, builds
}

func waitBuild(t *testing.T, builds chan error) error {
	t.Helper()
	select {
	case err := <-builds:
		return err
	case <-time.After(20 * time.Second):
		t.Fatal("no rebuild after a save")
		return nil
	}
}

// TestServeShowsBakedResults previews a closed contest with a results CSV:
// the page shows the final counts, as `build --results` would publish them.
func TestServeShowsBakedResults(t *testing.T) {
	site := t.TempDir()
	writeFile(t, site, "site.toml", "title = \"Preview\"\nbase_url = \"https://preview.example/\"\n")
	writeFile(t, site, "content/ambassadors/anna.md", "+++\nname = \"Anna\"\n+++\n")
	writeFile(t, site, "content/contests/words.md", "+++\ntitle = \"Words\"\ncategories = [\"words\"]\nopens = 2026-09-01\ncloses = 2026-10-31\nvoting_opens = 2026-11-01\nvoting_closes = 2026-11-20\n+++\n")
	writeFile(t, site, "content/stories/letter/index.md", strings.Replace(story, "%s", "The letter", 1))
	writeFile(t, site, "results.csv", "contest,entry,votes\nwords,letter,17\n")

	base, builds := startServer(t, Options{Source: site, Results: filepath.Join(site, "results.csv")}, t.TempDir())
	page := func() string {
		t.Helper()
		resp, err := http.Get(base + "contests/words/")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	body := page()
	for _, want := range []string{`<h2 id="results">Final results</h2>`, `<td><a href="/stories/letter/">The letter</a></td><td>words</td><td>17</td>`} {
		if !strings.Contains(body, want) {
			t.Errorf("the preview does not show the baked results: no %s in\n%s", want, body)
		}
	}

	// A new export of the counts is shown on save, like a content edit.
	writeFile(t, site, "results.csv", "contest,entry,votes\nwords,letter,18\n")
	if err := waitBuild(t, builds); err != nil {
		t.Fatalf("rebuild: %v", err)
	}
	if body := page(); !strings.Contains(body, `<td>words</td><td>18</td>`) {
		t.Errorf("the preview did not follow the new results:\n%s", body)
	}
}
