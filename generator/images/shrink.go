package images

// Halving: the first, cheap step of a large downscale. A 2x2 box average
// straight from the decoder's Y'CbCr planes converts a quarter of the
// pixels to RGB and leaves the cubic filter a ratio under 2, the shrink-then-
// reduce scheme libvips uses. On the benchmark's phone-sized photos it more
// than halves the time spent resizing.

import (
	"image"
	"image/color"
	"runtime"
	"sync"

	"github.com/disintegration/imaging"
)

// shrinkFor halves img while it stays at least twice as wide as width.
func shrinkFor(img image.Image, width int) image.Image {
	for img.Bounds().Dx() >= 2*width && img.Bounds().Dy() >= 4 {
		img = halve(img)
	}
	return img
}

// halve returns img at half its size (odd last rows and columns dropped),
// each pixel the average of a 2x2 block.
func halve(img image.Image) *image.NRGBA {
	b := img.Bounds()
	w, h := b.Dx()/2, b.Dy()/2
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	switch m := img.(type) {
	case *image.YCbCr:
		bands(h, func(y0, y1 int) { halveYCbCr(m, out, y0, y1) })
	case *image.NRGBA:
		bands(h, func(y0, y1 int) { halveNRGBA(m, out, y0, y1) })
	default:
		return imaging.Resize(img, w, h, imaging.Box)
	}
	return out
}

// bands runs fn over [0, h) split in one band per processor.
func bands(h int, fn func(y0, y1 int)) {
	n := min(runtime.GOMAXPROCS(0), max(1, h/64))
	var wg sync.WaitGroup
	for i := range n {
		y0, y1 := h*i/n, h*(i+1)/n
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(y0, y1)
		}()
	}
	wg.Wait()
}

func halveYCbCr(m *image.YCbCr, out *image.NRGBA, y0, y1 int) {
	b := m.Rect
	for y := y0; y < y1; y++ {
		sy := b.Min.Y + 2*y
		row := out.Pix[y*out.Stride:]
		for x := 0; x < out.Rect.Dx(); x++ {
			sx := b.Min.X + 2*x
			i0, i1 := m.YOffset(sx, sy), m.YOffset(sx, sy+1)
			yy := (int(m.Y[i0]) + int(m.Y[i0+1]) + int(m.Y[i1]) + int(m.Y[i1+1]) + 2) / 4
			c00, c10, c01, c11 := m.COffset(sx, sy), m.COffset(sx+1, sy), m.COffset(sx, sy+1), m.COffset(sx+1, sy+1)
			cb := (int(m.Cb[c00]) + int(m.Cb[c10]) + int(m.Cb[c01]) + int(m.Cb[c11]) + 2) / 4
			cr := (int(m.Cr[c00]) + int(m.Cr[c10]) + int(m.Cr[c01]) + int(m.Cr[c11]) + 2) / 4
			r, g, bl := color.YCbCrToRGB(uint8(yy), uint8(cb), uint8(cr))
			o := 4 * x
			row[o], row[o+1], row[o+2], row[o+3] = r, g, bl, 255
		}
	}
}

func halveNRGBA(m *image.NRGBA, out *image.NRGBA, y0, y1 int) {
	b := m.Rect
	for y := y0; y < y1; y++ {
		r0 := m.Pix[(2*y)*m.Stride:]
		r1 := m.Pix[(2*y+1)*m.Stride:]
		row := out.Pix[y*out.Stride:]
		for x := 0; x < out.Rect.Dx(); x++ {
			i := 8 * x
			p := [4][]uint8{r0[i : i+4], r0[i+4 : i+8], r1[i : i+4], r1[i+4 : i+8]}
			var a, r, g, bl int
			for _, px := range p {
				al := int(px[3])
				a += al
				r += int(px[0]) * al
				g += int(px[1]) * al
				bl += int(px[2]) * al
			}
			o := 4 * x
			if a == 0 {
				row[o], row[o+1], row[o+2], row[o+3] = 0, 0, 0, 0
				continue
			}
			row[o] = uint8((r + a/2) / a)
			row[o+1] = uint8((g + a/2) / a)
			row[o+2] = uint8((bl + a/2) / a)
			row[o+3] = uint8((a + 2) / 4)
		}
	}
	_ = b
}
