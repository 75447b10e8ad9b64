package build

// Social cards: after the images (a card is drawn over the cover's card
// crop, already cut at its focus) and before the pages (which name the
// card in og:image), each story, ambassador and contest gets its
// composed card, and the home page its featured story's or the site's.

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image/color"
	"io/fs"
	"net/url"
	"os"
	"path"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/postcard-ssg/postcard/generator/card"
	"github.com/postcard-ssg/postcard/generator/config"
	"github.com/postcard-ssg/postcard/generator/content"
	"github.com/postcard-ssg/postcard/generator/diag"
	"github.com/postcard-ssg/postcard/generator/i18n"
	"github.com/postcard-ssg/postcard/generator/images"
	"github.com/postcard-ssg/postcard/generator/markdown"
	"github.com/postcard-ssg/postcard/generator/render"
	"github.com/postcard-ssg/postcard/generator/site"
	theme "github.com/postcard-ssg/postcard/themes/postcard"
)

// cardJob is one page's card: what to draw, where it is published, and
// what it shows, in words.
type cardJob struct {
	url  string // the page's
	dir  string // the card's folder in the output
	spec card.Spec
	alt  string
	pos  diag.Pos
	// from is the story, ambassador or contest the card draws, and by
	// a story's teller's name, for the next Rebuild (cardMemo).
	from any
	by   string
}

// cardStats says how many cards a build made and how many it composed
// (the rest came from the cache).
type cardStats struct {
	Made, Composed int
	memo           cardMemo // for the next Rebuild
}

// cardMemo holds a build's cards by page URL, for the next Rebuild.
//
// A card is drawn from its story's (ambassador's, contest's) content, the
// teller's name, and what site.toml, the theme's words and fonts say.
// Anything but content changed is a full build, and a Rebuild keeps each
// unchanged entry of content/ as it was read (content.Options.Reuse): so
// a card whose page shows the very content.Story it was drawn from, told
// by the same name, is the card it was, and a Rebuild takes it without
// making its spec, which reads the first lines of the story, or hashing
// it: ten thousand of those cost more than the rest of a rebuild.
type cardMemo map[string]*madeCard

type madeCard struct {
	job  cardJob
	made card.Made
	name string // the card's file
	card render.Card
}

// socialCards composes (or takes from the cache in cacheDir, "" for none)
// the cards of s's pages, adds them to files and returns them by page URL.
//
// prev are the cards of the build a Rebuild starts from, taken from memory
// when they have not changed; a Rebuild leaves the cache's pruning to the
// next full build.
func socialCards(sites []*site.Site, words *i18n.Catalog, th fs.FS, imgs map[string]*images.Image, media *mediaTap, files sink, cacheDir string, prev cardMemo) (map[string]render.Card, cardStats, []*diag.Error, error) {
	var warns []*diag.Error
	fonts, err := card.LoadFonts(theme.Fonts)
	if err != nil {
		return nil, cardStats{}, nil, err
	}
	s := sites[0]
	brand := cardBrand(s.Config, th, &warns)
	jobs, kept := cardJobs(sites, words, brand, imgs, media, prev)
	var specs []card.Spec
	for _, j := range jobs {
		specs = append(specs, j.spec)
	}
	mk := card.NewMaker(fonts, cacheDir)
	// An edit that leaves a card as it was (a story's text under its
	// cover) finds it in memory.
	var known []card.Made
	for _, j := range jobs {
		if c, ok := prev[j.url]; ok {
			known = append(known, c.made)
		}
	}
	mk.Remember(known)
	made, err := mk.Make(specs)
	if err != nil {
		return nil, cardStats{}, warns, err
	}
	if prev == nil {
		if err := mk.Prune(made); err != nil {
			return nil, cardStats{}, warns, err
		}
	}
	out := map[string]render.Card{}
	memo := make(cardMemo, len(jobs)+len(kept))
	for _, c := range kept {
		if _, err := publishCard(files, c.name, c.made); err != nil {
			return nil, cardStats{}, warns, err
		}
		out[c.job.url] = c.card
		memo[c.job.url] = c
	}
	for i, m := range made {
		j := jobs[i]
		if m.Err != nil {
			warns = append(warns, diag.Warningf(j.pos, "social card: %v", m.Err))
		}
		if len(m.Missing) > 0 {
			warns = append(warns, diag.Warningf(j.pos, "social card: no font of the theme has %q; the card shows boxes for them", string(m.Missing)))
		}
		name := path.Join(j.dir, "card-"+m.Key[:8]+m.Ext)
		data, err := publishCard(files, name, m)
		if err != nil {
			return nil, cardStats{}, warns, err
		}
		made[i].Data = data
		out[j.url] = cardOf(name, j.alt)
		j.spec = card.Spec{} // not needed again: the memo keeps what it was drawn from
		memo[j.url] = &madeCard{job: j, made: card.Made{Key: m.Key, Ref: m.Ref, Data: data, Path: m.Path, Ext: m.Ext}, name: name, card: out[j.url]}
	}
	// Each language's home page shares its featured story's card, or the
	// site's.
	for _, s := range sites {
		if len(s.Featured) > 0 {
			if c, ok := out[s.Featured[0].URL]; ok {
				out[s.Prefix+"/"] = c
			}
		}
	}
	return out, cardStats{Made: len(made) + len(kept), Composed: mk.Composed(), memo: memo}, warns, nil
}

