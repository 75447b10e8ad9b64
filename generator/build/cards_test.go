package build

import (
	"bytes"
	"context"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"regexp"
	"strings"
	"testing"
)

var metaRe = regexp.MustCompile(`<meta (?:property|name)="([^"]+)" content="([^"]*)">`)

// metas returns a page's Open Graph and Twitter meta tags.
func metas(t *testing.T, res *Result, page string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, m := range metaRe.FindAllStringSubmatch(file(t, res, page), -1) {
		out[m[1]] = m[2]
	}
	return out
}

// TestSocialCards checks that every story, ambassador and contest page,
// and the home page, shares a composed 1200×630 card that is published,
// described, and sized in its meta tags; and that a second build of the
// same site takes every card from the cache.
func TestSocialCards(t *testing.T) {
	src := writeSite(t, loadFixture(t, "basic"))
	res, err := Run(context.Background(), Options{Source: src, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Site
	pages := []string{"index.html"}
	for _, st := range s.Stories {
		pages = append(pages, strings.TrimPrefix(st.URL, "/")+"index.html")
	}
	for _, a := range s.Ambassadors {
		pages = append(pages, strings.TrimPrefix(a.URL, "/")+"index.html")
	}
	for _, c := range s.Contests {
		pages = append(pages, strings.TrimPrefix(c.URL, "/")+"index.html")
	}
	if len(s.Stories) == 0 || len(s.Ambassadors) == 0 || len(s.Contests) == 0 {
		t.Fatal("the fixture lacks a story, an ambassador or a contest")
	}
	seen := map[string]string{}
	for _, page := range pages {
		m := metas(t, res, page)
		img := m["og:image"]
		prefix := "https://lake.example/"
		if !strings.HasPrefix(img, prefix) {
			t.Errorf("%s: og:image %q is not an absolute URL of the site", page, img)
			continue
		}
		name := strings.TrimPrefix(img, prefix)
		if page != "index.html" && !strings.HasPrefix(name, strings.TrimSuffix(page, "index.html")+"card-") {
			t.Errorf("%s: og:image %s is not the page's composed card", page, img)
		}
		if other, ok := seen[name]; ok && page != "index.html" && other != "index.html" {
			t.Errorf("%s and %s share the card %s", page, other, name)
		}
		seen[name] = page
		if m["og:image:width"] != "1200" || m["og:image:height"] != "630" {
			t.Errorf("%s: og:image size %s×%s, want 1200×630", page, m["og:image:width"], m["og:image:height"])
		}
		if alt := m["og:image:alt"]; len(alt) < 20 || m["twitter:image:alt"] != alt {
			t.Errorf("%s: og:image:alt %q, twitter:image:alt %q: want one describing sentence in both", page, alt, m["twitter:image:alt"])
		}
		if m["twitter:card"] != "summary_large_image" || m["twitter:image"] != img {
			t.Errorf("%s: twitter:card %q, twitter:image %q", page, m["twitter:card"], m["twitter:image"])
		}
		data, ok := res.Files.Get(name)
		if !ok {
			t.Errorf("%s: the card %s is not published", page, name)
			continue
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width != 1200 || cfg.Height != 630 {
			t.Errorf("%s: the card %s is %s %d×%d (%v), want a 1200×630 image", page, name, format, cfg.Width, cfg.Height, err)
		}
		if len(data) > 150<<10 {
			t.Errorf("%s: the card %s is %d KB, over the 150 KB budget", page, name, len(data)>>10)
		}
	}
	// The home page shares the featured story's card.
	if len(s.Featured) > 0 {
		home := metas(t, res, "index.html")["og:image"]
		story := metas(t, res, strings.TrimPrefix(s.Featured[0].URL, "/")+"index.html")["og:image"]
		if home != story {
			t.Errorf("home og:image %s, want the featured story's %s", home, story)
		}
	}
	wantCards := len(s.Stories) + len(s.Ambassadors) + len(s.Contests)
	if len(s.Featured) == 0 {
		wantCards++
	}
	if res.Cards != wantCards || res.CardsComposed != wantCards {
		t.Errorf("cold build: %d cards, %d composed; want %d and %d", res.Cards, res.CardsComposed, wantCards, wantCards)
	}

	warm, err := Run(context.Background(), Options{Source: src, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if warm.Cards != wantCards || warm.CardsComposed != 0 {
		t.Errorf("warm build: %d cards, %d composed; want %d and none", warm.Cards, warm.CardsComposed, wantCards)
	}
	for _, page := range pages {
		if a, b := metas(t, res, page)["og:image"], metas(t, warm, page)["og:image"]; a != b {
			t.Errorf("%s: og:image %s cold, %s warm", page, a, b)
		}
	}
}

// TestSocialCardBrandAndWarnings builds the fixture with a raster logo and
// a title with characters no font of the theme has: the cards carry the
// logo, and the build warns about the title at its file, and still
// publishes its card.
func TestSocialCardBrandAndWarnings(t *testing.T) {
	txt := string(loadFixture(t, "basic"))
	txt = strings.Replace(txt, "[images]\n", "[brand]\nlogo = \"logo.png\"\n[images]\n", 1)
	txt = strings.Replace(txt, "-- content/about.md --", "-- static/logo.png --\n#jpeg 240x60\n-- content/about.md --", 1)
	txt = strings.Replace(txt, `title = "Kites"`, `title = "Kites 𓀀𓀁"`, 1)
	src := writeSite(t, []byte(txt))
	res, err := Run(context.Background(), Options{Source: src, Now: now, NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	warned := false
	for _, w := range res.Warnings {
		if strings.Contains(w.Error(), "kites/index.md") && strings.Contains(w.Error(), "no font of the theme has") {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no warning about the title's missing glyphs; warnings: %v", res.Warnings)
	}
	m := metas(t, res, "stories/kites/index.html")
	if !strings.Contains(m["og:image"], "/stories/kites/card-") {
		t.Errorf("the story with missing glyphs has no card: og:image %q", m["og:image"])
	}

	// The logo (the test JPEG: red rising to the right, blue 120) sits in
	// the top start corner of a typographic card, on the background.
	name := strings.TrimPrefix(metas(t, res, "stories/blue-hour/index.html")["og:image"], "https://lake.example/")
	data, _ := res.Files.Get(name)
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	// Corners of the logo's box, where the site's name would not reach:
	// blue 120 in both, red low on the left and high on the right.
	for _, p := range []struct{ x, y, minR, maxR int }{{66, 102, 0, 60}, {250, 100, 180, 255}} {
		r, _, b, _ := img.At(p.x, p.y).RGBA()
		if int(r>>8) < p.minR || int(r>>8) > p.maxR || b>>8 < 90 || b>>8 > 150 {
			t.Errorf("pixel (%d, %d) of the card is %d,%d (red, blue), not the logo's", p.x, p.y, r>>8, b>>8)
		}
	}
}

// A destination that turns cards off shares its covers' crops: no card is
// composed or published, and pages name the crop with its own alt text.
func TestSocialCardsTurnedOff(t *testing.T) {
	txt := string(loadFixture(t, "basic"))
	txt = strings.Replace(txt, "[images]\n", "[social]\ncards = false\n[images]\n", 1)
	res, err := Run(context.Background(), Options{Source: writeSite(t, []byte(txt)), Now: now, NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Cards != 0 || res.CardsComposed != 0 {
		t.Errorf("cards off: %d cards, %d composed", res.Cards, res.CardsComposed)
	}
	for _, name := range res.Files.Names() {
		if strings.Contains(name, "/card-") {
			t.Errorf("%s: a card was published with cards off", name)
		}
	}
	m := metas(t, res, "stories/first-light/index.html")
	if !strings.Contains(m["og:image"], "-card-") || strings.Contains(m["og:image"], "/card-") {
		t.Errorf("og:image %q, want the cover's crop", m["og:image"])
	}
}
