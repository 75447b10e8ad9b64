package images

import (
	"image"
)

// webpToNRGBA converts a decoded lossy WebP to NRGBA. gen2brain/webp hands
// back libwebp's Y'CbCr planes as Go's YCbCr types, which Go reads as
// full-range (JFIF) values; VP8 stores studio range (Y' 16..235, BT.601),
// so read as is, blacks turn grey and colours fade. This converts with the
// VP8 matrix instead. Lossless WebP (already NRGBA) passes through.
func webpToNRGBA(img image.Image) image.Image {
	var yc *image.YCbCr
	var alpha []uint8
	var aStride int
	switch m := img.(type) {
	case *image.NYCbCrA:
		yc, alpha, aStride = &m.YCbCr, m.A, m.AStride
	case *image.YCbCr:
		yc = m
	default:
		return img
	}
	b := yc.Rect
	out := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := out.Pix[(y-b.Min.Y)*out.Stride:]
		for x := b.Min.X; x < b.Max.X; x++ {
			yi := yc.YOffset(x, y)
			ci := yc.COffset(x, y)
			yy := (int32(yc.Y[yi]) - 16) * 19077 // 1.164 << 14
			cb := int32(yc.Cb[ci]) - 128
			cr := int32(yc.Cr[ci]) - 128
			r := (yy + 26149*cr) >> 14
			g := (yy - 6419*cb - 13320*cr) >> 14
			bl := (yy + 33050*cb) >> 14
			o := (x - b.Min.X) * 4
			row[o] = clamp8(r)
			row[o+1] = clamp8(g)
			row[o+2] = clamp8(bl)
			if alpha != nil {
				row[o+3] = alpha[(y-b.Min.Y)*aStride+(x-b.Min.X)]
			} else {
				row[o+3] = 255
			}
		}
	}
	return out
}

func clamp8(v int32) uint8 {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v)
}
