package markdown

import (
	"strings"

	"github.com/yuin/goldmark/ast"
)

// PlainText returns the text of every block of d, one block per line, for
// the search index: prose, headings, list items and quotes; code, raw HTML
// and image descriptions are left out. It parses the body again (Doc).
func (d *Doc) PlainText() string {
	if d == nil {
		return ""
	}
	var b strings.Builder
	_ = ast.Walk(d.root(), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindFencedCodeBlock, ast.KindCodeBlock, ast.KindHTMLBlock:
			return ast.WalkSkipChildren, nil
		case ast.KindParagraph, ast.KindHeading, ast.KindTextBlock:
			writeText(&b, d.Source, n)
			b.WriteByte('\n')
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}
