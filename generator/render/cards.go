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

// sharedImage is the image a page's structured data names: the picture the
// page shows, or its composed card when it shows none (a poem, a contest
// without a cover), so that the data's image is the one the page shares.
func (r *renderer) sharedImage(p *Page) *images.Variant {
	if p.Image != nil {
		return p.Image
	}
	if c, ok := r.Cards[p.URL]; ok {
		return c.Image
	}
	return nil
}
