package markdown

import (
	"html/template"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// hooks renders images through RenderOptions.Image and rewrites link
// destinations through RenderOptions.Link. A paragraph holding nothing but
// one image becomes a <figure>. Every URL they write is decided on by
// ClassifyURL (dest); a refused one is not written: a link or autolink
// keeps only its text, an image only its alt text.
type hooks struct {
	opts   RenderOptions
	images int
	// figures are the paragraphs rendered as a figure, whose closing tag
	// must not be written.
	figures map[ast.Node]bool
	// bare are the links whose URL was refused: only their text is written.
	bare map[ast.Node]bool
}

func (h *hooks) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindImage, h.renderImage)
	reg.Register(ast.KindParagraph, h.renderParagraph)
	reg.Register(ast.KindLink, h.renderLink)
	reg.Register(ast.KindAutoLink, h.renderAutoLink)
}

func (h *hooks) figureImage(n ast.Node) *ast.Image {
	if h.opts.Image == nil || n.ChildCount() != 1 {
		return nil
	}
	img, ok := n.FirstChild().(*ast.Image)
	if !ok {
		return nil
	}
	return img
}

func (h *hooks) renderParagraph(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering && h.figures[n] {
		return ast.WalkContinue, nil // the figure replaced the whole paragraph
	}
	if img := h.figureImage(n); entering && img != nil {
		if out, ok := h.resolve(img, src, true); ok {
			_, _ = w.WriteString(string(out))
			_ = w.WriteByte('\n')
			if h.figures == nil {
				h.figures = map[ast.Node]bool{}
			}
			h.figures[n] = true
			return ast.WalkSkipChildren, nil
		}
	}
	// Plain paragraph, as goldmark writes it.
	if entering {
		if n.Attributes() != nil {
			_, _ = w.WriteString("<p")
			html.RenderAttributes(w, n, html.ParagraphAttributeFilter)
			_ = w.WriteByte('>')
		} else {
			_, _ = w.WriteString("<p>")
		}
	} else {
		_, _ = w.WriteString("</p>\n")
	}
	return ast.WalkContinue, nil
}

// resolve asks the page for the image's markup; it counts every image it is
// asked about so the first of a page can load eagerly.
func (h *hooks) resolve(img *ast.Image, src []byte, figure bool) (template.HTML, bool) {
	if h.opts.Image == nil {
		return "", false
	}
	ref := ImageRef{
		Dest:   string(img.Destination),
		Alt:    plainText(img, src),
		Title:  string(img.Title),
		Figure: figure,
		Index:  h.images,
	}
	out, ok := h.opts.Image(ref)
	if ok {
		h.images++
	}
	return out, ok
}

func plainText(n ast.Node, src []byte) string {
	var b []byte
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch x := c.(type) {
		case *ast.Text:
			b = append(b, x.Value(src)...)
		case *ast.String:
			b = append(b, x.Value...)
		default:
			b = append(b, plainText(c, src)...)
		}
	}
	return string(b)
}

func (h *hooks) renderImage(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	img := n.(*ast.Image)
	if out, ok := h.resolve(img, src, false); ok {
		_, _ = w.WriteString(string(out))
		return ast.WalkSkipChildren, nil
	}
	alt := util.EscapeHTML([]byte(plainText(img, src)))
	u, kind := h.dest(img.Destination, true)
	if kind == URLRefused {
		_, _ = w.Write(alt)
		return ast.WalkSkipChildren, nil
	}
	_, _ = w.WriteString(`<img src="`)
	_, _ = w.Write(util.EscapeHTML([]byte(u)))
	_, _ = w.WriteString(`" alt="`)
	_, _ = w.Write(alt)
	_ = w.WriteByte('"')
	if img.Title != nil {
		_, _ = w.WriteString(` title="`)
		_, _ = w.Write(util.EscapeHTML(img.Title))
		_ = w.WriteByte('"')
	}
	_, _ = w.WriteString(` loading="lazy" decoding="async">`)
	return ast.WalkSkipChildren, nil
}

// dest decides on a destination and returns the URL to write, already
// URL-escaped (not yet HTML-escaped), with the kind it was written as.
// resolve says whether Markdown's backslash escapes and entity references
// apply to it (links and images) or not (autolinks). The decision is made on
// the URL as the browser will read it, before and after RenderOptions.Link
// rewrites it; URLRefused means nothing may be written.
func (h *hooks) dest(raw []byte, resolve bool) (string, URLKind) {
	u := string(util.URLEscape(raw, resolve))
	kind := ClassifyURL(u)
	if kind == URLRefused {
		return "", URLRefused
	}
	if h.opts.Link != nil {
		u = string(util.URLEscape([]byte(h.opts.Link(u)), false))
		if ClassifyURL(u) == URLRefused {
			return "", URLRefused
		}
	}
	return u, kind
}

func (h *hooks) renderLink(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	if !entering {
		if !h.bare[n] {
			_, _ = w.WriteString("</a>")
		}
		return ast.WalkContinue, nil
	}
	u, kind := h.dest(n.Destination, true)
	if kind == URLRefused {
		if h.bare == nil {
			h.bare = map[ast.Node]bool{}
		}
		h.bare[n] = true
		return ast.WalkContinue, nil // the text alone
	}
	_, _ = w.WriteString(`<a href="`)
	_, _ = w.Write(util.EscapeHTML([]byte(u)))
	_ = w.WriteByte('"')
	if n.Title != nil {
		_, _ = w.WriteString(` title="`)
		_, _ = w.Write(util.EscapeHTML(n.Title))
		_ = w.WriteByte('"')
	}
	writeRel(w, kind)
	_ = w.WriteByte('>')
	return ast.WalkContinue, nil
}

// renderAutoLink writes <https://x>, a bare GFM www.x or https://x, and
// e-mail addresses, as goldmark does, but decided on like any link.
func (h *hooks) renderAutoLink(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.AutoLink)
	label := util.EscapeHTML(n.Label(src))
	u, kind := h.dest([]byte(autoLinkURL(n, src)), false)
	if kind == URLRefused {
		_, _ = w.Write(label)
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<a href="`)
	_, _ = w.Write(util.EscapeHTML([]byte(u)))
	_ = w.WriteByte('"')
	writeRel(w, kind)
	_ = w.WriteByte('>')
	_, _ = w.Write(label)
	_, _ = w.WriteString("</a>")
	return ast.WalkContinue, nil
}

// writeRel marks a link that leaves the site: search engines do not credit
// it to the site (nofollow ugc: contributors wrote it) and the page it opens
// gets no handle on this one (noopener).
func writeRel(w util.BufWriter, kind URLKind) {
	if kind == URLExternal {
		_, _ = w.WriteString(` rel="nofollow ugc noopener"`)
	}
}
