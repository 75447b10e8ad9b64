// Package render turns the site model into files: HTML pages from the
// theme's html/template layouts, feeds, the sitemap and robots.txt.
//
// It runs after the image pipeline, so every page knows the responsive
// variants, sizes and placeholders of its images, and story bodies are
// rendered here, through the Markdown render hooks, with that knowledge.
// Rendering never reads content or configuration files; it only reads the
// model and the theme.
package render

import (
	"cmp"
	"html/template"
	"net/url"
	"path"
	"strings"
	"sync/atomic"
	"time"

	"github.com/postcard-ssg/postcard/generator/assets"
	"github.com/postcard-ssg/postcard/generator/i18n"
	"github.com/postcard-ssg/postcard/generator/images"
	"github.com/postcard-ssg/postcard/generator/markdown"
	"github.com/postcard-ssg/postcard/generator/overlay"
	"github.com/postcard-ssg/postcard/generator/site"
)

// Sink receives the rendered files (an output.Set or output.Writer). It
// must be safe for concurrent use: pages are written from several
// goroutines.
type Sink interface {
	WriteFile(name string, data []byte) error
}

// Options is what a render needs.
type Options struct {
	// Site is the site model in the default language; Sites are the
	// models of every language, the default first (empty: Site alone).
	Site  *site.Site
	Sites []*site.Site
	// Theme holds layouts/ and static/: the site's files over its theme's.
	Theme    *overlay.FS
	Images   map[string]*images.Image // by source path
	Markdown *markdown.Markdown
	Assets   assets.Assets
	// I18n holds the theme's translation strings; nil loads them from Theme.
	I18n *i18n.Catalog
	// Version is Postcard's version, for the generator meta tag.
	Version string
	// Cards are the composed social cards, by page URL.
	Cards map[string]Card
	// Since, when set, renders only the HTML pages, feeds and sitemap an
	// edit since that render can change: the others are left out of the
	// sink (Stats.Kept names their files, which the caller keeps from the
	// last render), though pages still count in the sitemap and
	// translation links. Search indexes (built from the last render's,
	// Since.Memo) and static files are always written. Nil renders
	// everything.
	Since *Since
	// Remember keeps Stats.Memo for the next render (Since.Memo). A
	// render that has no next one lets what is in it go as soon as it is
	// done with it: the search texts and indexes once the pages are
	// planned, the feed items' HTML once the feeds are made, which on
	// 10,000 stories is some 70 MB less held while the pages are executed.
	Remember bool
}

// Stats counts what a render produced.
type Stats struct {
	Pages int
	// Rendered lists the URL of each HTML page rendered, in order.
	Rendered []string
	// Kept lists the files Options.Since left out, KeptPages how many
	// of them are pages.
	Kept      []string
	KeptPages int
	// Shown sums up, by page URL (and by feed and sitemap file), what
	// each shows (a digest), and Memo keeps what the next render can
	// start from, for the next render's Since (nil unless
	// Options.Remember).
	Shown map[string]string
	Memo  *Memo
}

// renderer makes the pages of one language (Site); in gives the one of
// another language, sharing the render's state.
type renderer struct {
	Options
	*state
	// menu and feedLinks are the language's, the same on each of its
	// pages.
	menu      []MenuItem
	feedLinks []Feed
}

// state is what the renderers of every language share. Planning (pages,
// search) runs on one goroutine and is the only writer. Then flush's
// goroutine hands the pages out and records stats and written, the
// planning goroutine makes the feeds (items), and the workers only read
// (pipeline.go); the sink and partials are safe for concurrent use.
type state struct {
	tpls  map[string]map[string]*template.Template // language -> layout -> template
	tr    map[string]*i18n.Translator
	sink  Sink
	stats Stats
	// written lists the HTML pages in the order they were rendered.
	written []string
	// queue holds the pages planned and not yet executed: every
	// language's pages are known before any is written, so each can link
	// the others.
	queue []queued
	// prefix is each language's URL folder.
	prefix map[string]string
	// langOf is the language of each page path written.
	langOf map[string]string
	// searchManifest is the URL of each language's search index
	// manifest (search.go).
	searchManifest map[string]string
	// stop tells flush to hand out no more pages: the render failed.
	stop atomic.Bool
	// want is whether each page is rendered (only.go), and filterSig
	// each language's filters, summed up.
	want      map[string]bool
	filterSig map[string]string
	sigBuf    []byte // decide's
	// changed are the stories of changedIn that Since.Changed names.
	changedIn *site.Site
	changed   map[*site.Story]bool
	// keptFeeds are the feed files Since left out (feeds.go), for
	// Stats.Kept once the pages are executed.
	keptFeeds []string
	// items are the feed items' HTML, by story (feeds.go).
	items map[*site.Story]string
	// partials are the partials layouts show with partialCached.
	partials *partials
	// plan keeps the planned pages for Memo.Patch (Options.Remember).
	plan *plan
}

