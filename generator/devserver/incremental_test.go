package devserver

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/postcard-ssg/postcard/generator/build"
)

func storyBy(title, ambassador, body string) string {
	return fmt.Sprintf(`+++
title = %q
ambassador = %q
date = 2026-10-01
kind = "story"
status = "approved"
[rights]
license = "CC-BY-4.0"
consent = 2026-10-02
credit = "Text: %s"
+++
%s
`, title, ambassador, ambassador, body)
}

// TestServeRerendersOnlyWhatAnEditShows edits one story under serve: its
// page follows, and the page of a story by someone else is not rendered
// again. A broken edit, then an edit to the other story, then the fix:
// both edits reach the pages, though the rebuild in between failed. A
// change to site.toml renders every page.
func TestServeRerendersOnlyWhatAnEditShows(t *testing.T) {
	site := t.TempDir()
	writeFile(t, site, "site.toml", "title = \"Preview\"\nbase_url = \"https://preview.example/\"\n")
	writeFile(t, site, "content/ambassadors/anna.md", "+++\nname = \"Anna\"\n+++\n")
	writeFile(t, site, "content/ambassadors/risto.md", "+++\nname = \"Risto\"\n+++\n")
	writeFile(t, site, "content/stories/letter/index.md", storyBy("The letter", "anna", "Dear lake."))
	writeFile(t, site, "content/stories/pier/index.md", storyBy("The pier", "risto", "Wood and fog."))

	var mu sync.Mutex
	var last *build.Result
	built := func(res *build.Result, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err == nil {
			last = res
		}
	}
	rendered := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return last.Rendered
	}
	base, builds := startServer(t, Options{Source: site, Built: built}, t.TempDir())
	get := func(path string) string {
		t.Helper()
		resp, err := http.Get(base + strings.TrimPrefix(path, "/"))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	all := len(rendered())

	writeFile(t, site, "content/stories/letter/index.md", storyBy("The letter", "anna", "Dear *frozen* lake."))
	if err := waitBuild(t, builds); err != nil {
		t.Fatalf("rebuild: %v", err)
	}
	if got := rendered(); !slices.Contains(got, "/stories/letter/") || slices.Contains(got, "/stories/pier/") || len(got) >= all {
		t.Errorf("an edit to one story rendered %v (of %d pages)", got, all)
	}
	if body := get("/stories/letter/"); !strings.Contains(body, "<em>frozen</em>") {
		t.Errorf("the page did not follow the edit:\n%s", body)
	}
	if body := get("/stories/pier/"); !strings.Contains(body, "<h1>The pier</h1>") {
		t.Errorf("the page not rendered again is gone:\n%s", body)
	}

	writeFile(t, site, "content/stories/letter/index.md", storyBy("The letter", "ghost", "Dear lake."))
	if err := waitBuild(t, builds); err == nil {
		t.Fatal("a broken story built")
	}
	writeFile(t, site, "content/stories/pier/index.md", storyBy("The long pier", "risto", "Wood and fog."))
	if err := waitBuild(t, builds); err == nil {
		t.Fatal("a site with a broken story built")
	}
	writeFile(t, site, "content/stories/letter/index.md", storyBy("The last letter", "anna", "Dear lake."))
	if err := waitBuild(t, builds); err != nil {
		t.Fatalf("rebuild: %v", err)
	}
	for page, want := range map[string]string{"/stories/letter/": "<h1>The last letter</h1>", "/stories/pier/": "<h1>The long pier</h1>"} {
		if body := get(page); !strings.Contains(body, want) {
			t.Errorf("%s does not show %s:\n%s", page, want, body)
		}
	}

	writeFile(t, site, "site.toml", "title = \"Preview two\"\nbase_url = \"https://preview.example/\"\n")
	if err := waitBuild(t, builds); err != nil {
		t.Fatalf("rebuild: %v", err)
	}
	if got := rendered(); len(got) != all {
		t.Errorf("a change to site.toml rendered %d pages, want all %d", len(got), all)
	}
}
