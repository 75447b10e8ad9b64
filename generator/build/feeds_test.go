package build

import (
	"encoding/xml"
	"strings"
	"testing"
)

// TestRSSTitlesArePlainText: a title with "&" and "<" in it reads as those
// characters in every reader, those that show RSS titles as text and those
// that render them as HTML: the RSS Best Practices Profile's hexadecimal
// character references, never an entity a second decoding would turn into
// markup.
func TestRSSTitlesArePlainText(t *testing.T) {
	const title = `Tom & Jerry: <b>bold</b> when 1 < 2 > 0`
	src := writeSite(t, []byte(`-- site.toml --
base_url = "https://lake.example/"
-- content/ambassadors/anna.md --
+++
name = "Anna & <i>Co</i>"
+++
-- content/stories/cat/index.md --
+++
title = "Tom & Jerry: <b>bold</b> when 1 < 2 > 0"
ambassador = "anna"
date = 2026-01-01
kind = "story"
status = "approved"
tags = ["r&d", "bell\u0007"]
[rights]
license = "CC-BY-4.0"
consent = 2026-01-01
credit = "A"
+++
A chase.
`))
	res, err := Run(t.Context(), Options{Source: src, Now: now, NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"feed.xml", "ambassadors/anna/feed.xml"} {
		feed := file(t, res, name)
		assertLines(t, res, name,
			`<title>Tom &#x26; Jerry: &#x3C;b&#x3E;bold&#x3C;/b&#x3E; when 1 &#x3C; 2 &#x3E; 0</title>`,
			`<dc:creator>Anna &#x26; &#x3C;i&#x3E;Co&#x3C;/i&#x3E;</dc:creator>`,
			`<category>r&#x26;d</category>`,
			// A control character XML cannot carry becomes U+FFFD, as
			// encoding/xml writes it, and the feed stays well-formed.
			"<category>bell\uFFFD</category>",
		)
		for _, bad := range []string{"&amp;lt;", "&lt;b&gt;", "<b>"} {
			if strings.Contains(feed, bad) {
				t.Errorf("%s has %q", name, bad)
			}
		}
		// An XML parser (a reader that shows titles as text) reads the title back.
		var rss struct {
			Items []struct {
				Title   string `xml:"title"`
				Creator string `xml:"http://purl.org/dc/elements/1.1/ creator"`
			} `xml:"channel>item"`
		}
		if err := xml.Unmarshal([]byte(feed), &rss); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(rss.Items) != 1 || rss.Items[0].Title != title || rss.Items[0].Creator != "Anna & <i>Co</i>" {
			t.Errorf("%s: items %+v, want the title %q", name, rss.Items, title)
		}
	}
	// The ambassador feed's channel title is plain text too.
	assertLines(t, res, "ambassadors/anna/feed.xml", `<title>Anna &#x26; &#x3C;i&#x3E;Co&#x3C;/i&#x3E; · `)
}