// queued is a planned page: what it is and where it goes, known when
// it is planned, and fill, which adds what is costly to hold (its
// rendered body, its structured data) just before it is executed.
type queued struct {
	layout, file string
	page         *Page
	fill         func(*Page)
}

func (r *renderer) pagesWritten() []string { return r.written }

// Render writes every page, feed and index of the site to sink.
func Render(o Options, sink Sink) (Stats, error) {
	if len(o.Sites) == 0 {
		o.Sites = []*site.Site{o.Site}
	}
	// The last render's page count sizes the maps every page enters, so
	// that a rebuild does not grow them page by page.
	n := 0
	if o.Since != nil {
		n = len(o.Since.Shown)
	}
	r := &renderer{Options: o, state: &state{sink: sink, langOf: make(map[string]string, n), searchManifest: map[string]string{},
		want: make(map[string]bool, n), filterSig: map[string]string{}}}
	r.stats.Shown = make(map[string]string, n)
	r.stats.Memo = newMemo()
	if o.Remember {
		r.plan = &plan{lists: map[*site.Story][]int32{}}
	}
	if err := r.languages(); err != nil {
		return Stats{}, err
	}
	if err := r.static(); err != nil {
		return r.stats, err
	}
	var langs []*renderer
	for _, s := range o.Sites {
		l := r.in(s)
		langs = append(langs, l)
		for _, step := range []func() error{l.pages, l.search, l.submitPages} {
			if err := step(); err != nil {
				return r.stats, err
			}
		}
	}
	if !o.Remember {
		// Every language's pages and index are planned: the texts and
		// indexes in the memo are garbage now, and the feed items'
		// HTML will be once the feeds are made (items).
		r.stats.Memo = nil
	}
	r = r.in(o.Sites[0])
	if r.plan != nil {
		r.plan.r, r.plan.langs, r.plan.queue = r, langs, r.queue
	}
	// The feeds are made while the pages are executed: on a large site
	// they take seconds of one core, which would otherwise leave the
	// others idle. (The search indexes are made before: they need much
	// memory for a moment, which is better not added to the pages'.)
	flushed := make(chan error, 1)
	go func() { flushed <- r.flush() }()
	var err error
	for _, l := range langs {
		if err = l.feeds(); err != nil {
			r.stop.Store(true)
			break
		}
	}
	// The feed items' HTML is not for the pages: let it go while they
	// are executed.
	r.items = nil
	if ferr := <-flushed; err == nil {
		err = ferr
	}
	// flush's goroutine names the pages it left out in Stats.Kept while
	// the feeds are made: the feeds left out join them once it is done.
	r.stats.Kept = append(r.stats.Kept, r.keptFeeds...)
	if err != nil {
		return r.stats, err
	}
	for _, step := range []func() error{r.sitemap, r.robots} {
		if err := step(); err != nil {
			return r.stats, err
		}
	}
	if r.plan != nil {
		r.stats.Memo.plan, r.stats.Memo.shown = r.plan, r.stats.Shown
		r.plan = nil
	}
	return r.stats, nil
}

// in is the renderer of s, one language of the site. The pages it plans
// keep it, and are executed once every language is planned.
func (r *renderer) in(s *site.Site) *renderer {
	l := &renderer{Options: r.Options, state: r.state}
	l.Site = s
	lang := l.lang()
	l.menu = l.menuItems()
	l.feedLinks = []Feed{
		{"application/rss+xml", s.Config.Title + " (RSS)", l.rel(lang, "/feed.xml")},
		{"application/atom+xml", s.Config.Title + " (Atom)", l.rel(lang, "/atom.xml")},
		{"application/feed+json", s.Config.Title + " (JSON Feed)", l.rel(lang, "/feed.json")},
	}
	return l
}

