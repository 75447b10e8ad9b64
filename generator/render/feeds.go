package render

import (
	"crypto/sha256"
	"encoding/json"
	"encoding/xml"
	"html"
	"slices"
	"strings"
	"time"

	"github.com/postcard-ssg/postcard/generator/markdown"
	"github.com/postcard-ssg/postcard/generator/site"
)

// feedLimit is how many of the newest stories a feed carries.
const feedLimit = 50

// feed is what the three feed formats share.
type feed struct {
	title, description, link, self string // self: the feed's folder, "/" or "/ambassadors/x/"
	stories                        []*site.Story
}

// homeFeed is the language's feed of its newest stories.
func (r *renderer) homeFeed() feed {
	cfg := r.Site.Config
	home := r.rel(r.lang(), "/")
	return feed{title: cfg.Title, description: cfg.Description, link: home, self: home, stories: newest(r.published(r.Site.Stories))}
}

// ambassadorFeed is the feed of the newest stories a told.
func (r *renderer) ambassadorFeed(a *site.Ambassador) feed {
	return feed{
		title:       a.Source.Name + " · " + r.Site.Config.Title,
		description: a.Source.Bio,
		link:        a.URL,
		self:        a.URL,
		stories:     newest(r.published(a.Stories)),
	}
}

// newest cuts a feed's stories, newest first, to feedLimit.
func newest(stories []*site.Story) []*site.Story {
	if len(stories) > feedLimit {
		return stories[:feedLimit]
	}
	return stories
}

func (r *renderer) feeds() error {
	feeds := []feed{r.homeFeed()}
	for _, a := range r.Site.Ambassadors {
		if r.own(a.Source.Lang) {
			feeds = append(feeds, r.ambassadorFeed(a))
		}
	}
	for _, f := range feeds {
		dir := strings.TrimPrefix(f.self, "/")
		if !r.feedChanged(f, dir) {
			for _, name := range []string{"feed.xml", "atom.xml", "feed.json"} {
				r.keptFeeds = append(r.keptFeeds, dir+name)
			}
			// Its items stay in the memo for the next feed that shows them.
			for _, st := range f.stories {
				if r.stats.Memo == nil {
					break // this render keeps no memo (Options.Remember)
				}
				key := itemKey{st.Source, st.URL}
				if h, ok := r.Since.Memo.items[key]; ok {
					r.stats.Memo.items[key] = h
				}
			}
			continue
		}
		if err := r.writeFeed(f); err != nil {
			return err
		}
	}
	return nil
}

// feedNames are the files of a feed, in its folder.
var feedNames = []string{"feed.xml", "atom.xml", "feed.json"}

// writeFeed writes the feed f in its three formats.
func (r *renderer) writeFeed(f feed) error {
	dir := strings.TrimPrefix(f.self, "/")
	for _, out := range []struct {
		name string
		fn   func(feed) ([]byte, error)
	}{{feedNames[0], r.rss}, {feedNames[1], r.atom}, {feedNames[2], r.jsonFeed}} {
		b, err := out.fn(f)
		if err != nil {
			return err
		}
		if err := r.sink.WriteFile(dir+out.name, b); err != nil {
			return err
		}
	}
	return nil
}

// patchFeeds writes, for Memo.Patch, the feeds of the language that
// carry a story of stories, whose text changed: the language's own and
// their tellers'. What each feed shows of the site did not change, so
// the others are named in keptFeeds without a digest made.
func (r *renderer) patchFeeds(stories []*site.Story) error {
	tellers := map[*site.Ambassador]bool{}
	for _, st := range stories {
		if st.Ambassador != nil {
			tellers[st.Ambassador] = true
		}
	}
	write := func(f feed) error {
		if slices.ContainsFunc(f.stories, r.isChanged) {
			return r.writeFeed(f)
		}
		dir := strings.TrimPrefix(f.self, "/")
		for _, name := range feedNames {
			r.keptFeeds = append(r.keptFeeds, dir+name)
		}
		return nil
	}
	if err := write(r.homeFeed()); err != nil {
		return err
	}
	for _, a := range r.Site.Ambassadors {
		if !r.own(a.Source.Lang) {
			continue
		}
		f := feed{self: a.URL} // carries no changed story: kept
		if tellers[a] {
			f = r.ambassadorFeed(a)
		}
		if err := write(f); err != nil {
			return err
		}
	}
	return nil
}

