// Package markdown turns story bodies into HTML with goldmark.
//
// Community content is untrusted: raw HTML is never rendered and dangerous
// URLs (javascript:, vbscript:, file:) are dropped, which goldmark does when it
// is not told to be unsafe. Parsing and rendering are separate steps so the
// build can learn which bundle images a body uses (Doc.Images), process them,
// and only then render the body with responsive <picture> markup through a
// render hook (hooks.go). Poems keep their line breaks (RenderOptions.HardWraps).
package markdown

import (
	"bytes"
	"html/template"
	"strings"

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
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)}
}

// Doc is a parsed Markdown body.
type Doc struct {
	Source []byte
	Root   ast.Node
	// Images are the destinations of the body's images, in order, with the
	// 1-based line of the body each is on.
	Images []Ref
	// Links are the destinations of the body's links, likewise.
	Links []Ref
}

// Ref is a destination written in a body.
type Ref struct {
	Dest string
	Line int
}

// Parse parses src.
func (m *Markdown) Parse(src []byte) *Doc {
	root := m.md.Parser().Parse(text.NewReader(src))
	d := &Doc{Source: src, Root: root}
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch x := n.(type) {
		case *ast.Image:
			d.Images = append(d.Images, Ref{Dest: string(x.Destination), Line: lineOf(src, n)})
		case *ast.Link:
			d.Links = append(d.Links, Ref{Dest: string(x.Destination), Line: lineOf(src, n)})
		}
		return ast.WalkContinue, nil
	})
	return d
}

// lineOf finds the line of an inline node from its nearest block ancestor.
func lineOf(src []byte, n ast.Node) int {
	for p := n; p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock {
			if lines := p.Lines(); lines != nil && lines.Len() > 0 {
				return bytes.Count(src[:lines.At(0).Start], []byte("\n")) + 1
			}
		}
	}
	return 1
}

// RenderOptions are the per-page choices of a render.
type RenderOptions struct {
	// HardWraps turns every line break into <br>, for poems.
	HardWraps bool
	// Image renders an image whose destination is a file of the page's
	// bundle; ok false leaves the image as plain Markdown renders it.
	Image func(img ImageRef) (html template.HTML, ok bool)
	// Link rewrites a link or image destination (for example to make it
	// absolute in a feed); nil keeps destinations as written.
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

// Render renders d to HTML.
func (m *Markdown) Render(d *Doc, o RenderOptions) (template.HTML, error) {
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
	if err := r.Render(&buf, d.Source, d.Root); err != nil {
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
func goldmarkWith(r renderer.Renderer) goldmark.Markdown {
	return goldmark.New(goldmark.WithRenderer(r))
}

// Text returns the plain text of d's first paragraph, at most max runes,
// cut at a word boundary, for summaries and meta descriptions.
func (d *Doc) Text(max int) string {
	var b strings.Builder
	_ = ast.Walk(d.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if n.Kind() == ast.KindParagraph && b.Len() == 0 {
			writeText(&b, d.Source, n)
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	return truncate(strings.Join(strings.Fields(b.String()), " "), max)
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
			b.Write(x.Value)
		case *ast.Image:
			// alt text is not prose
		default:
			writeText(b, src, c)
		}
	}
}

func truncate(s string, max int) string {
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
