package images

import (
	"bytes"
	"os"
	"testing"
)

// FuzzDecode feeds random files to everything that reads a source before
// its pixels are decoded: the format sniffer, the HEIF box reader, the EXIF
// orientation reader, the colour profile readers and the decoders'
// configuration readers. None may
// panic (decodeHeader recovers from decoder panics, but the EXIF and HEIF
// readers are ours and are called here directly, outside that net), and
// an accepted header must be within the pixel budget.
func FuzzDecode(f *testing.F) {
	for _, name := range []string{"exif-rotated-gps.jpg", "phone-photo.heic", "bomb-40000px.png"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data[:min(len(data), 4096)])
	}
	f.Add(withJPEGExif(encodeJPEG(f, testPattern(8, 8)), exifOrientation(6)))
	f.Add(withPNGExif(encodePNG(f, testPattern(8, 8)), exifOrientation(3)))
	f.Add([]byte("RIFF\x1a\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x08\x00\x00\x00\x07\x00\x00\x07\x00\x00EXIF\x00\x00\x00\x00"))
	f.Add([]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"))
	f.Add(withJPEGICC(encodeJPEG(f, testPattern(8, 8)), matrixProfile(displayP3D50)))
	const maxPixels = 4_000_000
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, ft := range []format{formatJPEG, formatPNG, formatWebP, formatGIF, formatHEIC} {
			if o := orientation(data, ft); o < 1 || o > 8 {
				t.Fatalf("orientation %d", o)
			}
			sourceColor(data, ft)
		}
		iccTransform(data)
		heifSize(data)
		tiffOrientation(data)
		if hasBrand(data, "heic") {
			sniff(data)
		}
		h, err := decodeHeader(bytes.Clone(data), maxPixels)
		if err != nil {
			return
		}
		if int64(h.width)*int64(h.height) > maxPixels || h.width <= 0 || h.height <= 0 {
			t.Fatalf("accepted %dx%d", h.width, h.height)
		}
		if h.format != formatHEIC && len(data) < 1<<16 {
			// Small inputs: the full decode must not panic either.
			decodePixels(data, h.format)
		}
	})
}
