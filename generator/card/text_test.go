package card

import (
	"bytes"
	"image"
	"strings"
	"testing"
	"time"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
)

// gids lists a block's glyphs in visual order, left to right.
func gids(b block) []font.GID {
	var out []font.GID
	for _, l := range b.lines {
		for _, r := range l.runs {
			for _, g := range r.Glyphs {
				out = append(out, g.GlyphID)
			}
		}
	}
	return out
}

func TestArabicIsShapedRightToLeft(t *testing.T) {
	c := composer(t)
	ts := textStyle{style: Bold, size: 48, maxLines: 2}
	// The isolated letter beh, and three behs in a row: initial, medial
	// and final forms, none of which is the isolated glyph.
	isolated := gids(c.set("ب", ts, boxW, "ar", ""))
	joined := c.set("ببب", ts, boxW, "ar", "")
	if len(isolated) != 1 || len(gids(joined)) != 3 {
		t.Fatalf("glyphs: isolated %v, joined %v", isolated, gids(joined))
	}
	seen := map[font.GID]bool{}
	for _, g := range gids(joined) {
		if g == isolated[0] {
			t.Errorf("joined behs %v use the isolated form %d: no joining", gids(joined), g)
		}
		seen[g] = true
	}
	if len(seen) != 3 {
		t.Errorf("joined behs %v: want three different forms (initial, medial, final)", gids(joined))
	}
	if !joined.rtl {
		t.Error("an Arabic title is not laid out right to left")
	}

	// In a right-to-left run the glyphs come in visual order: the first
	// drawn (leftmost) is the last letter written.
	b := c.set("سلام عليكم", ts, boxW, "ar", "")
	if len(b.lines) != 1 || len(b.lines[0].runs) != 1 {
		t.Fatalf("want one line of one run, got %d lines", len(b.lines))
	}
	run := b.lines[0].runs[0]
	if run.Direction != di.DirectionRTL {
		t.Fatalf("run direction %v, want right to left", run.Direction)
	}
	for i := 1; i < len(run.Glyphs); i++ {
		if run.Glyphs[i].TextIndex() > run.Glyphs[i-1].TextIndex() {
			t.Fatalf("glyph %d is of text index %d after %d: not right to left", i, run.Glyphs[i].TextIndex(), run.Glyphs[i-1].TextIndex())
		}
	}

	// A Latin paragraph quoting Arabic: runs in visual order, the Latin
	// ones left to right around the Arabic one, which is right to left.
	mixed := c.set("From سلام to you", ts, boxW, "en", "")
	if mixed.rtl {
		t.Error("a Latin paragraph was laid out right to left")
	}
	var dirs []di.Direction
	var firsts []int
	for _, r := range mixed.lines[0].runs {
		dirs = append(dirs, r.Direction)
		firsts = append(firsts, r.Runes.Offset)
	}
	if len(dirs) != 3 || dirs[0] != di.DirectionLTR || dirs[1] != di.DirectionRTL || dirs[2] != di.DirectionLTR || firsts[0] > firsts[1] || firsts[1] > firsts[2] {
		t.Errorf("mixed runs: directions %v at text offsets %v; want LTR, RTL, LTR in order", dirs, firsts)
	}

	// An Arabic paragraph quoting a Latin name: the Latin run sits to the
	// left of the Arabic text that precedes it.
	rtl := c.set("مرحبا Aino", ts, boxW, "ar", "")
	rs := rtl.lines[0].runs
	if !rtl.rtl || len(rs) != 2 || rs[0].Direction != di.DirectionLTR || rs[1].Direction != di.DirectionRTL {
		t.Errorf("an Arabic paragraph with a Latin name: want the Latin run drawn first (leftmost), got %d runs", len(rs))
	}
}

func TestFallbackPerRun(t *testing.T) {
	c := composer(t)
	b := c.set("Lumolahti 湖の町 مرحبا", textStyle{style: Bold, size: 40, maxLines: 2}, boxW, "en", "")
	faces := map[*font.Face]bool{}
	for _, l := range b.lines {
		for _, r := range l.runs {
			faces[r.Face] = true
		}
	}
	if len(faces) != 3 {
		t.Errorf("a title mixing Latin, Japanese and Arabic is set in %d faces, want 3", len(faces))
	}
	if len(c.missing) != 0 {
		t.Errorf("missing %v", c.missing)
	}
}

func TestLongTitlesWrapAndEndInAnEllipsis(t *testing.T) {
	c := composer(t)
	cases := []struct{ name, text, lang string }{
		{"latin", strings.Repeat("The ferry crosses the lake at dawn and again at dusk ", 6), "en"},
		{"japanese", strings.Repeat("湖の町で過ごした夏の思い出と小さな船の物語", 6), "ja"},
		{"arabic", strings.Repeat("حكايات الميناء الصغير عند الغروب ", 8), "ar"},
		{"one long word", strings.Repeat("Kivisaari", 40), "fi"},
	}
	const width, lines = 600, 3
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := textStyle{style: Bold, size: 56, maxLines: lines}
			b := c.set(tc.text, ts, width, tc.lang, "")
			if len(b.lines) != lines || !b.truncated {
				t.Fatalf("%d lines (truncated %v), want %d shortened", len(b.lines), b.truncated, lines)
			}
			for i, l := range b.lines {
				if l.width > width+0.5 {
					t.Errorf("line %d is %.1f px wide, more than the box's %d", i, l.width, width)
				}
			}
			// The ellipsis ends the text: the last glyph in reading order,
			// the rightmost for left-to-right text, the leftmost for
			// right-to-left; in the face of the text around it.
			runs := b.lines[lines-1].runs
			run, g := runs[len(runs)-1], runs[len(runs)-1].Glyphs
			end := g[len(g)-1]
			if b.rtl {
				run = runs[0]
				end = run.Glyphs[0]
			}
			if want, _ := run.Face.NominalGlyph('…'); end.GlyphID != want {
				t.Errorf("the last line ends with glyph %d, not the ellipsis %d", end.GlyphID, want)
			}
			// Text with spaces is shortened after a whole word.
			if tc.name == "latin" && len(runs) > 1 {
				text, _ := clean(tc.text)
				before := runs[len(runs)-2]
				if cut := before.Runes.Offset + before.Runes.Count; cut < len(text) && text[cut] != ' ' && text[cut-1] != ' ' {
					t.Errorf("shortened inside a word: …%q|%q…", string(text[max(0, cut-10):cut]), string(text[cut:min(len(text), cut+10)]))
				}
			}
		})
	}
	// Text that fits is not shortened.
	b := c.set("Blue hour", textStyle{style: Bold, size: 56, maxLines: 2}, width, "en", "")
	if len(b.lines) != 1 || b.truncated {
		t.Errorf("a short title: %d lines, truncated %v", len(b.lines), b.truncated)
	}
}

