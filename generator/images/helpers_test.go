package images

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"path"
	"path/filepath"
	"sort"
	"sync"
	"testing"
)

// memSink is a Sink in memory.
type memSink struct {
	mu    sync.Mutex
	files map[string][]byte
}

func newMemSink() *memSink { return &memSink{files: map[string][]byte{}} }

func (m *memSink) WriteFile(name string, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files[name] = bytes.Clone(data)
	return nil
}

func (m *memSink) names() []string {
	var out []string
	for k := range m.files {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// site makes a site folder holding files (slash path -> bytes) and returns
// its path and an os.Root on it.
func site(t testing.TB, files map[string][]byte) (string, *os.Root) {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { root.Close() })
	return dir, root
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func newProcessor(t testing.TB, root *os.Root, cfg Config) *Processor {
	t.Helper()
	p, err := New(root, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// exifOrientation returns a TIFF block whose IFD0 holds only Orientation.
func exifOrientation(o int) []byte {
	var b bytes.Buffer
	b.WriteString("MM\x00\x2a\x00\x00\x00\x08")
	binary.Write(&b, binary.BigEndian, uint16(1))              // one entry
	binary.Write(&b, binary.BigEndian, []uint16{0x0112, 3})    // tag, SHORT
	binary.Write(&b, binary.BigEndian, uint32(1))              // count
	binary.Write(&b, binary.BigEndian, []uint16{uint16(o), 0}) // value
	binary.Write(&b, binary.BigEndian, uint32(0))              // no next IFD
	return b.Bytes()
}

// withJPEGExif inserts an APP1 Exif segment holding tiff after a JPEG's SOI.
func withJPEGExif(jpg, tiff []byte) []byte {
	seg := append([]byte("Exif\x00\x00"), tiff...)
	var b bytes.Buffer
	b.Write(jpg[:2])
	b.Write([]byte{0xFF, 0xE1})
	binary.Write(&b, binary.BigEndian, uint16(len(seg)+2))
	b.Write(seg)
	b.Write(jpg[2:])
	return b.Bytes()
}

// withPNGExif inserts an eXIf chunk after a PNG's IHDR.
func withPNGExif(p, tiff []byte) []byte {
	const ihdrEnd = 8 + 8 + 13 + 4
	var b bytes.Buffer
	b.Write(p[:ihdrEnd])
	binary.Write(&b, binary.BigEndian, uint32(len(tiff)))
	b.WriteString("eXIf")
	b.Write(tiff)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte("eXIf"), tiff...)))
	b.Write(p[ihdrEnd:])
	return b.Bytes()
}

// decode decodes an output file.
func decodeOutput(t testing.TB, name string, data []byte) image.Image {
	t.Helper()
	var img image.Image
	var err error
	switch path.Ext(name) {
	case ".webp":
		img, err = decodePixels(data, formatWebP)
	case ".png", ".jpg":
		img, _, err = image.Decode(bytes.NewReader(data))
	default:
		t.Fatalf("unexpected output %s", name)
	}
	if err != nil {
		t.Fatalf("decoding %s: %v", name, err)
	}
	return img
}

// meanDiff returns the mean absolute difference per channel (0..255)
// between a and b after scaling both to w x h by box averaging: a
// pixel-tolerant comparison that ignores encoder noise and filter choice.
func meanDiff(a, b image.Image, w, h int) float64 {
	sa, sb := boxScale(a, w, h), boxScale(b, w, h)
	var sum float64
	for i := range sa {
		sum += math.Abs(sa[i] - sb[i])
	}
	return sum / float64(len(sa))
}

func boxScale(img image.Image, w, h int) []float64 {
	b := img.Bounds()
	out := make([]float64, w*h*3)
	cnt := make([]float64, w*h)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		ty := (y - b.Min.Y) * h / b.Dy()
		for x := b.Min.X; x < b.Max.X; x++ {
			tx := (x - b.Min.X) * w / b.Dx()
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			i := ty*w + tx
			out[3*i] += float64(c.R)
			out[3*i+1] += float64(c.G)
			out[3*i+2] += float64(c.B)
			cnt[i]++
		}
	}
	for i := range cnt {
		for k := 0; k < 3; k++ {
			out[3*i+k] /= cnt[i]
		}
	}
	return out
}

// uprightToStored maps upright coordinates (u, v) of a w x h image to the
// coordinates in the stored image that EXIF orientation o turns upright,
// straight from the EXIF specification (independent of the code under test).
func uprightToStored(o, u, v, w, h int) (int, int) {
	switch o {
	case 2:
		return w - 1 - u, v
	case 3:
		return w - 1 - u, h - 1 - v
	case 4:
		return u, h - 1 - v
	case 5:
		return v, u
	case 6:
		return v, w - 1 - u
	case 7:
		return h - 1 - v, w - 1 - u
	case 8:
		return h - 1 - v, u
	}
	return u, v
}

// storedFor returns the stored image that orientation o shows as upright.
func storedFor(upright image.Image, o int) *image.NRGBA {
	b := upright.Bounds()
	w, h := b.Dx(), b.Dy()
	sw, sh := w, h
	if o >= 5 {
		sw, sh = h, w
	}
	s := image.NewNRGBA(image.Rect(0, 0, sw, sh))
	for v := 0; v < h; v++ {
		for u := 0; u < w; u++ {
			x, y := uprightToStored(o, u, v, w, h)
			s.Set(x, y, upright.At(b.Min.X+u, b.Min.Y+v))
		}
	}
	return s
}

// testPattern is an asymmetric picture: four coloured quadrants of unequal
// size and a white bar near the top, so every flip and turn changes it.
func testPattern(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var c color.NRGBA
			switch {
			case y < h/8 && x < w/2:
				c = color.NRGBA{255, 255, 255, 255}
			case x < w/3 && y < h/2:
				c = color.NRGBA{220, 30, 30, 255}
			case y < h/2:
				c = color.NRGBA{30, 200, 40, 255}
			case x < 2*w/3:
				c = color.NRGBA{30, 40, 210, 255}
			default:
				c = color.NRGBA{230, 210, 30, 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}
