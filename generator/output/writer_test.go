package output

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLinkedFilesNeverShareWrites: a cache file published by link is not
// changed when a later build writes another file at the same name.
func TestLinkedFilesNeverShareWrites(t *testing.T) {
	dir := t.TempDir()
	cached := filepath.Join(dir, "cache", "abc123.jpg")
	write(t, cached, "cached image")
	dest := filepath.Join(dir, "public")

	w, err := NewWriter(dest, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.LinkFile("stories/a/photo.jpg", cached); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if s := w.Stats(); s.Linked != 1 {
		t.Errorf("stats %+v, want one file linked", s)
	}
	pub := filepath.Join(dest, "stories", "a", "photo.jpg")
	a, _ := os.Stat(pub)
	b, _ := os.Stat(cached)
	if hardLinks && !os.SameFile(a, b) {
		t.Error("the cache file was copied, not linked")
	}

	// The same link again is skipped; then the name gets other contents.
	w, err = NewWriter(dest, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.LinkFile("stories/a/photo.jpg", cached); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if s := w.Stats(); s.Skipped != 1 || s.Linked != 0 {
		t.Errorf("second build: %+v, want the link skipped", s)
	}
	if err := set(t, map[string]string{"stories/a/photo.jpg": "a new photo"}).Write(dest); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(cached); string(got) != "cached image" {
		t.Errorf("writing the published file changed the cache: %q", got)
	}
	if got, _ := os.ReadFile(pub); string(got) != "a new photo" {
		t.Errorf("published file is %q", got)
	}
}

// TestSameNameTwice: one name with two contents is an error, the same
// contents twice are not.
func TestSameNameTwice(t *testing.T) {
	dest := t.TempDir()
	w, err := NewWriter(dest, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w.WriteFile("a.html", []byte("one"))
	w.WriteFile("a.html", []byte("one"))
	w.WriteFile("b.html", []byte("one"))
	w.WriteFile("b.html", []byte("two"))
	err = w.Close()
	if err == nil || !strings.Contains(err.Error(), "two different files want the path /b.html") || strings.Contains(err.Error(), "a.html") {
		t.Errorf("err = %v", err)
	}
}

// TestCrashedBuildIsCleanedUp: a build that stops after creating a file,
// before it records its files, has named the file in the record, so a
// later build that no longer produces it removes it.
func TestCrashedBuildIsCleanedUp(t *testing.T) {
	dest := t.TempDir()
	if err := set(t, map[string]string{"a.html": "a"}).Write(dest); err != nil {
		t.Fatal(err)
	}
	w, err := NewWriter(dest, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w.WriteFile("a.html", []byte("a, half writ"))
	w.WriteFile("new/b.html", []byte("b"))
	if err := w.wait(); err != nil { // the writers finish, then the process dies
		t.Fatal(err)
	}
	w.journal.Close()
	w.d.root.Close()

	s := set(t, map[string]string{"a.html": "a"})
	if err := s.Write(dest); err != nil {
		t.Fatal(err)
	}
	if exists(filepath.Join(dest, "new")) {
		t.Error("the crashed build's new file was left behind")
	}
	if got, _ := os.ReadFile(filepath.Join(dest, "a.html")); string(got) != "a" {
		t.Errorf("a.html is %q", got)
	}
}

// TestAbortRemovesNothing: a failed build keeps the earlier build's files
// and records its own.
func TestAbortRemovesNothing(t *testing.T) {
	dest := t.TempDir()
	if err := set(t, map[string]string{"a.html": "a", "b.html": "b"}).Write(dest); err != nil {
		t.Fatal(err)
	}
	w, err := NewWriter(dest, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w.WriteFile("c.html", []byte("c"))
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"a.html", "b.html", "c.html"} {
		if !exists(filepath.Join(dest, n)) {
			t.Errorf("%s is gone", n)
		}
	}
	if err := set(t, map[string]string{"a.html": "a"}).Write(dest); err != nil {
		t.Fatal(err)
	}
	if exists(filepath.Join(dest, "b.html")) || exists(filepath.Join(dest, "c.html")) {
		t.Error("the next build did not remove what the failed one recorded")
	}
}

// TestRecordSurvivesOldFormat: a record of names alone (as earlier
// versions wrote it) is read, and its files compared rather than trusted.
func TestRecordSurvivesOldFormat(t *testing.T) {
	dest := t.TempDir()
	write(t, filepath.Join(dest, ManifestName), manifestHeader+"a.html\ngone.html\n")
	write(t, filepath.Join(dest, "a.html"), "a")
	write(t, filepath.Join(dest, "gone.html"), "g")
	w, err := NewWriter(dest, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w.WriteFile("a.html", []byte("a"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if s := w.Stats(); s.Skipped != 1 || s.Removed != 1 {
		t.Errorf("stats %+v", s)
	}
	if exists(filepath.Join(dest, "gone.html")) {
		t.Error("gone.html was kept")
	}
}

// TestModeIsFixed: a file the umask or someone else made private is made
// readable again when it is written.
func TestModeIsFixed(t *testing.T) {
	dest := t.TempDir()
	if err := set(t, map[string]string{"a.html": "a"}).Write(dest); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dest, "a.html")
	os.Chmod(p, 0o600)
	if err := set(t, map[string]string{"a.html": "b"}).Write(dest); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v", st.Mode())
	}
}

// TestWriterKeep: an incremental build leaves out pages whose file is as
// the last build wrote it. Intact says so only while the file keeps the
// size and time the record gives it, and Keep counts such a file as this
// build's, so Close neither removes it nor forgets it.
func TestWriterKeep(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	build := func(files map[string]string, keep ...string) (*Writer, error) {
		t.Helper()
		w, err := NewWriter(dest, WriteOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for name, data := range files {
			if err := w.WriteFile(name, []byte(data)); err != nil {
				t.Fatal(err)
			}
		}
		var kerr error
		for _, name := range keep {
			if kerr = w.Keep(name); kerr != nil {
				break
			}
		}
		if kerr != nil {
			w.Abort()
			return w, kerr
		}
		return w, w.Close()
	}
	if _, err := build(map[string]string{"a/index.html": "page a", "b/index.html": "page b"}); err != nil {
		t.Fatal(err)
	}

	w, err := NewWriter(dest, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !w.Intact([]string{"a/index.html", "b/index.html"}) {
		t.Error("Intact is false for the files the last build wrote, untouched")
	}
	if w.Intact([]string{"a/index.html", "c/index.html"}) {
		t.Error("Intact is true of a file the last build did not write")
	}
	w.Abort()

	// Kept, b survives the build that only writes a; a is rewritten.
	w, err = build(map[string]string{"a/index.html": "page a, edited"}, "b/index.html")
	if err != nil {
		t.Fatal(err)
	}
	if s := w.Stats(); s.Written != 1 || s.Skipped != 1 || s.Removed != 0 {
		t.Errorf("stats %+v, want a written, b kept, nothing removed", s)
	}
	if got, _ := os.ReadFile(filepath.Join(dest, "b", "index.html")); string(got) != "page b" {
		t.Errorf("kept b/index.html = %q", got)
	}
	// A build that keeps nothing removes b: the record still listed it.
	if w, err = build(map[string]string{"a/index.html": "page a, edited"}); err != nil {
		t.Fatal(err)
	}
	if s := w.Stats(); s.Removed != 1 || exists(filepath.Join(dest, "b", "index.html")) {
		t.Errorf("stats %+v: b/index.html should be removed once no build keeps it", s)
	}

	// A page edited by hand (other size), or deleted, is not intact, and
	// Keep refuses it rather than count a file the record does not describe.
	write(t, filepath.Join(dest, "a", "index.html"), "edited by hand, longer")
	w, err = NewWriter(dest, WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if w.Intact([]string{"a/index.html"}) {
		t.Error("Intact is true of a file edited since the last build")
	}
	w.Abort()
	if _, err := build(nil, "a/index.html"); err == nil || !strings.Contains(err.Error(), "a/index.html changed") {
		t.Errorf("Keep of an edited file: %v, want an error naming it", err)
	}
	for _, name := range []string{"../x", ManifestName} {
		if _, err := build(nil, name); err == nil {
			t.Errorf("Keep(%q) is no error", name)
		}
	}
}
