package images

// Colour: published files carry no colour profile (a profile is metadata
// too, and a few kilobytes per small image), so their pixels must be sRGB,
// which is what browsers assume of untagged images. Sources in another RGB
// space, typically Display P3 from phones, are converted here. Profiles are
// read from JPEG APP2, PNG iCCP, WebP ICCP and HEIF colr boxes; matrix-shaper
// RGB profiles (the kind cameras and phones write) are supported, and a
// HEIF nclx colour description with P3 primaries too. Anything else, and
// sRGB itself, is left as it is. Outside input: every length is checked and
// a profile that does not parse is ignored.

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"image"
	"io"
	"math"
)

// maxICC bounds the size of a profile the pipeline reads.
const maxICC = 1 << 20

// colorTransform converts a source's RGB to sRGB: linearise each channel,
// apply a 3x3 matrix, encode with the sRGB curve.
type colorTransform struct {
	lin [3][256]float32
	m   [3][3]float32
}

// sourceColor returns the transform to sRGB for a source, nil when its
// pixels are sRGB already (or their space is unknown).
func sourceColor(data []byte, f format) *colorTransform {
	switch f {
	case formatJPEG:
		return iccTransform(jpegICC(data))
	case formatPNG:
		return iccTransform(pngICC(data))
	case formatWebP:
		return iccTransform(webpICC(data))
	case formatHEIC:
		return heifColor(data)
	}
	return nil
}

// jpegICC reassembles the ICC profile from a JPEG's APP2 segments.
func jpegICC(data []byte) []byte {
	var chunks [256][]byte
	n := 0
	total := 0
	jpegSegments(data, func(marker byte, seg []byte) bool {
		const hdr = "ICC_PROFILE\x00"
		if marker != 0xE2 || len(seg) < len(hdr)+2 || string(seg[:len(hdr)]) != hdr {
			return true
		}
		seq, count := int(seg[len(hdr)]), int(seg[len(hdr)+1])
		if seq == 0 || seq > count || chunks[seq] != nil || total > maxICC {
			return true
		}
		chunks[seq] = seg[len(hdr)+2:]
		total += len(chunks[seq])
		n = max(n, count)
		return true
	})
	var out []byte
	for i := 1; i <= n; i++ {
		if chunks[i] == nil {
			return nil
		}
		out = append(out, chunks[i]...)
	}
	return out
}

// pngICC returns the decompressed profile of a PNG's iCCP chunk.
func pngICC(data []byte) []byte {
	body := pngChunk(data, "iCCP")
	z := bytes.IndexByte(body, 0)
	if z < 0 || z+2 > len(body) || body[z+1] != 0 {
		return nil
	}
	r, err := zlib.NewReader(bytes.NewReader(body[z+2:]))
	if err != nil {
		return nil
	}
	prof, err := io.ReadAll(io.LimitReader(r, maxICC+1))
	if err != nil || len(prof) > maxICC {
		return nil
	}
	return prof
}

// webpICC returns the profile of a WebP's ICCP chunk.
func webpICC(data []byte) []byte { return webpChunk(data, "ICCP") }

// heifColor reads the colr property of a HEIF file: an ICC profile, or an
// nclx description of which only P3 primaries with the sRGB curve (what
// phones write) need converting.
func heifColor(data []byte) *colorTransform {
	meta, ok := findBox(data, "meta")
	if !ok || len(meta) < 4 {
		return nil
	}
	iprp, ok := findBox(meta[4:], "iprp")
	if !ok {
		return nil
	}
	ipco, ok := findBox(iprp, "ipco")
	if !ok {
		return nil
	}
	for b := range boxes(ipco) {
		if b.typ != "colr" || len(b.body) < 4 {
			continue
		}
		switch string(b.body[:4]) {
		case "prof", "rICC":
			return iccTransform(b.body[4:])
		case "nclx":
			if len(b.body) < 10 {
				return nil
			}
			primaries := binary.BigEndian.Uint16(b.body[4:])
			transfer := binary.BigEndian.Uint16(b.body[6:])
			if primaries == 12 && (transfer == 13 || transfer == 2) { // P3 D65, sRGB curve (or unspecified)
				return displayP3()
			}
			return nil
		}
	}
	return nil
}

// The sRGB colorants adapted to D50, as in the ICC's sRGB profile.
var srgbD50 = [3][3]float64{
	{0.4360747, 0.3850649, 0.1430804},
	{0.2225045, 0.7168786, 0.0606169},
	{0.0139322, 0.0971045, 0.7141733},
}