// cardOf is the card published as name, as a page names it.
func cardOf(name, alt string) render.Card {
	u := (&url.URL{Path: "/" + name}).EscapedPath()
	return render.Card{Image: &images.Variant{URL: u, Width: card.Width, Height: card.Height}, Alt: alt}
}

// publishCard adds a card to files: from its bytes, or from its cache
// file by hard link when the sink can link (postcard build's writer), or
// else read back. It returns the bytes when it held or read them, for the
// next Rebuild (the sink holds them in memory then anyway).
func publishCard(files sink, name string, m card.Made) ([]byte, error) {
	if m.Data != nil {
		return m.Data, files.WriteFile(name, m.Data)
	}
	if ls, ok := files.(images.LinkSink); ok {
		return nil, ls.LinkFile(name, m.Path)
	}
	data, err := os.ReadFile(m.Path)
	if err != nil {
		return nil, fmt.Errorf("card cache: %w", err)
	}
	return data, files.WriteFile(name, data)
}

// cardBrand is site.toml's brand as cards draw it. An SVG logo cannot be
// drawn without a renderer of SVG, so such a site's cards carry its name.
func cardBrand(cfg *config.Config, th fs.FS, warns *[]*diag.Error) card.Brand {
	b := card.Brand{Name: cfg.Title}
	fallback := config.Default().Brand
	pick := func(s, def string) color.NRGBA {
		c, ok := card.ParseColor(s)
		if !ok {
			c, _ = card.ParseColor(def)
		}
		return c
	}
	b.Primary = pick(cfg.Brand.Primary, fallback.Primary)
	b.Accent = pick(cfg.Brand.Accent, fallback.Accent)
	b.Background = pick(cfg.Brand.Background, fallback.Background)
	b.Text = pick(cfg.Brand.Text, fallback.Text)
	if logo := cfg.Brand.Logo; logo != "" {
		switch strings.ToLower(path.Ext(logo)) {
		case ".png", ".jpg", ".jpeg", ".gif":
			data, err := fs.ReadFile(th, path.Join("static", logo))
			if err != nil {
				*warns = append(*warns, diag.Warningf(diag.Pos{File: config.FileName}, "social cards: reading the logo: %v; the cards carry the site's name", err))
			} else {
				b.Logo = data
			}
		}
	}
	return b
}

// cardWords are the words a card and its description add to the
// content's own. They are English today; with languages, each language's
// theme strings fill them, and each page's card is composed per language
// from the same functions below.
type cardWords struct {
	Lang                      string // the BCP 47 tag the texts are in
	By                        string // "by %s"
	Ambassador, Contest       string
	Entries, Voting           string
	CoverAlt, TypographicAlt  string // "%[1]s: cover alt, %[2]s: title, %[3]s: by-line", "%[2]s %[3]s %[4]s: site"
	AmbassadorAlt, PortraitOf string
	ContestAlt, SiteAlt       string

	kind func(content.Kind) string // a kind's name; nil: its English name
	date func(time.Time) string    // a day in full; nil: dateRange's English
}

var englishCardWords = cardWords{
	Lang:           "en",
	By:             "by %s",
	Ambassador:     "Ambassador",
	Contest:        "Contest",
	Entries:        "Entries",
	Voting:         "Voting",
	CoverAlt:       "%[1]s, with the title “%[2]s”%[3]s.",
	TypographicAlt: "The title “%[2]s”%[3]s, with its first lines, in the colours of %[4]s.",
	AmbassadorAlt:  "%[1]s, ambassador of %[2]s.",
	PortraitOf:     "%[1]s, ambassador of %[2]s, with their portrait.",
	ContestAlt:     "The contest “%[1]s” of %[2]s, with its dates: %[3]s.",
	SiteAlt:        "The name of %[1]s and what it is about, in its colours.",
}

