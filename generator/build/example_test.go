package build

import (
	"bytes"
	"path"
	"strings"
	"testing"
)

// TestExampleShowcase builds the repository's own example site, as a new
// user's first `make build` does, and checks what its issue promises: every
// kind of page and feed, nothing of the submitted and rejected stories, and
// no metadata from the photographs in any published image.
func TestExampleShowcase(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every photo of the example showcase")
	}
	res, err := Run(t.Context(), Options{Source: "../..", Now: now, NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(res.Site.Stories); n < 12 {
		t.Errorf("%d published stories, want at least 12", n)
	}
	kinds := map[string]bool{}
	for _, st := range res.Site.Stories {
		kinds[st.Source.Kind.Slug] = true
	}
	if len(kinds) != 4 {
		t.Errorf("kinds %v, want all four", kinds)
	}
	for _, name := range []string{
		"index.html", "404.html", "sitemap.xml", "robots.txt", "feed.xml", "atom.xml", "feed.json",
		"stories/index.html", "ambassadors/index.html", "contests/index.html", "places/index.html",
		"tags/index.html", "kinds/index.html", "about/index.html",
		"stories/first-light-on-the-pier/index.html", "contests/four-seasons-2027/index.html",
		// The showcase speaks Finnish too.
		"sitemap-en.xml", "sitemap-fi.xml", "fi/index.html", "fi/404.html", "fi/feed.xml", "fi/atom.xml", "fi/feed.json",
		"fi/stories/index.html", "fi/ambassadors/index.html", "fi/contests/index.html", "fi/about/index.html",
		"fi/contests/four-seasons-2027/index.html", "fi/contests/midsummer-nights-2026/index.html",
		"fi/ambassadors/aino/index.html", "fi/ambassadors/eino/index.html", "fi/ambassadors/hanna/index.html", "fi/ambassadors/mikael/index.html",
	} {
		file(t, res, name)
	}
	finnish := 0
	for _, st := range res.Site.Stories {
		for _, tr := range st.Source.Translations {
			if tr.Lang == "fi" {
				finnish++
				assertLines(t, res, "fi/stories/"+st.Source.Slug+"/index.html", `<html lang="fi">`, `hreflang="en"`, `hreflang="fi"`, `hreflang="x-default"`,
					`<a href="`+st.URL+`" hreflang="en" lang="en">English</a>`)
				// A translation shares the rights block: the photographs keep their credit.
				assertLines(t, res, "fi/stories/"+st.Source.Slug+"/index.html", st.Source.Rights.Credit)
			}
		}
	}
	if finnish < 5 {
		t.Errorf("%d stories in Finnish, want at least 5", finnish)
	}
	assertLines(t, res, "fi/stories/blue-hour/index.html", `<div class="poem"><p>Puoli neljältä valo luovuttaa<br>`)
	assertLines(t, res, "fi/index.html", `<html lang="fi">`, `<title>Lumolahden tarinat</title>`, `<a href="/fi/about/">Tietoa</a>`)
	// The unpublished stories, by title, folder and media file name.
	assertNoLeak(t, res, []string{
		"Zebra Pontoon Disco", "zebra-pontoon-disco", "unreviewed-dock",
		"Jet Ski Selfie Marathon", "jet-ski-selfie-marathon", "rejected-jetski",
	})
	images := 0
	for _, name := range res.Files.Names() {
		switch path.Ext(name) {
		case ".jpg", ".webp", ".png", ".avif":
		case ".heic", ".heif", ".jpeg":
			t.Errorf("%s: an original format is published", name)
			continue
		default:
			continue
		}
		images++
		data, _ := res.Files.Get(name)
		// The photographs carry their author, licence and editing software
		// in EXIF and XMP; none of it may survive.
		for _, meta := range []string{"Exif\x00", "http://ns.adobe.com/xap", "<x:xmpmeta", "Saukonp", "digiKam", "ICC_PROFILE"} {
			if bytes.Contains(data, []byte(meta)) {
				t.Errorf("%s carries metadata %q", name, strings.TrimRight(meta, "\x00"))
			}
		}
	}
	if images < 100 {
		t.Errorf("only %d images published", images)
	}
}