// feedChanged reports whether the feed f, published in dir, is to be
// written: on a full render, or when Options.Since says it shows a story
// that changed, or what it shows besides its stories' files (which
// stories, their tellers, their tags' names, its own title) is not what it
// showed. Otherwise its files are left out as unchanged pages are
// (Stats.Kept). It records what the feed shows in Stats.Shown.
func (r *renderer) feedChanged(f feed, dir string) bool {
	var b strings.Builder
	cfg := r.Site.Config
	for _, s := range []string{cfg.Title, cfg.Description, cfg.Language, cfg.BaseURL.String(), f.title, f.description, f.link, f.self} {
		b.WriteString(s + "\x00")
	}
	changed := false
	for _, st := range f.stories {
		b.WriteString("|" + st.URL)
		if a := st.Ambassador; a != nil {
			b.WriteString("\x00" + a.Source.Name + "\x00" + a.URL)
		}
		for _, t := range st.Tags {
			b.WriteString("\x00" + t.Name)
		}
		changed = changed || r.isChanged(st)
	}
	sum := sha256.Sum256([]byte(b.String()))
	sig := string(sum[:16])
	key := dir + "feed.xml"
	r.stats.Shown[key] = sig
	return r.Since == nil || r.Since.Memo == nil || changed || r.Since.Shown[key] != sig
}

// published leaves drafts out: feeds are for the world, even in a preview.
// A language's feeds carry the stories written in it: a feed reader shows
// an item's text without a voice to switch to another language.
func (r *renderer) published(in []*site.Story) []*site.Story {
	var out []*site.Story
	for _, st := range in {
		if !st.Draft && r.own(st.Source.Lang) {
			out = append(out, st)
		}
	}
	return out
}

func (r *renderer) itemHTML(st *site.Story) string {
	// A story is an item of its language's feed and its ambassador's, in
	// three formats each: its HTML is made once per render.
	if h, ok := r.items[st]; ok {
		return h
	}
	// And once for as long as its files do not change: an item is made
	// from the story's content.Story, which a Rebuild keeps while they
	// do not, its URL, and what only a full build changes (the base URL,
	// the image settings).
	key := itemKey{st.Source, st.URL}
	h, ok := "", false
	if r.Since != nil && r.Since.Memo != nil {
		h, ok = r.Since.Memo.items[key]
	}
	if !ok {
		h = r.makeItemHTML(st)
	}
	if r.stats.Memo != nil {
		r.stats.Memo.items[key] = h
	}
	if r.items == nil {
		r.items = map[*site.Story]string{}
	}
	r.items[st] = h
	return h
}

func (r *renderer) makeItemHTML(st *site.Story) string {
	var b strings.Builder
	for _, m := range coverOf(st) {
		if img := r.Images[m.Src]; img != nil {
			b.WriteString("<p>" + string(feedImage(img, m.Alt, r.abs)) + "</p>")
		}
	}
	b.WriteString(string(r.body(st.Source.Body, st.Source.BodyImages, st.Source.Kind.LineBreaks, func(dest string) string {
		return r.feedURL(st.URL, dest)
	})))
	if st.Source.Rights.Credit != "" {
		b.WriteString("<p><small>" + escapeHTML(st.Source.Rights.Credit) + " · " + escapeHTML(st.Source.Rights.License) + "</small></p>")
	}
	return b.String()
}

// feedURL makes a body's destination absolute for feed readers, which have
// no page to resolve it against: a path, #fragment or ?query is taken from the story's page (base),
// a protocol-relative //host link gets https:, and what is already absolute
// is kept. The Markdown renderer decides on dest before and on the result
// after; feeds are written without html/template's URL filter.
func (r *renderer) feedURL(base, dest string) string {
	switch markdown.ClassifyURL(dest) {
	case markdown.URLLocal:
		if strings.HasPrefix(dest, "/") {
			return r.abs(dest)
		}
		return r.abs(base + dest)
	case markdown.URLExternal:
		if strings.HasPrefix(dest, "//") {
			return "https:" + dest
		}
		return dest
	case markdown.URLMail:
		return dest
	}
	return ""
}

