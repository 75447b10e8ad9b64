// Package markdown turns story bodies into HTML with goldmark.
//
// Community content is untrusted: raw HTML is never rendered, and every URL a
// body writes (links, images, autolinks, in pages and in feeds) is decided on
// by one allowlist, ClassifyURL, in the form a browser will read it: http,
// https, mailto and paths on the site pass, anything else is left out of the
// page and reported by Parse as a problem, so check fails before it is
// published. Nesting is capped at MaxDepth. Parsing and rendering are separate steps so the
// build can learn which bundle images a body uses (Doc.Images), process them,
// and only then render the body with responsive <picture> markup through a
// render hook (hooks.go). Poems keep their line breaks (RenderOptions.HardWraps).
package markdown

import (
	"bytes"
	"errors"
	"fmt"
	stdhtml "html"
	"html/template"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Markdown parses and renders Markdown. It is safe for concurrent use.
type Markdown struct {
	md goldmark.Markdown
}

// New returns Postcard's Markdown set-up: GitHub Flavored Markdown, footnotes,
// typographic quotes and dashes, and an id on every heading.
func New() *Markdown {
	return &Markdown{md: goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.Typographer),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithBlockParsers(util.Prioritized(newDepthGuard(), 0)),
		),
	)}
}

// Doc is a parsed Markdown body. It keeps the source and what parsing
// found in it, not the syntax tree: a site's trees are several times the
// size of its text (some 150 MB for 10,000 stories), and a build holds
// every Doc from reading content/ until the last feed is made, while it
// needs each tree only for the moments its page, its feed item or its
// search text is made. Render, PlainText and Lines parse the source again
// for the moment they need the tree; what parsing found is kept, with the
// first paragraph's text for Text.
type Doc struct {
	Source []byte
	// Images are the body's images, in order.
	Images []Ref
	// Links are the body's links and autolinks, in order.
	Links []Ref
	// Problems are the body's mistakes Markdown itself finds: URLs that are
	// refused and nesting deeper than MaxDepth. The body still renders, with
	// the refused URLs left out and the nesting cut.
	Problems []Problem
	// RawHTML is true when the body writes HTML, which is never rendered.
	RawHTML bool

	// lead is the plain text of the first paragraph, its spaces
	// collapsed: Text cuts it to each length asked for.
	lead string
	// md parses Source again; nil in a Doc Parse did not make, which
	// reads as an empty body.
	md *Markdown
}

// Ref is a destination written in a body, at the 1-based line and column of
// the body where its link or image starts.
type Ref struct {
	Dest      string // as written
	Line, Col int
	// Kind is the decision on the destination (ClassifyURL).
	Kind URLKind
	// Alt is an image's text alternative, spaces trimmed.
	Alt string
}

// Problem is a mistake at a line and column of a body.
type Problem struct {
	Line, Col int
	Msg       string
}

// Parse parses src. The Doc keeps src, which must not change afterwards.
func (m *Markdown) Parse(src []byte) *Doc {
	root, cut := m.tree(src)
	d := &Doc{Source: src, md: m}
	lines := newLineIndex(src)
	if cut >= 0 {
		line, col := lines.at(cut)
		d.Problems = append(d.Problems, Problem{line, col, fmt.Sprintf("Markdown nested more than %d levels deep (quotes, lists, emphasis or links inside one another): flatten it", MaxDepth)})
	}
	d.lead = lead(root, src)
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var ref Ref
		switch x := n.(type) {
		case *ast.Image:
			ref = Ref{Dest: string(x.Destination), Kind: ClassifyURL(string(util.URLEscape(x.Destination, true))), Alt: strings.TrimSpace(plainText(x, src))}
		case *ast.Link:
			ref = Ref{Dest: string(x.Destination), Kind: ClassifyURL(string(util.URLEscape(x.Destination, true)))}
		case *ast.AutoLink:
			u := autoLinkURL(x, src)
			ref = Ref{Dest: u, Kind: ClassifyURL(string(util.URLEscape([]byte(u), false)))}
		case *ast.HTMLBlock, *ast.RawHTML:
			d.RawHTML = true
			return ast.WalkContinue, nil
		default:
			return ast.WalkContinue, nil
		}
		ref.Line, ref.Col = lines.at(offsetOf(n))
		if n.Kind() == ast.KindImage {
			d.Images = append(d.Images, ref)
		} else {
			d.Links = append(d.Links, ref)
		}
		if ref.Kind == URLRefused {
			what := "link"
			if n.Kind() == ast.KindImage {
				what = "image"
			}
			d.Problems = append(d.Problems, Problem{ref.Line, ref.Col, fmt.Sprintf("%s %q is not allowed: write an http, https or mailto address, or a path on the site (other schemes, such as javascript:, can run script)", what, ref.Dest)})
		}
		return ast.WalkContinue, nil
	})
	return d
}

// tree parses src into its syntax tree, cut at MaxDepth, and returns the
// byte offset of the first node cut, or -1. Parse and every later use of
// a Doc's tree go through it, so they all see the same tree.
func (m *Markdown) tree(src []byte) (root ast.Node, cut int) {
	root = m.md.Parser().Parse(text.NewReader(src))
	return root, limitDepth(root)
}

// root parses d's source again, for a moment's use: nothing keeps the
// tree but the caller. Goldmark's parser is safe for concurrent use, so
// pages rendered on several goroutines may each parse their own.
func (d *Doc) root() ast.Node {
	if d.md == nil {
		return ast.NewDocument()
	}
	root, _ := d.md.tree(d.Source)
	return root
}