// displayP3 is the transform of Display P3 (P3 primaries, D65, sRGB curve).
func displayP3() *colorTransform {
	cols := [3][3]float64{ // Display P3 colorants adapted to D50, as columns r, g, b
		{0.515121, 0.291977, 0.157104},
		{0.241196, 0.692245, 0.066574},
		{-0.001053, 0.041885, 0.784073},
	}
	t := &colorTransform{}
	for c := range 3 {
		for i := range 256 {
			t.lin[c][i] = float32(srgbDecode(float64(i) / 255))
		}
	}
	t.setMatrix(cols)
	return t
}

// setMatrix sets the transform's matrix from the source colorants (XYZ D50
// columns): sRGB^-1 x source.
func (t *colorTransform) setMatrix(src [3][3]float64) {
	inv, ok := invert3(srgbD50)
	if !ok {
		return
	}
	for i := range 3 {
		for j := range 3 {
			var s float64
			for k := range 3 {
				s += inv[i][k] * src[k][j]
			}
			t.m[i][j] = float32(s)
		}
	}
}

// iccTransform parses a matrix-shaper RGB profile; nil when the profile is
// absent, unsupported, or sRGB.
func iccTransform(p []byte) *colorTransform {
	if len(p) < 132 || len(p) > maxICC {
		return nil
	}
	if string(p[16:20]) != "RGB " || string(p[20:24]) != "XYZ " {
		return nil
	}
	n := int(binary.BigEndian.Uint32(p[128:]))
	if n > 100 || 132+12*n > len(p) {
		return nil
	}
	tags := map[string][]byte{}
	for i := range n {
		e := p[132+12*i:]
		sig := string(e[:4])
		off, size := int64(binary.BigEndian.Uint32(e[4:])), int64(binary.BigEndian.Uint32(e[8:]))
		if off+size > int64(len(p)) || size < 8 {
			continue
		}
		tags[sig] = p[off : off+size]
	}
	var cols [3][3]float64
	t := &colorTransform{}
	for c, names := range [3][2]string{{"rXYZ", "rTRC"}, {"gXYZ", "gTRC"}, {"bXYZ", "bTRC"}} {
		xyz := tags[names[0]]
		if len(xyz) < 20 || string(xyz[:4]) != "XYZ " {
			return nil
		}
		for k := range 3 {
			cols[k][c] = s15f16(xyz[8+4*k:])
		}
		if !parseTRC(tags[names[1]], &t.lin[c]) {
			return nil
		}
	}
	t.setMatrix(cols)
	if t.isIdentity() {
		return nil
	}
	return t
}

func s15f16(b []byte) float64 { return float64(int32(binary.BigEndian.Uint32(b))) / 65536 }

// parseTRC fills lut with the linear value of each 8-bit code.
func parseTRC(b []byte, lut *[256]float32) bool {
	if len(b) < 12 {
		return false
	}
	var f func(x float64) float64
	switch string(b[:4]) {
	case "curv":
		n := int(binary.BigEndian.Uint32(b[8:]))
		switch {
		case n == 0:
			f = func(x float64) float64 { return x }
		case n == 1:
			if len(b) < 14 {
				return false
			}
			g := float64(binary.BigEndian.Uint16(b[12:])) / 256
			f = func(x float64) float64 { return math.Pow(x, g) }
		default:
			if n > 1<<16 || len(b) < 12+2*n {
				return false
			}
			table := b[12 : 12+2*n]
			f = func(x float64) float64 {
				pos := x * float64(n-1)
				i := min(int(pos), n-2)
				fr := pos - float64(i)
				a := float64(binary.BigEndian.Uint16(table[2*i:])) / 65535
				c := float64(binary.BigEndian.Uint16(table[2*i+2:])) / 65535
				return a + (c-a)*fr
			}
		}
	case "para":
		typ := binary.BigEndian.Uint16(b[8:])
		counts := map[uint16]int{0: 1, 1: 3, 2: 4, 3: 5, 4: 7}
		k, ok := counts[typ]
		if !ok || len(b) < 12+4*k {
			return false
		}
		var v [7]float64
		for i := range k {
			v[i] = s15f16(b[12+4*i:])
		}
		g, a, bb, c, d, e, ff := v[0], v[1], v[2], v[3], v[4], v[5], v[6]
		switch typ {
		case 0:
			f = func(x float64) float64 { return math.Pow(x, g) }
		case 1:
			f = func(x float64) float64 {
				if x >= -bb/a {
					return math.Pow(a*x+bb, g)
				}
				return 0
			}
		case 2:
			f = func(x float64) float64 {
				if x >= -bb/a {
					return math.Pow(a*x+bb, g) + c
				}
				return c
			}
		case 3:
			f = func(x float64) float64 {
				if x >= d {
					return math.Pow(a*x+bb, g)
				}
				return c * x
			}
		case 4:
			f = func(x float64) float64 {
				if x >= d {
					return math.Pow(a*x+bb, g) + e
				}
				return c*x + ff
			}
		}
	default:
		return false
	}
	for i := range 256 {
		v := f(float64(i) / 255)
		if math.IsNaN(v) {
			return false
		}
		lut[i] = float32(math.Max(0, math.Min(1, v)))
	}
	return true
}

