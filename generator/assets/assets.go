// Package assets turns the theme's sources into the stylesheets and scripts
// a site publishes: SCSS compiled by Dart Sass with the destination's brand
// as variables, JavaScript bundled and minified by esbuild (one small bundle
// per feature, so a page loads only what it uses), plain CSS minified, and
// every file published under a content-hashed name with Subresource
// Integrity, so it can be cached forever and a changed file is fetched at
// once.
//
// Sources are read from layers (the site's folder, then its theme's), the
// first layer that has a file winning, so a site overrides any SCSS partial
// or script by writing one of the same name. Each layer may hold:
//
//	assets/scss/NAME.scss   an entry point, published as css/NAME.css
//	assets/scss/_NAME.scss  a partial, for @use
//	assets/css/NAME.css     a plain stylesheet, published as css/NAME.css
//	assets/js/NAME.js       an entry point, bundled into js/NAME.js
//	assets/js/lib/...       modules the entry points import
//
// Dart Sass runs only when there is SCSS to compile, so a site whose theme
// ships plain CSS builds without it.
package assets

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/postcard-ssg/postcard/generator/config"
	"github.com/postcard-ssg/postcard/generator/diag"
	"github.com/postcard-ssg/postcard/generator/render"
)

// Sink receives the published files.
type Sink interface {
	WriteFile(name string, data []byte) error
}

// Options is what an asset build needs.
type Options struct {
	// Layers hold assets/, the first winning.
	Layers []fs.FS
	// Brand is the destination's look; it reaches the SCSS as the module
	// "brand" and is checked for contrast.
	Brand config.Brand
	// SassBinary is site.toml's [assets] sass_binary: a path to Dart Sass,
	// relative to SiteDir. Empty finds it (see FindSass).
	SassBinary string
	// SiteDir is the site's folder, where node_modules/ is looked for.
	SiteDir string
	// Env reads environment variables; nil reads the process's.
	Env func(string) string
}

// Result is what an asset build published.
type Result struct {
	// Assets are the published files by logical name ("css/main.css").
	Assets render.Assets
	// Warnings are problems that do not stop the build, such as a brand
	// colour too faint to read.
	Warnings []*diag.Error
}

// Build compiles, bundles, minifies and publishes every asset in o.Layers.
func Build(o Options, sink Sink) (*Result, error) {
	res := &Result{Assets: render.Assets{}, Warnings: CheckContrast(o.Brand)}
	src, err := collect(o.Layers)
	if err != nil {
		return nil, err
	}
	var errs []error
	publish := func(logical string, data []byte) {
		a, err := Publish(logical, data, sink)
		if err != nil {
			errs = append(errs, err)
			return
		}
		res.Assets[logical] = a
	}

	if len(src.scss) > 0 {
		css, warns, err := compileSCSS(o, src.scss)
		if err != nil {
			return nil, err
		}
		res.Warnings = append(res.Warnings, warns...)
		for _, name := range sortedKeys(css) {
			publish(name, css[name])
		}
	}
	for _, name := range sortedKeys(src.css) {
		data, err := minifyCSS(src.css[name])
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			continue
		}
		publish(name, data)
	}
	js, err := bundleJS(o.Layers, src.js)
	if err != nil {
		errs = append(errs, err)
	}
	for _, name := range sortedKeys(js) {
		publish(name, js[name])
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return res, nil
}

// sources are the entry points found in the layers, by logical name.
type sources struct {
	scss map[string]string // "css/main.css" → "assets/scss/main.scss"
	css  map[string][]byte // "css/extra.css" → contents
	js   map[string]string // "js/vote.js" → "assets/js/vote.js"
}

// collect finds the entry points. A logical name belongs to the first layer
// that has a source for it, so a site's assets/css/main.css replaces the
// theme's assets/scss/main.scss.
func collect(layers []fs.FS) (*sources, error) {
	s := &sources{scss: map[string]string{}, css: map[string][]byte{}, js: map[string]string{}}
	claimed := map[string]bool{}
	for _, l := range layers {
		mine := map[string]bool{}
		claim := func(logical string) bool {
			if claimed[logical] && !mine[logical] {
				return false
			}
			claimed[logical], mine[logical] = true, true
			return true
		}
		err := entries(l, "assets/scss", ".scss", func(name string) error {
			if strings.HasPrefix(name, "_") {
				return nil
			}
			logical := "css/" + strings.TrimSuffix(name, ".scss") + ".css"
			if claim(logical) {
				s.scss[logical] = "assets/scss/" + name
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		err = entries(l, "assets/css", ".css", func(name string) error {
			logical := "css/" + name
			if !claim(logical) {
				return nil
			}
			if _, ok := s.scss[logical]; ok {
				return fmt.Errorf("assets: css/%s comes from both assets/scss/ and assets/css/ in one layer: keep one", name)
			}
			data, err := fs.ReadFile(l, "assets/css/"+name)
			if err != nil {
				return err
			}
			s.css[logical] = data
			return nil
		})
		if err != nil {
			return nil, err
		}
		err = entries(l, "assets/js", ".js", func(name string) error {
			if strings.HasPrefix(name, "_") {
				return nil
			}
			logical := "js/" + name
			if claim(logical) {
				s.js[logical] = "assets/js/" + name
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return s, nil
}

// entries calls fn with the name of every file of dir ending in ext.
func entries(l fs.FS, dir, ext string, fn func(name string) error) error {
	list, err := fs.ReadDir(l, dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range list {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || path.Ext(name) != ext {
			continue
		}
		if err := fn(name); err != nil {
			return err
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Publish writes data under a fingerprinted version of logical and returns
// its URL and integrity.
func Publish(logical string, data []byte, sink Sink) (render.Asset, error) {
	sum := sha256.Sum256(data)
	ext := path.Ext(logical)
	name := strings.TrimSuffix(logical, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
	if err := sink.WriteFile(name, data); err != nil {
		return render.Asset{}, fmt.Errorf("publishing %s: %w", logical, err)
	}
	sri := sha512.Sum384(data)
	return render.Asset{URL: "/" + name, Integrity: "sha384-" + base64.StdEncoding.EncodeToString(sri[:])}, nil
}
