package build

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/postcard-ssg/postcard/generator/diag"
	"golang.org/x/net/html"
)

// This file scans a build's output the way an attacker's browser would read
// it: every HTML page with an HTML5 tokenizer, the HTML inside feeds and JSON
// Feed items, every URL after the browser's own decoding. It finds what
// could run script on the site's origin (a script element that is not the
// theme's, an event attribute, a dangerous URL, a refresh, a base) and what
// should not be published at all (a file of a kind Postcard never writes).

// safeSchemes are the schemes a URL from content may have; anything else
// (javascript:, vbscript:, data:, file:, …) is dangerous.
var safeSchemes = map[string]bool{"http": true, "https": true, "mailto": true}

// publishable are the kinds of file a build may write.
var publishable = map[string]bool{
	".html": true, ".xml": true, ".json": true, ".txt": true,
	".css": true, ".js": true,
	".jpg": true, ".webp": true, ".png": true, ".avif": true,
	".mp4": true, ".webm": true,
	".bin": true, // the search index's term shards and facets, under search/
}

// themeOnly are the kinds of file only the theme (trusted code) may publish,
// never under a content page's folder.
var themeOnly = map[string]bool{".css": true, ".js": true, ".svg": true, ".ico": true}

// contentDirs are the output folders that hold what content produced.
var contentDirs = []string{"stories/", "ambassadors/", "contests/", "places/", "tags/", "kinds/"}

// urlAttrs are the attributes whose value a browser follows or loads.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "poster": true,
	"data": true, "cite": true, "background": true, "xlink:href": true,
	"longdesc": true, "manifest": true, "ping": true, "data-embed": true,
}

// scanOutput fails t for every finding in res's files.
func scanOutput(t *testing.T, res *Result) {
	t.Helper()
	for _, name := range res.Files.Names() {
		data, _ := res.Files.Get(name)
		for _, f := range scanFile(name, data) {
			t.Errorf("%s: %s", name, f)
		}
	}
	for _, f := range scanJSON(manifestJSON(t, res)) {
		t.Errorf("the contest manifest: %s", f)
	}
}

// scanFile returns the findings in one output file.
func scanFile(name string, data []byte) []string {
	ext := strings.ToLower(path.Ext(name))
	base := path.Base(name)
	if strings.HasPrefix(base, ".") && base != ".postcard-output" {
		return []string{"a hidden file is published"}
	}
	if themeOnly[ext] {
		for _, d := range contentDirs {
			if strings.HasPrefix(name, d) {
				return []string{"a script, stylesheet or SVG is published beside content"}
			}
		}
		if ext == ".svg" {
			return scanSVG(data)
		}
		return nil
	}
	if !publishable[ext] {
		return []string{fmt.Sprintf("a %q file is published; Postcard publishes only pages, feeds and processed media", ext)}
	}
	switch ext {
	case ".html":
		return scanHTML(data)
	case ".xml":
		return scanXML(data)
	case ".json":
		return scanJSON(data)
	case ".bin":
		// Served as application/octet-stream, which no browser renders.
		if !strings.Contains("/"+path.Dir(name)+"/", "/search/") {
			return []string{"a binary file is published outside the search index"}
		}
	case ".txt":
		if bytes.Contains(bytes.ToLower(data), []byte("<script")) {
			return []string{"a text file holds markup"}
		}
	}
	return nil
}

// scanHTML tokenizes a page (or a fragment of one, as in a feed) and
// reports every way it could run script.
func scanHTML(data []byte) []string {
	var out []string
	z := html.NewTokenizer(bytes.NewReader(data))
	inScript := ""
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if !errors.Is(z.Err(), io.EOF) {
				out = append(out, z.Err().Error())
			}
			return out
		}
		tok := z.Token()
		switch tt {
		case html.TextToken:
			if inScript == "application/ld+json" {
				out = append(out, scanLD(tok.Data)...)
			} else if inScript != "" {
				out = append(out, "an inline script: "+clip(tok.Data))
			}
		case html.EndTagToken:
			if tok.Data == "script" {
				inScript = ""
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			out = append(out, scanTag(tok)...)
			if tok.Data == "script" {
				inScript = "text/javascript"
				if ty := attr(tok, "type"); ty != "" && ty != "module" {
					inScript = ty
				}
				if src := attr(tok, "src"); src != "" && inScript != "text/javascript" && inScript != "module" {
					out = append(out, "a script of type "+inScript+" with a src")
				}
			}
		}
	}
}

