package output

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func set(t *testing.T, files map[string]string) *Set {
	t.Helper()
	s := NewSet()
	for n, d := range files {
		if err := s.WriteFile(n, []byte(d)); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func write(t *testing.T, p, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// TestWriteRemovesOnlyWhatItWrote: a later build removes the files an
// earlier one wrote and it no longer produces, and nothing else.
func TestWriteRemovesOnlyWhatItWrote(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	if err := set(t, map[string]string{"index.html": "a", "stories/old/index.html": "old", "stories/new/index.html": "new"}).Write(dir); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "CNAME"), "stories.example.org")
	write(t, filepath.Join(dir, "stories", "notes.txt"), "mine")
	if err := set(t, map[string]string{"index.html": "b", "stories/new/index.html": "new"}).Write(dir); err != nil {
		t.Fatal(err)
	}
	if exists(filepath.Join(dir, "stories", "old")) {
		t.Error("the unpublished story's page (and its emptied folder) is still there")
	}
	for _, keep := range []string{"CNAME", "stories/notes.txt", "stories/new/index.html"} {
		if !exists(filepath.Join(dir, keep)) {
			t.Errorf("%s was removed", keep)
		}
	}
	m, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	entries, err := parseRecord(m)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for n := range entries {
		got = append(got, n)
	}
	slices.Sort(got)
	if strings.Join(got, " ") != "index.html stories/new/index.html" {
		t.Errorf("marker lists %q", got)
	}
}

func TestWriteRefuses(t *testing.T) {
	root := t.TempDir()
	src := filepath.Join(root, "site")
	write(t, filepath.Join(src, "site.toml"), "")
	write(t, filepath.Join(src, "content", "x.md"), "")
	write(t, filepath.Join(root, ".git", "HEAD"), "")
	write(t, filepath.Join(root, "other", "keep.txt"), "")
	write(t, filepath.Join(root, "nested", "a", ".git"), "gitdir: elsewhere")
	if err := os.Symlink(root, filepath.Join(src, "up")); err != nil {
		t.Fatal(err)
	}
	s := set(t, map[string]string{"index.html": "x"})
	tests := []struct {
		dir   string
		clean bool
		want  string
	}{
		{root, true, "holds the site's own folder"},
		{src, true, "the site's own folder"},
		{filepath.Join(src, "up"), true, "holds the site's own folder"},
		{filepath.Join(src, "content"), true, "inside the site's content/ folder"},
		{filepath.Join(src, "static", "out"), true, "inside the site's static/ folder"},
		{filepath.Join(root, "other"), false, "Postcard did not write it"},
		{filepath.Join(root, "nested"), true, "Git repository"},
	}
	for _, tt := range tests {
		err := s.WriteDir(tt.dir, WriteOptions{Source: src, Clean: tt.clean})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.dir, err, tt.want)
		}
	}
	for _, p := range []string{"site/site.toml", "site/content/x.md", ".git/HEAD", "other/keep.txt", "nested/a/.git"} {
		if !exists(filepath.Join(root, p)) {
			t.Errorf("%s was removed", p)
		}
	}
	if exists(filepath.Join(src, "static")) {
		t.Error("a refused destination was created")
	}
	// Taken over explicitly, a folder without sources is cleaned.
	if err := s.WriteDir(filepath.Join(root, "other"), WriteOptions{Source: src, Clean: true}); err != nil {
		t.Fatal(err)
	}
	if exists(filepath.Join(root, "other", "keep.txt")) || !exists(filepath.Join(root, "other", "index.html")) {
		t.Error("--clean-destination did not take the folder over")
	}
}

// TestMarkerIsNotOutput: the marker is never a file of the set, so the dev
// server does not serve it and it is not counted.
func TestMarkerIsNotOutput(t *testing.T) {
	s := NewSet()
	if err := s.WriteFile(ManifestName, []byte("x")); err == nil {
		t.Error("a build file took the marker's name")
	}
	dir := t.TempDir()
	if err := set(t, map[string]string{"a.html": "a"}).Write(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := fs.Stat(s.FS(), ManifestName); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the marker is in the set: %v", err)
	}
}

// TestInterruptedWriteIsRemembered: before writing files, the marker
// already lists them, so a build stopped halfway still cleans up later.
func TestInterruptedWriteIsRemembered(t *testing.T) {
	dir := t.TempDir()
	s := set(t, map[string]string{"a.html": "a"})
	if err := s.Write(dir); err != nil {
		t.Fatal(err)
	}
	d, err := prepareDest(dir, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.root.Close()
	if err := d.writeMarker(union(d.listed, []string{"b.html"})); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "b.html"), "b") // and the build stops here
	if err := s.Write(dir); err != nil {
		t.Fatal(err)
	}
	if exists(filepath.Join(dir, "b.html")) {
		t.Error("a file of an interrupted build was left behind")
	}
}

// TestPageNamedLikeASource: a page Postcard wrote at /content/ is its own,
// not a sign of a source folder.
func TestPageNamedLikeASource(t *testing.T) {
	dir := t.TempDir()
	s := set(t, map[string]string{"content/index.html": "a page called content"})
	for range 2 {
		if err := s.Write(dir); err != nil {
			t.Fatal(err)
		}
	}
	write(t, filepath.Join(dir, "site.toml"), "")
	if err := s.Write(dir); err == nil || !strings.Contains(err.Error(), "holds site.toml") {
		t.Errorf("err = %v", err)
	}
}

// TestKeep: a rebuild keeps the last build's files it did not make again,
// and learns when the last build lacks one.
func TestKeep(t *testing.T) {
	prev := NewSet()
	for _, name := range []string{"a/index.html", "b/index.html"} {
		if err := prev.WriteFile(name, []byte(name)); err != nil {
			t.Fatal(err)
		}
	}
	s := NewSet()
	if err := s.WriteFile("c/index.html", []byte("new")); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.Keep(prev, []string{"a/index.html", "b/index.html"}); !ok || err != nil {
		t.Fatalf("Keep = %v, %v", ok, err)
	}
	if got := s.Names(); !slices.Equal(got, []string{"a/index.html", "b/index.html", "c/index.html"}) {
		t.Errorf("files %v", got)
	}
	if b, _ := s.Get("b/index.html"); string(b) != "b/index.html" {
		t.Errorf("b/index.html = %q", b)
	}
	if ok, _ := s.Keep(prev, []string{"gone/index.html"}); ok {
		t.Error("Keep of a file the last build lacks says it kept it")
	}
	if err := prev.WriteFile("c/index.html", []byte("old")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Keep(prev, []string{"c/index.html"}); err == nil {
		t.Error("Keep over a file of other bytes is no error")
	}
}
