package card

// Setting text: shaping, bidi, line breaking and rasterising.
//
// go-text's segmenter splits a paragraph into runs of one direction, one
// script and one face; HarfBuzz shapes each run (Arabic letters take their
// joining forms, a right-to-left run's glyphs come out in visual order);
// the line wrapper breaks at UAX #14 opportunities (between words in
// Latin and Arabic, between characters in Japanese), shortens the last
// allowed line with an ellipsis, and orders each line's runs visually.
// The glyph outlines are then filled with an anti-aliasing rasteriser.

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/bidi"
)

// maxRunes bounds the text shaped for one box: a box holds a few lines, and
// a megabyte-long title must not take a megabyte's shaping.
const maxRunes = 400

// textStyle is how a box's text is set.
type textStyle struct {
	style    Style
	size     float64 // pixels per em
	maxLines int
	// more asks for an ellipsis even when the text fits: more text follows
	// that the card leaves out.
	more bool
}

// block is text set for a box of a given width: lines of shaped runs in
// visual order, left to right.
type block struct {
	lines     []line
	size      float64
	ascent    float64 // from the box's top to the first baseline
	leading   float64 // from baseline to baseline
	descent   float64
	rtl       bool
	truncated bool
}

type line struct {
	runs  []shaping.Output
	width float64
}

// height is the box height the block takes.
func (b block) height() float64 {
	if len(b.lines) == 0 {
		return 0
	}
	return b.ascent + float64(len(b.lines)-1)*b.leading + b.descent
}

// width is the widest line's width.
func (b block) width() float64 {
	w := 0.0
	for _, l := range b.lines {
		w = max(w, l.width)
	}
	return w
}

// clean makes text one paragraph: control characters and line breaks
// become spaces, runs of spaces one, and it is cut to maxRunes (cut
// reports whether it was).
func clean(s string) (out []rune, cut bool) {
	space := true
	for i, r := range s {
		if unicode.IsControl(r) || unicode.IsSpace(r) || r == '\u2028' || r == '\u2029' {
			if !space {
				out = append(out, ' ')
			}
			space = true
			continue
		}
		out = append(out, r)
		space = false
		if len(out) >= maxRunes {
			cut = strings.TrimSpace(s[i+utf8.RuneLen(r):]) != ""
			break
		}
	}
	if len(out) > 0 && out[len(out)-1] == ' ' {
		out = out[:len(out)-1]
	}
	return out, cut
}

// direction returns the paragraph direction a hint asks for ("rtl",
// "ltr"), or else that of the text's first strong character.
func direction(text []rune, hint string) di.Direction {
	switch strings.ToLower(hint) {
	case "rtl":
		return di.DirectionRTL
	case "ltr":
		return di.DirectionLTR
	}
	for _, r := range text {
		p, _ := bidi.LookupRune(r)
		switch p.Class() {
		case bidi.L:
			return di.DirectionLTR
		case bidi.R, bidi.AL:
			return di.DirectionRTL
		}
	}
	return di.DirectionLTR
}

