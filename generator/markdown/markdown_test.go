package markdown

import (
	"fmt"
	"html"
	"html/template"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
)

func render(t testing.TB, src string, o RenderOptions) string {
	t.Helper()
	m := New()
	out, err := m.Render(m.Parse([]byte(src)), o)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestUntrustedMarkdown(t *testing.T) {
	tests := []struct{ src, want, bad string }{
		{"<script>alert(1)</script>", "<!-- raw HTML omitted -->", "<script"},
		{"Hi <b onclick=x>there</b>", "Hi <!-- raw HTML omitted -->there", "onclick"},
		{"[site](https://example.org)", `<a href="https://example.org" rel="nofollow ugc noopener">site</a>`, ""},
		{"## Inside the boathouse", `<h2 id="inside-the-boathouse">Inside the boathouse</h2>`, ""},
		{"It's \"fine\" -- yes", "It&rsquo;s &ldquo;fine&rdquo; &ndash; yes", ""},
		{"Tar[^1].\n\n[^1]: Pine.", `class="footnotes"`, ""},
		{"| a | b |\n|---|---|\n| 1 | 2 |", "<table>", ""},
		{"~~gone~~", "<del>gone</del>", ""},
	}
	for _, tt := range tests {
		got := render(t, tt.src, RenderOptions{})
		if !strings.Contains(got, tt.want) {
			t.Errorf("%q:\n got %s\nwant it to contain %s", tt.src, got, tt.want)
		}
		if tt.bad != "" && strings.Contains(got, tt.bad) {
			t.Errorf("%q: output keeps %q: %s", tt.src, tt.bad, got)
		}
	}
}

// TestRefusedURLs writes script URLs every way Markdown and browsers allow
// and expects each left out of the page (its text kept) and reported at the
// line and column where its link or image starts.
func TestRefusedURLs(t *testing.T) {
	tests := []struct {
		name, src string
		want      string // the whole rendered body
		line, col int
	}{
		{"plain", "[x](javascript:alert(1))", "<p>x</p>\n", 1, 1},
		{"vbscript", "[x](vbscript:msgbox)", "<p>x</p>\n", 1, 1},
		{"backslash escape", "[x](javascript\\:alert(1))", "<p>x</p>\n", 1, 1},
		{"escaped vbscript", "[x](vbscript\\:msgbox)", "<p>x</p>\n", 1, 1},
		{"escaped data", "[x](data\\:text/html,<script>alert(1)</script>)", "<p>x</p>\n", 1, 1},
		{"data in angle brackets", "[x](<data:text/html;base64,PHNjcmlwdD4=>)", "<p>x</p>\n", 1, 1},
		{"colon entity", "[x](javascript&colon;alert(1))", "<p>x</p>\n", 1, 1},
		{"numeric colon", "[x](javascript&#58;alert(1))", "<p>x</p>\n", 1, 1},
		{"tab entity inside", "[x](java&#x09;script:alert(1))", "<p>x</p>\n", 1, 1},
		{"newline entity inside", "[x](java&#10;script:alert(1))", "<p>x</p>\n", 1, 1},
		{"leading control", "[x](&#1;javascript:alert(1))", "<p>x</p>\n", 1, 1},
		{"upper case", "[x](JaVaScRiPt:alert(1))", "<p>x</p>\n", 1, 1},
		{"percent-encoded", "[x](%6Aavascript:alert(1))", "<p>x</p>\n", 1, 1},
		{"percent colon", "[x](javascript%3Aalert(1))", "<p>x</p>\n", 1, 1},
		{"file", "[x](file:///etc/passwd)", "<p>x</p>\n", 1, 1},
		{"ftp", "see [x](ftp://example.org/)", "<p>see x</p>\n", 1, 5},
		{"image", "![a door](javascript:alert(1))", "<p>a door</p>\n", 1, 1},
		{"escaped image", "Look ![a door](javascript\\:alert(1))", "<p>Look a door</p>\n", 1, 6},
		{"autolink", "<javascript:alert(1)>", "<p>javascript:alert(1)</p>\n", 1, 1},
		{"autolink vbscript", "a\n<VBSCRIPT:msgbox>", "<p>a\nVBSCRIPT:msgbox</p>\n", 2, 1},
		{"reference", "intro\n\nsee [x] here\n\n[x]: javascript\\:alert(1)", "<p>intro</p>\n<p>see x here</p>\n", 3, 5},
		{"footnote", "a[^1]\n\n[^1]: [x](javascript\\:alert(1))", "", 3, 7},
		{"table", "| a |\n|---|\n| [x](javascript\\:alert(1)) |", "", 3, 3},
		{"quote and list", "> - [y](javascript\\:alert(1))", "", 1, 5},
	}
	m := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := m.Parse([]byte(tt.src))
			for _, o := range []RenderOptions{{}, {Link: func(u string) string { return u }}} {
				out, err := m.Render(d, o)
				if err != nil {
					t.Fatal(err)
				}
				got := string(out)
				if tt.want != "" && got != tt.want {
					t.Errorf("got  %q\nwant %q", got, tt.want)
				}
				if s := unsafeURL(got); s != "" {
					t.Errorf("writes %q: %s", s, got)
				}
			}
			if len(d.Problems) != 1 {
				t.Fatalf("problems = %+v, want one", d.Problems)
			}
			if p := d.Problems[0]; p.Line != tt.line || p.Col != tt.col || !strings.Contains(p.Msg, "is not allowed") {
				t.Errorf("problem = %+v, want at %d:%d", p, tt.line, tt.col)
			}
		})
	}
}

