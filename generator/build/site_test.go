package build

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"regexp"
	"strings"
	"testing"

	"github.com/postcard-ssg/postcard/functions/vote"
)

func TestBasicSiteOutputs(t *testing.T) {
	res := mustBuild(t, "basic", Options{})
	for _, name := range []string{
		"index.html", "404.html", "robots.txt", "sitemap.xml",
		"feed.xml", "atom.xml", "feed.json",
		"stories/index.html", "stories/page/2/index.html", "stories/page/3/index.html",
		"stories/first-light/index.html", "stories/blue-hour/index.html", "stories/boathouse/index.html",
		"stories/kites/index.html", "stories/midsummer/index.html",
		"stories/boathouse/walk.mp4",
		"ambassadors/index.html", "ambassadors/anna/index.html", "ambassadors/risto/index.html",
		"ambassadors/anna/feed.xml", "ambassadors/anna/atom.xml", "ambassadors/anna/feed.json",
		"contests/index.html", "contests/autumn/index.html", "contests/summer/index.html",
		"places/index.html", "places/old-harbour/index.html", "places/cafe-laituri/index.html",
		"tags/index.html", "tags/lake/index.html", "kinds/index.html", "kinds/poem/index.html",
		"about/index.html", "favicon.svg",
	} {
		file(t, res, name)
	}
	assertNoFile(t, res, "stories/page/4/index.html")
	assertNoFile(t, res, "stories/page/1/index.html")

	assertLines(t, res, "stories/first-light/index.html",
		`<html lang="en">`,
		`<title>First light on the pier · Lakeside</title>`,
		`<link rel="canonical" href="https://lake.example/stories/first-light/">`,
		`<meta property="og:title" content="First light on the pier">`,
		`<meta property="og:type" content="article">`,
		`<meta property="og:image" content="https://lake.example/stories/first-light/card-`,
		`<meta name="twitter:card" content="summary_large_image">`,
		`"@type":"Photograph"`,
		`<h1>First light on the pier</h1>`,
		`By <a href="/ambassadors/risto/">Risto Saukonpää</a> with <a href="/ambassadors/anna/">Anna Lind</a>`,
		`<picture><source type="image/webp" srcset="/stories/first-light/pier-320w-`,
		`fetchpriority="high"`,
		`<p>The lake at <em>dawn</em>.</p>`,
		`<figcaption>Wet boards</figcaption>`,
		`Photo: Risto Saukonpää`,
		`<a rel="license" href="https://creativecommons.org/licenses/by/4.0/">CC-BY-4.0</a>`,
		`<a href="/tags/lake/">#lake</a>`,
		`An entry in <a href="/contests/autumn/">Autumn light</a>, category landscape.`,
		`<div class="vote" data-contest="autumn" data-entry="first-light"`,
		`Stories that answer this one`,
		`<a class="card-link" href="/stories/blue-hour/">`,
	)
	// Only the first image of a page loads eagerly.
	if n := strings.Count(file(t, res, "stories/first-light/index.html"), `fetchpriority="high"`); n != 1 {
		t.Errorf("first-light: %d eager images, want 1", n)
	}

	// Poems keep their line breaks; stanzas stay paragraphs.
	assertLines(t, res, "stories/blue-hour/index.html",
		`<div class="poem"><p>The light gives up<br>`,
		`without a fight.</p>`,
		`<p>The harbour is one colour.</p>`,
		`Published with the contributor’s permission`,
		`<h2 id="inspired">Inspired by</h2>`,
	)

	// Untrusted Markdown: no raw HTML, no javascript: links; footnotes,
	// heading ids and typographic quotes work; bundle images become figures.
	boathouse := file(t, res, "stories/boathouse/index.html")
	for _, bad := range []string{"<script>alert", "<b>bold</b>", "javascript:"} {
		if strings.Contains(boathouse, bad) {
			t.Errorf("boathouse page contains %q", bad)
		}
	}
	assertLines(t, res, "stories/boathouse/index.html",
		`<h2 id="inside">Inside</h2>`,
		`<figure><picture>`,
		`alt="The boathouse door"`,
		`<figcaption>The door in May</figcaption></figure>`,
		`<a href="../first-light/">the pier</a>`,
		`<a href="walk.mp4">the walk</a>`,
		`<a href="//lake-society.example/" rel="nofollow ugc noopener">the lake society</a>`,
		`class="footnotes"`,
		`Pine tar, mostly.`,
	)

	// Video: a privacy-friendly facade linking to the provider.
	assertLines(t, res, "stories/kites/index.html",
		`<div class="video-facade" data-embed="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"`,
		`href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"`,
	)
	assertLines(t, res, "stories/kites/index.html", `"@type":"VideoObject"`)

	assertLines(t, res, "contests/autumn/index.html",
		`<h1>Autumn light</h1>`,
		`Voting open until <time datetime="2026-11-30">30 November 2026</time>`,
		`2 per visitor, one per entry`,
		`<dt>Entries so far</dt>`,
		`<h2 id="cat-landscape">landscape</h2>`,
		`href="/stories/first-light/"`,
		`<h2 id="cat-words">words</h2>`,
		`href="/stories/blue-hour/"`,
	)
	summer := file(t, res, "contests/summer/index.html")
	if strings.Contains(summer, `class="vote"`) {
		t.Error("a closed contest shows vote buttons")
	}
	// A closed contest counts its entries, no longer "so far".
	if strings.Contains(summer, "so far") {
		t.Error(`a closed contest says "Entries so far"`)
	}
	assertLines(t, res, "contests/summer/index.html", `<dt>Submissions</dt>`, `<dt>Entries</dt><dd>1</dd>`)
	assertLines(t, res, "contests/summer/index.html", `<h2 id="winners">Winners</h2>`, `1st place · landscape`, `href="/stories/midsummer/"`)
	assertLines(t, res, "stories/midsummer/index.html", `1st place, landscape, <a href="/contests/summer/">Summer nights</a>`)

	assertLines(t, res, "ambassadors/risto/index.html",
		`"@type":"Person"`,
		`<h1>Risto Saukonpää</h1>`,
		`Stories by Risto Saukonpää`,
		`href="/stories/first-light/"`,
	)
	assertLines(t, res, "ambassadors/anna/index.html", `rel="me nofollow noopener"`, `Made with others`, `href="/stories/first-light/"`)

	assertLines(t, res, "places/cafe-laituri/index.html", `<h1>Café Laituri</h1>`, `href="/stories/boathouse/"`)
	assertLines(t, res, "stories/index.html", `<a rel="next" href="/stories/page/2/">`)
	assertLines(t, res, "stories/page/2/index.html", `<a rel="prev" href="/stories/">`, `<a rel="next" href="/stories/page/3/">`)
	assertLines(t, res, "index.html", `"@type":"WebSite"`, `<h2 id="open-contests">Open contests</h2>`, `href="/contests/autumn/"`)
	assertLines(t, res, "404.html", `<meta name="robots" content="noindex">`, `<h1>Page not found</h1>`)
	assertLines(t, res, "robots.txt", "User-agent: *", "Disallow: /api/", "Sitemap: https://lake.example/sitemap.xml")
	assertLines(t, res, "about/index.html", `<p>We are a lake.</p>`)
	assertLines(t, res, "index.html", `<a href="/about/">About</a>`)
}

