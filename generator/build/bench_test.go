package build

import (
	"bytes"
	"fmt"
	"testing"
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
func BenchmarkRender(b *testing.B) {
	src := writeSite(b, benchSite(500))
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

// BenchmarkRenderPages is BenchmarkRender without social cards, which
// are most of its time: it times parsing, the site model and the pages,
// feeds and search index.
func BenchmarkRenderPages(b *testing.B) {
	src := writeSite(b, benchSiteWith(500, "[social]\ncards = false\n"))
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
