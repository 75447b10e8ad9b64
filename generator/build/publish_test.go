package build

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// unpublished are words that only the submitted and rejected stories of the
// basic fixture hold: their titles, bodies, folder and media names.
var unpublished = []string{
	"Zebra Pontoon Disco", "Unreviewed Flamingo", "zebra-disco", "unreviewed-dock",
	"Jet Ski Selfie Marathon", "Obnoxious Wake", "jet-ski", "rejected-jetski",
}

// assertNoLeak scans every byte of every output file (names included) for
// the unpublished stories' words.
func assertNoLeak(t *testing.T, res *Result, words []string) {
	t.Helper()
	for _, name := range res.Files.Names() {
		data, _ := res.Files.Get(name)
		for _, w := range words {
			if strings.Contains(name, w) || bytes.Contains(bytes.ToLower(data), bytes.ToLower([]byte(w))) {
				t.Errorf("%s leaks %q", name, w)
			}
		}
	}
	for _, w := range words {
		if bytes.Contains(manifestJSON(t, res), []byte(w)) {
			t.Errorf("the contest manifest leaks %q", w)
		}
	}
}

func TestUnpublishedStoriesNeverReachTheOutput(t *testing.T) {
	res := mustBuild(t, "basic", Options{})
	assertNoLeak(t, res, unpublished)

	// And after writing, nothing on disk either, even over a previous
	// drafts build that did render the submitted story.
	dir := t.TempDir()
	drafts := mustBuild(t, "basic", Options{Drafts: true})
	if err := drafts.Files.Write(dir); err != nil {
		t.Fatal(err)
	}
	if err := res.Files.Write(dir); err != nil {
		t.Fatal(err)
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, w := range unpublished {
			if strings.Contains(p, w) || bytes.Contains(data, []byte(w)) {
				t.Errorf("%s on disk leaks %q", p, w)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestDraftsPreview(t *testing.T) {
	res := mustBuild(t, "basic", Options{Drafts: true})
	assertLines(t, res, "stories/zebra-disco/index.html",
		`<meta name="robots" content="noindex">`,
		`<strong class="draft">Draft: not published</strong>`,
		`<h1>Zebra Pontoon Disco</h1>`,
	)
	// Rejected stories never appear, not even in a preview.
	assertNoFile(t, res, "stories/jet-ski/index.html")
	for _, name := range res.Files.Names() {
		data, _ := res.Files.Get(name)
		if bytes.Contains(data, []byte("Jet Ski")) || strings.Contains(name, "jetski") {
			t.Errorf("%s shows the rejected story", name)
		}
	}
	// Feeds and the sitemap are for the world: no drafts there.
	for _, name := range []string{"feed.xml", "atom.xml", "feed.json", "sitemap.xml"} {
		if strings.Contains(file(t, res, name), "zebra-disco") {
			t.Errorf("%s lists the draft", name)
		}
	}
}

// TestNoOriginalImageIsPublished checks that no output file is a copy of a
// source image: every image is decoded and re-encoded.
func TestNoOriginalImageIsPublished(t *testing.T) {
	src := writeSite(t, loadFixture(t, "basic"))
	res, err := Run(t.Context(), Options{Source: src, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	originals := map[string]string{}
	err = filepath.WalkDir(filepath.Join(src, "content"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".jpg") {
			return err
		}
		b, err := os.ReadFile(p)
		originals[string(b)] = p
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	images := 0
	for _, name := range res.Files.Names() {
		data, _ := res.Files.Get(name)
		if p, ok := originals[string(data)]; ok {
			t.Errorf("%s is a copy of the original %s", name, p)
		}
		for _, orig := range []string{"pier.jpg", "detail.jpg", "door.jpg", "kite.jpg", "sun.jpg", "risto.jpg"} {
			if strings.HasSuffix(name, "/"+orig) {
				t.Errorf("%s is published under its original name", name)
			}
		}
		if strings.Contains(name, "/card-") {
			continue // composed social cards, counted by TestSocialCards
		}
		if strings.HasSuffix(name, ".webp") || strings.HasSuffix(name, ".jpg") {
			images++
		}
	}
	// Five photos at 320 and 640 wide in WebP and JPEG, the 200px avatar at
	// its own width only (never upscaled), and social cards for the three
	// covers and the avatar.
	if images != 5*2*2+2+4 {
		t.Errorf("%d image files published, want 26", images)
	}
}

// TestSiteLayoutOverridesTheme checks that a site's own layouts/ file wins
// over the theme's file of the same name, and the rest still come from the theme.
func TestSiteLayoutOverridesTheme(t *testing.T) {
	archive := append(loadFixture(t, "basic"), []byte(`-- layouts/story.html --
{{define "main"}}<p class="custom">Custom story: {{.Story.Source.Title}}</p>{{end}}
-- static/logo.svg --
<svg xmlns="http://www.w3.org/2000/svg"/>
`)...)
	src := writeSite(t, archive)
	res, err := Run(t.Context(), Options{Source: src, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	assertLines(t, res, "stories/first-light/index.html", `<a class="skip-link" href="#main">`, `<p class="custom">Custom story: First light on the pier</p>`)
	assertLines(t, res, "contests/autumn/index.html", `<h1>Autumn light</h1>`)
	file(t, res, "logo.svg")
}

// TestLogoIsAFileOfTheSite: the brand logo is a file of static/, linked by a
// root-relative URL of the site and published.
func TestLogoIsAFileOfTheSite(t *testing.T) {
	archive := append(loadFixture(t, "basic"), []byte(`-- static/brand/logo.svg --
<svg xmlns="http://www.w3.org/2000/svg"/>
`)...)
	archive = bytes.Replace(archive, []byte("[images]\n"), []byte("[brand]\nlogo = \"brand/logo.svg\"\n[images]\n"), 1)
	res, err := Run(t.Context(), Options{Source: writeSite(t, archive), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(file(t, res, "index.html"), `<img class="brand-mark" src="/brand/logo.svg"`) {
		t.Error("the logo is not linked from the header")
	}
	file(t, res, "brand/logo.svg")
}

func TestBaseURLFlag(t *testing.T) {
	res := mustBuild(t, "basic", Options{BaseURL: "https://preview.example/lake"})
	assertLines(t, res, "stories/first-light/index.html", `<link rel="canonical" href="https://preview.example/lake/stories/first-light/">`)
	assertLines(t, res, "robots.txt", "Sitemap: https://preview.example/lake/sitemap.xml")
}
