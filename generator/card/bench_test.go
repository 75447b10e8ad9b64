package card

import "testing"

// BenchmarkCompose composes one story card with a cover: decoding the
// cover, the scrim, shaping, wrapping and rasterising the texts, and
// encoding the JPEG.
func BenchmarkCompose(b *testing.B) {
	c := composer(b)
	s := goldenCards(b)["latin.png"]
	b.ReportAllocs()
	for b.Loop() {
		card, err := c.Compose(s)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := Encode(card.Image, true); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkComposeTypographic composes a poem's card and encodes it as
// the smaller of JPEG and PNG.
func BenchmarkComposeTypographic(b *testing.B) {
	c := composer(b)
	s := goldenCards(b)["poem.png"]
	b.ReportAllocs()
	for b.Loop() {
		card, err := c.Compose(s)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := Encode(card.Image, false); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNewComposer parses the fonts, as each of a build's composing
// goroutines does once.
func BenchmarkNewComposer(b *testing.B) {
	composer(b)
	for b.Loop() {
		if _, err := NewComposer(fonts); err != nil {
			b.Fatal(err)
		}
	}
}
