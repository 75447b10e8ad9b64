// Package card composes the social cards of a site: the 1200×630 image a
// story, an ambassador or a contest shows when its page is shared, with
// the title, the teller and the destination set on it in the destination's
// colours, so that a shared link sells the story rather than showing a
// bare crop of a photograph.
//
// A card is drawn from a [Spec], plain data: the texts, a language hint,
// the cover already cropped to the card's shape, the brand. A card per
// language is one more Spec. The composer shapes text with go-text's
// HarfBuzz port (Arabic joins, right-to-left runs are laid out right to
// left, Japanese breaks between characters), falls back from font to font
// per run (Latin, Arabic, Japanese, all embedded; see the theme's
// fonts/README.md), wraps and shortens titles with an ellipsis to fit their
// box, and rasterises the glyph outlines anti-aliased with
// golang.org/x/image/vector.
//
// Composing takes tens of milliseconds, so cards are cached by a key over
// everything that draws them ([Key]): a warm build composes nothing.
package card