func attr(tok html.Token, key string) string {
	for _, a := range tok.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// scanTag checks one start tag: its name, every attribute, every URL.
func scanTag(tok html.Token) []string {
	var out []string
	switch tok.Data {
	case "script":
		ty := attr(tok, "type")
		src := attr(tok, "src")
		switch {
		case ty == "application/ld+json":
		case src == "":
			// an inline script: reported with its text
		case !themeScript.MatchString(src):
			out = append(out, "a script that is not one of the theme's fingerprinted scripts: "+src)
		}
	case "iframe", "frame", "object", "embed", "applet", "base", "portal":
		out = append(out, "a <"+tok.Data+"> element")
	case "meta":
		if strings.EqualFold(attr(tok, "http-equiv"), "refresh") {
			out = append(out, "a meta refresh")
		}
	case "foreignobject", "animate", "set", "handler", "listener":
		out = append(out, "an SVG <"+tok.Data+"> element")
	}
	for _, a := range tok.Attr {
		k := strings.ToLower(a.Key)
		if a.Namespace != "" {
			k = a.Namespace + ":" + k
		}
		switch {
		case strings.HasPrefix(k, "on"):
			out = append(out, fmt.Sprintf("an event attribute %s=%q on <%s>", k, clip(a.Val), tok.Data))
		case k == "srcdoc":
			out = append(out, "an srcdoc attribute")
		case k == "style":
			if bad := badCSS(a.Val); bad != "" {
				out = append(out, "a style attribute "+bad)
			}
		case k == "srcset" || k == "imagesrcset":
			for _, cand := range strings.Split(a.Val, ",") {
				if f := strings.Fields(cand); len(f) > 0 {
					out = append(out, checkURL(f[0])...)
				}
			}
		case urlAttrs[k]:
			out = append(out, checkURL(a.Val)...)
		case k == "content" && tok.Data == "meta":
			// og:url, og:image and friends are URLs; other metas are text.
			if p := attr(tok, "property") + attr(tok, "name"); strings.HasSuffix(p, ":url") || strings.HasSuffix(p, ":image") {
				out = append(out, checkURL(a.Val)...)
			}
		}
	}
	return out
}

// themeScript is the URL of a script the theme bundles (js/NAME.HASH.js).
var themeScript = regexp.MustCompile(`^/js/[a-z0-9-]+\.[0-9a-f]{10}\.js$`)

// dataImage is a placeholder image inlined as a data: URL; SVG is not one.
var dataImage = regexp.MustCompile(`(?i)^data:image/(webp|png|jpeg|gif|avif)[;,]`)

var cssDanger = regexp.MustCompile(`(?i)expression\s*\(|javascript:|vbscript:|-moz-binding|behavior\s*:|@import`)

func badCSS(s string) string {
	if m := cssDanger.FindString(s); m != "" {
		return "holds " + m
	}
	return ""
}

// checkURL decides on a URL as a browser reads it: entities are already
// decoded by the tokenizer; tabs and newlines inside are ignored and
// leading control characters and spaces are stripped by the URL parser.
func checkURL(raw string) []string {
	u := strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, raw)
	u = strings.TrimLeft(u, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	i := strings.IndexAny(u, ":/?#")
	if i <= 0 || u[i] != ':' {
		return nil // relative: a path, a query, a fragment or //host
	}
	scheme := strings.ToLower(u[:i])
	if safeSchemes[scheme] {
		return nil
	}
	if scheme == "data" && dataImage.MatchString(u) {
		return nil // a placeholder image; data:image/svg+xml is refused
	}
	return []string{fmt.Sprintf("a dangerous URL %q", clip(raw))}
}

// scanLD checks a JSON-LD block: it must be JSON, and its URLs safe.
func scanLD(s string) []string {
	if strings.Contains(strings.ToLower(s), "</script") || strings.Contains(s, "<!--") {
		return []string{"JSON-LD that breaks out of its script"}
	}
	return scanJSON([]byte(s))
}

// scanJSON walks a JSON file (a feed, a search index, the manifest): HTML in
// it is scanned as HTML, URLs as URLs.
func scanJSON(data []byte) []string {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return []string{"not JSON: " + err.Error()}
	}
	var out []string
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				walk(k, e)
			}
		case []any:
			for _, e := range x {
				walk(key, e)
			}
		case string:
			k := strings.ToLower(key)
			switch {
			case strings.HasSuffix(k, "html"):
				out = append(out, scanHTML([]byte(x))...)
			case k == "url" || strings.HasSuffix(k, "_url") || strings.HasSuffix(k, "url") || k == "image" || k == "banner_image" || k == "avatar" || k == "icon" || k == "favicon" || k == "@id" || k == "sameas" || k == "href" || k == "logo" || k == "embedurl" || k == "contenturl" || k == "thumbnailurl":
				out = append(out, checkURL(x)...)
			}
		}
	}
	walk("", v)
	return out
}

