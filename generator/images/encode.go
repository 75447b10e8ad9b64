package images

// Encoders for the published formats. Each output is made from pixels only,
// so it carries no metadata: Go's JPEG and PNG encoders write none, and
// libwebp's simple encoder writes a bare VP8/VP8L stream.

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"runtime"

	"github.com/gen2brain/avif"
	"github.com/gen2brain/webp"
)

// pipelineVersion changes whenever the pipeline's pixels change for the same
// input (filter, cascade, placeholder): it invalidates every cache entry.
const pipelineVersion = "3"

// webpMethod is libwebp's speed/size trade-off (0 fast .. 6 small); 4 is
// cwebp's default.
const webpMethod = 4

// AVIF settings: libaom's fastest speed, which on photos measured about as
// small as speed 6 at a tenth of the time, and a quality 18 below the
// configured one (78 gives libavif's default 60), which looks like a JPEG of
// the configured quality at a fraction of its size.
const (
	avifSpeed         = 10
	avifQualityOffset = 18
)

// EncoderVersion names the pipeline and encoders in use; it is part of
// every cache key and output file name, so a new Go release (its JPEG
// encoder) or a switch between the WebAssembly and the system libwebp never
// serves a stale file.
func EncoderVersion() string {
	return "postcard-images/" + pipelineVersion + " go=" + runtime.Version() + " webp=" + webpBackend() + " m" + string(rune('0'+webpMethod)) +
		" avif=" + avifBackend()
}

// webpBackend names the libwebp gen2brain/webp runs: the system's shared
// library when it could load it, else its WebAssembly build.
func webpBackend() string {
	if webp.Dynamic() == nil {
		return "system"
	}
	return "wasm"
}

// avifBackend names the libavif gen2brain/avif runs.
func avifBackend() string {
	if avif.Dynamic() == nil {
		return "system"
	}
	return "wasm"
}

// mimeOf returns the media type of a published format.
func mimeOf(f string) string {
	switch f {
	case "webp":
		return "image/webp"
	case "png":
		return "image/png"
	case "avif":
		return "image/avif"
	}
	return "image/jpeg"
}

// extOf returns the file extension of a published format.
func extOf(f string) string {
	if f == "jpeg" {
		return "jpg"
	}
	return f
}

// encode encodes img in format f ("avif", "webp", "jpeg" or "png").
func encode(img *image.NRGBA, f string, quality int) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(img.Pix) / 8)
	var err error
	switch f {
	case "webp":
		err = webp.Encode(&buf, img, webp.Options{Quality: quality, Method: webpMethod})
	case "avif":
		q := max(1, quality-avifQualityOffset)
		err = avif.Encode(&buf, img, avif.Options{Quality: q, QualityAlpha: q, Speed: avifSpeed,
			ChromaSubsampling: image.YCbCrSubsampleRatio420})
	case "png":
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img)
	default:
		err = jpeg.Encode(&buf, opaqueView(img), &jpeg.Options{Quality: quality})
	}
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// opaqueView returns an opaque NRGBA image as an *image.RGBA sharing its
// pixels (the two layouts are the same when every alpha is 255), which
// takes the JPEG encoder's fast path instead of a per-pixel interface call.
// Images with transparency are flattened on white first.
func opaqueView(img *image.NRGBA) image.Image {
	if !img.Opaque() {
		img = flatten(img, image.White)
	}
	return &image.RGBA{Pix: img.Pix, Stride: img.Stride, Rect: img.Rect}
}
