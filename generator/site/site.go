// Package site builds the site model from content: which stories are
// published, and how stories, ambassadors, contests and taxonomy terms relate.
//
// It is the one place that decides what exists in the output: only approved
// and featured stories (plus submitted ones, marked as drafts, in a local
// preview built with Drafts) become pages, so an unpublished story can never
// leak through a relation, a feed or a term page. References between content
// files are checked here, each error at the place the reference was written.
package site

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/postcard-ssg/postcard/generator/config"
	"github.com/postcard-ssg/postcard/generator/content"
	"github.com/postcard-ssg/postcard/generator/diag"
	"github.com/postcard-ssg/postcard/generator/results"
)

// Site is the model a build renders.
type Site struct {
	Config *config.Config
	// Lang is the language the site model speaks, and Prefix its URL
	// folder ("" at the root, "/fi"). A story, ambassador, contest or page
	// without a translation into Lang is in the model in its default
	// language, at its default-language URL.
	Lang        string
	Prefix      string
	Now         time.Time
	Stories     []*Story // published, newest first
	Featured    []*Story
	Ambassadors []*Ambassador // by name
	Contests    []*Contest    // newest voting window first
	Pages       []*Page
	Menu        []*Page
	Taxonomies  []*Taxonomy // places, tags, kinds
	// Drafts is true when submitted stories are shown for a local preview.
	Drafts bool
	// Warnings are problems that do not stop the build, such as two
	// spellings of a tag merged into one.
	Warnings []*diag.Error
}

// Story is a published story and its relations. What the story's file
// says is its Source; the fields beside it are what the model made of it.
type Story struct {
	Source *content.Story
	URL    string // "/stories/slug/"
	// BundleURL is the story's default-language URL, where its bundle's
	// media is published for every language.
	BundleURL    string
	Draft        bool
	Ambassador   *Ambassador
	Contributors []*Ambassador
	Contest      *Contest
	InspiredBy   []*Story
	Answers      []*Story // stories inspired by this one
	Place        *Term
	Tags         []*Term
	KindTerm     *Term
	Winner       *Placing
	// Tally is the story's final vote count, when results were baked in.
	Tally *Tally
}

// Ambassador is a contributor and their stories.
type Ambassador struct {
	Source        *content.Ambassador
	URL           string
	Stories       []*Story // told by them
	ContributedTo []*Story // co-created
}

// Contest is a contest and its published entries.
type Contest struct {
	Source     *content.Contest
	URL        string
	Entries    []*Story
	Categories []*Category
	Winners    []*Placing
	// Results are the final counts, most votes first, when baked in with
	// --results after voting closed.
	Results []*Tally
}

// Tally is an entry's final vote count.
type Tally struct {
	Story *Story
	Votes int
}

// Category is one category of a contest with its entries.
type Category struct {
	Name    string
	Entries []*Story
}

// Placing is a winning entry.
type Placing struct {
	Story    *Story
	Category string
	Place    int
}

// Page is a plain page.
type Page struct {
	Source *content.Page
	URL    string // "/about/", "/" for the home page's text
}

// Options choose what a build shows.
type Options struct {
	Drafts bool
	Now    time.Time
	// Results are final vote counts to bake into closed contests.
	Results results.Results
	// Lang is the language to build the model in (c already projected
	// into it, see content.Content.In), and Prefixes the URL folder of
	// each language. Empty is a site of one language at the root.
	Lang     string
	Prefixes map[string]string
	// Default is the site's default language.
	Default string
}

// url is a site path in the language a text is written in.
func (o Options) url(lang, p string) string {
	return o.Prefixes[lang] + p
}

