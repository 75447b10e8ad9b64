package render

// Patch: the render after an edit to stories' text alone.
//
// Saving a story is most of an editor's work in the dev server, and most
// such saves change its text and nothing else: no title, date, term or
// picture, so no list, term, feed order, filter count or sitemap entry
// moves. Since (only.go) still plans every page of the site to find the
// few that show the story, and on 10,000 stories that planning, with the
// model, the search documents and the feeds' and sitemap's digests made
// again, is hundreds of milliseconds where the editor's budget is one
// hundred. A render that keeps its plan (Options.Remember) can instead be
// patched: the model's stories keep their places and take their new text
// (build does that), and Memo.Patch executes again, from the plan as it
// was made, only the pages that list a changed story and those that show
// what no list says (home, indexes), then makes the feeds that carry it
// and the search indexes again. Everything else is the last render's.

import (
	"bytes"
	"cmp"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/postcard-ssg/postcard/generator/content"
	"github.com/postcard-ssg/postcard/generator/search"
	"github.com/postcard-ssg/postcard/generator/site"
)

// plan is a render's planned pages, kept for Memo.Patch.
type plan struct {
	// r is the renderer that executed the pages (the default
	// language's), langs every language's, whose state they share.
	r     *renderer
	langs []*renderer
	queue []queued
	// lists are, by story, the pages of queue (their index) that show
	// its card, title or link (shows); always are those that show
	// something else of the site, which Patch executes every time.
	lists  map[*site.Story][]int32
	always []int32
}

// record notes what the page about to be queued shows, for Patch.
func (pl *plan) record(i int, stories []*site.Story, listed bool) {
	if !listed {
		pl.always = append(pl.always, int32(i))
		return
	}
	// A page that lists a story twice is noted twice; Patch executes it once.
	for _, st := range stories {
		pl.lists[st] = append(pl.lists[st], int32(i))
	}
}

// Patch says what changed for Memo.Patch.
type Patch struct {
	// Stories are the stories whose text changed, as the model holds
	// them now, and Was each one's content before the edit.
	Stories []*site.Story
	Was     map[*site.Story]*content.Story
	// CardPages are the pages whose social card changed, and Cards
	// gives those cards, by page URL, once they are drawn: Patch
	// executes the other pages meanwhile.
	CardPages []string
	Cards     func() (map[string]Card, error)
}

// patchIndex builds the language's search index again from the last
// one's documents, those of stories made again.
func (r *renderer) patchIndex(stories []*site.Story, dir string) (*search.Index, error) {
	dl := r.stats.Memo.docs[dir]
	if dl == nil {
		return r.searchIndexFor(r.Site.Stories, r.lang(), dir)
	}
	docs := slices.Clone(dl.docs)
	for _, st := range stories {
		if i, ok := dl.at[st]; ok {
			docs[i] = r.searchDoc(st)
		}
	}
	r.stats.Memo.docs[dir] = &docList{docs, dl.at}
	return r.writeIndex(docs, r.lang(), dir)
}

// Patchable reports whether Patch can render after an edit to a story's
// text: the render kept its plan, and the site has one language (a
// translation that leaves its text to its default file shows it too).
func (m *Memo) Patchable() bool {
	return m != nil && m.plan != nil && len(m.plan.langs) == 1
}

