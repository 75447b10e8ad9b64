package build

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// story is a published story's index.md of the given kind, with extra
// front matter on line 7 and the body from line 13.
func story(kind, matter, body string) string {
	return `+++
title = "T"
ambassador = "anna"
date = 2026-01-01
kind = "` + kind + `"
status = "approved"
` + matter + `
[rights]
license = "CC-BY-4.0"
consent = 2026-01-01
credit = "A"
+++
` + body
}

const anna = `-- site.toml --
-- content/ambassadors/anna.md --
+++
name = "Anna"
+++
`

// TestOnlyProcessedMediaIsPublished links every kind of file from a story:
// only images (re-encoded) and parsable videos (stripped) may be published,
// never a page or a script that would run on the site's own origin.
func TestOnlyProcessedMediaIsPublished(t *testing.T) {
	src := writeSite(t, []byte(anna+`-- content/stories/links/index.md --
`+story("video", `video = "clip.webm"`, `[programme](programme.html)

[logo](logo.svg)

[x](page.xhtml)

[h](.htaccess)

[me](index.md)

[pdf](notes.pdf)

[fake](fake.mp4)

[walk](walk.mp4)
`)+`-- content/stories/links/clip.webm --
#video location.webm
-- content/stories/links/walk.mp4 --
#video location.mp4
-- content/stories/links/fake.mp4 --
<html><script>fetch("/api/votes",{method:"POST"})</script></html>
-- content/stories/links/programme.html --
<script>alert(document.cookie)</script>
-- content/stories/links/logo.svg --
<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>
-- content/stories/links/page.xhtml --
<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>
-- content/stories/links/.htaccess --
AddType text/html .jpg
-- content/stories/links/notes.pdf --
%PDF-1.4
-- content/stories/bad-video/index.md --
`+story("video", `video = "film.mp4"`, "")+`-- content/stories/bad-video/film.mp4 --
#video location.webm
`))
	_, err := Run(t.Context(), Options{Source: src, Now: now})
	if err == nil {
		t.Fatal("the build published a story linking pages and scripts")
	}
	for _, w := range []string{
		`content/stories/links/index.md:13:1: link to "programme.html": Postcard publishes only a story's images and its .mp4 or .webm videos`,
		`content/stories/links/index.md:15:1: link to "logo.svg": Postcard publishes only`,
		`content/stories/links/index.md:17:1: link to "page.xhtml": Postcard publishes only`,
		`content/stories/links/index.md:19:1: link to ".htaccess": Postcard publishes only`,
		`content/stories/links/index.md:21:1: link to "index.md": Postcard publishes only`,
		`content/stories/links/index.md:23:1: link to "notes.pdf": Postcard publishes only`,
		`content/stories/links/index.md:25:1: video fake.mp4: not an MP4 video: it does not start with an ftyp box`,
		`content/stories/bad-video/index.md:7:1: video film.mp4: not an MP4 video`,
	} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("missing error:\n  %s", w)
		}
	}
	if strings.Contains(err.Error(), "walk.mp4") || strings.Contains(err.Error(), "clip.webm") {
		t.Errorf("a valid video is refused: %v", err)
	}
	if t.Failed() {
		t.Logf("got:\n%v", err)
	}
}