// TestFeedRewriteIsDecidedOn: a feed makes destinations absolute through
// RenderOptions.Link; what the rewrite returns is decided on again, and the
// rewrite is never asked about a refused URL.
func TestFeedRewriteIsDecidedOn(t *testing.T) {
	var asked []string
	o := RenderOptions{Link: func(u string) string {
		asked = append(asked, u)
		if u == "evil" {
			return "javascript:alert(1)"
		}
		return "https://site.example/s/" + u
	}}
	got := render(t, "[a](evil) [b](page/) [c](javascript\\:x) ![d](vbscript:x)", o)
	if want := `<p>a <a href="https://site.example/s/page/">b</a> c d</p>` + "\n"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if strings.Join(asked, " ") != "evil page/" {
		t.Errorf("rewrite asked about %q", asked)
	}
}

func TestClassifyURL(t *testing.T) {
	tests := []struct {
		u    string
		want URLKind
	}{
		{"https://example.org/x", URLExternal},
		{"HTTP://example.org", URLExternal},
		{"//example.org/x", URLExternal},
		{`\\example.org`, URLExternal},
		{`/\example.org`, URLExternal},
		{"mailto:editors@example.org", URLMail},
		{"MailTo:a@b", URLMail},
		{"", URLLocal},
		{"map.pdf", URLLocal},
		{"../first-light/", URLLocal},
		{"/about/", URLLocal},
		{"#inside", URLLocal},
		{"?page=2", URLLocal},
		{"./a:b", URLLocal},
		{"%20https://x", URLExternal},
		{"javascript:alert(1)", URLRefused},
		{" javascript:alert(1)", URLRefused},
		{"java\tscript:alert(1)", URLRefused},
		{"java\nscript:alert(1)", URLRefused},
		{"java\x00script:alert(1)", URLRefused},
		{"\x01javascript:alert(1)", URLRefused},
		{"JAVASCRIPT:alert(1)", URLRefused},
		{"%6Aavascript:alert(1)", URLRefused},
		{"%256Aavascript:alert(1)", URLRefused},
		{"javascript%3Aalert(1)", URLRefused},
		{"java%09script:alert(1)", URLRefused},
		{"vbscript:msgbox", URLRefused},
		{"data:text/html,x", URLRefused},
		{"data:image/png;base64,AAAA", URLRefused},
		{"file:///etc/passwd", URLRefused},
		{"ftp://example.org", URLRefused},
		{"tel:+358", URLRefused},
		{"a:b", URLRefused},
		{"\u00a0javascript:alert(1)", URLRefused},
	}
	for _, tt := range tests {
		if got := ClassifyURL(tt.u); got != tt.want {
			t.Errorf("ClassifyURL(%q) = %d, want %d", tt.u, got, tt.want)
		}
	}
}

