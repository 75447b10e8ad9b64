package assets

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/postcard-ssg/postcard/generator/config"
)

// paletteBrands are the brands the Go port is checked on: the example
// showcase's, a pale one whose colours must be darkened for contrast, one
// with a dark page background (colours lightened instead), and none at all
// (the theme's defaults).
var paletteBrands = map[string]config.Brand{
	"example": brand,
	"pale":    {Primary: "#8ecae6", Accent: "#f4a261", Background: "#fff", Text: "#555"},
	"dark":    {Primary: "#61dafb", Accent: "#ff5c8a", Background: "#20232a", Text: "#f0f0f0"},
	"default": {},
}

// TestPaletteMatchesSass compiles the theme's former Sass colour functions
// (testdata/palette.txtar) with Dart Sass and compares every colour they
// derive, light and dark, with derivePalette's, to within 1/255 a channel.
func TestPaletteMatchesSass(t *testing.T) {
	needSass(t)
	for name, b := range paletteBrands {
		t.Run(name, func(t *testing.T) {
			css, _, err := compileSCSS(Options{Theme: layers(t, "palette.txtar", "theme"), Brand: b, SiteDir: repoRoot(t)},
				map[string]string{"css/main.css": "assets/scss/main.scss"})
			if err != nil {
				t.Fatal(err)
			}
			sassLight, sassDark := sassBlocks(t, string(css["css/main.css"]))
			p, err := derivePalette(b)
			if err != nil {
				t.Fatal(err)
			}
			compare := func(scheme string, sass map[string]string, goProps []property) {
				n := 0
				for _, pr := range goProps {
					want, ok := sass[pr.name]
					if strings.HasPrefix(pr.name, "--brand-") || strings.HasPrefix(pr.name, "--font-") {
						continue
					}
					if !ok {
						t.Errorf("%s %s: Sass does not set it", scheme, pr.name)
						continue
					}
					n++
					sc, err := parseCSSColour(want)
					if err != nil {
						t.Errorf("%s %s: %v", scheme, pr.name, err)
						continue
					}
					gc, _ := parseHex(pr.value)
					for i := range sc {
						if math.Abs(sc[i]-float64(gc[i])) > 1 {
							t.Errorf("%s %s: Go %s, Sass %s", scheme, pr.name, pr.value, want)
							break
						}
					}
				}
				if n < 13 {
					t.Errorf("%s: compared %d colours, want every one", scheme, n)
				}
			}
			compare("light", sassLight, p.light)
			compare("dark", sassDark, p.dark)
		})
	}
}

var (
	propRe  = regexp.MustCompile(`(--[a-z0-9-]+):\s*([^;}]+)`)
	rgbFunc = regexp.MustCompile(`^rgb\(\s*([0-9.]+%?)[\s,]+([0-9.]+%?)[\s,]+([0-9.]+%?)\s*\)$`)
)

// sassBlocks splits the compiled tokens into the light :root block and the
// dark one, as property → value.
func sassBlocks(t *testing.T, css string) (light, dark map[string]string) {
	t.Helper()
	i := strings.Index(css, "@media")
	if i < 0 {
		t.Fatalf("no dark scheme in %s", css)
	}
	read := func(s string) map[string]string {
		m := map[string]string{}
		for _, sm := range propRe.FindAllStringSubmatch(s, -1) {
			m[sm[1]] = strings.TrimSpace(sm[2])
		}
		return m
	}
	return read(css[:i]), read(css[i:])
}

// parseCSSColour reads a colour as Dart Sass or the minifier writes it.
func parseCSSColour(s string) (colour, error) {
	switch s {
	case "white":
		return rgb(white), nil
	case "black":
		return rgb(black), nil
	}
	if c, ok := parseHex(s); ok {
		return colour{float64(c[0]), float64(c[1]), float64(c[2])}, nil
	}
	m := rgbFunc.FindStringSubmatch(s)
	if m == nil {
		return colour{}, fmt.Errorf("cannot read colour %q", s)
	}
	var c colour
	for i, v := range m[1:] {
		f, err := strconv.ParseFloat(strings.TrimSuffix(v, "%"), 64)
		if err != nil {
			return colour{}, err
		}
		if strings.HasSuffix(v, "%") {
			f = f * 255 / 100
		}
		c[i] = f
	}
	return c, nil
}

// TestPaletteKeepsContrast checks, for the test brands and a sweep of
// others, that every colour the theme sets text in reaches WCAG AA against
// the backgrounds it is set on, once written as #rrggbb.
func TestPaletteKeepsContrast(t *testing.T) {
	brands := map[string]config.Brand{}
	for k, v := range paletteBrands {
		brands[k] = v
	}
	for i := 0; i < 216; i++ {
		c := func(n int) string { return fmt.Sprintf("#%02x%02x%02x", n*51, (n*37)%256, (n*91)%256) }
		brands[fmt.Sprint("sweep", i)] = config.Brand{
			Primary: fmt.Sprintf("#%02x%02x%02x", (i/36)*51, (i/6%6)*51, (i%6)*51),
			Accent:  c(i % 6), Background: []string{"#fff", "#fbfaf7", "#f0e8d8", "#20232a", "#000"}[i%5],
			Text: []string{"#1c2329", "#333", "#f0f0f0"}[i%3],
		}
	}
	for name, b := range brands {
		p, err := derivePalette(b)
		if err != nil {
			t.Fatal(err)
		}
		check := func(scheme string, props []property, fg string, bgs ...string) {
			m := map[string]string{}
			for _, pr := range props {
				m[pr.name] = pr.value
			}
			f, _ := parseHex(m[fg])
			for _, bgName := range bgs {
				bg, _ := parseHex(m[bgName])
				if r := Contrast(f, bg); r < AA {
					t.Errorf("%s (%+v) %s: %s %s on %s %s is %.3f:1", name, b, scheme, fg, m[fg], bgName, m[bgName], r)
				}
			}
		}
		// On the light scheme, text colours are made readable on white
		// cards and then on the page; a dark page background can undo the
		// first, and CheckContrast warns about it.
		for _, fg := range []string{"--link", "--accent", "--focus", "--muted"} {
			check("light", p.light, fg, "--bg")
			check("dark", p.dark, fg, "--surface")
		}
		check("dark", p.dark, "--on-primary", "--primary")
		check("dark", p.dark, "--on-accent", "--accent-bg")
	}
}

func TestBrandCSS(t *testing.T) {
	css, err := brandCSS(config.Brand{Primary: "#123456", FontBody: `Inter, "Helvetica Neue", sans-serif`})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		":where(:root){--brand-primary:#123456;",
		`--font-body:Inter, "Helvetica Neue", sans-serif;--font-heading:Georgia, serif}`,
		"@media (prefers-color-scheme:dark){:where(:root){--bg:#0f1519;",
	} {
		if !strings.Contains(string(css), want) {
			t.Errorf("brand CSS lacks %q:\n%s", want, css)
		}
	}
	if _, err := brandCSS(config.Brand{Accent: "red"}); err == nil || !strings.Contains(err.Error(), "brand.accent") {
		t.Errorf("a colour that is not hex: err = %v", err)
	}
}
