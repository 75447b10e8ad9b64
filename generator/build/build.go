// Package build runs Postcard's pipeline in order:
//
//	config → content → site model → images → assets → render → output, function
//
// It is the only package that knows every stage, and the only one the
// command line builds with: Run makes the site in memory (the dev server
// serves that), Check validates it and keeps nothing, and Write makes it and
// puts it on disk: the static site in its destination, and the contest
// manifest and the compiled voting function in the site's functions-dist/
// (vote.DistDir), where every command that reads them looks. A stage's
// problems are collected with those of the stages it could still run, so
// one run shows as many mistakes as possible.
package build

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/postcard-ssg/postcard/functions/vote"
	"github.com/postcard-ssg/postcard/generator/assets"
	"github.com/postcard-ssg/postcard/generator/config"
	"github.com/postcard-ssg/postcard/generator/confine"
	"github.com/postcard-ssg/postcard/generator/content"
	"github.com/postcard-ssg/postcard/generator/diag"
	"github.com/postcard-ssg/postcard/generator/i18n"
	"github.com/postcard-ssg/postcard/generator/images"
	"github.com/postcard-ssg/postcard/generator/markdown"
	"github.com/postcard-ssg/postcard/generator/output"
	"github.com/postcard-ssg/postcard/generator/overlay"
	"github.com/postcard-ssg/postcard/generator/render"
	"github.com/postcard-ssg/postcard/generator/results"
	"github.com/postcard-ssg/postcard/generator/site"
	theme "github.com/postcard-ssg/postcard/themes/postcard"
)

// CacheDir is the folder, under the site root, where processed images,
// compiled assets and the compiled voting function are kept between
// builds. It is safe to delete.
const CacheDir = ".postcard-cache"

// Options choose what a build does.
type Options struct {
	// Source is the site's folder.
	Source string
	// BaseURL, when set, replaces site.toml's base_url.
	BaseURL string
	// Drafts also renders submitted stories, marked as drafts.
	Drafts bool
	// Now is the build's clock: contest phases, consent checks.
	Now time.Time
	// Version is Postcard's version.
	Version string
	// NoCache turns the build cache (CacheDir) off: images are processed,
	// assets and the voting function compiled, on every build.
	NoCache bool
	// Progress, when set, is told how far image processing is.
	Progress func(done, total int)
	// Results is a CSV of final vote counts (as `postcard votes export`
	// writes them) to bake into contests whose voting has closed.
	Results string

	// Remember keeps what a later Rebuild of the site reuses (each
	// entry of content/ as read, the search indexes, the feed items), at
	// some cost in memory: the dev server sets it.
	Remember bool

	// since, set by Rebuild, renders only the pages an edit can change;
	// changed are the paths the edit changed, and prevContent and
	// prevCards the last build's content and social cards.
	since       *render.Since
	changed     []string
	prevContent *content.Content
	prevCards   cardMemo
	// incr, set by Write, renders only the pages that changed since the
	// last build into the same destination (incremental.go).
	incr *incremental
}

// Result is what a build made.
type Result struct {
	Site     *site.Site
	Files    *output.Set
	Manifest *vote.Manifest // the contests the voting function accepts votes for
	Images   int
	Pages    int
	Duration time.Duration
	// Compiled names what this build compiled rather than took from the
	// cache: "assets" (stylesheets and scripts), "function linux/amd64".
	// A build where nothing changed compiles nothing.
	Compiled []string
	// Warnings are problems that do not stop the build, such as a brand
	// colour without enough contrast.
	Warnings []*diag.Error
	// Cards counts the social cards, and CardsComposed those not taken
	// from the cache.
	Cards, CardsComposed int
	// Rendered lists the URLs of the HTML pages this build rendered:
	// every page, or after Rebuild those an edit could change.
	Rendered []string

	// render is the render's record, content what was read and cards
	// the social cards, for the next Rebuild.
	render  render.Stats
	content *content.Content
	cards   cardMemo
	// patch is what a Rebuild after an edit to stories' text alone
	// starts from (patch.go), kept with Options.Remember, and made how
	// many files the build put in Files.
	patch *patchState
	made  int
}

// Run builds the site in o.Source into memory: the pages, assets and
// processed media in Result.Files, and the voting function's manifest. It
// writes nothing but the build cache (CacheDir); Write puts a build on disk.
func Run(ctx context.Context, o Options) (*Result, error) {
	files := output.NewSet()
	res, err := run(ctx, o, func() (sink, error) { return files, nil })
	if res != nil {
		res.Files, res.made = files, files.Len()
	}
	return res, err
}

