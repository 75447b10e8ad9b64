package build

// A Rebuild after an edit to stories' text alone.
//
// Most saves in the dev server change a story's text and nothing else.
// Such an edit moves nothing of the site: the model, its lists, terms,
// feeds' order, images and sitemap are what they were, so rather than
// build them again (site.Build, planning every page, the images'
// requests: most of a rebuild of 10,000 stories), patch reads the
// story again (content.Patch), gives the model's story its new content
// in place, draws its social card again when the card shows its lines,
// and has the last render executed again where it showed the story
// (render.Memo.Patch). Anything it is not sure of is left to the
// Rebuild it sits in front of.

import (
	"context"
	"os"
	"path"
	"slices"
	"time"

	"github.com/postcard-ssg/postcard/generator/card"
	"github.com/postcard-ssg/postcard/generator/content"
	"github.com/postcard-ssg/postcard/generator/diag"
	"github.com/postcard-ssg/postcard/generator/i18n"
	"github.com/postcard-ssg/postcard/generator/markdown"
	"github.com/postcard-ssg/postcard/generator/output"
	"github.com/postcard-ssg/postcard/generator/render"
	"github.com/postcard-ssg/postcard/generator/site"
	theme "github.com/postcard-ssg/postcard/themes/postcard"
)

// patchState is what a build that remembers (Options.Remember) keeps for
// patch, besides its render's memo. A patch's Result shares it.
type patchState struct {
	opts Options // as the build was asked for
	md   *markdown.Markdown
	// cards are the social cards the pages name, by URL (nil when the
	// site has none), which patch updates; words, brand and cardCache
	// draw them, with maker, made by the first patch that needs it and
	// kept with its composers' fonts parsed.
	cards     map[string]render.Card
	words     *i18n.Catalog
	brand     card.Brand
	cardCache string
	maker     *card.Maker
}

// sameBuild reports whether a build with o makes what one with p's
// options made, but for the clock.
func (p *patchState) sameBuild(o Options) bool {
	a := p.opts
	return a.Source == o.Source && a.BaseURL == o.BaseURL && a.Drafts == o.Drafts && a.Version == o.Version &&
		a.NoCache == o.NoCache && a.Results == o.Results && o.Remember && o.incr == nil
}

// patch builds the site after an edit to the files changed names, from
// prev, when each is a story's file whose front matter is as it was. It
// returns false when it cannot, having changed nothing.
func patch(ctx context.Context, o Options, prev *Result, changed []string) (*Result, bool, error) {
	start := time.Now()
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	ps := prev.patch
	if ps == nil || prev.content == nil || prev.Site == nil || !prev.render.Memo.Patchable() || !ps.sameBuild(o) {
		return nil, false, nil
	}
	// The files the build made, not some other set, are what a patch
	// keeps most of.
	if prev.Files == nil || prev.Files.Len() != prev.made {
		return nil, false, nil
	}
	s := prev.Site
	if phaseMoved(s, o.Now) {
		return nil, false, nil
	}
	root, err := os.OpenRoot(o.Source)
	if err != nil {
		return nil, false, nil
	}
	defer root.Close()
	cfg := s.Config
	c, replaced, ok := content.Patch(root.FS(), content.Options{Location: cfg.Timezone, Now: o.Now, Markdown: ps.md,
		Licences: cfg.Licenses, Languages: cfg.LanguageCodes(), Reuse: prev.content, Changed: changed})
	if !ok {
		return nil, false, nil
	}
	files := map[string]bool{}
	for old, st := range replaced {
		if !old.SameButText(st) {
			return nil, false, nil
		}
		files[old.File] = true
	}
	// The last build's warnings stand, so none may be about these files.
	for _, w := range prev.Warnings {
		if files[w.Pos.File] {
			return nil, false, nil
		}
	}
	var stories []*site.Story
	was := map[*site.Story]*content.Story{}
	for _, st := range s.Stories {
		if _, ok := replaced[st.Source]; ok {
			stories = append(stories, st)
			was[st] = st.Source
		}
	}
	jobs, ok := patchCardJobs(ps, s, stories, replaced, prev.cards)
	if !ok {
		return nil, false, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, true, err
	}

	// From here on the model is the new one; a failure puts it back.
	now := s.Now
	for _, st := range stories {
		st.Source = replaced[st.Source]
	}
	s.Now = o.Now
	restore := func() {
		for st, src := range was {
			st.Source = src
		}
		s.Now = now
	}
	out := prev.Files.Next()
	// The cards are drawn while the pages that do not name them are
	// executed; the render waits for them before the pages that do.
	var cards *patchedCards
	var cardErr error
	drawn := make(chan struct{})
	go func() {
		defer close(drawn)
		cards, cardErr = drawCards(ps, s, jobs, out, prev.cards)
	}()
	var waitFor []string
	for _, j := range jobs {
		waitFor = append(waitFor, j.url)
		if len(s.Featured) > 0 && s.Featured[0].URL == j.url {
			waitFor = append(waitFor, s.Prefix+"/")
		}
	}
	stats, gone, err := prev.render.Memo.Patch(render.Patch{Stories: stories, Was: was, CardPages: waitFor,
		Cards: func() (map[string]render.Card, error) {
			<-drawn
			if cardErr != nil {
				return nil, cardErr
			}
			return cards.shown, nil
		}}, out)
	<-drawn
	if err != nil {
		restore()
		return nil, true, err
	}
	for _, name := range gone {
		out.Remove(name)
	}
	rs := prev.render
	rs.Rendered, rs.Kept, rs.KeptPages = stats.Rendered, stats.Kept, stats.KeptPages
	res := &Result{Site: s, Files: out, Manifest: prev.Manifest, Images: prev.Images, Pages: prev.Pages,
		Duration: time.Since(start), Warnings: append(slices.Clip(prev.Warnings), cards.warns...), Cards: prev.Cards, CardsComposed: cards.composed,
		Rendered: stats.Rendered, render: rs, content: c, cards: prev.cards, patch: ps, made: out.Len()}
	return res, true, nil
}

