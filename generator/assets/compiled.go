package assets

// A theme may ship its SCSS compiled ahead, so a site that uses the theme
// as it is builds without Dart Sass (the default theme does):
//
//	assets/compiled/NAME.css      assets/scss/NAME.scss, compiled
//	assets/compiled/scss.sha256   the digest of the SCSS it was compiled from
//
// The compiled files stand in for Dart Sass only while the SCSS the site
// would compile, read through the overlay, is exactly what they were
// compiled from: a site that overrides or adds a partial changes the
// digest, and its stylesheet is compiled as before. The theme's SCSS must
// not use the brand module then; the brand reaches the compiled stylesheet
// as custom properties (see brandCSS).

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/postcard-ssg/postcard/generator/overlay"
)

const (
	compiledDir = "assets/compiled"
	compiledSum = compiledDir + "/scss.sha256"
	scssDir     = "assets/scss"
)

// precompiled returns the compiled CSS of each SCSS entry point (logical
// name → path in the theme) when the theme ships it for exactly the SCSS
// the overlay holds, or nil when the SCSS must be compiled.
func precompiled(theme *overlay.FS, entries map[string]string) (map[string][]byte, error) {
	want, err := theme.ReadFile(compiledSum)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	got, err := scssDigest(theme)
	if err != nil {
		return nil, err
	}
	if digest, _, _ := strings.Cut(string(want), "\n"); digest != got {
		return nil, nil
	}
	out := map[string][]byte{}
	for logical, file := range entries {
		name := path.Join(compiledDir, strings.TrimSuffix(path.Base(file), ".scss")+".css")
		data, err := theme.ReadFile(name)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		out[logical] = data
	}
	return out, nil
}

// scssDigest is the SHA-256, in hex, of every stylesheet under assets/scss/
// as the overlay shows it: each file's path, length and contents, in order.
func scssDigest(fsys fs.FS) (string, error) {
	h := sha256.New()
	err := fs.WalkDir(fsys, scssDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch path.Ext(p) {
		case ".scss", ".sass", ".css":
		default:
			return nil
		}
		if d.IsDir() {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", strings.TrimPrefix(p, scssDir+"/"), len(data))
		h.Write(data)
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		err = nil
	}
	return hex.EncodeToString(h.Sum(nil)), err
}