// Page is what a layout receives.
type Page struct {
	Site *site.Site
	// Lang is the page's language, for <html lang> and its words.
	Lang        string
	Kind        string // home, story, gallery, ambassador, ambassadors, contest, contests, taxonomy, term, page, 404
	Title       string
	Description string
	URL         string // path, "/stories/x/"
	Canonical   string // absolute
	Image       *images.Variant
	ImageAlt    string
	Body        template.HTML
	NoIndex     bool
	Story       *site.Story
	Ambassador  *site.Ambassador
	Contest     *site.Contest
	Taxonomy    *site.Taxonomy
	Term        *site.Term
	Pager       *site.Pager
	Page        *site.Page
	Submit      *SubmitForm // the submission form's rules, on submit and thanks
	Feeds       []Feed
	// Menu is the language's menu: site.toml's entries for it, or the
	// pages whose front matter puts them in the menu.
	Menu []MenuItem
	// MenuCurrent is the page's URL when a menu item links to it, else
	// empty: the one thing the menu shows of the page it is on.
	MenuCurrent string
	// Translations are the page in every language it exists in, itself
	// included, for hreflang links; empty on a site of one language.
	Translations []Alternate
	// XDefault is the page in the default language, for hreflang
	// x-default, when it has one there and the site has several languages.
	XDefault string
	// Languages offer every language to switch to: the page's translation,
	// or that language's home when it has none.
	Languages []Alternate
	JSONLD    []any
	Assets    assets.Assets
	Now       time.Time
	Version   string
}

// Feed is an alternate link to a feed.
type Feed struct {
	Type, Title, URL string
}

func (r *renderer) abs(p string) string {
	base := r.Site.Config.BaseURL
	u, err := url.Parse(p)
	if err != nil || u.IsAbs() {
		return p
	}
	return base.ResolveReference(&url.URL{Path: strings.TrimPrefix(u.Path, "/"), RawQuery: u.RawQuery, Fragment: u.Fragment}).String()
}

// newPage is a page of the language being planned. Its menu and feeds
// are shared with the language's other pages: layouts only read them.
func (r *renderer) newPage(kind, title, description, urlPath string) *Page {
	p := r.pageAt(kind, urlPath)
	r.describe(p, title, description)
	return p
}

// pageAt is a page of the language being planned with only what planning
// reads of it (its kind, URL and language; the caller adds what it shows,
// which decide reads); describe adds the rest in the page's fill, on the
// worker that executes it. A dev server's rebuild plans every page of the
// site and executes a few: the titles, descriptions and addresses of the
// others are not worth making.
func (r *renderer) pageAt(kind, urlPath string) *Page {
	return &Page{Kind: kind, URL: urlPath, Lang: r.lang()}
}

// describe gives p its title and description and what every page of the
// language shows.
func (r *renderer) describe(p *Page, title, description string) {
	for _, m := range r.menu {
		if m.URL == p.URL {
			p.MenuCurrent = p.URL
			break
		}
	}
	p.Menu = r.menu
	p.Site = r.Site
	p.Title = title
	p.Description = cmp.Or(description, r.Site.Config.Description)
	p.Canonical = r.abs(p.URL)
	p.Assets = r.Assets
	p.Now = r.Site.Now
	p.Version = r.Version
	p.Feeds = r.feedLinks
}

// execute plans layout for p, to be written into the file for p.URL once
// every language's pages are known; fill, when set, adds the rest of p
// just before it is executed.
func (r *renderer) execute(layout string, p *Page, file string, fill func(*Page)) error {
	if file == "" {
		file = strings.TrimPrefix(path.Join(p.URL, "index.html"), "/")
	}
	r.langOf[p.URL] = p.Lang
	r.decide(p)
	if r.plan != nil {
		stories, listed := r.shows(p)
		r.plan.record(len(r.queue), stories, listed)
	}
	r.queue = append(r.queue, queued{layout, file, p, fill})
	return nil
}

// static copies the theme's and the site's static/ files, the site's
// winning. They are the destination's own files (logo, icons), published as
// they are; contributors' media never goes through static/.
func (r *renderer) static() error {
	files, err := list(r.Theme, "static")
	if err != nil {
		return err
	}
	for _, f := range files {
		b, _, err := read(r.Theme, "static/"+f)
		if err != nil {
			return err
		}
		if err := r.sink.WriteFile(f, b); err != nil {
			return err
		}
	}
	return nil
}
