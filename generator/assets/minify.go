package assets

import (
	"bytes"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/svg"
)

// minifyCSS shortens a stylesheet. Dart Sass's compressed output is already
// small; this also shortens colours, numbers, inline SVG and plain CSS files.
func minifyCSS(src []byte) ([]byte, error) {
	m := minify.New()
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("image/svg+xml", svg.Minify)
	var out bytes.Buffer
	if err := m.Minify("text/css", &out, bytes.NewReader(src)); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