// scanXML reads a feed or sitemap: attributes and link-like elements are
// URLs, and the HTML that feeds carry is scanned as HTML: RSS's description
// and content:encoded always (readers render them as HTML), Atom's text
// constructs when their type says html or xhtml.
func scanXML(data []byte) []string {
	var out []string
	d := xml.NewDecoder(bytes.NewReader(data))
	var stack []xml.StartElement
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			return append(out, "not XML: "+err.Error())
		}
		switch x := tok.(type) {
		case xml.StartElement:
			stack = append(stack, x)
			for _, a := range x.Attr {
				if a.Name.Local == "href" || a.Name.Local == "url" || a.Name.Local == "src" {
					out = append(out, checkURL(a.Value)...)
				}
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 {
				continue
			}
			el := stack[len(stack)-1]
			switch el.Name.Local {
			case "description", "encoded":
				out = append(out, scanHTML(x)...)
			case "content", "summary", "subtitle", "title", "rights":
				for _, a := range el.Attr {
					if a.Name.Local == "type" && (a.Value == "html" || a.Value == "xhtml") {
						out = append(out, scanHTML(x)...)
					}
				}
			case "link", "loc", "url", "guid", "comments", "docs", "icon", "logo":
				out = append(out, checkURL(strings.TrimSpace(string(x)))...)
			}
		case xml.ProcInst:
			if x.Target == "xml-stylesheet" {
				out = append(out, "an XML stylesheet")
			}
		case xml.Directive:
			out = append(out, "an XML directive (DTD or entity)")
		}
	}
}