// Patch renders into sink what an edit to the text of pt.Stories changed
// since the render m was kept from, which must have been told nothing
// else changed: the model is the same but for those stories' Source. It
// returns the render's stats (Rendered lists the pages it executed, Kept
// the pages, feeds and sitemap it left as they were, and Shown is the
// last render's, which the edit did not move) and the files
// of the last render that are no longer made (the search indexes'
// replaced files). m is updated in place for the next Patch or render.
func (m *Memo) Patch(pt Patch, sink Sink) (Stats, []string, error) {
	pl := m.plan
	r := pl.r
	r.sink = sink
	r.stats = Stats{Shown: m.shown, Memo: m}
	r.changedIn, r.changed = nil, nil
	r.items, r.keptFeeds = nil, nil
	changed, stories := map[string]bool{}, map[*site.Story]bool{}
	for _, st := range pt.Stories {
		changed[st.Source.Slug], stories[st] = true, true
		if was := pt.Was[st]; was != nil {
			delete(m.texts, was)
			delete(m.items, itemKey{was, st.URL})
		}
	}
	r.partials.forget(stories)
	since := &Since{Shown: m.shown, Changed: changed, Memo: m}
	for _, l := range append([]*renderer{r}, pl.langs...) {
		l.Since = since
	}
	// The pages to execute: those that list a changed story, and those
	// that show something else of the site; the search page, which
	// names the index's manifest, once the index is made.
	all := slices.Clone(pl.always)
	for _, st := range pt.Stories {
		all = append(all, pl.lists[st]...)
	}
	slices.Sort(all)
	all = slices.Compact(all)
	var todo, last []int32
	for _, i := range all {
		if p := pl.queue[i].page; p.Kind == "search" || slices.Contains(pt.CardPages, p.URL) {
			last = append(last, i)
		} else {
			todo = append(todo, i)
		}
	}

	// The search indexes and the feeds are made on goroutines of their
	// own while the pages are executed: each is a few milliseconds of
	// one core, where the pages keep every core busy only for as long.
	// They touch nothing the pages read, nor what the other writes (the
	// search texts; the feed items and the changed stories' lookup).
	var gone []string
	var searchErr, feedErr error
	manifests := make([]string, len(pl.langs))
	var side sync.WaitGroup
	side.Go(func() {
		for i, l := range pl.langs {
			dir := searchDir(l)
			old := m.search[dir]
			ix, err := l.patchIndex(pt.Stories, dir)
			if err != nil {
				searchErr = err
				return
			}
			manifests[i] = ix.Manifest
			if old != nil {
				for name := range old.Files {
					if _, ok := ix.Files[name]; !ok {
						gone = append(gone, name)
					}
				}
			}
		}
	})
	side.Go(func() {
		for _, l := range pl.langs {
			if feedErr = l.patchFeeds(pt.Stories); feedErr != nil {
				return
			}
		}
	})
	err := r.executeAll(pl.queue, todo)
	side.Wait()
	err = cmp.Or(err, searchErr, feedErr)
	if err == nil {
		for i, l := range pl.langs {
			l.searchManifest[l.lang()] = manifests[i]
		}
	}
	if err == nil && pt.Cards != nil {
		var cards map[string]Card
		cards, err = pt.Cards()
		for u, c := range cards {
			r.Cards[u] = c
		}
	}
	if err == nil {
		err = r.executeAll(pl.queue, last)
	}
	if err != nil {
		return r.stats, nil, err
	}
	executed := make([]bool, len(pl.queue))
	for _, i := range all {
		r.stats.Rendered = append(r.stats.Rendered, pl.queue[i].page.URL)
		executed[i] = true
	}
	r.stats.Pages = len(all)
	for i, q := range pl.queue {
		if !executed[i] {
			r.stats.Kept = append(r.stats.Kept, q.file)
			r.stats.KeptPages++
		}
	}
	// The sitemap lists the same pages with the same dates.
	r.stats.Kept = append(append(r.stats.Kept, r.keptFeeds...), "sitemap.xml")
	r.items, r.keptFeeds = nil, nil
	slices.Sort(gone)
	return r.stats, gone, nil
}

// executeAll executes the pages of queue at todo, on as many goroutines
// as Go runs at once, and returns the first error in todo's order.
func (r *renderer) executeAll(queue []queued, todo []int32) error {
	errs := make([]error, len(todo))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(todo)) {
		wg.Go(func() {
			var buf bytes.Buffer
			for k := int(next.Add(1)) - 1; k < len(todo); k = int(next.Add(1)) - 1 {
				errs[k] = r.write(queue[todo[k]], nil, &buf)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