// phaseMoved reports whether a contest of s is in another phase at now
// than when s was built: its page, its entries' and the indexes show the
// phase, which no edit names, so only a full build makes them again.
func phaseMoved(s *site.Site, now time.Time) bool {
	for _, c := range s.Contests {
		if c.Phase(s.Now) != c.Phase(now) {
			return true
		}
	}
	return false
}

// patchedCards are the social cards a text edit drew again.
type patchedCards struct {
	shown    map[string]render.Card // by the URL of the page that names it
	warns    []*diag.Error
	composed int
}

// patchCardJobs lists the cards of stories that show their text (a
// poem's lines, a story without a picture's first lines) as replaced
// gives it. It returns false when the last build has no card for one.
func patchCardJobs(ps *patchState, s *site.Site, stories []*site.Story, replaced map[*content.Story]*content.Story, memo cardMemo) ([]cardJob, bool) {
	if ps.cards == nil {
		return nil, true
	}
	var jobs []cardJob
	lang := s.Lang
	if lang == "" {
		lang = s.Config.Language
	}
	w := cardWordsIn(ps.words, lang)
	for _, st := range stories {
		next := *st
		next.Source = replaced[st.Source]
		if !next.Source.Kind.LineBreaks && coverMedia(&next) != nil {
			continue // its card shows its picture, not its text
		}
		if _, ok := memo[st.URL]; !ok {
			return nil, false
		}
		j := storyCard(&next, s.Config.Title, ps.brand, w, cardMedia{}, markdown.LinesVersion())
		j.from, j.by = next.Source, ""
		if st.Ambassador != nil {
			j.by = st.Ambassador.Source.Name
		}
		jobs = append(jobs, j)
	}
	return jobs, true
}

// drawCards makes the cards of jobs, publishes them in out in place of
// the last build's, and records them in memo.
func drawCards(ps *patchState, s *site.Site, jobs []cardJob, out *output.Set, memo cardMemo) (*patchedCards, error) {
	res := &patchedCards{shown: map[string]render.Card{}}
	if len(jobs) == 0 {
		return res, nil
	}
	if ps.maker == nil {
		fonts, err := card.LoadFonts(theme.Fonts)
		if err != nil {
			return nil, err
		}
		ps.maker = card.NewMaker(fonts, ps.cardCache)
	}
	var specs []card.Spec
	for _, j := range jobs {
		specs = append(specs, j.spec)
	}
	before := ps.maker.Composed()
	made, err := ps.maker.Make(specs)
	if err != nil {
		return nil, err
	}
	res.composed = ps.maker.Composed() - before
	for i, m := range made {
		j := jobs[i]
		if m.Err != nil {
			res.warns = append(res.warns, diag.Warningf(j.pos, "social card: %v", m.Err))
		}
		if len(m.Missing) > 0 {
			res.warns = append(res.warns, diag.Warningf(j.pos, "social card: no font of the theme has %q; the card shows boxes for them", string(m.Missing)))
		}
		name := path.Join(j.dir, "card-"+m.Key[:8]+m.Ext)
		if old, ok := memo[j.url]; ok && old.name != name {
			out.Remove(old.name)
		}
		data, err := publishCard(out, name, m)
		if err != nil {
			return nil, err
		}
		c := cardOf(name, j.alt)
		j.spec = card.Spec{}
		memo[j.url] = &madeCard{job: j, made: card.Made{Key: m.Key, Ref: m.Ref, Data: data, Path: m.Path, Ext: m.Ext}, name: name, card: c}
		res.shown[j.url] = c
		if len(s.Featured) > 0 && s.Featured[0].URL == j.url {
			res.shown[s.Prefix+"/"] = c
		}
	}
	return res, nil
}
