package images

// Benchmarks of the pipeline's steps on the repository's own fixture; the
// comparison with Hugo on full-size photos is bench/images (run.sh).

import (
	"context"
	"fmt"
	"image"
	"testing"

	"github.com/postcard-ssg/postcard/generator/config"
)

func BenchmarkProcess(b *testing.B) {
	_, root := site(b, map[string][]byte{"pier.jpg": fixture(b, "exif-rotated-gps.jpg")})
	reqs := []Request{{Src: "pier.jpg", Card: true}}
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			p := newProcessor(b, root, Config{})
			if _, errs := p.Process(context.Background(), reqs, newMemSink()); len(errs) > 0 {
				b.Fatal(errs)
			}
		}
	})
	b.Run("warm", func(b *testing.B) {
		cfg := Config{CacheDir: b.TempDir()}
		newProcessor(b, root, cfg).Process(context.Background(), reqs, newMemSink())
		for b.Loop() {
			p := newProcessor(b, root, cfg)
			if _, errs := p.Process(context.Background(), reqs, newMemSink()); len(errs) > 0 || p.Stats().Decoded > 0 {
				b.Fatal(errs, p.Stats())
			}
		}
	})
}

func BenchmarkEncode(b *testing.B) {
	img := resize(testPattern(1600, 1000), 1200, 750)
	for _, f := range []string{"webp", "jpeg", "png"} {
		b.Run(fmt.Sprintf("%s-1200w", f), func(b *testing.B) {
			for b.Loop() {
				if _, err := encode(img, f, 75); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkResize(b *testing.B) {
	src := image.NewYCbCr(image.Rect(0, 0, 2560, 1600), image.YCbCrSubsampleRatio420)
	b.Run("direct", func(b *testing.B) {
		for b.Loop() {
			resize(src, 1200, 750)
		}
	})
	b.Run("halve-then-cubic", func(b *testing.B) {
		for b.Loop() {
			resize(shrinkFor(src, 1200), 1200, 750)
		}
	})
}

func BenchmarkDecodeHeader(b *testing.B) {
	bomb := fixture(b, "bomb-40000px.png")
	jpg := fixture(b, "exif-rotated-gps.jpg")
	for b.Loop() {
		decodeHeader(bomb, config.Default().Images.MaxPixels)
		decodeHeader(jpg, config.Default().Images.MaxPixels)
	}
}
