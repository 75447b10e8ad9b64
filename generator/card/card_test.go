package card

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"

	theme "github.com/postcard-ssg/postcard/themes/postcard"
)

var update = flag.Bool("update", false, "rewrite golden cards")

var brand = Brand{
	Name:       "Lumolahti Stories",
	Primary:    color.NRGBA{0x1f, 0x5f, 0x7a, 0xff},
	Accent:     color.NRGBA{0xb8, 0x4c, 0x35, 0xff},
	Background: color.NRGBA{0xfb, 0xfa, 0xf7, 0xff},
	Text:       color.NRGBA{0x1c, 0x23, 0x29, 0xff},
}

var (
	fontsOnce sync.Once
	fonts     *Fonts
	fontsErr  error
)

func composer(t testing.TB) *Composer {
	t.Helper()
	fontsOnce.Do(func() { fonts, fontsErr = LoadFonts(theme.Fonts) })
	if fontsErr != nil {
		t.Fatal(fontsErr)
	}
	c, err := NewComposer(fonts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// photo is a stand-in cover: a lake at dusk, with detail the scrim must
// keep text legible over (a bright sky, light water).
func photo(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, Width, Height))
	for y := range Height {
		for x := range Width {
			var c color.RGBA
			switch {
			case y < 330:
				t := float64(y) / 330
				c = color.RGBA{uint8(250 - 60*t), uint8(200 - 40*t), uint8(140 + 60*t), 255}
			default:
				t := float64(y-330) / 300
				wave := 20 * math.Sin(float64(x)/23+float64(y)/7)
				c = color.RGBA{uint8(200 - 150*t + wave), uint8(190 - 120*t + wave), uint8(230 - 100*t + wave), 255}
			}
			if math.Hypot(float64(x-850), float64(y-300)) < 70 {
				c = color.RGBA{255, 240, 200, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// goldenCards are the cards whose pixels are kept in testdata/golden:
// "go test ./generator/card -update" rewrites them after an intended
// change; look at them before committing.
func goldenCards(t testing.TB) map[string]Spec {
	cover := photo(t)
	return map[string]Spec{
		"latin.png":    {Kind: Story, Title: "The last ferry to Harmaavesi before the ice comes", Label: "Photo", Byline: "by Aino Virtanen", Lang: "en", Image: cover, Brand: brand},
		"arabic.png":   {Kind: Story, Title: "حكايات الميناء الصغير عند الغروب", Label: "قصة", Byline: "ليلى حداد", Lang: "ar", Image: cover, Brand: brand},
		"japanese.png": {Kind: Story, Title: "湖の町で過ごした夏の思い出と小さな船の物語", Label: "Story", Byline: "by 山田花子", Lang: "ja", Image: cover, Brand: brand},
		"poem.png": {Kind: Story, Title: "Blue hour", Label: "Poem", Byline: "by Aino Virtanen", Lang: "en", Brand: brand,
			Lines: []string{"The lake holds the last of the light", "like a letter it has not finished reading,", "and the boats lean into their moorings", "as if listening for a name", "the water keeps forgetting."}, More: true},
		"ambassador.png": {Kind: Ambassador, Title: "Aino Virtanen", Label: "Ambassador", Byline: "Photographer and ferry captain; tells the harbour's stories since 1998.", Lang: "en", Brand: brand},
		"contest.png": {Kind: Contest, Title: "Summer on the lake 2026", Label: "Contest", Byline: "Entries 1 June – 31 July 2026 · Voting 1–14 August", Lang: "en", Brand: brand,
			Lines: []string{"Photographs, films and poems of a summer by, on or under Lake Harmaavesi: the ferries, the swimmers, the long light of the evenings and the storms that end them."}},
	}
}

func TestGolden(t *testing.T) {
	c := composer(t)
	specs := goldenCards(t)
	for name, s := range specs {
		t.Run(name, func(t *testing.T) {
			card, err := c.Compose(s)
			if err != nil {
				t.Fatal(err)
			}
			if len(card.Missing) > 0 {
				t.Errorf("missing glyphs %q", string(card.Missing))
			}
			p := filepath.Join("testdata", "golden", name)
			if *update {
				var b bytes.Buffer
				if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&b, card.Image); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			f, err := os.Open(p)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			defer f.Close()
			want, err := png.Decode(f)
			if err != nil {
				t.Fatal(err)
			}
			if n := differing(card.Image, want); n > Width*Height/200 {
				t.Errorf("%d pixels differ from %s (go test -update rewrites it; look at it first)", n, p)
			}
		})
	}
	// A golden card no test composes is stale: fail, so it gets deleted.
	entries, err := os.ReadDir(filepath.Join("testdata", "golden"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if _, ok := specs[e.Name()]; !ok {
			t.Errorf("testdata/golden/%s is orphaned: no test composes it", e.Name())
		}
	}
}

// differing counts the pixels of a and b whose channels differ by more
// than a rounding step or two of resampling and anti-aliasing.
func differing(a, b image.Image) int {
	if a.Bounds() != b.Bounds() {
		return a.Bounds().Dx() * a.Bounds().Dy()
	}
	n := 0
	if ra, ok := a.(*image.RGBA); ok {
		if rb, ok := b.(*image.RGBA); ok && ra.Stride == rb.Stride {
			for i := 0; i < len(ra.Pix); i += 4 {
				for k := range 3 {
					if d := int(ra.Pix[i+k]) - int(rb.Pix[i+k]); d > 24 || d < -24 {
						n++
						break
					}
				}
			}
			return n
		}
	}
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			r1, g1, b1, _ := a.At(x, y).RGBA()
			r2, g2, b2, _ := b.At(x, y).RGBA()
			if absDiff(r1, r2) > 24<<8 || absDiff(g1, g2) > 24<<8 || absDiff(b1, b2) > 24<<8 {
				n++
			}
		}
	}
	return n
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

// A card without a photograph is published as an 8-bit PNG holding
// exactly the composed pixels; a card whose logo brings more than 256
// colours is still published whole, in full colour or as JPEG.
func TestEncodeTypographicLosslessPalette(t *testing.T) {
	c := composer(t)
	s := goldenCards(t)["poem.png"]
	card, err := c.Compose(s)
	if err != nil {
		t.Fatal(err)
	}
	data, ext, err := Encode(card.Image, false)
	if err != nil {
		t.Fatal(err)
	}
	if ext != ".png" || len(data) > MaxBytes {
		t.Fatalf("poem card: %s of %d bytes, want a PNG within %d", ext, len(data), MaxBytes)
	}
	got, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got.(*image.Paletted); !ok {
		t.Errorf("poem card decodes as %T, want a paletted PNG", got)
	}
	for y := 0; y < Height; y++ {
		for x := 0; x < Width; x++ {
			r1, g1, b1, _ := got.At(x, y).RGBA()
			r2, g2, b2, _ := card.Image.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 {
				t.Fatalf("pixel (%d, %d) is %v, composed %v", x, y, got.At(x, y), card.Image.At(x, y))
			}
		}
	}

	// A photograph as the logo: thousands of colours.
	s.Brand.Logo = photo(t)
	card, err = c.Compose(s)
	if err != nil {
		t.Fatal(err)
	}
	data, ext, err = Encode(card.Image, false)
	if err != nil {
		t.Fatal(err)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := img.(*image.Paletted); ok {
		t.Errorf("a card with a photographic logo was reduced to a palette (%s)", ext)
	}
	if n := differing(img, card.Image); n > Width*Height/200 {
		t.Errorf("%d pixels of the %s differ from the composed card", n, ext)
	}
}