func TestTextNoFontHas(t *testing.T) {
	c := composer(t)
	s := goldenCards(t)["latin.png"]
	s.Title = "𓀀𓀁𓀂 ᏣᎳᎩ ภาษาไทย"
	card, err := c.Compose(s)
	if err != nil {
		t.Fatal(err)
	}
	if len(card.Missing) == 0 {
		t.Fatal("characters no font has are not reported")
	}
	if strings.ContainsAny(string(card.Missing), " ") {
		t.Errorf("spaces reported missing: %q", string(card.Missing))
	}
	// The composer is reusable: the next card reports only its own.
	card, _ = c.Compose(goldenCards(t)["poem.png"])
	if len(card.Missing) != 0 {
		t.Errorf("a later card reports %q missing", string(card.Missing))
	}
}

// TestHostileSpecs composes cards from what a contributor or a broken file
// can put in a Spec: none panics, each gives a whole card, and none takes
// long.
func TestHostileSpecs(t *testing.T) {
	c := composer(t)
	huge := strings.Repeat("long ", 200_000)
	hugePNG := func() []byte {
		// A PNG header claiming 100000×100000 pixels.
		var b bytes.Buffer
		b.WriteString("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01\x86\xa0\x00\x01\x86\xa0\x08\x02\x00\x00\x00\x00\x00\x00\x00")
		return b.Bytes()
	}()
	cases := map[string]Spec{
		"megabyte title":       {Kind: Story, Title: huge, Byline: huge, Lines: []string{huge, huge}},
		"controls and marks":   {Kind: Story, Title: "\x00\x1b[31m\u202e\u200f\ufeff\u0301\u0301\u0301a\r\n\tb", Label: "\u202e"},
		"only combining marks": {Kind: Contest, Title: strings.Repeat("\u0651", 500)},
		"broken image":         {Kind: Story, Title: "x", Image: []byte("\xff\xd8\xff not a jpeg")},
		"huge image":           {Kind: Ambassador, Title: "x", Image: hugePNG},
		"broken logo":          {Kind: Story, Title: "x", Brand: Brand{Logo: []byte("GIF89a")}},
		"empty":                {},
		"many lines":           {Kind: Story, Title: "x", Lines: strings.Split(strings.Repeat("a\n", 10000), "\n")},
		"rtl forced on latin":  {Kind: Ambassador, Title: "Aino", Dir: "rtl", Byline: "Bio"},
	}
	for name, s := range cases {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			card, err := c.Compose(s)
			if card == nil || card.Image.Bounds() != image.Rect(0, 0, Width, Height) {
				t.Fatalf("no whole card (err %v)", err)
			}
			if (name == "broken image" || name == "huge image" || name == "broken logo") && err == nil {
				t.Error("a broken image is not reported")
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

func FuzzSet(f *testing.F) {
	for _, s := range []string{"Blue hour", "حكايات الميناء", "湖の町", "a\u202eb", "\u0651\u0651", ""} {
		f.Add(s, uint8(3), uint16(400))
	}
	c := composer(f)
	f.Fuzz(func(t *testing.T, text string, lines uint8, width uint16) {
		n := int(lines%6) + 1
		w := float64(width%1100) + 100
		b := c.set(text, textStyle{style: Bold, size: 40, maxLines: n}, w, "", "")
		if len(b.lines) > n {
			t.Fatalf("%d lines, at most %d wanted", len(b.lines), n)
		}
		dst := image.NewRGBA(image.Rect(0, 0, Width, Height))
		c.draw(dst, b, 10, 10, w, alignStart, image.Black)
	})
}

func TestOverlongTextIsCutWithAnEllipsis(t *testing.T) {
	c := composer(t)
	// More text than a box is ever given: cut before shaping, and the
	// last line still says the text goes on.
	b := c.set(strings.Repeat("word ", 1000), textStyle{style: Regular, size: 20, maxLines: 100}, boxW, "en", "")
	if !b.truncated || len(b.lines) == 0 || len(b.lines) == 100 {
		t.Fatalf("%d lines, truncated %v; want the cut text in fewer than 100 lines, shortened", len(b.lines), b.truncated)
	}
	last := b.lines[len(b.lines)-1].runs
	run := last[len(last)-1]
	if want, _ := run.Face.NominalGlyph('…'); run.Glyphs[len(run.Glyphs)-1].GlyphID != want {
		t.Error("the cut text does not end with an ellipsis")
	}
}
