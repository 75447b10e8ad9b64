package build

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"regexp"
	"strings"
	"testing"
)

func TestLanguagesPagesAndPrefixes(t *testing.T) {
	res := mustBuild(t, "languages", Options{})
	for _, name := range []string{
		"index.html", "fi/index.html", "404.html", "fi/404.html",
		"stories/index.html", "fi/stories/index.html",
		"stories/first-light/index.html", "fi/stories/first-light/index.html", "stories/blue-hour/index.html",
		"ambassadors/index.html", "fi/ambassadors/index.html", "ambassadors/risto/index.html", "fi/ambassadors/risto/index.html",
		"contests/index.html", "fi/contests/index.html", "contests/autumn/index.html", "fi/contests/autumn/index.html",
		"about/index.html", "fi/about/index.html", "search/index.html", "fi/search/index.html",
		"places/old-harbour/index.html", "fi/places/old-harbour/index.html", "fi/tags/lake/index.html", "fi/kinds/photo/index.html",
		"feed.xml", "atom.xml", "feed.json", "fi/feed.xml", "fi/atom.xml", "fi/feed.json",
		"ambassadors/risto/feed.xml", "fi/ambassadors/risto/feed.xml", "fi/ambassadors/risto/feed.json",
		"sitemap.xml", "sitemap-en.xml", "sitemap-fi.xml", "robots.txt",
	} {
		file(t, res, name)
	}
	// Untranslated texts have no page in Finnish: the Finnish lists link
	// to their English pages.
	for _, name := range []string{"fi/stories/blue-hour/index.html", "fi/ambassadors/anna/index.html", "fi/ambassadors/anna/feed.xml"} {
		assertNoFile(t, res, name)
	}
	// The unpublished story stays out in every language, though its
	// translation says nothing of its status.
	for _, name := range res.Files.Names() {
		b, _ := res.Files.Get(name)
		if strings.Contains(name, "secret") || strings.Contains(string(b), "Flamingo") || strings.Contains(string(b), "flamingo") {
			t.Errorf("%s: the unpublished story leaked", name)
		}
	}
	if got := res.Site.Config.Title; got != "Lakeside" {
		t.Errorf("default title %q", got)
	}
}

func TestLanguagesTranslationFallsBack(t *testing.T) {
	res := mustBuild(t, "languages", Options{})
	assertLines(t, res, "fi/stories/first-light/index.html",
		`<html lang="fi">`,
		`<title>Aamun ensi valo laiturilla · Järvenranta</title>`,
		// Left out of the translation: the description and place come from English.
		`<meta name="description" content="The pier at dawn.">`,
		// The shared card is the translation's own, its title in Finnish,
		// drawn over the shared cover, and described in Finnish.
		`<meta property="og:image" content="https://lake.example/fi/stories/first-light/card-`,
		`<meta property="og:image:alt" content="Puinen laituri katoaa sumuun, otsikkona ”Aamun ensi valo laiturilla”, tekijä: Risto Saukonpää.">`,
		`<a class="skip-link" href="#main">Siirry sisältöön</a>`,
		`<a href="/fi/places/old-harbour/">Old Harbour</a>`,
		`<h1>Aamun ensi valo laiturilla</h1>`,
		`Tekijä: <a href="/fi/ambassadors/risto/">Risto Saukonpää</a> · <time datetime="2026-09-14">14. syyskuuta 2026</time>`,
		// The bundle's media is shared: the English page's files.
		`<picture><source type="image/webp" srcset="/stories/first-light/pier-320w-`,
		`<p>Järvi <em>aamunkoitteessa</em>.</p>`,
		// The rights block is the default file's.
		`Photo: Risto Saukonpää`,
		`Osallistuu kilpailuun <a href="/fi/contests/autumn/">Syksyn valo</a>`,
	)
	for _, name := range res.Files.Names() {
		if strings.HasPrefix(name, "fi/stories/first-light/") && name != "fi/stories/first-light/index.html" && !strings.HasPrefix(name, "fi/stories/first-light/card-") {
			t.Errorf("%s: a translation's media is published once, with the default language's page", name)
		}
	}
	assertLines(t, res, "fi/ambassadors/risto/index.html",
		`<h1>Risto Saukonpää</h1>`,
		`<p class="lede">Kuvaa järveä joka aamu.</p>`,
	)
	assertLines(t, res, "fi/about/index.html", `<title>Tietoa · Järvenranta</title>`, `<p>Olemme järvi.</p>`)
	assertLines(t, res, "fi/index.html", `<html lang="fi">`, `<a href="/fi/about/">Tietoa</a>`)
	assertLines(t, res, "index.html", `<html lang="en">`, `<a href="/about/">About</a>`)

	// An untranslated story in a Finnish list is English, and says so.
	assertLines(t, res, "fi/stories/index.html",
		`<html lang="fi">`,
		`<h1>Kaikki tarinat</h1>`,
		`<article class="card card-poem" lang="en">`,
		`<a class="card-link" href="/stories/blue-hour/">Blue hour</a>`,
		`<article class="card card-photo">`,
		`<a class="card-link" href="/fi/stories/first-light/">Aamun ensi valo laiturilla</a>`,
	)
}

