package render

import "github.com/postcard-ssg/postcard/generator/images"

// Card is a page's composed social card and the sentence that describes
// it (og:image:alt, twitter:image:alt).
type Card struct {
	Image *images.Variant
	Alt   string
}

// socialCard puts the page's composed card, when it has one, in place of
// the cover crop the page would otherwise share.
func (r *renderer) socialCard(p *Page) {
	if c, ok := r.Cards[p.URL]; ok && c.Image != nil {
		p.Image, p.ImageAlt = c.Image, c.Alt
	}
}