// isIdentity reports whether the transform is sRGB to sRGB, within half
// an 8-bit step.
func (t *colorTransform) isIdentity() bool {
	for i := range 3 {
		for j := range 3 {
			want := float32(0)
			if i == j {
				want = 1
			}
			if math.Abs(float64(t.m[i][j]-want)) > 0.003 {
				return false
			}
		}
	}
	for c := range 3 {
		for i := range 256 {
			if math.Abs(float64(t.lin[c][i])-srgbDecode(float64(i)/255)) > 0.002 {
				return false
			}
		}
	}
	return true
}

func srgbDecode(x float64) float64 {
	if x <= 0.04045 {
		return x / 12.92
	}
	return math.Pow((x+0.055)/1.055, 2.4)
}

// srgbEncodeLUT maps linear light in 1/4095 steps to 8-bit sRGB.
var srgbEncodeLUT = func() (lut [4096]uint8) {
	for i := range lut {
		lut[i] = linearToSRGB(float64(i) / 4095)
	}
	return
}()

// apply converts img to sRGB, returning a new NRGBA image.
func (t *colorTransform) apply(img image.Image) *image.NRGBA {
	src, ok := img.(*image.NRGBA)
	if !ok {
		b := img.Bounds()
		src = resize(img, b.Dx(), b.Dy())
	}
	out := image.NewNRGBA(image.Rect(0, 0, src.Rect.Dx(), src.Rect.Dy()))
	bands(out.Rect.Dy(), func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			in := src.Pix[y*src.Stride : y*src.Stride+4*src.Rect.Dx()]
			o := out.Pix[y*out.Stride:]
			for i := 0; i+3 < len(in); i += 4 {
				r, g, b := t.lin[0][in[i]], t.lin[1][in[i+1]], t.lin[2][in[i+2]]
				for c := range 3 {
					v := int((t.m[c][0]*r+t.m[c][1]*g+t.m[c][2]*b)*4095 + 0.5)
					o[i+c] = srgbEncodeLUT[max(0, min(4095, v))]
				}
				o[i+3] = in[i+3]
			}
		}
	})
	return out
}

// invert3 inverts a 3x3 matrix.
func invert3(m [3][3]float64) ([3][3]float64, bool) {
	det := m[0][0]*(m[1][1]*m[2][2]-m[1][2]*m[2][1]) -
		m[0][1]*(m[1][0]*m[2][2]-m[1][2]*m[2][0]) +
		m[0][2]*(m[1][0]*m[2][1]-m[1][1]*m[2][0])
	if math.Abs(det) < 1e-9 {
		return m, false
	}
	var r [3][3]float64
	r[0][0] = (m[1][1]*m[2][2] - m[1][2]*m[2][1]) / det
	r[0][1] = (m[0][2]*m[2][1] - m[0][1]*m[2][2]) / det
	r[0][2] = (m[0][1]*m[1][2] - m[0][2]*m[1][1]) / det
	r[1][0] = (m[1][2]*m[2][0] - m[1][0]*m[2][2]) / det
	r[1][1] = (m[0][0]*m[2][2] - m[0][2]*m[2][0]) / det
	r[1][2] = (m[0][2]*m[1][0] - m[0][0]*m[1][2]) / det
	r[2][0] = (m[1][0]*m[2][1] - m[1][1]*m[2][0]) / det
	r[2][1] = (m[0][1]*m[2][0] - m[0][0]*m[2][1]) / det
	r[2][2] = (m[0][0]*m[1][1] - m[0][1]*m[1][0]) / det
	return r, true
}