// set shapes and wraps text to maxWidth pixels.
func (c *Composer) set(text string, ts textStyle, maxWidth float64, lang, dirHint string) block {
	runes, cut := clean(text)
	if cut {
		// The card shows the text goes on, whether or not the box is
		// filled.
		runes = append(runes, '…')
	}
	b := block{size: ts.size, truncated: cut}
	if len(runes) == 0 {
		return b
	}
	dir := direction(runes, dirHint)
	b.rtl = dir == di.DirectionRTL
	fm := &fontmap{faces: c.faces[ts.style], missing: c.missing}
	size := fixed.Int26_6(ts.size * 64)
	in := shaping.Input{
		Text:      runes,
		RunEnd:    len(runes),
		Direction: dir,
		Size:      size,
		Language:  language.NewLanguage(lang),
	}
	var outs []shaping.Output
	for _, run := range c.seg.Split(in, fm) {
		outs = append(outs, c.shaper.Shape(run))
	}
	cfg := shaping.WrapConfig{
		Direction:          dir,
		TruncateAfterLines: ts.maxLines,
		TextContinues:      ts.more,
	}
	if ts.maxLines > 0 {
		// The ellipsis in the face of the text's last run, so it matches.
		last := outs[len(outs)-1]
		face := last.Face
		if _, ok := face.NominalGlyph('…'); !ok {
			face = fm.faces[latinFace]
		}
		cfg.Truncator = c.shaper.Shape(shaping.Input{
			Text: []rune{'…'}, RunEnd: 1, Direction: dir, Size: size, Face: face,
			Script: language.Common, Language: in.Language,
		})
	}
	// Break between words (and between CJK characters, which UAX #14
	// allows) so that a shortened line ends on a whole word; within a word
	// only when a word alone is wider than the box.
	cfg.BreakPolicy = shaping.Never
	lines, truncated := c.wrap.WrapParagraph(cfg, int(maxWidth), runes, shaping.NewSliceIterator(outs))
	if overflows(lines, maxWidth) {
		cfg.BreakPolicy = shaping.WhenNecessary
		lines, truncated = c.wrap.WrapParagraph(cfg, int(maxWidth), runes, shaping.NewSliceIterator(outs))
	}
	b.truncated = b.truncated || truncated > 0 || (ts.more && ts.maxLines > 0 && len(lines) == ts.maxLines)
	asc, lead, desc := 0.95, 1.2, 0.3
	for _, l := range lines {
		// The wrapper reuses its buffers: keep copies.
		runs := make([]shaping.Output, len(l))
		copy(runs, l)
		slices.SortStableFunc(runs, func(a, b shaping.Output) int { return int(a.VisualIndex) - int(b.VisualIndex) })
		w := 0.0
		for i := range runs {
			runs[i].Glyphs = slices.Clone(runs[i].Glyphs)
			w += float64(runs[i].Advance) / 64
			switch runs[i].Face {
			case fm.faces[arabicFace]:
				asc, lead, desc = max(asc, 1.1), max(lead, 1.5), max(desc, 0.5)
			case fm.faces[japaneseFace]:
				asc, lead = max(asc, 0.92), max(lead, 1.32)
			}
		}
		b.lines = append(b.lines, line{runs: runs, width: w})
	}
	b.ascent, b.leading, b.descent = asc*ts.size, lead*ts.size, desc*ts.size
	return b
}

// overflows reports whether a line is wider than maxWidth.
func overflows(lines []shaping.Line, maxWidth float64) bool {
	for _, l := range lines {
		var w fixed.Int26_6
		for _, r := range l {
			w += r.Advance
		}
		if float64(w)/64 > maxWidth+0.5 {
			return true
		}
	}
	return false
}

// align says where lines sit in their box.
type align int

const (
	alignStart align = iota // left, or right for right-to-left text
	alignLeft
	alignRight
	alignCenter
)

// draw fills the block's glyphs in col, its box's top-left corner at
// (x, y) and its width w. Glyphs are clipped to the box (with room for
// overhanging glyphs).
//
// Each glyph is rasterised once per composer into a coverage mask, at its
// size and at where its origin falls within a pixel in quarter pixels, and
// then only blended: a build composes thousands of cards with the same few
// hundred glyphs, and rasterising the outlines of a whole box per card was
// most of a card's drawing time. Quarter-pixel positions keep the spacing
// the shaper asked for to within an eighth of a pixel.
func (c *Composer) draw(dst *image.RGBA, b block, x, y, w float64, al align, col color.Color) {
	if len(b.lines) == 0 {
		return
	}
	pad := b.size
	box := image.Rect(int(x-pad), int(y-pad), int(x+w+pad)+1, int(y+b.height()+pad)+1).Intersect(dst.Bounds())
	if box.Empty() {
		return
	}
	src := image.NewUniform(col)
	for i, l := range b.lines {
		pen := x
		switch {
		case al == alignCenter:
			pen = x + (w-l.width)/2
		case al == alignRight || (al == alignStart && b.rtl):
			pen = x + w - l.width
		}
		base := y + b.ascent + float64(i)*b.leading
		for _, run := range l.runs {
			for _, g := range run.Glyphs {
				gx := pen + float64(g.XOffset)/64
				gy := base - float64(g.YOffset)/64
				pen += float64(g.Advance) / 64
				ix, fx := subpixel(gx)
				iy, fy := subpixel(gy)
				m := c.glyph(glyphKey{face: run.Face, id: g.GlyphID, size: run.Size, fx: fx, fy: fy})
				if m.mask == nil {
					continue
				}
				at := m.mask.Rect.Add(image.Pt(ix, iy))
				r := at.Intersect(box)
				if r.Empty() {
					continue
				}
				draw.DrawMask(dst, r, src, image.Point{}, m.mask, r.Min.Sub(image.Pt(ix, iy)), draw.Over)
			}
		}
	}
}

