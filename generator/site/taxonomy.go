package site

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/postcard-ssg/postcard/generator/content"
	"github.com/postcard-ssg/postcard/generator/diag"
)

// Taxonomy groups stories by a property: places, tags or kinds.
type Taxonomy struct {
	Name  string // "places"
	Title string // "Places"
	URL   string // "/places/"
	Terms []*Term
}

// Term is one value of a taxonomy and its stories, newest first.
type Term struct {
	Taxonomy string
	Name     string
	Slug     string
	URL      string
	Stories  []*Story
}

func (s *Site) buildTaxonomies(slugs slugs) []*Taxonomy {
	places := newIndex("places", "place", s.Prefix, slugs)
	tags := newIndex("tags", "tag", s.Prefix, slugs)
	kinds := newIndex("kinds", "kind", s.Prefix, slugs)
	for _, st := range s.Stories {
		if st.Source.Place != "" {
			st.Place = places.add(st.Source.Place, st.Source.PlacePos, st)
		}
		for i, t := range st.Source.Tags {
			if t == "" {
				continue
			}
			term := tags.add(t, st.tagPos(i), st)
			if term != nil && !slices.Contains(st.Tags, term) {
				st.Tags = append(st.Tags, term) // "Lake" and "lake!" are one chip
			}
		}
		st.KindTerm = kinds.add(st.Source.Kind.Slug, diag.Pos{File: st.Source.File}, st)
	}
	for _, t := range kinds.terms {
		if k, ok := content.KindOf(t.Slug); ok {
			t.Name = k.Plural
		}
	}
	s.Warnings = append(s.Warnings, places.merged()...)
	s.Warnings = append(s.Warnings, tags.merged()...)
	return []*Taxonomy{places.done("Places"), tags.done("Tags"), kinds.done("Kinds")}
}

func (st *Story) tagPos(i int) diag.Pos {
	if i < len(st.Source.TagPos) {
		return st.Source.TagPos[i]
	}
	return diag.Pos{File: st.Source.File}
}

// checkTerms reports a story's places and tags that cannot become a page:
// those with no letter or digit to make a URL of.
func checkTerms(errs *diag.List, st *content.Story, slugs slugs) {
	if st.Place != "" && slugs.of(st.Place) == "" {
		errs.Add(st.PlacePos, "place %q has no letters or digits, so it cannot have a page: write the place's name", st.Place)
	}
	for i, t := range st.Tags {
		if t != "" && slugs.of(t) == "" {
			pos := diag.Pos{File: st.File}
			if i < len(st.TagPos) {
				pos = st.TagPos[i]
			}
			errs.Add(pos, "tag %q has no letters or digits, so it cannot have a page: write a word", t)
		}
	}
}

// slugs memoises Slugify over one model's terms: ten thousand stories
// name a few hundred places and tags, each many times.
type slugs map[string]string

func (m slugs) of(name string) string {
	s, ok := m[name]
	if !ok {
		s = Slugify(name)
		m[name] = s
	}
	return s
}

type index struct {
	name, noun string
	prefix     string // the language's URL folder
	slugs      slugs
	terms      map[string]*Term
	// spellings are the names written for each slug, in order of first use.
	spellings map[string][]*spelling
}

// spelling is one way a term was written, how often, and where first.
type spelling struct {
	name  string
	count int
	pos   diag.Pos
}

func newIndex(name, noun, prefix string, slugs slugs) *index {
	return &index{name: name, noun: noun, prefix: prefix, slugs: slugs, terms: map[string]*Term{}, spellings: map[string][]*spelling{}}
}

// add files st under name's term; names without a slug (refused by
// checkTerms) are dropped.
func (x *index) add(name string, pos diag.Pos, st *Story) *Term {
	slug := x.slugs.of(name)
	if slug == "" {
		return nil
	}
	t := x.terms[slug]
	if t == nil {
		t = &Term{Taxonomy: x.name, Name: name, Slug: slug, URL: x.prefix + "/" + x.name + "/" + slug + "/"}
		x.terms[slug] = t
	}
	if len(t.Stories) == 0 || t.Stories[len(t.Stories)-1] != st {
		t.Stories = append(t.Stories, st)
	}
	sp := x.spellings[slug]
	i := slices.IndexFunc(sp, func(s *spelling) bool { return s.name == name })
	if i < 0 {
		x.spellings[slug] = append(sp, &spelling{name: name, count: 1, pos: pos})
	} else {
		sp[i].count++
	}
	return t
}

// merged names each term written in more than one way after the most
// common spelling (the first written, on a tie) and warns at every other
// spelling, so an editor sees that "Lake" and "lake!" became one page.
func (x *index) merged() []*diag.Error {
	var out []*diag.Error
	slugs := make([]string, 0, len(x.spellings))
	for slug, sp := range x.spellings {
		if len(sp) > 1 {
			slugs = append(slugs, slug)
		}
	}
	slices.Sort(slugs)
	for _, slug := range slugs {
		sp := x.spellings[slug]
		best := sp[0]
		for _, s := range sp[1:] {
			if s.count > best.count {
				best = s
			}
		}
		x.terms[slug].Name = best.name
		for _, s := range sp {
			if s == best {
				continue
			}
			out = append(out, diag.Warningf(s.pos, "%s %q and %q (%s) both make %s, so they are shown as one %s, %q: write them the same way",
				x.noun, s.name, best.name, best.pos, x.terms[slug].URL, x.noun, best.name))
		}
	}
	return out
}

func (x *index) done(title string) *Taxonomy {
	tx := &Taxonomy{Name: x.name, Title: title, URL: x.prefix + "/" + x.name + "/"}
	for _, t := range x.terms {
		tx.Terms = append(tx.Terms, t)
	}
	slices.SortFunc(tx.Terms, func(a, b *Term) int {
		if x.name == "kinds" {
			return cmp.Compare(content.KindIndex(a.Slug), content.KindIndex(b.Slug))
		}
		return cmp.Or(cmp.Compare(len(b.Stories), len(a.Stories)), strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)))
	})
	return tx
}

// Taxonomy returns the taxonomy called name, or nil.
func (s *Site) Taxonomy(name string) *Taxonomy {
	for _, t := range s.Taxonomies {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// Pager is one page of a paginated list.
type Pager struct {
	Number, Total int
	URL           string
	Prev, Next    string // URLs, empty at the ends
	Stories       []*Story
}

// Paginate splits stories into pages of size under base ("/stories/"): the
// first page is base itself, the next ones base+"page/N/".
func Paginate(stories []*Story, size int, base string) []*Pager {
	if size < 1 {
		size = len(stories)
	}
	n := max(1, (len(stories)+size-1)/max(size, 1))
	url := func(i int) string {
		if i == 1 {
			return base
		}
		return base + "page/" + strconv.Itoa(i) + "/"
	}
	out := make([]*Pager, n)
	for i := range n {
		lo, hi := i*size, min((i+1)*size, len(stories))
		p := &Pager{Number: i + 1, Total: n, URL: url(i + 1), Stories: stories[lo:hi]}
		if i > 0 {
			p.Prev = url(i)
		}
		if i < n-1 {
			p.Next = url(i + 2)
		}
		out[i] = p
	}
	return out
}
