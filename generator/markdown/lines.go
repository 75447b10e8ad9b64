package markdown

import (
	stdhtml "html"
	"runtime/debug"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// Lines returns the plain text of d's paragraphs line by line, as a poem
// keeps them: a line break in the source ends a line, and so does a
// paragraph (stanza breaks are not kept). It returns at most max lines,
// and whether the text goes on past them. Social cards show a poem's
// first lines with it. It parses the body again (Doc): the lines are not
// kept, as a story whose text is a paragraph per source line would keep
// most of its text in them.
func (d *Doc) Lines(max int) (lines []string, more bool) {
	return linesOf(d.root(), d.Source, max)
}

func linesOf(root ast.Node, src []byte, max int) (lines []string, more bool) {
	var cur strings.Builder
	flush := func() {
		if s := strings.Join(strings.Fields(cur.String()), " "); s != "" {
			lines = append(lines, s)
		}
		cur.Reset()
	}
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch x := c.(type) {
			case *ast.Text:
				cur.Write(x.Value(src))
				if x.SoftLineBreak() || x.HardLineBreak() {
					flush()
				}
			case *ast.String:
				cur.WriteString(stdhtml.UnescapeString(string(x.Value)))
			case *ast.Image:
			default:
				walk(c)
			}
		}
	}
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if len(lines) > max {
			return ast.WalkStop, nil
		}
		if !entering {
			return ast.WalkContinue, nil
		}
		if n.Kind() == ast.KindParagraph {
			walk(n)
			flush()
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	if len(lines) > max {
		return lines[:max], true
	}
	return lines, false
}

// linesRule changes whenever linesOf returns other lines for the same
// body.
const linesRule = "1"

// LinesVersion names what Lines returns for a given body: Postcard's rule
// and the Markdown library's version, which parses the body. Whatever
// keeps lines by the body they were read from (a cached social card) keys
// them by it too.
func LinesVersion() string {
	v := "lines/" + linesRule
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == "github.com/yuin/goldmark" {
				v += " goldmark/" + d.Version
			}
		}
	}
	return v
}
