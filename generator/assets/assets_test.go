package assets

import (
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"

	"github.com/postcard-ssg/postcard/generator/config"
	"github.com/postcard-ssg/postcard/generator/overlay"
)

// memSink keeps published files.
type memSink map[string][]byte

func (m memSink) WriteFile(name string, data []byte) error {
	m[name] = data
	return nil
}

// layers reads a txtar archive into one layer per top folder, in order.
func layers(t *testing.T, file string, order ...string) *overlay.FS {
	t.Helper()
	a, err := txtar.ParseFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]fstest.MapFS{}
	for _, f := range a.Files {
		top, rest, _ := strings.Cut(f.Name, "/")
		if m[top] == nil {
			m[top] = fstest.MapFS{}
		}
		m[top][rest] = &fstest.MapFile{Data: f.Data}
	}
	var out []overlay.Layer
	for _, o := range order {
		if m[o] == nil {
			m[o] = fstest.MapFS{}
		}
		out = append(out, overlay.Layer{Name: o, FS: m[o]})
	}
	return overlay.New(out...)
}

// repoRoot is where `npm ci` installs Dart Sass for these tests.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// needSass skips when Dart Sass is not installed, except in CI, where a
// missing binary is a broken set-up.
func needSass(t *testing.T) string {
	t.Helper()
	bin, err := FindSass(repoRoot(t), "", func(string) string { return "" })
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("Dart Sass is needed in CI (run npm ci first): %v", err)
		}
		t.Skipf("Dart Sass not installed (npm ci): %v", err)
	}
	return bin
}

var brand = config.Brand{
	Primary: "#1f5f7a", Accent: "#b84c35", Background: "#fbfaf7", Text: "#1c2329",
	FontBody: "system-ui, 'Segoe UI', sans-serif", FontHeading: `Georgia, "Times New Roman", serif`,
}

func TestBuildSassBrandAndOverrides(t *testing.T) {
	needSass(t)
	sink := memSink{}
	res, err := Build(Options{Theme: layers(t, "brand.txtar", "site", "theme"), Brand: brand, SiteDir: repoRoot(t)}, sink)
	if err != nil {
		t.Fatal(err)
	}
	main, ok := res.Assets["css/main.css"]
	if !ok {
		t.Fatalf("no css/main.css in %v", res.Assets)
	}
	css := string(sink[strings.TrimPrefix(main.URL, "/")])
	for _, want := range []string{
		"color:#1c2329", "background:#fbfaf7", "font-family:system-ui,",
		// the site's partial replaced the theme's
		".button{background:#b84c35;border:1px solid #1f5f7a}",
	} {
		if !strings.Contains(css, want) {
			t.Errorf("main.css lacks %q:\n%s", want, css)
		}
	}
	if strings.Contains(css, "\n") || strings.Contains(css, ".never") {
		t.Errorf("main.css is not minified or holds an unused partial:\n%s", css)
	}
	if _, ok := res.Assets["css/unused.css"]; ok {
		t.Error("a partial (_unused.scss) was published as an entry point")
	}
	if got := string(sink[strings.TrimPrefix(res.Assets["css/extra.css"].URL, "/")]); got != ".extra{color:#fff}" {
		t.Errorf("extra.css = %q, want it minified", got)
	}
}

func TestBuildBundlesScripts(t *testing.T) {
	needSass(t)
	sink := memSink{}
	res, err := Build(Options{Theme: layers(t, "brand.txtar", "site", "theme"), Brand: brand, SiteDir: repoRoot(t)}, sink)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Assets) != 3 {
		t.Errorf("published %v, want css/main.css, css/extra.css and js/vote.js", res.Assets)
	}
	a, ok := res.Assets["js/vote.js"]
	if !ok {
		t.Fatalf("no js/vote.js in %v", res.Assets)
	}
	js := string(sink[strings.TrimPrefix(a.URL, "/")])
	if strings.Contains(js, "import") || strings.Contains(js, "longVariableName") || !strings.Contains(js, "Hello, ") {
		t.Errorf("vote.js is not bundled and minified:\n%s", js)
	}
	if !strings.HasPrefix(js, "(()=>{") {
		t.Errorf("vote.js is not a self-contained IIFE:\n%s", js)
	}
}

