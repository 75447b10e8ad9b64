package images

import (
	"fmt"
	"slices"

	"github.com/postcard-ssg/postcard/generator/config"
)

// Config says which files the pipeline makes and what it accepts. The zero
// value of each field means its default. The defaults of the settings a
// site can change (widths, formats, quality, max_pixels, max_bytes) are
// those of an empty site.toml, config.Default().Images: they are set there
// and nowhere else.
type Config struct {
	// Widths are the widths to publish, in pixels (default 480, 800, 1200,
	// 1600, 2400). An image is never upscaled: widths wider than the source
	// are dropped and the source's own width is published instead.
	Widths []int
	// Formats to publish: "webp" and "jpeg", and "avif" as an option (it
	// encodes several times slower than WebP); default ["webp", "jpeg"].
	// The fallback (JPEG, or PNG for images with transparency) is always
	// made, whether or not "jpeg" is listed, and AVIF is offered before WebP.
	Formats []string
	// Quality of lossy encodings, 1 to 100 (default 78).
	Quality int
	// MaxPixels is the largest image accepted, in pixels (width x height),
	// checked before decoding (default 60,000,000).
	MaxPixels int64
	// MaxBytes is the largest source file accepted (default 50 MiB).
	MaxBytes int64
	// CacheDir is the absolute folder of the content-addressed cache; ""
	// means no cache. Sites use <site>/.postcard-cache/images.
	CacheDir string
	// MemoryBudget is the number of decoded pixels allowed in flight across
	// all workers (a progressive JPEG counts four times: its decoder holds
	// every DCT coefficient). Default 64,000,000, about 256 MB of decoded
	// pixels: a 15-megapixel progressive photo decodes alone, a dozen
	// ordinary phone photos at once. An image larger than the budget still
	// runs, alone.
	MemoryBudget int64
	// Workers is the number of sources decoded and encoded at once (CPU
	// work). Default GOMAXPROCS. Reading sources and publishing cached
	// files, which mostly wait on the disk, use four times as many.
	Workers int
	// Progress, when set, is called after each source with the number of
	// sources done and the total, from any goroutine, for a progress bar.
	Progress func(done, total int)
}

// DefaultMemoryBudget is [Config.MemoryBudget] when it is zero: a setting of
// the machine, not of the site.
const DefaultMemoryBudget = 64_000_000

// withDefaults validates c and fills in its defaults.
func (c Config) withDefaults() (Config, error) {
	site := config.Default().Images
	if len(c.Widths) == 0 {
		c.Widths = site.Widths
	}
	c.Widths = slices.Clone(c.Widths)
	for _, w := range c.Widths {
		if w <= 0 || w > 16384 {
			return c, fmt.Errorf("images: width %d out of range 1..16384", w)
		}
	}
	slices.Sort(c.Widths)
	c.Widths = slices.Compact(c.Widths)
	if len(c.Formats) == 0 {
		c.Formats = site.Formats
	}
	var formats []string
	for _, f := range c.Formats {
		switch f {
		case "webp", "jpeg", "jpg", "png":
			if f == "jpg" {
				f = "jpeg"
			}
			if !slices.Contains(formats, f) {
				formats = append(formats, f)
			}
		case "avif":
			if !slices.Contains(formats, f) {
				formats = append(formats, f)
			}
		default:
			return c, fmt.Errorf("images: unknown format %q (want avif, webp or jpeg)", f)
		}
	}
	c.Formats = formats
	if c.Quality == 0 {
		c.Quality = site.Quality
	}
	if c.Quality < 1 || c.Quality > 100 {
		return c, fmt.Errorf("images: quality %d out of range 1..100", c.Quality)
	}
	if c.MaxPixels <= 0 {
		c.MaxPixels = site.MaxPixels
	}
	if c.MaxBytes <= 0 {
		c.MaxBytes = site.MaxBytes
	}
	if c.MemoryBudget <= 0 {
		c.MemoryBudget = DefaultMemoryBudget
	}
	return c, nil
}

// modern reports the modern formats to publish besides the fallback, in
// order.
func (c Config) modern() []string {
	var out []string
	for _, f := range []string{"avif", "webp"} { // best first: browsers take the first they know
		if slices.Contains(c.Formats, f) {
			out = append(out, f)
		}
	}
	return out
}
