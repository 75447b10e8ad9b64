package devserver

import (
	"path/filepath"
	"testing"
)

func TestWatcherKinds(t *testing.T) {
	root := filepath.FromSlash("/site")
	wa := &watcher{root: root}
	for rel, want := range map[string]string{
		"site.toml":                     "config",
		"content/stories/x/index.fi.md": "content",
		"layouts/story.html":            "template",
		"i18n/fi.toml":                  "template",
		"themes/mine/i18n/en.toml":      "template",
		"assets/scss/_home.scss":        "style",
		"static/logo.svg":               "static",
		"README.md":                     "",
	} {
		if got := wa.kind(filepath.Join(root, filepath.FromSlash(rel))); got != want {
			t.Errorf("%s: kind %q, want %q", rel, got, want)
		}
	}
}
