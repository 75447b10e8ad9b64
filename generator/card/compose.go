package card

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	_ "image/gif" // logos
	"image/jpeg"
	"image/png"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/shaping"
	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/vector"
)

// Width and Height are a card's size in pixels, the one Open Graph and
// most sites use.
const (
	Width  = 1200
	Height = 630
)

// LayoutVersion changes whenever the composer draws or encodes a card
// differently, so that cached cards are composed again.
const LayoutVersion = "5"

// Kind is what a card is for; each has its own layout.
type Kind int

const (
	// Story: the cover with the title, the teller and the destination on
	// it; without a cover, a typographic card with the first lines.
	Story Kind = iota
	// Ambassador: the avatar, the name and a line of the bio.
	Ambassador
	// Contest: the title and the dates, on the cover when there is one.
	Contest
)

// Spec is everything a card shows. It is plain data so that a card per
// language is one more Spec, and [Key] can hash it.
type Spec struct {
	Kind Kind
	// Title is the story's or contest's title, or the ambassador's name.
	Title string
	// Label is a short word set above the title ("Poem", "Contest").
	Label string
	// Byline is the story's teller, the contest's dates or the
	// ambassador's bio, set under the title.
	Byline string
	// Lines are the first lines of a story without a cover (each a line
	// of a poem, or one paragraph of prose). More says the text goes on
	// past them.
	Lines []string
	More  bool
	// LinesFrom, when set, gives Lines and More only when the card is
	// composed; Key hashes its Key instead of them. A story's first lines
	// are a parse of its body, which a card found in the cache does not
	// need: at ten thousand stories, that was two seconds of every build.
	LinesFrom *LinesSource
	// Lang is the texts' language (BCP 47), a hint for shaping; Dir is
	// "rtl" or "ltr" to force a direction, or empty to take each text's
	// own.
	Lang, Dir string
	// Image is the cover (stories, contests) or avatar (ambassadors):
	// encoded bytes (JPEG, PNG or GIF), best already cropped to the card's
	// shape around its focus. Without one, stories get a typographic card.
	Image []byte
	Brand Brand
}

// LinesSource is a card's lines, made when they are drawn.
type LinesSource struct {
	// Key stands for the lines in the card's key: it must change
	// whenever Lines would return something else.
	Key   string
	Lines func() (lines []string, more bool)
}

// Brand is the destination's look on a card.
type Brand struct {
	// Name is the destination's name, set when there is no Logo.
	Name string
	// Logo is a raster logo's bytes (PNG, JPEG or GIF), or nil.
	Logo                              []byte
	Primary, Accent, Background, Text color.NRGBA
}

// ParseColor reads "#rgb" or "#rrggbb", as site.toml's brand colours are
// written; anything else is ok == false.
func ParseColor(s string) (c color.NRGBA, ok bool) {
	s = strings.TrimPrefix(s, "#")
	if len(s) == 3 {
		s = string([]byte{s[0], s[0], s[1], s[1], s[2], s[2]})
	}
	if len(s) != 6 {
		return c, false
	}
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return c, false
	}
	return color.NRGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff}, true
}

// Composer draws cards. It is not safe for concurrent use: use one per
// goroutine.
type Composer struct {
	faces   [2][]*font.Face
	shaper  shaping.HarfbuzzShaper
	seg     shaping.Segmenter
	wrap    shaping.LineWrapper
	raster  *vector.Rasterizer
	missing map[rune]bool
	glyphs  map[glyphKey]glyphMask
	// canvas, when set, is drawn on by every Compose
	// instead of a new image: the Maker encodes each card before
	// composing the next, and a 3 MB image per card was most of a build's
	// garbage.
	canvas *image.RGBA
}

// NewComposer returns a composer setting text in fonts.
func NewComposer(fonts *Fonts) (*Composer, error) {
	faces, err := fonts.faces()
	if err != nil {
		return nil, err
	}
	return &Composer{faces: faces, raster: vector.NewRasterizer(Width, Height), missing: map[rune]bool{}, glyphs: map[glyphKey]glyphMask{}}, nil
}

// Card is a composed card.
type Card struct {
	Image *image.RGBA
	// Missing lists the characters of the texts that no font has, drawn
	// as boxes.
	Missing []rune
}