func TestFingerprintAndIntegrity(t *testing.T) {
	sink := memSink{}
	data := []byte("body{color:red}")
	a, err := Publish("css/main.css", data, sink)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(a.URL, "/css/main.") || !strings.HasSuffix(a.URL, ".css") || len(a.URL) != len("/css/main.0123456789.css") {
		t.Errorf("URL %q is not fingerprinted", a.URL)
	}
	sum := sha512.Sum384(data)
	if want := "sha384-" + base64.StdEncoding.EncodeToString(sum[:]); a.Integrity != want {
		t.Errorf("integrity %q, want %q", a.Integrity, want)
	}
	b, _ := Publish("css/main.css", []byte("body{color:blue}"), sink)
	if b.URL == a.URL {
		t.Error("different contents got the same name")
	}
	if string(sink[strings.TrimPrefix(a.URL, "/")]) != string(data) {
		t.Error("published file differs from its data")
	}
}

func TestSassErrorHasPlace(t *testing.T) {
	needSass(t)
	_, err := Build(Options{Theme: layers(t, "error.txtar", "theme"), Brand: brand, SiteDir: repoRoot(t)}, memSink{})
	if err == nil {
		t.Fatal("no error for an undefined variable")
	}
	if !strings.Contains(err.Error(), "assets/scss/main.scss:3:") || !strings.Contains(err.Error(), "Undefined variable") {
		t.Errorf("error %q does not name the file and line", err)
	}
}

