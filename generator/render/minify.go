package render

import (
	"bytes"
	"regexp"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/json"
)

// newMinifier shortens rendered pages: whitespace between tags, optional
// quotes, inline styles and JSON-LD. It keeps the document and end tags, so
// a page stays easy to read for tools that are not full HTML parsers, and
// never touches <pre> or <textarea> content.
func newMinifier() *minify.M {
	m := minify.New()
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true})
	m.AddFunc("text/css", css.Minify)
	m.AddRegexp(regexp.MustCompile(`^application/(ld\+)?json$`), &json.Minifier{})
	return m
}

// minifyHTML minifies the page in page. The minifier reads a reader with
// a Bytes method in place, where it would copy any other whole (the
// page, once more, for each of some 15,000 pages), and appends its end
// mark after the last byte when there is room, hence the Grow.
func minifyHTML(m *minify.M, page *bytes.Buffer) ([]byte, error) {
	page.Grow(1)
	var out bytes.Buffer
	out.Grow(page.Len())
	if err := m.MinifyMimetype([]byte("text/html"), &out, page, nil); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
