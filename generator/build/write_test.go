package build

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/postcard-ssg/postcard/generator/output"
)

// times returns every published file's modification time, by name.
func times(t *testing.T, dir string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == output.ManifestName {
			return err
		}
		st, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = st.ModTime().UnixNano()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func changed(before, after map[string]int64) []string {
	var out []string
	for n, t := range after {
		if before[n] != t {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// TestWarmAndEditedBuilds: a build where nothing changed writes no file and
// compiles nothing; editing one story rewrites the pages that show it and
// nothing else; a file a crash left half written is written again.
func TestWarmAndEditedBuilds(t *testing.T) {
	src := writeSite(t, loadFixture(t, "basic"))
	write := func() *Written {
		t.Helper()
		w, err := Write(context.Background(), Options{Source: src, Now: now}, WriteOptions{NoFunction: true})
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	dest := filepath.Join(src, DefaultDestination)

	cold := write()
	if !slices.Contains(cold.Compiled, "assets") {
		t.Errorf("cold build compiled %v, want the assets", cold.Compiled)
	}
	if cold.Output.Written == 0 || cold.Output.Linked == 0 {
		t.Errorf("cold build: %+v, want pages written and images linked", cold.Output)
	}
	before := times(t, dest)
	if len(before) != len(cold.Names) {
		t.Fatalf("%d files in the destination, %d built", len(before), len(cold.Names))
	}

	warm := write()
	if len(warm.Compiled) != 0 {
		t.Errorf("warm build compiled %v", warm.Compiled)
	}
	if o := warm.Output; o.Written != 0 || o.Linked != 0 || o.Copied != 0 || o.Removed != 0 || o.Skipped != len(cold.Names) {
		t.Errorf("warm build: %+v, want all %d files skipped", o, len(cold.Names))
	}
	if c := changed(before, times(t, dest)); len(c) != 0 {
		t.Errorf("warm build touched %v", c)
	}

	story := filepath.Join(src, "content", "stories", "blue-hour", "index.md")
	b, err := os.ReadFile(story)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(story, append(b, "\nThe ice sang all night.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	edit := write()
	after := times(t, dest)
	got := changed(before, after)
	if !slices.Contains(got, "stories/blue-hour/index.html") {
		t.Errorf("the edited story's page was not rewritten; rewritten: %v", got)
	}
	for _, n := range got {
		data, err := os.ReadFile(filepath.Join(dest, n))
		if err != nil {
			t.Fatal(err)
		}
		// Every rewritten file shows the story (its page, a feed, a list,
		// the search index) or its excerpt, or is the story's own social
		// card, which a poem's first lines are drawn on, or the search
		// index and its page (the index's files are named by their
		// contents, and a word's weight depends on every story's length).
		if !strings.Contains(string(data), "blue-hour") && !strings.HasPrefix(n, "stories/blue-hour/card-") && !strings.HasPrefix(n, "search/") {
			t.Errorf("%s was rewritten but does not show the edited story", n)
		}
	}
	// The story's new social card is published from the card cache by
	// link; every other changed file is written.
	if len(edit.Compiled) != 0 || edit.Output.Linked > 1 || edit.Output.Written+edit.Output.Linked != len(got) {
		t.Errorf("edit: compiled %v, %+v; %d files changed", edit.Compiled, edit.Output, len(got))
	}

	// A crash in the middle of writing a page: half of it is there, with a
	// new time and size, and the record still describes the old page.
	page := filepath.Join(dest, "stories", "kites", "index.html")
	full, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, full[:len(full)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	repair := write()
	if again, _ := os.ReadFile(page); string(again) != string(full) {
		t.Error("the half-written page was not repaired")
	}
	if repair.Output.Written != 1 {
		t.Errorf("repair: %+v, want one file written", repair.Output)
	}
}
