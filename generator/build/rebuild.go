package build

import (
	"context"
	"path"
	"strings"

	"github.com/postcard-ssg/postcard/generator/content"
	"github.com/postcard-ssg/postcard/generator/output"
	"github.com/postcard-ssg/postcard/generator/render"
)

// Rebuild builds the site again, into memory as Run does, after the files
// named in changed (slash paths from the site's folder) changed since prev
// was built from it. When every change is to a story's files (its text,
// a translation, its bundle's media) it re-renders only the pages that can
// show the change (render.Since) and keeps prev's version of the others;
// the model, images, assets, cards, feeds, search indexes and sitemap are
// made again whole, so the result is the one Run would give. Any other
// change (a layout, a stylesheet, site.toml, an ambassador) is a full
// build: correctness before speed.
func Rebuild(ctx context.Context, o Options, prev *Result, changed []string) (*Result, error) {
	slugs, ok := changedStories(changed)
	if !ok || prev == nil || prev.Files == nil || prev.render.Shown == nil {
		return Run(ctx, o)
	}
	o.since = &render.Since{Shown: prev.render.Shown, Changed: slugs}
	o.prevCards = prev.cards
	o.prevMD = prev.md
	files := output.NewSet()
	res, err := run(ctx, o, func() (sink, error) { return files, nil })
	if err != nil {
		return res, err
	}
	for _, name := range res.render.Kept {
		data, ok := prev.Files.Get(name)
		if !ok {
			// The last build did not make it after all: make everything.
			return Run(ctx, o)
		}
		if err := files.WriteFile(name, data); err != nil {
			return nil, err
		}
	}
	res.Files = files
	res.Pages += len(res.render.Kept)
	return res, nil
}

// changedStories returns the slugs of the stories whose files are in
// changed, and false when a change is to anything but a story.
func changedStories(changed []string) (map[string]bool, bool) {
	if len(changed) == 0 {
		return nil, false
	}
	slugs := map[string]bool{}
	prefix := content.Dir + "/stories/"
	for _, p := range changed {
		p = path.Clean(p)
		rest, ok := strings.CutPrefix(p, prefix)
		if !ok || rest == "" {
			return nil, false
		}
		name, inBundle := rest, false
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			name, inBundle = rest[:i], true
		}
		if !inBundle {
			// content/stories/x.md or a translation, x.fi.md.
			base, ok := strings.CutSuffix(name, ".md")
			if !ok {
				return nil, false
			}
			name, _, _ = strings.Cut(base, ".")
		}
		if name == "" || strings.HasPrefix(name, ".") {
			return nil, false
		}
		slugs[name] = true
	}
	return slugs, true
}