// maxImagePixels bounds the images a card decodes, a cover or a logo: a
// crafted file can claim any size.
const maxImagePixels = 40 << 20

// Compose draws the card s describes. A broken image is left out (the
// card is typographic) and reported as err alongside a usable card.
func (c *Composer) Compose(s Spec) (*Card, error) {
	if s.LinesFrom != nil {
		s.Lines, s.More = s.LinesFrom.Lines()
	}
	clear(c.missing)
	// Every layout starts by filling the whole card, so a reused canvas
	// needs no clearing.
	dst := c.canvas
	if dst == nil {
		dst = image.NewRGBA(image.Rect(0, 0, Width, Height))
	}
	var err error
	var img, logo image.Image
	if len(s.Image) > 0 {
		if img, err = decode(s.Image); err != nil {
			err = fmt.Errorf("card image: %w", err)
		}
	}
	if len(s.Brand.Logo) > 0 {
		var lerr error
		if logo, lerr = decode(s.Brand.Logo); lerr != nil && err == nil {
			err = fmt.Errorf("card logo: %w", lerr)
		}
	}
	switch {
	case s.Kind == Ambassador:
		c.ambassador(dst, s, img, logo)
	case img != nil:
		c.cover(dst, s, img, logo)
	default:
		c.typographic(dst, s, logo)
	}
	out := &Card{Image: dst}
	for r := range c.missing {
		out.Missing = append(out.Missing, r)
	}
	slices.Sort(out.Missing)
	return out, err
}