// cardMedia reads the published images a card is drawn over.
type cardMedia struct {
	imgs  map[string]*images.Image
	files *mediaTap
}

// crop is the bytes of an image's card crop, cut at its focus.
func (m cardMedia) crop(src string) []byte {
	img := m.imgs[src]
	if img == nil || img.Card == nil {
		return nil
	}
	return m.published(img.Card.URL)
}

// portrait is an avatar at a size that fills the card's circle: its
// smallest fallback variant at least 640 pixels wide, or its largest.
func (m cardMedia) portrait(src string) []byte {
	img := m.imgs[src]
	if img == nil || len(img.Sources) == 0 {
		return nil
	}
	vs := img.Fallback().Variants
	if len(vs) == 0 {
		return nil
	}
	v := vs[len(vs)-1]
	for _, c := range vs {
		if c.Width >= 640 {
			v = c
			break
		}
	}
	return m.published(v.URL)
}

func (m cardMedia) published(u string) []byte {
	name, err := url.PathUnescape(strings.TrimPrefix(u, "/"))
	if err != nil {
		return nil
	}
	return m.files.read(name)
}

// cardJobs lists the cards of the sites' pages: those to make, and those
// prev (a Rebuild's) has already, kept.
func cardJobs(sites []*site.Site, words *i18n.Catalog, brand card.Brand, imgs map[string]*images.Image, files *mediaTap, prev cardMemo) (jobs []cardJob, kept []*madeCard) {
	m := cardMedia{imgs, files}
	lv := markdown.LinesVersion()
	// add makes the job of a page drawn from src, unless prev has its card.
	// The jobs are drawn up below, on every core: a story's card shows its
	// first lines, and each is a parse of its body (markdown.Doc keeps no
	// tree).
	type todo struct {
		at   int
		from any
		by   string
		job  func() cardJob
	}
	var draw []todo
	add := func(url string, src any, by string, job func() cardJob) {
		if c, ok := prev[url]; ok && c.job.from == src && c.job.by == by {
			kept = append(kept, c)
			return
		}
		draw = append(draw, todo{len(jobs), src, by, job})
		jobs = append(jobs, cardJob{})
	}
	drawAll := func() {
		var next atomic.Int64
		var wg sync.WaitGroup
		for range min(runtime.GOMAXPROCS(0), len(draw)) {
			wg.Go(func() {
				for i := int(next.Add(1)) - 1; i < len(draw); i = int(next.Add(1)) - 1 {
					d := draw[i]
					j := d.job()
					j.from, j.by = d.from, d.by
					jobs[d.at] = j
				}
			})
		}
		wg.Wait()
	}
	for _, s := range sites {
		lang := cmp.Or(s.Lang, s.Config.Language)
		w := cardWordsIn(words, lang)
		// A text without a translation keeps its own page (and card) in
		// its own language; only this language's pages get cards here.
		own := func(l string) bool { return l == "" || l == lang }
		for _, st := range s.Stories {
			if own(st.Source.Lang) {
				by := ""
				if st.Ambassador != nil {
					by = st.Ambassador.Source.Name
				}
				add(st.URL, st.Source, by, func() cardJob { return storyCard(st, s.Config.Title, brand, w, m, lv) })
			}
		}
		for _, a := range s.Ambassadors {
			if own(a.Source.Lang) {
				add(a.URL, a.Source, "", func() cardJob { return ambassadorCard(a, s.Config.Title, brand, w, m) })
			}
		}
		for _, c := range s.Contests {
			if own(c.Source.Lang) {
				add(c.URL, c.Source, "", func() cardJob { return contestCard(c, s.Config.Title, brand, w, m) })
			}
		}
		if len(s.Featured) == 0 {
			j := siteCard(s.Config, brand, w)
			j.url = s.Prefix + "/"
			j.dir = dirOf(j.url)
			jobs = append(jobs, j)
		}
	}
	drawAll()
	return jobs, kept
}