// htmlEscaper and rssEscaper are made once: a Replacer is safe for
// concurrent use, and making one costs more than the few bytes a feed
// item's credit or title asks of it.
var (
	htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
	rssEscaper  = strings.NewReplacer("&amp;", "&#x26;", "&lt;", "&#x3C;", "&gt;", "&#x3E;")
)

func escapeHTML(s string) string { return htmlEscaper.Replace(s) }

func updated(stories []*site.Story) time.Time {
	var t time.Time
	for _, st := range stories {
		if st.Source.Date.After(t) {
			t = st.Source.Date
		}
	}
	return t
}

type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title       rssText   `xml:"title"`
	Link        string    `xml:"link"`
	Description string    `xml:"description"`
	Language    string    `xml:"language"`
	LastBuild   string    `xml:"lastBuildDate,omitempty"`
	Self        atomLink  `xml:"atom:link"`
	Generator   string    `xml:"generator"`
	Items       []rssItem `xml:"item"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
}

type rssItem struct {
	Title       rssText   `xml:"title"`
	Link        string    `xml:"link"`
	GUID        rssGUID   `xml:"guid"`
	PubDate     string    `xml:"pubDate"`
	Author      *rssText  `xml:"dc:creator,omitempty"`
	Categories  []rssText `xml:"category"`
	Description string    `xml:"description"`
}

// rssText is plain text in an RSS element other than a description. RSS
// never said whether such elements hold HTML, and readers differ: some
// show a title as text, some render it as HTML, so "<b>" escaped once as
// &lt;b&gt; turns bold in the second kind. The RSS Advisory Board's Best
// Practices Profile (https://www.rssboard.org/rss-profile, "Character
// Data") has publishers write "&", "<" and ">" in plain text as the
// hexadecimal character references &#x26;, &#x3C; and &#x3E;, the one
// encoding readers of both kinds show as the characters themselves.
type rssText struct {
	XML string `xml:",innerxml"`
}

// plainText encodes s for an rssText element, dropping what XML cannot
// carry as encoding/xml does.
func plainText(s string) rssText {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder does not fail
	return rssText{XML: rssEscaper.Replace(b.String())}
}

type rssGUID struct {
	Value     string `xml:",chardata"`
	Permalink bool   `xml:"isPermaLink,attr"`
}

func (r *renderer) rss(f feed) ([]byte, error) {
	doc := rssDoc{Version: "2.0", Atom: "http://www.w3.org/2005/Atom", Channel: rssChannel{
		Title: plainText(f.title),
		Link:  r.abs(f.link),
		// RSS readers render a description as HTML, and this one is plain
		// text from content (an ambassador's bio): escape it as HTML so
		// that markup in it stays text.
		Description: html.EscapeString(f.description),
		Language:    r.Site.Config.Language,
		Self:        atomLink{Href: r.abs(f.self + "feed.xml"), Rel: "self", Type: "application/rss+xml"},
		Generator:   "Postcard",
	}}
	if u := updated(f.stories); !u.IsZero() {
		doc.Channel.LastBuild = u.Format(time.RFC1123Z)
	}
	for _, st := range f.stories {
		it := rssItem{
			Title:       plainText(st.Source.Title),
			Link:        r.abs(st.URL),
			GUID:        rssGUID{Value: r.abs(st.URL), Permalink: true},
			PubDate:     st.Source.Date.Format(time.RFC1123Z),
			Description: r.itemHTML(st),
		}
		if st.Ambassador != nil {
			name := plainText(st.Ambassador.Source.Name)
			it.Author = &name
		}
		for _, t := range st.Tags {
			it.Categories = append(it.Categories, plainText(t.Name))
		}
		doc.Channel.Items = append(doc.Channel.Items, it)
	}
	b, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	// dc:creator needs its namespace on the root element.
	out := strings.Replace(string(b), `<rss version="2.0"`, `<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"`, 1)
	return []byte(xml.Header + out + "\n"), nil
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Sub     string      `xml:"subtitle,omitempty"`
	Gen     string      `xml:"generator"`
	Entries []atomEntry `xml:"entry"`
}

