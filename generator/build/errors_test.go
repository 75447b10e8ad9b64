package build

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/postcard-ssg/postcard/generator/content"
	"github.com/postcard-ssg/postcard/generator/diag"
	"github.com/postcard-ssg/postcard/generator/frontmatter"
)

// TestEveryMistakeIsReported builds a site holding one of each mistake and
// expects each reported, at its place, in one run.
func TestEveryMistakeIsReported(t *testing.T) {
	_, err := buildFixture(t, "mistakes", Options{})
	var le *diag.ListError
	if !errors.As(err, &le) {
		t.Fatalf("err = %v, want a list of problems", err)
	}
	want := []string{
		`content/stories/Bad_Slug/index.md: name "Bad_Slug" is not a valid slug`,
		`content/stories/bad-category/index.md:8:1: category "portraits" is not a category of contest "autumn" (landscape)`,
		`content/stories/bad-kind/index.md:5:1: kind is "film"; it must be one of "photo", "video", "story", "poem"`,
		`content/stories/bad-licence/index.md:8:1: rights.license "CC-BY-5.0" is not a known licence`,
		`content/stories/bad-licence/index.md:9:1: rights.consent 2030-01-01 is in the future`,
		`content/stories/bad-refs/index.md:3:1: unknown ambassador "bob"`,
		`content/stories/bad-refs/index.md:7:1: unknown contest "spring"`,
		`content/stories/bad-refs/index.md:9:25: unknown contributor "carl"`,
		`content/stories/bad-refs/index.md:10:16: inspired_by names unknown story "no-such-story"`,
		`content/stories/bad-video/index.md:7:1: video URL "https://tiktok.example/v/1" is not from an allowed provider`,
		`content/stories/broken-toml/index.md:2:`,
		`content/stories/dup/index.md: duplicate slug "dup": content/stories/dup.md already uses it`,
		`content/stories/escape/index.md:7:11: "../no-alt/pier.jpg" must be the name of a file in the story's folder`,
		`content/stories/missing-fields/index.md:2:1: missing required field "title"`,
		`content/stories/missing-fields/index.md:2:1: missing required field "date"`,
		`content/stories/no-alt/index.md:7:11: image "pier.jpg" has no alt text`,
		`content/stories/no-alt/index.md:9:5: media file "gone.jpg" is missing from content/stories/no-alt/`,
		`content/stories/no-alt/index.md:16:6: image "missing-inline.jpg" has no alt text: describe what it shows for people who cannot see it`,
		`content/stories/no-alt/index.md:16:6: media file "missing-inline.jpg" is missing`,
		`content/stories/no-alt/index.md:16:34: image "https://tracker.example/x.jpg" is not a file of the story's folder`,
		// URLs that could run script, however they are written, in every
		// kind of body; submitted stories are checked too.
		`content/ambassadors/eve.md:4:4: link "javascript\\:alert(1)" is not allowed: write an http, https or mailto address, or a path on the site`,
		`content/contests/autumn.md:9:19: link "vbscript:msgbox" is not allowed`,
		`content/stories/unsafe/index.md:12:5: link "javascript\\:alert(1)" is not allowed`,
		`content/stories/unsafe/index.md:12:35: link "vbscript\\:x" is not allowed`,
		`content/stories/unsafe/index.md:14:6: image "shore.jpg" has no alt text`,
		`content/stories/unsafe/index.md:15:1: link "javascript:alert(1)" is not allowed`,
		`content/stories/unsafe/index.md:19:3: link "java&#x09;script:x" is not allowed`,
		`content/stories/unsafe/index.md:21:1: link "data\\:text/html,x" is not allowed`,
		`content/stories/unsafe/index.md:24:7: link "JAVASCRIPT&colon;alert(1)" is not allowed`,
		`content/stories/deep/index.md:14:101: Markdown nested more than 50 levels deep`,
		`content/stories/no-rights/index.md:2:1: published story has no [rights]`,
		`content/stories/partial-rights/index.md:7:1: missing required field "rights.consent"`,
		`content/stories/partial-rights/index.md:7:1: missing required field "rights.credit"`,
		`content/stories/unknown-field/index.md:7:1: unknown field "colour"`,
		`content/stories/wrong-type/index.md:2:1: title must be a string, not an integer`,
		`content/stories/wrong-type/index.md:4:1: date is "yesterday"; write a date as YYYY-MM-DD`,
	}
	got := err.Error()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("missing error:\n  %s", w)
		}
	}
	// Images are processed even when content has mistakes, so an unreadable
	// one is reported in the same run, at the line that names it.
	if !strings.Contains(got, `content/stories/corrupt/index.md:7:11: image broken.jpg: not an image`) {
		t.Error("the corrupt image is not reported at its line")
	}
	for _, e := range le.Errs {
		if e.Pos.File == "" || !strings.HasPrefix(e.Pos.File, "content/") {
			t.Errorf("error without a content file: %v", e)
		}
	}
	if t.Failed() {
		t.Logf("got:\n%s", got)
	}
}

