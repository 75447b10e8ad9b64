package markdown

import (
	"fmt"
	"html/template"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

// docBody has what a Doc's tree is read for: a heading (its id), a
// poem's lines, typographer quotes, an image alone in its paragraph and
// one inline, a link, a footnote, a list, a quote, code and raw HTML.
const docBody = `"The pier" -- at dawn, the lake
holds the *last* light,
and the [boats](https://example.org/boats) lean in.[^1]

## What the lake remembers

![The old pier](pier.jpg "Before the fire")

- the boathouse ![](small.jpg)
- the ferry

> We never locked the doors.

` + "```\ncode()\n```\n" + `
<div>raw</div>

[^1]: It carried bicycles on Sundays.
`

// TestDocWithoutTree: a Doc keeps no syntax tree, and gives the same
// HTML, texts and lines on every call as from the tree it was parsed to.
func TestDocWithoutTree(t *testing.T) {
	m := New()
	d := m.Parse([]byte(docBody))
	opts := []RenderOptions{{}, {HardWraps: true, Image: func(img ImageRef) (template.HTML, bool) {
		return template.HTML(fmt.Sprintf("<img src=%q data-i=%d data-fig=%v>", img.Dest, img.Index, img.Figure)), true
	}, Link: func(dest string) string { return "https://stories.example.org/x/" + dest }}}

	// What the tree gives, read from a tree parsed here.
	root, _ := m.tree(d.Source)
	var want []template.HTML
	for _, o := range opts {
		h, err := m.render(d.Source, root, o)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, h)
	}
	if lead(root, d.Source) != "“The pier” – at dawn, the lake holds the last light, and the boats lean in." {
		t.Errorf("lead = %q", lead(root, d.Source))
	}
	if !strings.Contains(string(want[0]), `id="what-the-lake-remembers"`) || !strings.Contains(string(want[1]), "<br>") {
		t.Fatalf("the fixture lost what it tests:\n%s\n%s", want[0], want[1])
	}

	for range 2 { // the second round reads what the first left behind
		for i, o := range opts {
			if got, err := m.Render(d, o); err != nil || got != want[i] {
				t.Errorf("Render with options %d = %v\n%s\nwant\n%s", i, err, got, want[i])
			}
		}
		if got := d.Text(20); got != "“The pier” – at…" {
			t.Errorf("Text(20) = %q", got)
		}
		if got, more := d.Lines(3); !slices.Equal(got, []string{"“The pier” – at dawn, the lake", "holds the last light,", "and the boats lean in."}) || !more {
			t.Errorf("Lines(3) = %q, %v", got, more)
		}
		if got := d.PlainText(); !strings.Contains(got, "What the lake remembers\n") || strings.Contains(got, "code()") {
			t.Errorf("PlainText = %q", got)
		}
	}
	// Lines gives what the tree gives, however many are asked for.
	for _, doc := range []*Doc{d, m.Parse([]byte(strings.Repeat(docBody, 3))), m.Parse(nil)} {
		root, _ := m.tree(doc.Source)
		for max := range 16 {
			got, more := doc.Lines(max)
			want, wantMore := linesOf(root, doc.Source, max)
			if !slices.Equal(got, want) || more != wantMore {
				t.Errorf("Lines(%d) of %d bytes = %q, %v; want %q, %v", max, len(doc.Source), got, more, want, wantMore)
			}
		}
	}
	if !d.RawHTML {
		t.Error("RawHTML is false for a body with a <div>")
	}
	if New().Parse([]byte("Just *text*, and `<b>` in code.")).RawHTML {
		t.Error("RawHTML is true for a body without HTML")
	}
}

// TestDocRetainsLittle: a parsed Doc holds its source and a little more,
// not its tree, which is several times the size of the source. A build
// holds every story's Doc from reading content/ to the last feed.
func TestDocRetainsLittle(t *testing.T) {
	m := New()
	src := []byte(strings.Repeat(docBody, 4))
	const n = 200
	docs := make([]*Doc, n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range docs {
		docs[i] = m.Parse(src) // one shared source: what is counted is the rest
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	per := (int64(after.HeapAlloc) - int64(before.HeapAlloc)) / n
	runtime.KeepAlive(docs)
	// The tree of src took some 20 times its size (26 KB for this 1.3 KB
	// body); its refs, problems and lead text take about its size.
	if per > 4*int64(len(src)) {
		t.Errorf("a Doc of a %d-byte body holds %d bytes besides its source", len(src), per)
	}
}

// TestDocConcurrent: pages are rendered on several goroutines, each
// parsing the bodies it renders again (go test -race).
func TestDocConcurrent(t *testing.T) {
	m := New()
	docs := []*Doc{m.Parse([]byte(docBody)), m.Parse([]byte("A poem\nof two lines.")), m.Parse([]byte("# Title\n\n" + docBody))}
	var want []string
	for _, d := range docs {
		h, err := m.Render(d, RenderOptions{HardWraps: true})
		if err != nil {
			t.Fatal(err)
		}
		lines, _ := d.Lines(8)
		want = append(want, string(h)+d.PlainText()+strings.Join(lines, "|")+d.Text(40))
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 20 {
				k := (g + i) % len(docs)
				d := docs[k]
				h, err := m.Render(d, RenderOptions{HardWraps: true})
				lines, _ := d.Lines(8)
				if got := string(h) + d.PlainText() + strings.Join(lines, "|") + d.Text(40); err != nil || got != want[k] {
					t.Errorf("doc %d on goroutine %d: %v\n%s\nwant\n%s", k, g, err, got, want[k])
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestTruncate: Text cuts valid UTF-8 in place and anything else as
// string([]rune) does, to the same string as the copy to runes did.
func TestTruncate(t *testing.T) {
	viaRunes := func(s string, max int) string {
		r := []rune(s)
		if len(r) <= max {
			return s
		}
		cut := string(r[:max])
		if i := strings.LastIndexByte(cut, ' '); i > max/2 {
			cut = cut[:i]
		}
		return strings.TrimRight(cut, ",;:.-– ") + "…"
	}
	for _, s := range []string{
		"",
		"short",
		strings.Repeat("word ", 60),
		strings.Repeat("sää, ", 60),
		"Äöå " + strings.Repeat("日本語のテキスト ", 30),
		strings.Repeat("x", 300),
		"bad \xff bytes " + strings.Repeat("ok ", 80),
		strings.Repeat("–", 200),
		"ends with a dash – " + strings.Repeat("y", 10),
	} {
		for _, max := range []int{0, 1, 5, 20, 30, 140, 160, 1000} {
			if got, want := truncate(s, max), viaRunes(s, max); got != want {
				t.Errorf("truncate(%q, %d) = %q, want %q", s, max, got, want)
			}
		}
	}
}
