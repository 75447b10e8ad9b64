package assets

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/bep/godartsass/v2"
)

// SassEnv names the environment variable that points to a Dart Sass binary.
const SassEnv = "POSTCARD_SASS"

// ErrNoSass is returned (wrapped in a *SassNotFoundError) when no Dart Sass
// binary can be found.
var ErrNoSass = errors.New("no Dart Sass binary found")

// SassNotFoundError says where Dart Sass was looked for and how to install it.
type SassNotFoundError struct {
	Looked []string
}

func (e *SassNotFoundError) Error() string {
	return "the site's own SCSS needs Dart Sass, and it is not installed\n" +
		"(sites that only use the built-in theme's stylesheet do not need it).\n" +
		"Install it in the site's folder, on Linux, macOS or Windows, with Node.js:\n" +
		"    npm install --save-dev sass-embedded\n" +
		"  (or npm ci, when the site's package.json already lists it)\n" +
		"or install Dart Sass itself:\n" +
		"    Linux:    download dart-sass-VERSION-linux-ARCH.tar.gz from\n" +
		"              https://github.com/sass/dart-sass/releases and put its sass on PATH\n" +
		"    macOS:    brew install sass/sass/sass\n" +
		"    Windows:  choco install sass (or the windows zip from the same releases page)\n" +
		"or point Postcard to a Dart Sass binary with " + SassEnv + "=/path/to/sass,\n" +
		"or with sass_binary under [assets] in site.toml.\n" +
		"Looked in: " + strings.Join(e.Looked, ", ")
}

func (e *SassNotFoundError) Unwrap() error { return ErrNoSass }

// sassFinder looks for Dart Sass; its fields are the outside world, so
// tests can stage one.
type sassFinder struct {
	env      func(string) string
	siteDir  string
	explicit string // site.toml's sass_binary
	exe      func() (string, error)
	module   func() string
	lookPath func(string) (string, error)
	goos     string
	goarch   string
}

// FindSass returns the Dart Sass binary a build of the site in siteDir
// uses, the first of:
//
//  1. the file named by $POSTCARD_SASS;
//  2. site.toml's [assets] sass_binary, relative to the site;
//  3. the binary of npm's sass-embedded package in node_modules/ of the
//     site's folder or any folder above it (where `npm ci` puts it);
//  4. the same beside the postcard executable, or in the Postcard module's
//     own folder when it runs from a checkout (go run, go test);
//  5. "sass" on PATH, if it is Dart Sass with the embedded protocol.
//
// A binary named explicitly (1, 2) that does not exist is an error, never
// skipped.
func FindSass(siteDir, explicit string, env func(string) string) (string, error) {
	return sassFinder{
		env: env, siteDir: siteDir, explicit: explicit,
		exe: os.Executable, module: moduleDir, lookPath: exec.LookPath,
		goos: runtime.GOOS, goarch: runtime.GOARCH,
	}.find()
}

func (f sassFinder) find() (string, error) {
	if f.env == nil {
		f.env = os.Getenv
	}
	if p := f.env(SassEnv); p != "" {
		if !isFile(p) {
			return "", fmt.Errorf("%s=%s: no such file (it must name the Dart Sass binary, such as node_modules/sass-embedded-linux-x64/dart-sass/sass)", SassEnv, p)
		}
		return p, nil
	}
	if f.explicit != "" {
		p := f.explicit
		if !filepath.IsAbs(p) {
			p = filepath.Join(f.siteDir, p)
		}
		if !isFile(p) {
			return "", fmt.Errorf("site.toml: [assets] sass_binary %q: no such file", f.explicit)
		}
		return p, nil
	}
	var looked []string
	try := func(dir string) string {
		for d := dir; ; {
			nm := filepath.Join(d, "node_modules")
			for _, rel := range f.packagePaths() {
				if p := filepath.Join(nm, rel); isFile(p) {
					return p
				}
			}
			looked = append(looked, nm)
			up := filepath.Dir(d)
			if up == d {
				return ""
			}
			d = up
		}
	}
	if f.siteDir != "" {
		if p := try(f.siteDir); p != "" {
			return p, nil
		}
	}
	if exe, err := f.exe(); err == nil {
		if p := try(filepath.Dir(exe)); p != "" {
			return p, nil
		}
	}
	if f.module != nil {
		if dir := f.module(); dir != "" {
			if p := try(dir); p != "" {
				return p, nil
			}
		}
	}
	looked = append(looked, "sass on PATH")
	if p, err := f.lookPath("sass"); err == nil {
		// npm's pure-JavaScript "sass" is also called sass, but cannot run
		// the embedded protocol.
		if _, err := godartsass.Version(p); err == nil {
			return p, nil
		}
		looked[len(looked)-1] = p + " (not Dart Sass with --embedded)"
	}
	return "", &SassNotFoundError{Looked: dedupe(looked)}
}

// packagePaths are where the sass-embedded npm package keeps its Dart Sass
// binary for this platform, relative to node_modules/.
func (f sassFinder) packagePaths() []string {
	osName := map[string]string{"windows": "win32"}[f.goos]
	if osName == "" {
		osName = f.goos
	}
	arch := map[string]string{"amd64": "x64", "386": "ia32"}[f.goarch]
	if arch == "" {
		arch = f.goarch
	}
	bin := "sass"
	if f.goos == "windows" {
		bin = "sass.bat"
	}
	pkgs := []string{"sass-embedded-" + osName + "-" + arch}
	if f.goos == "linux" {
		pkgs = append(pkgs, "sass-embedded-linux-musl-"+arch)
	}
	var out []string
	for _, p := range pkgs {
		out = append(out, filepath.Join(p, "dart-sass", bin))
	}
	// npm may nest the platform package inside sass-embedded's own folder.
	for _, p := range pkgs {
		out = append(out, filepath.Join("sass-embedded", "node_modules", p, "dart-sass", bin))
	}
	// Releases before the per-platform packages vendored it here.
	return append(out, filepath.Join("sass-embedded", "dist", "lib", "src", "vendor", "dart-sass", bin))
}

// moduleDir is the folder of this package's source when Postcard was built
// from a checkout (its node_modules/ is then above it), or "" when the
// binary was built with -trimpath.
func moduleDir() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return ""
	}
	return filepath.Dir(file)
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
