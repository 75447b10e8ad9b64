package assets

import (
	"fmt"
	"math"
	"strconv"

	"github.com/postcard-ssg/postcard/generator/config"
	"github.com/postcard-ssg/postcard/generator/diag"
)

// AA is WCAG 2's level AA minimum contrast ratio for body text.
const AA = 4.5

// CheckContrast warns about brand colours that people will struggle to
// read: WCAG AA asks for 4.5:1 between text and its background. The default
// theme sets text in the text colour on the background, links in the
// primary and accent colours on the background, and white text on primary
// and accent buttons.
func CheckContrast(b config.Brand) []*diag.Error {
	type pair struct{ what, fg, fgKey, bg, bgKey string }
	pairs := []pair{
		{"text", b.Text, "text", b.Background, "background"},
		{"links", b.Primary, "primary", b.Background, "background"},
		{"white button labels", "#ffffff", "", b.Primary, "primary"},
		{"accents", b.Accent, "accent", b.Background, "background"},
		{"white labels", "#ffffff", "", b.Accent, "accent"},
	}
	var out []*diag.Error
	for _, p := range pairs {
		fg, ok1 := parseHex(p.fg)
		bg, ok2 := parseHex(p.bg)
		if !ok1 || !ok2 {
			continue
		}
		r := Contrast(fg, bg)
		if r >= AA {
			continue
		}
		subject := fmt.Sprintf("brand.%s %s against brand.%s %s", p.fgKey, p.fg, p.bgKey, p.bg)
		if p.fgKey == "" {
			subject = fmt.Sprintf("white against brand.%s %s", p.bgKey, p.bg)
		}
		out = append(out, diag.Errorf(diag.Pos{File: config.FileName},
			"warning: %s has a contrast of %.2f:1, below the %.1f:1 WCAG AA asks for %s; pick a darker or lighter colour",
			subject, math.Floor(r*100)/100, AA, p.what))
	}
	return out
}

// RGB is a colour in sRGB, each channel 0-255.
type RGB [3]uint8

// Contrast is the WCAG 2 contrast ratio of two colours, from 1 to 21.
func Contrast(a, b RGB) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// luminance is WCAG 2's relative luminance.
func luminance(c RGB) float64 {
	ch := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(c[0]) + 0.7152*ch(c[1]) + 0.0722*ch(c[2])
}

// parseHex reads #rgb or #rrggbb.
func parseHex(s string) (RGB, bool) {
	if len(s) == 4 && s[0] == '#' {
		s = "#" + string([]byte{s[1], s[1], s[2], s[2], s[3], s[3]})
	}
	if len(s) != 7 || s[0] != '#' {
		return RGB{}, false
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return RGB{}, false
	}
	return RGB{uint8(v >> 16), uint8(v >> 8), uint8(v)}, true
}