// TestExternalLinksRel: every link that leaves the site is marked, whatever
// way it is written; links within the site and e-mail addresses are not.
func TestExternalLinksRel(t *testing.T) {
	const rel = ` rel="nofollow ugc noopener"`
	tests := []struct{ src, want string }{
		{"[a](https://example.org)", `<a href="https://example.org"` + rel + `>a</a>`},
		{"[a](http://example.org)", `<a href="http://example.org"` + rel + `>a</a>`},
		{"[a](//example.org/x)", `<a href="//example.org/x"` + rel + `>a</a>`},
		{"[a](HTTPS://example.org)", `<a href="HTTPS://example.org"` + rel + `>a</a>`},
		{"<https://example.org/x>", `<a href="https://example.org/x"` + rel + `>https://example.org/x</a>`},
		{"see www.example.org now", `<a href="http://www.example.org"` + rel + `>www.example.org</a>`},
		{"see https://example.org now", `<a href="https://example.org"` + rel + `>https://example.org</a>`},
		{"[a](mailto:x@example.org)", `<a href="mailto:x@example.org">a</a>`},
		{"<x@example.org>", `<a href="mailto:x@example.org">x@example.org</a>`},
		{"[a](../first-light/)", `<a href="../first-light/">a</a>`},
		{"[a](#inside)", `<a href="#inside">a</a>`},
	}
	for _, tt := range tests {
		if got := render(t, tt.src, RenderOptions{}); !strings.Contains(got, tt.want) {
			t.Errorf("%q:\n got %s\nwant it to contain %s", tt.src, got, tt.want)
		}
	}
}

func TestPoemLineBreaks(t *testing.T) {
	src := "The light gives up\nwithout a fight.\n\nThe harbour is one colour."
	if got := render(t, src, RenderOptions{HardWraps: true}); !strings.Contains(got, "<p>The light gives up<br>\nwithout a fight.</p>\n<p>The harbour is one colour.</p>") {
		t.Errorf("poem: %s", got)
	}
	if got := render(t, src, RenderOptions{}); strings.Contains(got, "<br>") {
		t.Errorf("prose got line breaks: %s", got)
	}
}

func TestImageHook(t *testing.T) {
	var refs []ImageRef
	o := RenderOptions{Image: func(ref ImageRef) (template.HTML, bool) {
		refs = append(refs, ref)
		if ref.Dest == "remote.jpg" {
			return "", false
		}
		return template.HTML(`<picture data-src="` + ref.Dest + `"></picture>`), true
	}}
	got := render(t, "![The door](door.jpg \"In May\")\n\nText ![inline](pier.jpg) here.\n\n![kept](remote.jpg)", o)
	for _, want := range []string{
		`<picture data-src="door.jpg"></picture>`,
		`<p>Text <picture data-src="pier.jpg"></picture> here.</p>`,
		`<img src="remote.jpg" alt="kept"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %s in\n%s", want, got)
		}
	}
	if strings.Contains(got, "<p><picture data-src=\"door.jpg\"") {
		t.Error("a lone image stayed inside a paragraph")
	}
	// Each image is asked for once, counted in order; an image the page
	// cannot resolve is asked as a figure, then inline.
	want := []ImageRef{
		{Dest: "door.jpg", Alt: "The door", Title: "In May", Figure: true, Index: 0},
		{Dest: "pier.jpg", Alt: "inline", Index: 1},
		{Dest: "remote.jpg", Alt: "kept", Figure: true, Index: 2},
		{Dest: "remote.jpg", Alt: "kept", Index: 2},
	}
	if len(refs) != len(want) {
		t.Fatalf("refs = %+v", refs)
	}
	for i := range want {
		if refs[i] != want[i] {
			t.Errorf("ref %d = %+v, want %+v", i, refs[i], want[i])
		}
	}
}

func TestParseFindsImagesAndLinks(t *testing.T) {
	d := New().Parse([]byte("Intro.\n\n![a](one.jpg)\n\nSee [map](map.pdf).\n"))
	if len(d.Images) != 1 || d.Images[0].Dest != "one.jpg" || d.Images[0].Line != 3 || d.Images[0].Alt != "a" {
		t.Errorf("images = %+v", d.Images)
	}
	if len(d.Links) != 1 || d.Links[0].Dest != "map.pdf" || d.Links[0].Line != 5 || d.Links[0].Kind != URLLocal {
		t.Errorf("links = %+v", d.Links)
	}
	if got := d.Text(160); got != "Intro." {
		t.Errorf("Text = %q", got)
	}
	// Summaries are plain text: the typographer's quotes are characters,
	// not entities that a template would escape again.
	if got := New().Parse([]byte(`"Quoted" -- it's 'here'`)).Text(160); got != "“Quoted” – it’s ‘here’" {
		t.Errorf("Text = %q", got)
	}
	long := New().Parse([]byte(strings.Repeat("word ", 100)))
	if got := long.Text(30); len([]rune(got)) > 31 || !strings.HasSuffix(got, "…") {
		t.Errorf("Text(30) = %q", got)
	}
}