var hreflangRe = regexp.MustCompile(`<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">`)

// Every page names its translations and the default language's version.
func TestLanguagesHreflangOnEveryPage(t *testing.T) {
	res := mustBuild(t, "languages", Options{})
	pages := 0
	for _, name := range res.Files.Names() {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		pages++
		html := file(t, res, name)
		lang := "en"
		if strings.HasPrefix(name, "fi/") {
			lang = "fi"
		}
		if !strings.Contains(html, `<html lang="`+lang+`">`) {
			t.Errorf("%s: not <html lang=%q>", name, lang)
		}
		got := map[string]string{}
		for _, m := range hreflangRe.FindAllStringSubmatch(html, -1) {
			got[m[1]] = m[2]
		}
		self := "https://lake.example/" + strings.TrimSuffix(name, "index.html")
		if got[lang] != self {
			t.Errorf("%s: hreflang %s is %q, want the page itself, %q", name, lang, got[lang], self)
		}
		if got["x-default"] == "" || strings.HasPrefix(strings.TrimPrefix(got["x-default"], "https://lake.example/"), "fi/") {
			t.Errorf("%s: x-default is %q, want the English page", name, got["x-default"])
		}
		if !strings.Contains(html, `<nav class="languages" aria-label="`) {
			t.Errorf("%s: no language switcher", name)
		}
	}
	if pages < 30 {
		t.Errorf("only %d pages", pages)
	}
	// Translated both ways; English alone where there is no translation.
	assertLines(t, res, "stories/first-light/index.html",
		`<link rel="alternate" hreflang="en" href="https://lake.example/stories/first-light/">`,
		`<link rel="alternate" hreflang="fi" href="https://lake.example/fi/stories/first-light/">`,
		`<link rel="alternate" hreflang="x-default" href="https://lake.example/stories/first-light/">`,
	)
	if strings.Contains(file(t, res, "stories/blue-hour/index.html"), `hreflang="fi" href`) {
		t.Error("blue-hour has no Finnish translation, yet links one")
	}
	// The switcher keeps the visitor on the story, or takes them to the
	// language's home when it has no translation.
	assertLines(t, res, "stories/first-light/index.html",
		`<nav class="languages" aria-label="Language">`, `<ul role="list">`,
		`<a href="/stories/first-light/" hreflang="en" lang="en" aria-current="page">English</a>`,
		`<a href="/fi/stories/first-light/" hreflang="fi" lang="fi">Suomi</a>`,
	)
	assertLines(t, res, "fi/stories/first-light/index.html",
		`<nav class="languages" aria-label="Kieli">`,
		`<a href="/stories/first-light/" hreflang="en" lang="en">English</a>`,
		`<a href="/fi/stories/first-light/" hreflang="fi" lang="fi" aria-current="page">Suomi</a>`,
	)
	assertLines(t, res, "stories/blue-hour/index.html",
		`<a href="/fi/" hreflang="fi" lang="fi" rel="alternate">Suomi</a>`,
	)
}

