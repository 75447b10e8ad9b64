package images

// Pixel operations: orientation, the resize cascade, the social card crop
// and the placeholder. They work on decoded images and never see bytes of
// the original file, which is why nothing of its metadata can follow.

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"github.com/disintegration/imaging"
)

// resampleFilter is used for every downscale: Catmull-Rom is a sharp cubic
// close to Lanczos in quality at two thirds of its cost, and the cascade
// (each width from the previous one) keeps each step's ratio small.
var resampleFilter = imaging.CatmullRom

// orient turns img upright according to an EXIF orientation (1 to 8).
func orient(img image.Image, o int) image.Image {
	switch o {
	case 2:
		return imaging.FlipH(img)
	case 3:
		return imaging.Rotate180(img)
	case 4:
		return imaging.FlipV(img)
	case 5:
		return imaging.Transpose(img)
	case 6:
		return imaging.Rotate270(img)
	case 7:
		return imaging.Transverse(img)
	case 8:
		return imaging.Rotate90(img)
	}
	return img
}

// scaledHeight returns the height of a w-wide version of a srcW x srcH image.
func scaledHeight(srcW, srcH, w int) int {
	return max(1, int(math.Round(float64(srcH)*float64(w)/float64(srcW))))
}

// targetWidths returns the widths to make for an image srcW wide, from the
// configured ones: never wider than the source, and the source's own width
// when a configured width is wider. Ascending.
func targetWidths(widths []int, srcW int) []int {
	var out []int
	for _, w := range widths {
		if w < srcW {
			out = append(out, w)
		}
	}
	if len(out) < len(widths) {
		out = append(out, srcW)
	}
	return out
}

// resize returns img scaled to w x h, an *image.NRGBA.
func resize(img image.Image, w, h int) *image.NRGBA {
	if n, ok := img.(*image.NRGBA); ok && n.Rect.Dx() == w && n.Rect.Dy() == h && n.Rect.Min == (image.Point{}) {
		return n
	}
	if img.Bounds().Dx() == w && img.Bounds().Dy() == h {
		return imaging.Clone(img)
	}
	return imaging.Resize(img, w, h, resampleFilter)
}

// Social card size, the one Open Graph and most sites use.
const (
	cardWidth  = 1200
	cardHeight = 630
)

// cardRect returns the largest 1200:630 rectangle of a w x h image with the
// focus as near its centre as the image allows, and the card's size: 1200 x
// 630, or smaller when the image is (a card is never upscaled).
func cardRect(w, h int, f Focus) (r image.Rectangle, outW, outH int) {
	cw, ch := w, int(math.Round(float64(w)*cardHeight/cardWidth))
	if ch > h {
		ch = h
		cw = min(w, int(math.Round(float64(h)*cardWidth/cardHeight)))
	}
	fx, fy := f.point()
	x0 := clampInt(int(math.Round(fx*float64(w)-float64(cw)/2)), 0, w-cw)
	y0 := clampInt(int(math.Round(fy*float64(h)-float64(ch)/2)), 0, h-ch)
	outW, outH = cardWidth, cardHeight
	if cw < cardWidth {
		outW, outH = cw, max(1, int(math.Round(float64(cw)*cardHeight/cardWidth)))
	}
	return image.Rect(x0, y0, x0+cw, y0+ch), outW, outH
}

func clampInt(v, lo, hi int) int { return max(lo, min(v, hi)) }

// card crops and scales img to its social card.
func card(img image.Image, f Focus) *image.NRGBA {
	b := img.Bounds()
	r, w, h := cardRect(b.Dx(), b.Dy(), f)
	r = r.Add(b.Min)
	type subImager interface {
		SubImage(image.Rectangle) image.Image
	}
	var sub image.Image
	if s, ok := img.(subImager); ok {
		sub = s.SubImage(r)
	} else {
		sub = imaging.Crop(img, r)
	}
	out := resize(sub, w, h)
	if !isOpaque(out) { // JPEG has no alpha: flatten on white
		out = flatten(out, color.White)
	}
	return out
}

// isOpaque reports whether img has no transparent pixel.
func isOpaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// flatten draws img over a background colour, dropping its alpha.
func flatten(img *image.NRGBA, bg color.Color) *image.NRGBA {
	return imaging.OverlayCenter(imaging.New(img.Rect.Dx(), img.Rect.Dy(), bg), img, 1)
}

// placeholderWidth is the width of the inline preview: small enough for a
// data URI of a few hundred bytes, the browser's smooth upscale blurs it.
const placeholderWidth = 16

// tiny returns the preview-sized version of img (img is already small: the
// cascade's last, narrowest width).
func tiny(img image.Image) *image.NRGBA {
	b := img.Bounds()
	w := min(placeholderWidth, b.Dx())
	return imaging.Resize(img, w, scaledHeight(b.Dx(), b.Dy(), w), imaging.Linear)
}

// averageColor returns the mean colour of img as "#rrggbb", averaging in
// linear light weighted by alpha, so a sunset is orange rather than mud.
func averageColor(img *image.NRGBA) string {
	var r, g, b, a float64
	for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
		for x := img.Rect.Min.X; x < img.Rect.Max.X; x++ {
			c := img.NRGBAAt(x, y)
			al := float64(c.A) / 255
			r += srgbToLinear(c.R) * al
			g += srgbToLinear(c.G) * al
			b += srgbToLinear(c.B) * al
			a += al
		}
	}
	if a == 0 {
		return "#ffffff"
	}
	return fmt.Sprintf("#%02x%02x%02x", linearToSRGB(r/a), linearToSRGB(g/a), linearToSRGB(b/a))
}

func srgbToLinear(v uint8) float64 {
	c := float64(v) / 255
	if c <= 0.04045 {
		return c / 12.92
	}
	return math.Pow((c+0.055)/1.055, 2.4)
}

func linearToSRGB(c float64) uint8 {
	if c <= 0.0031308 {
		c *= 12.92
	} else {
		c = 1.055*math.Pow(c, 1/2.4) - 0.055
	}
	return uint8(clampInt(int(math.Round(c*255)), 0, 255))
}