// TestRefsArePlacedOnTheirOwnLine: an image or link in the middle of a
// paragraph is placed at its own line and column, not the paragraph's first.
func TestRefsArePlacedOnTheirOwnLine(t *testing.T) {
	src := "Intro.\n\nThe pier ![a](one.jpg) at dawn,\nthen ![](two.jpg) and\n  [the map](map.pdf) and <https://example.org>.\n\n> - Äö ![ö](three.jpg)\n"
	d := New().Parse([]byte(src))
	type pos struct {
		dest      string
		line, col int
	}
	var got []pos
	for _, r := range append(d.Images, d.Links...) {
		got = append(got, pos{r.Dest, r.Line, r.Col})
	}
	want := []pos{{"one.jpg", 3, 10}, {"two.jpg", 4, 6}, {"three.jpg", 7, 8}, {"map.pdf", 5, 3}, {"https://example.org", 5, 26}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
	if d.Images[1].Alt != "" || d.Images[0].Alt != "a" {
		t.Errorf("alt texts: %q, %q", d.Images[0].Alt, d.Images[1].Alt)
	}
}

// TestDeepNesting: nesting is cut at MaxDepth and reported once, at the
// line where it goes too deep, in time proportional to the body
// (BenchmarkDeepNesting measures it).
func TestDeepNesting(t *testing.T) {
	tests := []struct {
		name, src string
		line      int
	}{
		{"quotes", strings.Repeat("> ", 100000) + "x\n", 1},
		{"quotes without spaces", "intro\n\n" + strings.Repeat(">", 100000) + "x\n", 3},
		{"lists", strings.Repeat("- ", 100000) + "x\n", 1},
		{"ordered lists", strings.Repeat("1. ", 50000) + "x\n", 1},
		{"quote lines", strings.Repeat(strings.Repeat(">", 1000)+"x\n", 200), 1},
		{"images", strings.Repeat("![", 50000) + "x" + strings.Repeat("](u.jpg)", 50000), 1},
		{"emphasis", strings.Repeat("*a ", 50000) + strings.Repeat(" b*", 50000), 1},
	}
	m := New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := m.Parse([]byte(tt.src))
			if len(d.Problems) == 0 {
				t.Fatal("no problem reported")
			}
			p := d.Problems[0]
			if p.Line != tt.line || !strings.Contains(p.Msg, "nested more than 50 levels") {
				t.Errorf("problem = %+v", p)
			}
			if depth := treeDepth(d.root()); depth > MaxDepth {
				t.Errorf("tree is %d deep", depth)
			}
			if _, err := m.Render(d, RenderOptions{}); err != nil {
				t.Fatal(err)
			}
		})
	}
	// Nesting within the limit is fine.
	if d := m.Parse([]byte(strings.Repeat("> ", 20) + "- a\n  - *b [c](d)*")); len(d.Problems) != 0 {
		t.Errorf("problems = %+v", d.Problems)
	}
}

func treeDepth(n ast.Node) int {
	max := 0
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		max = maxOf(max, 1+treeDepth(c))
	}
	return max
}

