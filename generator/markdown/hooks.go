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
// one image becomes a <figure>.
type hooks struct {
	opts   RenderOptions
	images int
	// figures are the paragraphs rendered as a figure, whose closing tag
	// must not be written.
	figures map[ast.Node]bool
}

func (h *hooks) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindImage, h.renderImage)
	reg.Register(ast.KindParagraph, h.renderParagraph)
	reg.Register(ast.KindLink, h.renderLink)
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
	dest := h.rewrite(img.Destination)
	_, _ = w.WriteString(`<img src="`)
	if !html.IsDangerousURL(dest) {
		_, _ = w.Write(util.EscapeHTML(util.URLEscape(dest, true)))
	}
	_, _ = w.WriteString(`" alt="`)
	_, _ = w.Write(util.EscapeHTML([]byte(plainText(img, src))))
	_ = w.WriteByte('"')
	if img.Title != nil {
		_, _ = w.WriteString(` title="`)
		_, _ = w.Write(util.EscapeHTML(img.Title))
		_ = w.WriteByte('"')
	}
	_, _ = w.WriteString(` loading="lazy" decoding="async">`)
	return ast.WalkSkipChildren, nil
}

func (h *hooks) rewrite(dest []byte) []byte {
	if h.opts.Link == nil {
		return dest
	}
	return []byte(h.opts.Link(string(dest)))
}

func (h *hooks) renderLink(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	if entering {
		dest := h.rewrite(n.Destination)
		_, _ = w.WriteString(`<a href="`)
		if !html.IsDangerousURL(dest) {
			_, _ = w.Write(util.EscapeHTML(util.URLEscape(dest, true)))
		}
		_ = w.WriteByte('"')
		if n.Title != nil {
			_, _ = w.WriteString(` title="`)
			_, _ = w.Write(util.EscapeHTML(n.Title))
			_ = w.WriteByte('"')
		}
		if isExternal(dest) {
			_, _ = w.WriteString(` rel="nofollow ugc noopener"`)
		}
		_ = w.WriteByte('>')
	} else {
		_, _ = w.WriteString("</a>")
	}
	return ast.WalkContinue, nil
}

func isExternal(dest []byte) bool {
	s := string(dest)
	return len(s) > 7 && (s[:7] == "http://" || (len(s) > 8 && s[:8] == "https://"))
}