// cardWordsIn fills the card words from the theme's strings in lang. The
// translation files name their arguments ("{title}"); the cards' format
// strings number them, so each argument is first written as a marker no
// text contains, the rest escaped for fmt, then the markers numbered.
func cardWordsIn(words *i18n.Catalog, lang string) cardWords {
	if words == nil {
		w := englishCardWords
		w.Lang = lang
		return w
	}
	t := words.Translator(lang)
	format := func(key, fallback string, names ...string) string {
		args := map[string]any{}
		for i, n := range names {
			args[n] = fmt.Sprintf("\x00%d\x00", i+1)
		}
		text, err := t.T(key, args)
		if err != nil {
			return fallback
		}
		text = strings.ReplaceAll(text, "%", "%%")
		for i := range names {
			text = strings.ReplaceAll(text, fmt.Sprintf("\x00%d\x00", i+1), fmt.Sprintf("%%[%d]s", i+1))
		}
		return text
	}
	e := englishCardWords
	return cardWords{
		Lang:           lang,
		By:             format("card_by", e.By, "name"),
		Ambassador:     format("ambassador", e.Ambassador),
		Contest:        format("contest", e.Contest),
		Entries:        format("card_entries", e.Entries),
		Voting:         format("card_voting", e.Voting),
		CoverAlt:       format("card_cover_alt", e.CoverAlt, "alt", "title", "by"),
		TypographicAlt: format("card_typographic_alt", e.TypographicAlt, "unused", "title", "by", "site"),
		AmbassadorAlt:  format("card_ambassador_alt", e.AmbassadorAlt, "name", "site"),
		PortraitOf:     format("card_portrait_alt", e.PortraitOf, "name", "site"),
		ContestAlt:     format("card_contest_alt", e.ContestAlt, "title", "site", "dates"),
		SiteAlt:        format("card_site_alt", e.SiteAlt, "site"),
		kind: func(k content.Kind) string {
			if v, err := t.T("kind_" + k.Slug); err == nil {
				return v
			}
			return k.Name
		},
		date: t.Date,
	}
}

func dirOf(u string) string { return strings.Trim(u, "/") }

func storyCard(st *site.Story, siteName string, brand card.Brand, w cardWords, m cardMedia, linesVersion string) cardJob {
	src := st.Source
	label := src.Kind.Name
	if w.kind != nil {
		label = w.kind(src.Kind)
	}
	spec := card.Spec{Kind: card.Story, Title: src.Title, Label: label, Lang: w.Lang, Brand: brand}
	by := ""
	if st.Ambassador != nil {
		spec.Byline = fmt.Sprintf(w.By, st.Ambassador.Source.Name)
		by = ", " + spec.Byline
	}
	alt := fmt.Sprintf(w.TypographicAlt, "", src.Title, by, siteName)
	picture := coverMedia(st)
	if src.Kind.LineBreaks || picture == nil {
		if body, poem := src.Body, src.Kind.LineBreaks; body != nil {
			// The lines are made only when the card is composed; the
			// body's bytes stand for them in its key until then.
			rule := "prose"
			if poem {
				rule = "poem"
			}
			sum := sha256.Sum256(body.Source)
			spec.LinesFrom = &card.LinesSource{
				Key:   rule + " " + linesVersion + " " + hex.EncodeToString(sum[:]),
				Lines: func() ([]string, bool) { return storyLines(body, poem) },
			}
		}
	} else if spec.Image = m.crop(picture.Src); spec.Image != nil {
		alt = fmt.Sprintf(w.CoverAlt, strings.TrimRight(picture.Alt, ". "), src.Title, by)
	}
	return cardJob{url: st.URL, dir: dirOf(st.URL), spec: spec, alt: alt, pos: diag.Pos{File: src.File}}
}

// storyLines are the lines a story's card shows: a poem's first lines,
// or prose's first paragraphs as one, wrapped to the room left.
func storyLines(body *markdown.Doc, poem bool) ([]string, bool) {
	if poem {
		return body.Lines(8)
	}
	if lines, more := body.Lines(12); len(lines) > 0 {
		return []string{strings.Join(lines, " ")}, more
	}
	return nil, false
}

func ambassadorCard(a *site.Ambassador, siteName string, brand card.Brand, w cardWords, m cardMedia) cardJob {
	src := a.Source
	spec := card.Spec{Kind: card.Ambassador, Title: src.Name, Label: w.Ambassador, Byline: src.Bio, Lang: w.Lang, Brand: brand}
	alt := fmt.Sprintf(w.AmbassadorAlt, src.Name, siteName)
	if src.Avatar != nil {
		if spec.Image = m.portrait(src.Avatar.Src); spec.Image != nil {
			alt = fmt.Sprintf(w.PortraitOf, src.Name, siteName)
		}
	}
	return cardJob{url: a.URL, dir: dirOf(a.URL), spec: spec, alt: alt, pos: diag.Pos{File: src.File}}
}