// Build makes the model. Every broken reference is reported.
func Build(cfg *config.Config, c *content.Content, o Options) (*Site, error) {
	var errs diag.List
	s := &Site{Config: cfg, Now: o.Now, Drafts: o.Drafts, Lang: o.Lang, Prefix: o.Prefixes[o.Lang]}

	ambassadors := map[string]*Ambassador{}
	for _, a := range c.Ambassadors {
		m := &Ambassador{Source: a, URL: o.url(a.Lang, "/ambassadors/"+a.Slug+"/")}
		ambassadors[a.Slug] = m
		s.Ambassadors = append(s.Ambassadors, m)
	}
	slices.SortFunc(s.Ambassadors, func(a, b *Ambassador) int {
		return cmp.Or(strings.Compare(a.Source.Name, b.Source.Name), strings.Compare(a.Source.Slug, b.Source.Slug))
	})
	contests := map[string]*Contest{}
	for _, k := range c.Contests {
		m := &Contest{Source: k, URL: o.url(k.Lang, "/contests/"+k.Slug+"/")}
		for _, cat := range k.Categories {
			m.Categories = append(m.Categories, &Category{Name: cat})
		}
		contests[k.Slug] = m
		s.Contests = append(s.Contests, m)
	}
	slices.SortFunc(s.Contests, func(a, b *Contest) int {
		return cmp.Or(b.Source.VotingCloses.Compare(a.Source.VotingCloses), strings.Compare(a.Source.Slug, b.Source.Slug))
	})

	// Every story, published or not, is known by slug, so a reference to an
	// unpublished one is not reported as unknown.
	all := map[string]*content.Story{}
	for _, st := range c.Stories {
		all[st.Slug] = st
	}
	stories := map[string]*Story{}
	slugs := slugs{}
	for _, st := range c.Stories {
		if st.Status == content.StatusRejected {
			continue
		}
		checkRefs(&errs, st, ambassadors, contests, all)
		checkTerms(&errs, st, slugs)
		if !st.Published() && !(o.Drafts && st.Status == content.StatusSubmitted) {
			continue
		}
		m := &Story{Source: st, URL: o.url(st.Lang, "/stories/"+st.Slug+"/"), BundleURL: o.url(o.Default, "/stories/"+st.Slug+"/"), Draft: !st.Published()}
		stories[st.Slug] = m
		s.Stories = append(s.Stories, m)
	}
	sortStories(s.Stories)

	for _, st := range s.Stories {
		st.Ambassador = ambassadors[st.Source.Ambassador.Slug]
		if st.Ambassador != nil {
			st.Ambassador.Stories = append(st.Ambassador.Stories, st)
		}
		for _, r := range st.Source.Contributors {
			if a := ambassadors[r.Slug]; a != nil && a != st.Ambassador {
				st.Contributors = append(st.Contributors, a)
				a.ContributedTo = append(a.ContributedTo, st)
			}
		}
		for _, r := range st.Source.InspiredBy {
			if other := stories[r.Slug]; other != nil && other != st {
				st.InspiredBy = append(st.InspiredBy, other)
				other.Answers = append(other.Answers, st)
			}
		}
		if k := contests[st.Source.Contest.Slug]; k != nil && st.Source.Contest.Slug != "" {
			st.Contest = k
			k.Entries = append(k.Entries, st)
			for _, cat := range k.Categories {
				if cat.Name == st.Source.Category {
					cat.Entries = append(cat.Entries, st)
				}
			}
		}
		if st.Source.Status == content.StatusFeatured {
			s.Featured = append(s.Featured, st)
		}
	}
	for _, k := range s.Contests {
		for _, w := range k.Source.Winners {
			st := stories[w.Entry.Slug]
			switch {
			case st == nil && all[w.Entry.Slug] != nil:
				errs.Add(w.Entry.Pos, "winner %q is not a published story", w.Entry.Slug)
				continue
			case st == nil:
				errs.Add(w.Entry.Pos, "winner %q is not a story", w.Entry.Slug)
				continue
			case st.Contest != k:
				errs.Add(w.Entry.Pos, "winner %q is not an entry of this contest", w.Entry.Slug)
				continue
			case w.Category != "" && w.Category != st.Source.Category:
				errs.Add(w.Entry.Pos, "winner %q entered category %q, not %q", w.Entry.Slug, st.Source.Category, w.Category)
				continue
			}
			p := &Placing{Story: st, Category: cmp.Or(w.Category, st.Source.Category), Place: w.Place}
			k.Winners = append(k.Winners, p)
			if st.Winner == nil || p.Place < st.Winner.Place {
				st.Winner = p
			}
		}
		slices.SortStableFunc(k.Winners, func(a, b *Placing) int {
			return cmp.Or(strings.Compare(a.Category, b.Category), cmp.Compare(a.Place, b.Place))
		})
	}

	s.bakeResults(o.Results, stories, &errs)

	for _, p := range c.Pages {
		pg := &Page{Source: p, URL: o.url(p.Lang, p.URL)}
		s.Pages = append(s.Pages, pg)
		if p.Menu > 0 {
			s.Menu = append(s.Menu, pg)
		}
	}
	slices.SortFunc(s.Menu, func(a, b *Page) int { return cmp.Compare(a.Source.Menu, b.Source.Menu) })
	s.Taxonomies = s.buildTaxonomies(slugs)
	return s, errs.Err()
}

