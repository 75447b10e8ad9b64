package build

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// benchSite is a txtar site of n stories by ten ambassadors, in one
// contest, across places and tags, with Markdown bodies: the same on every
// run. It has no images, so that the benchmark times parsing, the site
// model and rendering, not the image pipeline (which has its own).
func benchSite(n int) []byte {
	return benchSiteWith(n, "")
}

// benchSiteWith is benchSite with more of site.toml.
func benchSiteWith(n int, toml string) []byte {
	var b bytes.Buffer
	b.WriteString(`-- site.toml --
title = "Lakeside"
base_url = "https://lake.example/"
timezone = "Europe/Helsinki"
` + toml + `-- content/about.md --
+++
title = "About"
menu = 1
+++
We are a lake.
-- content/contests/autumn.md --
+++
title = "Autumn light"
categories = ["landscape", "words"]
opens = 2026-09-01
closes = 2026-10-31
voting_opens = 2026-11-01
voting_closes = 2026-11-30
show_counts = true
+++
Rules and prizes.
`)
	for a := range 10 {
		fmt.Fprintf(&b, "-- content/ambassadors/amb-%d.md --\n+++\nname = \"Ambassador %d\"\nbio = \"Lives by the lake.\"\n+++\nAn introduction.\n", a, a)
	}
	kinds := []string{"story", "poem"}
	for i := range n {
		fmt.Fprintf(&b, `-- content/stories/story-%[1]d/index.md --
+++
title = "Morning on the lake, part %[1]d"
ambassador = "amb-%[2]d"
date = 2026-09-%02[3]d
kind = "%[4]s"
place = "Place %[5]d"
tags = ["lake", "tag-%[6]d"]
status = "approved"
contest = "autumn"
category = "words"
[rights]
license = "CC-BY-4.0"
consent = 2026-09-%02[3]d
credit = "Text: Ambassador %[2]d"
+++
The fog lifts off the water a little after six, and the pier **appears**
plank by plank. The first swimmers are already there, *whatever the weather*.

## What the lake remembers

- the old boathouse, before the fire
- the ferry that ran until 1962[^ferry]

> We never locked the doors then.

Read the [harbour's history](https://example.org/harbour).

[^ferry]: It carried bicycles for free on Sundays.
`, i, i%10, i%28+1, kinds[i%2], i%12, i%20)
	}
	return b.Bytes()
}

// BenchmarkRender builds a 500-story site in memory (Run: content parsed,
// the site model, assets and every page, feed and sitemap rendered) and
// writes nothing. Most of its time is rendering; BenchmarkParse in
// generator/content times the parse alone.
func BenchmarkRender(b *testing.B) { benchRun(b, benchSite(500)) }

// benchRun times Run of the site archive (a txtar) without the build
// cache.
func benchRun(b *testing.B, archive []byte) {
	src := writeSite(b, archive)
	o := Options{Source: src, Now: now, NoCache: true}
	res, err := Run(b.Context(), o)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(b.Context(), o); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(res.Pages), "pages/op")
}

// BenchmarkRebuild times what the dev server does after a saved edit to
// one story's text: Rebuild after a sentence is appended to it. The site
// is a generated one of 2,000 stories without social cards (composing
// them for the first build would take most of the benchmark's time), or
// the folder POSTCARD_BENCH_SITE names as it is (bench/site -generate
// makes one of 10,000), whose story file is edited in place and put back
// afterwards.
func BenchmarkRebuild(b *testing.B) {
	src, when := os.Getenv("POSTCARD_BENCH_SITE"), time.Time{}
	if src == "" {
		src, when = writeSite(b, benchSite(2000)), now
		f, err := os.OpenFile(filepath.Join(src, "site.toml"), os.O_APPEND|os.O_WRONLY, 0)
		if err == nil {
			_, err = f.WriteString("\n[social]\ncards = false\n")
			err = errors.Join(err, f.Close())
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	entries, err := os.ReadDir(filepath.Join(src, "content", "stories"))
	if err != nil || len(entries) == 0 {
		b.Fatalf("no stories in %s: %v", src, err)
	}
	file := filepath.Join(src, "content", "stories", entries[len(entries)/2].Name(), "index.md")
	orig, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.WriteFile(file, orig, 0o644) })
	rel := filepath.ToSlash(file[len(src)+1:])
	o := Options{Source: src, Now: when, Remember: true}
	prev, err := Run(b.Context(), o)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("first build: %d pages in %v", prev.Pages, prev.Duration)
	i := 0
	for b.Loop() {
		i++
		data := fmt.Appendf(bytes.Clone(orig), "\nEdit number %d: the lake was calm.\n", i)
		if err := os.WriteFile(file, data, 0o644); err != nil {
			b.Fatal(err)
		}
		res, err := Rebuild(b.Context(), o, prev, []string{rel})
		if err != nil {
			b.Fatal(err)
		}
		prev = res
	}
	b.ReportMetric(float64(len(prev.Rendered)), "rendered/op")
}

// BenchmarkRenderPages is BenchmarkRender without social cards, which
// are most of its time: it times parsing, the site model and the pages,
// feeds and search index.
func BenchmarkRenderPages(b *testing.B) {
	benchRun(b, benchSiteWith(500, "[social]\ncards = false\n"))
}
