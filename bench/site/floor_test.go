package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestFileFloor: the floor copies a built site's tree, file for file, and
// links what the build linked.
func TestFileFloor(t *testing.T) {
	dir := t.TempDir()
	public := filepath.Join(dir, "public")
	for name, data := range map[string]string{"index.html": "<p>home</p>", "stories/a/index.html": "<p>a</p>", "feed.xml": "<rss/>"} {
		p := filepath.Join(public, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cached := filepath.Join(dir, "card.png")
	if err := os.WriteFile(cached, []byte("png"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(cached, filepath.Join(public, "stories", "a", "card.png")); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "floor")
	_, n, err := fileFloor(public, out)
	if err != nil {
		t.Fatal(err)
	}
	if n != 4 {
		t.Errorf("%d files, want 4", n)
	}
	if b, err := os.ReadFile(filepath.Join(out, "stories", "a", "index.html")); err != nil || string(b) != "<p>a</p>" {
		t.Errorf("stories/a/index.html = %q, %v", b, err)
	}
	a, _ := os.Stat(cached)
	b, err := os.Stat(filepath.Join(out, "stories", "a", "card.png"))
	if err != nil || !os.SameFile(a, b) {
		t.Errorf("the linked card was not linked: %v", err)
	}
	if _, _, err := fileFloor(public, out); err == nil {
		t.Error("a floor into an existing folder is no error")
	}
}