// TestPublishedVideosCarryNoLocation checks that a video a story plays or
// links to is published with its metadata overwritten, the same size, and
// streamed to the destination.
func TestPublishedVideosCarryNoLocation(t *testing.T) {
	src := writeSite(t, []byte(anna+`-- content/stories/walk/index.md --
`+story("video", `video = "walk.mp4"`, "[The same walk, as WebM](walk.webm)\n")+`-- content/stories/walk/walk.mp4 --
#video location.mp4
-- content/stories/walk/walk.webm --
#video location.webm
`))
	res, err := Run(t.Context(), Options{Source: src, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := res.Files.Write(dir); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"walk.mp4", "walk.webm"} {
		orig, err := os.ReadFile(filepath.Join(src, "content", "stories", "walk", name))
		if err != nil {
			t.Fatal(err)
		}
		mem := file(t, res, "stories/walk/"+name)
		disk, err := os.ReadFile(filepath.Join(dir, "stories", "walk", name))
		if err != nil {
			t.Fatal(err)
		}
		for _, got := range [][]byte{[]byte(mem), disk} {
			if bytes.Contains(got, []byte("+60.1699+024.9384/")) || bytes.Contains(got, []byte("60.1699")) {
				t.Errorf("%s: the published video still says where it was filmed", name)
			}
			if len(got) != len(orig) {
				t.Errorf("%s: %d bytes, want the original's %d", name, len(got), len(orig))
			}
		}
	}
}

func TestPublishedFilesAreLimitedInSize(t *testing.T) {
	src := writeSite(t, []byte(`-- site.toml --
[images]
max_bytes = 200
-- content/ambassadors/anna.md --
+++
name = "Anna"
+++
-- content/stories/big/index.md --
`+story("video", `video = "walk.mp4"`, "")+`-- content/stories/big/walk.mp4 --
#video location.mp4
`))
	_, err := Run(t.Context(), Options{Source: src, Now: now})
	if err == nil || !strings.Contains(err.Error(), "content/stories/big/index.md:7:1: video walk.mp4: file is 764 bytes, over the 200 byte limit") {
		t.Fatalf("err = %v", err)
	}
}

// TestSymlinksAreNotFollowed puts symbolic links to the site's secrets in
// story folders, static/ and as a story itself: each is refused, saying it
// is a link that leaves its folder, and nothing of the secrets is published.
func TestSymlinksAreNotFollowed(t *testing.T) {
	src := writeSite(t, []byte(anna+`-- votes.db.secret --
the vote database's signing key
-- votes.db --
SQLite format 3
-- .git/config --
[remote "origin"] url = https://token@example.org/repo
-- content/stories/cover/index.md --
`+story("photo", `cover = { src = "secret.jpg", alt = "A" }`, "")+`-- content/stories/linked/index.md --
`+story("video", `video = "db.mp4"`, "[config](git.mp4)\n")+`-- content/stories/inside/index.md --
`+story("photo", `cover = { src = "cover.jpg", alt = "A" }`, "")+`-- content/stories/inside/originals/pier.jpg --
#jpeg 64x48
`))
	links := map[string]string{
		"content/stories/cover/secret.jpg": "../../../votes.db.secret",
		"content/stories/linked/db.mp4":    "../../../votes.db",
		"content/stories/linked/git.mp4":   "../../../.git/config",
		"content/stories/page/index.md":    "../../../site.toml",
		"content/about.md":                 "../votes.db.secret",
		"content/stories/inside/cover.jpg": "originals/pier.jpg",
		"static/leak.txt":                  "../votes.db.secret",
		"layouts/partials/leak.html":       "../../votes.db.secret",
	}
	for link, target := range links {
		p := filepath.Join(src, filepath.FromSlash(link))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Skip("no symbolic links here:", err)
		}
	}
	_, err := Run(t.Context(), Options{Source: src, Now: now})
	if err == nil {
		t.Fatal("the build followed links out of the story folders")
	}
	for _, w := range []string{
		`content/stories/cover/index.md:7:11: media file "secret.jpg" is a symbolic link that points outside content/stories/cover/`,
		`content/stories/linked/index.md:7:1: media file "db.mp4" is a symbolic link that points outside content/stories/linked/`,
		`content/stories/linked/index.md:13:1: media file "git.mp4" is a symbolic link that points outside content/stories/linked/`,
		`content/stories/page/index.md: content/stories/page/index.md is a symbolic link`,
		`content/about.md: content/about.md is a symbolic link`,
	} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("missing error:\n  %s", w)
		}
	}
	if strings.Contains(err.Error(), "inside") {
		t.Errorf("a link inside its story's folder is refused: %v", err)
	}
	if t.Failed() {
		t.Logf("got:\n%v", err)
	}

	// With the content fixed, static/ and layouts/ links out are refused.
	for _, link := range []string{"content/stories/cover", "content/stories/linked", "content/stories/page", "content/about.md"} {
		if err := os.RemoveAll(filepath.Join(src, filepath.FromSlash(link))); err != nil {
			t.Fatal(err)
		}
	}
	_, err = Run(t.Context(), Options{Source: src, Now: now})
	if err == nil || !strings.Contains(err.Error(), "is a symbolic link to") || !strings.Contains(err.Error(), "which points outside") {
		t.Fatalf("static/ or layouts/ link: err = %v", err)
	}
	if err := os.Remove(filepath.Join(src, "layouts", "partials", "leak.html")); err != nil {
		t.Fatal(err)
	}
	_, err = Run(t.Context(), Options{Source: src, Now: now})
	if err == nil || !strings.Contains(err.Error(), "static/leak.txt is a symbolic link to \"../votes.db.secret\", which points outside static/") {
		t.Fatalf("static/ link: err = %v", err)
	}
	if err := os.Remove(filepath.Join(src, "static", "leak.txt")); err != nil {
		t.Fatal(err)
	}
	res, err := Run(t.Context(), Options{Source: src, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	assertNoLeak(t, res, []string{"signing key", "SQLite format", "token@"})
}

// TestPageNamesAreSlugs checks that a plain page's name becomes its URL
// only if it is a slug, as a story's does.
func TestPageNamesAreSlugs(t *testing.T) {
	src := writeSite(t, []byte(`-- site.toml --
-- content/ok-page.md --
+++
title = "OK"
+++
`))
	for _, name := range []string{"a?b#c.md", "%2e%2e.md", "new\nline.md", "Visit/index.md"} {
		p := filepath.Join(src, "content", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("+++\ntitle = \"X\"\n+++\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := Run(t.Context(), Options{Source: src, Now: now})
	for _, w := range []string{
		`content/a?b#c.md: name "a?b#c" is not a valid slug`,
		`content/%2e%2e.md: name "%2e%2e" is not a valid slug`,
		`name "new\nline" is not a valid slug`,
		`content/Visit/index.md: name "Visit" is not a valid slug`,
	} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("missing error:\n  %s\ngot: %v", w, err)
		}
	}
	if err != nil && strings.Contains(err.Error(), "ok-page") {
		t.Errorf("a slug page is refused: %v", err)
	}
}