func decode(b []byte) (image.Image, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxImagePixels {
		return nil, fmt.Errorf("%d×%d pixels is too large", cfg.Width, cfg.Height)
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	return img, err
}

// Layout measures, in pixels.
const (
	margin   = 64
	barH     = 12 // the accent bar along the bottom edge
	boxW     = Width - 2*margin
	chipH    = 64
	chipPadX = 24
)

func title(s Spec) []rune {
	r, _ := clean(s.Title)
	return r
}

// side is the edge a card's texts start from: the right one when its
// title reads right to left.
func side(s Spec) align {
	if direction(title(s), s.Dir) == di.DirectionRTL {
		return alignRight
	}
	return alignLeft
}

// cover lays the title over the cover, on a dark scrim that keeps white
// text legible on any photograph.
func (c *Composer) cover(dst *image.RGBA, s Spec, img, logo image.Image) {
	al := side(s)
	fill(dst, dst.Bounds(), color.Black)
	drawFitted(dst, dst.Bounds(), img)
	scrim(dst, 150, Height, 0.86)
	topShade(dst, 170, 0.35)
	white := color.NRGBA{255, 255, 255, 255}
	soft := color.NRGBA{255, 255, 255, 225}

	y := float64(Height - barH - margin + 8)
	if s.Byline != "" {
		by := c.set(s.Byline, textStyle{style: Regular, size: 32, maxLines: 1}, boxW, s.Lang, s.Dir)
		y -= by.height()
		c.draw(dst, by, margin, y, boxW, al, soft)
		y -= 18
	}
	title := c.fit(s.Title, []float64{68, 58, 50}, 3, boxW, s.Lang, s.Dir)
	y -= title.height()
	c.draw(dst, title, margin, y, boxW, al, white)
	if s.Label != "" {
		lb := c.set(strings.ToUpper(s.Label), textStyle{style: Bold, size: 24, maxLines: 1}, boxW, s.Lang, s.Dir)
		y -= lb.height() + 14
		c.draw(dst, lb, margin, y, boxW, al, white)
	}
	c.chip(dst, s, logo, true, al)
	fill(dst, image.Rect(0, Height-barH, Width, Height), s.Brand.Accent)
}

// typographic sets a card without a picture: a story's title and first
// lines in the brand's colours, or a contest's title, description and
// dates on the primary colour.
func (c *Composer) typographic(dst *image.RGBA, s Spec, logo image.Image) {
	al := side(s)
	b := s.Brand
	bg, band := b.Background, b.Primary
	if s.Kind == Contest {
		bg, band = b.Primary, b.Accent
	}
	text := readableOn(bg, b.Text)
	accent := readableOn(bg, b.Accent)
	fill(dst, dst.Bounds(), bg)
	if al == alignRight {
		fill(dst, image.Rect(Width-20, 0, Width, Height), band)
	} else {
		fill(dst, image.Rect(0, 0, 20, Height), band)
	}
	fill(dst, image.Rect(0, Height-barH, Width, Height), b.Accent)

	chipBottom := c.chip(dst, s, logo, false, al)
	y := float64(chipBottom) + 36
	if s.Label != "" {
		lb := c.set(strings.ToUpper(s.Label), textStyle{style: Bold, size: 24, maxLines: 1}, boxW, s.Lang, s.Dir)
		c.draw(dst, lb, margin, y, boxW, al, accent)
		y += lb.height() + 14
	}
	titleLines := 2
	if len(s.Lines) == 0 {
		titleLines = 4
	}
	title := c.fit(s.Title, []float64{64, 54}, titleLines, boxW, s.Lang, s.Dir)
	c.draw(dst, title, margin, y, boxW, al, text)
	y += title.height() + 28

	bottom := float64(Height - barH - margin + 8)
	if s.Byline != "" {
		by := c.set(s.Byline, textStyle{style: Regular, size: 30, maxLines: 1}, boxW, s.Lang, s.Dir)
		bottom -= by.height()
		c.draw(dst, by, margin, bottom, boxW, al, accent)
		bottom -= 24
	}
	// The first lines, as many as fit above the byline: a poem's line by
	// line, each shortened alone; prose as one wrapped paragraph.
	const size, indent = 32, 32
	lines := s.Lines
	poem := len(lines) > 1
	top := y
	x, ruleX := float64(margin+indent), margin
	if al == alignRight {
		x, ruleX = margin, Width-margin-5
	}
	for i, l := range lines {
		probe := c.set(l, textStyle{style: Regular, size: size, maxLines: 1}, boxW-indent, s.Lang, s.Dir)
		room := int((bottom - y - probe.ascent - probe.descent) / probe.leading)
		if room < 0 {
			break
		}
		ts := textStyle{style: Regular, size: size, maxLines: 1}
		last := i == len(lines)-1
		switch {
		case !poem:
			ts.maxLines, ts.more = room+1, s.More
		case room == 0 && !last:
			ts.more = true
		case last:
			ts.more = s.More
		}
		if ts.more {
			l = strings.TrimRight(l, " .,;:!?-–—")
		}
		blk := c.set(l, ts, boxW-indent, s.Lang, s.Dir)
		c.draw(dst, blk, x, y, boxW-indent, al, text)
		y += blk.height() + (blk.leading - blk.ascent - blk.descent)
		if ts.more {
			break
		}
	}
	if y > top {
		fill(dst, image.Rect(ruleX, int(top)+8, ruleX+5, int(y)-8), b.Accent)
	}
}

// ambassador sets the avatar in a circle beside the name and bio.
func (c *Composer) ambassador(dst *image.RGBA, s Spec, img, logo image.Image) {
	b := s.Brand
	fill(dst, dst.Bounds(), b.Primary)
	fill(dst, image.Rect(0, Height-barH, Width, Height), b.Accent)
	text := readableOn(b.Primary, color.NRGBA{255, 255, 255, 255})
	chipBottom := c.chip(dst, s, logo, false, side(s))

	const d = 320
	top := chipBottom + (Height-barH-chipBottom-d)/2
	rtl := direction(title(s), s.Dir) == di.DirectionRTL
	cx := margin + d/2
	textX := float64(margin + d + 56)
	if rtl {
		cx = Width - margin - d/2
		textX = margin
	}
	cy := top + d/2
	c.circle(dst, float64(cx), float64(cy), d/2+8, b.Background)
	if img != nil {
		c.avatar(dst, img, cx, cy, d/2)
	} else {
		c.circle(dst, float64(cx), float64(cy), d/2, b.Accent)
		initial := []rune(strings.TrimSpace(s.Title))
		if len(initial) > 0 {
			blk := c.set(string(initial[0]), textStyle{style: Bold, size: 150, maxLines: 1}, d, s.Lang, s.Dir)
			c.draw(dst, blk, float64(cx-d/2), float64(cy)-blk.height()/2-4, d, alignCenter, readableOn(b.Accent, color.NRGBA{255, 255, 255, 255}))
		}
	}
	w := float64(Width-margin) - float64(margin+d+56)
	var blocks []block
	var heights float64
	if s.Label != "" {
		lb := c.set(strings.ToUpper(s.Label), textStyle{style: Bold, size: 24, maxLines: 1}, w, s.Lang, "")
		blocks = append(blocks, lb)
	}
	blocks = append(blocks, c.fit(s.Title, []float64{64, 54}, 2, w, s.Lang, s.Dir))
	if s.Byline != "" {
		blocks = append(blocks, c.set(s.Byline, textStyle{style: Regular, size: 30, maxLines: 3}, w, s.Lang, s.Dir))
	}
	for _, bl := range blocks {
		heights += bl.height() + 20
	}
	y := float64(cy) - heights/2
	for i, bl := range blocks {
		col := text
		if i == 0 && s.Label != "" {
			col = readableOn(b.Primary, b.Accent)
		}
		c.draw(dst, bl, textX, y, w, side(s), col)
		y += bl.height() + 20
	}
}

// fit sets text at the largest size at which it fits maxLines, or
// shortened at the smallest.
func (c *Composer) fit(text string, sizes []float64, maxLines int, w float64, lang, dir string) block {
	var b block
	for _, size := range sizes {
		b = c.set(text, textStyle{style: Bold, size: size, maxLines: maxLines}, w, lang, dir)
		if !b.truncated {
			break
		}
	}
	return b
}

// chip sets the destination's logo, or its name, in the top start corner,
// and returns its bottom edge. On a cover the name sits on a panel of the
// primary colour and a logo on one of the background colour.
func (c *Composer) chip(dst *image.RGBA, s Spec, logo image.Image, onCover bool, al align) int {
	b := s.Brand
	top := margin - 16
	if logo != nil {
		lb := logo.Bounds()
		h := chipH - 16
		w := int(math.Round(float64(lb.Dx()) * float64(h) / float64(lb.Dy())))
		if w > 360 {
			w, h = 360, max(1, int(math.Round(float64(lb.Dy())*360/float64(lb.Dx()))))
		}
		pad := 0
		if onCover {
			pad = 16
		}
		x := margin
		if al == alignRight {
			x = Width - margin - w - 2*pad
		}
		if onCover {
			c.roundRect(dst, float64(x), float64(top), float64(w+2*pad), chipH, 12, image.NewUniform(b.Background))
		}
		x += pad
		drawFitted(dst, image.Rect(x, top+(chipH-h)/2, x+w, top+(chipH-h)/2+h), logo)
		return top + chipH
	}
	if b.Name == "" {
		return top
	}
	if onCover {
		name := c.set(b.Name, textStyle{style: Bold, size: 28, maxLines: 1}, 560, s.Lang, "")
		w := name.width() + 2*chipPadX
		x := float64(margin)
		if al == alignRight {
			x = float64(Width-margin) - w
		}
		c.roundRect(dst, x, float64(top), w, chipH, 12, image.NewUniform(b.Primary))
		c.draw(dst, name, x+chipPadX, float64(top)+(chipH-name.height())/2, w-2*chipPadX, alignCenter, readableOn(b.Primary, color.NRGBA{255, 255, 255, 255}))
		return top + chipH
	}
	bg, want := b.Background, b.Primary
	switch s.Kind {
	case Ambassador, Contest:
		bg, want = b.Primary, color.NRGBA{255, 255, 255, 255}
	}
	name := c.set(b.Name, textStyle{style: Bold, size: 30, maxLines: 1}, boxW, s.Lang, "")
	c.draw(dst, name, margin, float64(top)+(chipH-name.height())/2, boxW, al, readableOn(bg, want))
	return top + chipH
}

// Drawing primitives.

func fill(dst *image.RGBA, r image.Rectangle, c color.Color) {
	draw.Draw(dst, r, image.NewUniform(c), image.Point{}, draw.Src)
}

// drawFitted scales img to cover r, cropping the overflow evenly (a cover
// arrives already cropped at its focus, so nothing much is cut).
func drawFitted(dst *image.RGBA, r image.Rectangle, img image.Image) {
	sb := img.Bounds()
	if sb.Empty() || r.Empty() {
		return
	}
	if sb.Size() == r.Size() {
		draw.Draw(dst, r, img, sb.Min, draw.Over)
		return
	}
	sx := float64(r.Dx()) / float64(sb.Dx())
	sy := float64(r.Dy()) / float64(sb.Dy())
	sc := max(sx, sy)
	w, h := float64(r.Dx())/sc, float64(r.Dy())/sc
	src := image.Rect(0, 0, int(math.Round(w)), int(math.Round(h))).Add(sb.Min).Add(image.Pt(int((float64(sb.Dx())-w)/2), int((float64(sb.Dy())-h)/2)))
	xdraw.CatmullRom.Scale(dst, r, img, src.Intersect(sb), draw.Over, nil)
}

// scrim darkens the card from y0 (clear) to y1 (alpha a), eased so that
// the photograph fades rather than ends.
func scrim(dst *image.RGBA, y0, y1 int, a float64) {
	for y := y0; y < y1; y++ {
		t := float64(y-y0) / float64(y1-y0)
		t = t * t * (3 - 2*t)
		shade(dst, y, a*t)
	}
}

// topShade darkens the top edge a little, under the destination's chip.
func topShade(dst *image.RGBA, h int, a float64) {
	for y := range h {
		t := 1 - float64(y)/float64(h)
		shade(dst, y, a*t*t)
	}
}

func shade(dst *image.RGBA, y int, a float64) {
	k := 1 - a
	row := dst.Pix[y*dst.Stride : y*dst.Stride+Width*4]
	for i := 0; i < len(row); i += 4 {
		row[i] = uint8(float64(row[i])*k + 0.5)
		row[i+1] = uint8(float64(row[i+1])*k + 0.5)
		row[i+2] = uint8(float64(row[i+2])*k + 0.5)
	}
}

// roundRect fills a rounded rectangle, rasterising only its box.
func (c *Composer) roundRect(dst *image.RGBA, x, y, w, h, r float64, src image.Image) {
	box := image.Rect(int(x), int(y), int(math.Ceil(x+w)), int(math.Ceil(y+h))).Intersect(dst.Bounds())
	if box.Empty() {
		return
	}
	c.raster.Reset(box.Dx(), box.Dy())
	c.roundRectPath(x-float64(box.Min.X), y-float64(box.Min.Y), w, h, r)
	c.raster.Draw(dst, box, src, box.Min)
}

func (c *Composer) roundRectPath(x, y, w, h, r float64) {
	z := c.raster
	const k = 0.5523
	x0, y0, x1, y1 := float32(x), float32(y), float32(x+w), float32(y+h)
	rr, kr := float32(r), float32(r*k)
	z.MoveTo(x0+rr, y0)
	z.LineTo(x1-rr, y0)
	z.CubeTo(x1-rr+kr, y0, x1, y0+rr-kr, x1, y0+rr)
	z.LineTo(x1, y1-rr)
	z.CubeTo(x1, y1-rr+kr, x1-rr+kr, y1, x1-rr, y1)
	z.LineTo(x0+rr, y1)
	z.CubeTo(x0+rr-kr, y1, x0, y1-rr+kr, x0, y1-rr)
	z.LineTo(x0, y0+rr)
	z.CubeTo(x0, y0+rr-kr, x0+rr-kr, y0, x0+rr, y0)
	z.ClosePath()
}

func (c *Composer) circle(dst *image.RGBA, cx, cy, r float64, col color.Color) {
	c.roundRect(dst, cx-r, cy-r, 2*r, 2*r, r, image.NewUniform(col))
}

// avatar draws img, scaled to cover the circle, inside it.
func (c *Composer) avatar(dst *image.RGBA, img image.Image, cx, cy, r int) {
	sq := image.NewRGBA(image.Rect(cx-r, cy-r, cx+r, cy+r))
	drawFitted(sq, sq.Rect, img)
	c.roundRect(dst, float64(cx-r), float64(cy-r), float64(2*r), float64(2*r), float64(r), sq)
}

// readableOn returns want, or black or white when want has too little
// contrast on bg (below 4.5:1, WCAG's bar for text), whichever reads better.
func readableOn(bg, want color.NRGBA) color.NRGBA {
	if contrast(bg, want) >= 4.5 {
		return want
	}
	white, black := color.NRGBA{255, 255, 255, 255}, color.NRGBA{16, 16, 16, 255}
	if contrast(bg, white) >= contrast(bg, black) {
		return white
	}
	return black
}

func contrast(a, b color.NRGBA) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(c color.NRGBA) float64 {
	ch := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(c.R) + 0.7152*ch(c.G) + 0.0722*ch(c.B)
}

// MaxBytes is the size a card's file aims at: JPEG quality steps down
// until the card fits (a noisy photograph can take twice as much at the
// first quality).
const MaxBytes = 150 << 10

// Encode returns the card as JPEG, or as PNG when it has no photograph
// and that is smaller, with the file extension. Neither carries metadata.
//
// A card without a photograph is flat colours and text whose edges keep
// 32 levels (coverageLevels), so it nearly always fits a palette: it is
// then written as an 8-bit PNG straight away, a few times smaller than
// JPEG and about ten times faster to make than both JPEG and full-colour
// PNG (which a raster logo can still call for).
func Encode(img image.Image, photo bool) ([]byte, string, error) {
	var e encoder
	return e.encode(img, photo)
}

// encoder encodes cards one after another, reusing its buffers: a build
// encodes thousands, and allocating a palette image and the compressor's
// state for each was a good part of the garbage.
type encoder struct {
	pal  *image.Paletted
	pool pngBuffers
}

type pngBuffers struct{ b *png.EncoderBuffer }

func (p *pngBuffers) Get() *png.EncoderBuffer  { return p.b }
func (p *pngBuffers) Put(b *png.EncoderBuffer) { p.b = b }

func (e *encoder) encode(img image.Image, photo bool) ([]byte, string, error) {
	if !photo {
		if rgba, ok := img.(*image.RGBA); ok {
			if e.pal == nil || e.pal.Rect != rgba.Rect {
				e.pal = image.NewPaletted(rgba.Rect, make(color.Palette, 0, 256))
			}
			if paletted(rgba, e.pal) {
				var p bytes.Buffer
				enc := png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &e.pool}
				if err := enc.Encode(&p, e.pal); err != nil {
					return nil, "", err
				}
				if p.Len() <= MaxBytes {
					return p.Bytes(), ".png", nil
				}
			}
		}
	}
	var j bytes.Buffer
	for _, q := range []int{86, 80, 72, 64} {
		j.Reset()
		if err := jpeg.Encode(&j, img, &jpeg.Options{Quality: q}); err != nil {
			return nil, "", err
		}
		if j.Len() <= MaxBytes {
			break
		}
	}
	if photo {
		return j.Bytes(), ".jpg", nil
	}
	// Harder compression gains 5% for ten times the time.
	var p bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &e.pool}
	if err := enc.Encode(&p, img); err != nil {
		return nil, "", err
	}
	if p.Len() < j.Len() {
		return p.Bytes(), ".png", nil
	}
	return j.Bytes(), ".jpg", nil
}

