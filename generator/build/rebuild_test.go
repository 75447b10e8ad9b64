package build

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/postcard-ssg/postcard/generator/output"
)

// edit is a change to a fixture site: files written (nil data removes
// the file), as an editor saves them.
type edit struct {
	name    string
	fixture string
	files   map[string]string // slash path -> new content, "" removes
	// rendered are pages the rebuild must re-render, and kept pages it
	// must leave as they were; nil when the edit rebuilds everything.
	rendered, kept []string
	// keptFiles are other files (feeds) it must take from the last build.
	keptFiles []string
	full      bool
	// patched: the edit is to a story's text alone, which the rebuild
	// patches into the last build's model (patch.go) instead of making one.
	patched bool
}

// replaceIn returns the fixture's file with old replaced by new.
func replaceIn(t *testing.T, fixture, name, old, new string) string {
	t.Helper()
	for _, f := range parseFixture(t, fixture) {
		if f.name == name {
			if !strings.Contains(f.data, old) {
				t.Fatalf("%s: %q not in %s", fixture, old, name)
			}
			return strings.Replace(f.data, old, new, 1)
		}
	}
	t.Fatalf("%s: no file %s", fixture, name)
	return ""
}

type fixtureFile struct{ name, data string }

func parseFixture(t *testing.T, name string) []fixtureFile {
	var out []fixtureFile
	for _, f := range txtar.Parse(loadFixture(t, name)).Files {
		out = append(out, fixtureFile{f.Name, string(f.Data)})
	}
	return out
}

// TestRebuildMatchesFullBuild applies edits to a built site and rebuilds
// it as the dev server does; every file must be byte for byte the file a
// fresh build of the edited site makes, and only the pages the edit can
// show on are rendered again.
func TestRebuildMatchesFullBuild(t *testing.T) {
	const boathouse = "content/stories/boathouse/index.md"
	const firstLightFi = "content/stories/first-light/index.fi.md"
	edits := []edit{
		{
			name: "story text", fixture: "basic",
			files: map[string]string{boathouse: replaceIn(t, "basic", boathouse, "It smells of tar", "It smells of pine tar")},
			// Its page, the gallery page and term pages that list it,
			// its ambassador's page and the page that shows it as more by her.
			rendered:  []string{"/stories/boathouse/", "/stories/page/2/", "/places/cafe-laituri/", "/ambassadors/anna/", "/stories/blue-hour/", "/"},
			kept:      []string{"/stories/first-light/", "/stories/kites/", "/stories/midsummer/", "/stories/", "/stories/page/3/", "/ambassadors/risto/"},
			keptFiles: []string{"ambassadors/risto/feed.xml", "ambassadors/risto/atom.xml", "ambassadors/risto/feed.json", "sitemap.xml"},
			patched:   true,
		},
		{
			name: "story title", fixture: "basic",
			files:    map[string]string{boathouse: replaceIn(t, "basic", boathouse, `title = "The old boathouse"`, `title = "The new boathouse"`)},
			rendered: []string{"/stories/boathouse/", "/stories/page/2/", "/ambassadors/anna/", "/stories/blue-hour/"},
			kept:     []string{"/stories/first-light/", "/stories/kites/", "/stories/midsummer/", "/stories/"},
		},
		{
			name: "tag change", fixture: "basic",
			files: map[string]string{boathouse: replaceIn(t, "basic", boathouse, `status = "approved"`, `status = "approved"`+"\ntags = [\"lake\", \"tar\"]")},
			// The filters' counts change on every list page.
			rendered: []string{"/stories/boathouse/", "/tags/tar/", "/tags/lake/", "/stories/", "/stories/page/3/"},
			kept:     []string{"/stories/kites/", "/stories/midsummer/"},
		},
		{
			name: "translation", fixture: "languages",
			files:    map[string]string{firstLightFi: replaceIn(t, "languages", firstLightFi, "Järvi *aamunkoitteessa*.", "Järvi *aamulla*.")},
			rendered: []string{"/fi/stories/first-light/", "/stories/first-light/"},
			kept:     []string{"/stories/blue-hour/", "/fi/stories/blue-hour/"},
		},
		{
			name: "new story", fixture: "basic",
			files:    map[string]string{"content/stories/ice/index.md": "+++\ntitle = \"Ice\"\nambassador = \"anna\"\ndate = 2026-01-10\nkind = \"story\"\nstatus = \"approved\"\n[rights]\nlicense = \"CC-BY-4.0\"\nconsent = 2026-01-11\ncredit = \"Text: Anna Lind\"\n+++\nThe lake froze.\n"},
			rendered: []string{"/stories/ice/", "/stories/page/3/", "/ambassadors/anna/"},
			kept:     []string{"/stories/kites/", "/stories/first-light/"},
		},
		{
			name: "new story with a new image", fixture: "basic",
			files: map[string]string{
				"content/stories/ice/index.md": "+++\ntitle = \"Ice\"\nambassador = \"anna\"\ndate = 2026-01-10\nkind = \"photo\"\nstatus = \"approved\"\ncover = { src = \"ice.jpg\", alt = \"Ice on the lake\" }\n[rights]\nlicense = \"CC-BY-4.0\"\nconsent = 2026-01-11\ncredit = \"Photo: Anna Lind\"\n+++\n",
				"content/stories/ice/ice.jpg":  "#jpeg 500x300",
			},
			rendered: []string{"/stories/ice/"},
		},
		{
			name: "deleted story", fixture: "basic",
			files:    map[string]string{"content/stories/kites/index.md": "", "content/stories/kites/kite.jpg": ""},
			rendered: []string{"/stories/page/2/", "/ambassadors/risto/"},
			kept:     []string{"/stories/blue-hour/"},
		},
		{
			name: "page layout", fixture: "basic",
			files:    map[string]string{"layouts/term.html": `{{define "main"}}<h1>{{.Title}}</h1><p>{{len .Pager.Stories}} here.</p>{{end}}`},
			rendered: []string{"/places/cafe-laituri/", "/tags/lake/", "/kinds/photo/"},
			kept:     []string{"/stories/boathouse/", "/stories/page/2/", "/ambassadors/anna/"},
		},
		{
			name: "partial", fixture: "basic",
			files: map[string]string{"layouts/404.html": `{{define "main"}}<p>Lost at the lake.</p>{{end}}`, "layouts/partials/footer.html": `<footer>By the lake.</footer>`},
			full:  true,
		},
	}
	for _, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			dir := writeSite(t, loadFixture(t, e.fixture))
			o := Options{Source: dir, Now: now, Remember: true}
			prev, err := Run(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			model := prev.Site
			inc, full := rebuildMatches(t, o, prev, writeFiles(t, dir, e.files))
			t.Logf("re-rendered %d of %d pages: %v", len(inc.Rendered), len(full.Rendered), inc.Rendered)
			if patched := inc.Site == model; patched != e.patched {
				t.Errorf("patched the last build's model: %v, want %v", patched, e.patched)
			}
			if e.full {
				if len(inc.Rendered) != len(full.Rendered) {
					t.Errorf("rendered %d pages, want every page (%d)", len(inc.Rendered), len(full.Rendered))
				}
				return
			}
			if len(inc.Rendered) >= len(full.Rendered) {
				t.Errorf("rendered all %d pages again: %v", len(inc.Rendered), inc.Rendered)
			}
			for _, u := range e.rendered {
				if !slices.Contains(inc.Rendered, u) {
					t.Errorf("%s not re-rendered; rendered %v", u, inc.Rendered)
				}
			}
			for _, u := range e.kept {
				if slices.Contains(inc.Rendered, u) {
					t.Errorf("%s re-rendered, though the edit does not show on it; rendered %v", u, inc.Rendered)
				}
			}
			for _, name := range e.keptFiles {
				if !slices.Contains(inc.render.Kept, name) {
					t.Errorf("%s made again, though the edit does not show in it", name)
				}
			}
		})
	}
}

