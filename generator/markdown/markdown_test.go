package markdown

import (
	"html/template"
	"strings"
	"testing"
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
		{"[x](javascript:alert(1))", `<a href="">x</a>`, "javascript:"},
		{"[x](vbscript:msgbox)", `<a href="">x</a>`, "vbscript:"},
		{"![x](javascript:alert(1))", `<img src="" alt="x"`, "javascript:"},
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
	if len(d.Images) != 1 || d.Images[0].Dest != "one.jpg" || d.Images[0].Line != 3 {
		t.Errorf("images = %+v", d.Images)
	}
	if len(d.Links) != 1 || d.Links[0].Dest != "map.pdf" || d.Links[0].Line != 5 {
		t.Errorf("links = %+v", d.Links)
	}
	if got := d.Text(160); got != "Intro." {
		t.Errorf("Text = %q", got)
	}
	long := New().Parse([]byte(strings.Repeat("word ", 100)))
	if got := long.Text(30); len([]rune(got)) > 31 || !strings.HasSuffix(got, "…") {
		t.Errorf("Text(30) = %q", got)
	}
}

// FuzzRender runs outside Markdown through parsing and rendering with the
// image hook: no panic, and never a script element or javascript: URL.
func FuzzRender(f *testing.F) {
	for _, s := range []string{"# T\n\n![a](b.jpg \"c\")", "<script>x</script>", "[a](javascript:x)", "a\nb\n\nc[^1]\n\n[^1]: d", "| a |\n|---|\n| ![x](y) |"} {
		f.Add(s)
	}
	m := New()
	f.Fuzz(func(t *testing.T, src string) {
		o := RenderOptions{HardWraps: len(src)%2 == 0, Image: func(ref ImageRef) (template.HTML, bool) {
			return template.HTML("<picture></picture>"), strings.HasSuffix(ref.Dest, ".jpg")
		}}
		out, err := m.Render(m.Parse([]byte(src)), o)
		if err != nil {
			return
		}
		low := strings.ToLower(string(out))
		if strings.Contains(low, "<script") || strings.Contains(low, `href="javascript:`) || strings.Contains(low, `src="javascript:`) {
			t.Fatalf("unsafe output for %q: %s", src, out)
		}
	})
}
