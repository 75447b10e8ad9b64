package output

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// benchSet is the output of a large site: n pages of about 6 KB, each in
// a folder of its own as pretty URLs make them, and the same on every run.
// version changes every page's content.
func benchSet(b *testing.B, n, version int) *Set {
	b.Helper()
	s := NewSet()
	body := strings.Repeat("<p>The fog lifts off the water a little after six, and the pier appears plank by plank.</p>\n", 64)
	for i := range n {
		page := fmt.Sprintf("<!doctype html><title>Story %d, version %d</title><main>%s</main>\n", i, version, body)
		if err := s.WriteFile(fmt.Sprintf("stories/story-%d/index.html", i), []byte(page)); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

// BenchmarkWrite writes 3000 pages to a destination: a first build into an
// empty folder, a rebuild where nothing changed (every file is compared
// and skipped), and one where every page changed.
func BenchmarkWrite(b *testing.B) {
	const pages = 3000
	sets := []*Set{benchSet(b, pages, 1), benchSet(b, pages, 2)}
	b.Run("first", func(b *testing.B) {
		dir := b.TempDir()
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			dest := filepath.Join(dir, fmt.Sprint(i))
			if err := sets[0].WriteDir(dest, WriteOptions{}); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			if err := os.RemoveAll(dest); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			i++
		}
	})
	b.Run("unchanged", func(b *testing.B) {
		dest := filepath.Join(b.TempDir(), "public")
		if err := sets[0].WriteDir(dest, WriteOptions{}); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if err := sets[0].WriteDir(dest, WriteOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("changed", func(b *testing.B) {
		dest := filepath.Join(b.TempDir(), "public")
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if err := sets[i%2].WriteDir(dest, WriteOptions{}); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}
