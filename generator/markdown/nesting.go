package markdown

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// MaxDepth is how deeply a body's Markdown may nest: quotes, lists, list
// items, footnotes, emphasis, links and images inside one another, counted
// as levels of the parsed tree. No story needs more; a body that goes deeper
// is an error (Doc.Problems) and is cut at this depth.
//
// The limit exists because goldmark's block parser does work proportional to
// the depth of the open containers every time it opens one more: a body of
// 100,000 nested quotes (200 KB) took tens of seconds to parse, and its
// renderer recurses once per level.
const MaxDepth = 50

// depthGuard is a block parser tried before every other on every line. While
// the container a line opens into is shallower than MaxDepth it opens nothing
// and the usual parsers run; at MaxDepth it takes the rest of the line as a
// paragraph, so no quote, list or footnote opens deeper and a line costs time
// proportional to its length. Doc.Problems reports the cut (limitDepth).
type depthGuard struct {
	para parser.BlockParser
}

func newDepthGuard() depthGuard { return depthGuard{para: parser.NewParagraphParser()} }

// Trigger is every byte: a guard with no trigger would be tried last.
func (g depthGuard) Trigger() []byte {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	return all
}

func (g depthGuard) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	if depthOf(parent) < MaxDepth {
		return nil, parser.NoChildren
	}
	return g.para.Open(parent, reader, pc)
}

func (g depthGuard) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	return g.para.Continue(node, reader, pc)
}

func (g depthGuard) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	g.para.Close(node, reader, pc)
}

func (g depthGuard) CanInterruptParagraph() bool { return true }
func (g depthGuard) CanAcceptIndentedLine() bool { return true }

// depthOf counts n's ancestors below the document, n included. It stops
// counting past MaxDepth, so it costs at most that much.
func depthOf(n ast.Node) int {
	d := 0
	for p := n; p != nil && p.Kind() != ast.KindDocument && d <= MaxDepth; p = p.Parent() {
		d++
	}
	return d
}

// limitDepth removes every node deeper than MaxDepth below root and returns
// the byte offset of the first one removed, or -1. It walks the tree without
// recursion, in time proportional to its size.
func limitDepth(root ast.Node) int {
	at := -1
	depth := 0
	n := root
	for {
		if n.FirstChild() != nil {
			if depth < MaxDepth {
				n = n.FirstChild()
				depth++
				continue
			}
			if at < 0 {
				at = offsetOf(n.FirstChild())
			}
			n.RemoveChildren(n)
		}
		for n != root && n.NextSibling() == nil {
			n = n.Parent()
			depth--
		}
		if n == root {
			return at
		}
		n = n.NextSibling()
	}
}

// offsetOf is the byte offset in the source where n starts (or its nearest
// ancestor that knows), or -1.
func offsetOf(n ast.Node) int {
	for p := n; p != nil && p.Kind() != ast.KindDocument; p = p.Parent() {
		if pos := p.Pos(); pos >= 0 {
			return pos
		}
		if p.Type() == ast.TypeBlock {
			if lines := p.Lines(); lines != nil && lines.Len() > 0 {
				return lines.At(0).Start
			}
		}
	}
	return -1
}
