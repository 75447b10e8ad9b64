package build

import (
	"context"
	"path"
	"strings"
	"time"

	"github.com/postcard-ssg/postcard/generator/content"
	"github.com/postcard-ssg/postcard/generator/output"
	"github.com/postcard-ssg/postcard/generator/render"
)

// Rebuild builds the site again, into memory as Run does, after the files
// named in changed (slash paths from the site's folder) changed since prev
// was built from it, and gives the result Run would give. When every
// change is to a story's files (its text, a translation, its bundle's
// media) or to a page layout, it starts from what prev kept:
//
//   - content/: only the entries the changed paths belong to are read
//     again; every other is prev's as it was read (content.Options.Reuse);
//   - pages and feeds: only those that can show the change are rendered
//     (render.Since), prev's files standing for the others, and so for
//     the sitemap when it lists the same pages;
//   - search indexes: only the changed stories are tokenised, only the
//     shards of their words encoded (search.Options.Prev);
//   - social cards: those drawn from an unchanged entry are prev's.
//
// An edit to stories' text alone, their front matter as it was, is
// quicker still (patch.go): the model, the plan of the pages and
// everything else are the last build's, and only what shows the text is
// made again. Otherwise the model, the image pipeline's requests and the
// assets are made again whole. Any other change (a partial, a stylesheet,
// site.toml, an ambassador), or a contest's phase moving on since prev,
// is a full build: correctness before speed.
func Rebuild(ctx context.Context, o Options, prev *Result, changed []string) (*Result, error) {
	if prev != nil {
		if res, ok, err := patch(ctx, o, prev, changed); ok {
			return res, err
		}
	}
	since, ok := classify(changed)
	if !ok || prev == nil || prev.Files == nil || prev.render.Shown == nil || prev.Site == nil {
		return Run(ctx, o)
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if phaseMoved(prev.Site, o.Now) {
		return Run(ctx, o)
	}
	since.Shown, since.Memo = prev.render.Shown, prev.render.Memo
	inc := o
	inc.since = since
	inc.changed = changed
	inc.prevContent = prev.content
	inc.prevCards = prev.cards
	files := output.NewSet()
	res, err := run(ctx, inc, func() (sink, error) { return files, nil })
	if err != nil {
		return res, err
	}
	ok, err = files.Keep(prev.Files, res.render.Kept)
	if err != nil {
		return nil, err
	}
	if !ok {
		// The last build did not make them all after all: make everything.
		return Run(ctx, o)
	}
	res.Files, res.made = files, files.Len()
	res.Pages += res.render.KeptPages
	return res, nil
}

// classify sorts the changed paths: the slugs of the stories whose files
// changed, and the page layouts that changed (render.PageLayout), in the
// site's layouts/ or a theme's. It returns false when a change is to
// anything else, which needs a full build.
func classify(changed []string) (*render.Since, bool) {
	if len(changed) == 0 {
		return nil, false
	}
	since := &render.Since{Changed: map[string]bool{}, Layouts: map[string]bool{}}
	for _, p := range changed {
		p = path.Clean(p)
		if l, ok := pageLayout(p); ok {
			since.Layouts[l] = true
			continue
		}
		slug, ok := storyOf(p)
		if !ok {
			return nil, false
		}
		since.Changed[slug] = true
	}
	return since, true
}

// pageLayout returns the layout p is, when it is a page layout.
func pageLayout(p string) (string, bool) {
	dir, name := path.Split(p)
	dir = strings.TrimSuffix(dir, "/")
	if dir != "layouts" {
		parts := strings.Split(dir, "/")
		if len(parts) != 3 || parts[0] != "themes" || parts[2] != "layouts" {
			return "", false
		}
	}
	return name, render.PageLayout(name)
}

// storyOf returns the slug of the story whose file p is.
func storyOf(p string) (string, bool) {
	rest, ok := strings.CutPrefix(p, content.Dir+"/stories/")
	if !ok || rest == "" {
		return "", false
	}
	name, inBundle := rest, false
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		name, inBundle = rest[:i], true
	}
	if !inBundle {
		// content/stories/x.md or a translation, x.fi.md.
		base, ok := strings.CutSuffix(name, ".md")
		if !ok {
			return "", false
		}
		name, _, _ = strings.Cut(base, ".")
	}
	if name == "" || strings.HasPrefix(name, ".") {
		return "", false
	}
	return name, true
}
