// Package assets turns the theme's sources into the stylesheets and scripts
// a site publishes: SCSS compiled by Dart Sass (or compiled ahead, as the
// default theme's is), JavaScript bundled and minified by esbuild (one
// small bundle per feature, so a page loads only what it uses), plain CSS
// minified, and every file published under a content-hashed name with
// Subresource Integrity, so it can be cached forever and a changed file is
// fetched at once.
//
// The destination's brand reaches the main stylesheet as CSS custom
// properties: its colours, the colours derived from them for contrast and
// the dark scheme (palette.go), and its fonts, written at the stylesheet's
// end. SCSS of a site's own may also read it as the module "brand".
//
// Sources are read through the theme's overlay (the site's folder over its
// theme's, see package overlay), so a site overrides any SCSS partial or
// script by writing one of the same name. Each layer may hold:
//
//	assets/scss/NAME.scss     an entry point, published as css/NAME.css
//	assets/scss/_NAME.scss    a partial, for @use
//	assets/compiled/NAME.css  NAME.scss compiled ahead (see compiled.go)
//	assets/css/NAME.css       a plain stylesheet, published as css/NAME.css
//	assets/js/NAME.js         an entry point, bundled into js/NAME.js
//	assets/js/lib/...         modules the entry points import
//
// Dart Sass runs, and is looked for, only when there is SCSS to compile
// that the theme did not ship compiled: a site that uses the default theme
// with its brand builds with the postcard binary alone.
package assets

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/postcard-ssg/postcard/generator/config"
	"github.com/postcard-ssg/postcard/generator/diag"
	"github.com/postcard-ssg/postcard/generator/overlay"
)

// mainCSS is the stylesheet every page links: the brand's custom
// properties are written at its end.
const mainCSS = "css/main.css"

// Sink receives the published files.
type Sink interface {
	WriteFile(name string, data []byte) error
}

// Assets are the published stylesheets and scripts, by logical name
// ("css/main.css"), for the layouts to link.
type Assets map[string]Asset

// Asset is one published, fingerprinted asset.
type Asset struct {
	URL       string
	Integrity string // Subresource Integrity, "sha384-…"
}

// Options is what an asset build needs.
type Options struct {
	// Theme holds assets/: the site's files over its theme's.
	Theme *overlay.FS
	// Brand is the destination's look; it reaches the main stylesheet as
	// custom properties and SCSS as the module "brand", and is checked for
	// contrast.
	Brand config.Brand
	// SassBinary is site.toml's [assets] sass_binary: a path to Dart Sass,
	// relative to SiteDir. Empty finds it (see FindSass).
	SassBinary string
	// SiteDir is the site's folder, where node_modules/ is looked for.
	SiteDir string
	// Env reads environment variables; nil reads the process's.
	Env func(string) string
	// CacheDir, when set, keeps the compiled assets between builds under
	// a hash of their inputs (see cache.go).
	CacheDir string
}

// Result is what an asset build published.
type Result struct {
	// Assets are the published files by logical name ("css/main.css").
	Assets Assets
	// Warnings are problems that do not stop the build, such as a brand
	// colour too faint to read.
	Warnings []*diag.Error
	// Compiled is false when the assets came from the cache.
	Compiled bool
}