func TestScriptErrors(t *testing.T) {
	l := fstest.MapFS{
		"assets/js/a.js": {Data: []byte(`import x from "left-pad"; x()`)},
		"assets/js/b.js": {Data: []byte("let = ;")},
	}
	_, err := Build(Options{Theme: overlay.New(overlay.Layer{Name: ".", FS: l})}, memSink{})
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{`cannot import "left-pad"`, "assets/js/b.js:1:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

func TestNoSassNeededWithoutSCSS(t *testing.T) {
	l := fstest.MapFS{"assets/css/main.css": {Data: []byte("a { color: #ff0000 }")}}
	t.Setenv(SassEnv, "/nonexistent/sass")
	res, err := Build(Options{Theme: overlay.New(overlay.Layer{Name: ".", FS: l})}, memSink{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := res.Assets["css/main.css"]; !ok {
		t.Error("plain CSS not published")
	}
}

func TestMissingSassSaysHowToInstall(t *testing.T) {
	dir := t.TempDir()
	f := sassFinder{
		env:      func(string) string { return "" },
		siteDir:  dir,
		exe:      func() (string, error) { return filepath.Join(dir, "bin", "postcard"), nil },
		module:   func() string { return filepath.Join(dir, "src") },
		lookPath: func(string) (string, error) { return "", errors.New("not found") },
		goos:     "linux", goarch: "amd64",
	}
	_, err := f.find()
	var nf *SassNotFoundError
	if !errors.As(err, &nf) || !errors.Is(err, ErrNoSass) {
		t.Fatalf("err = %v, want a SassNotFoundError", err)
	}
	for _, want := range []string{
		"npm ci", "npm install --save-dev sass-embedded", "POSTCARD_SASS=", "sass_binary", filepath.Join(dir, "node_modules"),
		"Linux:", "dart-sass/releases", "macOS:", "brew install sass/sass/sass", "Windows:", "choco install sass",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q:\n%s", want, err)
		}
	}

}

func TestFindSassOrder(t *testing.T) {
	dir := t.TempDir()
	touch := func(p string) string {
		p = filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	inParent := touch("node_modules/sass-embedded-linux-x64/dart-sass/sass")
	site := filepath.Join(dir, "site")
	musl := touch("site/node_modules/sass-embedded-linux-musl-x64/dart-sass/sass")
	explicit := touch("site/tools/sass")
	env := touch("elsewhere/sass")
	f := sassFinder{
		siteDir:  site,
		exe:      func() (string, error) { return "/nowhere/postcard", nil },
		lookPath: func(string) (string, error) { return "", errors.New("none") },
		goos:     "linux", goarch: "amd64",
	}
	check := func(name, want string) {
		t.Helper()
		got, err := f.find()
		if err != nil || got != want {
			t.Errorf("%s: got %q, %v; want %q", name, got, err, want)
		}
	}
	f.env = func(k string) string { return map[string]string{SassEnv: env}[k] }
	f.explicit = "tools/sass"
	check("env first", env)
	f.env = func(string) string { return "" }
	check("then site.toml, relative to the site", explicit)
	f.explicit = ""
	check("then the site's node_modules", musl)
	if err := os.Remove(musl); err != nil {
		t.Fatal(err)
	}
	check("then node_modules above the site", inParent)

	f.explicit = "tools/missing"
	if _, err := f.find(); err == nil || !strings.Contains(err.Error(), "sass_binary") {
		t.Errorf("a missing explicit binary: err = %v", err)
	}
	f.explicit = ""
	f.env = func(string) string { return "/no/such/sass" }
	if _, err := f.find(); err == nil || !strings.Contains(err.Error(), SassEnv) {
		t.Errorf("a missing POSTCARD_SASS: err = %v", err)
	}
}

func TestPackagePaths(t *testing.T) {
	f := sassFinder{goos: "windows", goarch: "arm64"}
	if got := f.packagePaths()[0]; got != filepath.Join("sass-embedded-win32-arm64", "dart-sass", "sass.bat") {
		t.Errorf("windows: %s", got)
	}
	f = sassFinder{goos: runtime.GOOS, goarch: runtime.GOARCH}
	if len(f.packagePaths()) < 2 {
		t.Error("no candidates")
	}
}

func TestContrast(t *testing.T) {
	black, white := RGB{0, 0, 0}, RGB{255, 255, 255}
	if c := Contrast(black, white); c < 20.99 || c > 21.01 {
		t.Errorf("black on white = %v, want 21", c)
	}
	if c := Contrast(white, white); c != 1 {
		t.Errorf("white on white = %v, want 1", c)
	}
	// #767676 on white is the classic just-passing grey (4.54:1).
	grey, _ := parseHex("#767676")
	if c := Contrast(grey, white); c < 4.5 || c > 4.6 {
		t.Errorf("#767676 on white = %v", c)
	}
}

func TestCheckContrastWarns(t *testing.T) {
	if w := CheckContrast(brand); len(w) != 0 {
		t.Errorf("the example brand passes AA, got %v", w)
	}
	faint := brand
	faint.Accent = "#f4a261" // a pale orange
	faint.Text = "#999"
	w := CheckContrast(faint)
	var msgs []string
	for _, e := range w {
		msgs = append(msgs, e.Error())
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{
		"site.toml: warning: brand.accent #f4a261",
		"brand.text #999 against brand.background #fbfaf7",
		"white against brand.accent #f4a261",
		"WCAG AA",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q:\n%s", want, all)
		}
	}
}

func TestBuildReturnsContrastWarnings(t *testing.T) {
	faint := brand
	faint.Primary = "#8ecae6"
	res, err := Build(Options{Brand: faint}, memSink{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) == 0 || !strings.Contains(res.Warnings[0].Error(), "brand.primary #8ecae6") {
		t.Errorf("warnings = %v", res.Warnings)
	}
}

func TestBrandSCSS(t *testing.T) {
	got := BrandSCSS(config.Brand{Primary: "#123456", FontBody: `Inter, "Helvetica Neue", sans-serif`})
	for _, want := range []string{
		"$primary: #123456;",
		"$accent: null;",
		`$font-body: string.unquote("Inter, \"Helvetica Neue\", sans-serif");`,
		"$logo: null;",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("brand module lacks %q:\n%s", want, got)
		}
	}
}