// scanSVG refuses script in the theme's own SVG files too.
func scanSVG(data []byte) []string {
	return scanHTML(data)
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

// TestScannerFindsAttacks keeps the scanner honest: each of these must be
// found, or the hostile-site test below could pass on a blind scanner.
func TestScannerFindsAttacks(t *testing.T) {
	for _, c := range []struct{ name, data string }{
		{"p.html", `<a href="javascript:alert(1)">x</a>`},
		{"p.html", `<a href="&#x6A;avascript&colon;alert(1)">x</a>`},
		{"p.html", "<a href=\"java\tscript:alert(1)\">x</a>"},
		{"p.html", `<a href=" JaVaScRiPt:alert(1)">x</a>`},
		{"p.html", `<img src="x" onerror="alert(1)">`},
		{"p.html", `<svg><script>alert(1)</script></svg>`},
		{"p.html", `<script>alert(1)</script>`},
		{"p.html", `<script src="https://evil.example/x.js"></script>`},
		{"p.html", `<iframe src="https://evil.example/"></iframe>`},
		{"p.html", `<meta http-equiv="refresh" content="0;url=https://evil.example/">`},
		{"p.html", `<img srcset="a.jpg 1x, javascript:alert(1) 2x">`},
		{"p.html", `<div data-embed="javascript:alert(1)"></div>`},
		{"p.html", `<p style="background:url(javascript:alert(1))">`},
		{"p.html", `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>`},
		{"p.html", `<script type="application/ld+json">{"name":"</script><script>alert(1)</script>"}</script>`},
		{"p.html", `<script type="application/ld+json">{"url":"javascript:alert(1)"}</script>`},
		{"feed.xml", `<rss><channel><item><description>&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;</description></item></channel></rss>`},
		{"atom.xml", `<feed><entry><link href="javascript:alert(1)"/></entry></feed>`},
		{"atom.xml", `<feed><entry><content type="html">&lt;img src=x onerror=alert(1)&gt;</content></entry></feed>`},
		{"feed.json", `{"items":[{"url":"javascript:alert(1)","content_html":"x"}]}`},
		{"feed.json", `{"items":[{"url":"/x/","content_html":"<a href=\"vbscript:x\">x</a>"}]}`},
		{"stories/x/programme.html.svg", `<svg/>`},
		{"stories/x/evil.svg", `<svg/>`},
		{"stories/x/.htaccess", `AddType text/html .jpg`},
		{"stories/x/index.md", `+++`},
		{"stories/x/programme.xhtml", `<x/>`},
	} {
		if len(scanFile(c.name, []byte(c.data))) == 0 {
			t.Errorf("%s %q: nothing found", c.name, c.data)
		}
	}
	for _, ok := range []string{
		`<a href="https://example.org/" rel="nofollow ugc noopener">x</a>`,
		`<a href="/stories/x/">x</a><a href="#fn1">1</a><a href="mailto:a@example.org">m</a><a href="//example.org/">p</a>`,
		`<img src="data:image/webp;base64,AAAA" alt="x">`,
		`<script src="/js/vote.7be2093cd2.js" defer></script>`,
		`<script type="application/ld+json">{"@type":"WebSite","url":"https://lake.example/","name":"\u003c/script\u003e"}</script>`,
	} {
		if f := scanFile("p.html", []byte(ok)); len(f) > 0 {
			t.Errorf("%q: false finding %v", ok, f)
		}
	}
}

// TestBasicSiteScansClean: the scanner finds nothing in an ordinary site,
// so each finding on the hostile site is a real one.
func TestBasicSiteScansClean(t *testing.T) {
	scanOutput(t, mustBuild(t, "basic", Options{}))
}

// TestHostileSite builds a site whose every field and body an attacker
// wrote, and scans every byte of the output: pages, feeds, JSON, sitemap
// and copied files.
func TestHostileSite(t *testing.T) {
	res := mustBuild(t, "hostile", Options{})
	if len(res.Site.Stories) != 2 {
		t.Errorf("%d stories published, want 2", len(res.Site.Stories))
	}
	scanOutput(t, res)
	// The words of the payloads are still there, as text: nothing was lost.
	assertLines(t, res, "stories/breakout/index.html", `<title>&lt;/script&gt;&lt;script&gt;alert(&#39;ld&#39;)`)
}

// TestHostileSiteRefused builds what an attacker sends that Postcard must
// refuse, and expects each attack reported at its place, in one run, with
// no output.
func TestHostileSiteRefused(t *testing.T) {
	dir := writeSite(t, loadFixture(t, "hostile-refused"))
	// What txtar cannot hold: links to the secrets beside the site, and a
	// cut-off JPEG.
	for _, secret := range []string{"votes.db.secret", "votes.db", ".git/config"} {
		p := filepath.Join(dir, filepath.FromSlash(secret))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("SECRET-"+secret), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	links := filepath.Join(dir, "content", "stories", "leak")
	if err := os.MkdirAll(links, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, target := range map[string]string{"secret.mp4": "../../../votes.db.secret", "db.jpg": "../../../votes.db", "git.mp4": "../../../.git/config"} {
		if err := os.Symlink(target, filepath.Join(links, name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(links, "index.md"), []byte(`+++
title = "Leak"
ambassador = "mallory"
date = 2026-09-14
kind = "video"
status = "approved"
video = "secret.mp4"
cover = { src = "db.jpg", alt = "A database" }
[rights]
license = "CC-BY-4.0"
consent = 2026-09-15
credit = "Mallory"
+++
[config](git.mp4)
`), 0o644); err != nil {
		t.Fatal(err)
	}
	jpg := testJPEG(t, 400, 300)
	if err := os.WriteFile(filepath.Join(dir, "content", "stories", "media", "truncated.jpg"), jpg[:len(jpg)/3], 0o644); err != nil {
		t.Fatal(err)
	}

	res, err := Run(t.Context(), Options{Source: dir, Now: now})
	if err == nil {
		t.Fatalf("the hostile site built %d files", res.Files.Len())
	}
	var le *diag.ListError
	if !errors.As(err, &le) {
		t.Fatalf("err = %v, want a list of positioned problems", err)
	}
	got := err.Error()
	// Each attack, at its place. The reference definition is reported where
	// it is used.
	for _, w := range []string{
		`content/%2e%2e.md: name "%2e%2e" is not a valid slug`,
		`content/a?b#c.md: name "a?b#c" is not a valid slug`,
		`content/ambassadors/mallory.md:3:10: link "javascript:alert('profile')" must be an http or https URL`,
		`content/ambassadors/mallory.md:5:1: link "javascript\\:alert('ambassador')" is not allowed`,
		`content/contests/trap.md:3:1: category "<b>bold</b>" must be a slug`,
		`content/contests/trap.md:9:1: link "&#x6A;avascript:alert('contest')" is not allowed`,
		`content/stories/deep/index.md:2:25: lists and tables nested more than 16 deep`,
		`content/stories/leak/index.md:7:1: media file "secret.mp4" is a symbolic link that points outside content/stories/leak/`,
		`content/stories/leak/index.md:8:11: media file "db.jpg" is a symbolic link that points outside content/stories/leak/`,
		`content/stories/leak/index.md:14:1: media file "git.mp4" is a symbolic link that points outside content/stories/leak/`,
		`content/stories/links/index.md:12:1: link "javascript\\:alert(1)" is not allowed`,
		`content/stories/links/index.md:13:1: link "vbscript\\:msgbox(1)" is not allowed`,
		`content/stories/links/index.md:13:27: link "data\\:text/html;base64,PHNjcmlwdD4=" is not allowed`,
		`content/stories/links/index.md:14:1: link "JAVASCRIPT:alert(4)" is not allowed`,
		`content/stories/links/index.md:14:34: link "javascript:alert(2)" is not allowed`,
		`content/stories/links/index.md:18:5: link "javascript\\:alert(5)" is not allowed`,
		`content/stories/links/index.md:22:3: link "javascript&colon;alert(6)" is not allowed`,
		`content/stories/links/index.md:26:7: link "%6Aavascript:alert(7)" is not allowed`,
		`content/stories/links/index.md:28:1: image "pier.jpg" has no alt text`,
		`content/stories/links/index.md:29:1: link to "programme.html": Postcard publishes only`,
		`content/stories/links/index.md:29:24: link to "logo.svg": Postcard publishes only`,
		`content/stories/links/index.md:29:43: link to "page.xhtml": Postcard publishes only`,
		`content/stories/links/index.md:29:59: link to ".htaccess": Postcard publishes only`,
		`content/stories/links/index.md:29:74: link to "index.md": Postcard publishes only`,
		`content/stories/media/index.md:7:1: place "!!!" has no letters or digits`,
		`content/stories/media/index.md:8:9: tag "???" has no letters or digits`,
		`content/stories/media/index.md:9:11: "../links/pier.jpg" must be the name of a file in the story's folder`,
		`content/stories/media/index.md:11:5: image evil.svg: not an image Postcard can read`,
		`content/stories/media/index.md:12:5: image fake.jpg: not an image Postcard can read`,
		`content/stories/media/index.md:13:5: image truncated.jpg: corrupt or unreadable JPEG`,
		`content/stories/media/index.md:15:1: video clip.mp4: not an MP4 video`,
	} {
		if !strings.Contains(got, w) {
			t.Errorf("not reported: %s", w)
		}
	}
	if t.Failed() {
		t.Logf("got:\n%s", got)
	}
	for _, e := range le.Errs {
		if e.Pos.File == "" {
			t.Errorf("a problem without a file: %v", e)
		}
	}
	if strings.Contains(got, "SECRET-") {
		t.Error("an error message shows a secret's content")
	}
}
