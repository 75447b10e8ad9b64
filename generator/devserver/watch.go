package devserver

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// watcher sorts file events into kinds (content, template, style, script,
// static, config, results) and reports each burst of saves once.
type watcher struct {
	root    string
	results string // the results CSV, absolute; or ""
	w       *fsnotify.Watcher
}

// newWatcher watches the site in root and, when it is not "", the results
// CSV (wherever it is: its folder is watched, as editors save by rename).
func newWatcher(root, results string) (*watcher, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	wa := &watcher{root: root, results: results, w: w}
	if err := w.Add(root); err != nil {
		w.Close()
		return nil, err
	}
	if results != "" {
		w.Add(filepath.Dir(results)) // a missing folder fails the build, which says so
	}
	for _, dir := range []string{"content", "layouts", "static", "themes", "assets", "i18n"} {
		wa.addTree(filepath.Join(root, dir))
	}
	return wa, nil
}

// addTree watches dir and every folder below it (fsnotify is not recursive).
func (wa *watcher) addTree(dir string) {
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") && p != dir {
				return filepath.SkipDir
			}
			wa.w.Add(p)
		}
		return nil
	})
}

func (wa *watcher) Close() error { return wa.w.Close() }

// kind sorts a changed path.
func (wa *watcher) kind(p string) string {
	if wa.results != "" && filepath.Clean(p) == filepath.Clean(wa.results) {
		return "results"
	}
	rel, err := filepath.Rel(wa.root, p)
	if err != nil {
		return ""
	}
	rel = filepath.ToSlash(rel)
	switch {
	case rel == "site.toml":
		return "config"
	case strings.HasPrefix(rel, "content/"):
		return "content"
	case strings.HasSuffix(rel, ".html") && (strings.HasPrefix(rel, "layouts/") || strings.HasPrefix(rel, "themes/")):
		return "template"
	case strings.HasSuffix(rel, ".scss") || strings.HasSuffix(rel, ".css"):
		return "style"
	case strings.HasSuffix(rel, ".js") || strings.HasSuffix(rel, ".ts"):
		return "script"
	case strings.HasPrefix(rel, "static/") || strings.Contains(rel, "/static/"):
		return "static"
	case strings.HasPrefix(rel, "layouts/") || strings.HasPrefix(rel, "themes/") || strings.HasPrefix(rel, "assets/"):
		return "template"
	case strings.HasPrefix(rel, "i18n/"):
		return "template" // the theme's words, as a site rewords them
	}
	return ""
}

// settle is how long run waits after an event for more of the same
// burst: an editor's save is a write, or a write to a temporary file and a
// rename, a few milliseconds apart, and a checkout touches many files at
// once. It is short, since it counts in every edit's time to the browser.
const settle = 15 * time.Millisecond

// change is one burst of events: their kinds, sorted, and the changed
// paths, slash paths from the site's folder (the results CSV has none).
type change struct {
	kinds []string
	paths []string
}

// run calls onChange with each burst of events once the burst has been
// quiet for settle, so an editor's save-and-rename counts once.
func (wa *watcher) run(ctx context.Context, onChange func(change)) {
	timer := time.NewTimer(settle)
	timer.Stop()
	pending := map[string]bool{}
	paths := map[string]bool{}
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-wa.w.Events:
			if !ok {
				return
			}
			base := filepath.Base(ev.Name)
			if strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") || strings.HasSuffix(base, ".swp") {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
					wa.addTree(ev.Name)
					// A new folder's files may have been written before it
					// was watched: count them all as changed.
					wa.walkFiles(ev.Name, paths)
				}
			}
			if k := wa.kind(ev.Name); k != "" {
				pending[k] = true
				if rel, err := filepath.Rel(wa.root, ev.Name); err == nil && k != "results" {
					paths[filepath.ToSlash(rel)] = true
				}
				timer.Reset(settle)
			}
		case <-wa.w.Errors:
		case <-timer.C:
			c := change{kinds: sortedKeys(pending), paths: sortedKeys(paths)}
			clear(pending)
			clear(paths)
			onChange(c)
		}
	}
}

// walkFiles adds the files below dir, as slash paths from the site's folder.
func (wa *watcher) walkFiles(dir string, into map[string]bool) {
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if rel, err := filepath.Rel(wa.root, p); err == nil {
				into[filepath.ToSlash(rel)] = true
			}
		}
		return nil
	})
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