// sink is where a build's files go: an output.Set in memory, or an
// output.Writer that writes them into the destination as they come.
type sink interface {
	WriteFile(name string, data []byte) error
	AddSource(name string, src output.Source) error
	ConcurrentWrites()
}

// run builds the site into the sink open returns. open is called once the
// site's content is known to be free of mistakes, just before the first
// file is made, so a build stopped by its content opens no destination.
func run(ctx context.Context, o Options, open func() (sink, error)) (*Result, error) {
	start := time.Now()
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	root, err := os.OpenRoot(o.Source)
	if err != nil {
		return nil, fmt.Errorf("opening the site folder: %w", err)
	}
	defer root.Close()
	fsys := root.FS()

	cfg, err := config.Load(fsys)
	if err != nil {
		return nil, err
	}
	if o.BaseURL != "" {
		if cfg, err = withBaseURL(cfg, o.BaseURL); err != nil {
			return nil, err
		}
	}

	var errs diag.List
	md := markdown.New()
	c, err := content.Load(fsys, content.Options{Location: cfg.Timezone, Now: o.Now, Markdown: md, Licences: cfg.Licenses, Languages: cfg.LanguageCodes(),
		Reuse: o.prevContent, Changed: o.changed})
	errs.AddErr(diag.Pos{File: content.Dir}, err)
	var counts results.Results
	if o.Results != "" {
		data, err := os.ReadFile(o.Results)
		if err != nil {
			return nil, fmt.Errorf("reading --results: %w", err)
		}
		if counts, err = results.Parse(o.Results, data); err != nil {
			return nil, err
		}
	}
	so := site.Options{Drafts: o.Drafts, Now: o.Now, Results: counts, Lang: cfg.Language, Default: cfg.Language, Prefixes: prefixes(cfg)}
	s, err := site.Build(cfg, c, so)
	errs.AddErr(diag.Pos{File: content.Dir}, err)
	others, otherWarns := otherLanguages(cfg, c, so, &errs)
	sites := append([]*site.Site{s}, others...)
	// An unreadable image is as much a content mistake as a missing one, so
	// images are processed before giving up, and check does it too; into
	// memory, to be thrown away, when the build has failed already.
	var files sink = output.NewSet()
	reqs, where := imageRequests(sites, &errs)
	if errs.Err() == nil {
		if files, err = open(); err != nil {
			return nil, err
		}
	}
	cacheDir := ""
	if !o.NoCache {
		cacheDir = filepath.Join(o.Source, CacheDir, "images")
	}
	proc, err := images.New(root, images.Config{
		Widths:    cfg.Images.Widths,
		Formats:   cfg.Images.Formats,
		Quality:   cfg.Images.Quality,
		MaxPixels: cfg.Images.MaxPixels,
		MaxBytes:  cfg.Images.MaxBytes,
		CacheDir:  cacheDir,
		Progress:  o.Progress,
	})
	if err != nil {
		return nil, err
	}
	media := newMediaTap(files)
	imgs, imgErrs := proc.Process(ctx, reqs, media)
	for _, e := range imgErrs {
		var ie *images.Error
		if errors.As(e, &ie) {
			errs.Add(where[ie.Src], "image %s: %v", path.Base(ie.Src), ie.Err)
			continue
		}
		errs.AddErr(diag.Pos{File: content.Dir}, e)
	}
	bundleVideos(root, o.Source, s, cfg.Images.MaxBytes, files, &errs)
	if err := errs.Err(); err != nil {
		// Contrast is checked from site.toml alone, so its warnings are
		// known even though the assets are never built.
		return nil, stopped(err, c.Warnings, s.Warnings, otherWarns, assets.CheckContrast(cfg.Brand))
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if _, err := proc.Prune(); err != nil {
		return nil, fmt.Errorf("pruning the image cache: %w", err)
	}

	// The site's layouts/, static/ and assets/ may hold symbolic links
	// only to files inside the same folder.
	th, err := themeLayers(confine.Folders(fsys), cfg.Theme)
	if err != nil {
		return nil, err
	}
	words, err := i18n.Load(th, cfg.LanguageCodes(), cfg.Language)
	if err != nil {
		return nil, err
	}
	assetCache := ""
	if !o.NoCache {
		assetCache = filepath.Join(o.Source, CacheDir, "assets")
	}
	as, err := assets.Build(assets.Options{
		Theme:      th,
		Brand:      cfg.Brand,
		SassBinary: cfg.Assets.SassBinary,
		SiteDir:    o.Source,
		CacheDir:   assetCache,
	}, files)
	if err != nil {
		return nil, err
	}
	cardCache := ""
	if !o.NoCache {
		cardCache = filepath.Join(o.Source, CacheDir, "cards")
	}
	var cards map[string]render.Card
	var cs cardStats
	var cardWarnings []*diag.Error
	if cfg.Social.Cards {
		cards, cs, cardWarnings, err = socialCards(sites, words, th, imgs, media, files, cardCache, o.prevCards)
	}
	if err != nil {
		return nil, stopped(err, c.Warnings, s.Warnings, otherWarns, as.Warnings, cardWarnings)
	}
	var compiled []string
	if as.Compiled {
		compiled = append(compiled, "assets")
	}
	if o.incr != nil && o.since == nil {
		o.since = o.incr.since(sites, files)
	}
	pages := keepPages(files, formPages(cfg)...)
	stats, err := render.Render(render.Options{
		Site:     s,
		Sites:    sites,
		Theme:    th,
		Images:   imgs,
		Markdown: md,
		Assets:   as.Assets,
		I18n:     words,
		Version:  o.Version,
		Cards:    cards,
		Since:    o.since,
		Remember: o.Remember,
	}, pages)
	if err != nil {
		return nil, stopped(err, c.Warnings, s.Warnings, otherWarns, as.Warnings, words.Warnings(), cardWarnings)
	}
	if w, ok := files.(*output.Writer); ok && o.incr != nil {
		// The pages left out are already in the destination.
		for _, name := range stats.Kept {
			if err := w.Keep(name); err != nil {
				return nil, err
			}
		}
		stats.Pages += stats.KeptPages
	}
	manifest, err := contestManifest(s)
	if err == nil {
		err = addSubmissions(manifest, s, pages)
	}
	if err == nil {
		err = submissionLanguages(manifest, cfg, words, pages)
	}
	if err != nil {
		return nil, err
	}
	res := &Result{Site: s, Manifest: manifest, Compiled: compiled, Images: len(imgs), Pages: stats.Pages, Cards: cs.Made, CardsComposed: cs.Composed, Rendered: stats.Rendered, render: stats, cards: cs.memo,
		Duration: time.Since(start), Warnings: warnings(c.Warnings, s.Warnings, otherWarns, as.Warnings, words.Warnings(), cardWarnings)}
	if o.Remember {
		res.content = c
		po := o
		po.since, po.changed, po.prevContent, po.prevCards, po.incr = nil, nil, nil, nil, nil
		res.patch = &patchState{opts: po, md: md, cards: cards, words: words, cardCache: cardCache}
		if cfg.Social.Cards {
			var ignored []*diag.Error // socialCards reported them
			res.patch.brand = cardBrand(cfg, th, &ignored)
		}
	}
	return res, nil
}

// warnings joins the stages' warnings, each marked as one.
func warnings(lists ...[]*diag.Error) []*diag.Error {
	var out []*diag.Error
	for _, w := range slices.Concat(lists...) {
		out = append(out, diag.AsWarning(w))
	}
	return out
}

// Stopped is the error of a build that failed, holding the warnings its
// stages found before it stopped, so they are reported with its errors.
// It wraps the failure: errors.As finds the problems in Err.
type Stopped struct {
	Err      error
	Warnings []*diag.Error
}

func (e *Stopped) Error() string { return e.Err.Error() }
func (e *Stopped) Unwrap() error { return e.Err }

// stopped returns err with the stages' warnings, or err alone when there are none.
func stopped(err error, lists ...[]*diag.Error) error {
	if w := warnings(lists...); len(w) > 0 {
		return &Stopped{Err: err, Warnings: w}
	}
	return err
}

// WarningsOf returns the warnings a failed build found before it stopped.
func WarningsOf(err error) []*diag.Error {
	var s *Stopped
	if errors.As(err, &s) {
		return s.Warnings
	}
	return nil
}

// Check validates everything a build would, images included, and keeps
// none of it: its Result has no files. It still renders every page, since
// a template can fail on one story's data alone.
func Check(ctx context.Context, o Options) (*Result, error) {
	res, err := Run(ctx, o)
	if err != nil {
		return nil, err
	}
	res.Files = output.NewSet()
	return res, nil
}

func withBaseURL(cfg *config.Config, raw string) (*config.Config, error) {
	c := *cfg
	u, err := config.ParseBaseURL(raw)
	if err != nil {
		return nil, fmt.Errorf("--base-url %q %v", raw, err)
	}
	c.BaseURL = u
	return &c, nil
}

// imageRequests lists every image the published site shows, and where each
// was named, so an image's problem is reported at its front matter line.
func imageRequests(sites []*site.Site, errs *diag.List) ([]images.Request, map[string]diag.Pos) {
	var reqs []images.Request
	where := map[string]diag.Pos{}
	requested := map[string]bool{}
	add := func(m *content.Media, dir string, card bool) {
		if m == nil || m.Src == "" {
			return
		}
		// An image is one file whichever language shows it: the first
		// request, the default language's, places it.
		if requested[m.Src] {
			return
		}
		requested[m.Src] = true
		focus, err := images.ParseFocus(m.Focus)
		if err != nil {
			errs.Add(m.Pos, "focus %q: %v", m.Focus, err)
		}
		if _, ok := where[m.Src]; !ok {
			where[m.Src] = m.Pos
		}
		reqs = append(reqs, images.Request{Src: m.Src, Dir: dir, Focus: focus, Card: card})
	}
	dirOf := func(url string) string { return strings.Trim(url, "/") }
	for _, s := range sites {
		imageRequestsOf(s, add, dirOf)
	}
	return reqs, where
}

// imageRequestsOf lists the images of one language's model.
func imageRequestsOf(s *site.Site, add func(*content.Media, string, bool), dirOf func(string) string) {
	for _, st := range s.Stories {
		d := dirOf(st.BundleURL)
		add(st.Source.Cover, d, true)
		for i, g := range st.Source.Gallery {
			add(g, d, i == 0 && st.Source.Cover == nil)
		}
		for _, m := range sortedMedia(st.Source.BodyImages) {
			add(m, d, false)
		}
	}
	for _, a := range s.Ambassadors {
		add(a.Source.Avatar, dirOf(a.URL), true)
	}
	for _, c := range s.Contests {
		add(c.Source.Cover, dirOf(c.URL), true)
	}
	for _, p := range s.Pages {
		for _, m := range sortedMedia(p.Source.BodyImages) {
			add(m, dirOf(p.URL), false)
		}
	}
}

// themeLayers stacks the site's own files over its theme's: the site's
// folder, then themes/NAME/ in the site, then the built-in default theme.
func themeLayers(fsys fs.FS, name string) (*overlay.FS, error) {
	layers := []overlay.Layer{{Name: ".", FS: fsys}}
	dir := path.Join("themes", name)
	if st, err := fs.Stat(fsys, dir); err == nil && st.IsDir() {
		sub, err := fs.Sub(fsys, dir)
		if err != nil {
			return nil, err
		}
		layers = append(layers, overlay.Layer{Name: dir, FS: sub})
	} else if name != "postcard" {
		return nil, diag.Errorf(diag.Pos{File: config.FileName}, "theme %q not found: there is no %s/ folder", name, dir)
	}
	if name == "postcard" {
		layers = append(layers, overlay.Layer{Name: "(built-in theme)", FS: theme.FS})
	}
	return overlay.New(layers...), nil
}

// contestManifest describes the contests and their published entries (never
// drafts) for the voting function, validated as the function will read it.
func contestManifest(s *site.Site) (*vote.Manifest, error) {
	contests := []vote.Contest{}
	for _, c := range s.Contests {
		mc := vote.Contest{
			Slug:          c.Source.Slug,
			Title:         c.Source.Title,
			Categories:    c.Source.Categories,
			VotingOpens:   c.VotingStart(),
			VotingCloses:  c.VotingEnd(),
			VotesPerVoter: c.Source.VotesPerVoter,
			ShowCounts:    c.Source.ShowCounts,
			NetworkQuota:  c.Source.NetworkQuota,
			Challenge:     c.Source.Challenge,
			Entries:       []vote.Entry{},
		}
		for _, st := range c.Entries {
			if st.Draft {
				continue
			}
			mc.Entries = append(mc.Entries, vote.Entry{Slug: st.Source.Slug, Title: st.Source.Title, Category: st.Source.Category})
		}
		contests = append(contests, mc)
	}
	// The function refuses a manifest it cannot read: find out now, not at deploy.
	m, err := vote.NewManifest(s.Config.Origin(), contests)
	if err != nil {
		return nil, fmt.Errorf("the contest manifest for the voting function: %w", err)
	}
	return m, nil
}

// KindSlugs lists the kinds of story, in display order, for the command
// line's scaffolding and help, which must not import a stage.
func KindSlugs() []string { return content.KindSlugs() }
