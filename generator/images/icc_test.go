package images

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/color"
	"math"
	"testing"
)

// matrixProfile builds a matrix-shaper RGB ICC profile with the given
// colorants (XYZ D50, columns r, g, b) and the sRGB curve.
func matrixProfile(cols [3][3]float64) []byte {
	fixed := func(v float64) []byte {
		return binary.BigEndian.AppendUint32(nil, uint32(int32(math.Round(v*65536))))
	}
	var xyz [3][]byte
	for c := range 3 {
		b := []byte("XYZ \x00\x00\x00\x00")
		for k := range 3 {
			b = append(b, fixed(cols[k][c])...)
		}
		xyz[c] = b
	}
	para := []byte("para\x00\x00\x00\x00\x00\x03\x00\x00")
	for _, v := range []float64{2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045} {
		para = append(para, fixed(v)...)
	}
	tags := []struct {
		sig  string
		data []byte
	}{{"rXYZ", xyz[0]}, {"gXYZ", xyz[1]}, {"bXYZ", xyz[2]}, {"rTRC", para}, {"gTRC", para}, {"bTRC", para}}
	header := make([]byte, 128)
	copy(header[12:], "mntr")
	copy(header[16:], "RGB ")
	copy(header[20:], "XYZ ")
	copy(header[36:], "acsp")
	table := binary.BigEndian.AppendUint32(nil, uint32(len(tags)))
	off := 128 + 4 + 12*len(tags)
	var body []byte
	for _, t := range tags {
		table = append(table, t.sig...)
		table = binary.BigEndian.AppendUint32(table, uint32(off+len(body)))
		table = binary.BigEndian.AppendUint32(table, uint32(len(t.data)))
		body = append(body, t.data...)
		for len(body)%4 != 0 {
			body = append(body, 0)
		}
	}
	p := append(append(header, table...), body...)
	binary.BigEndian.PutUint32(p, uint32(len(p)))
	return p
}

// withJPEGICC inserts an APP2 ICC_PROFILE segment after a JPEG's SOI.
func withJPEGICC(jpg, prof []byte) []byte {
	seg := append([]byte("ICC_PROFILE\x00\x01\x01"), prof...)
	var b bytes.Buffer
	b.Write(jpg[:2])
	b.Write([]byte{0xFF, 0xE2})
	binary.Write(&b, binary.BigEndian, uint16(len(seg)+2))
	b.Write(seg)
	b.Write(jpg[2:])
	return b.Bytes()
}

var displayP3D50 = [3][3]float64{
	{0.515121, 0.291977, 0.157104},
	{0.241196, 0.692245, 0.066574},
	{-0.001053, 0.041885, 0.784073},
}

func TestDisplayP3IsConvertedToSRGB(t *testing.T) {
	p3 := color.NRGBA{200, 100, 50, 255}
	img := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = p3.R, p3.G, p3.B, 255
	}
	jpg := encodeJPEG(t, img)
	_, root := site(t, map[string][]byte{
		"p3.jpg":   withJPEGICC(jpg, matrixProfile(displayP3D50)),
		"srgb.jpg": withJPEGICC(jpg, matrixProfile(srgbD50)),
	})
	p := newProcessor(t, root, Config{Widths: []int{32}})
	sink := newMemSink()
	imgs, errs := p.Process(context.Background(), []Request{{Src: "p3.jpg", Card: true}, {Src: "srgb.jpg"}}, sink)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	// The reference: linear P3 to linear sRGB by the published D65 matrix.
	m := [3][3]float64{{1.2249, -0.2247, 0}, {-0.0420, 1.0419, 0}, {-0.0197, -0.0786, 1.0979}}
	lin := [3]float64{srgbDecode(200.0 / 255), srgbDecode(100.0 / 255), srgbDecode(50.0 / 255)}
	var want [3]float64
	for c := range 3 {
		v := m[c][0]*lin[0] + m[c][1]*lin[1] + m[c][2]*lin[2]
		want[c] = float64(linearToSRGB(v))
	}
	check := func(name string, want [3]float64) {
		t.Helper()
		out := decodeOutput(t, name, sink.files[name])
		c := color.NRGBAModel.Convert(out.At(out.Bounds().Dx()/2, out.Bounds().Dy()/2)).(color.NRGBA)
		got := [3]float64{float64(c.R), float64(c.G), float64(c.B)}
		for k := range 3 {
			if math.Abs(got[k]-want[k]) > 4 {
				t.Errorf("%s: %v, want about %v", name, got, want)
				return
			}
		}
	}
	for _, s := range imgs["p3.jpg"].Sources {
		check(s.Variants[0].URL[1:], want)
	}
	check(imgs["p3.jpg"].Card.URL[1:], want)
	// A source that says sRGB is left alone.
	check(imgs["srgb.jpg"].Fallback().Variants[0].URL[1:], [3]float64{200, 100, 50})
	if want[0] <= 200 || want[1] >= 100 {
		t.Fatalf("reference %v: the P3 colour should be more saturated in sRGB", want)
	}
}

func TestICCParsingRefusesNonsense(t *testing.T) {
	good := matrixProfile(displayP3D50)
	if iccTransform(good) == nil {
		t.Fatal("P3 profile not understood")
	}
	if iccTransform(matrixProfile(srgbD50)) != nil {
		t.Error("sRGB profile not recognised as sRGB")
	}
	for i := 0; i < len(good); i += 7 {
		iccTransform(good[:i]) // no panic on truncation
	}
	bad := bytes.Clone(good)
	copy(bad[16:], "CMYK")
	if iccTransform(bad) != nil {
		t.Error("CMYK profile accepted")
	}
}