func TestLanguagesFeedsAndSitemaps(t *testing.T) {
	res := mustBuild(t, "languages", Options{})
	type rssDoc struct {
		Channel struct {
			Title    string `xml:"title"`
			Language string `xml:"language"`
			Items    []struct {
				Title string `xml:"title"`
				Link  string `xml:"link"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	var rss rssDoc
	if err := xml.Unmarshal([]byte(file(t, res, "fi/feed.xml")), &rss); err != nil {
		t.Fatal(err)
	}
	c := rss.Channel
	if c.Title != "Järvenranta" || c.Language != "fi" || len(c.Items) != 1 || c.Items[0].Link != "https://lake.example/fi/stories/first-light/" {
		t.Errorf("Finnish RSS: %+v", c)
	}
	assertLines(t, res, "fi/feed.xml", `<link>https://lake.example/fi/</link>`, `<atom:link href="https://lake.example/fi/feed.xml" rel="self"`)
	rss = rssDoc{}
	if err := xml.Unmarshal([]byte(file(t, res, "feed.xml")), &rss); err != nil {
		t.Fatal(err)
	}
	if c := rss.Channel; c.Language != "en" || len(c.Items) != 2 || c.Items[1].Title != "First light on the pier" {
		t.Errorf("English RSS: %+v", c)
	}
	var jf struct {
		Title   string `json:"title"`
		FeedURL string `json:"feed_url"`
		Items   []struct {
			URL string `json:"url"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(file(t, res, "fi/feed.json")), &jf); err != nil {
		t.Fatal(err)
	}
	if jf.Title != "Järvenranta" || !strings.HasSuffix(jf.FeedURL, "/fi/feed.json") || len(jf.Items) != 1 {
		t.Errorf("Finnish JSON Feed: %+v", jf)
	}
	assertLines(t, res, "fi/ambassadors/risto/feed.xml", `<language>fi</language>`, `<link>https://lake.example/fi/stories/first-light/</link>`)

	var index struct {
		XMLName  xml.Name
		Sitemaps []struct {
			Loc string `xml:"loc"`
		} `xml:"sitemap"`
	}
	if err := xml.Unmarshal([]byte(file(t, res, "sitemap.xml")), &index); err != nil {
		t.Fatal(err)
	}
	if index.XMLName.Local != "sitemapindex" || len(index.Sitemaps) != 2 || index.Sitemaps[0].Loc != "https://lake.example/sitemap-en.xml" || index.Sitemaps[1].Loc != "https://lake.example/sitemap-fi.xml" {
		t.Errorf("sitemap index: %+v", index)
	}
	var set struct {
		URLs []struct {
			Loc   string `xml:"loc"`
			Links []struct {
				Rel      string `xml:"rel,attr"`
				Hreflang string `xml:"hreflang,attr"`
				Href     string `xml:"href,attr"`
			} `xml:"http://www.w3.org/1999/xhtml link"`
		} `xml:"url"`
	}
	fi := file(t, res, "sitemap-fi.xml")
	if err := xml.Unmarshal([]byte(fi), &set); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, u := range set.URLs {
		if !strings.HasPrefix(u.Loc, "https://lake.example/fi/") {
			t.Errorf("sitemap-fi.xml lists %s", u.Loc)
		}
		if u.Loc == "https://lake.example/fi/stories/first-light/" {
			found = len(u.Links) == 3 && u.Links[0].Hreflang == "en" && u.Links[0].Href == "https://lake.example/stories/first-light/" && u.Links[2].Hreflang == "x-default"
		}
		if strings.Contains(u.Loc, "404") {
			t.Errorf("sitemap lists %s", u.Loc)
		}
	}
	if !found {
		t.Errorf("sitemap-fi.xml: first-light without its alternates:\n%s", fi)
	}
	if strings.Contains(file(t, res, "sitemap-en.xml"), "/fi/") && !strings.Contains(file(t, res, "sitemap-en.xml"), `hreflang="fi"`) {
		t.Error("sitemap-en.xml lists Finnish pages")
	}
	assertLines(t, res, "robots.txt", "Sitemap: https://lake.example/sitemap.xml")
}

// A story is one contest entry whatever the language it is read in: both
// pages' vote widgets post the same contest and entry, and the manifest
// holds it once.
func TestLanguagesVoteOncePerEntry(t *testing.T) {
	res := mustBuild(t, "languages", Options{})
	widget := regexp.MustCompile(`<div class="vote" data-contest="([^"]+)" data-entry="([^"]+)"`)
	var got []string
	for _, name := range []string{"stories/first-light/index.html", "fi/stories/first-light/index.html", "contests/autumn/index.html", "fi/contests/autumn/index.html"} {
		m := widget.FindStringSubmatch(file(t, res, name))
		if m == nil {
			t.Fatalf("%s: no vote widget", name)
		}
		got = append(got, m[1]+"/"+m[2])
	}
	for _, g := range got {
		if g != "autumn/first-light" {
			t.Errorf("vote widgets post %v, want autumn/first-light everywhere", got)
			break
		}
	}
	if len(res.Manifest.Contests) != 1 || len(res.Manifest.Contests[0].Entries) != 1 || res.Manifest.Contests[0].Entries[0].Slug != "first-light" {
		t.Errorf("manifest: %+v", res.Manifest.Contests)
	}
	assertLines(t, res, "fi/stories/first-light/index.html", `data-vote-strings="{&#34;vote&#34;:&#34;Äänestä&#34;`)
}

func TestLanguagesTranslationMistakes(t *testing.T) {
	archive := string(loadFixture(t, "languages")) + `-- content/stories/orphan/index.fi.md --
+++
title = "Orpo"
+++
-- content/ambassadors/anna.sv.md --
+++
bio = "Simmar året runt."
+++
-- content/stories/blue-hour.fi.md --
+++
title = "Sininen hetki"
status = "featured"
ambassador = "risto"
+++
-- content/stories/blue-hour.en.md --
+++
title = "Blue hour again"
+++
`
	o := Options{Source: writeSite(t, []byte(archive)), Now: now}
	_, err := Run(context.Background(), o)
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, want := range []string{
		"content/stories/orphan/index.fi.md: translation without its default-language file content/stories/orphan/index.md",
		`content/ambassadors/anna.sv.md: translation into "sv", a language the site does not speak (site.toml declares en, fi)`,
		"content/stories/blue-hour.fi.md:3:1: status is not translated: a translation takes it from content/stories/blue-hour.md",
		"content/stories/blue-hour.fi.md:4:1: ambassador is not translated",
		`content/stories/blue-hour.en.md: "en" is the site's default language: its text belongs in content/stories/blue-hour.md`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing %q in:\n%s", want, msg)
		}
	}
}

// A site of one language, with a file that looks like a translation, says
// that the site speaks no other language.
func TestOneLanguageRefusesTranslations(t *testing.T) {
	archive := string(loadFixture(t, "basic")) + "-- content/about.fi.md --\n+++\ntitle = \"Tietoa\"\n+++\n"
	_, err := Run(context.Background(), Options{Source: writeSite(t, []byte(archive)), Now: now})
	if err == nil || !strings.Contains(err.Error(), `content/about.fi.md: translation into "fi", a language the site does not speak (site.toml declares no languages)`) {
		t.Errorf("err = %v", err)
	}
}

// A site of one language builds as it did before languages: no prefixes,
// no alternates, no switcher, one sitemap.
func TestOneLanguageUnchanged(t *testing.T) {
	res := mustBuild(t, "basic", Options{})
	for _, name := range res.Files.Names() {
		if strings.HasPrefix(name, "en/") || strings.HasPrefix(name, "sitemap-") {
			t.Errorf("one-language site wrote %s", name)
		}
		if strings.HasSuffix(name, ".html") {
			html := file(t, res, name)
			if strings.Contains(html, "hreflang") || strings.Contains(html, `class="languages"`) {
				t.Errorf("%s: hreflang or a language switcher on a site of one language", name)
			}
		}
	}
	assertLines(t, res, "sitemap.xml", `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
}

// check names the theme strings a language lacks, one warning per
// language; a site's own i18n file fills them in.
func TestCheckListsMissingStrings(t *testing.T) {
	archive := strings.Replace(string(loadFixture(t, "languages")), "[languages.fi]", "[languages.sv]\nweight = 3\n[languages.fi]", 1)
	res, err := Check(context.Background(), Options{Source: writeSite(t, []byte(archive)), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, w := range res.Warnings {
		if strings.Contains(w.Error(), "translation strings missing") || strings.Contains(w.Error(), "translation string missing") {
			found = append(found, w.Error())
		}
	}
	if len(found) != 1 || !strings.HasPrefix(found[0], "i18n/sv.toml: warning: ") || !strings.Contains(found[0], `missing in "sv", shown in "en" instead: `) || !strings.Contains(found[0], "skip_to_content") {
		t.Errorf("warnings: %q", found)
	}

	archive += "-- i18n/sv.toml --\nskip_to_content = \"Hoppa till innehållet\"\n"
	res, err = Check(context.Background(), Options{Source: writeSite(t, []byte(archive)), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w.Error(), "i18n/sv.toml") && strings.Contains(w.Error(), "skip_to_content,") {
			t.Errorf("a key the site translated is still reported: %s", w)
		}
	}
}

// What a translation leaves to its default file is shown in the default
// language, and marked so: a screen reader reads the English title of a
// Finnish page with an English voice.
func TestLanguagesInheritedFieldsKeepTheirLang(t *testing.T) {
	archive := string(loadFixture(t, "languages")) + `-- content/stories/blue-hour.fi.md --
+++
+++
Valo luovuttaa
taistelematta.
-- content/ambassadors/anna.fi.md --
+++
home = "Järvi"
+++
`
	res, err := Run(context.Background(), Options{Source: writeSite(t, []byte(archive)), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	assertLines(t, res, "fi/stories/blue-hour/index.html",
		`<html lang="fi">`,
		`<h1 lang="en">Blue hour</h1>`,
		`<div class="story-body wrap">`, `<div class="poem"><p>Valo luovuttaa<br>`,
	)
	assertLines(t, res, "fi/stories/index.html", `<h3 class="card-title" lang="en"><a class="card-link" href="/fi/stories/blue-hour/">Blue hour</a></h3>`)
	assertLines(t, res, "fi/ambassadors/anna/index.html", `<p class="lede" lang="en">Swims all year.</p>`)
	assertLines(t, res, "fi/stories/first-light/index.html", `<h1>Aamun ensi valo laiturilla</h1>`)
}