// sortStories puts stories newest first, then by slug. The instants are
// read once each rather than in every comparison of ten thousand.
func sortStories(stories []*Story) {
	type key struct {
		sec  int64
		nsec int
		st   *Story
	}
	keys := make([]key, len(stories))
	for i, st := range stories {
		keys[i] = key{st.Source.Date.Unix(), st.Source.Date.Nanosecond(), st}
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(b.sec, a.sec), cmp.Compare(b.nsec, a.nsec), strings.Compare(a.st.Source.Slug, b.st.Source.Slug))
	})
	for i, k := range keys {
		stories[i] = k.st
	}
}

func checkRefs(errs *diag.List, st *content.Story, ambassadors map[string]*Ambassador, contests map[string]*Contest, all map[string]*content.Story) {
	if r := st.Ambassador; r.Slug != "" && ambassadors[r.Slug] == nil {
		errs.Add(r.Pos, "unknown ambassador %q: add content/ambassadors/%s.md or fix the name%s", r.Slug, r.Slug, diag.DidYouMean(r.Slug, slices.Sorted(maps.Keys(ambassadors))))
	}
	for _, r := range st.Contributors {
		if ambassadors[r.Slug] == nil {
			errs.Add(r.Pos, "unknown contributor %q: contributors must be ambassadors (content/ambassadors/%s.md)%s", r.Slug, r.Slug, diag.DidYouMean(r.Slug, slices.Sorted(maps.Keys(ambassadors))))
		}
	}
	for _, r := range st.InspiredBy {
		if all[r.Slug] == nil {
			errs.Add(r.Pos, "inspired_by names unknown story %q%s", r.Slug, diag.DidYouMean(r.Slug, slices.Sorted(maps.Keys(all))))
		}
	}
	if r := st.Contest; r.Slug != "" {
		k := contests[r.Slug]
		switch {
		case k == nil:
			errs.Add(r.Pos, "unknown contest %q: add content/contests/%s.md or fix the name%s", r.Slug, r.Slug, diag.DidYouMean(r.Slug, slices.Sorted(maps.Keys(contests))))
		case st.Category != "" && !slices.Contains(k.Source.Categories, st.Category):
			errs.Add(st.CategoryPos, "category %q is not a category of contest %q (%s)%s", st.Category, r.Slug, strings.Join(k.Source.Categories, ", "), diag.DidYouMean(st.Category, k.Source.Categories))
		}
	}
}

// Slugify makes a URL segment of a name: "Café Laituri" is "cafe-laituri".
// A slug is at most content.MaxSlug bytes, cut after a whole word when one
// ends in the last quarter, otherwise after a whole character. A name with
// no letter or digit has no slug: "".
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(strings.ToLower(name)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// accents go
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			// ASCII, and non-Latin letters as they are
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			if b.Len()+utf8.RuneLen(r) > content.MaxSlug {
				return cutSlug(b.String())
			}
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// cutSlug ends a slug that reached the limit at its last hyphen, when that
// keeps most of it.
func cutSlug(s string) string {
	s = strings.TrimSuffix(s, "-")
	if i := strings.LastIndexByte(s, '-'); i >= content.MaxSlug*3/4 {
		return s[:i]
	}
	return s
}