// paletted puts img's colours into out, which has img's bounds, and
// reports false when there are more than 256. A card is opaque; its alpha
// is dropped. Runs of one colour, most of a card, cost a comparison per
// pixel; other pixels look their colour up in a small open-addressed
// table, several times faster than a map here.
func paletted(img *image.RGBA, out *image.Paletted) bool {
	const slots = 1024     // a power of two, four times the palette at most
	var keys [slots]uint32 // opaque colour; 0 is empty
	var vals [slots]uint8
	out.Palette = out.Palette[:0]
	b := img.Rect
	last, lastIdx := uint32(0), uint8(0)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := img.Pix[img.PixOffset(b.Min.X, y):img.PixOffset(b.Max.X, y)]
		dst := out.Pix[out.PixOffset(b.Min.X, y):]
		dst = dst[:len(row)/4]
		for i := range dst {
			// The pixel's four bytes at once, its alpha set: a card is
			// opaque, and 0 stays free to mean an empty slot.
			c := binary.LittleEndian.Uint32(row[4*i:]) | 0xff000000
			if c != last {
				h := (c * 0x9E3779B1) >> (32 - 10)
				for keys[h] != 0 && keys[h] != c {
					h = (h + 1) & (slots - 1)
				}
				if keys[h] == 0 {
					if len(out.Palette) == 256 {
						return false
					}
					keys[h], vals[h] = c, uint8(len(out.Palette))
					out.Palette = append(out.Palette, color.RGBA{uint8(c), uint8(c >> 8), uint8(c >> 16), 255})
				}
				last, lastIdx = c, vals[h]
			}
			dst[i] = lastIdx
		}
	}
	return true
}