// Build compiles, bundles, minifies and publishes every asset in o.Theme.
func Build(o Options, sink Sink) (*Result, error) {
	if o.Theme == nil {
		o.Theme = overlay.New()
	}
	res := &Result{Assets: Assets{}, Warnings: CheckContrast(o.Brand)}
	src, err := collect(o.Theme)
	if err != nil {
		return nil, err
	}
	var errs []error
	kept := &cached{Files: map[string][]byte{}}
	publish := func(logical string, data []byte) {
		a, err := Publish(logical, data, sink)
		if err != nil {
			errs = append(errs, err)
			return
		}
		res.Assets[logical] = a
		kept.Files[logical] = data
	}
	key := ""
	if o.CacheDir != "" {
		key = cacheKey(o, src)
	}
	if c, ok := loadCached(o.CacheDir, key); ok {
		res.Warnings = append(res.Warnings, fromSassWarnings(c.Warnings)...)
		for _, name := range sortedKeys(c.Files) {
			publish(name, c.Files[name])
		}
		if err := errors.Join(errs...); err != nil {
			return nil, err
		}
		return res, nil
	}
	res.Compiled = true

	styles := map[string][]byte{}
	if len(src.scss) > 0 {
		css, err := precompiled(o.Theme, src.scss)
		if err != nil {
			return nil, err
		}
		if css == nil {
			var warns []*diag.Error
			css, warns, err = compileSCSS(o, src.scss)
			if err != nil {
				return nil, err
			}
			res.Warnings = append(res.Warnings, warns...)
			kept.Warnings = sassWarnings(warns)
		}
		maps.Copy(styles, css)
	}
	for _, name := range sortedKeys(src.css) {
		data, err := minifyCSS(src.css[name])
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			continue
		}
		styles[name] = data
	}
	if main, ok := styles[mainCSS]; ok {
		b, err := brandCSS(o.Brand)
		if err != nil {
			return nil, err
		}
		styles[mainCSS] = append(slices.Clip(main), b...)
	}
	for _, name := range sortedKeys(styles) {
		publish(name, styles[name])
	}
	js, err := bundleJS(o.Theme, src.js)
	if err != nil {
		errs = append(errs, err)
	}
	for _, name := range sortedKeys(js) {
		publish(name, js[name])
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	// The cache only saves time: a build is not failed for it.
	_ = storeCached(o.CacheDir, key, kept)
	return res, nil
}

// sources are the entry points found in the theme, by logical name.
type sources struct {
	scss map[string]string // "css/main.css" → "assets/scss/main.scss"
	css  map[string][]byte // "css/extra.css" → contents
	js   map[string]string // "js/vote.js" → "assets/js/vote.js"
}

// collect finds the entry points. A stylesheet written both as SCSS and as
// plain CSS is the upper layer's, so a site's assets/css/main.css replaces
// the theme's assets/scss/main.scss; both in one layer is a mistake.
func collect(theme *overlay.FS) (*sources, error) {
	s := &sources{scss: map[string]string{}, css: map[string][]byte{}, js: map[string]string{}}
	scss, err := entries(theme, "assets/scss", ".scss")
	if err != nil {
		return nil, err
	}
	for _, name := range scss {
		if !strings.HasPrefix(name, "_") {
			s.scss["css/"+strings.TrimSuffix(name, ".scss")+".css"] = "assets/scss/" + name
		}
	}
	css, err := entries(theme, "assets/css", ".css")
	if err != nil {
		return nil, err
	}
	for _, name := range css {
		logical, file := "css/"+name, "assets/css/"+name
		if other, ok := s.scss[logical]; ok {
			ic, l, err := theme.Which(file)
			if err != nil {
				return nil, err
			}
			is, _, err := theme.Which(other)
			if err != nil {
				return nil, err
			}
			switch {
			case ic == is:
				return nil, fmt.Errorf("assets: css/%s comes from both assets/scss/ and assets/css/ in one layer (%s): keep one", name, l.Name)
			case is < ic:
				continue // the SCSS is the upper layer's
			}
			delete(s.scss, logical)
		}
		data, err := fs.ReadFile(theme, file)
		if err != nil {
			return nil, err
		}
		s.css[logical] = data
	}
	js, err := entries(theme, "assets/js", ".js")
	if err != nil {
		return nil, err
	}
	for _, name := range js {
		if !strings.HasPrefix(name, "_") {
			s.js["js/"+name] = "assets/js/" + name
		}
	}
	return s, nil
}

// entries lists the names of the files of dir ending in ext.
func entries(fsys fs.FS, dir, ext string) ([]string, error) {
	list, err := fs.ReadDir(fsys, dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range list {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || path.Ext(name) != ext {
			continue
		}
		out = append(out, name)
	}
	return out, nil
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
func Publish(logical string, data []byte, sink Sink) (Asset, error) {
	sum := sha256.Sum256(data)
	ext := path.Ext(logical)
	name := strings.TrimSuffix(logical, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
	if err := sink.WriteFile(name, data); err != nil {
		return Asset{}, fmt.Errorf("publishing %s: %w", logical, err)
	}
	sri := sha512.Sum384(data)
	return Asset{URL: "/" + name, Integrity: "sha384-" + base64.StdEncoding.EncodeToString(sri[:])}, nil
}
