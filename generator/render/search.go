package render

import (
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/postcard-ssg/postcard/generator/content"
	"github.com/postcard-ssg/postcard/generator/search"
	"github.com/postcard-ssg/postcard/generator/site"
)

// search writes the search index of the published stories of the
// language being rendered, under its prefix ("search/", "fi/search/"), and
// the search page that queries it (its layout reads the manifest's URL
// with searchIndex). A story without a translation is in the index of
// every language, in its own words, as it is in every language's lists.
func (r *renderer) search() error {
	lang := r.lang()
	dir := searchDir(r)
	ix, err := r.searchIndexFor(r.Site.Stories, lang, dir)
	if err != nil {
		return err
	}
	r.searchManifest[lang] = ix.Manifest
	p := r.newPage("search", r.t(lang, "search", "Search"), r.t(lang, "search_description", ""), r.rel(lang, "/search/"))
	return r.execute("search.html", p, "", func(p *Page) {
		p.JSONLD = append(p.JSONLD, r.pageLD("SearchResultsPage", p))
	})
}

// searchDir is the folder of the language's search index.
func searchDir(r *renderer) string { return strings.Trim(r.rel(r.lang(), "/search"), "/") }

// searchIndexFor builds and writes the index of stories (drafts left out).
// After an edit (Options.Since) it starts from the last render's index of
// the language, which tokenises again only what changed.
func (r *renderer) searchIndexFor(stories []*site.Story, lang, dir string) (*search.Index, error) {
	r.storyTexts(stories)
	var docs []search.Doc
	var at map[*site.Story]int
	if r.plan != nil {
		at = make(map[*site.Story]int, len(stories))
	}
	for _, st := range stories {
		if st.Draft {
			continue
		}
		if at != nil {
			at[st] = len(docs)
		}
		docs = append(docs, r.searchDoc(st))
	}
	if at != nil {
		r.stats.Memo.docs[dir] = &docList{docs, at}
	}
	return r.writeIndex(docs, lang, dir)
}

// writeIndex builds the index of docs and writes its files.
func (r *renderer) writeIndex(docs []search.Doc, lang, dir string) (*search.Index, error) {
	var prev *search.Index
	if r.Since != nil && r.Since.Memo != nil {
		prev = r.Since.Memo.search[dir]
	}
	ix, err := search.Build(docs, search.Options{Lang: lang, Dir: dir, Prev: prev})
	if err != nil {
		return nil, err
	}
	r.stats.Memo.search[dir] = ix
	for _, name := range sortedNames(ix.Files) {
		if err := r.sink.WriteFile(name, ix.Files[name]); err != nil {
			return nil, err
		}
	}
	return ix, nil
}

func (r *renderer) searchDoc(st *site.Story) search.Doc {
	src := st.Source
	lang := r.lang()
	kind := r.t(lang, "kind_"+src.Kind.Slug, src.Kind.Name)
	d := search.Doc{URL: st.URL, Title: src.Title, Kind: kind}
	meta := []string{kind, r.t(lang, "kinds_"+src.Kind.Slug, src.Kind.Plural), src.Kind.Name, src.Kind.Plural}
	if st.Ambassador != nil {
		d.Teller = st.Ambassador.Source.Name
		meta = append(meta, st.Ambassador.Source.Name)
	}
	for _, a := range st.Contributors {
		meta = append(meta, a.Source.Name)
	}
	if st.Place != nil {
		d.Place = st.Place.Name
		meta = append(meta, st.Place.Name)
	}
	for _, t := range st.Tags {
		meta = append(meta, t.Name)
	}
	if st.Contest != nil {
		d.Contest = st.Contest.Source.Title
		meta = append(meta, st.Contest.Source.Title)
	}
	d.Meta = strings.Join(meta, "\n")
	d.Body, d.Excerpt = r.storyText(src)
	for _, m := range coverOf(st) {
		if img := r.Images[m.Src]; img != nil {
			if v := img.Fallback().Variants; len(v) > 0 {
				d.Thumb = v[0].URL
			}
		}
	}
	return d
}

func sortedNames(files map[string][]byte) []string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// excerpt shortens s to at most max runes, at a word boundary.
func excerpt(s string, max int) string {
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	cut := string(r[:max-1])
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, ",;:.-– ") + "…"
}

// Memo is what a render keeps for the next one to start from
// (Since.Memo): each language's search index, by folder, the text of
// each story as the index reads it, and the feed items' HTML.
type Memo struct {
	search map[string]*search.Index
	texts  map[*content.Story]storyText
	items  map[itemKey]string
	// plan is the render's planned pages, shown its Stats.Shown, and
	// docs each search index's documents, for Patch (patch.go).
	plan  *plan
	shown map[string]string
	docs  map[string]*docList
}

// docList is a search index's documents, and where each story's is.
type docList struct {
	docs []search.Doc
	at   map[*site.Story]int
}

// itemKey is what a feed item is made from, besides the site's settings.
type itemKey struct {
	src *content.Story
	url string
}

func newMemo() *Memo {
	return &Memo{search: map[string]*search.Index{}, texts: map[*content.Story]storyText{}, items: map[itemKey]string{}, docs: map[string]*docList{}}
}

// storyText is a story's text as its search document has it.
type storyText struct{ body, excerpt string }

// storyText returns the plain text and the excerpt of a story's search
// document. A content.Story never changes once read and a Rebuild keeps
// the unchanged ones, so they are taken from the last render's memo:
// the same strings, which the index compares at no cost, rather than ten
// thousand bodies written out again.
func (r *renderer) storyText(src *content.Story) (string, string) {
	if t, ok := r.stats.Memo.texts[src]; ok {
		return t.body, t.excerpt
	}
	t, ok := storyText{}, false
	if r.Since != nil && r.Since.Memo != nil {
		t, ok = r.Since.Memo.texts[src]
	}
	if !ok {
		t = makeStoryText(src)
	}
	r.stats.Memo.texts[src] = t
	return t.body, t.excerpt
}

func makeStoryText(src *content.Story) storyText {
	return storyText{src.Description + "\n" + src.Body.PlainText(), excerpt(cmpDesc(src.Description, src.Body), 140)}
}

// storyTexts makes the search texts of the stories the memos lack, on as
// many goroutines as Go runs at once, into the memo: each is a parse of
// the story's body (markdown.Doc keeps no tree), and planning, which
// reads them, runs on one goroutine while the other cores wait.
func (r *renderer) storyTexts(stories []*site.Story) {
	var todo []*content.Story
	for _, st := range stories {
		src := st.Source
		if st.Draft {
			continue
		}
		if _, ok := r.stats.Memo.texts[src]; ok {
			continue
		}
		if r.Since != nil && r.Since.Memo != nil {
			if _, ok := r.Since.Memo.texts[src]; ok {
				continue
			}
		}
		todo = append(todo, src)
	}
	out := make([]storyText, len(todo))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(todo)) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(todo); i = int(next.Add(1)) - 1 {
				out[i] = makeStoryText(todo[i])
			}
		})
	}
	wg.Wait()
	for i, src := range todo {
		r.stats.Memo.texts[src] = out[i]
	}
}
