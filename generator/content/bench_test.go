package content_test

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/postcard-ssg/postcard/generator/content"
	"github.com/postcard-ssg/postcard/generator/markdown"
)

// benchStory is a story as contributors write them: TOML front matter with
// rights, a contest entry, tags and a place, and a Markdown body of a few
// paragraphs with emphasis, a link, a list, a quote and a footnote.
func benchStory(i int) string {
	return fmt.Sprintf(`+++
title = "Morning on the lake, part %[1]d"
ambassador = "anna"
date = 2026-09-%02[2]d
kind = "%[3]s"
place = "Old Harbour %[4]d"
tags = ["lake", "morning", "tag-%[5]d"]
status = "approved"
contest = "autumn"
category = "words"
[rights]
license = "CC-BY-4.0"
consent = 2026-09-%02[2]d
credit = "Text: Anna"
+++
The fog lifts off the water a little after six, and the pier **appears**
plank by plank, as if someone were drawing it. The first swimmers are
already there: they come every day, *whatever the weather*.

## What the lake remembers

- the old boathouse, before the fire
- the ferry that ran until 1962[^ferry]
- a summer when the water was warm in May

> We never locked the doors then. The lake was the only road.

Read the [harbour's history](https://example.org/harbour) or walk to the
end of the pier and look back at the town.

[^ferry]: It carried bicycles for free on Sundays.
`, i, i%28+1, []string{"story", "poem"}[i%2], i%7, i%11)
}

// benchContent is a content/ folder of n stories, one ambassador and one
// contest, the same on every run.
func benchContent(n int) fstest.MapFS {
	fsys := fstest.MapFS{
		"content/ambassadors/anna.md": {Data: []byte("+++\nname = \"Anna\"\nbio = \"Swims every morning.\"\n+++\nA longer introduction.\n")},
		"content/contests/autumn.md": {Data: []byte(`+++
title = "Autumn"
categories = ["words"]
opens = 2026-09-01
closes = 2026-10-31
voting_opens = 2026-11-01
voting_closes = 2026-11-30
+++
Rules.
`)},
	}
	for i := range n {
		fsys[fmt.Sprintf("content/stories/morning-%d/index.md", i)] = &fstest.MapFile{Data: []byte(benchStory(i))}
	}
	return fsys
}

// BenchmarkParse reads content/: front matter decoded and checked, bodies
// parsed to Markdown ASTs.
func BenchmarkParse(b *testing.B) {
	now := time.Date(2026, 10, 15, 12, 0, 0, 0, time.UTC)
	for _, n := range []int{1, 500} {
		fsys := benchContent(n)
		b.Run(fmt.Sprintf("stories=%d", n), func(b *testing.B) {
			md := markdown.New()
			b.ReportAllocs()
			for b.Loop() {
				c, err := content.Load(fsys, content.Options{Now: now, Markdown: md})
				if err != nil {
					b.Fatal(err)
				}
				if len(c.Stories) != n {
					b.Fatalf("%d stories, want %d", len(c.Stories), n)
				}
			}
		})
	}
}

// TestBenchContentIsValid keeps the benchmark's input a site without
// mistakes, so that it times the work, not the error path.
func TestBenchContentIsValid(t *testing.T) {
	now := time.Date(2026, 10, 15, 12, 0, 0, 0, time.UTC)
	c, err := content.Load(benchContent(3), content.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Stories) != 3 || !strings.Contains(c.Stories[0].Title, "Morning") {
		t.Fatalf("stories: %d", len(c.Stories))
	}
}
