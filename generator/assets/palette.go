package assets

// The theme's colours are derived from the brand here, in Go, rather than
// in its SCSS, so a site that builds with the default theme needs no Sass:
// its stylesheet is compiled ahead and reads every colour from a CSS custom
// property, and brandCSS writes those properties for the site's brand.
//
// The functions below port the theme's former Sass functions (color.mix,
// WCAG luminance and contrast, ensure-contrast, on) with Dart Sass's
// arithmetic: channels stay fractional until the colour is written, and
// comparisons are fuzzy to Sass's 1e-11. TestPaletteMatchesSass compiles
// those Sass functions with Dart Sass for several brands and compares.

import (
	"fmt"
	"math"
	"strings"

	"github.com/postcard-ssg/postcard/generator/config"
)

// The default theme's colours when site.toml's [brand] leaves them out, and
// its fixed dark scheme.
const (
	defaultPrimary    = "#1f5f7a"
	defaultAccent     = "#b84c35"
	defaultBackground = "#fbfaf7"
	defaultText       = "#1c2329"
	defaultFontBody   = "system-ui, sans-serif"
	defaultFontHead   = "Georgia, serif"
)

const (
	white       = 0xffffff
	black       = 0x000000
	darkBG      = 0x0f1519
	darkSurface = 0x172128
	darkText    = 0xe8e6e1
	darkMuted   = 0xa9b4bc
)

// rgb is the colour 0xRRGGBB.
func rgb(v uint32) colour {
	return colour{float64(v >> 16 & 0xff), float64(v >> 8 & 0xff), float64(v & 0xff)}
}

// colour is an sRGB colour with channels from 0 to 255, fractional as in
// Dart Sass.
type colour [3]float64

// property is one CSS custom property.
type property struct {
	name  string
	value string
}

// palette is the theme's custom properties for a brand: the light scheme
// and the dark one.
type palette struct {
	light, dark []property
}

// derivePalette computes the theme's colours from the brand, keeping WCAG
// AA contrast in both schemes: a brand colour too faint for a background
// is darkened or lightened just enough. Colours are #rgb or #rrggbb (config
// checks them); font lists are written as config validated them.
func derivePalette(b config.Brand) (palette, error) {
	pick := func(key, v, def string) (colour, error) {
		if v == "" {
			v = def
		}
		c, ok := parseHex(v)
		if !ok {
			return colour{}, fmt.Errorf("brand.%s %q is not a colour written as #rgb or #rrggbb", key, v)
		}
		return colour{float64(c[0]), float64(c[1]), float64(c[2])}, nil
	}
	var errs []string
	get := func(key, v, def string) colour {
		c, err := pick(key, v, def)
		if err != nil {
			errs = append(errs, err.Error())
		}
		return c
	}
	primary := get("primary", b.Primary, defaultPrimary)
	accent := get("accent", b.Accent, defaultAccent)
	bg := get("background", b.Background, defaultBackground)
	text := get("text", b.Text, defaultText)
	if len(errs) > 0 {
		return palette{}, fmt.Errorf("%s: %s", config.FileName, strings.Join(errs, "; "))
	}
	font := func(v, def string) string {
		if v == "" {
			return def
		}
		return v
	}

	// A colour readable both on the page and on white cards.
	onLight := func(c colour) colour {
		return ensureContrast(ensureContrast(c, rgb(white), AA), bg, AA)
	}
	onDark := func(c colour) colour {
		return ensureContrast(ensureContrast(mix(rgb(white), c, 45), rgb(darkBG), AA), rgb(darkSurface), AA)
	}
	p := func(name string, c colour) property { return property{name, c.hex()} }

	return palette{
		light: []property{
			p("--brand-primary", primary),
			p("--brand-accent", accent),
			p("--brand-background", bg),
			p("--brand-text", text),
			p("--bg", bg),
			p("--surface", rgb(white)),
			p("--surface-2", mix(text, bg, 5)),
			p("--text", text),
			p("--muted", onLight(mix(text, bg, 72))),
			p("--line", mix(text, bg, 16)),
			p("--link", onLight(primary)),
			p("--accent", onLight(accent)),
			p("--primary", primary),
			p("--on-primary", on(primary, text)),
			p("--accent-bg", accent),
			p("--on-accent", on(accent, text)),
			p("--focus", onLight(accent)),
			{"--font-body", font(b.FontBody, defaultFontBody)},
			{"--font-heading", font(b.FontHeading, defaultFontHead)},
		},
		dark: []property{
			p("--bg", rgb(darkBG)),
			p("--surface", rgb(darkSurface)),
			p("--surface-2", mix(rgb(white), rgb(darkBG), 6)),
			p("--text", rgb(darkText)),
			p("--muted", ensureContrast(rgb(darkMuted), rgb(darkSurface), AA)),
			p("--line", mix(rgb(white), rgb(darkBG), 16)),
			p("--link", onDark(primary)),
			p("--accent", onDark(accent)),
			p("--primary", ensureContrast(mix(rgb(white), primary, 30), rgb(white), AA)),
			p("--on-primary", rgb(white)),
			p("--accent-bg", ensureContrast(accent, rgb(white), AA)),
			p("--on-accent", rgb(white)),
			p("--focus", onDark(accent)),
		},
	}, nil
}