// autoLinkURL is the URL an autolink points to: <https://x>, a bare
// www.x or https://x (GFM), or an e-mail address, which gets mailto:.
func autoLinkURL(n *ast.AutoLink, src []byte) string {
	u := string(n.URL(src))
	if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(u), "mailto:") {
		u = "mailto:" + u
	}
	return u
}

// lineIndex turns byte offsets of a source into lines and columns.
type lineIndex struct {
	src    []byte
	starts []int // the offset of each line's first byte
}

func newLineIndex(src []byte) lineIndex {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return lineIndex{src: src, starts: starts}
}

// at is the 1-based line and column (in characters) of offset; an unknown
// offset (-1) is the first line.
func (x lineIndex) at(offset int) (line, col int) {
	if offset < 0 || offset > len(x.src) {
		return 1, 1
	}
	i := sort.Search(len(x.starts), func(i int) bool { return x.starts[i] > offset }) - 1
	return i + 1, utf8.RuneCount(x.src[x.starts[i]:offset]) + 1
}

// RenderOptions are the per-page choices of a render.
type RenderOptions struct {
	// HardWraps turns every line break into <br>, for poems.
	HardWraps bool
	// Image renders an image whose destination is a file of the page's
	// bundle; ok false leaves the image as plain Markdown renders it.
	Image func(img ImageRef) (html template.HTML, ok bool)
	// Link rewrites a link or image destination (for example to make it
	// absolute in a feed); nil keeps destinations as written. It is given
	// the destination as it would be written, escapes resolved, and only one
	// ClassifyURL allows; what it returns is decided on again.
	Link func(dest string) string
}

// ImageRef is an image as the body wrote it.
type ImageRef struct {
	Dest, Alt, Title string
	// Figure is true when the image stands alone in its paragraph and is
	// rendered as a <figure> with the title as caption.
	Figure bool
	// Index counts the page's images from 0, so the first can load eagerly.
	Index int
}

// Render renders d to HTML, from its source parsed again.
func (m *Markdown) Render(d *Doc, o RenderOptions) (template.HTML, error) {
	return m.render(d.Source, d.root(), o)
}

func (m *Markdown) render(src []byte, root ast.Node, o RenderOptions) (template.HTML, error) {
	r := renderer.NewRenderer(renderer.WithNodeRenderers(
		util.Prioritized(html.NewRenderer(hardWraps(o.HardWraps)...), 1000),
		util.Prioritized(&hooks{opts: o}, 100),
	))
	// GFM (tables, strikethrough, task lists) and footnotes register node
	// renderers of their own; add them to this renderer.
	g := goldmarkWith(r)
	extension.GFM.Extend(g)
	extension.Footnote.Extend(g)
	var buf bytes.Buffer
	if err := r.Render(&buf, src, root); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil // the renderer escapes; raw HTML is omitted
}

func hardWraps(on bool) []html.Option {
	if on {
		return []html.Option{html.WithHardWraps()}
	}
	return nil
}

// goldmarkWith wraps a renderer so extensions can register renderers on it.
// It is not goldmark.New, which also builds the default parser (some 20 KB,
// for each of a site's 20,000 page and feed bodies) that rendering never
// uses: the parsers the extensions add are dropped.
func goldmarkWith(r renderer.Renderer) goldmark.Markdown {
	return &renderOnly{r: r}
}

// renderOnly is a goldmark.Markdown for extensions to extend: it renders
// documents parsed elsewhere, and parses and converts nothing.
type renderOnly struct{ r renderer.Renderer }

func (g *renderOnly) Convert([]byte, io.Writer, ...parser.ParseOption) error {
	return errors.New("markdown: a renderer only renders parsed documents")
}
func (g *renderOnly) Parser() parser.Parser           { return noParser{} }
func (g *renderOnly) SetParser(parser.Parser)         {}
func (g *renderOnly) Renderer() renderer.Renderer     { return g.r }
func (g *renderOnly) SetRenderer(r renderer.Renderer) { g.r = r }

// noParser takes the parsers extensions add to a renderOnly and parses
// nothing.
type noParser struct{}

func (noParser) Parse(text.Reader, ...parser.ParseOption) ast.Node { return nil }
func (noParser) AddOptions(...parser.Option)                       {}

// Text returns the plain text of d's first paragraph, at most max runes,
// cut at a word boundary, for summaries and meta descriptions.
func (d *Doc) Text(max int) string {
	return truncate(d.lead, max)
}

// lead is the plain text of root's first paragraph, its spaces
// collapsed.
func lead(root ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if n.Kind() == ast.KindParagraph && b.Len() == 0 {
			writeText(&b, src, n)
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

func writeText(b *strings.Builder, src []byte, n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch x := c.(type) {
		case *ast.Text:
			b.Write(x.Value(src))
			if x.SoftLineBreak() || x.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			// The typographer's quotes and dashes are HTML entities
			// (&lsquo;); plain text wants the characters.
			b.WriteString(stdhtml.UnescapeString(string(x.Value)))
		case *ast.Image:
			// alt text is not prose
		default:
			writeText(b, src, c)
		}
	}
}

// truncate cuts s to max runes. Doc keeps one lead text and cuts it on
// every call, so valid UTF-8 is cut in place, without copying it to
// runes; anything else as string([]rune) does, its bad bytes made U+FFFD.
func truncate(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	var cut string
	if utf8.ValidString(s) {
		end := 0
		for range max {
			_, n := utf8.DecodeRuneInString(s[end:])
			end += n
		}
		cut = s[:end]
	} else {
		cut = string([]rune(s)[:max])
	}
	if i := strings.LastIndexByte(cut, ' '); i > max/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, ",;:.-– ") + "…"
}