func TestFeedsAndSitemapAreValid(t *testing.T) {
	res := mustBuild(t, "basic", Options{})
	var rss struct {
		Channel struct {
			Items []struct {
				Title       string `xml:"title"`
				Link        string `xml:"link"`
				PubDate     string `xml:"pubDate"`
				Description string `xml:"description"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	if err := xml.Unmarshal([]byte(file(t, res, "feed.xml")), &rss); err != nil {
		t.Fatalf("feed.xml: %v", err)
	}
	var titles []string
	for _, it := range rss.Channel.Items {
		titles = append(titles, it.Title)
	}
	if got, want := strings.Join(titles, "|"), "Blue hour|First light on the pier|The old boathouse|Kites|Midsummer"; got != want {
		t.Errorf("RSS items %q, want newest first %q", got, want)
	}
	first := rss.Channel.Items[1]
	if first.Link != "https://lake.example/stories/first-light/" || !strings.Contains(first.PubDate, "14 Sep 2026 00:00:00 +0300") {
		t.Errorf("RSS item link/date: %+v", first)
	}
	if !strings.Contains(first.Description, `<img src="https://lake.example/stories/first-light/pier-640w-`) {
		t.Errorf("RSS item lacks an absolute image: %s", first.Description)
	}
	boat := rss.Channel.Items[2].Description
	if !strings.Contains(boat, `href="https://lake.example/stories/first-light/"`) || !strings.Contains(boat, `href="https://lake.example/stories/boathouse/walk.mp4"`) ||
		!strings.Contains(boat, `href="https://lake-society.example/" rel="nofollow ugc noopener"`) {
		t.Errorf("RSS links are not absolute: %s", boat)
	}

	var atom struct {
		Entries []struct {
			Title  string `xml:"title"`
			Author struct {
				Name string `xml:"name"`
			} `xml:"author"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(file(t, res, "ambassadors/anna/atom.xml")), &atom); err != nil {
		t.Fatalf("atom.xml: %v", err)
	}
	if len(atom.Entries) != 2 || atom.Entries[0].Author.Name != "Anna Lind" {
		t.Errorf("Anna's Atom feed: %+v", atom.Entries)
	}

	var jf struct {
		Version string
		Items   []struct {
			ID, Title, Image string
		}
	}
	if err := json.Unmarshal([]byte(file(t, res, "feed.json")), &jf); err != nil {
		t.Fatalf("feed.json: %v", err)
	}
	if jf.Version != "https://jsonfeed.org/version/1.1" || len(jf.Items) != 5 || !strings.HasPrefix(jf.Items[1].Image, "https://lake.example/stories/first-light/pier-card-") {
		t.Errorf("JSON Feed: %+v", jf)
	}

	var sm struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal([]byte(file(t, res, "sitemap.xml")), &sm); err != nil {
		t.Fatalf("sitemap.xml: %v", err)
	}
	locs := map[string]bool{}
	for _, u := range sm.URLs {
		locs[u.Loc] = true
	}
	for _, want := range []string{"https://lake.example/", "https://lake.example/stories/first-light/", "https://lake.example/about/", "https://lake.example/places/old-harbour/"} {
		if !locs[want] {
			t.Errorf("sitemap lacks %s", want)
		}
	}
	for loc := range locs {
		if strings.Contains(loc, "404") {
			t.Errorf("sitemap lists %s", loc)
		}
	}
}

func TestManifest(t *testing.T) {
	res := mustBuild(t, "basic", Options{Drafts: true})
	var m struct {
		Version  int
		Site     string
		Contests []struct {
			Slug          string
			VotingOpens   string `json:"voting_opens"`
			VotingCloses  string `json:"voting_closes"`
			VotesPerVoter int    `json:"votes_per_voter"`
			ShowCounts    bool   `json:"show_counts"`
			NetworkQuota  int    `json:"network_quota"`
			Challenge     int    `json:"challenge"`
			Entries       []struct{ Slug, Category string }
		}
	}
	if err := json.Unmarshal(manifestJSON(t, res), &m); err != nil {
		t.Fatal(err)
	}
	if m.Version != 2 || m.Site != "https://lake.example" || len(m.Contests) != 2 {
		t.Fatalf("manifest: %s", manifestJSON(t, res))
	}
	c := m.Contests[0]
	if c.Slug != "autumn" || c.VotingOpens != "2026-11-01T00:00:00+02:00" || c.VotingCloses != "2026-12-01T00:00:00+02:00" || c.VotesPerVoter != 2 || !c.ShowCounts ||
		c.NetworkQuota != 400 || c.Challenge != 20 {
		t.Errorf("autumn: %+v", c)
	}
	var entries []string
	for _, e := range c.Entries {
		entries = append(entries, e.Slug+"/"+e.Category)
	}
	// The submitted entry is shown in a drafts preview but can never be voted for.
	if got := strings.Join(entries, ","); got != "blue-hour/words,first-light/landscape" {
		t.Errorf("autumn entries = %s", got)
	}
	if m.Contests[1].ShowCounts {
		t.Error("summer shows counts")
	}
	// Without network_quota and challenge, a contest gets the defaults.
	if s := m.Contests[1]; s.NetworkQuota != vote.DefaultNetworkQuota || s.Challenge != vote.DefaultChallenge {
		t.Errorf("summer: quota %d, challenge %d; want the defaults", s.NetworkQuota, s.Challenge)
	}
}

func TestSearchPage(t *testing.T) {
	res := mustBuild(t, "basic", Options{Drafts: true})
	page := file(t, res, "search/index.html")
	assertLines(t, res, "search/index.html",
		`<h1>Search</h1>`,
		`role="search"`,
		`<label for="search-q">Search stories</label>`,
		`role="status" aria-live="polite"`,
		// Without JavaScript: the places, tags and kinds, not every story.
		`<a class="chip" href="/places/old-harbour/">Old Harbour <span class="count">`,
		`<a href="/tags/">Tags</a>`,
	)
	if strings.Contains(page, `<a href="/stories/first-light/">`) {
		t.Error("the search page lists the stories")
	}
	m := regexp.MustCompile(`data-index="(/search/index\.[0-9a-f]{12}\.json)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the search page names no index")
	}
	var manifest struct {
		Docs  int               `json:"docs"`
		Terms map[string]string `json:"terms"`
	}
	if err := json.Unmarshal([]byte(file(t, res, m[1][1:])), &manifest); err != nil {
		t.Fatal(err)
	}
	if manifest.Docs != 5 {
		t.Errorf("the index holds %d stories, want the 5 published", manifest.Docs)
	}
	// Folded: "Saukonpää" is indexed as "saukonpaa", under "sa".
	sa, ok := res.Files.Get("search/t." + manifest.Terms["sa"] + ".bin")
	if !ok || !strings.Contains(string(sa), "saukonpaa") {
		t.Error("no term shard holds saukonpaa")
	}
	for _, name := range res.Files.Names() {
		data, _ := res.Files.Get(name)
		if strings.HasPrefix(name, "search/") && bytes.Contains(bytes.ToLower(data), []byte("zebra")) {
			t.Errorf("%s indexes a draft", name)
		}
	}
	assertLines(t, res, "index.html", `<a class="header-search" href="/search/"`)
}
