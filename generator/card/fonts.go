package card

// Fonts and per-rune fallback. A card's text can mix scripts (a Japanese
// title quoting a Latin name, an Arabic title with Western digits), so
// each run is set in the first font that has its glyphs, trying the
// script's own font first.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"unicode"

	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/language"
)

// Style is a font weight of the card's serif.
type Style int

const (
	Bold Style = iota
	Regular
)

// fontFiles are the files Fonts reads, by style, in fallback order:
// Latin, Arabic, Japanese. Japanese has one weight, used for both.
var fontFiles = [2][3]string{
	Bold:    {"NotoSerif-Bold.ttf", "NotoNaskhArabic-Bold.ttf", "NotoSerifJP-Bold.otf"},
	Regular: {"NotoSerif-Regular.ttf", "NotoNaskhArabic-Regular.ttf", "NotoSerifJP-Bold.otf"},
}

const (
	latinFace = iota
	arabicFace
	japaneseFace
)

// Fonts are the font files cards are set in, read once and shared; each
// [Composer] parses its own faces from them, since a face is not safe for
// concurrent use.
type Fonts struct {
	data   map[string][]byte
	digest string
}

// LoadFonts reads the card fonts from fsys, which holds a fonts/ folder
// (the theme's embedded one in a build).
func LoadFonts(fsys fs.FS) (*Fonts, error) {
	f := &Fonts{data: map[string][]byte{}}
	h := sha256.New()
	for _, files := range fontFiles {
		for _, name := range files {
			if _, ok := f.data[name]; ok {
				continue
			}
			b, err := fs.ReadFile(fsys, "fonts/"+name)
			if err != nil {
				return nil, fmt.Errorf("card fonts: %w", err)
			}
			f.data[name] = b
			fmt.Fprintf(h, "%s %d\n", name, len(b))
			h.Write(b)
		}
	}
	f.digest = hex.EncodeToString(h.Sum(nil))
	return f, nil
}

// Digest identifies the font files, for cache keys.
func (f *Fonts) Digest() string { return f.digest }

// faces parses the fonts for one composer.
func (f *Fonts) faces() ([2][]*font.Face, error) {
	var out [2][]*font.Face
	parsed := map[string]*font.Face{}
	for st, files := range fontFiles {
		for _, name := range files {
			face, ok := parsed[name]
			if !ok {
				var err error
				face, err = font.ParseTTF(bytes.NewReader(f.data[name]))
				if err != nil {
					return out, fmt.Errorf("card font %s: %w", name, err)
				}
				parsed[name] = face
			}
			out[st] = append(out[st], face)
		}
	}
	return out, nil
}

// fontmap picks a face per rune for go-text's segmenter: the face for the
// run's script when it has the glyph, else the first that has it. Runes
// that no face has are noted in missing and drawn as the script face's
// missing-glyph box.
type fontmap struct {
	faces   []*font.Face
	script  language.Script
	missing map[rune]bool
}

func (m *fontmap) SetScript(s language.Script) { m.script = s }

func (m *fontmap) preferred() int {
	switch m.script {
	case language.Arabic:
		return arabicFace
	case language.Han, language.Hiragana, language.Katakana:
		return japaneseFace
	}
	return latinFace
}

func (m *fontmap) ResolveFace(r rune) *font.Face {
	p := m.preferred()
	if _, ok := m.faces[p].NominalGlyph(r); ok {
		return m.faces[p]
	}
	for _, f := range m.faces {
		if _, ok := f.NominalGlyph(r); ok {
			return f
		}
	}
	if !unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r) && !unicode.Is(unicode.Mn, r) {
		m.missing[r] = true
	}
	return m.faces[p]
}
