package confine

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// site is a site folder with a story bundle holding links of every kind.
func site(t *testing.T) *os.Root {
	t.Helper()
	dir := t.TempDir()
	for name, data := range map[string]string{
		"votes.db.secret":                   "secret",
		".git/config":                       "[remote]",
		"content/stories/a/index.md":        "+++",
		"content/stories/a/pier.jpg":        "jpeg",
		"content/stories/a/originals/x.jpg": "jpeg",
		"content/stories/b/other.jpg":       "jpeg",
		"static/logo.svg":                   "<svg/>",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{
		"content/stories/a/secret.jpg":  "../../../votes.db.secret",
		"content/stories/a/git.jpg":     "../../../.git/config",
		"content/stories/a/abs.jpg":     filepath.Join(dir, "votes.db.secret"),
		"content/stories/a/sibling.jpg": "../b/other.jpg",
		"content/stories/a/inside.jpg":  "originals/x.jpg",
		"content/stories/a/chain.jpg":   "inside.jpg",
		"content/stories/a/up":          "..",
		"content/stories/a/loop.jpg":    "loop.jpg",
		"content/stories/a/folder":      "originals",
		"static/leak.txt":               "../votes.db.secret",
		"static/ok.svg":                 "logo.svg",
	} {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(link))); err != nil {
			t.Skipf("symbolic links: %v", err)
		}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	return root
}

func TestFile(t *testing.T) {
	root := site(t)
	fsys := root.FS()
	const bundle = "content/stories/a"
	for name, want := range map[string]string{
		"pier.jpg":           "content/stories/a/pier.jpg",
		"inside.jpg":         "content/stories/a/originals/x.jpg",
		"chain.jpg":          "content/stories/a/originals/x.jpg",
		"folder/x.jpg":       "content/stories/a/originals/x.jpg",
		"originals/x.jpg":    "content/stories/a/originals/x.jpg",
		"folder/../pier.jpg": "content/stories/a/pier.jpg",
	} {
		got, err := File(fsys, bundle, name)
		if err != nil || got != want {
			t.Errorf("%s: %q, %v; want %q", name, got, err, want)
		}
	}
	for name, want := range map[string]string{
		"secret.jpg":     `content/stories/a/secret.jpg is a symbolic link to "../../../votes.db.secret", which points outside content/stories/a/`,
		"git.jpg":        "points outside",
		"abs.jpg":        "points outside",
		"sibling.jpg":    "points outside",
		"up/b/other.jpg": "points outside",
		"../b/other.jpg": "leaves its folder",
		"loop.jpg":       "too many levels",
		"folder":         "not a regular file",
		"gone.jpg":       "no such file",
		"pier.jpg/x":     "does not exist",
	} {
		_, err := File(fsys, bundle, name)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", name, err, want)
		}
	}
	if _, err := File(fsys, bundle, "secret.jpg"); !errors.Is(err, ErrOutside) {
		t.Errorf("a link leaving the bundle is not ErrOutside: %v", err)
	}
	if _, err := File(fsys, bundle, "gone.jpg"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file is not fs.ErrNotExist: %v", err)
	}
}

func TestFolders(t *testing.T) {
	fsys := Folders(site(t).FS())
	if b, err := fs.ReadFile(fsys, "static/ok.svg"); err != nil || string(b) != "<svg/>" {
		t.Errorf("a link inside static/: %q, %v", b, err)
	}
	if _, err := fs.ReadFile(fsys, "static/leak.txt"); err == nil || !strings.Contains(err.Error(), "points outside static/") {
		t.Errorf("a link out of static/: err = %v", err)
	}
	if _, err := fs.ReadDir(fsys, "static"); err != nil {
		t.Error(err)
	}
}

func TestOpen(t *testing.T) {
	root := site(t)
	f, _, err := Open(root, "content/stories/a/pier.jpg")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, name := range []string{"content/stories/a/secret.jpg", "content/stories/a/inside.jpg", "content/stories/a/folder/x.jpg"} {
		if _, _, err := Open(root, name); err == nil || !strings.Contains(err.Error(), "is a symbolic link") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}