// brandCSS is the brand's palette as CSS, for the end of the site's main
// stylesheet. It is written as :where(:root), whose specificity is zero, so
// it does not have to come first (a stylesheet's @import rules must) and
// any :root rule of the theme or the site still overrides it.
func brandCSS(b config.Brand) ([]byte, error) {
	p, err := derivePalette(b)
	if err != nil {
		return nil, err
	}
	var sb strings.Builder
	block := func(props []property) {
		sb.WriteString(":where(:root){")
		for i, pr := range props {
			if i > 0 {
				sb.WriteByte(';')
			}
			sb.WriteString(pr.name + ":" + pr.value)
		}
		sb.WriteString("}")
	}
	block(p.light)
	sb.WriteString("@media (prefers-color-scheme:dark){")
	block(p.dark)
	sb.WriteString("}")
	return []byte(sb.String()), nil
}

// mix is Sass's color.mix($a, $b, $weight%) for opaque colours: weight
// percent of a, the rest of b, computed in Dart Sass's order of operations.
func mix(a, b colour, weight float64) colour {
	w1 := (weight/100*2 - 1 + 1) / 2
	w2 := 1 - w1
	var out colour
	for i := range out {
		// The explicit conversions keep the compiler from fusing the
		// multiply and add, which would round differently from Dart.
		out[i] = float64(a[i]*w1) + float64(b[i]*w2)
	}
	return out
}

// luminanceF is WCAG 2's relative luminance, as the theme's Sass computed it.
func luminanceF(c colour) float64 {
	ch := func(v float64) float64 {
		s := v / 255
		if fuzzyLE(s, 0.04045) {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(c[0]) + 0.7152*ch(c[1]) + 0.0722*ch(c[2])
}

// contrastF is the WCAG 2 contrast ratio of two colours.
func contrastF(a, b colour) float64 {
	la, lb := luminanceF(a), luminanceF(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

// ensureContrast returns fg, or the nearest mix of it with black (on a
// light background) or white (on a dark one), in steps of 5%, that
// reaches ratio against bg.
func ensureContrast(fg, bg colour, ratio float64) colour {
	target := rgb(white)
	if fuzzyGT(luminanceF(bg), 0.18) {
		target = rgb(black)
	}
	out := fg
	for i := 0; fuzzyLT(contrastF(out, bg), ratio) && i < 20; {
		i++
		out = mix(target, fg, float64(i*5))
	}
	if fuzzyLT(contrastF(out, bg), ratio) {
		return out // as close as black or white gets
	}
	// The colour is written with whole channels: when rounding takes it
	// just under the ratio, a step or two further towards the target keeps
	// it there (within 2/255 of Sass's fractional colour).
	r := out.rounded()
	for j := 0; j < 2 && contrastF(r, bg) < ratio; j++ {
		for k := range r {
			switch {
			case target[k] > r[k]:
				r[k]++
			case target[k] < r[k]:
				r[k]--
			}
		}
	}
	return r
}

// on picks the more readable of white and dark for text on bg.
func on(bg, dark colour) colour {
	if !fuzzyLT(contrastF(rgb(white), bg), AA) {
		return rgb(white)
	}
	return dark
}

// hex writes the colour as #rrggbb, each channel rounded to the nearest
// integer (the precision a browser paints with).
func (c colour) hex() string {
	r := c.rounded()
	return fmt.Sprintf("#%02x%02x%02x", uint8(r[0]), uint8(r[1]), uint8(r[2]))
}

// rounded is the colour with each channel rounded to an integer.
func (c colour) rounded() colour {
	for i, v := range c {
		c[i] = math.Round(math.Max(0, math.Min(255, v)))
	}
	return c
}

// Sass compares numbers to 1e-11: within it they are equal.
const (
	sassEpsilon        = 1e-11
	sassInverseEpsilon = 1e11
)

func fuzzyEq(a, b float64) bool {
	return a == b || math.Abs(a-b) <= sassEpsilon && math.Round(a*sassInverseEpsilon) == math.Round(b*sassInverseEpsilon)
}

func fuzzyLT(a, b float64) bool { return a < b && !fuzzyEq(a, b) }
func fuzzyGT(a, b float64) bool { return a > b && !fuzzyEq(a, b) }
func fuzzyLE(a, b float64) bool { return a < b || fuzzyEq(a, b) }
