package images

import (
	"html"
	"html/template"
	"strconv"
	"strings"
)

// PictureOptions tune the markup of [Image.Picture].
type PictureOptions struct {
	// Sizes is the sizes attribute, the width the image takes in the
	// layout. Default "100vw".
	Sizes string
	// Eager marks the page's first, most important image: it loads at once
	// with fetchpriority="high" instead of lazily.
	Eager bool
	// Class is set on the <img>.
	Class string
}

// fallbackSrcWidth is the width whose fallback file goes in <img src> for
// the rare browser that ignores srcset: the smallest variant at least this
// wide, else the largest.
const fallbackSrcWidth = 800

// Picture renders the image as a <picture>: a <source> per modern format
// and an <img> with the fallback, its srcset, sizes, width and height (of
// the largest variant, which give the browser the aspect ratio before the
// file loads), alt, and lazy loading unless o.Eager.
//
// The placeholder is the <img>'s CSS background (background-image of the
// inline data: URI, background-size:cover), painted until the photo covers
// it; no script is involved. Under a Content-Security-Policy it needs
// style-src to allow inline style attributes ('unsafe-inline' or
// 'unsafe-hashes' with the hash) and img-src to allow data:. Transparent
// images get no placeholder, which would show through them.
//
// Every attribute value is HTML-escaped; URLs are percent-escaped when the
// Image is made.
func (img *Image) Picture(alt string, o PictureOptions) template.HTML {
	if img == nil || len(img.Sources) == 0 {
		return ""
	}
	sizes := o.Sizes
	if sizes == "" {
		sizes = "100vw"
	}
	var b strings.Builder
	b.WriteString("<picture>")
	for _, s := range img.Sources[:len(img.Sources)-1] {
		b.WriteString(`<source type="`)
		b.WriteString(html.EscapeString(s.MIME))
		b.WriteString(`" srcset="`)
		b.WriteString(html.EscapeString(srcset(s.Variants)))
		b.WriteString(`" sizes="`)
		b.WriteString(html.EscapeString(sizes))
		b.WriteString(`">`)
	}
	fb := img.Fallback()
	largest := fb.Variants[len(fb.Variants)-1]
	src := largest
	for _, v := range fb.Variants {
		if v.Width >= fallbackSrcWidth {
			src = v
			break
		}
	}
	attr := func(name, value string) {
		b.WriteString(" " + name + `="` + html.EscapeString(value) + `"`)
	}
	b.WriteString("<img")
	attr("src", src.URL)
	attr("srcset", srcset(fb.Variants))
	attr("sizes", sizes)
	attr("width", strconv.Itoa(largest.Width))
	attr("height", strconv.Itoa(largest.Height))
	attr("alt", alt)
	if o.Class != "" {
		attr("class", o.Class)
	}
	if o.Eager {
		attr("fetchpriority", "high")
	} else {
		attr("loading", "lazy")
	}
	attr("decoding", "async")
	if st := img.placeholderStyle(); st != "" {
		attr("style", st)
	}
	b.WriteString("></picture>")
	return template.HTML(b.String())
}

// placeholderStyle is the inline CSS that shows the placeholder, or the
// average colour when there is no placeholder.
func (img *Image) placeholderStyle() string {
	if img.Transparent {
		return ""
	}
	if strings.HasPrefix(img.Placeholder, "data:image/") && isDataURI(img.Placeholder) {
		return "background-image:url(" + img.Placeholder + ");background-size:cover"
	}
	if isHexColor(img.Color) {
		return "background-color:" + img.Color
	}
	return ""
}

// isDataURI reports whether s holds only the characters of a base64 data:
// URI, so it cannot end the CSS url() it is put in.
func isDataURI(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("+/=:;,.-", c)) {
			return false
		}
	}
	return true
}

func isHexColor(s string) bool {
	if len(s) != 7 || s[0] != '#' {
		return false
	}
	for _, c := range s[1:] {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// srcset lists variants as "url 480w, url 800w".
func srcset(vs []Variant) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = v.URL + " " + strconv.Itoa(v.Width) + "w"
	}
	return strings.Join(parts, ", ")
}