func maxOf(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// BenchmarkDeepNesting parses 100,000 nested quotes (200 KB).
func BenchmarkDeepNesting(b *testing.B) {
	src := []byte(strings.Repeat("> ", 100000) + "x\n")
	m := New()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		m.Parse(src)
	}
}

// unsafeURL returns the first href or src of out whose scheme, read the way
// a browser reads it, is not http, https or mailto; "" when there is none.
// It is written independently of ClassifyURL, after the URL standard:
// leading and trailing C0 controls and spaces are stripped, tabs and
// newlines removed, and a scheme is a letter then letters, digits, "+", "-"
// or "." up to a colon.
func unsafeURL(out string) string {
	for _, m := range attrURL.FindAllStringSubmatch(out, -1) {
		u := html.UnescapeString(m[1])
		u = strings.TrimFunc(u, func(r rune) bool { return r <= ' ' })
		u = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(u)
		if s := browserScheme.FindStringSubmatch(u); s != nil {
			switch strings.ToLower(s[1]) {
			case "http", "https", "mailto":
			default:
				return m[1]
			}
		}
	}
	return ""
}

var (
	attrURL       = regexp.MustCompile(`(?i)\b(?:href|src|srcset|poster)\s*=\s*"([^"]*)"`)
	browserScheme = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.\-]*):`)
)

// FuzzRender runs outside Markdown through parsing and rendering with the
// image hook and, on some runs, a feed's link rewrite: no panic, never a
// script element, and never an href or src with a scheme outside the
// allowlist (http, https, mailto).
func FuzzRender(f *testing.F) {
	for _, s := range []string{
		"# T\n\n![a](b.jpg \"c\")", "<script>x</script>", "[a](javascript:x)", "a\nb\n\nc[^1]\n\n[^1]: d", "| a |\n|---|\n| ![x](y) |",
		"[x](javascript\\:alert(1))", "[x](java&#x09;script:x)", "<javascript:x>", "[x]\n\n[x]: vbscript\\:x", "[x](//example.org) www.example.org",
		"> > > - [x](data\\:x)",
	} {
		f.Add(s)
	}
	m := New()
	f.Fuzz(func(t *testing.T, src string) {
		o := RenderOptions{HardWraps: len(src)%2 == 0, Image: func(ref ImageRef) (template.HTML, bool) {
			return template.HTML("<picture></picture>"), strings.HasSuffix(ref.Dest, ".jpg")
		}}
		if len(src)%3 == 0 {
			o.Link = func(u string) string {
				if strings.HasPrefix(u, "/") || strings.Contains(u, ":") {
					return u
				}
				return "https://site.example/s/" + u
			}
		}
		out, err := m.Render(m.Parse([]byte(src)), o)
		if err != nil {
			return
		}
		if strings.Contains(strings.ToLower(string(out)), "<script") {
			t.Fatalf("script element for %q: %s", src, out)
		}
		if u := unsafeURL(string(out)); u != "" {
			t.Fatalf("unsafe URL %q for %q: %s", u, src, out)
		}
	})
}

// BenchmarkRenderBody renders a story body as its page does, once per
// page and feed item on a site's every story.
func BenchmarkRenderBody(b *testing.B) {
	m := New()
	doc := m.Parse([]byte("The fog lifts off the water a little after six, and the pier **appears**\nplank by plank.\n\n## What the lake remembers\n\n- the old boathouse\n- the ferry that ran until 1962[^ferry]\n\n> We never locked the doors then.\n\nRead the [harbour's history](https://example.org/harbour).\n\n[^ferry]: It carried bicycles for free on Sundays.\n"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Render(doc, RenderOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseBody parses a story body as reading content/ does, and
// as rendering its page, its feed item and its search text each do again
// (Doc keeps no tree).
func BenchmarkParseBody(b *testing.B) {
	m := New()
	src := []byte("The fog lifts off the water a little after six, and the pier **appears**\nplank by plank.\n\n## What the lake remembers\n\n- the old boathouse\n- the ferry that ran until 1962[^ferry]\n\n> We never locked the doors then.\n\nRead the [harbour's history](https://example.org/harbour).\n\n[^ferry]: It carried bicycles for free on Sundays.\n")
	b.ReportAllocs()
	for b.Loop() {
		m.tree(src)
	}
}
