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

func minifyHTML(m *minify.M, page []byte) ([]byte, error) {
	var out bytes.Buffer
	out.Grow(len(page))
	if err := m.Minify("text/html", &out, bytes.NewReader(page)); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