// TestImageErrorsArePlaced checks that an unreadable image is reported at
// the line that names it, and that other images still build.
func TestImageErrorsArePlaced(t *testing.T) {
	_, err := Run(t.Context(), Options{Now: now, Source: writeSite(t, []byte(`-- site.toml --
-- content/ambassadors/anna.md --
+++
name = "Anna"
+++
-- content/stories/corrupt/index.md --
+++
title = "Corrupt"
ambassador = "anna"
date = 2026-01-01
kind = "photo"
status = "approved"
cover = { src = "broken.jpg", alt = "Broken" }
[rights]
license = "CC-BY-4.0"
consent = 2026-01-01
credit = "A"
+++
-- content/stories/corrupt/broken.jpg --
this is not a jpeg
`))})
	if err == nil || !strings.Contains(err.Error(), "content/stories/corrupt/index.md:7:11: image broken.jpg: ") {
		t.Fatalf("err = %v", err)
	}
}

func TestConfigErrors(t *testing.T) {
	_, err := Run(t.Context(), Options{Now: now, Source: writeSite(t, []byte(`-- site.toml --
title = "X"
base_url = "not a url"
paginate = 10
[brand]
primary = "blue"
font_body = "serif /*"
logo = "/evil.example/x.svg"
font_heading = "Georgia, 'Times New Roman', serif"
`))})
	for _, w := range []string{
		`site.toml:2:1: base_url "not a url" must be an absolute http or https URL`,
		`site.toml:3:1: unknown field "paginate"`,
		`site.toml:5:1: brand.primary "blue" must be a colour`,
		`site.toml:6:1: brand.font_body "serif /*" must be a font list`,
		`site.toml:7:1: brand.logo "/evil.example/x.svg" must be the path of an image file in static/, such as "logo.svg", not a URL or an absolute path`,
	} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("err = %v\nwant %s", err, w)
		}
	}
	_, err = Run(t.Context(), Options{Now: now, Source: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "site.toml: no site.toml here") {
		t.Errorf("empty folder: err = %v", err)
	}
}

// TestOversizedContentIsRefused: a content file is read whole, so one
// beyond the limits is refused at its place instead of read.
func TestOversizedContentIsRefused(t *testing.T) {
	src := writeSite(t, []byte(`-- site.toml --
-- content/ambassadors/anna.md --
+++
name = "Anna"
+++
`))
	story := "+++\ntitle = \"Long\"\nambassador = \"anna\"\ndate = 2026-01-01\nkind = \"story\"\nstatus = \"submitted\"\n+++\n"
	for name, data := range map[string]string{
		"long-text.md":   story + strings.Repeat("words ", content.MaxBody/6+1),
		"long-matter.md": "+++\nnote = \"" + strings.Repeat("x", frontmatter.MaxMatter) + "\"\n+++\n",
		"huge.md":        strings.Repeat("x", frontmatter.MaxMatter+content.MaxBody+100),
		"deep.md":        "---\ntags: " + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "\n---\n",
	} {
		if err := os.MkdirAll(filepath.Join(src, "content", "stories"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(src, "content", "stories", name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, err := Run(t.Context(), Options{Now: now, Source: src})
	for _, want := range []string{
		"content/stories/long-text.md:8:1: the text is",
		"content/stories/long-matter.md:2:1: front matter is",
		"content/stories/huge.md:1:1: the file is larger than",
		"content/stories/deep.md:2:23: lists and tables nested more than 16 deep",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %.500v\nwant %s", err, want)
		}
	}
}