// subpixel splits a position into whole pixels and quarters of a pixel.
func subpixel(v float64) (int, uint8) {
	q := int(math.Floor(v*4 + 0.5))
	return q >> 2, uint8(q & 3)
}

// glyphKey names a rasterised glyph: its face, glyph, size, and the
// quarter pixel its origin falls on.
type glyphKey struct {
	face   *font.Face
	id     font.GID
	size   fixed.Int26_6
	fx, fy uint8
}

// glyphMask is a glyph's coverage, its Rect placed relative to the pixel
// of the glyph's origin; nil for a glyph with no outline (a space).
type glyphMask struct {
	mask *image.Alpha
}

// maxGlyphs bounds a composer's glyph cache: Japanese titles alone could
// otherwise grow it by thousands of glyphs per size.
const maxGlyphs = 8192

// coverageLevels is how many levels of coverage a glyph's edge keeps:
// 32 cannot be told from 256 at a card's sizes, and it keeps a card
// without a photo within a PNG palette's 256 colours (three or four text
// colours, each blended over its background at 32 levels), which encodes
// four times faster and smaller than full colour.
const coverageLevels = 32

func quantize(pix []uint8) {
	const n = coverageLevels - 1
	for i, v := range pix {
		level := (int(v)*n + 127) / 255
		pix[i] = uint8((level*255 + n/2) / n)
	}
}

// glyph returns k's mask, rasterising it the first time.
func (c *Composer) glyph(k glyphKey) glyphMask {
	if m, ok := c.glyphs[k]; ok {
		return m
	}
	if len(c.glyphs) >= maxGlyphs {
		clear(c.glyphs)
	}
	var m glyphMask
	if o, ok := k.face.GlyphData(k.id).(font.GlyphOutline); ok && len(o.Segments) > 0 {
		scale := float64(k.size) / 64 / float64(k.face.Upem())
		ox, oy := float64(k.fx)/4, float64(k.fy)/4
		// The outline's control points bound its curves.
		x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, s := range o.Segments {
			for _, p := range s.ArgsSlice() {
				px, py := ox+float64(p.X)*scale, oy-float64(p.Y)*scale
				x0, x1 = min(x0, px), max(x1, px)
				y0, y1 = min(y0, py), max(y1, py)
			}
		}
		r := image.Rect(int(math.Floor(x0))-1, int(math.Floor(y0))-1, int(math.Ceil(x1))+1, int(math.Ceil(y1))+1)
		if !r.Empty() && r.Dx() < 4*Width && r.Dy() < 4*Height {
			c.raster.Reset(r.Dx(), r.Dy())
			outline(c.raster, o, ox-float64(r.Min.X), oy-float64(r.Min.Y), scale)
			mask := image.NewAlpha(image.Rect(0, 0, r.Dx(), r.Dy()))
			c.raster.Draw(mask, mask.Rect, image.Opaque, image.Point{})
			quantize(mask.Pix)
			mask.Rect = r
			m.mask = mask
		}
	}
	c.glyphs[k] = m
	return m
}

// pather is the part of vector.Rasterizer outline uses.
type pather interface {
	MoveTo(x, y float32)
	LineTo(x, y float32)
	QuadTo(bx, by, cx, cy float32)
	CubeTo(bx, by, cx, cy, dx, dy float32)
	ClosePath()
}

// outline adds a glyph's contours at origin (ox, oy); font units go up,
// pixels down.
func outline(p pather, o font.GlyphOutline, ox, oy, scale float64) {
	pt := func(q opentype.SegmentPoint) (float32, float32) {
		return float32(ox + float64(q.X)*scale), float32(oy - float64(q.Y)*scale)
	}
	open := false
	for _, s := range o.Segments {
		switch s.Op {
		case opentype.SegmentOpMoveTo:
			if open {
				p.ClosePath()
			}
			p.MoveTo(pt(s.Args[0]))
			open = true
		case opentype.SegmentOpLineTo:
			p.LineTo(pt(s.Args[0]))
		case opentype.SegmentOpQuadTo:
			bx, by := pt(s.Args[0])
			cx, cy := pt(s.Args[1])
			p.QuadTo(bx, by, cx, cy)
		case opentype.SegmentOpCubeTo:
			bx, by := pt(s.Args[0])
			cx, cy := pt(s.Args[1])
			dx, dy := pt(s.Args[2])
			p.CubeTo(bx, by, cx, cy, dx, dy)
		}
	}
	if open {
		p.ClosePath()
	}
}
