package images

// Uploads: the submission endpoint asks what a file is before it keeps it,
// and `postcard submissions pull` turns a kept file into one that carries
// nothing but pixels. Both use the pipeline's own reading rules (format by
// magic bytes, pixel budget before decoding, decoders under recover).

import (
	"fmt"
	"image"
	"image/draw"
)

// Info is what is known of an image before its pixels are decoded.
type Info struct {
	Format        string // "jpeg", "png", "gif", "webp" or "heic"
	Width, Height int    // as stored, before orientation
}

// Probe tells data's format from its first bytes and its size from its
// header, and refuses an image over maxPixels, without decoding a pixel.
func Probe(data []byte, maxPixels int64) (Info, error) {
	h, err := decodeHeader(data, maxPixels)
	if err != nil {
		return Info{}, err
	}
	return Info{Format: string(h.format), Width: h.width, Height: h.height}, nil
}

// Clean decodes data (which Probe accepts under maxPixels), turns it
// upright, and encodes it again as a JPEG (a PNG when it has
// transparency), so that no EXIF, XMP, IPTC or ICC data of the original
// survives. It returns the new file and its extension ("jpg" or "png").
func Clean(data []byte, maxPixels int64) ([]byte, string, error) {
	h, err := decodeHeader(data, maxPixels)
	if err != nil {
		return nil, "", err
	}
	img, err := decodePixels(data, h.format)
	if err != nil {
		return nil, "", err
	}
	img = orient(img, h.orientation)
	if t := sourceColor(data, h.format); t != nil && !t.isIdentity() {
		img = t.apply(img)
	}
	n, ok := img.(*image.NRGBA)
	if !ok {
		n = image.NewNRGBA(img.Bounds())
		draw.Draw(n, n.Bounds(), img, img.Bounds().Min, draw.Src)
	}
	f, ext := "jpeg", "jpg"
	if !n.Opaque() {
		f, ext = "png", "png"
	}
	out, err := encode(n, f, 90)
	if err != nil {
		return nil, "", fmt.Errorf("encoding %s: %w", ext, err)
	}
	return out, ext, nil
}
