package assets

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/postcard-ssg/postcard/generator/config"
	"github.com/postcard-ssg/postcard/generator/overlay"
	theme "github.com/postcard-ssg/postcard/themes/postcard"
)

var update = flag.Bool("update", false, "rewrite the default theme's compiled stylesheet (themes/postcard/assets/compiled/)")

// regenerate is the command that brings the compiled theme up to date.
const regenerate = "make theme-css"

// builtin is the default theme alone, as the overlay's bottom layer.
func builtin(site fs.FS) *overlay.FS {
	if site == nil {
		site = fstest.MapFS{}
	}
	return overlay.New(overlay.Layer{Name: ".", FS: site}, overlay.Layer{Name: "(built-in theme)", FS: theme.FS})
}

// TestCompiledThemeCSS keeps the default theme's compiled stylesheet
// identical to what its SCSS compiles to with the pinned Dart Sass, and
// its digest to the SCSS's; `go test -update` (make theme-css) rewrites
// both.
func TestCompiledThemeCSS(t *testing.T) {
	needSass(t)
	src, err := collect(builtin(nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(src.scss) == 0 {
		t.Fatal("the default theme has no SCSS entry point")
	}
	compile := func(b config.Brand) map[string][]byte {
		css, warns, err := compileSCSS(Options{Theme: builtin(nil), Brand: b, SiteDir: repoRoot(t)}, src.scss)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range warns {
			t.Errorf("Dart Sass warns: %v", w)
		}
		return css
	}
	css := compile(brand)
	other := compile(paletteBrands["dark"])
	digest, err := scssDigest(theme.FS)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(repoRoot(t), "themes", "postcard", filepath.FromSlash(compiledDir))
	want := map[string][]byte{"scss.sha256": []byte(digest + "\n")}
	for logical, data := range css {
		if !bytes.Equal(data, other[logical]) {
			t.Errorf("%s differs from brand to brand: the theme's SCSS must take the brand from custom properties, not the brand module", logical)
		}
		want[strings.TrimPrefix(logical, "css/")] = data
	}
	if *update {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, data := range want {
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	list, err := fs.ReadDir(theme.FS, compiledDir)
	if err != nil {
		t.Fatalf("%v: run %s", err, regenerate)
	}
	for _, e := range list {
		if _, ok := want[e.Name()]; !ok {
			t.Errorf("%s/%s is compiled from no SCSS entry point: run %s", compiledDir, e.Name(), regenerate)
		}
	}
	for name, data := range want {
		got, err := fs.ReadFile(theme.FS, compiledDir+"/"+name)
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("themes/postcard/%s/%s is not what the theme's SCSS compiles to: run %s", compiledDir, name, regenerate)
		}
	}
}

// noSass makes Dart Sass impossible to find: POSTCARD_SASS names nothing
// (an explicit binary that is missing is an error, never skipped), and
// PATH and the site's folder hold none.
func noSass(t *testing.T) Options {
	t.Helper()
	t.Setenv("PATH", "")
	return Options{
		SiteDir: t.TempDir(),
		Env:     func(k string) string { return map[string]string{SassEnv: "/nonexistent/sass"}[k] },
	}
}

// TestBuiltinThemeWithoutSass builds with the default theme and a brand
// where no Dart Sass can be found: the compiled stylesheet is published
// with the brand's derived colours.
func TestBuiltinThemeWithoutSass(t *testing.T) {
	o := noSass(t)
	o.Theme = builtin(nil)
	o.Brand = paletteBrands["pale"]
	o.Brand.FontHeading = `"Playfair Display", serif`
	sink := memSink{}
	res, err := Build(o, sink)
	if err != nil {
		t.Fatalf("the default theme needed Dart Sass: %v", err)
	}
	main, ok := res.Assets["css/main.css"]
	if !ok {
		t.Fatalf("no css/main.css in %v", res.Assets)
	}
	css := string(sink[strings.TrimPrefix(main.URL, "/")])
	compiled, err := fs.ReadFile(theme.FS, compiledDir+"/main.css")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(css, string(compiled)) {
		t.Error("css/main.css does not start with the theme's compiled stylesheet")
	}
	p, err := derivePalette(o.Brand)
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range append(p.light, p.dark...) {
		if !strings.Contains(css, pr.name+":"+pr.value) {
			t.Errorf("css/main.css lacks %s:%s", pr.name, pr.value)
		}
	}
	for _, want := range []string{"--brand-primary:#8ecae6", `--font-heading:"Playfair Display", serif`, "var(--link)"} {
		if !strings.Contains(css, want) {
			t.Errorf("css/main.css lacks %q", want)
		}
	}
}

// TestSiteSCSSNeedsSass: a site that overrides one of the theme's partials
// has SCSS of its own, compiled by Dart Sass, and is told how to install it.
func TestSiteSCSSNeedsSass(t *testing.T) {
	site := fstest.MapFS{"assets/scss/_cards.scss": {Data: []byte(".card { color: var(--accent); }\n")}}
	o := noSass(t)
	o.Theme = builtin(site)
	_, err := Build(o, memSink{})
	if err == nil || !strings.Contains(err.Error(), SassEnv) {
		t.Fatalf("err = %v, want Dart Sass to be looked for", err)
	}
}

// TestSiteSCSSOverTheme: the site's partial is compiled with the theme's,
// and the brand's properties still close the stylesheet.
func TestSiteSCSSOverTheme(t *testing.T) {
	needSass(t)
	site := fstest.MapFS{"assets/scss/_cards.scss": {Data: []byte(".card { color: var(--accent); }\n")}}
	sink := memSink{}
	res, err := Build(Options{Theme: builtin(site), Brand: brand, SiteDir: repoRoot(t)}, sink)
	if err != nil {
		t.Fatal(err)
	}
	css := string(sink[strings.TrimPrefix(res.Assets["css/main.css"].URL, "/")])
	for _, want := range []string{".card{color:var(--accent)}", "--link:#1f5f7a"} {
		if !strings.Contains(css, want) {
			t.Errorf("css/main.css lacks %q", want)
		}
	}
}
