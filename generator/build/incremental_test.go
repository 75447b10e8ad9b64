package build

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestIncrementalBuild: postcard build into the same destination again
// renders only the pages a change shows on, renders everything when
// anything but a story changed (settings, a contest's phase, a page
// touched by hand in the destination), and always leaves the destination
// exactly as a full build of the same site would.
func TestIncrementalBuild(t *testing.T) {
	src := writeSite(t, loadFixture(t, "basic"))
	dest := filepath.Join(src, DefaultDestination)
	write := func(at time.Time) *Written {
		t.Helper()
		w, err := Write(context.Background(), Options{Source: src, Now: at}, WriteOptions{NoFunction: true})
		if err != nil {
			t.Fatal(err)
		}
		sameAsFullBuild(t, src, dest, at)
		return w
	}
	storyPages := func(w *Written) []string {
		var out []string
		for _, u := range w.Rendered {
			if strings.HasPrefix(u, "/stories/") && u != "/stories/" && !strings.HasPrefix(u, "/stories/page/") {
				out = append(out, u)
			}
		}
		return out
	}

	first := write(now)
	if first.FullRender == "" {
		t.Error("the first build into a destination rendered only some pages")
	}
	all := len(first.Rendered)

	warm := write(now)
	if warm.FullRender != "" {
		t.Errorf("nothing changed, yet every page was rendered: %s", warm.FullRender)
	}
	if got := storyPages(warm); len(got) != 0 || len(warm.Rendered) >= all {
		t.Errorf("nothing changed, yet %d of %d pages were rendered, stories %v", len(warm.Rendered), all, got)
	}
	if warm.Pages != first.Pages {
		t.Errorf("Pages = %d, want %d", warm.Pages, first.Pages)
	}

	story := filepath.Join(src, "content", "stories", "blue-hour", "index.md")
	b, err := os.ReadFile(story)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(story, append(b, "\nThe ice sang all night.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	edit := write(now)
	if got := storyPages(edit); edit.FullRender != "" || !slices.Contains(got, "/stories/blue-hour/") || slices.Contains(got, "/stories/kites/") {
		t.Errorf("one story edited: full render %q, story pages rendered %v; want blue-hour's and not kites'", edit.FullRender, got)
	}

	// A page removed from the destination by hand is made again.
	kites := filepath.Join(dest, "stories", "kites", "index.html")
	if err := os.Remove(kites); err != nil {
		t.Fatal(err)
	}
	if w := write(now); w.FullRender == "" {
		t.Error("a page was deleted from the destination, yet the build rendered only some pages")
	}

	// An emptied destination gets every page again.
	if err := os.RemoveAll(dest); err != nil {
		t.Fatal(err)
	}
	if w := write(now); w.FullRender == "" || len(w.Rendered) != all {
		t.Errorf("the destination was emptied: full render %q, %d of %d pages rendered", w.FullRender, len(w.Rendered), all)
	}

	// The autumn contest's voting closes on 30 November: its entries'
	// pages lose their vote buttons.
	if w := write(now.AddDate(0, 0, 10)); w.FullRender == "" || len(w.Rendered) != all {
		t.Errorf("a contest's phase changed: full render %q, %d of %d pages rendered", w.FullRender, len(w.Rendered), all)
	}

	cfg := filepath.Join(src, "site.toml")
	b, err = os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, append(b, "\n# retitled\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if w := write(now); w.FullRender == "" || len(w.Rendered) != all {
		t.Errorf("site.toml changed: full render %q, %d of %d pages rendered", w.FullRender, len(w.Rendered), all)
	}

	// The build cache is the site's folder, which anyone may write to: a
	// damaged state is not trusted, the build makes every page, and the
	// next one is incremental again.
	states, err := filepath.Glob(filepath.Join(src, CacheDir, "pages-*.gob"))
	if err != nil || len(states) != 1 {
		t.Fatalf("state files %v, %v; want one", states, err)
	}
	if err := os.WriteFile(states[0], []byte("\x0f\xff not a build's state"), 0o644); err != nil {
		t.Fatal(err)
	}
	if w := write(now); w.FullRender == "" || len(w.Rendered) != all {
		t.Errorf("the state was damaged: full render %q, %d of %d pages rendered", w.FullRender, len(w.Rendered), all)
	}
	if w := write(now); w.FullRender != "" {
		t.Errorf("after a build that replaced a damaged state: full render %q", w.FullRender)
	}
}

// sameAsFullBuild fails unless the destination holds exactly the files a
// full build of src makes, byte for byte.
func sameAsFullBuild(t *testing.T, src, dest string, at time.Time) {
	t.Helper()
	full, err := Run(context.Background(), Options{Source: src, Now: at})
	if err != nil {
		t.Fatal(err)
	}
	want := full.Files.Names()
	got := slices.Sorted(maps.Keys(times(t, dest)))
	slices.Sort(want)
	if !slices.Equal(want, got) {
		t.Fatalf("the destination holds %d files, a full build makes %d:\n%v\n%v", len(got), len(want), got, want)
	}
	for _, n := range want {
		w, _ := full.Files.Get(n)
		g, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(n)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(w, g) {
			t.Errorf("%s differs from a full build's:\n%s", n, firstDiff(string(w), string(g)))
		}
	}
}