// rebuildMatches rebuilds the site o names after the changes to the
// files changed since prev, builds it again whole, and fails unless both
// made the same files. It returns both builds.
func rebuildMatches(t *testing.T, o Options, prev *Result, changed []string) (inc, full *Result) {
	t.Helper()
	inc, err := Rebuild(context.Background(), o, prev, changed)
	if err != nil {
		t.Fatal(err)
	}
	full, err = Run(context.Background(), Options{Source: o.Source, Now: o.Now})
	if err != nil {
		t.Fatal(err)
	}
	sameFiles(t, full, inc)
	return inc, full
}

// sameFiles fails unless both builds made the same files, byte for byte.
func sameFiles(t *testing.T, want, got *Result) {
	t.Helper()
	wn, gn := want.Files.Names(), got.Files.Names()
	slices.Sort(wn)
	slices.Sort(gn)
	if !slices.Equal(wn, gn) {
		for _, n := range wn {
			if !slices.Contains(gn, n) {
				t.Errorf("missing %s", n)
			}
		}
		for _, n := range gn {
			if !slices.Contains(wn, n) {
				t.Errorf("extra %s", n)
			}
		}
	}
	for _, n := range wn {
		w, _ := want.Files.Get(n)
		g, ok := got.Files.Get(n)
		if ok && !bytes.Equal(w, g) {
			t.Errorf("%s differs from a full build's:\n%s", n, firstDiff(string(w), string(g)))
		}
	}
	if want.Pages != got.Pages {
		t.Errorf("Pages = %d, want %d", got.Pages, want.Pages)
	}
}

