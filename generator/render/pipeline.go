package render

// Executing the pages on every core.
//
// A site of 10,000 stories has some 15,000 pages, and executing their
// layouts is most of a build's work. Planning stays on one goroutine (it
// decides what is rendered, in a fixed order); flush then hands the
// planned pages, in that order, to one worker per core, each of which
// fills a page in, executes its layout and gives it to the sink, which
// writes it while the next pages are made; meanwhile the planning
// goroutine makes the feeds. A page's costly parts (its body's HTML, its
// structured data) are made by the worker just before it is executed and
// dropped once it is written, so memory holds the plan, not the site:
// only as many pages are whole at once as there are workers. Pages are
// not minified: the layouts' indentation is taken out once, as they are
// parsed (compactNew in theme.go).
//
// What the workers share is read only once planning is done (the model,
// the templates, translators, the queue, the translation links), safe for
// concurrent use (the sink, html/template's templates: each layout's set
// has the one entry point base.html, escaped under the set's own lock by
// its first execution before any other runs it), or
// guarded (partial.go's cache). The stats a caller reads are recorded by
// the planning goroutine as it hands pages out, so they come out in the
// plan's order whatever order the pages are finished in.

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
)

// flush links each queued page to its translations and writes it, on as
// many goroutines as Go may run at once. It returns the error of the first
// page in the queue's order that failed: every page before it was handed
// out before it, so which error is reported does not depend on timing.
func (r *renderer) flush() error {
	var alts map[string]map[string]string
	if len(r.Sites) > 1 { // one language's pages have no translations to link
		alts = r.alternates()
	}
	work := make(chan int)
	errs := make([]error, len(r.queue))
	var failed atomic.Bool
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			var buf bytes.Buffer
			for i := range work {
				if err := r.write(r.queue[i], alts, &buf); err != nil {
					errs[i] = err
					failed.Store(true)
				}
			}
		})
	}
	for i, q := range r.queue {
		if failed.Load() || r.stop.Load() {
			break
		}
		if !r.want[q.page.URL] {
			r.skip(q.page, q.file)
			continue
		}
		r.stats.Pages++
		r.stats.Rendered = append(r.stats.Rendered, q.page.URL)
		if strings.HasSuffix(q.file, "index.html") && !q.page.NoIndex {
			r.written = append(r.written, q.file) // for the sitemap
		}
		work <- i
	}
	close(work)
	wg.Wait()
	r.queue = nil
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// write renders q's layout for its page into its file. It works on a copy
// of the page, so that what fill and the translation links add is garbage
// once the page is written; buf is the worker's, reused from page to page.
func (r *renderer) write(q queued, alts map[string]map[string]string, buf *bytes.Buffer) error {
	page := *q.page
	p := &page
	t, ok := r.tpls[p.Lang][q.layout]
	if !ok {
		return fmt.Errorf("layouts/%s: no such layout in the site or its theme", q.layout)
	}
	if q.fill != nil {
		q.fill(p)
	}
	r.translations(p, alts)
	r.socialCard(p)
	buf.Reset()
	if err := t.ExecuteTemplate(buf, "base.html", p); err != nil {
		return fmt.Errorf("rendering %s with layouts/%s: %w", p.URL, q.layout, err)
	}
	return r.sink.WriteFile(q.file, bytes.Clone(buf.Bytes()))
}
