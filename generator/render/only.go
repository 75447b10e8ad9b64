package render

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/postcard-ssg/postcard/generator/site"
)

// Since describes the render before an edit, so that a render after it
// (Options.Since) re-renders only the pages the edit can show on, as the
// dev server wants: a saved story reaches the browser without the other
// ten thousand pages being made again.
//
// A page is re-rendered when it shows a changed story (its own page in
// every language, the lists and neighbours that show its card), when what
// it shows changed (Shown differs: a story moved to another gallery page,
// a term gained one, the filters' counts moved), or when it is of a kind
// that shows the whole site (home, indexes, plain pages), which are few.
type Since struct {
	// Shown is the last render's Stats.Shown.
	Shown map[string]string
	// Changed holds the slugs of the stories whose files changed, in
	// the last model or this one (added, edited, deleted).
	Changed map[string]bool
	// Layouts holds the page layouts that changed ("story.html"): every
	// page made with one is rendered again.
	Layouts map[string]bool
	// Memo is the last render's Stats.Memo.
	Memo *Memo
}

// layoutOf is the layout of a kind of page that may be left out.
func layoutOf(kind string) string {
	switch kind {
	case "story", "gallery", "term", "ambassador", "contest":
		return kind + ".html"
	}
	return ""
}

// PageLayout reports whether a change to layouts/name alone changes only
// the pages made with it, which Since.Layouts then renders again; a
// change to any other layout (base.html, a partial) changes every page.
func PageLayout(name string) bool {
	kind, ok := strings.CutSuffix(name, ".html")
	return ok && layoutOf(kind) == name
}

// decide reports whether the page p is to be rendered, and records what
// it shows in Stats.Shown. It is called once per page, before its body is
// rendered.
//
// It runs for every page of the site on every rebuild, so it builds its
// digest in one reused buffer rather than in strings.
func (r *renderer) decide(p *Page) bool {
	if want, ok := r.want[p.URL]; ok {
		return want
	}
	stories, listed := r.shows(p)
	b := append(r.sigBuf[:0], p.Kind...)
	if p.Kind == "gallery" || p.Kind == "term" {
		b = append(append(b, '|'), r.filters()...)
	}
	changed := false
	for _, st := range stories {
		b = append(append(b, '|'), st.URL...)
		changed = changed || r.isChanged(st)
	}
	if st := p.Story; st != nil && p.Kind == "story" {
		// Its terms' names are the site's spelling, which another story may set.
		for _, t := range append([]*site.Term{st.Place, st.KindTerm}, st.Tags...) {
			if t != nil {
				b = append(append(b, '|'), t.Name...)
			}
		}
	}
	r.sigBuf = b
	// A digest, not the list: a site's term pages are many, and each
	// sums up the filters.
	sum := sha256.Sum256(b)
	sig := string(sum[:16])
	r.stats.Shown[p.URL] = sig
	want := r.Since == nil || !listed || changed || r.Since.Shown[p.URL] != sig || r.Since.Layouts[layoutOf(p.Kind)]
	r.want[p.URL] = want
	return want
}

// isChanged reports whether st is a story Since.Changed names. It is
// asked of every story every page shows; so the language's changed
// stories are found once, and each answer is a pointer's lookup rather
// than a walk to the story's slug.
func (r *renderer) isChanged(st *site.Story) bool {
	if r.Since == nil || len(r.Since.Changed) == 0 {
		return false
	}
	if r.changedIn != r.Site {
		r.changedIn, r.changed = r.Site, map[*site.Story]bool{}
		for _, s := range r.Site.Stories {
			if r.Since.Changed[s.Source.Slug] {
				r.changed[s] = true
			}
		}
	}
	return r.changed[st]
}

// shows lists the stories whose card, title or link the page p shows, and
// whether that list is all the page shows of the site's content; a page
// of another kind (home, the indexes, plain pages) is always rendered.
func (r *renderer) shows(p *Page) ([]*site.Story, bool) {
	switch p.Kind {
	case "story":
		st := p.Story
		out := append([]*site.Story{st}, st.InspiredBy...)
		out = append(out, st.Answers...)
		if st.Ambassador != nil {
			// As the story layout's moreBy shows them.
			n := 0
			for _, o := range st.Ambassador.Stories {
				if o != st && n < 4 {
					out = append(out, o)
					n++
				}
			}
		}
		return out, true
	case "gallery", "term":
		if p.Pager == nil {
			return nil, false
		}
		return p.Pager.Stories, true
	case "ambassador":
		a := p.Ambassador
		return append(append([]*site.Story{}, a.Stories...), a.ContributedTo...), true
	case "contest":
		c := p.Contest
		out := append([]*site.Story{}, c.Entries...)
		for _, w := range c.Winners {
			out = append(out, w.Story)
		}
		for _, t := range c.Results {
			out = append(out, t.Story)
		}
		return out, true
	}
	return nil, false
}

// filters sums up what the gallery's and term pages' filters show of the
// whole site: the number of stories, each term's, each contest's entries.
func (r *renderer) filters() string {
	lang := r.lang()
	if f, ok := r.filterSig[lang]; ok {
		return f
	}
	var b strings.Builder
	s := r.Site
	fmt.Fprintf(&b, "%d", len(s.Stories))
	for _, tx := range s.Taxonomies {
		fmt.Fprintf(&b, ";%s", tx.Name)
		for _, t := range tx.Terms {
			fmt.Fprintf(&b, ",%s=%s:%d", t.URL, t.Name, len(t.Stories))
		}
	}
	for _, c := range s.Contests {
		fmt.Fprintf(&b, ";%s=%s:%d", c.URL, c.Source.Title, len(c.Entries))
	}
	sum := sha256.Sum256([]byte(b.String()))
	r.filterSig[lang] = hex.EncodeToString(sum[:16])
	return r.filterSig[lang]
}

// skip records a page left out by Options.Since as write would have, so
// the sitemap still lists it, and names its file in Stats.Kept.
func (r *renderer) skip(p *Page, file string) {
	if strings.HasSuffix(file, "index.html") && !p.NoIndex {
		r.written = append(r.written, file)
	}
	r.stats.Kept = append(r.stats.Kept, file)
	r.stats.KeptPages++
}
