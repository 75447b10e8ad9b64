package output

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSourceIsStreamed(t *testing.T) {
	s := NewSet()
	opened := 0
	src := Source{Size: 5, Open: func() (io.ReadCloser, error) {
		opened++
		return io.NopCloser(strings.NewReader("video")), nil
	}}
	if err := s.AddSource("stories/a/walk.mp4", src); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteFile("index.html", []byte("<p>")); err != nil {
		t.Fatal(err)
	}
	if opened != 0 {
		t.Error("a source was read when it was added")
	}
	if err := s.WriteFile("stories/a/walk.mp4", []byte("other")); err == nil {
		t.Error("a file over a source is accepted")
	}
	if err := s.AddSource("index.html", src); err == nil {
		t.Error("a source over a file is accepted")
	}
	if s.Len() != 2 || strings.Join(s.Names(), " ") != "index.html stories/a/walk.mp4" {
		t.Errorf("names %v", s.Names())
	}
	dir := t.TempDir()
	if err := s.Write(dir); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "stories", "a", "walk.mp4")); err != nil || string(b) != "video" {
		t.Errorf("written: %q, %v", b, err)
	}
	if b, err := fs.ReadFile(s.FS(), "stories/a/walk.mp4"); err != nil || string(b) != "video" {
		t.Errorf("FS: %q, %v", b, err)
	}
	if b, ok := s.Get("stories/a/walk.mp4"); !ok || string(b) != "video" {
		t.Errorf("Get: %q", b)
	}
	// A source that no longer gives the size it promised fails the write.
	short := NewSet()
	short.AddSource("v.mp4", Source{Size: 9, Open: src.Open})
	if err := short.Write(t.TempDir()); err == nil || !strings.Contains(err.Error(), "changed during the build") {
		t.Errorf("err = %v", err)
	}
}