// TestRebuildAfterRebuild edits a site several times, as the dev server
// sees it: each Rebuild starts from the last good build, with every path
// changed since, a failed build's included. Each must give the files a
// full build of the edited site gives, so nothing a Rebuild keeps for the
// next one (content read, search indexes, cards, feed items) may go stale
// or be changed by a build that failed.
func TestRebuildAfterRebuild(t *testing.T) {
	dir := writeSite(t, loadFixture(t, "basic"))
	o := Options{Source: dir, Now: now, Remember: true}
	last, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	const boathouse, kites = "content/stories/boathouse/index.md", "content/stories/kites/index.md"
	edit := func(name, old, new string) map[string]string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), old) {
			t.Fatalf("%q not in %s", old, name)
		}
		return map[string]string{name: strings.Replace(string(b), old, new, 1)}
	}
	steps := []struct {
		name  string
		files func() map[string]string
		fails bool
	}{
		{"story text", func() map[string]string { return edit(boathouse, "It smells of tar", "It smells of pine tar") }, false},
		{"a mistake", func() map[string]string { return edit(kites, `title = "Kites"`, `title = "Kites`) }, true},
		{"the mistake mended, another title", func() map[string]string { return edit(kites, `title = "Kites`, `title = "Kites over the ice"`) }, false},
		{"story text again", func() map[string]string {
			return edit(boathouse, "It smells of pine tar", "It smells of pine tar and rope")
		}, false},
		{"new story", func() map[string]string {
			return map[string]string{"content/stories/ice/index.md": "+++\ntitle = \"Ice\"\nambassador = \"risto\"\ndate = 2026-08-10\nkind = \"story\"\nstatus = \"approved\"\ntags = [\"lake\"]\n[rights]\nlicense = \"CC-BY-4.0\"\nconsent = 2026-08-11\ncredit = \"Text: Risto\"\n+++\nThe lake froze and the kites flew over it.\n"}
		}, false},
		{"deleted story", func() map[string]string { return map[string]string{kites: "", "content/stories/kites/kite.jpg": ""} }, false},
		{"the new story's text", func() map[string]string {
			return edit("content/stories/ice/index.md", "The lake froze", "The bay froze")
		}, false},
	}
	var since []string
	for _, s := range steps {
		since = append(since, writeFiles(t, dir, s.files())...)
		if s.fails {
			if _, err := Rebuild(context.Background(), o, last, since); err == nil {
				t.Fatalf("%s: the build did not fail", s.name)
			}
			continue
		}
		res, full := rebuildMatches(t, o, last, since)
		t.Logf("%s: re-rendered %d of %d pages", s.name, len(res.Rendered), len(full.Rendered))
		if len(res.Rendered) >= len(full.Rendered) {
			t.Errorf("%s: rendered every page again", s.name)
		}
		last, since = res, nil
	}
}

// writeFiles writes files into the site in dir, as an editor saves them
// ("" removes the file; "#jpeg WxH" is a JPEG of that size), and returns
// their paths.
func writeFiles(t *testing.T, dir string, files map[string]string) []string {
	t.Helper()
	var changed []string
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		changed = append(changed, name)
		if data == "" {
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		b := []byte(data)
		if strings.HasPrefix(data, "#jpeg ") {
			b = testJPEG(t, 500, 300)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return changed
}

// TestRebuildWithoutTheLastFiles: when the last build's files lack a page
// the rebuild would keep, it builds everything, and nothing is missing.
func TestRebuildWithoutTheLastFiles(t *testing.T) {
	dir := writeSite(t, loadFixture(t, "basic"))
	o := Options{Source: dir, Now: now, Remember: true}
	prev, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	prev.Files = output.NewSet()
	const boathouse = "content/stories/boathouse/index.md"
	rebuildMatches(t, o, prev, writeFiles(t, dir, map[string]string{boathouse: replaceIn(t, "basic", boathouse, "It smells of tar", "It smells of pine tar")}))
}

// TestMemoOnlyWhenRemembered: a build that no Rebuild starts from keeps no
// render memo (the search texts and indexes, the feed items' HTML), and
// makes the same files as one that keeps it; a Rebuild from it makes
// again what the memo would have given (the search index, the feeds).
func TestMemoOnlyWhenRemembered(t *testing.T) {
	dir := writeSite(t, loadFixture(t, "basic"))
	kept, err := Run(context.Background(), Options{Source: dir, Now: now, Remember: true})
	if err != nil {
		t.Fatal(err)
	}
	if kept.render.Memo == nil {
		t.Fatal("a remembering build kept no render memo")
	}
	forgot, err := Run(context.Background(), Options{Source: dir, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if forgot.render.Memo != nil {
		t.Error("a build that does not remember kept its render memo")
	}
	sameFiles(t, kept, forgot)

	const boathouse = "content/stories/boathouse/index.md"
	changed := writeFiles(t, dir, map[string]string{boathouse: replaceIn(t, "basic", boathouse, "It smells of tar", "It smells of pine tar")})
	inc, err := Rebuild(context.Background(), Options{Source: dir, Now: now, Remember: true}, forgot, changed)
	if err != nil {
		t.Fatal(err)
	}
	full, err := Run(context.Background(), Options{Source: dir, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	sameFiles(t, full, inc)
}