type atomEntry struct {
	Title     string      `xml:"title"`
	ID        string      `xml:"id"`
	Link      atomLink    `xml:"link"`
	Published string      `xml:"published"`
	Updated   string      `xml:"updated"`
	Author    *atomAuthor `xml:"author,omitempty"`
	Rights    string      `xml:"rights,omitempty"`
	Content   atomContent `xml:"content"`
}

type atomAuthor struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomContent struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

func (r *renderer) atom(f feed) ([]byte, error) {
	up := updated(f.stories)
	if up.IsZero() {
		up = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	doc := atomFeed{
		Lang:    r.Site.Config.Language,
		Title:   f.title,
		ID:      r.abs(f.link),
		Updated: up.Format(time.RFC3339),
		Sub:     f.description,
		Gen:     "Postcard",
		Links: []atomLink{
			{Href: r.abs(f.self + "atom.xml"), Rel: "self", Type: "application/atom+xml"},
			{Href: r.abs(f.link), Rel: "alternate", Type: "text/html"},
		},
	}
	for _, st := range f.stories {
		e := atomEntry{
			Title:     st.Source.Title,
			ID:        r.abs(st.URL),
			Link:      atomLink{Href: r.abs(st.URL), Rel: "alternate", Type: "text/html"},
			Published: st.Source.Date.Format(time.RFC3339),
			Updated:   st.Source.Date.Format(time.RFC3339),
			Rights:    strings.TrimSpace(st.Source.Rights.Credit + " " + st.Source.Rights.License),
			Content:   atomContent{Type: "html", Value: r.itemHTML(st)},
		}
		if st.Ambassador != nil {
			e.Author = &atomAuthor{Name: st.Ambassador.Source.Name, URI: r.abs(st.Ambassador.URL)}
		}
		doc.Entries = append(doc.Entries, e)
	}
	b, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return []byte(xml.Header + string(b) + "\n"), nil
}

type jsonFeedDoc struct {
	Version     string         `json:"version"`
	Title       string         `json:"title"`
	HomePage    string         `json:"home_page_url"`
	FeedURL     string         `json:"feed_url"`
	Description string         `json:"description,omitempty"`
	Language    string         `json:"language"`
	Items       []jsonFeedItem `json:"items"`
}

type jsonFeedItem struct {
	ID            string           `json:"id"`
	URL           string           `json:"url"`
	Title         string           `json:"title"`
	ContentHTML   string           `json:"content_html"`
	Summary       string           `json:"summary,omitempty"`
	Image         string           `json:"image,omitempty"`
	DatePublished string           `json:"date_published"`
	Authors       []jsonFeedAuthor `json:"authors,omitempty"`
	Tags          []string         `json:"tags,omitempty"`
}

type jsonFeedAuthor struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

func (r *renderer) jsonFeed(f feed) ([]byte, error) {
	doc := jsonFeedDoc{
		Version:     "https://jsonfeed.org/version/1.1",
		Title:       f.title,
		HomePage:    r.abs(f.link),
		FeedURL:     r.abs(f.self + "feed.json"),
		Description: f.description, // plain text in a JSON Feed
		Language:    r.Site.Config.Language,
		Items:       []jsonFeedItem{},
	}
	for _, st := range f.stories {
		it := jsonFeedItem{
			ID:            r.abs(st.URL),
			URL:           r.abs(st.URL),
			Title:         st.Source.Title,
			ContentHTML:   r.itemHTML(st),
			Summary:       cmpDesc(st.Source.Description, st.Source.Body),
			DatePublished: st.Source.Date.Format(time.RFC3339),
		}
		if img, _ := r.card(st); img != nil {
			it.Image = r.abs(img.URL)
		}
		if st.Ambassador != nil {
			it.Authors = []jsonFeedAuthor{{Name: st.Ambassador.Source.Name, URL: r.abs(st.Ambassador.URL)}}
		}
		for _, t := range st.Tags {
			it.Tags = append(it.Tags, t.Name)
		}
		doc.Items = append(doc.Items, it)
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