func contestCard(c *site.Contest, siteName string, brand card.Brand, w cardWords, m cardMedia) cardJob {
	src := c.Source
	spec := card.Spec{Kind: card.Contest, Title: src.Title, Label: w.Contest, Lang: w.Lang, Brand: brand,
		Byline: w.Entries + " " + w.dates(src.Opens, src.Closes) + " · " + w.Voting + " " + w.dates(src.VotingOpens, src.VotingCloses)}
	if src.Description != "" {
		spec.Lines = []string{src.Description}
	}
	alt := fmt.Sprintf(w.ContestAlt, src.Title, siteName, spec.Byline)
	if src.Cover != nil {
		if spec.Image = m.crop(src.Cover.Src); spec.Image != nil {
			alt = strings.TrimRight(src.Cover.Alt, ". ") + ". " + alt
		}
	}
	return cardJob{url: c.URL, dir: dirOf(c.URL), spec: spec, alt: alt, pos: diag.Pos{File: src.File}}
}

// siteCard is the home page's when no story is featured.
func siteCard(cfg *config.Config, brand card.Brand, w cardWords) cardJob {
	spec := card.Spec{Kind: card.Story, Title: cfg.Title, Lang: w.Lang, Brand: brand}
	spec.Brand.Name = "" // the title is the name
	if cfg.Description != "" {
		spec.Lines = []string{cfg.Description}
	}
	return cardJob{url: "/", spec: spec, alt: fmt.Sprintf(w.SiteAlt, cfg.Title), pos: diag.Pos{File: config.FileName}}
}

// coverMedia is the picture a story's card shows: its cover, or its first
// gallery image.
func coverMedia(st *site.Story) *content.Media {
	if st.Source.Cover != nil {
		return st.Source.Cover
	}
	if len(st.Source.Gallery) > 0 {
		return st.Source.Gallery[0]
	}
	return nil
}

// dates writes a window: briefly in English, day by day in full in
// another language, with its own month names.
func (w cardWords) dates(a, b time.Time) string {
	if w.date == nil || w.Lang == "en" || strings.HasPrefix(w.Lang, "en-") {
		return dateRange(a, b)
	}
	if a.IsZero() || b.IsZero() {
		return ""
	}
	return w.date(a) + " – " + w.date(b)
}

// dateRange writes two days briefly: "1–14 Aug 2026", "1 Jun – 31 Jul
// 2026", "20 Dec 2026 – 6 Jan 2027".
func dateRange(a, b time.Time) string {
	switch {
	case a.IsZero() || b.IsZero():
		return ""
	case a.Year() != b.Year():
		return a.Format("2 Jan 2006") + " – " + b.Format("2 Jan 2006")
	case a.Month() != b.Month():
		return a.Format("2 Jan") + " – " + b.Format("2 Jan 2006")
	case a.Day() != b.Day():
		return a.Format("2") + "–" + b.Format("2 Jan 2006")
	}
	return a.Format("2 Jan 2006")
}

// mediaTap stands between the image pipeline and the build's sink and
// remembers where each published image can be read back, for the cards
// drawn over covers and portraits: the cache file a LinkSink published it
// from (no bytes held), or the bytes it was handed when there is no cache
// or the sink cannot link.
type mediaTap struct {
	sink
	mu     sync.Mutex
	data   map[string][]byte
	linked map[string]string
}

func newMediaTap(to sink) *mediaTap {
	return &mediaTap{sink: to, data: map[string][]byte{}, linked: map[string]string{}}
}

func (t *mediaTap) WriteFile(name string, data []byte) error {
	t.mu.Lock()
	t.data[name] = data
	t.mu.Unlock()
	return t.sink.WriteFile(name, data)
}

// errCannotLink makes the image pipeline hand over the bytes instead.
var errCannotLink = errors.New("this sink cannot link files")

func (t *mediaTap) LinkFile(name, cached string) error {
	ls, ok := t.sink.(images.LinkSink)
	if !ok {
		return errCannotLink
	}
	if err := ls.LinkFile(name, cached); err != nil {
		return err
	}
	t.mu.Lock()
	t.linked[name] = cached
	t.mu.Unlock()
	return nil
}

// read returns a published image's bytes, or nil when it was not published.
func (t *mediaTap) read(name string) []byte {
	t.mu.Lock()
	b, ok := t.data[name]
	p := t.linked[name]
	t.mu.Unlock()
	if ok {
		return b
	}
	if p == "" {
		return nil
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil
	}
	return b
}
