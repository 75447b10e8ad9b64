package site

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
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

// KindTitles names the kinds of story for people.
var KindTitles = map[string]string{"photo": "Photos", "video": "Videos", "story": "Stories", "poem": "Poems"}

func (s *Site) buildTaxonomies() []*Taxonomy {
	places := newIndex("places")
	tags := newIndex("tags")
	kinds := newIndex("kinds")
	for _, st := range s.Stories {
		if st.Story.Place != "" {
			st.Place = places.add(st.Story.Place, st)
		}
		for _, t := range st.Story.Tags {
			if t != "" {
				st.Tags = append(st.Tags, tags.add(t, st))
			}
		}
		st.KindTerm = kinds.add(st.Kind, st)
	}
	for _, t := range kinds.terms {
		t.Name = KindTitles[t.Slug]
	}
	return []*Taxonomy{places.done("Places"), tags.done("Tags"), kinds.done("Kinds")}
}

type index struct {
	name  string
	terms map[string]*Term
}

func newIndex(name string) *index { return &index{name: name, terms: map[string]*Term{}} }

func (x *index) add(name string, st *Story) *Term {
	slug := Slugify(name)
	t := x.terms[slug]
	if t == nil {
		t = &Term{Taxonomy: x.name, Name: name, Slug: slug, URL: "/" + x.name + "/" + slug + "/"}
		x.terms[slug] = t
	}
	if len(t.Stories) == 0 || t.Stories[len(t.Stories)-1] != st {
		t.Stories = append(t.Stories, st)
	}
	return t
}

func (x *index) done(title string) *Taxonomy {
	tx := &Taxonomy{Name: x.name, Title: title, URL: "/" + x.name + "/"}
	for _, t := range x.terms {
		tx.Terms = append(tx.Terms, t)
	}
	slices.SortFunc(tx.Terms, func(a, b *Term) int {
		if x.name == "kinds" {
			return cmp.Compare(kindOrder(a.Slug), kindOrder(b.Slug))
		}
		return cmp.Or(cmp.Compare(len(b.Stories), len(a.Stories)), strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)))
	})
	return tx
}

func kindOrder(k string) int {
	for i, x := range []string{"photo", "video", "story", "poem"} {
		if x == k {
			return i
		}
	}
	return 99
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
